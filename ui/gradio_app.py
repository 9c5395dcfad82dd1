"""The Gradio UI (staff chat, citizen view, admin tab), mounted at /ui on the API's own app.
Handlers live in ui.gradio_chat and ui.gradio_admin; this module only lays out components."""

from __future__ import annotations

import os

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")

import gradio as gr  # noqa: E402 - analytics must be off before gradio is imported
from fastapi import FastAPI  # noqa: E402

from ui import (  # noqa: E402
    gradio_admin,
    gradio_chat,
    gradio_console,
    gradio_doc_table,
    gradio_guard,
    gradio_status,
)
from ui.api.routes_ops import STATIC_DIR  # noqa: E402
from ui.context import AppContext  # noqa: E402
from ui.uploads import ALLOWED_TYPES  # noqa: E402

UI_PATH = "/ui"
EXAMPLES = [
    "Hồ sơ cấp giấy phép hành nghề khám bệnh, chữa bệnh gồm những gì?",
    "Lệ phí cấp chứng chỉ hành nghề dược là bao nhiêu?",
    "Khám chữa bệnh đúng tuyến thì bảo hiểm y tế chi trả bao nhiêu phần trăm?",
    "Tôi muốn tra cứu hồ sơ đã nộp",
]
# Feedback goes through the widget and POST /v1/feedback; no share button (nothing leaves).
CHAT_OPTIONS = {"buttons": ["copy", "copy_all"], "feedback_options": None}
# The document table is monospace by default, which garbles Vietnamese tone marks.
_TABLES = ("#admin-docs", "#console-groups", "#curated-list", "#conversation-list", "#key-list")
CSS = ", ".join(f"{t} table, {t} td, {t} th, {t} span" for t in _TABLES) + \
      "{font-family: system-ui, 'Segoe UI', Roboto, Arial, sans-serif !important;}" \
      "#admin-docs .body-cell span.text {white-space: pre-line !important;}"  # title / file, id
# Gradio's built-in upload texts in Vietnamese (it has no Vietnamese of its own; ui/static).
VIETNAMESE_JS = STATIC_DIR / "gradio_vi.js"
UPLOAD_TYPES = list(ALLOWED_TYPES)  # the upload allow-list of ui/uploads.py, the one list


def _client(request: gr.Request | None) -> str:
    return request.client.host if request is not None and request.client else "ui"


def _staff_tab(ctx: AppContext) -> None:
    gr.Markdown("Hỏi đáp văn bản quy phạm và thủ tục hành chính (kể cả tài liệu nội bộ). "
                "Bấm vào từng nguồn để xem chi tiết: tên đầy đủ của văn bản, tệp nguồn.")
    key = gr.Textbox(label="Khóa cán bộ", type="password", elem_id="staff-key")
    chat = gr.Chatbot(label="Trợ lý cán bộ", height=480, elem_id="staff-chat", **CHAT_OPTIONS)
    conversation = gr.State(None)
    with gr.Row():
        box = gr.Textbox(label="Câu hỏi", placeholder="Ví dụ: điều kiện cấp giấy phép hành nghề",
                         scale=5, elem_id="staff-input")
        send = gr.Button("Gửi", variant="primary", scale=1, elem_id="staff-send")

    def answer(message, history, staff_key, conv, request: gr.Request):
        yield from gradio_chat.staff_chat(ctx, message, history, staff_key, conv, _client(request))

    for trigger in (box.submit, send.click):
        trigger(answer, [box, chat, key, conversation], [chat, box, conversation])


