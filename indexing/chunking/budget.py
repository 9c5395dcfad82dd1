"""Token budgets: exact checks against the embedder's window, plus cheap cached estimates.

Tokenising is the chunkers' main cost (the e5 tokenizer needs ~3 ms for a 440-token text). A
subword tokenizer that splits at whitespace is additive: the tokens of "A B" are the tokens of
"A" plus those of "B". So each line or sentence is counted once, sums of those counts predict a
candidate's size, and only the candidate picked is counted exactly. Every chunk is still
verified with the real counter, so a counter that is not additive only costs extra calls.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

from assistant.core.interfaces import TokenCounter


_CACHE_LIMIT = 50_000  # distinct texts remembered per budget (one budget per document)
_PROBE_CHARS_PER_TOKEN = 6  # a prefix this long (× window) that overflows proves the whole does
_CALIBRATION_CHARS = 2_000  # characters counted before the document's chars/token ratio is used
_SURELY_OVER = 1.5  # a text predicted this far over the room is split without being counted


class Segment(Protocol):
    """What a budget reads of a piece of text being packed (packing.Segment, which imports this
    module, is the one in use)."""

    @property
    def text(self) -> str: ...


class TokenBudget:
    """Wraps a TokenCounter with a per-text cost cache."""

    def __init__(self, counter: TokenCounter) -> None:
        self.counter = counter
        self.max_tokens = counter.max_tokens
        self.overhead = counter.count_tokens("")  # prompt and special tokens
        self.probe_chars = _PROBE_CHARS_PER_TOKEN * counter.max_tokens
        self._costs: dict[str, int] = {}
        self._seen_chars = 0
        self._seen_tokens = 0

    def count(self, text: str) -> int:
        """Exact tokens of a whole input, overhead included."""
        tokens = self.counter.count_tokens(text)
        self._seen_chars += len(text)
        self._seen_tokens += max(0, tokens - self.overhead)
        return tokens

    def surely_over(self, text: str, room: int) -> bool | None:
        """True when the document's chars-per-token ratio puts `text` far over `room`, False
        when it does not, None before enough text has been counted to know the ratio."""
        if self._seen_chars < _CALIBRATION_CHARS:
            return None
        return len(text) * self._seen_tokens > _SURELY_OVER * room * self._seen_chars

    def cost(self, text: str) -> int:
        """Estimated tokens `text` adds inside a longer input (overhead excluded)."""
        value = self._costs.get(text)
        if value is None:
            value = max(0, self.count(text) - self.overhead)
            if len(self._costs) >= _CACHE_LIMIT:
                self._costs.clear()
            self._costs[text] = value
        return value

    def cached(self, segments: Sequence[Segment]) -> bool:
        return all(s.text in self._costs for s in segments)

    def estimate(self, segments: Sequence[Segment]) -> int:
        return sum(self.cost(s.text) for s in segments)

    def window(self, compose: Callable[[str], str], header_parts: Sequence[str]) -> Window:
        """The room left for text once `compose` has put the header (`header_parts`) around it."""
        used = self.overhead + sum(self.cost(p) for p in header_parts if p)
        return Window(self, self.max_tokens - used, compose)


@dataclass(frozen=True)
class Window:
    """Room for text under one header: `fits` is exact, `room` an estimate used to predict."""

    budget: TokenBudget
    room: int  # estimated tokens available for the text itself
    compose: Callable[[str], str]  # header + text, as embedded

    def fits(self, text: str) -> bool:
        return self.budget.count(self.compose(text)) <= self.budget.max_tokens

    def fit_tokens(self, segments: Sequence[Segment], text: str) -> int | None:
        """The text's (estimated) tokens if it fits the window, else None. The answer "fits" is
        always an exact count; "does not fit" may come from an estimate (cached line counts,
        the document's chars-per-token ratio with a wide margin, or a prefix that already
        overflows), which spares counting long articles in full. A wrong "does not fit" only
        splits a text that could have stayed whole."""
        budget = self.budget
        if budget.cached(segments) and budget.estimate(segments) > self.room:
            return None
        over = budget.surely_over(text, self.room)
        if over:
            return None
        if over is None and len(text) > budget.probe_chars:
            prefix = text[: budget.probe_chars]
            cut = max(prefix.rfind(" "), prefix.rfind("\n"))
            if not self.fits(prefix[:cut] if cut > 0 else prefix):
                return None
        total = budget.count(self.compose(text))
        if total > budget.max_tokens:
            return None
        return max(0, total - (budget.max_tokens - self.room))
