"""The console tab of the Gradio UI (layout only; handlers in ui.console.views): usage plots,
unanswered questions, curated answers, conversations with CSV export, API keys."""

from __future__ import annotations

import gradio as gr

from ui import gradio_guard
from ui.console import views
from ui.context import AppContext


def _plot(kind, title: str, x: str, y: str, color: str, elem_id: str):  # noqa: ANN001
    return kind(x=x, y=y, color=color, title=title, x_title="Ngày", elem_id=elem_id, height=260)


def console_tab(ctx: AppContext) -> None:
    key = gr.Textbox(label="Khóa quản trị", type="password", elem_id="console-key")
    key.change(None, key, None, js=gradio_guard.SET_COOKIE_JS, queue=False)
    with gr.Row():
        days = gr.Slider(1, 90, value=7, step=1, label="Số ngày gần nhất", elem_id="console-days")
        load = gr.Button("Xem số liệu", variant="primary", elem_id="console-load")
    summary = gr.Markdown(elem_id="console-summary")
    with gr.Row():
        by_channel = _plot(gr.LinePlot, "Câu hỏi mỗi ngày theo kênh", "Ngày", "Số câu hỏi", "Kênh",
                           "console-plot-channel")
        by_route = _plot(gr.BarPlot, "Câu hỏi mỗi ngày theo loại", "Ngày", "Số câu hỏi", "Loại",
                         "console-plot-route")
    with gr.Row():
        latency = _plot(gr.LinePlot, "Thời gian trả lời (ms)", "Ngày", "ms", "Mức",
                        "console-plot-latency")
        feedback = _plot(gr.BarPlot, "Đánh giá của người dùng", "Ngày", "Số lượt", "Đánh giá",
                         "console-plot-feedback")
    with gr.Row():
        dossier = _plot(gr.BarPlot, "Tra cứu hồ sơ theo kết quả", "Ngày", "Số lượt", "Kết quả",
                        "console-plot-dossier")
    groups = gr.Dataframe(headers=views.GROUP_HEADERS, label="Câu hỏi chưa trả lời được "
                          "(gộp theo nội dung, nhiều nhất trước) — bấm một dòng để soạn câu trả lời",
                          interactive=False, wrap=True, elem_id="console-groups")
    outputs = [summary, by_channel, by_route, latency, feedback, dossier, groups]
    load.click(lambda k, d: views.load(ctx, k, d), [key, days], outputs)
    key.submit(lambda k, d: views.load(ctx, k, d), [key, days], outputs)

    with gr.Accordion("Câu trả lời của Sở (biên soạn)", open=True, elem_id="console-curated"):
        curated_id = gr.Textbox(label="Mã (để trống = tạo mới)", elem_id="curated-id")
        question = gr.Textbox(label="Câu hỏi", elem_id="curated-question")
        variants = gr.Textbox(label="Cách hỏi khác (mỗi dòng một câu)", lines=2,
                              elem_id="curated-variants")
        answer = gr.Textbox(label="Câu trả lời", lines=4, elem_id="curated-answer")
        with gr.Row():
            kind = gr.Radio([("Văn bản", "document"), ("Đầu mối liên hệ", "contact")],
                            value="document", label="Nguồn", elem_id="curated-kind")
            title = gr.Textbox(label="Tên văn bản / đơn vị", elem_id="curated-title")
            number = gr.Textbox(label="Số hiệu", elem_id="curated-number")
            article = gr.Textbox(label="Điều, khoản", elem_id="curated-article")
            contact = gr.Textbox(label="Liên hệ (điện thoại, địa chỉ)", elem_id="curated-contact")
        with gr.Row():
            audience = gr.Radio([("Mọi người", "all"), ("Công dân", "citizen"),
                                 ("Cán bộ", "staff")], value="all", label="Đối tượng",
                                elem_id="curated-audience")
            expires = gr.Textbox(label="Hết hạn (yyyy-mm-dd, để trống = không)",
                                 elem_id="curated-expires")
        with gr.Row():
            save = gr.Button("Lưu câu trả lời", variant="primary", elem_id="curated-save")
            edit = gr.Button("Mở để sửa (theo mã)", elem_id="curated-edit")
            expire = gr.Button("Cho hết hạn", elem_id="curated-expire")
            delete = gr.Button("Xóa", variant="stop", elem_id="curated-delete")
        curated_info = gr.Markdown(elem_id="curated-info")
        curated_list = gr.Dataframe(headers=views.CURATED_HEADERS, interactive=False, wrap=True,
                                    label="Các câu trả lời đã biên soạn", elem_id="curated-list")
    form = [curated_id, question, variants, answer, kind, title, number, article, contact,
            audience, expires]
    listing = (lambda k: views.curated_rows(ctx, k), key, curated_list)
    save.click(lambda k, *f: views.save_curated(ctx, k, *f), [key, *form], curated_info).then(
        *listing)
    edit.click(lambda k, c: views.edit_curated(ctx, k, c), [key, curated_id], form)
    expire.click(lambda k, c: views.change_curated(ctx, k, c, "expire"), [key, curated_id],
                 curated_info).then(*listing)
    delete.click(lambda k, c: views.change_curated(ctx, k, c, "delete"), [key, curated_id],
                 curated_info).then(*listing)
    load.click(*listing)

    def pick_group(table, evt: gr.SelectData):  # a row of the unanswered list -> the form
        row = evt.index[0] if isinstance(evt.index, (list, tuple)) else evt.index
        return "", *views.group_to_form(str(table.iloc[row, 1]), str(table.iloc[row, 5]))

    groups.select(pick_group, groups, [curated_id, question, variants])

    with gr.Accordion("Hội thoại gần đây", open=False, elem_id="console-conversations"):
        conversation_list = gr.Dataframe(headers=views.CONVERSATION_HEADERS, interactive=False,
                                         wrap=True, elem_id="conversation-list")
        with gr.Row():
            start = gr.Textbox(label="Từ ngày (yyyy-mm-dd)", elem_id="export-from")
            end = gr.Textbox(label="Đến ngày (yyyy-mm-dd)", elem_id="export-to")
            export = gr.Button("Xuất CSV", elem_id="export-csv")
        export_file = gr.File(label="Tệp CSV", elem_id="export-file")
    load.click(lambda k, d: views.conversation_rows(ctx, k, d), [key, days], conversation_list)
    export.click(lambda k, a, b: views.export_csv(ctx, k, a, b), [key, start, end], export_file)

    with gr.Accordion("Khóa API", open=False, elem_id="console-keys"):
        with gr.Row():
            scope = gr.Radio([("Cán bộ", "staff"), ("Quản trị", "admin")], value="staff",
                             label="Phạm vi", elem_id="key-scope")
            label = gr.Textbox(label="Nhãn (người / phòng dùng khóa)", elem_id="key-label")
            key_expires = gr.Textbox(label="Hết hạn (yyyy-mm-dd)", elem_id="key-expires")
            create = gr.Button("Tạo khóa", variant="primary", elem_id="key-create")
        new_key = gr.Markdown(elem_id="key-new")
        keys = gr.Dataframe(headers=views.KEY_HEADERS, interactive=False, elem_id="key-list")
        with gr.Row():
            key_id = gr.Textbox(label="Mã khóa cần thu hồi", elem_id="key-id")
            revoke = gr.Button("Thu hồi", variant="stop", elem_id="key-revoke")
    key_listing = (lambda k: views.key_rows(ctx, k), key, keys)
    create.click(lambda k, s, lb, e: views.create_key(ctx, k, s, lb, e),
                 [key, scope, label, key_expires], new_key).then(*key_listing)
    revoke.click(lambda k, i: views.revoke_key(ctx, k, i), [key, key_id], new_key).then(
        *key_listing)
    load.click(*key_listing)
