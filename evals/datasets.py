"""Question sets for `troly eval`: our JSONL format and the ALQAC / legal-entailment JSON shapes,
all read into one `EvalQuestion` type whose relevant units use the index's unit ids."""

from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assistant.core.errors import LoadError

FORMATS = ("jsonl", "alqac", "entailment")
# Kinds whose questions have no answer in the corpus: refusing them is right.
UNANSWERABLE_KINDS = frozenset({"out_of_scope"})
# Kinds with an implied expected route when the question does not name one.
KIND_ROUTES = {"dossier_status": "dossier_status", "out_of_scope": "out_of_scope"}


@dataclass(frozen=True)
class EvalQuestion:
    id: str
    kind: str
    question: str
    relevant: tuple[str, ...] = ()  # unit ids: "45.4.LQ.13", "1.013614", "law_id#article_id"
    answer_facts: tuple[str, ...] = ()
    audience: str = "citizen"  # "citizen" or "staff" (as ChatService.ask takes it)
    route: str = ""  # expected route, "" = not checked

    @property
    def answerable(self) -> bool:
        return self.kind not in UNANSWERABLE_KINDS and bool(self.relevant or self.answer_facts)


def unit_key(law_id: str, article_id: str) -> str:
    """The unit id of an article in a law-collection corpus (ALQAC, legal entailment)."""
    return f"{_nfc(law_id)}#{_nfc(article_id)}"


def _nfc(value: Any) -> str:
    return unicodedata.normalize("NFC", str(value)).strip()


def _audience(value: Any) -> str:
    value = _nfc(value or "citizen").lower()
    return "citizen" if value in {"public", "citizen", ""} else value


def _from_jsonl_record(record: dict[str, Any], line: int, path: Path) -> EvalQuestion:
    if not record.get("question"):
        raise LoadError(str(path), f"dòng {line}: thiếu trường 'question' / line {line}: no 'question'")
    kind = _nfc(record.get("kind") or "default")
    return EvalQuestion(
        id=_nfc(record.get("id") or f"q{line}"),
        kind=kind,
        question=_nfc(record["question"]),
        relevant=tuple(_nfc(u) for u in record.get("relevant") or ()),
        answer_facts=tuple(_nfc(f) for f in record.get("answer_facts") or ()),
        audience=_audience(record.get("audience")),
        route=_nfc(record.get("route") or KIND_ROUTES.get(kind, "")),
    )


def load_jsonl(path: Path) -> list[EvalQuestion]:
    questions = []
    for line_no, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("//"):
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise LoadError(str(path), f"dòng {line_no}: JSON không hợp lệ / invalid JSON: {exc}") from exc
        questions.append(_from_jsonl_record(record, line_no, path))
    return questions


def _from_law_record(record: dict[str, Any], key: str, index: int, kind: str) -> EvalQuestion:
    refs = record.get(key) or []
    return EvalQuestion(
        id=_nfc(record.get("question_id") or record.get("example_id") or f"q{index}"),
        kind=_nfc(record.get("question_type") or kind),
        question=_nfc(record.get("text") or record.get("statement") or ""),
        relevant=tuple(unit_key(r["law_id"], r["article_id"]) for r in refs),
    )


def load_law_questions(path: Path, key: str = "relevant_articles", kind: str = "alqac") -> list[EvalQuestion]:
    """ALQAC (`relevant_articles`) or legal entailment (`legal_passages`) questions; relevant units
    become `law_id#article_id`. The ALQAC question type (Đúng/Sai, Trắc nghiệm, Tự luận) is the kind."""
    try:
        records = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise LoadError(str(path), f"không đọc được JSON / cannot read JSON: {exc}") from exc
    if not isinstance(records, list):
        raise LoadError(str(path), "cần một danh sách câu hỏi / expected a list of questions")
    questions = [_from_law_record(r, key, i, kind) for i, r in enumerate(records, start=1)]
    return [q for q in questions if q.question]


def detect_format(path: Path) -> str:
    if path.suffix.lower() == ".jsonl":
        return "jsonl"
    head = path.read_text(encoding="utf-8")[:20000]
    if "legal_passages" in head:
        return "entailment"
    if "relevant_articles" in head:
        return "alqac"
    return "jsonl"


def load_questions(path: Path | str, fmt: str | None = None) -> list[EvalQuestion]:
    """Read a question file; `fmt` is one of FORMATS, or None to detect it from the content."""
    path = Path(path)
    if not path.is_file():
        raise LoadError(str(path), "không tìm thấy tệp câu hỏi / question file not found")
    fmt = fmt or detect_format(path)
    if fmt == "jsonl":
        return load_jsonl(path)
    if fmt == "alqac":
        return load_law_questions(path, "relevant_articles", "alqac")
    if fmt == "entailment":
        return load_law_questions(path, "legal_passages", "entailment")
    raise LoadError(str(path), f"định dạng không hỗ trợ / unsupported format: {fmt}")
