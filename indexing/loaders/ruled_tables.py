"""Ruled tables in a scanned page image, found from the image alone (numpy + Pillow): the page
is deskewed, long horizontal and vertical rules are found as windows of nearly solid ink, rules
that cross make a cell grid (a missing rule between two cells merges them), and the rules are
erased so Tesseract reads only the text. Pillow and numpy types stay in this module and
`indexing.loaders.ocr`; the grid is plain numbers."""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

log = logging.getLogger(__name__)

SOLID = 0.9  # share of ink in a window for it to be a rule, not text (letters leave gaps)
H_RULE_SHARE = 1 / 12  # shortest horizontal rule, as a share of the page width (~2 cm on A4)
V_RULE_SHARE = 1 / 30  # shortest vertical rule (~7 mm): taller than any letter up to ~24 pt
BAND_PX = 1  # rows (columns) either side a rule may wander: thin, broken or slightly skewed rules
MAX_SKEW = 3.0  # degrees searched when straightening the page
MIN_SKEW = 0.15  # below this the page is read as it is


@dataclass(frozen=True)
class Rule:
    at: int  # y of a horizontal rule, x of a vertical one
    start: int
    end: int

    def covers(self, value: float, tol: int) -> bool:
        return self.start - tol <= value <= self.end + tol


@dataclass
class CellGrid:
    """A table's rules: row boundaries `ys`, column boundaries `xs`, and for each cell the cell
    it is merged into (the top-left one of a merged block)."""

    ys: list[int]
    xs: list[int]
    owner: dict[tuple[int, int], tuple[int, int]] = field(default_factory=dict)
    rules: tuple[list[Rule], list[Rule]] = ([], [])  # its horizontal and vertical rules

    @property
    def shape(self) -> tuple[int, int]:
        return len(self.ys) - 1, len(self.xs) - 1

    def scale(self, factor: int) -> None:
        """Boundaries in pixels of an image `factor` times larger (rules stay as found)."""
        self.ys = [y * factor for y in self.ys]
        self.xs = [x * factor for x in self.xs]

    def contains(self, x: float, y: float) -> bool:
        return self.xs[0] <= x <= self.xs[-1] and self.ys[0] <= y <= self.ys[-1]

    def cell_at(self, x: float, y: float) -> tuple[int, int]:
        row = min(max(int(np.searchsorted(self.ys, y)) - 1, 0), len(self.ys) - 2)
        col = min(max(int(np.searchsorted(self.xs, x)) - 1, 0), len(self.xs) - 2)
        return self.owner.get((row, col), (row, col))


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


def _clusters(values: list[int], tol: int) -> list[int]:
    values = sorted(values)
    groups: list[list[int]] = []
    for v in values:
        if groups and v - groups[-1][-1] <= tol:
            groups[-1].append(v)
        else:
            groups.append([v])
    return [round(sum(g) / len(g)) for g in groups]


class _Union:
    def __init__(self) -> None:
        self.parent: dict[Any, Any] = {}

    def find(self, a: Any) -> Any:
        self.parent.setdefault(a, a)
        while self.parent[a] != a:
            self.parent[a] = self.parent[self.parent[a]]
            a = self.parent[a]
        return a

    def join(self, a: Any, b: Any) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def _grid(hs: list[Rule], vs: list[Rule], tol: int) -> CellGrid | None:
    ys, xs = _clusters([r.at for r in hs], tol), _clusters([r.at for r in vs], tol)
    if len(ys) < 3 or len(xs) < 3:  # a table of at least two rows and two columns
        return None
    grid = CellGrid(ys=ys, xs=xs, rules=(hs, vs))
    cells = _Union()
    for i in range(len(ys) - 1):
        for j in range(len(xs) - 1):
            mid_y, mid_x = (ys[i] + ys[i + 1]) / 2, (xs[j] + xs[j + 1]) / 2
            cells.find((i, j))
            if j + 2 < len(xs) and not any(
                abs(v.at - xs[j + 1]) <= tol and v.covers(mid_y, tol) for v in vs
            ):
                cells.join((i, j), (i, j + 1))
            if i + 2 < len(ys) and not any(
                abs(h.at - ys[i + 1]) <= tol and h.covers(mid_x, tol) for h in hs
            ):
                cells.join((i, j), (i + 1, j))
    grid.owner = {cell: cells.find(cell) for cell in list(cells.parent)}
    return grid


def _crossing(h: Rule, v: Rule, tol: int) -> bool:
    return h.covers(v.at, tol) and v.covers(h.at, tol)


def framed_rules(hs: list[Rule], vs: list[Rule], tol: int) -> tuple[list[Rule], list[Rule]]:
    """The rules that run between two crossing rules, as every rule of a ruled table does (a
    line of bold or blurred text that passes for solid touches one border at most)."""
    while True:
        kept_h = [h for h in hs if sum(_crossing(h, v, tol) for v in vs) >= 2]
        kept_v = [v for v in vs if sum(_crossing(h, v, tol) for h in kept_h) >= 2]
        if len(kept_h) == len(hs) and len(kept_v) == len(vs):
            return hs, vs
        hs, vs = kept_h, kept_v


def build_grids(hs: list[Rule], vs: list[Rule], tol: int) -> list[CellGrid]:
    """Rules that cross, grouped into tables; each table with at least 2 rows and 2 columns."""
    hs, vs = framed_rules(hs, vs, tol)
    links = _Union()
    for a, h in enumerate(hs):
        for b, v in enumerate(vs):
            if _crossing(h, v, tol):
                links.join(("h", a), ("v", b))
    groups: dict[Any, tuple[list[Rule], list[Rule]]] = {}
    for key in list(links.parent):
        kind, index = key
        pair = groups.setdefault(links.find(key), ([], []))
        (pair[0] if kind == "h" else pair[1]).append(hs[index] if kind == "h" else vs[index])
    grids = [_grid(h, v, tol) for h, v in groups.values()]
    return sorted((g for g in grids if g is not None), key=lambda g: g.ys[0])


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
