"""Real traffic for benchmarks and load runs, in one place: citizen questions from Zalo AI legal
text retrieval (`zalo_ltr/zalo_question.json`) and VLSP 2025 DRiLL (`vlsp2025_drill/train.json`),
split into regulation and TTHC (procedure) questions, dossier codes from the reference
one-stop-shop database, and the request mix a simulated citizen sends."""

from __future__ import annotations

import json
import logging
import random
import re
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
_TTHC = re.compile(
    r"thủ tục|hồ sơ|lệ phí|giấy phép|chứng chỉ|cấp lại|cấp đổi|đăng ký|giấy chứng nhận"
)


def read_questions(shared_data: Path | None) -> list[str]:
    """Every question of the traffic files found under `shared_data`, NFC, in file order."""
    questions: list[str] = []
    for rel, key in TRAFFIC_FILES:
        path = (shared_data / rel) if shared_data else None
        if path is None or not path.is_file():
            continue
        records = json.loads(path.read_text(encoding="utf-8"))
        questions += [unicodedata.normalize("NFC", r[key]).strip() for r in records if r.get(key)]
    return questions


def traffic_questions(shared_data: Path | None, n: int = 500, seed: int = 13) -> list[str]:
    """A reproducible shuffled sample of real questions; a small built-in list when the shared
    data is absent."""
    questions = read_questions(shared_data)
    if not questions:
        log.warning("no traffic questions found; using the built-in list", extra={"dir": str(shared_data)})
        questions = list(FALLBACK)
    random.Random(seed).shuffle(questions)
    return (questions * (n // len(questions) + 1))[:n]


def real_questions(shared: Path) -> tuple[list[str], list[str]]:
    """(regulation, tthc) questions: TTHC = the ones about procedures, dossiers, fees, permits."""
    texts = read_questions(shared)
    tthc = [t for t in texts if _TTHC.search(t.lower())]
    regulation = [t for t in texts if not _TTHC.search(t.lower())]
    if not tthc or not regulation:
        raise SystemExit(f"no questions under {shared}")
    return regulation, tthc


def reference_dossiers(db_path: Path, limit: int = 240) -> list[tuple[str, str]]:
    """(code, phone last 4) pairs from the reference one-stop-shop database."""
    from connectors.reference.db import ReferenceStore

    store = ReferenceStore(db_path)
    try:
        return [(code, store.find(code).phone[-4:]) for code in store.codes(limit)]
    finally:
        store.close()


class Mix:
    """The citizens' request mix, reproducible from its seed."""

    def __init__(self, regulation: list[str], tthc: list[str], dossiers: list[tuple[str, str]],
                 seed: int = 7) -> None:
        self.rng = random.Random(seed)
        self.regulation, self.tthc, self.dossiers = regulation, tthc, dossiers
        self._dossier = 0

    def next(self) -> tuple[str, str, dict]:
        """(kind, path, json body): 40 % regulation, 35 % TTHC, 25 % dossier (half by chat)."""
        roll = self.rng.random()
        if roll < 0.40:
            return "regulation", "/v1/chat", {"message": self.rng.choice(self.regulation)}
        if roll < 0.75:
            return "tthc", "/v1/chat", {"message": self.rng.choice(self.tthc)}
        code, last4 = self.dossiers[self._dossier % len(self.dossiers)]
        self._dossier += 1
        if roll < 0.875:
            return "dossier_chat", "/v1/chat", {
                "message": f"Cho tôi hỏi tình trạng hồ sơ {code}, số điện thoại đuôi {last4}"}
        return "dossier_lookup", "/v1/dossiers/lookup", {"code": code, "verification": last4}
