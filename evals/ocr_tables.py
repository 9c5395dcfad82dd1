"""Table recovery on scanned pages: a page with a ruled dose table rendered from known text,
read back by the PDF loader's OCR reader, and scored cell by cell.

    python -m evals.ocr_tables            (also part of: troly bench --only ocr)

A data row is matched to the n-th line of the output written as "column: value | ...", and each
cell is scored against the truth: exact (after NFC, tone-mark placement and whitespace folding)
and by character accuracy; a group-title row must come out as its own line. Header names are
scored separately. Seconds per page (rasterise + table search + Tesseract) are timed with and
without table recovery, and the table search alone.
"""

from __future__ import annotations

import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from evals.ocr_metrics import char_accuracy, comparable
from evals.ocr_render import RuledTable, ScanStyle, render_table_page, save_scanned_pdf
from indexing.loaders.ocr import TesseractReader
from indexing.loaders.ruled_tables import find_ruled_tables
from indexing.loaders.tables import ROW_SEP

# Illustrative text written for this benchmark (not quoted from an official document).
BEFORE = (
    "PHỤ LỤC 2. LIỀU THUỐC ĐIỀU TRỊ TRIỆU CHỨNG\n"
    "Liều tham khảo cho người bệnh sốt, tính theo cân nặng như bảng dưới đây:"
)
TABLE = RuledTable(
    rows=(
        ("Thuốc", "Liều trẻ em", "Liều người lớn"),
        ("Thuốc hạ sốt",),
        ("Paracetamol", "10 - 15 mg/kg/lần, cách 6 giờ", "500 mg/lần, tối đa 4 g/ngày"),
        ("Ibuprofen", "5 - 10 mg/kg/lần, cách 8 giờ", "200 - 400 mg/lần"),
        ("Bù dịch",),
        ("Oresol", "Uống theo nhu cầu sau mỗi lần đi ngoài", "200 - 400 ml sau mỗi lần đi ngoài"),
        ("Ringer lactat", "10 - 20 ml/kg/giờ", "5 - 7 ml/kg/giờ"),
    ),
    widths=(0.25, 0.375, 0.375),
)
AFTER = "Không dùng aspirin cho trẻ em dưới 16 tuổi vì nguy cơ hội chứng Reye."
STYLES = (
    ScanStyle("DejaVuSerif.ttf", 12),
    ScanStyle("DejaVuSans.ttf", 11),
    ScanStyle("DejaVuSerif.ttf", 12, skew_degrees=1.5, noise=0.01, blur=1.0),
)


@dataclass
class TableResult:
    style: str
    tables_found: int
    cells: int
    cells_exact: float
    cell_char_accuracy: float
    headers_exact: float
    seconds_per_page: float
    seconds_without_tables: float
    seconds_finding_table: float  # the image analysis alone (deskew, rules, grid, erasing)


@dataclass
class CellScores:
    exact: list[bool]
    accuracy: list[float]
    headers: list[bool]


def score_cells(table: RuledTable, text: str) -> CellScores:
    """Each truth cell against the page text the OCR reader produced."""
    header, rows = table.rows[0], table.rows[1:]
    read_rows = [line.split(ROW_SEP) for line in text.splitlines() if ROW_SEP in line]
    lines = {comparable(line) for line in text.splitlines()}
    scores = CellScores([], [], [])
    data_rows = [row for row in rows if len(row) > 1]
    for n, row in enumerate(data_rows):
        parts = [p.partition(": ") for p in read_rows[n]] if n < len(read_rows) else []
        for c, truth in enumerate(row):
            name, _, value = parts[c] if c < len(parts) else ("", "", "")
            scores.exact.append(comparable(value) == comparable(truth))
            scores.accuracy.append(char_accuracy(truth, value))
            scores.headers.append(comparable(name) == comparable(header[c]))
    for row in rows:
        if len(row) == 1:  # a group title: its own line
            scores.exact.append(comparable(row[0]) in lines)
            scores.accuracy.append(1.0 if scores.exact[-1] else 0.0)
    return scores


def _read_seconds(reader: TesseractReader, pdf: Path) -> tuple[str, int, float]:
    started = time.perf_counter()
    page = reader.read_pages(pdf, [1])[1]
    return page.text, page.tables, time.perf_counter() - started


def measure(style: ScanStyle, reader: TesseractReader, workdir: Path) -> TableResult:
    page = render_table_page(BEFORE, TABLE, AFTER, style)
    pdf = save_scanned_pdf([page], workdir / "table.pdf")
    started = time.perf_counter()
    find_ruled_tables(page)
    finding = time.perf_counter() - started
    text, tables, seconds = _read_seconds(reader, pdf)
    *_, plain_seconds = _read_seconds(TesseractReader(reader.lang, reader.dpi, tables=False), pdf)
    scores = score_cells(TABLE, text)
    return TableResult(
        style=style.name,
        tables_found=tables,
        cells=len(scores.exact),
        cells_exact=round(sum(scores.exact) / len(scores.exact), 4),
        cell_char_accuracy=round(sum(scores.accuracy) / len(scores.accuracy), 4),
        headers_exact=round(sum(scores.headers) / max(1, len(scores.headers)), 4),
        seconds_per_page=round(seconds, 2),
        seconds_without_tables=round(plain_seconds, 2),
        seconds_finding_table=round(finding, 2),
    )


def run_table_bench(reader: TesseractReader) -> list[dict]:
    with tempfile.TemporaryDirectory() as tmp:
        return [asdict(measure(style, reader, Path(tmp))) for style in STYLES]


def main() -> int:
    reader = TesseractReader()
    why = reader.missing()
    if why is not None:
        print(f"Không đo được OCR: {why[0]} / cannot measure OCR: {why[1]}")
        return 2
    for r in run_table_bench(reader):
        print(
            f"{r['style']:<48} tables {r['tables_found']}  cells exact {r['cells_exact']:.2%}  "
            f"cell chars {r['cell_char_accuracy']:.2%}  headers {r['headers_exact']:.2%}  "
            f"{r['seconds_per_page']:.2f} s/page ({r['seconds_without_tables']:.2f} without tables, "
            f"{r['seconds_finding_table']:.2f} finding the table)"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
