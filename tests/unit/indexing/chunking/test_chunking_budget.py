"""Token budgets: exact answers when a text fits, estimates only to reject or predict."""

from __future__ import annotations

from fakes.chunking import WordCounter
from indexing.chunking.budget import TokenBudget
from indexing.chunking.packing import Segment


def _segments(words: int) -> list[Segment]:
    return [Segment(" ".join(["từ"] * 10)) for _ in range(words // 10)]


def test_budget_cost_is_cached_and_excludes_overhead() -> None:
    counter = WordCounter(50)
    budget = TokenBudget(counter)
    calls = counter.calls
    assert budget.cost("một hai ba") == 3
    assert budget.cost("một hai ba") == 3
    assert counter.calls == calls + 1
    assert budget.estimate([Segment("một hai"), Segment("ba")]) == 3


def test_window_room_subtracts_header_and_overhead() -> None:
    budget = TokenBudget(WordCounter(50))
    window = budget.window(lambda text: f"Điều 1. Phạm vi\n{text}", ("Điều 1. Phạm vi",))
    assert window.room == 50 - 2 - 4  # two special tokens, four header words
    assert window.fits(" ".join(["x"] * 44))
    assert not window.fits(" ".join(["x"] * 45))


def test_window_fit_tokens_answers_fits_only_after_an_exact_count() -> None:
    counter = WordCounter(50)
    window = TokenBudget(counter).window(lambda text: text, ())
    segments = _segments(40)
    text = "\n".join(s.text for s in segments)
    calls = counter.calls
    assert window.fit_tokens(segments, text) == 40
    assert counter.calls == calls + 1  # counted, not guessed
    too_long = _segments(60)
    assert window.fit_tokens(too_long, "\n".join(s.text for s in too_long)) is None


def test_budget_surely_over_waits_for_calibration_then_uses_the_ratio() -> None:
    budget = TokenBudget(WordCounter(100))
    text = " ".join(["chữ"] * 400)  # 1,599 characters, 400 tokens
    assert budget.surely_over(text, 98) is None  # nothing counted yet
    budget.count(" ".join(["chữ"] * 600))  # calibrates: 4 characters per token
    assert budget.surely_over(text, 98) is True
    assert budget.surely_over(" ".join(["chữ"] * 120), 98) is False  # 120 < 1.5 × 98


def test_window_fit_tokens_rejects_a_long_text_with_a_prefix_probe() -> None:
    counter = WordCounter(20)
    budget = TokenBudget(counter)
    window = budget.window(lambda text: text, ())
    text = " ".join(["chữ"] * 5000)
    counted: list[int] = []
    counter.count_tokens = lambda t: counted.append(len(t)) or len(t.split()) + 2  # type: ignore
    assert window.fit_tokens([Segment(text)], text) is None
    assert counted and max(counted) <= budget.probe_chars  # never counted the whole text
