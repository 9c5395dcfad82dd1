"""How a `DocumentRecord` is stored in a manifest row (shared by the SQLite file and the
database backend): one column per field, lists and dicts as JSON text."""

from __future__ import annotations

import json
from dataclasses import asdict, fields

from assistant.core.domain import DocumentRecord, DocumentRelation

COLUMNS = [f.name for f in fields(DocumentRecord)]
_JSON_LISTS = ("warnings", "relations", "amended_by")
_JSON_DICTS = ("declared", "override")


def encode(name: str, value: object) -> object:
    if name in ("relations", "amended_by"):
        return json.dumps([asdict(r) for r in value], ensure_ascii=False)  # type: ignore[attr-defined]
    if name in _JSON_LISTS or name in _JSON_DICTS:
        return json.dumps(value, ensure_ascii=False)
    return value


def to_row(record: DocumentRecord) -> dict[str, object]:
    return {name: encode(name, getattr(record, name)) for name in COLUMNS}


def to_record(row: tuple) -> DocumentRecord:
    values = dict(zip(COLUMNS, row, strict=True))
    for name in _JSON_LISTS + _JSON_DICTS:
        values[name] = json.loads(values[name])
    for name in ("relations", "amended_by"):
        values[name] = [DocumentRelation.of(r) for r in values[name]]
    return DocumentRecord(**values)