def _citizen_tab(ctx: AppContext) -> None:
    gr.Markdown("Xin chào! Bạn có thể hỏi về **thủ tục hành chính**, **giấy tờ cần chuẩn bị**, "
                "**lệ phí**, **bảo hiểm y tế**… Câu trả lời có ghi rõ nguồn.")
    chat = gr.Chatbot(label="Hỏi đáp", height=420, elem_id="citizen-chat", **CHAT_OPTIONS)
    conversation = gr.State(None)
    with gr.Row():
        box = gr.Textbox(label="Câu hỏi của bạn", scale=5, elem_id="citizen-input")
        send = gr.Button("Gửi", variant="primary", scale=1, elem_id="citizen-send")
    gr.Examples(EXAMPLES, inputs=box, label="Câu hỏi gợi ý")

    def answer(message, history, conv, request: gr.Request):
        yield from gradio_chat.citizen_chat(ctx, message, history, conv, _client(request))

    for trigger in (box.submit, send.click):
        trigger(answer, [box, chat, conversation], [chat, box, conversation])

    with gr.Accordion("Tra cứu tình trạng hồ sơ", open=True):
        gr.Markdown("Nhập mã hồ sơ trên giấy tiếp nhận và 4 số cuối số điện thoại đã đăng ký.")
        with gr.Row():
            code = gr.Textbox(label="Mã hồ sơ", placeholder="000.00.21.H21-251120-0001",
                              elem_id="dossier-code")
            verify = gr.Textbox(label="4 số cuối số điện thoại", elem_id="dossier-verify")
        look = gr.Button("Tra cứu", elem_id="dossier-send")
        result = gr.Markdown(elem_id="dossier-result")

    def lookup(dossier_code, factor, request: gr.Request):
        return gradio_chat.dossier_lookup(ctx, dossier_code, factor, _client(request))

    look.click(lookup, [code, verify], result)


def _admin_tab(ctx: AppContext) -> None:
    key = gr.Textbox(label="Khóa quản trị", type="password", elem_id="admin-key")
    # Gradio's upload route only takes files from a browser holding the admin key (ui.gradio_guard)
    key.change(None, key, None, js=gradio_guard.SET_COOKIE_JS, queue=False)
    with gr.Row():
        files = gr.File(label="Tải văn bản lên", file_count="multiple", file_types=UPLOAD_TYPES,
                        elem_id="admin-files")
        with gr.Column():
            audience = gr.Radio([("Công khai", "public"), ("Nội bộ cán bộ", "staff")],
                                value="public", label="Đối tượng", elem_id="admin-audience")
            with gr.Accordion("Tình trạng hiệu lực khi tải lên (mặc định: đọc từ văn bản)", open=False):
                up_validity = gr.Dropdown(gradio_status.VALIDITY_CHOICES, value="", label="Tình trạng",
                                          elem_id="admin-upload-validity")
                up_effective = gr.Textbox(label="Hiệu lực từ (dd/mm/yyyy)", elem_id="admin-upload-effective")
                up_replaces = gr.Textbox(label="Thay thế văn bản (mã văn bản cũ)", elem_id="admin-upload-replaces")
            upload = gr.Button("Tải lên và lập chỉ mục", variant="primary", elem_id="admin-upload")
            reindex = gr.Button("Lập chỉ mục lại tất cả", elem_id="admin-reindex")
    status = gr.Markdown(elem_id="admin-status")
    docs = gr.Dataframe(headers=gradio_doc_table.TABLE_HEADERS, label="Văn bản đã lập chỉ mục",
                        interactive=False, wrap=True, elem_id="admin-docs",
                        column_widths=gradio_doc_table.COLUMN_WIDTHS)
    with gr.Row():
        refresh = gr.Button("Tải lại danh sách", elem_id="admin-refresh")
        doc_id = gr.Textbox(label="Mã văn bản cần xóa", elem_id="admin-doc-id")
        delete = gr.Button("Xóa văn bản", variant="stop", elem_id="admin-delete")
    with gr.Accordion("Tình trạng hiệu lực của văn bản", open=False, elem_id="admin-validity"):
        with gr.Row():
            st_doc = gr.Textbox(label="Mã văn bản", elem_id="admin-status-doc")
            st_load = gr.Button("Xem và sửa", elem_id="admin-status-load")
        with gr.Row():
            st_validity = gr.Dropdown(gradio_status.VALIDITY_CHOICES, value="", label="Tình trạng",
                                      elem_id="admin-status-validity")
            st_effective = gr.Textbox(label="Hiệu lực từ (dd/mm/yyyy)", elem_id="admin-status-effective")
            st_replaced_by = gr.Textbox(label="Bị thay thế bởi (số hiệu)", elem_id="admin-status-replaced-by")
            st_replaces = gr.Textbox(label="Thay thế văn bản (mã văn bản cũ)", elem_id="admin-status-replaces")
        st_save = gr.Button("Lưu tình trạng", variant="primary", elem_id="admin-status-save")
        st_info = gr.Markdown(elem_id="admin-status-info")

    def do_upload(admin_key, paths, aud, validity, effective, replaces, progress=gr.Progress()):  # noqa: B008
        yield from gradio_admin.upload(ctx, admin_key, paths, aud, progress, validity=validity,
                                       effective_date=effective, replaces=replaces)

    def do_reindex(admin_key, progress=gr.Progress()):  # noqa: B008 - gradio idiom
        yield from gradio_admin.reindex(ctx, admin_key, progress)

    def list_docs(admin_key):
        return gradio_doc_table.document_table(gradio_admin.document_rows(ctx, admin_key))

    # the chosen files are spent once uploaded (or refused): the box is cleared for the next ones
    upload.click(do_upload, [key, files, audience, up_validity, up_effective, up_replaces],
                 status).then(lambda k: (None, list_docs(k)), key, [files, docs])
    st_load.click(lambda k, d: gradio_status.load_status(ctx, k, d), [key, st_doc],
                  [st_validity, st_effective, st_replaced_by, st_replaces, st_info])
    st_save.click(lambda k, *a: gradio_status.save_status(ctx, k, *a),
                  [key, st_doc, st_validity, st_effective, st_replaced_by, st_replaces],
                  st_info).then(list_docs, key, docs)
    reindex.click(do_reindex, key, status).then(list_docs, key, docs)
    refresh.click(list_docs, key, docs)
    key.submit(list_docs, key, docs)
    delete.click(lambda k, d: gradio_admin.delete(ctx, k, d), [key, doc_id], status).then(
        list_docs, key, docs)


