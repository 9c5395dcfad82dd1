"""One contract every AnswerGenerator troly ships must pass: the extractive answerer and the LLM
answerer (over an in-process chat client that answers from its context, no socket). Given hits
that answer the question: an Answer, not refused, whose every citation is one of the hits;
given no hits: a refusal that names the contact and cites nothing; `focus` (the user's own
words of a follow-up) is accepted; a streaming answerer ends its stream with that same Answer.
A new answerer joins by one entry in GENERATORS (and STREAMING) and its branch in `_make`."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import pytest
from fakes.retrieval import make_chunk

from assistant.answering.evidence import EvidenceModel
from assistant.answering.extractive import ExtractiveAnswerer
from assistant.answering.llm import LlmAnswerer
from assistant.core.domain import Answer, ScoredChunk
from assistant.core.interfaces import AnswerGenerator, StreamingAnswerGenerator

GENERATORS = ("extractive", "llm")
STREAMING = ("llm",)  # the StreamingAnswerGenerators among them
CONTACT = "Văn phòng Sở Y tế — 0269 3824 118"
QUESTION = "Lệ phí cấp chứng chỉ hành nghề dược là bao nhiêu?"
# Illustrative texts written for this test, not official documents.
FEE = "Lệ phí cấp chứng chỉ hành nghề dược là 500.000 đồng cho mỗi lần cấp."
DEADLINE = "Thời hạn cấp chứng chỉ hành nghề dược là 20 ngày kể từ ngày nhận đủ hồ sơ."
LENIENT = EvidenceModel(w_dense=0.0, c0=0.3)  # no real embeddings here: judge on coverage


class ContextEchoClient:
    """A chat client that answers with the fee sentence of its context, cited as [1]."""

    def chat(self, messages: Sequence[tuple[str, str]]) -> str:
        return "".join(self.stream_chat(messages))

    def stream_chat(self, messages: Sequence[tuple[str, str]]) -> Iterator[str]:
        yield from (FEE.removesuffix("."), " [1].")


def _hits() -> list[ScoredChunk]:
    articles = (("5", "Lệ phí", FEE), ("6", "Thời hạn", DEADLINE))
    chunks = [
        make_chunk(f"45.4.LQ.{n}", f"Điều {n}. {name}\n{text}", title="Luật Dược",
                   article_label=f"Điều {n}")
        for n, name, text in articles
    ]
    return [ScoredChunk(c, 1.0 / (i + 1), {"dense": 0.9}) for i, c in enumerate(chunks)]


def _make(name: str) -> AnswerGenerator:
    extractive = ExtractiveAnswerer(CONTACT, 0.35, evidence=LENIENT)
    if name == "extractive":
        return extractive
    if name == "llm":
        return LlmAnswerer(ContextEchoClient(), extractive)
    raise AssertionError(f"no answerer named {name}")


@pytest.fixture(params=GENERATORS)
def generator(request: pytest.FixtureRequest) -> AnswerGenerator:
    return _make(request.param)


def test_answer_generator_answers_from_the_hits_it_is_given(generator: AnswerGenerator) -> None:
    hits = _hits()
    answer = generator.answer(QUESTION, hits)
    assert isinstance(answer, Answer) and not answer.refused
    assert answer.answer.strip() and answer.citations
    assert {c.unit_id for c in answer.citations} <= {h.chunk.unit_id for h in hits}
    assert "500.000" in answer.answer


def test_answer_generator_without_hits_refuses_and_cites_nothing(
    generator: AnswerGenerator,
) -> None:
    answer = generator.answer(QUESTION, [])
    assert answer.refused and not answer.citations
    assert CONTACT in answer.answer


def test_answer_generator_accepts_the_users_own_words_as_focus(generator: AnswerGenerator) -> None:
    answer = generator.answer(QUESTION, _hits(), "regulation", focus="thế còn lệ phí?")
    assert isinstance(answer, Answer) and not answer.refused


@pytest.mark.parametrize("name", STREAMING)
def test_streaming_answer_generator_ends_with_the_answer(name: str) -> None:
    streaming: StreamingAnswerGenerator = _make(name)  # type: ignore[assignment]
    items = list(streaming.stream(QUESTION, _hits()))
    final = items[-1]
    assert isinstance(final, Answer)
    assert not any(isinstance(item, Answer) for item in items[:-1])
    assert final.answer == streaming.answer(QUESTION, _hits()).answer
