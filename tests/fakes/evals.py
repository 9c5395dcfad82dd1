"""Fakes for the eval harness's Protocols (RetrievalSystem, AnswerSystem)."""

from __future__ import annotations

from assistant.core.domain import Answer, Citation
from evals.datasets import EvalQuestion


class TableRetrieval:
    """Returns a fixed ranking per question text; raises for questions listed in `fail`."""

    def __init__(self, rankings: dict[str, list[str]], fail: set[str] | None = None) -> None:
        self.rankings = rankings
        self.fail = fail or set()
        self.calls: list[tuple[str, int, str]] = []

    def retrieve(self, question: str, k: int, audience: str) -> list[str]:
        self.calls.append((question, k, audience))
        if question in self.fail:
            raise RuntimeError("boom")
        return self.rankings.get(question, [])


class TableAnswers:
    """Returns a fixed Answer per question text."""

    def __init__(self, answers: dict[str, Answer]) -> None:
        self.answers = answers

    def ask(self, question: str, audience: str) -> Answer:
        return self.answers[question]


def answer(text: str, cited: list[str] = (), route: str = "regulation", refused: bool = False) -> Answer:
    citations = [Citation(u, "", "", "", None, "", "") for u in cited]
    return Answer(text, citations, route, refused, 0.5, timings_ms={"retrieve": 3.0})


QUESTIONS = [
    EvalQuestion("s1", "staff", "q1", ("a",), ("100.000 đồng",), "staff"),
    EvalQuestion("c1", "citizen", "q2", ("b", "c"), ()),
    EvalQuestion("o1", "out_of_scope", "q3"),
    EvalQuestion("d1", "dossier_status", "q4", route="dossier_status"),
]


def eval_systems():
    retrieval = TableRetrieval({"q1": ["x", "a"], "q2": ["b", "y", "c"], "q3": ["z"]}, fail={"q4"})
    answers = TableAnswers({
        "q1": answer("Lệ phí là 100.000 ĐỒNG.", cited=["a", "x"]),
        "q2": answer("Xin lỗi, tôi không tìm thấy.", refused=True),
        "q3": answer("Ngoài phạm vi.", route="out_of_scope", refused=True),
        "q4": answer("Vui lòng nhập mã hồ sơ.", route="tthc"),
    })
    return retrieval, answers
