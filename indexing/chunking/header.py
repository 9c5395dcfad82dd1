"""The context lines placed before a chunk's text in its embed text: document title and number,
structural path, article heading, and the lead-in the piece depends on.

    Luật Khám bệnh, chữa bệnh (15/2023/QH15)
    Chương III › Điều 30 › Khoản 2
    Điều 30. Điều kiện cấp giấy phép hành nghề
    2. Hồ sơ đề nghị cấp mới gồm:
    <text>

With a small window the header gives up the lead-in first, then the title, then the heading,
so that (by estimate) at least half the window is left for the text itself.
"""

from __future__ import annotations

from indexing.chunking.assemble import PATH_SEP
from indexing.chunking.budget import TokenBudget, Window


class ContextHeader:
    """The header of one unit's chunks; `labels` and `lead` vary per piece."""

    def __init__(
        self, budget: TokenBudget, title_line: str, base_path: tuple[str, ...], heading: str
    ) -> None:
        self.budget = budget
        self.title_line = title_line
        self.base_path = base_path
        self.heading = heading
        self._cache: dict[tuple[tuple[str, ...], str], tuple[str, ...]] = {}
        self._windows: dict[tuple[tuple[str, ...], str], Window] = {}

    def lines(self, labels: tuple[str, ...], lead: str) -> tuple[str, ...]:
        """The richest header (its lines) estimated to take at most half the window."""
        key = (labels, lead)
        if key not in self._cache:
            path = PATH_SEP.join(self.base_path + labels)
            variants = (
                (self.title_line, path, self.heading, lead),
                (self.title_line, path, self.heading),
                (path, self.heading),
                (path,),
            )
            half = self.budget.max_tokens // 2
            chosen: tuple[str, ...] = ()
            for variant in variants:
                if sum(self.budget.cost(part) for part in variant if part) <= half:
                    chosen = tuple(part for part in variant if part)
                    break
            self._cache[key] = chosen
        return self._cache[key]

    def compose(self, labels: tuple[str, ...], lead: str, text: str) -> str:
        return "\n".join(self.lines(labels, lead) + (text,))

    def window(self, labels: tuple[str, ...], lead: str) -> Window:
        """The room for a piece's text under this header (exact check + estimate)."""
        key = (labels, lead)
        if key not in self._windows:
            self._windows[key] = self.budget.window(
                lambda text: self.compose(labels, lead, text), self.lines(labels, lead)
            )
        return self._windows[key]
