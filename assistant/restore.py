"""Putting Vietnamese diacritics back on a question typed without them ("thu tuc cap giay phep
hanh nghe" → "thủ tục cấp giấy phép hành nghề"), from syllable and syllable-bigram counts of
the indexed corpus. The dense embedder is nearly blind to unaccented text; the restored question
lets it work again. A Viterbi search picks the most likely accented sequence; syllables the
corpus never saw (numbers, acronyms) are kept as typed."""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable

from assistant.core.text import fold_accents

_SYLLABLE = re.compile(r"[^\W\d_]+")
_MAX_CANDIDATES = 8
# How people ask (legal text rarely says "gì", "có ... không", "ở đâu"): counted alongside the
# corpus with a high weight so question words get their diacritics back.
QUESTION_PHRASES = """
có được không có phải không có bị phạt không là gì là bao nhiêu bao nhiêu tiền bao lâu mất bao lâu
mấy ngày ở đâu nộp ở đâu như thế nào thế nào làm sao làm thế nào cần những gì cần giấy tờ gì
gồm những gì những giấy tờ gì thủ tục gì điều kiện gì quy định gì quy định như thế nào ai có thẩm quyền
cơ quan nào trường hợp nào khi nào tôi muốn tôi bị mất em muốn hỏi cho tôi hỏi xin hỏi có cần không
có bắt buộc không được hưởng gì được không hay không thì sao thế còn vậy còn mở nhà thuốc mở phòng khám
đúng tuyến trái tuyến khám chữa bệnh giấy phép hành nghề giấy phép hoạt động lệ phí phí thời hạn
tôi có con tôi vợ tôi của tôi nhà tôi tôi đã tôi đang tôi có được không có mấy loại mấy tuổi mấy năm
để được để làm thẻ mới cấp mới đổi thẻ mới trả tiền mất tiền tiền thuốc cửa hàng quán ăn quán bia
bán rượu bán thuốc nơi nào chỗ nào uống rượu uống bia rồi lái xe đã nộp rồi hiến tạng hiến thận
bệnh viện trạm y tế người dân người bệnh bác sĩ dược sĩ nhà thuốc hiệu thuốc
bán đồ ăn đồ uống ăn uống ở chợ ngoài chợ bán hàng rong quán cơm hàng quán ăn vặt
"""
QUESTION_WEIGHT = 50


