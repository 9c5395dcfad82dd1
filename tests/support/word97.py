"""A minimal Word 97-2003 (.doc) writer for test fixtures: an OLE2 compound file holding a
`WordDocument` stream (FIB + the text as UTF-16) and a `1Table` stream (the piece table).
Enough for antiword and catdoc to read the text; no styles, fonts or formatting."""

from __future__ import annotations

import struct
from pathlib import Path

SECTOR = 512
FREE, END, FATSECT, NOSTREAM = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF
MIN_STREAM = 4096  # streams at least this long live in normal sectors (no mini stream needed)
_TEXT_OFFSET = 0x800  # where the text starts inside WordDocument


def _fib(ccp_text: int, clx: tuple[int, int], stsh: tuple[int, int], cb_mac: int) -> bytes:
    flags = 1 << 9  # fWhichTblStm: the piece table is in "1Table"
    # The last two fields are the historical fcMin/fcMac (text start and end) readers still use.
    base = struct.pack(
        "<HHHHHHHIBBHHII", 0xA5EC, 0x00C1, 0, 0x042A, 0, flags, 0x00BF, 0, 0, 0, 0, 0,
        _TEXT_OFFSET, cb_mac,
    )
    rg_w = struct.pack("<H", 14) + bytes(28)
    lw = [0] * 22
    lw[0], lw[3] = cb_mac, ccp_text
    rg_lw = struct.pack("<H", 22) + struct.pack("<22I", *lw)
    pairs = [0] * (93 * 2)
    pairs[0:4] = [*stsh, *stsh]  # fcStshfOrig/lcbStshfOrig, fcStshf/lcbStshf
    pairs[33 * 2 : 33 * 2 + 2] = clx  # fcClx / lcbClx
    rg_fclcb = struct.pack("<H", 93) + struct.pack(f"<{len(pairs)}I", *pairs)
    return base + rg_w + rg_lw + rg_fclcb + struct.pack("<H", 0)


def _streams(paragraphs: list[str]) -> tuple[bytes, bytes]:
    text = "".join(p.replace("\n", " ") + "\r" for p in paragraphs)
    encoded = text.encode("utf-16-le")
    # One piece, uncompressed (UTF-16): CPs 0..len(text) at byte offset _TEXT_OFFSET.
    plc = struct.pack("<II", 0, len(text)) + struct.pack("<HIH", 0, _TEXT_OFFSET, 0)
    clx = b"\x02" + struct.pack("<I", len(plc)) + plc
    # A stylesheet with one empty style slot: readers expect its header to be there.
    stshi = struct.pack("<HHHHHH3H", 1, 10, 0, 0x5B, 15, 0, 0, 0, 0)
    stsh = struct.pack("<H", len(stshi)) + stshi + struct.pack("<H", 0)
    table = (clx + stsh).ljust(MIN_STREAM, b"\0")
    end = _TEXT_OFFSET + len(encoded)
    fib = _fib(len(text), (0, len(clx)), (len(clx), len(stsh)), end)
    word = (fib.ljust(_TEXT_OFFSET, b"\0") + encoded).ljust(max(MIN_STREAM, end), b"\0")
    return word, table


def _dir_entry(name: str, kind: int, left: int, right: int, child: int, start: int, size: int) -> bytes:
    encoded = (name + "\0").encode("utf-16-le") if name else b""
    return (
        encoded.ljust(64, b"\0")
        + struct.pack("<HBBIII", len(encoded), kind, 1, left, right, child)
        + bytes(16 + 4 + 16)
        + struct.pack("<IQ", start, size)
    )


def _pad(data: bytes) -> bytes:
    return data + bytes(-len(data) % SECTOR)


def write_doc(paragraphs: list[str], out: Path) -> Path:
    """Write `paragraphs` (one Word paragraph each) as a .doc file."""
    word, table = _streams(paragraphs)
    word_sectors, table_sectors = len(_pad(word)) // SECTOR, len(_pad(table)) // SECTOR
    # Sector 0: the FAT, 1: the directory, 2: the mini FAT, 3: a one-block mini stream (empty
    # but present: readers allocate their small-block tables from its size).
    fat = [FATSECT, END, END, END]
    word_start = len(fat)
    fat += [word_start + i + 1 for i in range(word_sectors - 1)] + [END]
    table_start = len(fat)
    fat += [table_start + i + 1 for i in range(table_sectors - 1)] + [END]
    assert len(fat) <= SECTOR // 4, "fixture too large for one FAT sector"
    fat_bytes = struct.pack(f"<{SECTOR // 4}I", *(fat + [FREE] * (SECTOR // 4 - len(fat))))
    directory = (
        _dir_entry("Root Entry", 5, NOSTREAM, NOSTREAM, 1, 3, 64)
        + _dir_entry("WordDocument", 2, 2, NOSTREAM, NOSTREAM, word_start, len(word))
        + _dir_entry("1Table", 2, NOSTREAM, NOSTREAM, NOSTREAM, table_start, len(table))
        + _dir_entry("", 0, NOSTREAM, NOSTREAM, NOSTREAM, 0, 0)
    )
    header = (
        bytes.fromhex("D0CF11E0A1B11AE1")
        + bytes(16)
        + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6)
        + bytes(6)
        + struct.pack("<IIIIIIIII", 0, 1, 1, 0, MIN_STREAM, 2, 1, END, 0)
        + struct.pack("<109I", 0, *([FREE] * 108))
    )
    mini_fat = struct.pack(f"<{SECTOR // 4}I", END, *([FREE] * (SECTOR // 4 - 1)))
    body = fat_bytes + directory + mini_fat + bytes(SECTOR) + _pad(word) + _pad(table)
    out.write_bytes(header + body)
    return out
