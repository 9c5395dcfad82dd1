"""ONNX export: built once, verified, reused, rebuilt when damaged, refused when it drifts.
The bookkeeping runs on a fake exporter; the last tests export the real prepared model."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from indexing.embedding import onnx_backend
from indexing.embedding.checksums import CHECKSUM_FILE, read_metadata, write_checksums
from indexing.embedding.onnx_backend import (
    MIN_ONNX_COSINE,
    ONNX_DIRNAME,
    ONNX_FILENAME,
    OPSET,
    REFUSAL_FILE,
    OnnxAgreement,
    OnnxRefused,
    compare_with_torch,
    ensure_onnx_model,
    onnx_problems,
)
from indexing.embedding.onnx_runtime import mean_pool_normalise


class FakeExport:
    """Stands in for the slow exporter and the torch comparison."""

    def __init__(self, min_cosine: float = 1.0, fail_with: BaseException | None = None):
        self.calls = 0
        self.min_cosine = min_cosine
        self.fail_with = fail_with

    def export(self, model_dir: Path, destination: Path) -> None:
        self.calls += 1
        if self.fail_with is not None:
            raise self.fail_with
        destination.write_bytes(b"onnx graph" * 100)

    def compare(self, model_dir: Path, onnx_path: Path) -> OnnxAgreement:
        assert onnx_path.is_file()  # verified before it is moved into place
        return OnnxAgreement(21, self.min_cosine, self.min_cosine, 0, True)


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> FakeExport:
    export = FakeExport()
    monkeypatch.setattr(onnx_backend, "export_onnx", export.export)
    monkeypatch.setattr(onnx_backend, "compare_with_torch", export.compare)
    return export


@pytest.fixture
def model_dir(tmp_path: Path) -> Path:
    """A prepared model directory as prepare_model leaves it (weights + checksum manifest)."""
    folder = tmp_path / "multilingual-e5-small"
    folder.mkdir()
    (folder / "model.safetensors").write_bytes(b"weights" * 100)
    write_checksums(folder, {"format_version": 1})
    return folder


def _hidden(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.is_dir() and p.name.startswith("."))


def test_ensure_onnx_model_exports_once_and_records_verification(fake, model_dir) -> None:
    path = ensure_onnx_model(model_dir)
    assert path == model_dir / ONNX_DIRNAME / ONNX_FILENAME and path.is_file()
    meta = read_metadata(path.parent)
    assert meta["min_cosine"] == 1.0 and meta["opset"] == OPSET >= 17
    assert meta["weights_sha256"] == json.loads((model_dir / CHECKSUM_FILE).read_text())[
        "files"]["model.safetensors"]  # fmt: skip
    assert ensure_onnx_model(model_dir) == path
    assert fake.calls == 1  # reused: checksums and verification record are intact
    assert _hidden(model_dir) == []  # the temporary directory was renamed into place


def test_ensure_onnx_model_leaves_prepared_manifest_untouched(fake, model_dir) -> None:
    before = (model_dir / CHECKSUM_FILE).read_bytes()
    ensure_onnx_model(model_dir)
    assert (model_dir / CHECKSUM_FILE).read_bytes() == before


def test_ensure_onnx_model_rebuilds_damaged_export(fake, model_dir) -> None:
    path = ensure_onnx_model(model_dir)
    path.write_bytes(b"truncated")
    assert any("checksum" in problem for problem in onnx_problems(model_dir))
    assert ensure_onnx_model(model_dir) == path and fake.calls == 2
    assert onnx_problems(model_dir) == []


def test_ensure_onnx_model_reexports_when_weights_change(fake, model_dir) -> None:
    ensure_onnx_model(model_dir)
    (model_dir / "model.safetensors").write_bytes(b"other weights")
    write_checksums(model_dir, {"format_version": 1})  # as a fresh prepare_model would
    assert any("other weights" in problem for problem in onnx_problems(model_dir))
    ensure_onnx_model(model_dir)
    assert fake.calls == 2


def test_onnx_problems_rejects_export_without_passing_verification(fake, model_dir) -> None:
    path = ensure_onnx_model(model_dir)
    meta = read_metadata(path.parent)
    for recorded in (0.986, None, "1.0"):
        write_checksums(path.parent, {**meta, "min_cosine": recorded})
        assert any("not verified" in problem for problem in onnx_problems(model_dir))
    write_checksums(path.parent, {**meta, "format_version": 0})
    assert any("older exporter" in problem for problem in onnx_problems(model_dir))


def test_ensure_onnx_model_refuses_drifted_export_and_remembers(
    fake, model_dir, monkeypatch
) -> None:
    fake.min_cosine = 0.986
    with pytest.raises(OnnxRefused, match=r"0\.986.*torch"):
        ensure_onnx_model(model_dir)
    assert not (model_dir / ONNX_DIRNAME).exists() and _hidden(model_dir) == []
    assert json.loads((model_dir / REFUSAL_FILE).read_text())["min_cosine"] == 0.986
    with pytest.raises(OnnxRefused, match="refused before"):
        ensure_onnx_model(model_dir)
    assert fake.calls == 1  # not exported again with the same library versions
    versions = onnx_backend._versions()
    monkeypatch.setattr(onnx_backend, "_versions", lambda: {**versions, "onnxruntime": "9.9"})
    fake.min_cosine = 1.0
    assert ensure_onnx_model(model_dir).is_file() and fake.calls == 2


def test_ensure_onnx_model_turns_export_crash_into_refusal(fake, model_dir) -> None:
    fake.fail_with = RuntimeError("Module onnx is not installed!")
    with pytest.raises(OnnxRefused, match="onnx is not installed"):
        ensure_onnx_model(model_dir)
    assert not (model_dir / ONNX_DIRNAME).exists() and _hidden(model_dir) == []
    assert not (model_dir / REFUSAL_FILE).exists()  # a crash may be transient: retried later
    with pytest.raises(OnnxRefused):
        ensure_onnx_model(model_dir)
    assert fake.calls == 2


@pytest.mark.parametrize(
    ("agreement", "ok"),
    [
        (OnnxAgreement(21, MIN_ONNX_COSINE, 1.0, 0, True), True),
        (OnnxAgreement(21, 0.99989, 1.0, 0, True), False),
        (OnnxAgreement(21, 1.0, 1.0, 1, True), False),
        (OnnxAgreement(21, 1.0, 1.0, 0, False), False),
    ],
)
def test_onnx_agreement_needs_every_sample_at_0_9999(agreement, ok) -> None:
    assert agreement.ok is ok


def test_mean_pool_normalise_leaves_padding_out() -> None:
    rng = np.random.default_rng(0)
    hidden = rng.normal(size=(2, 5, 3)).astype(np.float32)
    mask = np.array([[1, 1, 1, 1, 1], [1, 1, 0, 0, 0]])
    pooled = mean_pool_normalise(hidden, mask)
    expected = hidden[1, :2].mean(axis=0)
    np.testing.assert_allclose(pooled[1], expected / np.linalg.norm(expected), rtol=1e-5)
    np.testing.assert_allclose(np.linalg.norm(pooled, axis=1), 1.0, rtol=1e-6)
    hidden[1, 2:] = 1000.0  # whatever the model says at padded positions changes nothing
    np.testing.assert_allclose(mean_pool_normalise(hidden, mask), pooled, rtol=1e-6)


# --- the real prepared model -----------------------------------------------------------------
@pytest.mark.slow
def test_onnx_export_of_prepared_model_matches_torch(prepared_model_dir: Path) -> None:
    path = ensure_onnx_model(prepared_model_dir)  # exported once, reused afterwards
    assert onnx_problems(prepared_model_dir) == []
    agreement = compare_with_torch(prepared_model_dir, path)
    assert agreement.ok, agreement
    assert agreement.min_cosine >= MIN_ONNX_COSINE and agreement.token_count_mismatches == 0
    assert agreement.samples == 21  # verify.py's sample plus one text past 512 tokens


@pytest.mark.slow
def test_onnx_export_of_prepared_model_has_dynamic_int64_inputs(prepared_model_dir: Path) -> None:
    import onnx

    model = onnx.load(str(ensure_onnx_model(prepared_model_dir)))
    assert max(o.version for o in model.opset_import if o.domain in ("", "ai.onnx")) >= 17
    inputs = {i.name: i.type.tensor_type for i in model.graph.input}
    assert sorted(inputs) == ["attention_mask", "input_ids"]
    for tensor in inputs.values():
        assert tensor.elem_type == onnx.TensorProto.INT64
        assert [d.dim_param for d in tensor.shape.dim] == ["batch", "sequence"]
    assert [o.name for o in model.graph.output] == ["last_hidden_state"]
    weights = [t for t in model.graph.initializer if t.data_type == onnx.TensorProto.FLOAT]
    assert sum(np.prod(t.dims) for t in weights) > 100_000_000  # fp32, nothing quantised