class DiacriticRestorerModel:
    """Implements `assistant.query.DiacriticRestorer`."""

    def __init__(self, unigrams: dict[str, int], bigrams: dict[str, int]) -> None:
        self.unigrams = unigrams  # accented lower-case syllable -> count
        self.bigrams = bigrams  # "syllable syllable" (accented, lower) -> count
        self._candidates: dict[str, list[str]] = {}
        by_folded: dict[str, list[tuple[int, str]]] = {}
        for syllable, count in unigrams.items():
            by_folded.setdefault(fold_accents(syllable), []).append((count, syllable))
        for folded, forms in by_folded.items():
            forms.sort(reverse=True)
            self._candidates[folded] = [s for _, s in forms[:_MAX_CANDIDATES]]
        self._total = float(sum(unigrams.values()) or 1)

    @classmethod
    def train(cls, texts: Iterable[str], min_bigram: int = 2) -> DiacriticRestorerModel:
        unigrams: Counter[str] = Counter()
        bigrams: Counter[str] = Counter()
        for text in texts:
            count_syllables(text, unigrams, bigrams)
        return cls.from_counts(unigrams, bigrams, min_bigram)

    @classmethod
    def from_counts(
        cls, unigrams: Counter[str], bigrams: Counter[str], min_bigram: int = 2
    ) -> DiacriticRestorerModel:
        """The model of a corpus whose raw counts (`count_syllables`, summed over its texts) are
        given; counts add up across documents, the built-in phrases and the pruning of rare
        bigrams come last. The given counters are not changed."""
        unigrams, bigrams = Counter(unigrams), Counter(bigrams)
        count_syllables(QUESTION_PHRASES, unigrams, bigrams, QUESTION_WEIGHT)
        kept = {k: v for k, v in bigrams.items() if v >= min_bigram}
        return cls(dict(unigrams), kept)

    def to_dict(self) -> dict[str, dict[str, int]]:
        return {"unigrams": self.unigrams, "bigrams": self.bigrams}

    @classmethod
    def from_dict(cls, data: dict[str, dict[str, int]]) -> DiacriticRestorerModel:
        return cls(data.get("unigrams", {}), data.get("bigrams", {}))

    def _unigram(self, syllable: str) -> float:
        return math.log((self.unigrams.get(syllable, 0) + 0.1) / self._total)

    def _transition(self, prev: str, cur: str) -> float:
        pair = self.bigrams.get(f"{prev} {cur}", 0)
        prev_count = self.unigrams.get(prev, 0) + 1.0
        # interpolated bigram probability, with the unigram as back-off
        p = 0.8 * pair / prev_count + 0.2 * math.exp(self._unigram(cur))
        return math.log(p + 1e-12)

    def restore(self, text: str) -> str:
        out, cursor = [], 0
        for run in _runs(text):
            restored = self._decode([m.group(0) for m in run])
            for match, syllable in zip(run, restored):
                out.append(text[cursor : match.start()])
                out.append(_match_case(match.group(0), syllable))
                cursor = match.end()
        out.append(text[cursor:])
        return "".join(out)

    def _options(self, typed: str) -> list[str]:
        if len(typed) > 1 and typed.isupper():  # an acronym: keep it
            return [typed.lower()]
        lower = typed.lower()
        if fold_accents(lower) != lower:  # already accented
            return [lower]
        return self._candidates.get(lower) or [lower]

    def _decode(self, typed: list[str]) -> list[str]:
        options = [self._options(t) for t in typed]
        scores = {c: self._unigram(c) for c in options[0]}
        back: list[dict[str, str]] = []
        for column in options[1:]:
            step_scores, step_back = {}, {}
            for cur in column:
                best_prev = max(scores, key=lambda p: scores[p] + self._transition(p, cur))
                step_scores[cur] = scores[best_prev] + self._transition(best_prev, cur)
                step_back[cur] = best_prev
            scores = step_scores
            back.append(step_back)
        best = max(scores, key=scores.get)
        path = [best]
        for step_back in reversed(back):
            path.append(step_back[path[-1]])
        return path[::-1]


def count_syllables(
    text: str, unigrams: Counter[str], bigrams: Counter[str], weight: int = 1
) -> None:
    """Adds the text's lower-case syllables and same-line syllable pairs to the counters."""
    for line in text.lower().splitlines():
        syllables = _SYLLABLE.findall(line)
        pairs = [f"{a} {b}" for a, b in zip(syllables, syllables[1:])]
        for _ in range(weight):
            unigrams.update(syllables)
            bigrams.update(pairs)


def _runs(text: str) -> list[list[re.Match[str]]]:
    """Runs of syllables separated only by spaces; numbers, codes ("98/2021/ND-CP"), acronyms
    and punctuation end a run, so they never decide the neighbouring words' diacritics."""
    runs: list[list[re.Match[str]]] = []
    previous_end = -1
    for match in _SYLLABLE.finditer(text):
        word = match.group(0)
        acronym = len(word) > 1 and word.isupper()
        joined = previous_end >= 0 and text[previous_end : match.start()].isspace()
        if acronym or not joined or not runs:
            runs.append([])
        runs[-1].append(match)
        previous_end = -1 if acronym else match.end()
    return [run for run in runs if run]


def _match_case(typed: str, syllable: str) -> str:
    if typed.isupper() and len(typed) > 1:
        return typed
    if typed[:1].isupper():
        return syllable[:1].upper() + syllable[1:]
    return syllable
