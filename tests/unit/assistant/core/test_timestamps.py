"""Stored timestamps have one form (assistant.core.timestamps), so rows written by the chat
log, the jobs, the console and the dossier audit compare and sort as strings."""

import re
from datetime import datetime, timedelta, timezone

from assistant.core.timestamps import now_iso, utc_iso

STORED = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+00:00$")


def test_timestamps_are_utc_to_the_second() -> None:
    assert STORED.match(now_iso())
    hanoi = timezone(timedelta(hours=7))
    assert utc_iso(datetime(2026, 1, 2, 7, 30, 15, 999, tzinfo=hanoi)) == "2026-01-02T00:30:15+00:00"


def test_timestamps_sort_as_strings_in_time_order() -> None:
    moments = [datetime(2026, 1, 1, tzinfo=timezone.utc) + timedelta(seconds=s) for s in (0, 9, 61, 3600)]
    assert sorted(utc_iso(m) for m in reversed(moments)) == [utc_iso(m) for m in moments]
