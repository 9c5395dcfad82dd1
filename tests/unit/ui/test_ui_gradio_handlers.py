from __future__ import annotations

import pytest
from support.keys import ADMIN_KEY, STAFF_KEY
from fakes.ui import DEMO_CODE

from ui import gradio_admin, gradio_chat
from ui.context import AppContext


@pytest.fixture
def ctx(services) -> AppContext:
    context = AppContext.build(services)
    yield context
    context.close()


def _last(updates):
    return list(updates)[-1]


def test_staff_chat_streams_answer_then_collapsed_citations(ctx):
    updates = list(gradio_chat.staff_chat(ctx, "quy trình nội bộ mật khẩu", [], STAFF_KEY, None,
                                          "1.1.1.1"))
    assert len(updates) > 2  # the question, pieces, then the final answer
    history, cleared, conversation = updates[-1]
    assert cleared == "" and conversation
    assert history[0] == {"role": "user", "content": "quy trình nội bộ mật khẩu"}
    assert "mật khẩu" in history[1]["content"]
    cite = history[2]
    assert cite["metadata"]["status"] == "done"
    assert cite["metadata"]["title"].startswith("[1]")
    # the fake quotes its source verbatim in the answer: the citation shows the source, not
    # the same text again (issue 14)
    assert not cite["content"].startswith("> ") and "Tệp nguồn: a.md" in cite["content"]


def test_staff_chat_refuses_without_key(ctx, services):
    history, kept, _ = _last(gradio_chat.staff_chat(ctx, "hỏi", [], "sai", None, "x"))
    assert history[-1]["content"] == gradio_chat.NEED_STAFF_KEY
    assert kept == "hỏi" and services.chat.calls == []


def test_citizen_chat_uses_citizen_audience_and_hides_staff(ctx, services):
    history, _, _ = _last(gradio_chat.citizen_chat(ctx, "quy trình nội bộ mật khẩu", [], None,
                                                   "2.2.2.2"))
    assert services.chat.calls[-1]["audience"] == "citizen"
    assert all("noibo" not in str(m.get("metadata", "")) for m in history)
    assert "mật khẩu" not in history[1]["content"]


def test_citizen_chat_error_shown_without_trace(ctx, services):
    services.chat.fail_with = RuntimeError("chi tiết bí mật")
    history, _, _ = _last(gradio_chat.citizen_chat(ctx, "hỏi", [], None, "3.3.3.3"))
    assert "bí mật" not in history[-1]["content"]
    assert "internal error" in history[-1]["content"]


def test_citation_title_names_number_article_page():
    from assistant.core.domain import Citation

    c = Citation("u", "15/2023/QH15", "Luật KBCB", "Chương II › Điều 13", 4, "a.pdf", "q")
    assert gradio_chat.citation_title(2, c) == \
        "[2] 15/2023/QH15 Luật KBCB — Chương II › Điều 13 (trang 4)"
    untitled = Citation("u", "", "Hướng dẫn BHYT", "Điều 6", None, "a.md", "q")
    assert gradio_chat.citation_title(1, untitled) == "[1] Hướng dẫn BHYT — Điều 6"


def test_dossier_form_right_and_wrong_factor(ctx):
    assert "đang được xử lý" in gradio_chat.dossier_lookup(ctx, DEMO_CODE, "1234", "4.4.4.4")
    wrong = gradio_chat.dossier_lookup(ctx, DEMO_CODE, "0000", "4.4.4.4")
    assert wrong.startswith("Không tìm thấy")
    assert "mã hồ sơ" in gradio_chat.dossier_lookup(ctx, "", "", "4.4.4.4")


def test_admin_upload_with_progress_then_listed(ctx, tmp_path):
    source = tmp_path / "thongbao.md"
    source.write_text("Thông báo lịch tiêm vắc xin", encoding="utf-8")
    seen = []
    texts = list(gradio_admin.upload(ctx, ADMIN_KEY, [str(source)], "public",
                                     lambda *a, **k: seen.append((a, k)), folder=tmp_path))
    assert texts[-1].startswith("**Xong:** thêm 1")
    rows = gradio_admin.document_rows(ctx, ADMIN_KEY)
    assert [r[1] for r in rows] == ["thongbao.md"]
    assert gradio_admin.document_rows(ctx, "sai") == []


