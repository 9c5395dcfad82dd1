"""Real question phrasing for benchmarks and load tests: citizen questions from Zalo AI legal
text retrieval (`zalo_ltr/zalo_question.json`) and VLSP 2025 DRiLL (`vlsp2025_drill/train.json`)."""

from __future__ import annotations

import json
import logging
import random
import unicodedata
from pathlib import Path

log = logging.getLogger(__name__)

TRAFFIC_FILES = (("zalo_ltr/zalo_question.json", "text"), ("vlsp2025_drill/train.json", "question"))
FALLBACK = (
    "Hồ sơ cấp chứng chỉ hành nghề dược gồm những gì?",
    "Mức hưởng bảo hiểm y tế khi khám trái tuyến là bao nhiêu?",
    "thu tuc cap giay phep hoat dong phong kham",
    "Lệ phí cấp giấy chứng nhận đủ điều kiện kinh doanh dược là bao nhiêu?",
)


def traffic_questions(shared_data: Path | None, n: int = 500, seed: int = 13) -> list[str]:
    """A reproducible shuffled sample of real questions; a small built-in list when the shared
    data is absent."""
    questions: list[str] = []
    for rel, key in TRAFFIC_FILES:
        path = (shared_data / rel) if shared_data else None
        if path is None or not path.is_file():
            continue
        records = json.loads(path.read_text(encoding="utf-8"))
        questions += [unicodedata.normalize("NFC", r[key]).strip() for r in records if r.get(key)]
    if not questions:
        log.warning("no traffic questions found; using the built-in list", extra={"dir": str(shared_data)})
        questions = list(FALLBACK)
    random.Random(seed).shuffle(questions)
    return (questions * (n // len(questions) + 1))[:n]
