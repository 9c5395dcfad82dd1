"""A pytest plugin (`-p support.layout_report`) that prints, after collection, every test whose
markers disagree with its folder (tests/support/layout.py), then LAYOUT-CHECKED <n items>."""

from __future__ import annotations

import pytest

from support.layout import disagreements


def pytest_collection_finish(session: pytest.Session) -> None:
    for line in disagreements(session.items):
        print(f"LAYOUT-DISAGREES {line}")
    print(f"LAYOUT-CHECKED {len(session.items)}")
