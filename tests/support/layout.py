"""Markers follow folders: every test under tests/integration is marked `integration`, under
tests/e2e `e2e`, under tests/abuse `abuse`, and every test that loads the real model (asks for
`prepared_model_dir`) is marked `slow`. tests/conftest.py applies these at collection, so a new
file cannot forget them; tests/architecture/test_test_layout.py checks the result."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pytest

TESTS_ROOT = Path(__file__).resolve().parent.parent
FOLDER_MARKERS = {"integration": "integration", "e2e": "e2e", "abuse": "abuse"}
MODEL_FIXTURE = "prepared_model_dir"


def top_folder(path: Path) -> str | None:
    """The first folder under tests/ that holds `path` (None outside tests/)."""
    try:
        parts = Path(path).resolve().relative_to(TESTS_ROOT).parts
    except ValueError:
        return None
    return parts[0] if len(parts) > 1 else None


def apply_folder_markers(items: Iterable[pytest.Item]) -> None:
    for item in items:
        marker = FOLDER_MARKERS.get(top_folder(item.path) or "")
        if marker and item.get_closest_marker(marker) is None:
            item.add_marker(marker)
        if MODEL_FIXTURE in getattr(item, "fixturenames", ()) and item.get_closest_marker("slow") is None:
            item.add_marker("slow")


def disagreements(items: Iterable[pytest.Item]) -> list[str]:
    """Every item whose folder markers disagree with its folder, as 'nodeid: reason'."""
    found = []
    for item in items:
        folder = top_folder(item.path)
        for name, marker in FOLDER_MARKERS.items():
            has = item.get_closest_marker(marker) is not None
            if folder == name and not has:
                found.append(f"{item.nodeid}: under tests/{name}/ but not marked {marker}")
            elif folder != name and has:
                found.append(f"{item.nodeid}: marked {marker} but not under tests/{name}/")
        if MODEL_FIXTURE in getattr(item, "fixturenames", ()) and item.get_closest_marker("slow") is None:
            found.append(f"{item.nodeid}: loads the real model but is not marked slow")
    return found
