"""Ruled tables in a scanned page image, found from the image alone (numpy + Pillow): the page
is deskewed, long horizontal and vertical rules are found as windows of nearly solid ink, rules
that cross make a cell grid (`indexing.loaders.table_grid`), and the table's rules are erased
(and its speckle removed) so Tesseract reads only the text. Pillow and numpy types stay here
and in `indexing.loaders.ocr`; the grid is plain numbers."""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from indexing.loaders.table_grid import CellGrid, Rule, build_grids

log = logging.getLogger(__name__)

SOLID = 0.9  # share of ink in a window for it to be a rule, not text (letters leave gaps)
H_RULE_SHARE = 1 / 12  # shortest horizontal rule, as a share of the page width (~2 cm on A4)
V_RULE_SHARE = 1 / 30  # shortest vertical rule (~7 mm): taller than any letter up to ~24 pt
BAND_PX = 1  # rows (columns) either side a rule may wander: thin, broken or slightly skewed rules
MAX_SKEW = 3.0  # degrees searched when straightening the page
MIN_SKEW = 0.15  # below this the page is read as it is


@dataclass
class RuledPage:
    """What Tesseract should read (straightened, rules erased) and the tables found on it."""

    image: Any  # PIL.Image.Image
    grids: list[CellGrid]


def ink_threshold(histogram: list[int]) -> int:
    """Half way between Otsu's threshold and the paper's grey level: thin or blurred rules come
    out grey, and must still count as ink. Otsu's threshold is kept between 100 and 200 so a
    blank page stays blank."""
    hist = np.asarray(histogram[:256], dtype=np.float64)
    levels = np.arange(256)
    weight = np.cumsum(hist)
    mean = np.cumsum(hist * levels)
    total, total_mean = weight[-1], mean[-1]
    between = (total_mean * weight - mean * total) ** 2 / np.maximum(weight * (total - weight), 1)
    otsu = min(max(int(np.argmax(between)), 100), 200)
    paper = otsu + int(np.argmax(hist[otsu:]))
    return (otsu + paper) // 2


