"""One contract every file format troly reads must pass (indexing.loaders.load_path, the entry
the indexer uses): plain text and Markdown (UTF-8 and legacy TCVN3/VNI), HTML, born-digital PDF,
scanned PDF (Tesseract OCR), DOCX, Word 97 .doc, XLSX, Pháp điển, TTHC and ALQAC records.
Every Document has NFC text, its metadata (deterministic doc_id, title, source, format,
audience) and sections with text (a structured unit without a body is kept only with a
warning naming it); bad input is a LoadError naming the file.
Generated inputs are written decomposed (NFD) where the format allows, so NFC is earned."""

from __future__ import annotations

import shutil
import unicodedata
from collections.abc import Callable
from pathlib import Path

import pytest

from assistant.core.domain import Document
from assistant.core.errors import LoadError
from indexing.loaders import FORMATS, load_path

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "loaders"
DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
# Illustrative text written for these tests, not an official document.
LINES = [
    "SỞ Y TẾ GIA LAI",
    "QUY ĐỊNH VỀ TIẾP NHẬN HỒ SƠ CẤP CHỨNG CHỈ HÀNH NGHỀ",
    "Điều 1. Hồ sơ đề nghị cấp chứng chỉ hành nghề khám bệnh, chữa bệnh gồm đơn và bản sao văn bằng.",
    "Điều 2. Lệ phí thẩm định là 300.000 đồng; thời hạn giải quyết 20 ngày làm việc.",
]
NFD_LINES = [unicodedata.normalize("NFD", line) for line in LINES]
Build = Callable[[Path], Path]


def _write(name: str, text: str, encoding: str = "utf-8") -> Build:
    def build(folder: Path) -> Path:
        (folder / name).write_text(text, encoding=encoding)
        return folder / name
    return build


def _fixture(name: str) -> Build:
    return lambda folder: Path(shutil.copy(FIXTURES / name, folder / name))


def _html(folder: Path) -> Path:
    body = "".join(f"<p>{line}</p>" for line in NFD_LINES)
    out = folder / "quy-dinh.html"
    out.write_text(f"<html><head><title>{NFD_LINES[1]}</title></head><body>{body}</body></html>",
                   encoding="utf-8")
    return out


def _pdf(folder: Path) -> Path:
    from fpdf import FPDF

    if not DEJAVU.is_file():
        pytest.skip(f"the PDF case draws Vietnamese with {DEJAVU}")
    pdf = FPDF()
    pdf.add_font("DejaVu", "", str(DEJAVU))
    pdf.set_font("DejaVu", size=11)
    pdf.add_page()
    pdf.multi_cell(0, 7, "\n".join(LINES))
    out = folder / "quy-dinh.pdf"
    pdf.output(str(out))
    return out


def _scanned_pdf(folder: Path) -> Path:
    from evals.ocr_render import font_available, render_page, save_scanned_pdf
    from indexing.loaders.ocr import TesseractReader

    missing = TesseractReader().missing()
    if missing or not font_available():
        pytest.skip(f"OCR needs tesseract-ocr + tesseract-ocr-vie and DejaVu fonts: {missing}")
    return save_scanned_pdf([render_page("\n".join(LINES))], folder / "quy-dinh-scan.pdf")


def _docx(folder: Path) -> Path:
    import docx

    document = docx.Document()
    for line in NFD_LINES:
        document.add_paragraph(line)
    out = folder / "quy-dinh.docx"
    document.save(str(out))
    return out


def _doc(folder: Path) -> Path:
    from support.word97 import write_doc

    if shutil.which("antiword") is None and shutil.which("catdoc") is None:
        pytest.skip("the .doc loader needs Debian's antiword or catdoc")
    return write_doc(NFD_LINES, folder / "quy-dinh.doc")


def _xlsx(folder: Path) -> Path:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = unicodedata.normalize("NFD", "Lệ phí")
    sheet.append([unicodedata.normalize("NFD", cell) for cell in ("Thủ tục", "Lệ phí", "Thời hạn")])
    sheet.append([NFD_LINES[1], "300.000 đồng", unicodedata.normalize("NFD", "20 ngày")])
    out = folder / "le-phi.xlsx"
    book.save(out)
    return out


