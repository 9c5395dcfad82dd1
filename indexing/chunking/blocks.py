"""The Khoản / Điểm tree of one article body ("1. ..." clauses, "a) ..." points).

Numbering must run in sequence (Khoản 1, 2, 3 …; Điểm a, b, c, d, đ, e, g …) for a line to
open a new clause or point: a form or a numbered list quoted inside a clause restarts at "1."
and so stays part of that clause instead of breaking the article's structure.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from indexing.chunking.structure import Line

CLAUSE = re.compile(r"^(\d{1,3})\.(?!\d)\s*\S")
POINT = re.compile(r"^([a-zđ])\)\s*\S")
# The Vietnamese legal alphabet for points: no f, j, w, z; đ after d.
POINT_LETTERS = "abcdđeghiklmnopqrstuvxy"


@dataclass
class Block:
    """The article root (label ""), a clause ("Khoản 2") or a point ("Điểm a"). `lines` are the
    block's own lines (its numbered line and continuations) before its first child."""

    label: str
    lines: list[Line] = field(default_factory=list)
    children: list[Block] = field(default_factory=list)

    def all_lines(self) -> list[Line]:
        out = list(self.lines)
        for child in self.children:
            out.extend(child.all_lines())
        return out


def _next_points(previous: str) -> set[str]:
    """Letters that may follow `previous` ("" = none yet): the legal sequence, or plain ASCII
    order for documents that write "f)" or "j)"."""
    if not previous:
        return {"a"}
    allowed = set()
    if previous in POINT_LETTERS and previous != POINT_LETTERS[-1]:
        allowed.add(POINT_LETTERS[POINT_LETTERS.index(previous) + 1])
    if previous != "đ" and previous < "z":
        allowed.add(chr(ord(previous) + 1))
    return allowed


def parse_blocks(lines: list[Line]) -> Block:
    """Build the clause/point tree of an article body."""
    root = Block("")
    clause: Block | None = None
    point: Block | None = None
    next_clause = 1
    last_point = ""
    for line in lines:
        m = CLAUSE.match(line.text)
        if m and int(m.group(1)) == next_clause:
            clause = Block(f"Khoản {next_clause}", [line])
            root.children.append(clause)
            point, last_point = None, ""
            next_clause += 1
            continue
        m = POINT.match(line.text)
        if m and m.group(1) in _next_points(last_point):
            last_point = m.group(1)
            point = Block(f"Điểm {last_point}", [line])
            (clause or root).children.append(point)
            continue
        (point or clause or root).lines.append(line)
    return root