def half_ink(gray_image: Any) -> np.ndarray:
    """Dark pixels at half resolution, a 2x2 block dark when any of its pixels is (thin rules
    survive): rules are searched at this scale, four times fewer pixels."""
    ink = np.asarray(gray_image) < ink_threshold(gray_image.histogram())
    h, w = (ink.shape[0] // 2) * 2, (ink.shape[1] // 2) * 2
    return ink[0:h:2, 0:w:2] | ink[1:h:2, 0:w:2] | ink[0:h:2, 1:w:2] | ink[1:h:2, 1:w:2]


def estimate_skew(ink: np.ndarray, step: float = 0.1) -> float:
    """The page's tilt in degrees (counter-clockwise positive, as `Image.rotate` takes it): the
    angle at which ink projected on rows gives the sharpest profile (text lines and rules)."""
    h, w = (ink.shape[0] // 2) * 2, (ink.shape[1] // 2) * 2
    small = ink[:h, :w].reshape(h // 2, 2, w // 2, 2).any(axis=(1, 3))
    ys, xs = np.nonzero(small)
    if len(ys) < 200:
        return 0.0

    def sharpness(angle: float) -> float:
        rows = np.rint(ys + xs * math.tan(math.radians(angle))).astype(np.int64)
        hist = np.bincount(rows - rows.min()).astype(np.float64)
        return float((hist * hist).sum())

    coarse = max(np.arange(-MAX_SKEW, MAX_SKEW + step / 2, step), key=sharpness)
    fine = np.arange(coarse - step, coarse + step + 0.01, step / 5)
    return round(float(max(fine, key=sharpness)), 2)


def _solid_runs(ink: np.ndarray, length: int) -> np.ndarray:
    """Per row, pixels inside a window of `length` that is at least SOLID ink, the rows widened
    by BAND_PX either side."""
    band = ink.copy()
    band[BAND_PX:] |= ink[:-BAND_PX]
    band[:-BAND_PX] |= ink[BAND_PX:]
    sums = np.zeros((ink.shape[0], ink.shape[1] + 1), dtype=np.int32)
    np.cumsum(band, axis=1, dtype=np.int32, out=sums[:, 1:])
    solid = (sums[:, length:] - sums[:, :-length]) >= SOLID * length  # window starting at x
    starts = np.zeros((ink.shape[0], ink.shape[1] + 1), dtype=np.int32)
    np.cumsum(np.pad(solid, ((0, 0), (0, length - 1))), axis=1, dtype=np.int32, out=starts[:, 1:])
    covered = np.zeros(ink.shape, dtype=bool)
    covered[:, length - 1 :] = (starts[:, length:] - starts[:, :-length]) > 0
    covered[:, : length - 1] = starts[:, 1:length] > 0
    return covered


def _intervals(flags: np.ndarray, gap: int) -> list[tuple[int, int]]:
    """[start, end] of the runs of True, runs closer than `gap` joined."""
    idx = np.flatnonzero(flags)
    if not len(idx):
        return []
    breaks = np.flatnonzero(np.diff(idx) > gap)
    starts = np.concatenate(([idx[0]], idx[breaks + 1]))
    ends = np.concatenate((idx[breaks], [idx[-1]]))
    return [(int(s), int(e)) for s, e in zip(starts, ends)]


def find_rules(ink: np.ndarray, length: int) -> list[Rule]:
    """Horizontal rules at least `length` long (pass `ink.T` for vertical ones)."""
    covered = _solid_runs(ink, length)
    rules = []
    for top, bottom in _intervals(covered.any(axis=1), gap=2):
        for start, end in _intervals(covered[top : bottom + 1].any(axis=0), gap=BAND_PX * 8):
            if end - start + 1 >= length:
                rules.append(Rule((top + bottom) // 2, start, end))
    return rules


def _erase(gray: np.ndarray, hs: list[Rule], vs: list[Rule], pad: int) -> np.ndarray:
    out = gray.copy()
    for r in hs:
        out[max(r.at - pad, 0) : r.at + pad + 1, r.start : r.end + 1] = 255
    for r in vs:
        out[r.start : r.end + 1, max(r.at - pad, 0) : r.at + pad + 1] = 255
    return out


def _despeckle(image: Any, grids: list[CellGrid]) -> Any:
    """A 3x3 median inside the tables: scanner speckle in a cell reads as stray punctuation
    ("-", "_", ".") glued to the values; strokes of 300 dpi text are wider than the filter."""
    from PIL import ImageFilter

    for g in grids:
        box = (g.xs[0], g.ys[0], g.xs[-1] + 1, g.ys[-1] + 1)
        image.paste(image.crop(box).filter(ImageFilter.MedianFilter(3)), box[:2])
    return image


def _scaled(rules: list[Rule], factor: int) -> list[Rule]:
    return [Rule(r.at * factor, r.start * factor, r.end * factor + factor - 1) for r in rules]


def find_ruled_tables(image: Any) -> RuledPage | None:
    """The page straightened with its rules erased and its tables, or None when the page holds
    no ruled table (the caller then reads the image as it is)."""
    from PIL import Image

    gray_image = image.convert("L")
    ink = half_ink(gray_image)
    angle = estimate_skew(ink)
    straighten = abs(angle) >= MIN_SKEW
    if straighten:  # the small mask first: the full page is turned only when it has a table
        mask = Image.fromarray(ink.astype(np.uint8) * 255)
        ink = np.asarray(mask.rotate(-angle, resample=Image.Resampling.NEAREST, fillcolor=0)) > 0
    width = ink.shape[1]
    hs = find_rules(ink, max(10, round(width * H_RULE_SHARE)))
    vs = find_rules(ink.T, max(5, round(width * V_RULE_SHARE))) if hs else []
    tol = max(2, width // 250)  # ~5 px at 150 dpi: rule thickness plus blur
    grids = build_grids(hs, vs, tol) if vs else []
    if not grids:
        return None
    log.debug("ruled tables found", extra={"tables": len(grids), "skew": angle})
    if straighten:
        gray_image = gray_image.rotate(-angle, resample=Image.Resampling.BILINEAR, fillcolor=255)
    hs = [r for g in grids for r in g.rules[0]]
    vs = [r for g in grids for r in g.rules[1]]
    for grid in grids:
        grid.scale(2)
    pad = tol + 2 * BAND_PX + 2
    cleaned = _erase(np.asarray(gray_image), _scaled(hs, 2), _scaled(vs, 2), pad=pad)
    return RuledPage(image=_despeckle(Image.fromarray(cleaned), grids), grids=grids)
