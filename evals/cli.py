"""`troly eval` and `troly bench`."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from assistant.core.settings import DEMO_CORPUS_DIR, PROJECT_ROOT, Settings


ROUTING_DEV = PROJECT_ROOT / "evals" / "data" / "routing_dev.jsonl"


def _shared_data() -> Path:
    return Path(os.environ.get("TROLY_SHARED_DATA", PROJECT_ROOT.parent / "shared" / "data"))


def _int_list(text: str) -> tuple[int, ...]:
    return tuple(int(v.replace("_", "")) for v in text.split(",") if v.strip())


def register(sub: argparse._SubParsersAction) -> None:
    e = sub.add_parser("eval", help="Đánh giá chất lượng truy xuất và trả lời (evaluation)")
    e.add_argument("--questions", type=Path, help="Tệp câu hỏi (JSONL hoặc ALQAC JSON)")
    e.add_argument("--routing", type=Path, nargs="?", const=ROUTING_DEV,
                   help="Thêm độ chính xác định tuyến trên tệp nhãn {id,text,route} (mặc định evals/data/routing_dev.jsonl)")
    e.add_argument("--format", dest="fmt", choices=["jsonl", "alqac", "entailment"], help="Mặc định: tự nhận dạng")
    e.add_argument("--compare", action="store_true",
                   help="So sánh BM25, dense, hybrid, hybrid + hiểu câu hỏi và llama-index mặc định")
    e.add_argument("--diacritics-gap", action="store_true",
                   help="Hỏi lại các câu hỏi đã bỏ dấu, so sánh Recall@5 / also ask every question without diacritics")
    e.add_argument("--json", type=Path, help="Ghi kết quả JSON vào đây")
    e.add_argument("--out", type=Path, help="Thư mục báo cáo (Markdown, JSON, PNG); mặc định evals/out/<tên tệp>")
    e.add_argument("-k", type=int, default=10, help="Độ sâu truy xuất (mặc định 10)")
    e.add_argument("--no-answers", action="store_true", help="Chỉ đo truy xuất, không sinh câu trả lời")
    e.add_argument("--limit", type=int, help="Chỉ dùng N câu hỏi đầu tiên")
    e.add_argument("--no-progress", action="store_true", help="Không hiện thanh tiến trình")
    e.set_defaults(handler=cmd_eval)

    b = sub.add_parser("bench", help="Đo hiệu năng: lập chỉ mục, truy vấn, quy mô, tải (benchmarks)")
    b.add_argument("--corpus", nargs="+", type=Path, help="Kho văn bản để đo lập chỉ mục (mặc định corpus/demo)")
    b.add_argument("--scale", type=_int_list, default=(10_000, 100_000), help="Số điểm tổng hợp, ví dụ 10000,100000")
    b.add_argument("--load-clients", type=int, default=20)
    b.add_argument("--load-seconds", type=float, default=60.0)
    b.add_argument("--queries", type=int, default=200, help="Số truy vấn đo truy xuất (câu trả lời: một nửa)")
    b.add_argument("--only", default=",".join(("indexing", "queries", "scale", "load")),
                   help="Các phần cần chạy: indexing,queries,scale,load,ocr")
    b.add_argument("--quality", action="store_true",
                   help="Đo lại bảng chất lượng int8 so với fp32 (ALQAC, health dev; mất nhiều giờ). "
                   "Mặc định in kết quả đã ghi lần trước (evals/results/quantization_quality.json)")
    b.add_argument("--json", type=Path, help="Ghi kết quả JSON vào đây")
    b.set_defaults(handler=cmd_bench)


def _routing_block(path: Path) -> dict:
    from evals.routing import routing_accuracy

    result = routing_accuracy(path)
    result["errors"] = len(result.get("errors", []))
    return {"file": str(path), **result}


def cmd_eval(args: argparse.Namespace, settings: Settings) -> int:
    if args.questions is None:
        if args.routing is None:
            print("Cần --questions hoặc --routing / need --questions or --routing", file=sys.stderr)
            return 2
        routing = _routing_block(args.routing)
        print(json.dumps(routing, ensure_ascii=False, indent=2))
        if args.json:
            args.json.write_text(json.dumps({"routing": routing}, ensure_ascii=False, indent=2), encoding="utf-8")
        return 0
    from evals.datasets import load_questions
    from evals.machine import machine_facts, one_line
    from evals.report import to_markdown, write_report
    from evals.runner import diacritics_gap, evaluate
    from evals.systems import open_pipeline

    questions = load_questions(args.questions, args.fmt)[: args.limit]
    progress = not args.no_progress
    with open_pipeline(settings) as pipeline:
        variants = pipeline.variants(progress=progress) if args.compare else {}
        run = evaluate(
            questions,
            pipeline.primary,
            answerer=None if args.no_answers else pipeline.answerer,
            variants=variants,
            k=args.k,
            progress=progress,
        )
        if args.diacritics_gap:
            run.summary["diacritics_gap"] = diacritics_gap(
                questions, run.outcomes, pipeline.primary, max(args.k, 10), progress=progress
            )
        meta = {
            "questions": str(args.questions),
            "format": args.fmt or "auto",
            "n_questions": len(questions),
            "command": "troly " + " ".join(sys.argv[1:]),
            "machine": one_line(machine_facts()),
            **pipeline.facts(),
        }
    if args.routing is not None:
        run.summary["routing"] = _routing_block(args.routing)
    out_dir = args.out or PROJECT_ROOT / "evals" / "out" / args.questions.stem
    outcomes = {"default": run.outcomes, **run.variant_outcomes}
    paths = write_report(run.summary, meta, out_dir, outcomes, json_path=args.json)
    print(to_markdown(run.summary, meta))
    print("\n".join(f"{name}: {path}" for name, path in paths.items()))
    return 0


def cmd_bench(args: argparse.Namespace, settings: Settings) -> int:
    from evals.bench import PARTS, BenchOptions, format_summary, run_bench
    from evals.traffic import traffic_questions

    only = tuple(p.strip() for p in args.only.split(",") if p.strip())
    unknown = set(only) - set(PARTS)
    if unknown:
        print(f"Phần không hợp lệ / unknown parts: {sorted(unknown)} ({','.join(PARTS)})", file=sys.stderr)
        return 2
    options = BenchOptions(
        corpus=args.corpus or [DEMO_CORPUS_DIR],
        questions=traffic_questions(_shared_data(), n=max(args.queries, 500)),
        only=only,
        scale=args.scale,
        n_search=args.queries,
        n_answer=max(args.queries // 2, 1),
        load_clients=args.load_clients,
        load_seconds=args.load_seconds,
        quality=args.quality,
        shared_data=_shared_data(),
    )
    result = run_bench(settings, options)
    result["command"] = "troly " + " ".join(sys.argv[1:])
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(result, ensure_ascii=False, indent=2, default=str), encoding="utf-8")
    print(format_summary(result))
    return 0
