"""Token-bounded packing: nothing over the window, nothing lost, finer splits as a last resort."""

from __future__ import annotations

import random

import pytest

from assistant.core.errors import ConfigError
from fakes.chunking import WordCounter
from indexing.chunking.budget import TokenBudget, Window
from indexing.chunking.packing import (
    Segment,
    join_segments,
    largest_prefix,
    pack_segments,
    split_sentences,
)

def _window(counter: object, header: str = "") -> Window:
    compose = (lambda text: f"{header}\n{text}") if header else (lambda text: text)
    return TokenBudget(counter).window(compose, (header,))


class CharCounter:
    """Charges per character, so one long "word" must be cut between characters."""

    max_tokens = 50

    def count_tokens(self, text: str) -> int:
        return len(text) // 4 + 2


class NonAdditiveCounter(WordCounter):
    """Undercounts short texts: per-segment estimates are optimistic, exact checks are not."""

    def count_tokens(self, text: str) -> int:
        words = len(text.split())
        return words + 2 if words > 5 else 2


WORDS = "bệnh viện hồ sơ giấy phép hành nghề khám chữa cấp mới thời hạn".split()


def _random_lines(rng: random.Random, count: int) -> list[Segment]:
    lines = []
    for _ in range(count):
        sentences = [
            " ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 30))) + rng.choice(".;")
            for _ in range(rng.randint(1, 6))
        ]
        lines.append(Segment(" ".join(sentences), page=rng.randint(1, 3)))
    return lines


@pytest.mark.parametrize("window", [8, 12, 25, 60, 200])
def test_pack_segments_never_exceeds_window_and_loses_nothing(window: int) -> None:
    counter = WordCounter(window)
    rng = random.Random(window)
    segments = _random_lines(rng, 40)
    groups = pack_segments(segments, _window(counter, "Điều 1"))
    assert all(counter.count_tokens("Điều 1\n" + join_segments(g)) <= window for g in groups)
    rebuilt = join_segments([s for g in groups for s in g])
    assert rebuilt == join_segments(segments)


def test_pack_segments_packs_whole_lines_when_they_fit() -> None:
    segments = [Segment(f"dòng {i} có năm từ") for i in range(6)]  # 5 words each
    groups = pack_segments(segments, _window(WordCounter(14)))
    assert [len(g) for g in groups] == [2, 2, 2]


def test_pack_segments_stays_within_window_when_estimates_are_wrong() -> None:
    counter = NonAdditiveCounter(20)
    segments = [Segment(f"câu số {i} ngắn") for i in range(30)]  # estimated 0 tokens each
    groups = pack_segments(segments, _window(counter))
    assert all(counter.count_tokens(join_segments(g)) <= 20 for g in groups)
    assert join_segments([s for g in groups for s in g]) == join_segments(segments)


def test_pack_segments_counts_each_segment_once_and_each_group_about_once() -> None:
    counter = WordCounter(60)
    segments = _random_lines(random.Random(7), 200)
    window = _window(counter)
    counter.calls = 0
    groups = pack_segments(segments, window)
    sentences = sum(len(split_sentences(s)) for s in segments)
    assert counter.calls <= len(segments) + sentences + 3 * len(groups)


def test_pack_segments_splits_a_giant_word_by_characters() -> None:
    word = "x" * 1000
    counter = CharCounter()
    groups = pack_segments([Segment(f"đầu {word} cuối")], _window(counter))
    assert len(groups) > 1
    assert all(counter.count_tokens(join_segments(g)) <= 50 for g in groups)
    assert join_segments([s for g in groups for s in g]) == f"đầu {word} cuối"


def test_pack_segments_raises_when_window_cannot_hold_a_character() -> None:
    long_header = " ".join(["tiêu đề"] * 20)  # 40 words in a 10-token window
    with pytest.raises(ConfigError, match="quá nhỏ"):
        pack_segments([Segment("văn bản")], _window(WordCounter(10), long_header))


@pytest.mark.parametrize("limit", [0, 1, 2, 7, 13, 50])
def test_largest_prefix_matches_linear_scan(limit: int) -> None:
    calls: list[int] = []

    def fits(k: int) -> bool:
        calls.append(k)
        return k <= limit

    expected = max([k for k in range(1, 51) if k <= limit], default=0)
    assert largest_prefix(50, fits) == expected
    assert len(calls) <= 2 * 50 .bit_length() + 1


def test_split_sentences_keeps_numbers_with_their_text() -> None:
    parts = split_sentences(Segment("1. Người bệnh có quyền. Điều 5. Hồ sơ gồm; đơn.", page=4))
    assert [p.text for p in parts] == ["1. Người bệnh có quyền.", "Điều 5. Hồ sơ gồm;", "đơn."]
    assert {p.page for p in parts} == {4}
    assert [p.sep for p in parts] == ["\n", " ", " "]
