"""Checking an LLM answer against the numbered context it was given.

Each sentence that states something must cite at least one passage "[n]"; every n must exist;
the cited passages together must cover most of the sentence's content terms; and every number
in the sentence (a fee, a time limit, an article) must appear in a cited passage. Anything less
and the caller falls back to the extractive answer.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from assistant.answering.lexical import content_terms, coverage

_MARKER = re.compile(r"\[(\d{1,2})\]")
_SENTENCE = re.compile(r"(?<=[.!?;:])\s+|\n+")
_NUMBER = re.compile(r"\d+(?:[.,/]\d+)*")


@dataclass
class Verification:
    ok: bool
    cited: list[int] = field(default_factory=list)  # context numbers cited, in order of use
    problems: list[str] = field(default_factory=list)


def markers(text: str) -> list[int]:
    return [int(m) for m in _MARKER.findall(text)]


def _claims(answer: str) -> list[str]:
    """Sentences that say something (not bare markers or headings)."""
    out = []
    for piece in _SENTENCE.split(answer):
        bare = _MARKER.sub("", piece).strip(" -•*:\t")
        if len(content_terms(bare)) >= 2:
            out.append(piece.strip())
    return out


def verify_answer(
    answer: str,
    passages: Sequence[str],
    *,
    min_support: float = 0.5,
) -> Verification:
    """`passages[i]` is the text given to the model as "[i+1]"."""
    result = Verification(ok=True)
    if not markers(answer):
        return Verification(False, problems=["câu trả lời không dẫn nguồn [n] / no citation"])
    pending: list[str] = []
    for sentence in _claims(answer):
        numbers = markers(sentence)
        if not numbers:
            pending.append(sentence)  # may be supported by the next sentence's citation
            continue
        claim = " ".join(pending + [_MARKER.sub("", sentence)])
        pending = []
        bad = [n for n in numbers if not 1 <= n <= len(passages)]
        if bad:
            result.problems.append(f"dẫn nguồn không tồn tại {bad} / cites missing passage")
            continue
        cited_text = "\n".join(passages[n - 1] for n in numbers)
        support = coverage(content_terms(claim), content_terms(cited_text))
        if support < min_support:
            result.problems.append(f"nguồn không đủ căn cứ ({support:.2f}): {claim[:80]}")
        missing = [x for x in _NUMBER.findall(claim) if x not in cited_text]
        if missing:
            result.problems.append(f"số liệu không có trong nguồn {missing}: {claim[:80]}")
        result.cited.extend(n for n in numbers if n not in result.cited)
    if pending:
        result.problems.append("có câu không dẫn nguồn / uncited sentence: " + pending[0][:80])
    result.ok = not result.problems and bool(result.cited)
    return result


def renumber(answer: str, cited: Sequence[int]) -> str:
    """Rewrite markers so the citations are numbered 1..k in order of first use."""
    mapping = {old: new for new, old in enumerate(cited, start=1)}
    return _MARKER.sub(lambda m: f"[{mapping.get(int(m.group(1)), int(m.group(1)))}]", answer)
