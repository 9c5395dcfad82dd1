"""The console's parts, built once per app from the conversation database (and the query
embedder, for curated-answer matching)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ui.console.apikeys import ApiKeyStore, ScopedKeys
from ui.console.audit import AdminAudit
from ui.console.curated import CuratedMatcher, CuratedStore
from ui.console.queries import ConsoleQueries
from ui.keys import KeyRing
from ui.storage import SqlStorage


@dataclass
class Console:
    queries: ConsoleQueries
    audit: AdminAudit
    curated: CuratedStore
    matcher: CuratedMatcher
    keys: ApiKeyStore

    @classmethod
    def build(cls, storage: SqlStorage, embedder: Any = None) -> "Console":
        audit = AdminAudit(storage.engine)
        curated = CuratedStore(storage.engine, audit)
        embed = embedder.embed_query if embedder is not None else None
        return cls(ConsoleQueries(storage.engine), audit, curated, CuratedMatcher(curated, embed),
                   ApiKeyStore(storage.engine, audit))

    def scoped(self, digests: list[str], scope: str) -> ScopedKeys:
        return ScopedKeys(KeyRing(digests), self.keys, scope)
