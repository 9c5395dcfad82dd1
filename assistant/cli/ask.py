"""`troly ask "câu hỏi"` and `troly search "câu hỏi"`: the chat service from the command line.
With `--json` they print exactly what the API returns (the Answer object / the ranked chunks)."""

from __future__ import annotations

import argparse
import json
import sys
from contextlib import ExitStack
from dataclasses import asdict
from typing import Any

from assistant.answering.citations import format_sources
from assistant.core.domain import Answer, ScoredChunk
from assistant.core.interfaces import ChatService
from assistant.core.settings import Settings


def register(subparsers: Any) -> None:
    ask = subparsers.add_parser("ask", help="Hỏi troly một câu (trả lời có dẫn nguồn)")
    ask.add_argument("question", help="Câu hỏi, ví dụ: \"Điều kiện cấp chứng chỉ hành nghề dược?\"")
    _audience(ask)
    ask.add_argument("--json", action="store_true", help="In đối tượng trả lời dạng JSON")
    ask.set_defaults(handler=ask_command)

    search = subparsers.add_parser("search", help="Tìm các đoạn văn bản liên quan (kèm điểm)")
    search.add_argument("question", help="Câu truy vấn")
    search.add_argument("-k", "--limit", type=int, default=10, help="Số kết quả (mặc định 10)")
    _audience(search)
    search.add_argument("--type", action="append", dest="types", help="Chỉ loại văn bản này (lặp được)")
    search.add_argument("--field", action="append", dest="fields", help="Chỉ lĩnh vực TTHC này (lặp được)")
    search.add_argument("--json", action="store_true", help="In danh sách kết quả dạng JSON")
    search.set_defaults(handler=search_command)


def _audience(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--audience", choices=["citizen", "staff"], default="citizen",
        help="citizen: chỉ văn bản công khai (mặc định); staff: cả văn bản nội bộ",
    )


def _service(settings: Settings) -> tuple[ExitStack, ChatService]:
    """The chat service, and what closes it. The CLI starts no reference one-stop-shop of its
    own: dossier questions are answered when iGate is configured."""
    from assistant.app.troly import open_troly

    closing = ExitStack()
    troly = closing.enter_context(open_troly(settings))
    return closing, troly.chat


def ask_command(args: argparse.Namespace, settings: Settings) -> int:
    closing, service = _service(settings)
    try:
        answer = service.ask(args.question, audience=args.audience, conversation_id=None, client_id="cli")
    finally:
        closing.close()
    print(answer_json(answer) if args.json else answer_text(answer))
    return 0


def search_command(args: argparse.Namespace, settings: Settings) -> int:
    closing, service = _service(settings)
    try:
        hits = service.search(
            args.question,
            audience=args.audience,
            limit=max(1, args.limit),
            document_types=tuple(args.types) if args.types else None,
            fields=tuple(args.fields) if args.fields else None,
        )
    finally:
        closing.close()
    if args.json:
        print(json.dumps([hit_record(h) for h in hits], ensure_ascii=False, indent=2))
    else:
        print(hits_text(hits) or "Không tìm thấy đoạn văn bản nào.", file=sys.stdout)
    return 0


def answer_json(answer: Answer) -> str:
    return json.dumps(asdict(answer), ensure_ascii=False, indent=2)


def answer_text(answer: Answer) -> str:
    parts = [answer.answer]
    if answer.citations:
        parts.append("Nguồn:\n" + format_sources(answer.citations))
    total = answer.timings_ms.get("total")
    footer = f"(độ tin cậy {answer.confidence:.2f}"
    footer += f", {total:.0f} ms)" if total is not None else ")"
    parts.append(footer)
    return "\n\n".join(parts)


def hit_record(hit: ScoredChunk) -> dict[str, Any]:
    c = hit.chunk
    return {
        "unit_id": c.unit_id,
        "chunk_id": c.chunk_id,
        "score": round(hit.score, 6),
        "title": c.title,
        "article_path": c.article_path,
        "text": c.text,
    }


def hits_text(hits: list[ScoredChunk]) -> str:
    lines = []
    for rank, hit in enumerate(hits, start=1):
        c = hit.chunk
        where = " › ".join(p for p in (c.title, c.article_path) if p)
        snippet = " ".join(c.text.split())[:240]
        lines.append(f"{rank:>2}. [{hit.score:.4f}] {c.unit_id} — {where}\n    {snippet}")
    return "\n".join(lines)
