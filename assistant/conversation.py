"""Conversation state and follow-up questions ("thế còn phí thì sao?").

A `ConversationStore` keeps per-conversation state (in memory by default; the API may plug a
database-backed one). Without an LLM, a follow-up is understood by carrying the previous topic
forward: the previous standalone question is appended and the previous answer's units are
boosted, so "phí" is answered for the same procedure. With an LLM, the service asks it to
condense the question first (see assistant/service.py).
"""

from __future__ import annotations

import re
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any, Protocol

from assistant.answering.tthc import SUMMARY, asked_aspects
from assistant.core.text import fold_accents, normalize_text

_CUES_ACCENTED = re.compile(
    r"^(?:thế còn|vậy còn|còn|thế thì|vậy thì|nếu vậy|ngoài ra|thêm nữa)\b|\bthì sao\b"
    r"|\b(?:thủ tục|văn bản|điều|quy định|trường hợp|giấy phép|điều luật) (?:này|đó|trên|ấy)\b"
    r"|\b(?:nó|cái đó|cái này|điều đó)\b"
)
_CUES_FOLDED = re.compile(
    r"^(?:the con|vay con|the thi|vay thi|neu vay|ngoai ra)\b|\bthi sao\b"
    r"|\b(?:thu tuc|van ban|quy dinh|giay phep) (?:nay|tren)\b"
)
_MAX_SHORT_WORDS = 5


@dataclass
class Turn:
    question: str  # as the user typed it
    standalone: str  # as it was searched
    answer: str
    route: str
    unit_ids: list[str] = field(default_factory=list)  # cited units, best first


@dataclass
class ConversationState:
    turns: list[Turn] = field(default_factory=list)
    dossier: Any = None  # the dossier flow's own state (assistant.dossier_flow.DossierFlowState)
    updated: float = field(default_factory=time.time)

    @property
    def last(self) -> Turn | None:
        return self.turns[-1] if self.turns else None

    def history(self, n: int = 3) -> list[tuple[str, str]]:
        return [(t.question, t.answer) for t in self.turns[-n:]]


class ConversationStore(Protocol):
    def load(self, conversation_id: str) -> ConversationState: ...

    def save(self, conversation_id: str, state: ConversationState) -> None: ...


class InMemoryConversationStore:
    """Bounded LRU of conversations; idle ones expire after `ttl_s`."""

    def __init__(self, max_conversations: int = 2000, ttl_s: float = 3600.0, max_turns: int = 10) -> None:
        self.max_conversations = max_conversations
        self.ttl_s = ttl_s
        self.max_turns = max_turns
        self._items: OrderedDict[str, ConversationState] = OrderedDict()
        self._lock = threading.Lock()

    def load(self, conversation_id: str) -> ConversationState:
        with self._lock:
            state = self._items.get(conversation_id)
            if state is None or time.time() - state.updated > self.ttl_s:
                return ConversationState()
            self._items.move_to_end(conversation_id)
            return state

    def save(self, conversation_id: str, state: ConversationState) -> None:
        state.turns = state.turns[-self.max_turns :]
        state.updated = time.time()
        with self._lock:
            self._items[conversation_id] = state
            self._items.move_to_end(conversation_id)
            while len(self._items) > self.max_conversations:
                self._items.popitem(last=False)


def is_follow_up(question: str, state: ConversationState) -> bool:
    """A question that leans on the previous answered turn: a cue ("thế còn", "thì sao",
    "thủ tục này"), or, after a procedure answer, a short question about one of its parts
    ("Lệ phí bao nhiêu?", "Nộp ở đâu?")."""
    last = state.last
    if last is None or last.route not in ("regulation", "tthc"):
        return False
    text = normalize_text(question).lower()
    folded = fold_accents(text)
    cues = _CUES_FOLDED if folded == text else _CUES_ACCENTED
    if cues.search(text):
        return True
    short = len(text.split()) <= _MAX_SHORT_WORDS
    return short and last.route == "tthc" and asked_aspects(question) != SUMMARY


def carry_topic(question: str, state: ConversationState) -> tuple[str, list[str]]:
    """(standalone question, units to boost) for a follow-up; unchanged otherwise."""
    if not is_follow_up(question, state):
        return question, []
    last = state.last
    assert last is not None
    return f"{normalize_text(question)} ({last.standalone})", last.unit_ids[:1]