def test_admin_upload_rejects_bad_key_and_bad_file(ctx, tmp_path):
    bad = tmp_path / "x.exe"
    bad.write_bytes(b"MZ")
    assert list(gradio_admin.upload(ctx, "sai", [str(bad)], "public", print,
                                    folder=tmp_path)) == [gradio_admin.NEED_ADMIN_KEY]
    bad.write_bytes(b"MZ")
    refused = list(gradio_admin.upload(ctx, ADMIN_KEY, [str(bad)], "public", print,
                                       folder=tmp_path))
    assert refused[0].startswith("**Lỗi:**")


def test_admin_delete_and_reindex(ctx, tmp_path):
    source = tmp_path / "a.txt"
    source.write_text("nội dung", encoding="utf-8")
    list(gradio_admin.upload(ctx, ADMIN_KEY, [str(source)], "staff", lambda *a, **k: None,
                             folder=tmp_path))
    doc_id = gradio_admin.document_rows(ctx, ADMIN_KEY)[0][0]
    assert gradio_admin.document_rows(ctx, ADMIN_KEY)[0][4] == "Cán bộ"
    reindexed = list(gradio_admin.reindex(ctx, ADMIN_KEY, lambda *a, **k: None))
    assert reindexed[-1].startswith("**Xong:**")
    assert gradio_admin.delete(ctx, ADMIN_KEY, doc_id).startswith("Đã xóa")
    assert gradio_admin.delete(ctx, ADMIN_KEY, doc_id).startswith("**Lỗi:**")
    assert gradio_admin.delete(ctx, "sai", doc_id) == gradio_admin.NEED_ADMIN_KEY


def _cached(folder, name: str, text: str = "Thông báo lịch tiêm vắc xin"):
    """A file as Gradio's upload route leaves it: <upload folder>/<hash>/<name>."""
    path = folder / "a1b2c3" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("target", ["/etc/hostname", "{project}/pyproject.toml",
                                    "{folder}/../outside.txt"])
def test_admin_upload_refuses_paths_outside_gradio_upload_folder(ctx, services, tmp_path,
                                                                  target):
    # issue 12 #1: the handler opened whatever path it was handed and indexed it as public
    from pathlib import Path

    folder = tmp_path / "gradio"
    folder.mkdir()
    (tmp_path / "outside.txt").write_text("bí mật", encoding="utf-8")
    path = target.format(project=Path(__file__).resolve().parents[3], folder=folder)
    texts = list(gradio_admin.upload(ctx, ADMIN_KEY, [path], "public", print, folder=folder))
    assert texts[-1].startswith("**Lỗi:**")
    assert services.admin.calls == []
    assert not (services.settings.data_dir / "uploads").exists()
    assert (tmp_path / "outside.txt").exists()  # never deleted either


def test_admin_upload_symlink_out_of_folder_refused(ctx, services, tmp_path):
    folder = tmp_path / "gradio"
    (folder / "h").mkdir(parents=True)
    (folder / "h" / "passwd.txt").symlink_to("/etc/passwd")
    texts = list(gradio_admin.upload(ctx, ADMIN_KEY, [str(folder / "h" / "passwd.txt")],
                                     "public", print, folder=folder))
    assert texts[-1].startswith("**Lỗi:**") and services.admin.calls == []


def test_refused_upload_is_cleared_from_gradio_cache(ctx, tmp_path):
    cached = _cached(tmp_path, "thongbao.md")
    assert list(gradio_admin.upload(ctx, "sai", [str(cached)], "public", print,
                                    folder=tmp_path)) == [gradio_admin.NEED_ADMIN_KEY]
    assert not cached.exists() and not cached.parent.exists()


def test_stored_upload_is_cleared_from_gradio_cache(ctx, tmp_path):
    cached = _cached(tmp_path, "thongbao.md")
    texts = list(gradio_admin.upload(ctx, ADMIN_KEY, [str(cached)], "public",
                                     lambda *a, **k: None, folder=tmp_path))
    assert texts[-1].startswith("**Xong:** thêm 1")
    assert not cached.exists()
    assert (ctx.uploads_dir / "thongbao.md").exists()


def test_dossier_status_shown_as_a_short_list():
    text = "Hồ sơ 000.1 — Cấp phép\n• Tình trạng: Đang xử lý\n• Ngày tiếp nhận: 01/12/2026"
    assert gradio_chat.as_markdown(text) == (
        "Hồ sơ 000.1 — Cấp phép\n\n- Tình trạng: Đang xử lý\n- Ngày tiếp nhận: 01/12/2026")
    assert gradio_chat.as_markdown("Không có danh sách.") == "Không có danh sách."
