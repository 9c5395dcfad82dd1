"""Ruled tables found in scanned page images (numpy + Pillow, no Tesseract), and Tesseract's
words laid out as page text with each table's rows written with their column names."""

from __future__ import annotations

import numpy as np
import pytest

from evals.ocr_render import ScanStyle, font_available, render_page, render_table_page
from evals.ocr_tables import AFTER, BEFORE, TABLE
from indexing.loaders.ocr import data_to_page
from indexing.loaders.ocr_layout import Word, page_text
from indexing.loaders.ruled_tables import estimate_skew, find_ruled_tables, half_ink
from indexing.loaders.table_grid import CellGrid, Rule, build_grids, framed_rules

needs_font = pytest.mark.skipif(not font_available(), reason="needs DejaVu fonts (fonts-dejavu)")
SKEWED = ScanStyle(skew_degrees=1.5, noise=0.01, blur=1.0)


def _word(text: str, line: int, left: int, top: int, block: int = 1) -> Word:
    return Word(text, 95.0, (block, 1, line), left, top, 20 * len(text), 40)


@needs_font
@pytest.mark.parametrize("style", [ScanStyle(), SKEWED], ids=["clean", "skewed-noisy"])
def test_ruled_table_grid_is_found_with_its_merged_group_rows(style):
    ruled = find_ruled_tables(render_table_page(BEFORE, TABLE, AFTER, style, seed=1))
    assert ruled is not None
    (grid,) = ruled.grids
    assert grid.shape == (len(TABLE.rows), 3)
    group_rows = [i for i, row in enumerate(TABLE.rows) if len(row) == 1]
    for i in group_rows:  # a one-cell row spans the table: its cells merge into the first
        assert {grid.owner[(i, j)] for j in range(3)} == {(i, 0)}
    assert all(grid.owner[(2, j)] == (2, j) for j in range(3))  # a data row


@needs_font
def test_ruled_table_rules_are_erased_for_tesseract_and_text_pages_have_no_table():
    ruled = find_ruled_tables(render_table_page(BEFORE, TABLE, AFTER))
    (grid,) = ruled.grids
    pixels = np.asarray(ruled.image)
    mid_x = (grid.xs[0] + grid.xs[1]) // 2
    assert pixels[grid.ys[0] - 6 : grid.ys[0] + 7, mid_x].min() == 255  # the top rule is gone
    assert find_ruled_tables(render_page(BEFORE + "\n" + AFTER)) is None


@needs_font
def test_skew_is_measured_in_the_direction_image_rotate_takes():
    page = render_page(BEFORE + "\n" + AFTER, ScanStyle(skew_degrees=1.5))
    assert estimate_skew(half_ink(page.convert("L"))) == pytest.approx(1.5, abs=0.1)


def test_page_text_writes_table_rows_with_column_names_where_the_table_stands():
    grid = CellGrid(ys=[100, 200, 300, 400], xs=[0, 400, 800, 1200])
    grid.owner = {(2, 1): (2, 0), (2, 2): (2, 0)}  # the last row is one merged cell
    words = [
        _word("Trước", 1, 10, 20),
        _word("Thuốc", 2, 10, 130, block=2), _word("Liều", 2, 410, 130, block=2),
        _word("Cách", 2, 810, 130, block=2), _word("Paracetamol", 3, 10, 230, block=2),
        _word("10", 3, 410, 225, block=2), _word("mg/kg", 4, 410, 265, block=2),
        _word("uống", 3, 810, 230, block=2), _word("Bù", 5, 10, 330, block=2),
        _word("dịch", 5, 600, 330, block=2), _word("Sau", 6, 10, 450, block=3),
    ]  # fmt: skip
    assert page_text(words, [grid]).splitlines() == [
        "Trước", "Thuốc: Paracetamol | Liều: 10 mg/kg | Cách: uống", "Bù dịch", "Sau",
    ]  # fmt: skip
    assert page_text(words).splitlines()[:3] == ["Trước", "Thuốc Liều Cách", "Paracetamol 10 uống"]


def test_ocr_page_counts_its_tables_and_every_word_in_the_confidence():
    data = {
        "text": ["A", "Tên", "Liều", "x", "1"], "conf": [90, 80, 80, 80, 60],
        "block_num": [1] * 5, "par_num": [1] * 5, "line_num": [1, 2, 2, 3, 3],
        "left": [0, 10, 510, 10, 510], "top": [0, 130, 130, 230, 230],
        "width": [20] * 5, "height": [40] * 5,
    }  # fmt: skip
    page = data_to_page(data, [CellGrid(ys=[100, 200, 300], xs=[0, 500, 1000])])
    assert page.text == "A\nTên: x | Liều: 1" and page.tables == 1
    assert page.confidence == pytest.approx((90 + 80 * 3 + 80 * 4 + 80 + 60) / 10 / 100)


def test_only_rules_between_two_crossing_rules_make_a_table():
    frame_h = [Rule(0, 0, 100), Rule(50, 0, 100), Rule(100, 0, 100)]
    frame_v = [Rule(0, 0, 100), Rule(100, 0, 100)]
    text_line = Rule(70, 0, 40)  # solid-looking text touching the left border only
    hs, vs = framed_rules([*frame_h, text_line], frame_v, tol=2)
    assert hs == frame_h and vs == frame_v
    (grid,) = build_grids([*frame_h, text_line], [*frame_v, Rule(50, 0, 100)], tol=2)
    assert grid.shape == (2, 2) and grid.ys == [0, 50, 100]
