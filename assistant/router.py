"""Routes a chat message to one of five routes with rules and weighted keywords (no model):
`dossier_status` (where is my dossier), `tthc` (how to do a procedure: documents, fees, time
limits), `regulation` (what the law says), `greeting`, `out_of_scope`. Matching runs on
accent-folded, abbreviation-expanded text, so "ho so cua toi den dau roi" and "hs" work."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from assistant.abbreviations import curated_dictionary
from assistant.core.domain import Route
from assistant.core.dossier_codes import find_code, find_verification, looks_like_code, strip_code
from assistant.core.text import fold_words

# Chat shorthand that is not in the curated dictionary (`corpus/abbreviations.tsv`, which holds
# the domain abbreviations: "kcb", "bhyt", "cchn"...): it would mislead retrieval ("k", "e", "r")
# or name words the regulations spell out anyway. A word is in one table or the other, never both.
CHAT_SHORTHAND = {
    "hs": "ho so", "ktra": "kiem tra", "k": "khong", "ko": "khong", "kh": "khong", "hok": "khong",
    "dc": "duoc", "j": "gi", "ntn": "nhu the nao", "bn": "bao nhieu", "sdt": "so dien thoai",
    "nd": "nghi dinh", "qd": "quyet dinh", "pk": "phong kham", "mk": "minh", "mik": "minh",
    "e": "em", "r": "roi", "chx": "chua", "vd": "vi du", "ok": "ok",
}
_P = re.compile

# (pattern, weight) per route, matched on folded text. Possession and progress words mark a
# question about one's own dossier; documents/fees/time limits mark a procedure question.
_RULES: dict[str, list[tuple[re.Pattern[str], float]]] = {
    "dossier_status": [
        (_P(r"\btra cuu (ho so|ket qua|tinh trang|trang thai|tien do)"), 4),
        (_P(r"\b(tinh trang|trang thai|tien do|tinh hinh)( xu ly| giai quyet)?( cua)? ho so"), 4),
        (_P(r"\bho so( \w+){0,8} cua (toi|em|minh|tui|chi|anh|con|quan|cong ty)\b|"
            r"\bho so (toi|em|minh|tui)\b"), 3),
        (_P(r"\bho so\b.*\b(den dau|toi dau|o dau roi|the nao roi|gio the nao|sao roi|buoc nao|"
            r"xong chua|duyet chua|ket qua chua|den so chua|tiep nhan hay chua|dang xu ly)"), 3),
        (_P(r"\bho so\b.*\b(da|duoc)\b.*\bchua\b"), 2),
        (_P(r"\b(kiem tra|check|xem)( giup| dum| ho)?\b.*\bho so\b|\bho so\b.*\b(kiem tra|check)"
            r" (giup|dum|ho)"), 3),
        (_P(r"\b(chua (thay|co|nhan duoc) ket qua|bao gio co ket qua|khi nao .*(nhan|co) ket "
            r"qua|giay hen|tre hen|qua han)"), 3),
        (_P(r"\bho so\b.*\b(bi tra ve|bi yeu cau bo sung|khong (duoc )?tiep nhan|bi tre)"), 3),
        (_P(r"\b(da nop|nop tu|nop hom|nop lau|nop qua buu dien|da nhan ho so)"), 2),
        (_P(r"\bma ho so\b"), 2),
    ],
    "tthc": [
        (_P(r"\bthu tuc\b"), 3),
        (_P(r"\b(le phi|phi tham dinh|bao nhieu tien|het bao nhieu|mat phi|chi phi|ton phi)"), 3),
        (_P(r"\b(gom nhung gi|gom nhung giay to|thanh phan ho so|giay to (gi|nao)|can nhung gi|"
            r"can gi|can chuan bi|chuan bi nhung gi|can lam gi|lam ho so)"), 3),
        (_P(r"\b(mau don|to khai|trinh tu|cac buoc|nop (ho so )?o dau|co quan nao giai quyet|"
            r"truc tuyen (duoc|nhu the nao)|qua dich vu cong)"), 3),
        (_P(r"\b(thoi han giai quyet|bao lau|bao nhieu ngay|mat bao lau)"), 2),
        (_P(r"\b(cap (moi|lai|doi)|gia han|dieu chinh|thu hoi|cong bo|xin (cap|giay|phep)|"
            r"cap (giay|chung chi|phep|so)|dang ky (hanh nghe|kinh doanh))"), 2),
        (_P(r"\b(giay phep|chung chi hanh nghe|giay chung nhan|giay xac nhan|ho so de nghi|"
            r"ho so (xin|cap))"), 1),
        (_P(r"\b(mo|muon mo) (nha thuoc|quay thuoc|phong kham|co so)"), 2),
    ],
    "regulation": [
        (_P(r"\b(luat|nghi dinh|thong tu|van ban|dieu \d+|khoan \d+|quy dinh)\b"), 3),
        (_P(r"\b(bi phat|xu phat|muc phat|phat bao nhieu|vi pham|bi cam|co bi cam|bi xu ly)"), 3),
        (_P(r"\b(co (duoc|bi|phai)|bat buoc|quyen|nghia vu|trach nhiem|hieu luc|la gi|"
            r"phai (dap ung|co|dong|ghi))\b"), 2),
        (_P(r"\b(bao hiem y te|muc huong|trai tuyen|dung tuyen|chuyen tuyen|vuot tuyen|"
            r"cung chi tra)"), 2),
        (_P(r"\b(benh truyen nhiem|tiem chung|vac xin|thuoc la|ruou|bia|hien tang|hiv|ghi nhan|"
            r"phan loai|pham vi hanh nghe|don thuoc|ke don|khang sinh|quang cao thuoc)"), 2),
        (_P(r"\b(dieu kien)\b"), 1),
    ],
    "greeting": [
        (_P(r"^(xin )?chao\b|^(hello|hi|hey|alo|good (morning|afternoon))\b"), 3),
        (_P(r"\b(cam on|thank|thanks|tam biet|bye)\b"), 3),
        (_P(r"\b(ban la ai|ban ten gi|ban lam duoc gi|giup (duoc )?gi|(tro ly|bot)\b.*\b"
            r"(dung|su dung) (the nao|nhu the nao))"), 3),
        (_P(r"^ok\b"), 2),
    ],
}
_HEALTH = _P(
    r"\b(y te|thuoc|duoc|benh|kham|bac si|bac sy|dieu duong|ho sinh|y si|y sy|luong y|"
    r"nha khoa|my pham|thuc pham|an toan thuc pham|vac xin|tiem|hiv|ruou|bia|hanh nghe|suc khoe|"
    r"xet nghiem|tham my|y hoc|dich benh|cach ly|hien tang|tang|chua benh|sinh con|co so)\b"
)
_OTHER_SECTORS = _P(
    r"\b(thoi tiet|bong da|nau|mon an|gia vang|ty gia|co phieu|chung khoan|lai suat|ngan hang|"
    r"ho chieu|visa|bang lai|lai xe|xe may|o to|dang kiem|khai sinh|khai tu|ket hon|ly hon|"
    r"ho khau|tam tru|so do|so hong|sang ten|dat dai|nha dat|su dung dat|xay dung|thue|xo so|ve may bay|"
    r"khach san|du lich|phim|nhac|game|zalo|facebook|may tinh|wifi|can cuoc|cccd|gan chip|"
    r"taxi|nguoi yeu|bai tho|chuyen cuoi|ke chuyen|tieng anh|dich giup|dich sang|xin viec|"
    r"nghi tet|lich nghi|giam can|tuyen sinh|hoc phi)\b|\d+\s*[-+*/x]\s*\d+|bang may"
)
_MEDICAL_ADVICE = _P(
    r"\b(uong thuoc gi|nen uong|bi (sot|dau|ho|cam|tieu chay|non)|sot \d+|phai lam sao|"
    r"cach chua|chua (khoi|dut))\b"
)


@dataclass(frozen=True)
class RouteDecision:
    route: Route
    dossier_code: str = ""
    verification: str = ""
    confidence: float = 0.0


@lru_cache(maxsize=1)
def abbreviations() -> dict[str, str]:
    """Folded word -> folded expansion: the curated dictionary's, then the chat shorthand."""
    return {**curated_dictionary().folded_words(), **CHAT_SHORTHAND}


