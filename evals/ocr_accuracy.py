"""OCR accuracy on pages rendered from known Vietnamese text.

    python -m evals.ocr_accuracy [--out results.json]      (or: troly bench --only ocr)

Each style (font, size, skew/noise) renders the same illustrative passages as image-only PDF
pages (`evals.ocr_render`), the PDF loader's OCR reader reads them back, and the script prints
character accuracy (1 - CER, on NFC text with whitespace collapsed, tone marks counted) and
seconds per page (rasterise + Tesseract), one row per style.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from evals.ocr_metrics import char_accuracy, comparable, edit_distance
from evals.ocr_render import ScanStyle, render_page, save_scanned_pdf
from indexing.loaders.ocr import TesseractReader

__all__ = ["char_accuracy", "comparable", "edit_distance", "measure", "run_ocr_bench"]

# Illustrative text written for this benchmark (not quoted from an official document).
PASSAGES = (
    "HƯỚNG DẪN CHẨN ĐOÁN VÀ ĐIỀU TRỊ BỆNH TAY CHÂN MIỆNG\n"
    "1. Đại cương\nBệnh tay chân miệng là bệnh truyền nhiễm cấp tính do vi rút đường ruột gây "
    "ra, thường gặp ở trẻ em dưới 5 tuổi. Bệnh lây truyền chủ yếu qua đường tiêu hóa và tiếp "
    "xúc trực tiếp với dịch tiết từ mũi, họng, nước bọt của người bệnh.\n"
    "2. Chẩn đoán\n2.1. Lâm sàng: sốt nhẹ, loét miệng, phát ban dạng phỏng nước ở lòng bàn tay, "
    "lòng bàn chân, đầu gối, mông. Trẻ quấy khóc, giật mình, ngủ gà là dấu hiệu cảnh báo.",
    "3. Điều trị\n3.1. Nguyên tắc: không có thuốc điều trị đặc hiệu, chỉ điều trị hỗ trợ. Theo "
    "dõi sát, phát hiện sớm và điều trị biến chứng; bảo đảm dinh dưỡng đầy đủ, nâng cao thể "
    "trạng.\n3.2. Hạ sốt bằng paracetamol liều 10 - 15 mg/kg/lần, uống cách nhau 6 giờ. Vệ sinh "
    "răng miệng, nghỉ ngơi, tránh kích thích.\n4. Phòng bệnh\nRửa tay bằng xà phòng dưới vòi nước "
    "chảy nhiều lần trong ngày; lau sàn nhà, đồ chơi bằng dung dịch khử khuẩn.",
)
STYLES = (
    ScanStyle("DejaVuSerif.ttf", 12),
    ScanStyle("DejaVuSans.ttf", 12),
    ScanStyle("DejaVuSans.ttf", 10),
    ScanStyle("DejaVuSerifCondensed.ttf", 11),
    ScanStyle("DejaVuSans-Bold.ttf", 14),
    ScanStyle("DejaVuSerif.ttf", 12, skew_degrees=1.5, noise=0.01, blur=1.0),
)


@dataclass
class StyleResult:
    style: str
    pages: int
    char_accuracy: float
    seconds_per_page: float
    confidence: float


def measure(style: ScanStyle, reader: TesseractReader, workdir: Path) -> StyleResult:
    pdf = save_scanned_pdf(
        [render_page(text, style, seed=i) for i, text in enumerate(PASSAGES)],
        workdir / "scan.pdf",
    )
    pages = list(range(1, len(PASSAGES) + 1))
    started = time.perf_counter()
    read = reader.read_pages(pdf, pages)
    seconds = time.perf_counter() - started
    accuracies = [char_accuracy(PASSAGES[n - 1], read[n].text) for n in pages]
    return StyleResult(
        style=style.name,
        pages=len(pages),
        char_accuracy=round(sum(accuracies) / len(accuracies), 4),
        seconds_per_page=round(seconds / len(pages), 2),
        confidence=round(sum(read[n].confidence for n in pages) / len(pages), 4),
    )


def run_ocr_bench() -> dict:
    """`troly bench --only ocr`: {"styles": [...], "tables": [...]} (`evals.ocr_tables`) or
    {"error": why OCR cannot run}."""
    from evals.ocr_tables import run_table_bench

    reader = TesseractReader()
    why = reader.missing()
    if why is not None:
        return {"error": f"{why[0]} / {why[1]}"}
    with tempfile.TemporaryDirectory() as tmp:
        styles = [asdict(measure(style, reader, Path(tmp))) for style in STYLES]
    return {"styles": styles, "tables": run_table_bench(reader)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, help="write the results as JSON here too")
    args = parser.parse_args(argv)
    reader = TesseractReader()
    why = reader.missing()
    if why is not None:
        print(f"Không đo được OCR: {why[0]} / cannot measure OCR: {why[1]}")
        return 2
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for style in STYLES:
            result = measure(style, reader, Path(tmp))
            results.append(result)
            print(
                f"{result.style:<48} accuracy {result.char_accuracy:.2%}  "
                f"{result.seconds_per_page:.2f} s/page  confidence {result.confidence:.2%}"
            )
    if args.out:
        args.out.write_text(json.dumps([asdict(r) for r in results], ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
