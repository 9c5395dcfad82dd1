"""`assistant.validity.StatusBook` over the manifest, rebuilt only when the manifest changes."""

from __future__ import annotations

import threading
from collections.abc import Sequence

from assistant.core.domain import DocumentRecord, DocumentRelation
from assistant.core.interfaces import ManifestStore
from assistant.core.legal_numbers import number_key
from indexing.validity.status import inbound_relations


class ManifestStatusBook:
    def __init__(self, manifest: ManifestStore) -> None:
        self._manifest = manifest
        self._marker: tuple[int, int] | None = None
        self._changes: dict[str, list[DocumentRelation]] = {}
        self._documents: dict[str, DocumentRecord] = {}
        self._lock = threading.Lock()

    def _current(self) -> tuple[dict[str, list[DocumentRelation]], dict[str, DocumentRecord]]:
        with self._lock:
            marker = self._manifest.change_marker()
            if marker != self._marker:
                records = self._manifest.list()
                self._changes = inbound_relations(records)
                self._documents = {r.doc_id: r for r in records}
                self._marker = marker
            return self._changes, self._documents

    def changes_to(self, key: str) -> Sequence[DocumentRelation]:
        return self._current()[0].get(number_key(key), [])

    def document(self, doc_id: str) -> DocumentRecord | None:
        return self._current()[1].get(doc_id)
