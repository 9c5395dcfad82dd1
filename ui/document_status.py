"""Document status for the admin API and the Gradio admin tab: checked edits (logged in the
manifest's per-document status log and in the admin change log), the status declared at upload
(written into the upload's sidecar, so it survives re-indexing and wins over the text), and
replacement proposals for a new version uploaded under another file name (same số hiệu or
title)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from assistant.core.domain import DocumentRecord
from indexing.loaders.sidecar import VALIDITIES, sidecar_path
from assistant.core.text import fold_accents
from assistant.core.legal_numbers import number_key
from ui.error_map import ApiError
from ui.context import AppContext

VALIDITY_LABELS = {
    "in_force": "Còn hiệu lực", "amended": "Còn hiệu lực (đã sửa đổi một phần)",
    "replaced": "Đã bị thay thế", "expired": "Hết hiệu lực", "unknown": "Chưa rõ",
}  # fmt: skip
EDITABLE = ("validity", "effective_date", "replaced_by")
_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DMY = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")


class StatusEditError(ApiError):
    """A status edit with an invalid value (HTTP 422)."""

    def __init__(self, message: str) -> None:
        super().__init__(422, "invalid_request", message)


@dataclass
class StatusEdit:
    """Fields to set ("" removes that field's edit); `clear` drops every earlier edit;
    `replaces` are doc_ids of older documents this one replaces."""

    validity: str | None = None
    effective_date: str | None = None
    replaced_by: str | None = None
    replaces: list[str] = field(default_factory=list)
    clear: bool = False

    def checked(self) -> "StatusEdit":
        if self.validity and self.validity not in VALIDITIES:
            raise StatusEditError(
                f"validity '{self.validity}' không hợp lệ (chỉ {'/'.join(VALIDITIES)}) / invalid validity")
        if self.effective_date:
            self.effective_date = parse_date(self.effective_date)
        self.replaces = [d.strip() for d in self.replaces if d and d.strip()]
        return self

    def changes(self) -> dict[str, str]:
        return {k: str(v).strip() for k in EDITABLE if (v := getattr(self, k)) is not None}

    def merged(self, current: dict[str, str]) -> dict[str, str]:
        merged = {} if self.clear else dict(current)
        merged.update(self.changes())
        return {k: v for k, v in merged.items() if v}


def parse_date(value: str) -> str:
    """"2025-07-01" or "01/07/2025" -> "2025-07-01"; StatusEditError otherwise."""
    value = value.strip()
    if m := _DMY.match(value):
        value = f"{m[3]}-{int(m[2]):02d}-{int(m[1]):02d}"
    try:
        ok = bool(_ISO.match(value)) and date.fromisoformat(value) is not None
    except ValueError:
        ok = False
    if not ok:
        raise StatusEditError(
            f"effective_date '{value}': ngày phải có dạng yyyy-mm-dd hoặc dd/mm/yyyy / invalid date")
    return value


def actor_of(ctx: AppContext, key: str | None) -> str:
    return ctx.admin_keys.actor(key) or "admin"


def edit_status(ctx: AppContext, doc_id: str, edit: StatusEdit, actor: str) -> DocumentRecord:
    """Apply an edit to one document (and mark the documents it replaces), audited."""
    admin = ctx.services.admin
    edit = edit.checked()
    before = admin.get_document(doc_id)
    if edit.clear or edit.changes():
        after = admin.set_status(doc_id, edit.merged(before.override), actor)
        ctx.console.audit.record(actor, "document.status", doc_id,
                                 {"before": before.override, "after": after.override})  # fmt: skip
    for old_id in edit.replaces:
        old = admin.get_document(old_id)
        label = before.document_number or before.title
        override = {**old.override, "validity": "replaced", "replaced_by": label}
        admin.set_status(old_id, override, actor)
        ctx.console.audit.record(actor, "document.replaced_by", old_id,
                                 {"before": old.override, "after": override, "by": doc_id})  # fmt: skip
    return admin.get_document(doc_id)


def declare_at_upload(ctx: AppContext, paths: list[Path], edit: StatusEdit, actor: str) -> None:
    """Status given in the upload form, written into each file's sidecar (merged with the
    audience written there) so it wins over the extracted values, now and at every re-index."""
    edit = edit.checked()
    fields: dict[str, Any] = {k: v for k, v in edit.changes().items() if v}
    if edit.replaces:
        fields["replaces"] = edit.replaces
    if not fields:
        return
    for path in paths:
        sidecar = sidecar_path(path)
        data = json.loads(sidecar.read_text(encoding="utf-8")) if sidecar.exists() else {}
        sidecar.write_text(json.dumps({**data, **fields}, ensure_ascii=False), encoding="utf-8")
        ctx.console.audit.record(actor, "document.upload_status", path.name, fields)


@lru_cache(maxsize=8192)  # the document list compares every pair of titles
def _title_key(title: str) -> str:
    return " ".join(fold_accents(title).lower().split())


def replacement_proposals(record: DocumentRecord, records: list[DocumentRecord]) -> list[dict[str, str]]:
    """Older, still current documents that this one may replace: same số hiệu, or the same
    title (a new version uploaded under another file name). Already linked ones are skipped."""
    number, title = number_key(record.document_number), _title_key(record.title)
    linked = {number_key(r.target) for r in record.relations if r.kind == "replaces"}
    proposals = []
    for other in records:
        if other.doc_id == record.doc_id or other.source == record.source:
            continue
        if other.validity in ("replaced", "expired") or {number_key(other.doc_id), number_key(other.document_number)} & linked:
            continue
        same_number = bool(number) and number_key(other.document_number) == number
        same_title = len(title) >= 12 and _title_key(other.title) == title
        older = (other.issue_date, other.indexed_at) <= (record.issue_date, record.indexed_at)
        if (same_number or same_title) and older:
            reason = "cùng số hiệu" if same_number else "cùng tiêu đề"
            proposals.append({"doc_id": other.doc_id, "title": other.title, "reason": reason})
    return proposals


def status_summary(record: DocumentRecord) -> str:
    """One cell for the admin list: "Đã bị thay thế bởi 20/2025/TT-BYT" / "Còn hiệu lực (đã
    sửa đổi một phần): Điều 3 bởi 05/2024/TT-TEST từ 01/07/2024"."""
    text = VALIDITY_LABELS.get(record.validity, record.validity)
    if record.validity == "replaced" and record.replaced_by:
        text += f" bởi {record.replaced_by}"
    changes = [
        f"{', '.join(c.articles) or 'toàn văn'} {'bị bãi bỏ' if c.kind == 'repeals' else 'sửa đổi' if c.kind == 'amends' else 'thay thế'}"
        f" bởi {c.source or c.source_doc_id}" + (f" từ {_dmy(c.effective_date)}" if c.effective_date else "")
        for c in record.amended_by
    ]  # fmt: skip
    if changes:
        text += ": " + "; ".join(changes)
    if end := record.declared.get("expiry_date", ""):  # its own end date
        text += f"; hết hiệu lực từ {_dmy(end)} (theo chính văn bản)"
    if record.status_origin:
        text += f" (nguồn: {record.status_origin})"
    return text


def _dmy(iso: str) -> str:
    return f"{iso[8:10]}/{iso[5:7]}/{iso[:4]}" if len(iso) == 10 else iso
