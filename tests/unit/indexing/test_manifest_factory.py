"""The manifest backend is chosen from settings: the database only in the scale-out setup."""

from __future__ import annotations

import pytest

from assistant.core.settings import Settings
from indexing.manifest import Manifest
from indexing.manifest_factory import open_manifest

PG = "postgresql+psycopg://troly@db.example/troly"


@pytest.mark.parametrize(("qdrant_url", "database_url", "in_database"), [
    ("", "", False),
    ("", PG, False),  # embedded index: the manifest stays beside it
    ("http://qdrant:6333", "", False),  # SQLite application database: one machine
    ("http://qdrant:6333", "sqlite:////srv/troly.sqlite", False),
    ("http://qdrant:6333", PG, True),
])  # fmt: skip
def test_manifest_lives_in_the_database_only_with_qdrant_server_and_postgresql(
        qdrant_url, database_url, in_database):
    settings = Settings(_env_file=None, qdrant_url=qdrant_url, database_url=database_url)
    assert settings.manifest_in_database is in_database
    assert settings.index_on_server is bool(qdrant_url)


def test_default_manifest_is_the_sqlite_file_in_the_data_directory(tmp_path):
    settings = Settings(_env_file=None, data_dir=tmp_path)
    manifest = open_manifest(settings)
    try:
        assert isinstance(manifest, Manifest) and manifest.path == str(settings.manifest_path)
    finally:
        manifest.close()
    assert settings.manifest_path.is_file()


def test_scale_out_manifest_is_in_postgresql(postgres_server, tmp_path):
    from indexing.manifest_sql import SqlManifest

    url = postgres_server.new_database()
    settings = Settings(_env_file=None, data_dir=tmp_path, qdrant_url="http://q:6333",
                        database_url=url)
    manifest = open_manifest(settings)
    try:
        assert isinstance(manifest, SqlManifest) and manifest.url == url
    finally:
        manifest.close()
    assert not settings.manifest_path.exists()


def test_unreachable_database_is_a_clear_error(postgres_server):
    from assistant.core.errors import StoreError
    from indexing.manifest_sql import SqlManifest

    with pytest.raises(StoreError, match="TROLY_DATABASE_URL"):
        SqlManifest(postgres_server.url("khong_co_csdl_nay"))
