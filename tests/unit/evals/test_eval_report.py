import json

from evals.report import to_markdown, write_report
from evals.runner import evaluate
from fakes.evals import QUESTIONS, TableRetrieval, eval_systems as _systems


def _run():
    retrieval, answers = _systems()
    return evaluate(QUESTIONS, retrieval, answerer=answers,
                    variants={"dense": TableRetrieval({"q1": ["a"]})}, progress=False)


def test_to_markdown_lists_every_system_and_kind():
    text = to_markdown(_run().summary, {"questions": "dev.jsonl"})
    assert "| default |" in text and "| dense |" in text
    for kind in ("staff", "citizen", "out_of_scope", "dossier_status"):
        assert f"| {kind} |" in text
    assert "refusal_rate" in text and "—" in text


def test_write_report_writes_json_in_issue_shape_and_plots(tmp_path):
    run = _run()
    paths = write_report(run.summary, {"questions": "dev.jsonl"}, tmp_path / "out",
                         {"default": run.outcomes, **run.variant_outcomes}, json_path=tmp_path / "r.json")
    data = json.loads(paths["json"].read_text(encoding="utf-8"))
    assert set(data["overall"]) >= {"R@1", "R@5", "R@10", "MRR@10", "nDCG@10", "n"}
    assert set(data["answers"]) == {"n", "fact_recall", "citation_precision", "refusal_rate",
                                    "false_refusal_rate", "routing_accuracy"}
    assert data["latency_ms"]["retrieval"].keys() == {"p50", "p95"}
    assert set(data["variants"]) == {"dense"}
    assert data["meta"]["questions"] == "dev.jsonl"
    for key in ("recall_plot", "latency_plot"):
        assert paths[key].read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_write_report_lists_each_question_with_its_ranking_and_answer(tmp_path):
    run = _run()
    paths = write_report(run.summary, {"questions": "dev.jsonl"}, tmp_path, {"default": run.outcomes})
    rows = [json.loads(line) for line in paths["outcomes"].read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in rows] == [q.id for q in QUESTIONS]
    assert rows[0]["ranked"] == ["x", "a"] and rows[0]["cited"] == ["a", "x"]
    assert rows[1]["refused"] is True
    assert rows[3]["error"]  # the failing question keeps its error
