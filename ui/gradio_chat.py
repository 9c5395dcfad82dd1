"""Handlers behind the Gradio staff and citizen chats and the dossier form. Plain functions of
the app context, so they are unit-tested without a browser."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

from assistant.core.domain import Citation
from ui.error_map import map_error
from ui.chat_flow import ChatTurn
from ui.citation_view import excerpt_beyond_answer, source_name
from ui.context import AppContext
from ui.limits import InputTooLargeError

log = logging.getLogger(__name__)

Message = dict[str, Any]
ChatUpdate = tuple[list[Message], str, str | None]  # (history, cleared textbox, conversation id)

NEED_STAFF_KEY = "Vui lòng nhập khóa cán bộ hợp lệ để dùng trang này."
RATE_LIMITED = "Bạn gửi quá nhiều câu hỏi, vui lòng thử lại sau ít phút."


def _short(text: str, limit: int = 70) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def citation_title(n: int, citation: Citation) -> str:
    """`[n] <document number> <title> — <article path> (trang p)`: the number and the title,
    never a bare code."""
    title = _short(citation.title)
    number = "" if citation.document_number in title else citation.document_number  # once
    parts = [" ".join(p for p in (number, title) if p), citation.article_path]
    label = f"[{n}] " + " — ".join(p for p in parts if p)
    return label + (f" (trang {citation.page})" if citation.page else "")


def as_markdown(text: str) -> str:
    """Lines starting with "• " (dossier status, TTHC parts) as a Markdown list: Markdown would
    otherwise join them into one run-on paragraph."""
    out: list[str] = []
    for line in text.splitlines():
        if line.startswith("• "):
            if out and not out[-1].startswith("- ") and out[-1].strip():
                out.append("")
            out.append("- " + line[2:])
        else:
            out.append(line)
    return "\n".join(out)


def _quote(text: str) -> str:
    return "\n".join(f"> {line}" if line.strip() else ">" for line in text.splitlines())


def citation_details(citation: Citation, answer: str = "") -> str:
    """What expanding a citation shows: the quoted text the answer does not already say, then
    the full source label (the title above it is shortened) and the file."""
    excerpt = excerpt_beyond_answer(answer, citation.quote)
    parts = [_quote(excerpt)] if excerpt else []
    if citation.title:
        parts.append(f"_{citation.title}_")
    if source_name(citation):
        parts.append(f"Tệp nguồn: {source_name(citation)}"
                     + (f", trang {citation.page}" if citation.page else ""))
    return "\n\n".join(parts)


def citation_messages(citations: list[Citation], answer: str = "") -> list[Message]:
    """One collapsed 'thought' message per citation: the title names document number, article
    and page; expanding it shows the details (never a repeat of the answer's own text)."""
    return [
        {
            "role": "assistant",
            "content": citation_details(c, answer),
            "metadata": {"title": citation_title(n, c), "status": "done"},
        }
        for n, c in enumerate(citations, start=1)
    ]


def stream_chat(
    ctx: AppContext, message: str, history: list[Message], audience: str,
    conversation_id: str | None, client_id: str,
) -> Iterator[ChatUpdate]:
    """Append the question, stream the answer into the last message, then its citations."""
    message = (message or "").strip()
    if not message:
        yield history, "", conversation_id
        return
    try:
        ctx.policy.check_question(message)
    except InputTooLargeError as exc:  # refused before anything is echoed, stored or computed
        yield [*history, {"role": "assistant", "content": str(exc)}], "", conversation_id
        return
    history = [*history, {"role": "user", "content": message}, {"role": "assistant", "content": ""}]
    yield history, "", conversation_id
    try:
        for piece in ctx.runner.stream(message, audience, conversation_id, client_id,
                                       channel=f"ui-{audience}"):
            if isinstance(piece, ChatTurn):
                history[-1]["content"] = as_markdown(piece.answer.answer)
                history.extend(citation_messages(piece.answer.citations, piece.answer.answer))
                conversation_id = piece.conversation_id
            else:
                history[-1]["content"] += piece
            yield history, "", conversation_id
    except Exception as exc:  # noqa: BLE001 - shown as a message, never as a trace
        history[-1]["content"] = map_error(exc)[2]
        yield history, "", conversation_id


def staff_chat(
    ctx: AppContext, message: str, history: list[Message], key: str,
    conversation_id: str | None, client_id: str,
) -> Iterator[ChatUpdate]:
    if not ctx.staff_keys.matches(key):
        yield [*history, {"role": "assistant", "content": NEED_STAFF_KEY}], message, conversation_id
        return
    yield from stream_chat(ctx, message, history, "staff", conversation_id, client_id)


def citizen_chat(
    ctx: AppContext, message: str, history: list[Message], conversation_id: str | None,
    client_id: str,
) -> Iterator[ChatUpdate]:
    if ctx.limiter.acquire(client_id) > 0:
        yield [*history, {"role": "assistant", "content": RATE_LIMITED}], message, conversation_id
        return
    yield from stream_chat(ctx, message, history, "citizen", conversation_id, client_id)


def dossier_lookup(ctx: AppContext, code: str, verification: str, client_id: str) -> str:
    """Markdown shown under the dossier form."""
    if not (code or "").strip() or not (verification or "").strip():
        return "Vui lòng nhập **mã hồ sơ** và **4 số cuối số điện thoại** đã đăng ký."
    if ctx.limiter.acquire(client_id) > 0:
        return RATE_LIMITED
    try:
        result = ctx.lookup_dossier(code.strip(), verification.strip(), client_id)
    except Exception as exc:  # noqa: BLE001
        return map_error(exc)[2]
    return as_markdown(result.message)
