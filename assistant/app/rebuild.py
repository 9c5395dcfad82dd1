"""`troly index --rebuild`: the whole library indexed again beside the live index, then switched
in (at once, or by the next process that opens the index). The staging and switching rules are
`indexing.rebuild`."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path

from assistant.app.index import lock_index, open_index
from assistant.core.domain import IndexSummary, ProgressCallback
from assistant.core.errors import StoreError
from assistant.core.interfaces import Embedder
from assistant.core.settings import Settings
from indexing.rebuild import begin, finish_switch, mark_ready

log = logging.getLogger(__name__)


def rebuild(
    settings: Settings,
    paths: Sequence[Path | str],
    *,
    audience: str | None = None,
    fmt: str | None = None,
    progress: ProgressCallback | None = None,
    embedder: Embedder | None = None,
) -> tuple[IndexSummary, bool]:
    """Index `paths` into the staging index; if nothing failed, mark it ready and try to switch.
    Returns (summary, switched now)."""
    staged = begin(settings)
    with open_index(staged, embedder=embedder) as index:
        summary = index.indexer.index_paths(paths, audience=audience, fmt=fmt, progress=progress)
    if summary.failed:
        log.warning("rebuild incomplete; the live index is unchanged", extra={"failed": len(summary.failed)})
        return summary, False
    mark_ready(staged)
    try:
        lock = lock_index(settings.index_dir)
    except StoreError:
        log.info("the live index is in use; the rebuilt index is switched in at its next start")
        return summary, False
    try:
        return summary, finish_switch(settings)
    finally:
        lock.close()
