"""The conversation step for dossier-status questions. A question without a code gets asked
for the code and the verification factor; the next message (e.g. just
"000.00.21.H21-251120-0001 1234") completes the lookup. The chat service keeps one
`DossierFlowState` per conversation; the verification factor itself is never stored.
Call `handle` for turns routed to "dossier_status" (greetings and out-of-scope turns are
answered by `assistant.dialogue`)."""

from __future__ import annotations

import time
from dataclasses import dataclass

from assistant.core.domain import Answer
from assistant.core.interfaces import DossierLookup
from assistant.router import RouteDecision
from assistant.core.dossier_codes import looks_like_code
from assistant.core.dossier_messages import CODE_HINT, FACTOR_LABELS, INVALID_CODE

MAX_ASKS = 3  # stop waiting for a code after this many prompts in a row


@dataclass(frozen=True)
class DossierFlowState:
    awaiting: str = ""  # "" | "code" | "verification"
    code: str = ""  # canonical code remembered while waiting for the verification factor
    asks: int = 0  # prompts sent in a row without completing a lookup


def _answer(text: str, *, refused: bool, confidence: float, ms: float = 0.0) -> Answer:
    timings = {"dossier_lookup": round(ms, 1)} if ms else {}
    return Answer(text, [], "dossier_status", refused, confidence, timings)


def _ask(state: DossierFlowState, awaiting: str, code: str, text: str) -> tuple[Answer, DossierFlowState]:
    asks = state.asks + 1 if state.awaiting == awaiting else 1  # progress restarts the count
    new_state = DossierFlowState(awaiting, code, asks) if asks < MAX_ASKS else DossierFlowState()
    return _answer(text, refused=False, confidence=1.0), new_state


def handle(
    message: str,
    decision: RouteDecision,
    state: DossierFlowState | None,
    service: DossierLookup,
    client_id: str,
    *,
    factor: str | None = None,
) -> tuple[Answer, DossierFlowState]:
    """One turn of the dossier flow: ask for what is missing, or look the dossier up."""
    state = state or DossierFlowState()
    factor = factor or getattr(service, "verification_factor", "phone_last4")
    label = FACTOR_LABELS.get(factor, FACTOR_LABELS["phone_last4"])
    code = decision.dossier_code or state.code
    if not code:
        if state.awaiting == "code" and looks_like_code(message):
            return _ask(state, "code", "", INVALID_CODE)
        return _ask(
            state, "code", "",
            "Để tra cứu tình trạng hồ sơ, anh/chị vui lòng gửi mã hồ sơ kèm "
            f"{label} để xác minh, ví dụ: 000.00.21.H21-251120-0001 1234. {CODE_HINT}",
        )
    if not decision.verification:
        return _ask(
            state, "verification", code,
            f"Đã nhận mã hồ sơ {code}. Để bảo vệ thông tin cá nhân, anh/chị vui lòng gửi "
            f"thêm {label}.",
        )
    started = time.perf_counter()
    result = service.lookup(code, decision.verification, client_id)
    elapsed_ms = (time.perf_counter() - started) * 1000
    ok = result.outcome == "ok"
    answer = _answer(result.message, refused=not ok, confidence=1.0 if ok else decision.confidence,
                     ms=elapsed_ms)
    return answer, DossierFlowState()
