"""What the console page shows, as plain tables (pandas frames for the plots, lists of rows for
the grids). Plain functions of the app context: tested without a browser."""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd

from ui.error_map import map_error
from ui.console.analytics import analytics
from assistant.core.timestamps import now_iso
from ui.console.conversations import conversations, to_csv
from ui.console.queries import Window
from assistant.core.text import fold_accents
from ui.context import AppContext

CHANNELS = {"widget": "Widget công dân", "ui-citizen": "Trang công dân", "ui-staff": "Cán bộ (web)",
            "api-citizen": "API công dân", "api-staff": "API cán bộ", "unknown": "Khác"}
ROUTES = {"regulation": "Văn bản", "tthc": "Thủ tục", "dossier_status": "Tra cứu hồ sơ",
          "greeting": "Chào hỏi", "out_of_scope": "Ngoài phạm vi", "curated": "Sở trả lời"}
FEEDBACK = {"up": "Hữu ích", "down": "Chưa đúng"}
GROUP_HEADERS = ["Số lần", "Câu hỏi (mới nhất)", "Từ chối", "Kém tin cậy", "Lần cuối", "Ví dụ"]
CURATED_HEADERS = ["Mã", "Câu hỏi", "Câu trả lời", "Nguồn", "Đối tượng", "Hết hạn", "Còn hiệu lực"]
CONVERSATION_HEADERS = ["Lúc", "Kênh", "Loại", "Câu hỏi", "Trả lời", "Nguồn", "ms", "Đánh giá"]
KEY_HEADERS = ["Mã", "Nhãn", "Phạm vi", "Bắt đầu bằng", "Hết hạn", "Tạo lúc", "Trạng thái"]
NEED_ADMIN_KEY = "Khóa quản trị không đúng."


def _series(days: list[dict[str, Any]], field: str, names: dict[str, str],
            columns: tuple[str, str, str]) -> pd.DataFrame:
    """One row per day and series, zeros included (a line needs every day to be drawn)."""
    keys = sorted({k for d in days for k in d[field]}) or ["—"]
    rows = [(d["day"], names.get(k, k), d[field].get(k, 0)) for d in days
            for k in keys]
    return pd.DataFrame(rows, columns=list(columns))


def plots(report: dict[str, Any]) -> dict[str, pd.DataFrame]:
    """Long-format frames for the plots: questions per day by channel and by route, latency
    p50/p95, feedback (useful / not) and dossier lookups by outcome per day."""
    days = report["days"]
    latency = {d["day"]: {"p50": d["latency_p50_ms"], "p95": d["latency_p95_ms"]} for d in days}
    with_latency = [{**d, "latency": latency[d["day"]]} for d in days]
    return {
        "channel": _series(days, "by_channel", CHANNELS, ("Ngày", "Kênh", "Số câu hỏi")),
        "route": _series(days, "by_route", ROUTES, ("Ngày", "Loại", "Số câu hỏi")),
        "latency": _series(with_latency, "latency", {}, ("Ngày", "Mức", "ms")),
        "feedback": _series(days, "feedback", FEEDBACK, ("Ngày", "Đánh giá", "Số lượt")),
        "dossier": _series(days, "dossier_lookups", {}, ("Ngày", "Kết quả", "Số lượt")),
    }


def summary(report: dict[str, Any]) -> str:
    t = report["totals"]
    channels = ", ".join(f"{CHANNELS.get(c, c)} {n}" for c, n in sorted(t["by_channel"].items()))
    return (f"**{t['questions']}** câu hỏi ({channels or 'chưa có'}) · **{t['unanswered']}** "
            f"chưa trả lời được, {report['unanswered_group_count']} nhóm · đánh giá hữu ích "
            f"{t['feedback'].get('up', 0)}, chưa đúng {t['feedback'].get('down', 0)} · thời gian trả lời "
            f"p50 {t['latency_p50_ms']:.0f} ms, p95 {t['latency_p95_ms']:.0f} ms · tra cứu hồ sơ "
            f"{sum(t['dossier_lookups'].values())}")


def group_rows(report: dict[str, Any]) -> list[list[Any]]:
    return [[g["count"], g["question"], g["refused"], g["low_confidence"], g["last_at"][:16],
             " | ".join(g["examples"])] for g in report["unanswered_groups"]]


def group_to_form(question: str, examples: str) -> tuple[str, str]:
    """(question, variants) for the curated-answer form from an unanswered group: a phrasing
    with diacritics as the question when there is one, the other examples as variants."""
    phrasings = list(dict.fromkeys([question, *[e for e in examples.split(" | ") if e]]))
    accented = [p for p in phrasings if fold_accents(p) != p]
    main = accented[0] if accented else phrasings[0]
    return main, "\n".join(p for p in phrasings if p != main)


def load(ctx: AppContext, key: str, days: int) -> tuple[Any, ...]:
    """(summary markdown, channel, route, latency, feedback, dossier frames, group rows)."""
    if not ctx.admin_keys.matches(key):
        empty = plots({"days": []})
        return (NEED_ADMIN_KEY, *empty.values(), [])
    report = analytics(ctx.console.queries, max(1, min(366, int(days or 7))))
    frames = plots(report)
    return (summary(report), *frames.values(), group_rows(report))


