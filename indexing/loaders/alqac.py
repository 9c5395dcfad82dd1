"""ALQAC-style law corpus (`law.json`, `legal_passages.json`):
`[{"id": <law name>, "articles": [{"id": <article no>, "text": ...}]}]`.

One Document per law (doc_id from "path#law_id"), one Section per article with unit_id
"law_id#article_id" (the benchmark's gold key) and heading "Điều {id}. {first line}".
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from assistant.core.domain import Document, LegalSource, Section
from indexing.loaders.base import load_error, make_doc_id, read_text, sniff, source_key, suffix
from assistant.core.text import normalize_text

_KIND = re.compile(r"^(Bộ luật|Luật|Hiến pháp|Pháp lệnh|Nghị định|Thông tư|Nghị quyết)", re.I)


def is_alqac(head: bytes) -> bool:
    start = head.lstrip()
    return start[:1] == b"[" and b'"articles"' in start[:4096]


def _law_type(name: str) -> str:
    match = _KIND.match(name)
    return match.group(1).capitalize() if match else ""


def _section(law_id: str, law_type: str, article: dict[str, Any]) -> Section:
    article_id = normalize_text(str(article.get("id", ""))).strip()
    text = normalize_text(str(article.get("text", "")))
    first, _, rest = text.partition("\n")
    body = rest.strip() or first  # the first line is the article's title
    return Section(
        text=body,
        unit_id=f"{law_id}#{article_id}",
        heading=f"Điều {article_id}. {first.strip()}".strip(),
        source=LegalSource(
            document_type=law_type, title=law_id, original_article=f"Điều {article_id}"
        ),
        metadata={"law_id": law_id, "article_id": article_id},
    )


class AlqacLoader:
    format = "alqac"

    def can_load(self, path: Path) -> bool:
        return suffix(path) == ".json" and is_alqac(sniff(path, 8192))

    def load(self, path: Path) -> Iterator[Document]:
        try:
            data = json.loads(read_text(path))
        except json.JSONDecodeError as exc:
            raise load_error(path, f"JSON không hợp lệ ({exc})", f"invalid JSON ({exc})") from exc
        if not isinstance(data, list):
            raise load_error(path, "cần một danh sách luật", "expected a list of laws")
        for index, law in enumerate(data):
            if not isinstance(law, dict) or not isinstance(law.get("articles"), list):
                raise load_error(
                    path,
                    f"mục {index}: thiếu 'id' hoặc 'articles'",
                    f"item {index}: missing 'id' or 'articles'",
                )
            law_id = normalize_text(str(law.get("id", ""))) or f"law-{index}"
            law_type = _law_type(law_id)
            yield Document(
                doc_id=make_doc_id(path, law_id),
                source=source_key(path, law_id),
                format=self.format,
                title=law_id,
                sections=[
                    _section(law_id, law_type, a) for a in law["articles"] if isinstance(a, dict)
                ],
                document_type=law_type,
                metadata={"law_id": law_id},
            )
