"""Markers agree with folders (tests/support/layout.py): collected the way a run collects them,
every test under tests/integration, tests/e2e and tests/abuse carries its folder's marker and
every test that loads the real model is marked slow; no test elsewhere claims a folder marker."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from support.layout import FOLDER_MARKERS, TESTS_ROOT, top_folder

PROJECT_ROOT = TESTS_ROOT.parent
_FOLDER_MARK = re.compile(r"\bmark\.(%s)\b" % "|".join(FOLDER_MARKERS.values()))


def test_test_layout_folder_tests_carry_their_folder_marker() -> None:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        [str(PROJECT_ROOT), str(TESTS_ROOT), os.environ.get("PYTHONPATH", "")])}
    folders = [str(TESTS_ROOT / name) for name in FOLDER_MARKERS]
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider",
         "-p", "support.layout_report", *folders],
        capture_output=True, text=True, env=env, cwd=PROJECT_ROOT, timeout=300,
    )
    checked = re.search(r"^LAYOUT-CHECKED (\d+)$", run.stdout, re.M)
    assert checked and int(checked.group(1)) > 0, run.stdout[-3000:] + run.stderr[-3000:]
    disagreeing = [line for line in run.stdout.splitlines() if line.startswith("LAYOUT-DISAGREES")]
    assert disagreeing == []


def test_test_layout_no_test_outside_a_folder_claims_its_marker() -> None:
    claims = []
    for path in sorted(TESTS_ROOT.rglob("*.py")):
        folder = top_folder(path)
        if folder in FOLDER_MARKERS or folder == "support":
            continue
        for marker in _FOLDER_MARK.findall(path.read_text(encoding="utf-8")):
            claims.append(f"{path.relative_to(TESTS_ROOT)} uses mark.{marker}")
    assert claims == [], "move these tests into their marker's folder"


def test_test_layout_top_folder() -> None:
    assert top_folder(TESTS_ROOT / "integration" / "test_x.py") == "integration"
    assert top_folder(TESTS_ROOT / "unit" / "ui" / "test_x.py") == "unit"
    assert top_folder(TESTS_ROOT / "conftest.py") is None
    assert top_folder(Path("/elsewhere/test_x.py")) is None
