"""Splitting one unit (an article, a preamble, a page) into pieces that fit the window: the
whole unit if it fits, else its Khoản, then Điểm, then sentence groups; tiny neighbouring
pieces are merged back when the result still fits."""

from __future__ import annotations

from dataclasses import dataclass

from indexing.chunking.blocks import Block, parse_blocks
from indexing.chunking.budget import TokenBudget
from indexing.chunking.header import ContextHeader
from indexing.chunking.packing import Segment, join_segments, line_segments, pack_segments
from indexing.chunking.structure import Line


@dataclass
class Piece:
    segments: list[Segment]
    labels: tuple[str, ...]  # below the article, e.g. ("Khoản 2", "Điểm a")
    lead: str = ""  # the clause/article lead-in the piece's points depend on ("Hồ sơ gồm:")
    tokens: int = 0  # estimated tokens of the text (decides which pieces count as tiny)

    @property
    def text(self) -> str:
        return join_segments(self.segments)


def group_text(pieces: list[Piece]) -> str:
    """Adjacent pieces rejoined with their own separators (a sentence split mid-line rejoins
    with a space, separate lines with a newline)."""
    return join_segments([s for p in pieces for s in p.segments])


def common_lead(pieces: list[Piece]) -> str:
    leads = {p.lead for p in pieces}
    return leads.pop() if len(leads) == 1 else ""


def label_range(pieces: list[Piece]) -> tuple[str, ...]:
    """The path below the article covered by adjacent pieces: ("Khoản 1–3",), ("Khoản 2",
    "Điểm a–c"), or the common part when one label contains the other."""
    labelled = [p.labels for p in pieces if p.labels]
    if not labelled:
        return ()
    first, last = labelled[0], labelled[-1]
    k = 0
    while k < min(len(first), len(last)) and first[k] == last[k]:
        k += 1
    if k == len(first) or k == len(last):
        return first[:k]
    kind_a, _, num_a = first[k].partition(" ")
    kind_b, _, num_b = last[k].partition(" ")
    joined = f"{kind_a} {num_a}–{num_b}" if kind_a == kind_b else f"{first[k]}–{last[k]}"
    return first[:k] + (joined,)


def _segments(lines: list[Line]) -> list[Segment]:
    return line_segments([(line.text, line.page) for line in lines])


class UnitSplitter:
    def __init__(self, budget: TokenBudget, header: ContextHeader, min_tokens: int) -> None:
        self.budget = budget
        self.header = header
        self.min_tokens = min_tokens  # smaller pieces are merged into a neighbour
        self.lead_tokens = budget.max_tokens // 5  # longest lead-in repeated as context

    def split(self, lines: list[Line], has_clauses: bool) -> list[list[Piece]]:
        """Groups of adjacent pieces; each group becomes one chunk."""
        if has_clauses:
            pieces = self._block_pieces(parse_blocks(lines), (), "")
        else:
            pieces = self._leaf(_segments(lines), (), "")
        return self._merge_small(pieces)

    def _block_pieces(self, block: Block, labels: tuple[str, ...], lead: str) -> list[Piece]:
        segments = _segments(block.all_lines())
        tokens = self.header.window(labels, lead).fit_tokens(segments, join_segments(segments))
        if tokens is not None:
            return [Piece(segments, labels, lead, tokens)]
        if not block.children:
            return self._leaf(segments, labels, lead)
        pieces: list[Piece] = []
        child_lead = lead
        own = _segments(block.lines)
        if own:
            pieces.extend(self._leaf(own, labels, lead))
            if self.budget.estimate(own) <= self.lead_tokens:
                child_lead = join_segments(own)
        for child in block.children:
            pieces.extend(self._block_pieces(child, labels + (child.label,), child_lead))
        return pieces

    def _leaf(self, segments: list[Segment], labels: tuple[str, ...], lead: str) -> list[Piece]:
        groups = pack_segments(segments, self.header.window(labels, lead))
        return [Piece(g, labels, lead, self.budget.estimate(g)) for g in groups]

    def _merge_small(self, pieces: list[Piece]) -> list[list[Piece]]:
        """Merge tiny pieces into a neighbour while the estimate says the result fits; each
        merged group is then counted once, and split back into its (verified) pieces in the
        rare case the exact count disagrees."""
        groups: list[list[Piece]] = []
        for piece in pieces:
            if groups and (self._small([piece]) or self._small(groups[-1])):
                candidate = groups[-1] + [piece]
                window = self.header.window(label_range(candidate), common_lead(candidate))
                if sum(p.tokens for p in candidate) <= window.room:
                    groups[-1] = candidate
                    continue
            groups.append([piece])
        verified: list[list[Piece]] = []
        for group in groups:
            window = self.header.window(label_range(group), common_lead(group))
            if len(group) == 1 or window.fits(group_text(group)):
                verified.append(group)
            else:
                verified.extend([p] for p in group)
        return verified

    def _small(self, pieces: list[Piece]) -> bool:
        return sum(p.tokens for p in pieces) < self.min_tokens
