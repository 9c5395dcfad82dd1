"""Professional documents end to end: a guideline DOCX with automatic numbering and a dose
table, and a decision with an attached procedure, indexed then searched and answered with the
right section, its breadcrumbs and a citation naming the attachment."""

from __future__ import annotations

import pytest
from support.indexed_files import index_files

from evals.guideline_corpus import write_corpus


@pytest.fixture(scope="module")
def indexed(tmp_path_factory):
    folder = tmp_path_factory.mktemp("guidelines")
    return index_files(write_corpus(folder / "corpus"), folder)


def test_dose_question_finds_the_table_section_with_breadcrumbs(indexed):
    hit = indexed.service.search("liều paracetamol hạ sốt cho trẻ bị tay chân miệng")[0].chunk
    assert hit.article_path == "3. Điều trị › 3.2. Thuốc hạ sốt và liều dùng"
    assert "Thuốc: Paracetamol | Liều trẻ em: 10 - 15 mg/kg/lần" in hit.text


def test_attached_procedure_is_cited_by_its_own_title_not_the_decisions_last_article(indexed):
    answer = indexed.service.ask("Chống chỉ định đặt ống thông dạ dày là gì?")
    first = answer.citations[0]
    assert first.article_path == "Quy trình kỹ thuật đặt ống thông dạ dày › III. CHỐNG CHỈ ĐỊNH"
    assert first.title.startswith("Mục III Quy trình kỹ thuật đặt ống thông dạ dày")
    assert "kèm theo Quyết định số 123/QĐ-SYT" in first.title
    assert "axit mạnh, kiềm mạnh" in first.quote


def test_one_guideline_contributes_several_sections_to_one_answer(indexed):
    answer = indexed.service.ask("Điều trị bệnh tay chân miệng gồm nguyên tắc và thuốc hạ sốt như thế nào?")
    paths = [c.article_path for c in answer.citations]
    assert "3. Điều trị › 3.2. Thuốc hạ sốt và liều dùng" in paths
    assert "3. Điều trị › 3.1. Nguyên tắc điều trị" in paths
    assert len({c.unit_id for c in answer.citations}) == len(answer.citations)
