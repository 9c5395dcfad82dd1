"""CI smoke evaluation: the real pipeline (real model, embedded store, chat service) over the
fixture corpus in tests/fixtures/eval_corpus, scored by the eval harness. The floors are far
below what the pipeline reaches on this corpus, so a failure means a clear regression, not noise.
(Measured when written: see evals/RESULTS.md, "CI smoke".)"""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.core.settings import Settings
from evals.datasets import load_questions
from evals.runner import evaluate
from evals.systems import RetrieverSystem, ServiceAnswerSystem, ServiceSearchSystem

pytestmark = pytest.mark.slow

# Floors (the pipeline's measured values are in RESULTS.md; these sit well below them).
FLOORS = {"R@5": 0.6, "MRR@10": 0.5, "fact_recall": 0.3, "bm25_R@10": 0.5}


@pytest.fixture(scope="module")
def smoke_run(prepared_model_dir: Path, tmp_path_factory: pytest.TempPathFactory):
    from assistant.app.troly import open_troly

    corpus = Path(__file__).resolve().parents[1] / "fixtures" / "eval_corpus"
    data_dir = tmp_path_factory.mktemp("eval-smoke")
    (data_dir / "models").symlink_to(prepared_model_dir.parent, target_is_directory=True)
    settings = Settings(_env_file=None, data_dir=data_dir)

    def index_corpus(components) -> None:
        summary = components.indexer.index_paths([corpus / "laws.json", corpus / "9.000001.json"])
        assert not summary.failed, summary.failed

    with open_troly(settings, before_answering=index_corpus) as troly:
        service = troly.chat
        run = evaluate(
            load_questions(corpus / "questions.jsonl"),
            ServiceSearchSystem(service),
            answerer=ServiceAnswerSystem(service),
            variants={"bm25": RetrieverSystem(troly.retriever_for("bm25"))},
            progress=False,
        )
    return run.summary


def test_eval_smoke_retrieval_above_floor(smoke_run):
    overall = smoke_run["overall"]
    assert overall["n"] == 8
    assert overall["R@5"] >= FLOORS["R@5"], overall
    assert overall["MRR@10"] >= FLOORS["MRR@10"], overall
    assert smoke_run["variants"]["bm25"]["overall"]["R@10"] >= FLOORS["bm25_R@10"]
    assert smoke_run["errors"] == 0


def test_eval_smoke_answers_above_floor(smoke_run):
    answers = smoke_run["answers"]
    assert answers["n"] == 10
    assert answers["fact_recall"] >= FLOORS["fact_recall"], answers
    assert answers["refusal_rate"] == 1.0, "the out-of-scope question was answered"
    assert answers["routing_accuracy"] == 1.0, "the dossier question was not routed to dossier_status"
    assert set(smoke_run["latency_ms"]) >= {"retrieval", "answer"}