def fold(text: str) -> str:
    """Lower-case, accent-folded, punctuation-free text with chat abbreviations expanded."""
    table = abbreviations()
    return " ".join(table.get(word, word) for word in fold_words(text))


def scores(folded: str) -> dict[str, float]:
    return {
        route: sum(weight for pattern, weight in rules if pattern.search(folded))
        for route, rules in _RULES.items()
    }


def route(message: str, state: Any = None) -> RouteDecision:
    """Pick a route. `state` is the conversation's DossierFlowState (or None): when troly has
    just asked for a dossier code or verification factor, a reply carrying one continues the
    dossier flow."""
    code = find_code(message)
    awaiting = bool(getattr(state, "awaiting", ""))
    verification = ""
    if code or awaiting:
        verification = find_verification(strip_code(message, code)) or ""
    if code:
        return RouteDecision("dossier_status", code.code, verification, 0.97)
    folded = fold(message)
    if awaiting and (verification or looks_like_code(message)) and len(folded.split()) <= 8:
        return RouteDecision("dossier_status", "", verification, 0.9)
    return _by_keywords(folded)


def _by_keywords(folded: str) -> RouteDecision:
    score = scores(folded)
    health = bool(_HEALTH.search(folded))
    if _OTHER_SECTORS.search(folded) and not health:
        return RouteDecision("out_of_scope", confidence=0.85)
    topical = {r: score[r] for r in ("dossier_status", "tthc", "regulation")}
    best_route = max(topical, key=lambda r: topical[r])  # ties: dict order = priority
    best = topical[best_route]
    if _MEDICAL_ADVICE.search(folded) and best < 3:
        return RouteDecision("out_of_scope", confidence=0.7)
    if best == 0:
        if score["greeting"] > 0:
            return RouteDecision("greeting", confidence=0.9)
        return RouteDecision("regulation" if health else "out_of_scope", confidence=0.4)
    second = sorted(topical.values())[-2]
    confidence = min(0.95, 0.5 + 0.45 * (best - second) / best + 0.05 * min(best, 4) / 4)
    return RouteDecision(best_route, confidence=round(confidence, 2))  # type: ignore[arg-type]
