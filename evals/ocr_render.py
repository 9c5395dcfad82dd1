"""Scanned pages made from known text: Vietnamese lines and ruled tables drawn with a DejaVu
font (which has every Vietnamese glyph) onto a white A4 page at 300 dpi, optionally skewed and
speckled like a poor photocopy, saved as image-only PDFs. Used by the OCR tests,
`evals.ocr_accuracy` and `evals.ocr_tables`."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter, ImageFont

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
DPI = 300
A4_PX = (2480, 3508)
MARGIN_PX = 200


@dataclass(frozen=True)
class ScanStyle:
    font: str = "DejaVuSerif.ttf"
    points: int = 12
    skew_degrees: float = 0.0
    noise: float = 0.0  # share of pixels flipped to black/white speckle
    blur: float = 0.0  # Gaussian blur radius in pixels

    @property
    def name(self) -> str:
        extra = f", skew {self.skew_degrees}°, noise {self.noise:.0%}, blur {self.blur}" if self.noise else ""
        return f"{Path(self.font).stem} {self.points}pt{extra}"


def font_available(style: ScanStyle = ScanStyle()) -> bool:
    return (FONT_DIR / style.font).is_file()


def _wrap(draw: ImageDraw.ImageDraw, text: str, font: ImageFont.FreeTypeFont, width: int) -> list[str]:
    lines: list[str] = []
    for paragraph in text.splitlines():
        words, current = paragraph.split(), ""
        for word in words:
            trial = f"{current} {word}".strip()
            if current and draw.textlength(trial, font=font) > width:
                lines.append(current)
                current = word
            else:
                current = trial
        lines.append(current)
    return lines


def _font(style: ScanStyle) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(FONT_DIR / style.font), round(style.points * DPI / 72))


def _line_height(style: ScanStyle) -> int:
    return round(style.points * DPI / 72 * 1.5)


def _draw_text(draw: ImageDraw.ImageDraw, text: str, style: ScanStyle, y: int) -> int:
    """`text` wrapped to the margins from height `y`; returns the height below it."""
    font = _font(style)
    for line in _wrap(draw, text, font, A4_PX[0] - 2 * MARGIN_PX) if text else []:
        draw.text((MARGIN_PX, y), line, font=font, fill=0)
        y += _line_height(style)
    return y


def _degrade(page: Image.Image, style: ScanStyle, seed: int) -> Image.Image:
    if style.skew_degrees:
        page = page.rotate(style.skew_degrees, resample=Image.Resampling.BICUBIC, fillcolor=255)
    if style.blur:
        page = page.filter(ImageFilter.GaussianBlur(style.blur))
    if style.noise:
        rng = random.Random(seed)
        pixels = page.load()
        for _ in range(int(style.noise * A4_PX[0] * A4_PX[1])):
            x, yy = rng.randrange(A4_PX[0]), rng.randrange(A4_PX[1])
            pixels[x, yy] = 0 if rng.random() < 0.5 else 255
    return page


def render_page(text: str, style: ScanStyle = ScanStyle(), seed: int = 0) -> Image.Image:
    """One grey-scale A4 page with `text` (wrapped to the margins), degraded per `style`."""
    page = Image.new("L", A4_PX, 255)
    _draw_text(ImageDraw.Draw(page), text, style, MARGIN_PX)
    return _degrade(page, style, seed)


@dataclass(frozen=True)
class RuledTable:
    """A table drawn with rules around every cell; `rows[0]` is the header row, `widths` the
    columns' shares of the text width; a row of one cell spans the table (a group title)."""

    rows: tuple[tuple[str, ...], ...]
    widths: tuple[float, ...]

    RULE_PX = 3  # about 0.25 mm at 300 dpi, a usual table rule
    PAD_PX = 20


def _draw_row(
    draw: ImageDraw.ImageDraw, row: tuple[str, ...], xs: list[int], y: int, style: ScanStyle
) -> int:
    """One row's cells from height `y`; returns the row's bottom."""
    font, pad, line_height = _font(style), RuledTable.PAD_PX, _line_height(style)
    edges = xs if len(row) > 1 else [xs[0], xs[-1]]
    cells = [
        _wrap(draw, cell, font, edges[i + 1] - edges[i] - 2 * pad) for i, cell in enumerate(row)
    ]
    for i, lines in enumerate(cells):
        for k, line in enumerate(lines):
            draw.text((edges[i] + pad, y + pad + k * line_height), line, font=font, fill=0)
    bottom = y + 2 * pad + max(len(lines) for lines in cells) * line_height
    for x in edges:
        draw.line([(x, y), (x, bottom)], fill=0, width=RuledTable.RULE_PX)
    return bottom


def _draw_table(draw: ImageDraw.ImageDraw, table: RuledTable, style: ScanStyle, y: int) -> int:
    xs = [MARGIN_PX]
    for share in table.widths:
        xs.append(xs[-1] + round(share * (A4_PX[0] - 2 * MARGIN_PX)))
    ys = [y]
    for row in table.rows:
        ys.append(_draw_row(draw, row, xs, ys[-1], style))
    for yy in ys:
        draw.line([(xs[0], yy), (xs[-1], yy)], fill=0, width=RuledTable.RULE_PX)
    return ys[-1]


def render_table_page(
    before: str, table: RuledTable, after: str, style: ScanStyle = ScanStyle(), seed: int = 0
) -> Image.Image:
    """A page with text, a ruled table and more text, degraded per `style`."""
    page = Image.new("L", A4_PX, 255)
    draw = ImageDraw.Draw(page)
    y = _draw_text(draw, before, style, MARGIN_PX)
    y = _draw_table(draw, table, style, y + _line_height(style) // 2)
    _draw_text(draw, after, style, y + _line_height(style) // 2)
    return _degrade(page, style, seed)


def save_scanned_pdf(pages: Sequence[Image.Image], out: Path) -> Path:
    """An image-only PDF (no text layer), one page per image, at 300 dpi."""
    first, *rest = [p.convert("L") for p in pages]
    first.save(out, "PDF", resolution=DPI, save_all=True, append_images=rest)
    return out
