"""Tesseract's words laid out as page text: words outside tables keep Tesseract's lines and
reading order; words inside a ruled table (`indexing.loaders.ruled_tables`) go to their cell,
and each table is written as "column: value" rows (`indexing.loaders.tables`) where it stands
on the page."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from indexing.loaders.table_grid import CellGrid
from indexing.loaders.tables import table_lines


@dataclass(frozen=True)
class Word:
    text: str
    conf: float  # 0..100
    line: tuple[int, int, int]  # Tesseract's (block, paragraph, line)
    left: int
    top: int
    width: int
    height: int

    @property
    def centre(self) -> tuple[float, float]:
        return self.left + self.width / 2, self.top + self.height / 2


_BOX = ("left", "top", "width", "height")


def read_words(data: dict[str, list[Any]]) -> list[Word]:
    """The recognised words of pytesseract's `image_to_data(output_type=DICT)`."""
    words = []
    for i, text in enumerate(data["text"]):
        text = (text or "").strip()
        conf = float(data["conf"][i])
        if not text or conf < 0:
            continue
        key = (int(data["block_num"][i]), int(data["par_num"][i]), int(data["line_num"][i]))
        box = (int(data[k][i]) if k in data else 0 for k in _BOX)
        words.append(Word(text, conf, key, *box))
    return words


def cell_text(words: list[Word]) -> str:
    """A cell's words in reading order: visual lines top to bottom, words left to right."""
    lines: list[list[Word]] = []
    for word in sorted(words, key=lambda w: w.top):
        if lines and word.centre[1] <= max(w.top + w.height for w in lines[-1]):
            lines[-1].append(word)
        else:
            lines.append([word])
    return " ".join(w.text for line in lines for w in sorted(line, key=lambda w: w.left))


def table_text(grid: CellGrid, words: list[Word]) -> str:
    cells: dict[tuple[int, int], list[Word]] = {}
    for word in words:
        cells.setdefault(grid.cell_at(*word.centre), []).append(word)
    rows, cols = grid.shape
    grid_rows = [[cell_text(cells.get((i, j), [])) for j in range(cols)] for i in range(rows)]
    return "\n".join(table_lines(grid_rows))


def page_text(words: Sequence[Word], grids: Sequence[CellGrid] = ()) -> str:
    """Lines in Tesseract's reading order; each table's rows before the first line below its
    top edge."""
    lines: dict[tuple[int, int, int], list[Word]] = {}
    in_table: list[list[Word]] = [[] for _ in grids]
    for word in words:
        grid = next((k for k, g in enumerate(grids) if g.contains(*word.centre)), None)
        if grid is None:
            lines.setdefault(word.line, []).append(word)
        else:
            in_table[grid].append(word)
    placed = [(min(w.top for w in ws), " ".join(w.text for w in ws)) for ws in lines.values()]
    out = [text for _, text in placed]
    slots = [
        (next((n for n, (top, _) in enumerate(placed) if top >= g.ys[0]), len(placed)), g.ys[0], k)
        for k, g in enumerate(grids)
    ]
    for at, _, k in sorted(slots, reverse=True):  # from the end, so earlier slots stay valid
        out.insert(at, table_text(grids[k], in_table[k]))
    return "\n".join(text for text in out if text)
