"""A ruled table's cell grid from its rules (plain numbers, no image): rules that cross are
grouped into tables, each rule must run between two crossing rules, row and column boundaries
are the rules' positions, and a missing rule between two cells merges them. Built by
`indexing.loaders.ruled_tables` from a scanned page; read by `indexing.loaders.ocr_layout`."""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass, field
from typing import Any


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
    rules: tuple[list[Rule], list[Rule]] = field(default_factory=lambda: ([], []))  # h, v

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
        row = min(max(bisect_left(self.ys, y) - 1, 0), len(self.ys) - 2)
        col = min(max(bisect_left(self.xs, x) - 1, 0), len(self.xs) - 2)
        return self.owner.get((row, col), (row, col))


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