def curated_rows(ctx: AppContext, key: str) -> list[list[Any]]:
    if not ctx.admin_keys.matches(key):
        return []
    now = now_iso()
    return [[c.curated_id, c.question, c.answer, "; ".join(s["title"] for s in c.sources),
             c.audience, c.expires_at or "—", "có" if c.active(now) else "hết hạn"]
            for c in ctx.console.curated.list()]


def save_curated(ctx: AppContext, key: str, curated_id: str, question: str, variants: str,
                 answer: str, kind: str, title: str, number: str, article: str, contact: str,
                 audience: str, expires: str) -> str:
    actor = ctx.admin_keys.actor(key)
    if actor is None:
        return NEED_ADMIN_KEY
    source = {"kind": kind or "document", "title": title, "document_number": number,
              "article": article, "contact": contact}
    fields = {"question": question or "", "answer": answer or "", "sources": [source],
              "variants": [v for v in (variants or "").splitlines() if v.strip()],
              "audience": audience or "all", "expires_at": expires or ""}
    try:
        if (curated_id or "").strip():
            record = ctx.console.curated.update(actor, curated_id.strip(), **fields)
            return f"Đã cập nhật câu trả lời {record.curated_id}."
        record = ctx.console.curated.create(actor, fields.pop("question"), fields.pop("answer"),
                                            fields.pop("sources"), **fields)
    except Exception as exc:  # noqa: BLE001 - shown to the admin
        return f"**Lỗi:** {map_error(exc)[2]}"
    return f"Đã lưu câu trả lời {record.curated_id}: troly dùng nó cho câu hỏi này và cách hỏi tương tự."


def edit_curated(ctx: AppContext, key: str, curated_id: str) -> list[Any]:
    """The form's fields for an existing curated answer (to edit)."""
    blank = ["", "", "", "", "document", "", "", "", "", "all", ""]
    if not ctx.admin_keys.matches(key) or not (curated_id or "").strip():
        return blank
    try:
        c = ctx.console.curated.get(curated_id.strip())
    except Exception:  # noqa: BLE001
        return blank
    s = c.sources[0] if c.sources else {}
    return [c.curated_id, c.question, "\n".join(c.variants), c.answer, s.get("kind", "document"),
            s.get("title", ""), s.get("document_number", ""), s.get("article", ""),
            s.get("contact", ""), c.audience, c.expires_at]


def change_curated(ctx: AppContext, key: str, curated_id: str, action: str) -> str:
    actor = ctx.admin_keys.actor(key)
    if actor is None:
        return NEED_ADMIN_KEY
    try:
        if action == "expire":
            ctx.console.curated.expire(actor, (curated_id or "").strip())
            return "Đã cho hết hạn."
        ctx.console.curated.delete(actor, (curated_id or "").strip())
        return "Đã xóa."
    except Exception as exc:  # noqa: BLE001
        return f"**Lỗi:** {map_error(exc)[2]}"


def conversation_rows(ctx: AppContext, key: str, days: int) -> list[list[Any]]:
    if not ctx.admin_keys.matches(key):
        return []
    rows = conversations(ctx.console.queries, Window.last_days(max(1, int(days or 7))), 200)
    return [[r.created_at[:19].replace("T", " "), CHANNELS.get(r.channel, r.channel),
             ROUTES.get(r.route, r.route) + (" (từ chối)" if r.refused else ""), r.question,
             r.answer[:300], "; ".join(r.citations), round(r.latency_ms),
             FEEDBACK.get(r.feedback, "")] for r in rows]


def export_csv(ctx: AppContext, key: str, start: str, end: str) -> str | None:
    """Path of a CSV file for [start, end] (yyyy-mm-dd), or None without the admin key."""
    if not ctx.admin_keys.matches(key):
        return None
    today = date.today().isoformat()
    start, end = (start or today).strip(), (end or start or today).strip()
    window = Window.dates(start, end)
    rows = conversations(ctx.console.queries, window, limit=None, newest_first=False)
    folder = Path(tempfile.mkdtemp(prefix="troly-export-"))
    path = folder / f"troly-hoi-dap-{start}-{end}.csv"
    path.write_text(to_csv(rows), encoding="utf-8")
    return str(path)


def key_rows(ctx: AppContext, key: str) -> list[list[Any]]:
    if not ctx.admin_keys.matches(key):
        return []
    now = now_iso()
    return [[k.key_id, k.label, k.scope, k.prefix + "…", k.expires_at or "—", k.created_at[:16],
             k.status(now)] for k in ctx.console.keys.list()]


def create_key(ctx: AppContext, key: str, scope: str, label: str, expires: str) -> str:
    actor = ctx.admin_keys.actor(key)
    if actor is None:
        return NEED_ADMIN_KEY
    try:
        new, record = ctx.console.keys.create(actor, scope, label or "", expires or "")
    except Exception as exc:  # noqa: BLE001
        return f"**Lỗi:** {map_error(exc)[2]}"
    return (f"Khóa mới ({record.scope}, {record.label}) — chỉ hiện một lần, hãy lưu lại:\n\n"
            f"`{new}`")


def revoke_key(ctx: AppContext, key: str, key_id: str) -> str:
    actor = ctx.admin_keys.actor(key)
    if actor is None:
        return NEED_ADMIN_KEY
    try:
        record = ctx.console.keys.revoke(actor, (key_id or "").strip())
    except Exception as exc:  # noqa: BLE001
        return f"**Lỗi:** {map_error(exc)[2]}"
    return f"Đã thu hồi khóa {record.label}."
