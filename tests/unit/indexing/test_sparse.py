"""Bm25SparseEncoder: Vietnamese tokens, identifiers, accent folding, cache, BM25 weights."""

from __future__ import annotations

import math
from collections import Counter
from pathlib import Path

import pytest

from assistant.core.domain import SparseVector
from assistant.core.interfaces import SparseEncoder
from indexing.cache import TextCache
from indexing.sparse import (
    FOLDED_BIGRAM,
    FOLDED_SYLLABLE,
    Bm25SparseEncoder,
    _underthesea_segment,
    term_index,
)
from assistant.core.text import fold_accents

PASSAGES = [
    "Quỹ bảo hiểm y tế chi trả chi phí khám bệnh, chữa bệnh cho người tham gia bảo hiểm y tế "
    "theo phạm vi được hưởng và mức hưởng.",
    "Cơ sở kinh doanh dược phải có Chứng chỉ hành nghề dược theo Luật Dược số 105/2016/QH13.",
    "Hồ sơ đề nghị cấp giấy phép hành nghề khám bệnh, chữa bệnh nộp tại Sở Y tế.",
    "Người hút thuốc lá không được hút tại nơi có quy định cấm hút thuốc lá hoàn toàn.",
    "Thực phẩm bảo vệ sức khỏe phải được công bố trước khi lưu thông trên thị trường.",
]


class SpySegmenter:
    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, text: str) -> list[str]:
        self.calls += 1
        return _underthesea_segment(text)


@pytest.fixture(scope="module")
def encoder() -> Bm25SparseEncoder:
    return Bm25SparseEncoder()


def _whitespace(text: str) -> list[str]:
    return text.split()


def _bm25_scores(encoder: Bm25SparseEncoder, query: str) -> list[float]:
    """Score like Qdrant with Modifier.IDF: sum of query weight x idf x passage weight."""
    vectors = encoder.encode_passages(PASSAGES)
    df = Counter(i for v in vectors for i in v.indices)
    n = len(vectors)
    q = encoder.encode_query(query)
    scores = []
    for v in vectors:
        weights = dict(zip(v.indices, v.values))
        scores.append(sum(
            qw * math.log((n - df[i] + 0.5) / (df[i] + 0.5) + 1) * weights.get(i, 0.0)
            for i, qw in zip(q.indices, q.values)
        ))
    return scores


def test_encoder_implements_sparse_encoder_protocol(encoder) -> None:
    assert isinstance(encoder, SparseEncoder)


@pytest.mark.parametrize(
    "text, identifier",
    [
        ("Theo Luật Dược số 105/2016/QH13 của Quốc hội.", "105/2016/qh13"),
        ("Thông tư 46/2018/TT-BYT quy định hồ sơ bệnh án.", "46/2018/tt-byt"),
        ("Điều 45.4.LQ.13. Điều kiện cấp Chứng chỉ hành nghề dược", "45.4.lq.13"),
        ("Thủ tục 1.013614 (cấp lần đầu)", "1.013614"),
        ("căn cứ Nghị định 16/2024/NĐ-CP,", "16/2024/nđ-cp"),
    ],
)
def test_tokenize_keeps_legal_identifiers_whole(encoder, text: str, identifier: str) -> None:
    tokens = encoder.tokenize(text)
    assert identifier in tokens
    assert FOLDED_SYLLABLE + fold_accents(identifier) in tokens


def test_tokenize_adds_number_year_of_slash_numbers(encoder) -> None:
    assert "46/2018" in encoder.tokenize("Thông tư 46/2018/TT-BYT")


def test_tokenize_lowercases_joins_words_and_drops_punctuation(encoder) -> None:
    tokens = encoder.tokenize("Bảo hiểm y tế (BHYT): chi trả, đúng tuyến?")
    assert "bảo_hiểm_y_tế" in tokens
    assert "bhyt" in tokens
    assert all(any(ch.isalnum() for ch in t) for t in tokens)
    bodies = [t.split(":", 1)[-1] if t[:2] in ("f:", "s:", "b:") else t for t in tokens]
    assert not any(ch in t for t in bodies for ch in "():,?")
    assert all(t == t.lower() for t in tokens)


def test_tokenize_folded_terms_do_not_depend_on_diacritics(encoder) -> None:
    accented = "Bảo hiểm y tế chi trả chi phí khám chữa bệnh đúng tuyến như thế nào?"
    folded_spaces = (FOLDED_SYLLABLE, FOLDED_BIGRAM)
    with_marks = {t for t in encoder.tokenize(accented) if t.startswith(folded_spaces)}
    without = {t for t in encoder.tokenize(fold_accents(accented)) if t.startswith(folded_spaces)}
    assert with_marks and with_marks == without


