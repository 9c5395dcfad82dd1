"""Retrieval over professional documents (issue 11): the illustrative guideline corpus of
`evals.guideline_corpus` indexed with the real components (prepared e5 model, BM25, the
embedded store), then the questions of `evals/data/guidelines_dev.jsonl` asked.

    python -m evals.guideline_retrieval --models .cache/test-models [--out results.json]

Per question a retrieved chunk is right when it comes from the gold file and contains the gold
answer phrase; "section@1" also needs the top chunk's breadcrumbs to end with the gold section
heading; "answer" needs the first citation of the extractive answer to quote the phrase
(a refusal counts as a miss; "refused" gives their share).
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from evals.guideline_corpus import write_corpus

QUESTIONS = Path(__file__).resolve().parent / "data" / "guidelines_dev.jsonl"


@dataclass
class Scores:
    questions: int
    chunks: int
    hit_at_1: float
    hit_at_3: float
    mrr_at_10: float
    section_at_1: float
    answer_quotes_gold: float
    refused: float  # the evidence model's refusals (calibrated on the health corpus)
    seconds: float


def _right(hit, question: dict) -> bool:
    chunk = hit.chunk
    return chunk.source.endswith(question["file"]) and question["answer_contains"] in chunk.text


def evaluate(models: Path, questions: list[dict]) -> Scores:
    from assistant.app.troly import open_troly
    from assistant.core.domain import IndexSummary
    from assistant.core.settings import Settings

    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = Path(tmp) / "data"
        data_dir.mkdir()
        (data_dir / "models").symlink_to(models.resolve(), target_is_directory=True)
        settings = Settings(_env_file=None, data_dir=data_dir)
        corpus = write_corpus(Path(tmp) / "corpus")
        indexed: list[IndexSummary] = []
        # indexed before the query side reads the corpus statistics
        with open_troly(settings, dossier=False,
                        before_answering=lambda index: indexed.append(index.indexer.index_paths(corpus))) as troly:
            (summary,) = indexed
            retriever = troly.retriever
            answerer = troly.answerers.extractive
            ranks, sections, answers, refused = [], [], [], []
            for q in questions:
                hits = retriever.retrieve(q["question"], 10)
                rank = next((i for i, h in enumerate(hits, start=1) if _right(h, q)), None)
                ranks.append(rank)
                top = hits[0].chunk if hits else None
                sections.append(bool(top and top.article_path.endswith(q["section"])))
                answer = answerer.answer(q["question"], hits)
                first = answer.citations[0].quote if answer.citations else ""
                answers.append(q["answer_contains"] in first)
                refused.append(answer.refused)
    n = len(questions)
    return Scores(
        questions=n,
        chunks=summary.chunks,
        hit_at_1=round(sum(r == 1 for r in ranks) / n, 3),
        hit_at_3=round(sum(r is not None and r <= 3 for r in ranks) / n, 3),
        mrr_at_10=round(sum(1 / r for r in ranks if r) / n, 3),
        section_at_1=round(sum(sections) / n, 3),
        answer_quotes_gold=round(sum(answers) / n, 3),
        refused=round(sum(refused) / n, 3),
        seconds=round(time.perf_counter() - started, 1),
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", type=Path, default=Path(".cache/test-models"),
                        help="folder holding the prepared multilingual-e5-small")  # fmt: skip
    parser.add_argument("--questions", type=Path, default=QUESTIONS)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args(argv)
    questions = [json.loads(line) for line in args.questions.read_text("utf-8").splitlines() if line]
    scores = evaluate(args.models, questions)
    print(json.dumps(asdict(scores), ensure_ascii=False))
    if args.out:
        args.out.write_text(json.dumps(asdict(scores), ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
