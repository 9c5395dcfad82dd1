"""Token budgets: exact checks against the embedder's window, plus cheap cached estimates.

Tokenising is the chunkers' main cost (the e5 tokenizer needs ~1 ms for a 400-token text). A
subword tokenizer that splits at whitespace is additive: the tokens of "A B" are the tokens of
"A" plus those of "B". So each line or sentence is counted once, sums of those counts predict a
candidate's size, and only the candidate picked is counted exactly. Every chunk is still
verified with the real counter, so a counter that is not additive only costs extra calls.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from assistant.interfaces import TokenCounter

if TYPE_CHECKING:
    from indexing.chunking.packing import Segment

_CACHE_LIMIT = 50_000  # distinct texts remembered per budget (one budget per document)


class TokenBudget:
    """Wraps a TokenCounter with a per-text cost cache."""

    def __init__(self, counter: TokenCounter) -> None:
        self.counter = counter
        self.max_tokens = counter.max_tokens
        self.overhead = counter.count_tokens("")  # prompt and special tokens
        self._costs: dict[str, int] = {}

    def count(self, text: str) -> int:
        """Exact tokens of a whole input, overhead included."""
        return self.counter.count_tokens(text)

    def cost(self, text: str) -> int:
        """Estimated tokens `text` adds inside a longer input (overhead excluded)."""
        value = self._costs.get(text)
        if value is None:
            value = max(0, self.counter.count_tokens(text) - self.overhead)
            if len(self._costs) >= _CACHE_LIMIT:
                self._costs.clear()
            self._costs[text] = value
        return value

    def estimate(self, segments: Sequence[Segment]) -> int:
        return sum(self.cost(s.text) for s in segments)

    def window(self, compose: Callable[[str], str]) -> Window:
        """The room left for text once `compose` has put its header around it."""
        return Window(budget=self, room=self.max_tokens - self.count(compose("")), compose=compose)


@dataclass(frozen=True)
class Window:
    """Room for text under one header: `fits` is exact, `room` the estimate it is checked by."""

    budget: TokenBudget
    room: int  # estimated tokens available for the text itself
    compose: Callable[[str], str]  # header + text, as embedded

    def fits(self, text: str) -> bool:
        return self.budget.count(self.compose(text)) <= self.budget.max_tokens

    def may_fit(self, segments: Sequence[Segment]) -> bool:
        """False when the estimate exceeds the room: the caller then splits without an exact
        count (for a non-additive counter that may split a text that would have fitted)."""
        return self.budget.estimate(segments) <= self.room
