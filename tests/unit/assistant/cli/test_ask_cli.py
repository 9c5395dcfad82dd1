"""`troly ask` / `troly search` output shapes, with the service replaced by a fake."""

from __future__ import annotations

import argparse
import json

import pytest
from support.assistant_corpus import corpus

from assistant.cli import ask as ask_cli
from assistant.answering.citations import make_citation
from assistant.core.domain import Answer, ScoredChunk

CHUNK = next(c for c in corpus() if c.unit_id == "2.2.LQ.18")


class FakeService:
    def __init__(self) -> None:
        self.calls: list[tuple] = []

    def ask(self, message, *, audience="citizen", conversation_id=None, client_id="local"):
        self.calls.append(("ask", message, audience))
        citation = make_citation(CHUNK, "Thẻ bảo hiểm y tế được cấp lại trong trường hợp bị mất.")
        return Answer("Theo Điều 18 ... [1]", [citation], "regulation", False, 0.91, {"total": 12.0})

    def search(self, query, *, audience="citizen", limit=10, document_types=None, fields=None):
        self.calls.append(("search", query, audience, limit, document_types, fields))
        return [ScoredChunk(CHUNK, 0.5, {"dense": 0.8})]


class FakeComponents:
    closed = False

    def close(self):
        self.closed = True


@pytest.fixture
def fake(monkeypatch):
    service, components = FakeService(), FakeComponents()
    monkeypatch.setattr(ask_cli, "_service", lambda settings: (components, service))
    return service, components


def _parse(argv):
    parser = argparse.ArgumentParser()
    ask_cli.register(parser.add_subparsers(dest="command"))
    return parser.parse_args(argv)


def test_ask_cli_json_prints_the_answer_object(fake, capsys):
    args = _parse(["ask", "mất thẻ BHYT", "--audience", "staff", "--json"])
    assert args.handler(args, settings=None) == 0
    data = json.loads(capsys.readouterr().out)
    assert set(data) == {"answer", "citations", "route", "refused", "confidence", "timings_ms"}
    assert set(data["citations"][0]) == {"unit_id", "document_number", "title", "article_path", "page", "source", "quote", "effective_date", "status", "status_note"}
    assert data["citations"][0]["unit_id"] == "2.2.LQ.18"
    assert fake[0].calls == [("ask", "mất thẻ BHYT", "staff")] and fake[1].closed


def test_ask_cli_text_lists_numbered_sources(fake, capsys):
    args = _parse(["ask", "mất thẻ BHYT"])
    args.handler(args, settings=None)
    out = capsys.readouterr().out
    assert "Nguồn:\n[1] Điều 18 Luật Bảo hiểm y tế số 25/2008/QH12 (Pháp điển 2.2.LQ.18)" in out
    assert fake[0].calls[0][2] == "citizen"


def test_search_cli_json_shape_and_options(fake, capsys):
    args = _parse(["search", "thẻ bảo hiểm", "-k", "3", "--json", "--field", "Dược"])
    args.handler(args, settings=None)
    (record,) = json.loads(capsys.readouterr().out)
    assert set(record) == {"unit_id", "chunk_id", "score", "title", "article_path", "text"}
    assert fake[0].calls == [("search", "thẻ bảo hiểm", "citizen", 3, None, ("Dược",))]


def test_search_cli_text_shows_rank_score_and_unit(fake, capsys):
    args = _parse(["search", "thẻ bảo hiểm"])
    args.handler(args, settings=None)
    assert capsys.readouterr().out.startswith(" 1. [0.5000] 2.2.LQ.18")
