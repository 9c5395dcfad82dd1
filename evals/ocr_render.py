"""Scanned pages made from known text: Vietnamese lines drawn with a DejaVu font (which has
every Vietnamese glyph) onto a white A4 page at 300 dpi, optionally skewed and speckled like a
poor photocopy, saved as image-only PDFs. Used by the OCR tests and `evals.ocr_accuracy`."""

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


def render_page(text: str, style: ScanStyle = ScanStyle(), seed: int = 0) -> Image.Image:
    """One grey-scale A4 page with `text` (wrapped to the margins), degraded per `style`."""
    font = ImageFont.truetype(str(FONT_DIR / style.font), round(style.points * DPI / 72))
    page = Image.new("L", A4_PX, 255)
    draw = ImageDraw.Draw(page)
    line_height = round(style.points * DPI / 72 * 1.5)
    y = MARGIN_PX
    for line in _wrap(draw, text, font, A4_PX[0] - 2 * MARGIN_PX):
        draw.text((MARGIN_PX, y), line, font=font, fill=0)
        y += line_height
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


def save_scanned_pdf(pages: Sequence[Image.Image], out: Path) -> Path:
    """An image-only PDF (no text layer), one page per image, at 300 dpi."""
    first, *rest = [p.convert("L") for p in pages]
    first.save(out, "PDF", resolution=DPI, save_all=True, append_images=rest)
    return out
