"""Chooses the manifest backend from settings, in one place."""

from __future__ import annotations

from assistant.core.interfaces import ManifestStore
from assistant.core.settings import Settings


def open_manifest(settings: Settings) -> ManifestStore:
    """Tables of the application database in the scale-out setup (TROLY_QDRANT_URL and a
    PostgreSQL TROLY_DATABASE_URL); otherwise the SQLite file in the data directory."""
    if settings.manifest_in_database:
        from indexing.manifest_sql import SqlManifest

        return SqlManifest(settings.database_url)
    from indexing.manifest import Manifest

    return Manifest(settings.manifest_path)
