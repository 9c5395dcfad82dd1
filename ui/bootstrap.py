"""Builds the services `troly serve` (and the end-to-end tests) hand to `create_app`: the real
pipeline from settings, the conversation database, the dossier service over the configured
one-stop-shop or an in-process reference one, and the demo corpus indexed on first start."""

from __future__ import annotations

import json
import logging
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from assistant.core.domain import IndexSummary, ProgressCallback
from assistant.core.interfaces import ChatService, DocumentAdmin
from assistant.core.settings import DEMO_CORPUS_DIR, Settings
from ui.keys import hash_key, new_key
from ui.services import Services
from ui.shared_state import counter_store
from ui.storage import SqlAuditSink, SqlStorage

if TYPE_CHECKING:
    from assistant.app.index import IndexParts

log = logging.getLogger(__name__)


DEMO_KEYS_FILE = "demo-keys.json"


def demo_keys_path(settings: Settings) -> Path:
    return settings.data_dir / DEMO_KEYS_FILE


def _stored_demo_keys(path: Path) -> dict[str, str]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {k: v for k, v in data.items() if isinstance(v, str) and v} if isinstance(data, dict) \
        else {}


def _write_private(path: Path, data: dict[str, str]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump(data, handle, ensure_ascii=False, indent=2)


def ensure_keys(settings: Settings) -> tuple[Settings, dict[str, str]]:
    """When no admin or staff key is configured, use the demo keys kept in the data directory
    (`demo-keys.json`, readable by this user only), made on the first start: the same keys at
    every restart, printed by `troly serve` with where they live. Configured digests
    (TROLY_*_KEY_HASHES) and keys created in the console need none of this."""
    path = demo_keys_path(settings)
    stored = _stored_demo_keys(path)
    keys: dict[str, str] = {}
    update: dict[str, list[str]] = {}
    for role, field in (("admin", "admin_key_hashes"), ("staff", "staff_key_hashes")):
        if not getattr(settings, field):
            keys[role] = stored.get(role) or new_key()
            update[field] = [hash_key(keys[role])]
    if keys and any(stored.get(role) != key for role, key in keys.items()):
        _write_private(path, {**stored, **keys})
    return (settings.model_copy(update=update) if update else settings), keys


def index_demo_corpus(
    admin: DocumentAdmin, index_size: Callable[[], int], corpus: Path = DEMO_CORPUS_DIR,
    progress: ProgressCallback | None = None,
) -> IndexSummary | None:
    """Index the demo corpus when the index is empty (first start on a new machine)."""
    if index_size() > 0:
        return None
    if not corpus.is_dir():
        log.warning("demo corpus missing", extra={"path": str(corpus)})
        return None
    # The corpus README describes the corpus; it is not a document to answer from.
    paths = [p for p in sorted(corpus.iterdir()) if p.name.lower() != "readme.md"
             and not p.name.endswith(".meta.json")]
    return admin.index_paths(paths, progress=progress)


WARM_UP_QUESTIONS = ("Điều kiện cấp chứng chỉ hành nghề dược là gì?", "thu tuc cap giay phep hoat dong")


def warm_up(chat: ChatService) -> None:
    """Answer throwaway questions (with and without diacritics) before serving, so that the
    first citizens do not wait for models, segmenters and statistics to load."""
    started = time.perf_counter()
    for question in WARM_UP_QUESTIONS:
        try:
            chat.ask(question)
        except Exception:  # the real request will report the problem properly
            log.exception("warm-up question failed")
    log.info("warm-up done", extra={"seconds": round(time.perf_counter() - started, 2)})


def build_services(
    settings: Settings, *, demo_corpus: Path | None = DEMO_CORPUS_DIR,
    progress: ProgressCallback | None = None, reference_port: int = 0,
) -> Services:
    """Real services from settings. With `demo_corpus`, an empty index gets that corpus first
    (before the chat service reads corpus statistics); `None` skips it. Unless iGate is
    configured, the reference one-stop-shop runs in-process on a free loopback port."""
    from contextlib import ExitStack

    from assistant.app.dossier import onestop_configured
    from assistant.app.troly import open_troly

    closers: list[Callable[[], None]] = []
    notes: dict[str, str] = {}
    try:
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        storage = SqlStorage(settings.sqlalchemy_url)
        closers.append(storage.close)
        reference = None
        if not onestop_configured(settings):
            from connectors.reference.demo import demo_table
            from connectors.reference.server import start_reference_server

            reference = start_reference_server(
                port=reference_port, db_path=settings.data_dir / "onestop_reference.sqlite"
            )
            closers.append(reference.stop)
            notes["onestop"] = reference.url
            notes["demo_dossiers"] = demo_table(reference.demo)

        def seed(index: IndexParts) -> None:
            if demo_corpus is None:
                return
            summary = index_demo_corpus(index.indexer, index.store.count, demo_corpus, progress)
            if summary is not None:
                notes["demo_index"] = (
                    f"{summary.added} văn bản, {summary.chunks} đoạn, {summary.seconds:.1f} s"
                )

        closing = ExitStack()
        closers.append(closing.close)
        troly = closing.enter_context(open_troly(
            settings, reference_url=reference.url if reference else None,
            audit=SqlAuditSink(storage), counters=counter_store(settings.shared_counters, storage.engine()),
            before_answering=seed,
        ))
        assert troly.dossier is not None  # iGate or the reference service
        warm_up(troly.chat)
    except BaseException:
        for close in reversed(closers):
            close()
        raise
    return Services(
        settings=settings, chat=troly.chat, admin=troly.admin, dossier=troly.dossier,
        storage=storage, index_size=troly.store.count, notes=notes, reference=reference,
        closers=closers, query_embedder=troly.embedder, llm_gate=troly.answerers.gate,
    )
