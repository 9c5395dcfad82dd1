"""Indexing benchmark: a copy of a corpus indexed from scratch into a fresh data dir, re-run with
nothing changed, then re-run after one file changed. The prepared model is shared (symlinked),
the embedding cache is not, so "from scratch" really embeds every chunk."""

from __future__ import annotations

import json
import logging
import os
import shutil
import time
import unicodedata
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from assistant.core.domain import IndexSummary
from assistant.core.settings import Settings

log = logging.getLogger(__name__)

TEXT_SUFFIXES = (".txt", ".md", ".html", ".htm", ".json", ".xml")


def copy_corpus(paths: Sequence[Path], target: Path) -> list[Path]:
    """Copy files/folders under `target` (one sub-folder per input) and return the copies."""
    target.mkdir(parents=True, exist_ok=True)
    copies = []
    for index, path in enumerate(paths):
        dest = target / f"{index}-{path.name}"
        if path.is_dir():
            shutil.copytree(path, dest)
        else:
            shutil.copy2(path, dest)
        copies.append(dest)
    return copies


def change_one_file(roots: Sequence[Path]) -> Path:
    """Edit the smallest text-like file so that its content (not only its bytes) changes and it
    stays valid: in a JSON file the first long string value gets a word more; elsewhere a word
    is inserted after the first " và " (NFC or NFD), else a sentence is appended."""
    from indexing.loaders import iter_files  # the files the indexer would read

    files = [f for f in iter_files(list(roots))
             if f.suffix.lower() in TEXT_SUFFIXES and not f.name.endswith(".meta.json")]
    if not files:
        raise FileNotFoundError("no text-like file to change in the corpus copy")
    victim = min(files, key=lambda f: (f.stat().st_size < 2048, f.stat().st_size))
    text = victim.read_text(encoding="utf-8")
    if victim.suffix.lower() == ".json":
        data = json.loads(text)
        if _extend_first_long_string(data):
            victim.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
            return victim
    for form in ("NFC", "NFD"):
        needle = unicodedata.normalize(form, " và ")
        if needle in text:
            victim.write_text(text.replace(needle, needle + unicodedata.normalize(form, "cả "), 1), encoding="utf-8")
            return victim
    victim.write_text(text + "\nĐoạn văn được thêm để đo lập chỉ mục lại.\n", encoding="utf-8")
    return victim


def _extend_first_long_string(node: Any) -> bool:
    """Append a word to the first string of 20+ characters (depth first); False if none."""
    items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
    for key, value in items:
        if isinstance(value, str) and len(value) >= 20:
            node[key] = value + " (sửa đổi)"
            return True
        if isinstance(value, dict | list) and _extend_first_long_string(value):
            return True
    return False


def _run(index: Callable[..., IndexSummary], indexer: Any = None) -> dict[str, Any]:
    from indexing.progress_bar import progress_bar

    progress, bar = progress_bar("tệp")
    started = time.perf_counter()
    try:
        summary = index(progress=progress)
    finally:
        bar.close()
    wall = time.perf_counter() - started
    profile = indexer.profile.report() if indexer is not None else {}
    return {
        **throughput(profile, summary.chunks, wall),
        "wall_s": round(wall, 2),
        "added": summary.added,
        "updated": summary.updated,
        "unchanged": summary.unchanged,
        "failed": len(summary.failed),
        "chunks": summary.chunks,
        "chunks_per_s": round(summary.chunks / wall, 1) if wall and summary.chunks else None,
        "profile": profile,
    }


def throughput(profile: dict[str, Any], chunks: int, wall: float) -> dict[str, Any]:
    """Tokens per second (wall) and per CPU-second (the process), padding, and what the CPU
    time means on idle cores: CPU-seconds / cores is the wall time with nothing else running."""
    counts = profile.get("counts") or {}
    tokens, cpu = counts.get("tokens", 0), profile.get("process_cpu_s") or 0.0
    cores = os.cpu_count() or 1
    return {
        "tokens": tokens,
        "tokens_per_s": round(tokens / wall, 1) if wall and tokens else None,
        "tokens_per_cpu_s": round(tokens / cpu, 1) if cpu and tokens else None,
        "padding_overhead": round(counts.get("padded_tokens", 0) / tokens - 1, 3) if tokens else None,
        "cpu_s": cpu,
        "idle_cores_estimate_s": round(cpu / cores, 1) if cpu else None,
        "idle_cores_chunks_per_s": round(chunks * cores / cpu, 1) if cpu and chunks else None,
    }


def bench_indexing(settings: Settings, corpus: Sequence[Path], work_dir: Path) -> dict[str, Any]:
    """Returns wall times and chunks/s for from_scratch, unchanged and one_changed runs."""
    from assistant.app.index import open_index

    copies = copy_corpus(corpus, work_dir / "corpus")
    data_dir = work_dir / "data"
    data_dir.mkdir(parents=True, exist_ok=True)
    if settings.models_dir.exists():
        (data_dir / "models").symlink_to(settings.models_dir.resolve(), target_is_directory=True)
    bench_settings = settings.model_copy(update={"data_dir": data_dir})
    with open_index(bench_settings) as components:
        started = time.perf_counter()
        components.embedder.embed_passages(["khởi động mô hình"])  # model loads are not indexing
        components.sparse.encode_passages(["khởi động bộ tách từ"])
        result: dict[str, Any] = {"corpus": [str(p) for p in corpus], "model_load_s": round(time.perf_counter() - started, 2)}
        index = lambda **kw: components.indexer.index_paths(copies, **kw)  # noqa: E731
        result["from_scratch"] = _run(index, components.indexer)
        result["unchanged"] = _run(index, components.indexer)
        changed = change_one_file(copies)
        result["one_changed"] = {"file": changed.name, **_run(index, components.indexer)}
        result["store_count"] = components.store.count()
    log.info("indexing benchmark done", extra={"result": result})
    return result
