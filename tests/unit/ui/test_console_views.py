"""The console page's handlers (no browser): plots' frames, groups, curated form, keys, CSV."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from ui.console import views


def _ctx(client):
    return client.app.state.ctx


@pytest.fixture
def admin_key(admin) -> str:
    return admin["X-API-Key"]


def test_console_views_need_the_admin_key(client):
    ctx = _ctx(client)
    summary, *frames, groups = views.load(ctx, "sai", 7)
    assert summary == views.NEED_ADMIN_KEY and groups == []
    assert views.curated_rows(ctx, "sai") == [] and views.key_rows(ctx, "sai") == []
    assert views.export_csv(ctx, "sai", "", "") is None
    assert views.create_key(ctx, "sai", "staff", "x", "") == views.NEED_ADMIN_KEY


def test_console_load_gives_plot_frames_and_groups(client, admin_key):
    client.post("/v1/chat", json={"message": "lệ phí cấp giấy phép", "client": "widget"})
    client.post("/v1/chat", json={"message": "nuôi mèo cảnh cần giấy gì"})
    client.post("/v1/chat", json={"message": "nuoi meo canh can giay gi"})
    summary, channel, route, latency, feedback, dossier, groups = views.load(
        _ctx(client), admin_key, 7)
    assert summary.startswith("**3** câu hỏi")
    assert set(channel["Kênh"]) == {"Widget công dân", "API công dân"}
    assert channel["Số câu hỏi"].sum() == 3
    assert list(latency["Mức"].unique()) == ["p50", "p95"] and len(latency) == 14
    assert groups[0][0] == 2 and ("mèo" in groups[0][1] or "meo" in groups[0][1])


def test_group_to_form_prefers_a_phrasing_with_diacritics():
    assert views.group_to_form("le phi nuoi meo", "le phi nuoi meo | Lệ phí nuôi mèo?") == \
        ("Lệ phí nuôi mèo?", "le phi nuoi meo")
    assert views.group_to_form("abc", "abc") == ("abc", "")


def test_console_curated_form_save_edit_expire(client, admin_key):
    ctx = _ctx(client)
    message = views.save_curated(ctx, admin_key, "", "Nuôi mèo cảnh cần giấy gì?", "", "Không cần.",
                                 "contact", "Chi cục Thú y", "", "", "0269 000", "all", "")
    assert message.startswith("Đã lưu")
    [row] = views.curated_rows(ctx, admin_key)
    form = views.edit_curated(ctx, admin_key, row[0])
    assert form[1] == "Nuôi mèo cảnh cần giấy gì?" and form[5] == "Chi cục Thú y"
    assert views.save_curated(ctx, admin_key, *form[:3], "Không cần giấy.", *form[4:]) \
        .startswith("Đã cập nhật")
    served = client.post("/v1/chat", json={"message": "nuoi meo canh can giay gi"}).json()
    assert served["curated"] and "Không cần giấy." in served["answer"]
    assert views.change_curated(ctx, admin_key, row[0], "expire") == "Đã cho hết hạn."
    assert views.curated_rows(ctx, admin_key)[0][-1] == "hết hạn"
    assert "Lỗi" in views.save_curated(ctx, admin_key, "", "", "", "", "document", "", "", "",
                                       "", "all", "")


def test_console_keys_and_csv_export(client, admin_key):
    ctx = _ctx(client)
    shown = views.create_key(ctx, admin_key, "staff", "Phòng KHTC", "")
    key = shown.split("`")[1]
    assert ctx.staff_keys.matches(key)
    [row] = views.key_rows(ctx, admin_key)
    assert row[1] == "Phòng KHTC" and row[-1] == "active" and key not in str(row)
    assert views.revoke_key(ctx, admin_key, row[0]).startswith("Đã thu hồi")
    assert not ctx.staff_keys.matches(key)
    client.post("/v1/chat", json={"message": "giấy phép, gọi 0905123456"})
    path = Path(views.export_csv(ctx, admin_key, "", ""))
    rows = list(csv.reader(path.read_text(encoding="utf-8").lstrip("\ufeff").splitlines()))
    assert len(rows) == 2 and "0905123456" not in path.read_text(encoding="utf-8")
    assert views.conversation_rows(ctx, admin_key, 7)[0][1] == "API công dân"
