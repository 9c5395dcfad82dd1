"""A TokenCounter fake for chunking tests: whitespace tokens + 2 (like <s> … </s>), with a
window small enough that real legal text must be split."""

from __future__ import annotations


class WordCounter:
    """Counts whitespace-separated words plus two special tokens; records every call."""

    def __init__(self, max_tokens: int = 60) -> None:
        self.max_tokens = max_tokens
        self.calls = 0

    def count_tokens(self, text: str) -> int:
        self.calls += 1
        return len(text.split()) + 2
