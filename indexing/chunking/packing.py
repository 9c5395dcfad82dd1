"""Token-bounded packing: group text segments into pieces that each fit the embedder's window.

Segments are packed greedily in order. A segment too long to fit on its own is split one level
finer (line → sentences → words → characters) and packed again, so no piece is ever truncated
and none exceeds the window. The caller's `Window` decides, with its own header around the text,
so the guarantee holds for the final embed text, not an estimate.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from assistant.core.errors import ConfigError
from indexing.chunking.budget import Window

# A sentence ends at . ! ? ; followed by whitespace (legal lists end items with ";").
_SENTENCE_END = re.compile(r"(?<=[.!?;])\s+(?=\S)")


@dataclass(frozen=True)
class Segment:
    """A piece of text, the page it starts on, and the separator placed before it when it is
    joined after another segment ("\\n" between lines, " " between sentences/words, "" chars)."""

    text: str
    page: int | None = None
    sep: str = "\n"


def join_segments(segments: Sequence[Segment]) -> str:
    return "".join((s.sep if i else "") + s.text for i, s in enumerate(segments))


def line_segments(lines: Sequence[tuple[str, int | None]]) -> list[Segment]:
    """One segment per non-empty line."""
    return [Segment(text, page, "\n") for text, page in lines if text.strip()]


def split_sentences(segment: Segment) -> list[Segment]:
    """Split a line into sentences; fragments of one or two words (e.g. "1.") stay attached to
    the next sentence so a boundary never separates a number from its text."""
    parts = [p for p in _SENTENCE_END.split(segment.text) if p]
    merged: list[str] = []
    carry = ""
    for index, part in enumerate(parts):
        text = f"{carry} {part}" if carry else part
        if len(text.split()) <= 2 and index < len(parts) - 1:
            carry = text
            continue
        merged.append(text)
        carry = ""
    return _as_segments(merged or [segment.text], segment, " ")


def _split_words(segment: Segment) -> list[Segment]:
    return _as_segments(segment.text.split(" "), segment, " ")


def _split_chars(segment: Segment) -> list[Segment]:
    return _as_segments(list(segment.text), segment, "")


def _as_segments(parts: Sequence[str], origin: Segment, sep: str) -> list[Segment]:
    out = [replace(origin, text=p, sep=sep) for p in parts if p]
    if out:
        out[0] = replace(out[0], sep=origin.sep)
    return out


_FINER: tuple[Callable[[Segment], list[Segment]], ...] = (
    split_sentences,
    _split_words,
    _split_chars,
)


def largest_prefix(n: int, fits_prefix: Callable[[int], bool]) -> int:
    """Largest k in [1, n] with fits_prefix(k) (assumed monotone), or 0 if k=1 does not fit.
    Galloping then bisection: O(log k) calls, each on at most about twice the fitting text."""
    if n <= 0 or not fits_prefix(1):
        return 0
    lo, step = 1, 1
    while lo < n:
        hi = min(n, lo + step)
        if not fits_prefix(hi):
            break
        lo, step = hi, step * 2
    else:
        return n
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if fits_prefix(mid):
            lo = mid
        else:
            hi = mid
    return lo


def pack_segments(
    segments: Sequence[Segment], window: Window, level: int = 0
) -> list[list[Segment]]:
    """Greedy in-order packing; every returned group satisfies `window.fits(join(group))`.

    The group size is first predicted from cached per-segment costs, then verified with one
    exact count (bisection below the prediction when it was optimistic). Raises ConfigError
    when even one character does not fit (the window is smaller than the context header)."""
    costs = [window.budget.cost(s.text) for s in segments]
    groups: list[list[Segment]] = []
    i = 0
    while i < len(segments):
        predicted, total = 0, 0
        while i + predicted < len(segments) and total + costs[i + predicted] <= window.room:
            total += costs[i + predicted]
            predicted += 1

        def fits_prefix(k: int) -> bool:
            return window.fits(join_segments(segments[i : i + k]))

        if predicted and fits_prefix(predicted):
            k = predicted
        else:
            k = largest_prefix(max(predicted - 1, 1), fits_prefix)
        if k:
            groups.append(list(segments[i : i + k]))
            i += k
            continue
        if level >= len(_FINER):
            raise ConfigError(
                "Cửa sổ token của mô hình nhúng quá nhỏ, không chứa nổi một ký tự cùng phần ngữ "
                f"cảnh (đoạn bắt đầu: {segments[i].text[:40]!r}). / The embedder's token window "
                "is too small to hold a single character with its context header."
            )
        groups.extend(pack_segments(_FINER[level](segments[i]), window, level + 1))
        i += 1
    return groups