@pytest.mark.parametrize(
    "query, expected",
    [
        ("Bảo hiểm y tế chi trả những gì?", 0),
        ("chứng chỉ hành nghề dược", 1),
        ("nộp hồ sơ cấp giấy phép hành nghề khám chữa bệnh ở đâu", 2),
        ("cấm hút thuốc lá", 3),
    ],
)
def test_encoder_query_without_diacritics_finds_same_passage(
    encoder, query: str, expected: int
) -> None:
    accented = _bm25_scores(encoder, query)
    plain = _bm25_scores(encoder, fold_accents(query))
    assert max(range(len(PASSAGES)), key=accented.__getitem__) == expected
    assert max(range(len(PASSAGES)), key=plain.__getitem__) == expected


def test_encoder_cache_hit_avoids_resegmenting(tmp_path: Path) -> None:
    spy = SpySegmenter()
    cache = TextCache(tmp_path / "cache.sqlite", "sparse")
    first = Bm25SparseEncoder(cache, segmenter=spy).encode_passages(PASSAGES)
    assert spy.calls >= len(PASSAGES)
    spy.calls = 0
    reopened = TextCache(tmp_path / "cache.sqlite", "sparse")
    again = Bm25SparseEncoder(reopened, segmenter=spy).encode_passages(PASSAGES)
    assert spy.calls == 0
    assert again == first
    Bm25SparseEncoder(reopened, segmenter=spy).encode_passages(PASSAGES + ["Văn bản mới."])
    assert spy.calls == 1


def test_encoder_passage_without_words_is_empty_and_cached(tmp_path: Path) -> None:
    spy = SpySegmenter()
    cache = TextCache(tmp_path / "cache.sqlite", "sparse")
    for _ in range(2):
        vectors = Bm25SparseEncoder(cache, segmenter=spy).encode_passages(["", " ... ; "])
        assert vectors == [SparseVector([], []), SparseVector([], [])]


def test_encoder_passage_weights_saturate_with_term_frequency() -> None:
    enc = Bm25SparseEncoder(segmenter=_whitespace, avg_len=10)
    weights = []
    for tf in (1, 2, 4, 8):
        text = " ".join(["thuốc"] * tf + ["khác"] * (10 - tf))
        vector = enc.encode_passages([text])[0]
        weights.append(dict(zip(vector.indices, vector.values))[term_index("thuốc")])
    gains = [b - a for a, b in zip(weights, weights[1:])]
    assert all(g > 0 for g in gains)
    assert gains == sorted(gains, reverse=True)  # diminishing returns
    assert weights[-1] < enc.k1 + 1


@pytest.mark.parametrize("b, longer_is_lower", [(0.75, True), (0.0, False)])
def test_encoder_passage_weights_normalise_length(b: float, longer_is_lower: bool) -> None:
    enc = Bm25SparseEncoder(segmenter=_whitespace, b=b, avg_len=10)
    short, long = enc.encode_passages(["thuốc a b", "thuốc " + " ".join("x" * 30)])
    index = term_index("thuốc")
    w_short = dict(zip(short.indices, short.values))[index]
    w_long = dict(zip(long.indices, long.values))[index]
    assert (w_long < w_short) if longer_is_lower else (w_long == pytest.approx(w_short))


def test_encoder_query_has_unit_weight_per_unique_term() -> None:
    enc = Bm25SparseEncoder(segmenter=_whitespace)
    query = "thuốc thuốc thuốc lá"
    vector = enc.encode_query(query)
    assert vector.values == [1.0] * len(vector.indices)
    assert vector.indices == sorted(set(vector.indices))
    assert len(vector.indices) == len(set(enc.tokenize(query))) < len(enc.tokenize(query))


def test_term_index_is_unsigned_32_bit() -> None:
    terms = ["y_tế", "f:y_te", "s:y", "105/2016/qh13"]
    indices = [term_index(t) for t in terms]
    assert all(0 <= i < 2**32 for i in indices)
    assert len(set(indices)) == len(terms)


def test_encoder_rejects_bad_parameters() -> None:
    with pytest.raises(ValueError):
        Bm25SparseEncoder(b=1.5)
    with pytest.raises(ValueError):
        Bm25SparseEncoder(avg_len=0)
