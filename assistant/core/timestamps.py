"""Timestamps as troly writes them: UTC, ISO 8601, to the second ("2026-12-05T21:09:12+00:00").
Stored rows compare and sort these strings, so every writer uses this one form."""

from __future__ import annotations

from datetime import datetime, timezone


def utc_iso(moment: datetime) -> str:
    """`moment` in the stored form (an aware time in any zone is converted to UTC)."""
    return moment.astimezone(timezone.utc).isoformat(timespec="seconds")


def now_iso() -> str:
    return utc_iso(datetime.now(timezone.utc))
