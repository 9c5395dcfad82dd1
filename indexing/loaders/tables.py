"""Tables as text the chunker and a reader can use: one line per row, each value with its
column name ("Thuốc: Paracetamol | Liều: 10 mg/kg"), so any chunk of rows carries its header.

The first row with two or more filled cells is the header; a row with a single filled cell (a
group title spanning the table) stays a plain line; a one-column table is a plain list.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

ROW_SEP = " | "  # not ";": sentence splitting must never cut a row


def clean_cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())


def header_names(header: Sequence[str]) -> list[str]:
    """Column names, "Cột n" where the header cell is empty."""
    return [name or f"Cột {i}" for i, name in enumerate(header, start=1)]


def render_row(names: Sequence[str], cells: Sequence[str]) -> str:
    filled = [(n, c) for n, c in zip(names, cells) if c]
    if len(filled) == 1 and sum(1 for c in cells if c) == 1 and len(names) > 2:
        return filled[0][1]  # a spanning group title
    return ROW_SEP.join(f"{n}: {c}" for n, c in filled)


def table_lines(rows: Iterable[Sequence[object]]) -> list[str]:
    """The table's rows as "column: value" lines (header row consumed)."""
    grid = [[clean_cell(c) for c in row] for row in rows]
    grid = [row for row in grid if any(row)]
    if not grid:
        return []
    width = max(len(row) for row in grid)
    if width < 2:
        return [row[0] for row in grid if row and row[0]]
    start = next((i for i, row in enumerate(grid) if sum(1 for c in row if c) >= 2), None)
    if start is None:
        return [c for row in grid for c in row if c]
    names = header_names(list(grid[start]) + [""] * (width - len(grid[start])))
    lines = [c for row in grid[:start] for c in row if c]  # a caption above the header
    for row in grid[start + 1 :]:
        line = render_row(names, list(row) + [""] * (width - len(row)))
        if line:
            lines.append(line)
    if len(lines) == len(grid[:start]):  # a header and no data row: keep the header visible
        lines.append(" | ".join(c for c in grid[start] if c))
    return lines
