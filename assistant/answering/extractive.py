"""The default answerer: no LLM, offline, grounded. It quotes the clauses that best match the
question from the top passages, names each source with a numbered citation, and refuses (with
the department's contact) when the evidence is weak. It writes no fact of its own: every
number, fee or regulation in an answer is copied from a cited passage or TTHC record.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from assistant.answering.citations import (
    article_name,
    article_title,
    document_name,
    is_tthc,
    make_citation,
    tthc_record,
)
from assistant.answering.evidence import EvidenceModel
from assistant.answering.lexical import Idf, content_terms, uniform_idf
from assistant.answering.sentences import best_passages, intent_patterns, leading_passages, shorten
from assistant.answering.tthc import ASPECT_LABELS, SUMMARY, asked_aspects, procedure_answer
from assistant.core.domain import Answer, Citation, ScoredChunk
from assistant.reference_boost import BOOST_SPECIFIC
from assistant.core.text import fold_accents

REFUSAL = (
    "Xin lỗi, tôi chưa tìm thấy câu trả lời cho câu hỏi này trong các văn bản mà tôi được cung "
    "cấp, nên không thể trả lời chính xác. Để được hỗ trợ, vui lòng liên hệ {contact}."
)


@dataclass
class _Source:
    hit: ScoredChunk
    quote: str
    score: float


def _answering_first(candidates: list[_Source], intents: list) -> list[_Source]:
    """When the question asks for a kind of fact ("bao nhiêu tuổi", "bao lâu") that the best
    hit does not state but one of the next two does, that one leads."""
    if not intents or _states(candidates[0], intents):
        return candidates
    for i, source in enumerate(candidates[1:3], start=1):
        if _states(source, intents):
            source.score = max(source.score, candidates[0].score)
            return [source] + candidates[:i] + candidates[i + 1 :]
    return candidates


def _states(source: _Source, intents: list) -> bool:
    folded = fold_accents(source.quote).lower()
    return all(cue.search(folded) for cue in intents)


def _names_only_the_unit(hit: ScoredChunk, terms: set[str]) -> bool:
    """The question names this unit exactly and asks nothing more specific about it."""
    specific = {t for t in terms if " " not in t and t not in _GENERIC}
    return hit.scores.get("boost", 0.0) >= BOOST_SPECIFIC and len(specific) <= 4


_GENERIC = frozenset("dieu luat nghi dinh thong tu quy noi dung gi the nao".split())


_BEFORE_CHANGE = {
    "amended": "Trước khi được sửa đổi, theo", "replaced": "Trước khi được thay thế, theo",
    "expired": "Trước khi hết hiệu lực, theo",
}  # fmt: skip


def _lead(number: int, chunk) -> str:
    """"Theo" / "Ngoài ra, theo"; a provision no longer current (assistant.validity labelled it)
    is introduced as the rule before the change."""
    if chunk.metadata.get("status_note") and chunk.validity in _BEFORE_CHANGE:
        return _BEFORE_CHANGE[chunk.validity]
    return "Theo" if number == 1 else "Ngoài ra, theo"


def refusal_answer(contact: str, confidence: float = 0.0) -> Answer:
    return Answer(
        answer=REFUSAL.format(contact=contact),
        citations=[],
        route="out_of_scope",
        refused=True,
        confidence=round(confidence, 3),
    )


class ExtractiveAnswerer:
    """Implements `assistant.core.interfaces.AnswerGenerator`."""

    def __init__(
        self,
        contact: str,
        threshold: float = 0.35,
        *,
        evidence: EvidenceModel | None = None,
        idf: Idf = uniform_idf,
        max_sources: int = 3,
        passages_per_source: int = 2,
        relative_cutoff: float = 0.7,
        secondary_chars: int = 450,
        whole_chars: int = 700,
    ) -> None:
        self.contact = contact
        self.threshold = threshold
        self.evidence = evidence or EvidenceModel()
        self.idf = idf
        self.max_sources = max_sources
        self.passages_per_source = passages_per_source
        self.relative_cutoff = relative_cutoff
        self.secondary_chars = secondary_chars
        self.whole_chars = whole_chars

    def confidence(self, question: str, hits: Sequence[ScoredChunk]) -> float:
        return self.evidence.score(question, hits, self.idf)

    def answer(
        self,
        question: str,
        hits: Sequence[ScoredChunk],
        route: str = "regulation",
        *,
        focus: str | None = None,
    ) -> Answer:
        """`focus` is the user's own words when `question` was rewritten from a follow-up:
        it decides which parts of a procedure are shown ("thế còn phí?" → the fee)."""
        confidence = self.confidence(question, hits)
        if not hits or confidence < self.threshold:
            return refusal_answer(self.contact, confidence)
        procedure = self._procedure_hit(hits, route)
        if procedure is not None:
            return self._procedure(focus or question, procedure, confidence, fallback=question)
        return self._regulation(question, hits, confidence)

    def _procedure_hit(self, hits: Sequence[ScoredChunk], route: str) -> ScoredChunk | None:
        window = hits[:3] if route == "tthc" else hits[:1]
        return next((h for h in window if tthc_record(h.chunk) is not None), None)

    def _procedure(self, question: str, hit: ScoredChunk, confidence: float, fallback: str) -> Answer:
        record = tthc_record(hit.chunk) or {}
        if asked_aspects(question) == SUMMARY:
            question = fallback
        text = procedure_answer(record, question, "[1]")
        quote = shorten(text.split("\n", 1)[-1], 600)
        citation = make_citation(hit.chunk, quote)
        citation.article_path = " · ".join(ASPECT_LABELS[a] for a in asked_aspects(question))
        return Answer(text, [citation], "tthc", False, round(confidence, 3))

    def _regulation(self, question: str, hits: Sequence[ScoredChunk], confidence: float) -> Answer:
        sources = self._sources(question, hits)
        lines: list[str] = []
        citations: list[Citation] = []
        for number, source in enumerate(sources, start=1):
            chunk = source.hit.chunk
            name = " ".join(p for p in (article_name(chunk), document_name(chunk)) if p) or chunk.title
            lead = _lead(number, chunk)
            title = article_title(chunk) if number == 1 else ""
            name = f"{name} ({title})" if title else name
            lines.append(f"{lead} {name} [{number}]:\n{source.quote}")
            citations.append(make_citation(chunk, source.quote))
        route = "tthc" if is_tthc(sources[0].hit.chunk) else "regulation"
        return Answer("\n\n".join(lines), citations, route, False, round(confidence, 3))

    def _sources(self, question: str, hits: Sequence[ScoredChunk]) -> list[_Source]:
        terms = content_terms(question)
        intents = intent_patterns(question)
        candidates: list[_Source] = []
        seen_units: set[str] = set()
        for hit in hits[: self.max_sources + 2]:
            unit = hit.chunk.unit_id or hit.chunk.chunk_id
            if unit in seen_units or is_tthc(hit.chunk):
                continue
            seen_units.add(unit)
            first = not candidates
            passages = best_passages(
                terms, hit.chunk.text, limit=self.passages_per_source + (1 if first else 0),
                idf=self.idf, intents=intents,
            )
            score = max(p.score for p in passages)
            limit = 900 if first else self.secondary_chars
            if first and (len(hit.chunk.text) <= self.whole_chars or _names_only_the_unit(hit, terms)):
                # a short article is quoted whole; a named one from its beginning
                passages = leading_passages(hit.chunk.text, limit)
            quote = shorten("\n".join(p.text for p in passages), limit)
            candidates.append(_Source(hit, quote, score))
        if not candidates:
            top = hits[0]
            return [_Source(top, shorten(top.chunk.text, 900), 0.0)]
        candidates = _answering_first(candidates, intents)
        best = candidates[0].score
        keep = [candidates[0]] + [
            c for c in candidates[1:] if best > 0 and c.score >= self.relative_cutoff * best
        ]
        return keep[: self.max_sources]