# format id -> (what load_path reports as Document.format, how to make a file of it)
CASES: dict[str, tuple[str, Build]] = {
    "txt": ("text", _write("quy-dinh.txt", "\n".join(NFD_LINES))),
    "md": ("text", _write("quy-dinh.md", "# " + "\n\n".join(NFD_LINES))),
    "txt_utf16": ("text", _write("quy-dinh-utf16.txt", "\n".join(LINES), encoding="utf-16")),
    "txt_tcvn3": ("text", _fixture("legacy_tcvn3.txt")),
    "txt_vni": ("text", _fixture("legacy_vni.txt")),
    "html": ("html", _html),
    "html_page": ("html", _fixture("page.html")),
    "pdf": ("pdf", _pdf),
    "pdf_scanned": ("pdf", _scanned_pdf),
    "docx": ("docx", _docx),
    "doc": ("doc", _doc),
    "xlsx": ("xlsx", _xlsx),
    "phapdien": ("phapdien", _fixture("phapdien_sample.html")),
    "tthc": ("tthc", _fixture("tthc_9.000001.json")),
    "alqac": ("alqac", _fixture("alqac_law.json")),
}

# format id -> a file of that kind that cannot be read
BAD: dict[str, Build] = {
    "pdf": _fixture("corrupt.pdf"),
    "docx": _write("hong.docx", "đây không phải tệp docx"),
    "doc": _write("hong.doc", "đây không phải tệp Word 97"),
    "xlsx": _write("hong.xlsx", "đây không phải tệp xlsx"),
    "json": _write("hong.json", '{"khong": "phai TTHC"'),
    "tthc": _write("1.000000.json", '{"MaTTHC": 5, "TenTTHC": []}'),
    "binary_txt": lambda folder: _binary(folder / "nhi-phan.txt"),
    "unsupported": _write("bang-tinh.ods", "không hỗ trợ"),
}


def _binary(path: Path) -> Path:
    path.write_bytes(bytes(range(256)) * 64)
    return path


def test_loader_contract_covers_every_registered_format() -> None:
    """A new loader in indexing.loaders.LOADERS needs a case here."""
    assert set(FORMATS) <= {expected for expected, _ in CASES.values()}


@pytest.fixture(scope="module", params=list(CASES))
def loaded(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):
    expected_format, build = CASES[request.param]
    path = build(tmp_path_factory.mktemp(request.param))
    return path, expected_format, list(load_path(path)), list(load_path(path))


def _texts(document: Document) -> list[str]:
    return [document.title] + [t for s in document.sections for t in (s.text, s.heading, *s.path)]


def test_loader_yields_documents_with_sections(loaded) -> None:
    path, _, documents, _ = loaded
    assert documents, f"{path.name}: no document"
    for document in documents:
        assert document.sections and any(section.text.strip() for section in document.sections)
        for section in document.sections:
            assert section.text.strip() or section.heading.strip()
            if not section.text.strip():  # kept (an article whose body is missing) but reported
                assert any(section.unit_id in warning for warning in document.warnings)


def test_loader_text_is_nfc(loaded) -> None:
    _, _, documents, _ = loaded
    for document in documents:
        for text in _texts(document):
            assert unicodedata.is_normalized("NFC", text), repr(text[:80])


def test_loader_metadata_is_present(loaded) -> None:
    path, expected_format, documents, _ = loaded
    for document in documents:
        assert document.format == expected_format
        assert document.doc_id and document.title.strip()
        assert document.source.split("#", 1)[0] == str(path.resolve())
        assert document.audience in ("public", "staff")
        assert isinstance(document.metadata, dict)


def test_loader_ids_are_deterministic_and_distinct(loaded) -> None:
    _, _, first, again = loaded
    ids = [document.doc_id for document in first]
    assert ids == [document.doc_id for document in again]
    assert len(set(ids)) == len(ids)
    assert [[s.text for s in d.sections] for d in first] == [[s.text for s in d.sections] for d in again]


@pytest.mark.parametrize("kind", list(BAD))
def test_loader_bad_input_is_a_load_error_naming_the_file(kind: str, tmp_path: Path) -> None:
    path = BAD[kind](tmp_path)
    with pytest.raises(LoadError) as caught:
        list(load_path(path))
    assert path.name in str(caught.value) and Path(caught.value.path).name == path.name


def test_loader_missing_file_is_a_load_error_naming_it(tmp_path: Path) -> None:
    with pytest.raises(LoadError, match="khong-co.pdf"):
        list(load_path(tmp_path / "khong-co.pdf"))
