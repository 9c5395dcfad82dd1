"""Who may see which documents, in one place.

A document is written for the public or for staff (`domain.Audience`: "public" | "staff"); a
reader is a citizen or staff. Staff see every document; citizens, and any reader this code does
not know, see public documents only. The store applies the rule as a `SearchFilter`, the API
checks it again on what comes back."""

from __future__ import annotations

from typing import get_args

from assistant.core.domain import Audience, SearchFilter

DOCUMENT_AUDIENCES: tuple[str, ...] = get_args(Audience)
READERS: tuple[str, ...] = ("citizen", "staff")


def reader_of(value: str) -> str:
    """The reader a request speaks for: "staff" only when it says so, else "citizen"."""
    return "staff" if value == "staff" else "citizen"


def visible_audiences(reader: str) -> tuple[str, ...] | None:
    """The document audiences a reader may see; None means every document."""
    return None if reader == "staff" else ("public",)


def may_see(reader: str, document_audience: str) -> bool:
    allowed = visible_audiences(reader)
    return allowed is None or document_audience in allowed


def audience_filter(reader: str, **restrict: tuple[str, ...] | None) -> SearchFilter:
    """The store filter for a reader; `restrict` may add document_types / fields (TTHC lĩnh vực)."""
    return SearchFilter(audiences=visible_audiences(reader), **{k: v for k, v in restrict.items() if v})
