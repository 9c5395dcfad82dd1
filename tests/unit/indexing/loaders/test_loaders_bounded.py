"""Loaders run in a bounded worker process (issue 12 #5): a decompressed-size budget checked on
the zip members before anything is read, a time budget per document, a memory cap, and
cancellation; the indexing process itself never grows or blocks."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from assistant.core.errors import LoadError
from evals.bench_abuse import zip_bomb
from indexing.loaders.bounded import BoundedLoader, LoadBudget, check_zip_budget

TARGETS = "bounded_targets"


def _zip_bomb(path: Path, unpacked_mb: int) -> Path:
    """A DOCX whose document.xml expands to `unpacked_mb` MiB (a few hundred KiB on disk)."""
    path.write_bytes(zip_bomb(unpacked_mb))
    return path


@pytest.fixture
def text_file(tmp_path: Path) -> Path:
    path = tmp_path / "thong-bao.txt"
    path.write_text("Thông báo về lịch tiêm chủng mở rộng tháng 12.", encoding="utf-8")
    return path


def test_zip_bomb_refused_from_its_member_sizes(tmp_path):
    bomb = _zip_bomb(tmp_path / "bomb.docx", unpacked_mb=40)
    assert bomb.stat().st_size < 2 << 20
    started = time.perf_counter()
    with pytest.raises(LoadError) as refused:
        check_zip_budget(bomb, max_unpacked_bytes=20 << 20)
    assert time.perf_counter() - started < 0.5  # nothing was decompressed
    assert "bomb.docx" in str(refused.value) and "MB" in str(refused.value)


def test_bounded_loader_refuses_zip_bomb_and_keeps_working(tmp_path, text_file):
    loader = BoundedLoader(LoadBudget(max_unpacked_mb=20))
    try:
        with pytest.raises(LoadError):
            loader(_zip_bomb(tmp_path / "bomb.docx", unpacked_mb=40))
        (document,) = loader(text_file, audience="staff")
        assert "tiêm chủng" in document.sections[0].text and document.audience == "staff"
    finally:
        loader.close()


def test_time_budget_kills_a_slow_document_then_recovers(text_file):
    loader = BoundedLoader(LoadBudget(timeout_s=1.0), target=f"{TARGETS}:slow")
    try:
        started = time.perf_counter()
        with pytest.raises(LoadError) as slow:
            loader(text_file)
        assert time.perf_counter() - started < 15  # 1 s budget + the worker's start-up
        assert "1 s" in str(slow.value)
        assert not loader.worker_alive()
    finally:
        loader.close()


def test_memory_cap_fails_the_document_not_the_indexer(text_file):
    loader = BoundedLoader(LoadBudget(memory_mb=512), target=f"{TARGETS}:hog")
    try:
        with pytest.raises(LoadError) as hog:
            loader(text_file)
        assert "bộ nhớ" in str(hog.value) and "memory" in str(hog.value)
    finally:
        loader.close()


def test_crashed_worker_reported_and_replaced(text_file):
    loader = BoundedLoader(LoadBudget(), target=f"{TARGETS}:crash")
    try:
        with pytest.raises(LoadError) as crashed:
            loader(text_file)
        assert "thong-bao.txt" in str(crashed.value)
    finally:
        loader.close()


def test_interrupt_cancels_the_current_document(text_file):
    loader = BoundedLoader(LoadBudget(timeout_s=60), target=f"{TARGETS}:slow")
    errors: list[Exception] = []

    def run() -> None:
        try:
            loader(text_file)
        except LoadError as exc:
            errors.append(exc)

    worker = threading.Thread(target=run)
    worker.start()
    time.sleep(3)  # the worker process has started and is "reading"
    started = time.perf_counter()
    loader.interrupt()
    worker.join(10)
    loader.close()
    assert time.perf_counter() - started < 2
    assert errors and "hủy" in str(errors[0])


def test_close_stops_the_worker(text_file):
    loader = BoundedLoader(LoadBudget())
    loader(text_file)
    assert loader.worker_alive()
    loader.close()
    assert not loader.worker_alive()