def build_blocks(ctx: AppContext) -> gr.Blocks:
    with gr.Blocks(title="Trợ lý ảo ngành Y tế", analytics_enabled=False) as blocks:
        gr.Markdown("# Trợ lý ảo ngành Y tế")
        with gr.Tabs():
            with gr.Tab("Cán bộ", id="staff", elem_id="tab-staff"):
                _staff_tab(ctx)
            with gr.Tab("Công dân", id="citizen", elem_id="tab-citizen"):
                _citizen_tab(ctx)
            with gr.Tab("Quản trị", id="admin", elem_id="tab-admin"):
                _admin_tab(ctx)
            with gr.Tab("Bảng điều khiển", id="console", elem_id="tab-console"):
                gradio_console.console_tab(ctx)
    blocks.queue(default_concurrency_limit=8)
    return blocks


def mount_ui(app: FastAPI, ctx: AppContext) -> FastAPI:
    """Mount the Gradio UI at /ui on the given app (same process, same services). Gradio's file
    routes (upload, file=) answer only to an admin key."""
    app.add_middleware(gradio_guard.GradioAdminRoutes, keys=ctx.admin_keys, mount=UI_PATH)
    blocks = build_blocks(ctx)
    mounted = gr.mount_gradio_app(
        app, blocks, path=UI_PATH, ssr_mode=False, show_error=False,
        max_file_size=f"{ctx.services.settings.max_upload_mb}mb", footer_links=[],
        theme=_offline_theme(), css=CSS,  # the favicon is the app's own /favicon.ico
        head=f"<script>{VIETNAMESE_JS.read_text(encoding='utf-8')}</script>",
    )
    # Gradio checks that an input file was uploaded through its own route only once the Blocks
    # "has launched", which launch() sets and mount_gradio_app does not: without this, a
    # FileData path sent through the API (/etc/..., the project's files) is copied into the
    # cache and handed to the handler (issue 12 #1).
    blocks.has_launched = True
    return mounted


def _offline_theme() -> gr.themes.Base:
    # Local system fonts: the default theme would fetch web fonts from the internet.
    return gr.themes.Default(
        font=["system-ui", "Segoe UI", "Roboto", "Arial", "sans-serif"],
        font_mono=["ui-monospace", "DejaVu Sans Mono", "monospace"],
    )
