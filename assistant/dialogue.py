"""The turns that are not document questions: greetings, clearly out-of-scope messages and
dossier-status lookups (delegated to `assistant.dossier_flow`). The router
(`assistant.router.route`) decides; the chat service calls `Dialogue.handle`."""

from __future__ import annotations

import logging
from typing import Any, Protocol

from assistant.core.domain import Answer

log = logging.getLogger(__name__)

GREETING = (
    "Xin chào! Tôi là trợ lý ảo của Sở Y tế. Tôi có thể giúp anh/chị tra cứu văn bản pháp luật "
    "ngành y tế (dược, bảo hiểm y tế, an toàn thực phẩm, bệnh truyền nhiễm...), thủ tục hành "
    "chính (hồ sơ, thời hạn, phí, nơi nộp) và tình trạng hồ sơ đã nộp (cần mã hồ sơ)."
)
OUT_OF_SCOPE = (
    "Xin lỗi, câu hỏi này nằm ngoài phạm vi hỗ trợ của trợ lý ảo Sở Y tế (văn bản pháp luật, "
    "thủ tục hành chính ngành y tế và tra cứu hồ sơ). Anh/chị vui lòng liên hệ {contact}."
)
LOOKUP_DOWN = (
    "Hiện chưa tra cứu được tình trạng hồ sơ. Anh/chị vui lòng thử lại sau hoặc liên hệ {contact}."
)


class RouteDecision(Protocol):
    route: str  # "regulation" | "tthc" | "dossier_status" | "greeting" | "out_of_scope"
    confidence: float


class Router(Protocol):
    def __call__(self, message: str, state: Any) -> RouteDecision: ...


class Dialogue(Protocol):
    """Answers a non-document turn; returns (answer, the conversation's new dossier state)."""

    def handle(self, message: str, decision: RouteDecision, state: Any, client_id: str) -> tuple[Answer, Any]: ...


class StandardDialogue:
    """Greeting and out-of-scope texts here; dossier status through `dossier_flow.handle`."""

    def __init__(self, contact: str, lookup: Any = None, dossier_handle: Any = None) -> None:
        self.contact = contact
        self.lookup = lookup
        self.dossier_handle = dossier_handle

    def handle(self, message: str, decision: RouteDecision, state: Any, client_id: str) -> tuple[Answer, Any]:
        if decision.route == "greeting":
            return Answer(GREETING, [], "greeting", False, float(decision.confidence)), state
        if decision.route == "dossier_status":
            if self.lookup is None or self.dossier_handle is None:
                text = LOOKUP_DOWN.format(contact=self.contact)
                return Answer(text, [], "dossier_status", True, 0.0), state
            return self.dossier_handle(message, decision, state, self.lookup, client_id)
        text = OUT_OF_SCOPE.format(contact=self.contact)
        return Answer(text, [], "out_of_scope", True, float(decision.confidence)), state


def load_router_and_dialogue(contact: str, lookup: Any = None) -> tuple[Router | None, Dialogue | None]:
    """The real router and dialogue when `assistant.router` / `assistant.dossier_flow` are
    installed, else (None, None): every message is then treated as a document question."""
    try:
        from assistant.dossier_flow import handle
        from assistant.router import route
    except ImportError as exc:
        log.info("router/dossier flow not available: %s", exc)
        return None, None
    return route, StandardDialogue(contact, lookup, handle)
