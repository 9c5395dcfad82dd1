"""A document's status from everything that speaks about it, strongest last:
its own text (in force from its effective date; expired from its own end date, "có hiệu lực
đến hết ngày …") < changes made by other indexed documents
("sửa đổi, bổ sung", "thay thế", "bãi bỏ", matched by number, applied from their effective date)
< its `.meta.json` sidecar < an admin's edit."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from assistant.core.domain import DocumentRecord, DocumentRelation
from assistant.core.legal_numbers import number_key

ORIGIN_TEXT, ORIGIN_RELATION, ORIGIN_SIDECAR, ORIGIN_ADMIN = (
    "văn bản", "văn bản khác", "tệp meta", "quản trị",
)  # fmt: skip
STATUS_FIELDS = ("validity", "replaced_by", "effective_date")


@dataclass
class DerivedStatus:
    validity: str
    replaced_by: str = ""
    effective_date: str = ""
    amended_by: list[DocumentRelation] = field(default_factory=list)
    status_origin: str = ORIGIN_TEXT


def applies(relation: DocumentRelation, today: str) -> bool:
    """A change applies once its effective date is reached (or when the date is unknown)."""
    return not relation.effective_date or relation.effective_date <= today


def inbound_relations(records: Iterable[DocumentRecord]) -> dict[str, list[DocumentRelation]]:
    """target key (number key, or a doc_id named by a sidecar) -> changes made to it."""
    index: dict[str, list[DocumentRelation]] = {}
    for record in records:
        for rel in record.relations:
            key = number_key(rel.target)
            if key:
                index.setdefault(key, []).append(rel)
    return index


def changes_to(record: DocumentRecord, index: dict[str, list[DocumentRelation]]) -> list[DocumentRelation]:
    keys = {number_key(record.document_number), number_key(record.doc_id)} - {""}
    found = [r for k in keys for r in index.get(k, []) if r.source_doc_id != record.doc_id]
    return sorted(dict.fromkeys(found), key=lambda r: (r.effective_date, r.source))


def derive_status(record: DocumentRecord, changes: list[DocumentRelation], today: str) -> DerivedStatus:
    declared, sidecar = record.declared, set(record.declared.get("sidecar", "").split(","))
    status = DerivedStatus(
        validity=declared.get("validity", "in_force"),
        replaced_by=declared.get("replaced_by", ""),
        effective_date=declared.get("effective_date", ""),
        amended_by=changes,
    )
    live = [c for c in changes if applies(c, today)]
    by_kind = {kind: [c for c in live if c.kind == kind] for kind in ("replaces", "repeals", "amends")}
    whole_repeal = [c for c in by_kind["repeals"] if not c.articles]
    if "validity" not in sidecar and live:
        status.status_origin = ORIGIN_RELATION
        if by_kind["replaces"]:
            status.validity = "replaced"
            status.replaced_by = "; ".join(dict.fromkeys(c.source or c.source_doc_id for c in by_kind["replaces"]))
        elif whole_repeal:
            status.validity = "expired"
        else:
            status.validity = "amended"
    own_end = own_end_passed(record, today) and status.validity in ("in_force", "amended")
    if own_end and "validity" not in sidecar:
        status.validity = "expired"
        status.status_origin = ORIGIN_SIDECAR if "expiry_date" in sidecar else ORIGIN_TEXT
    if sidecar & {"validity", "replaced_by", "effective_date"}:
        status.status_origin = ORIGIN_SIDECAR
    override = {k: v for k, v in record.override.items() if k in STATUS_FIELDS}
    if override:
        status = replace(status, **override, status_origin=ORIGIN_ADMIN)
    return status


def own_end_passed(record: DocumentRecord, today: str) -> bool:
    """The document's own end date ("có hiệu lực đến hết ngày …", or its sidecar's) is reached."""
    end = record.declared.get("expiry_date", "")
    return bool(end) and end <= today


def derive_all(records: list[DocumentRecord], today: str) -> dict[str, DerivedStatus]:
    index = inbound_relations(records)
    return {r.doc_id: derive_status(r, changes_to(r, index), today) for r in records}
