from assistant.core.domain import Answer, Chunk, ScoredChunk
from evals.systems import RetrieverSystem, ServiceAnswerSystem, ServiceSearchSystem, audience_filter


def _hit(unit_id, chunk_id="c"):
    return ScoredChunk(Chunk(chunk_id, "d", "h", unit_id, "t", "t"), 1.0)


class _Service:
    def __init__(self):
        self.calls = []

    def search(self, query, *, audience="citizen", limit=10):
        self.calls.append(("search", audience, limit))
        return [_hit("a", "1"), _hit("a", "2"), _hit("", "3"), _hit("b", "4"), _hit("c", "5")]

    def ask(self, message, *, audience="citizen", conversation_id=None, client_id="local"):
        self.calls.append(("ask", audience, conversation_id))
        return Answer("ok", [], "regulation", False, 1.0)


class _Retriever:
    def __init__(self):
        self.filters = []

    def retrieve(self, query, limit, filters=None):
        self.filters.append((limit, filters))
        return [_hit("x"), _hit("y"), _hit("x")]


def test_service_search_system_dedupes_units_and_overfetches():
    service = _Service()
    assert ServiceSearchSystem(service).retrieve("q", 3, "staff") == ["a", "3", "b"]
    assert service.calls == [("search", "staff", 9)]


def test_retriever_system_applies_audience_filter():
    retriever = _Retriever()
    system = RetrieverSystem(retriever, overfetch=2)
    assert system.retrieve("q", 5, "citizen") == ["x", "y"]
    system.retrieve("q", 5, "staff")
    assert retriever.filters[0] == (10, audience_filter("citizen"))
    assert retriever.filters[0][1].audiences == ("public",) and retriever.filters[1][1] is None


def test_service_answer_system_asks_without_conversation():
    service = _Service()
    assert ServiceAnswerSystem(service).ask("q", "citizen").answer == "ok"
    assert service.calls == [("ask", "citizen", None)]
