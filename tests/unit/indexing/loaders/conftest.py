"""Fixtures for the loader tests: the fixture folder and small generated PDF/DOCX files."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
LOADER_FIXTURES = Path(__file__).resolve().parents[3] / "fixtures" / "loaders"


@pytest.fixture(scope="session")
def loader_fixtures() -> Path:
    return LOADER_FIXTURES


@pytest.fixture(scope="session")
def unicode_font() -> bool:
    """Whether a Unicode TTF is available for fpdf2 (fpdf2 ships only Latin-1 core fonts)."""
    return DEJAVU.is_file()


@pytest.fixture(scope="session")
def make_pdf(tmp_path_factory: pytest.TempPathFactory, unicode_font: bool) -> Callable[..., Path]:
    """Write a PDF whose pages hold the given texts (None = a page with no text layer).
    Without a Unicode font the text is folded to ASCII so fpdf2's core font can draw it."""
    from fpdf import FPDF

    from assistant.core.text import fold_accents

    def build(pages: list[str | None], footer: bool = True) -> Path:
        pdf = FPDF()
        pdf.set_auto_page_break(False)
        if unicode_font:
            pdf.add_font("DejaVu", "", str(DEJAVU))
            pdf.set_font("DejaVu", size=11)
        else:
            pdf.set_font("helvetica", size=11)
        for number, text in enumerate(pages, start=1):
            pdf.add_page()
            if text is None:
                continue
            pdf.multi_cell(0, 7, text if unicode_font else fold_accents(text))
            if footer:
                pdf.set_y(-20)
                pdf.cell(0, 7, f"Trang {number}")
        out = tmp_path_factory.mktemp("pdf") / "doc.pdf"
        pdf.output(str(out))
        return out

    return build
