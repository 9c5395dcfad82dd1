"""Corpus statistics: diacritic restoration, reference catalog, IDF; saved and reloaded."""

from __future__ import annotations

from assistant.catalog import UnitCatalog, make_entry
from assistant.corpus_stats import CorpusStats, build_stats, fingerprint, load_or_build
from assistant.core.domain import Document, LegalSource, Section
from assistant.references import find_references
from assistant.restore import DiacriticRestorerModel

TEXTS = [
    "Thẻ bảo hiểm y tế được cấp lại trong trường hợp bị mất.",
    "Người tham gia bảo hiểm y tế phải xuất trình thẻ bảo hiểm y tế khi khám bệnh.",
    "Hút thuốc lá tại nơi công cộng bị cấm. Thuốc lá gây hại cho sức khỏe.",
    "Giấy phép hành nghề khám bệnh, chữa bệnh do cơ quan có thẩm quyền cấp.",
]


def _documents():
    luat = LegalSource(document_number="105/2016/QH13", document_type="Luật", title="Dược",
                       original_article="Điều 13")
    yield Document("d1", "a.html", "phapdien", "Đề mục 45.4 Dược", [
        Section("Điều kiện cấp Chứng chỉ hành nghề dược", unit_id="45.4.LQ.13", heading="Điều 45.4.LQ.13.", source=luat),
        Section(TEXTS[0], unit_id="2.2.LQ.18", source=LegalSource("25/2008/QH12", "Luật", "Bảo hiểm y tế", original_article="Điều 18")),
    ])


def test_restorer_puts_diacritics_back_from_corpus_counts():
    model = DiacriticRestorerModel.train(TEXTS * 3)
    assert model.restore("the bao hiem y te bi mat") == "thẻ bảo hiểm y tế bị mất"
    assert model.restore("hut thuoc la noi cong cong") == "hút thuốc lá nơi công cộng"


def test_restorer_keeps_unknown_words_acronyms_and_case():
    model = DiacriticRestorerModel.train(TEXTS)
    assert model.restore("The bao hiem BHYT 2024 xyz") == "Thẻ bảo hiểm BHYT 2024 xyz"


def test_catalog_maps_document_numbers_and_articles_to_units():
    catalog = UnitCatalog([
        make_entry("45.4.LQ.13", document_number="105/2016/QH13", document_type="Luật", title="Dược", original_article="Điều 13"),
        make_entry("45.4.LQ.14", document_number="105/2016/QH13", document_type="Luật", title="Dược", original_article="Điều 14"),
        make_entry("45.4.NĐ.1.13", document_number="54/2017/NĐ-CP", document_type="Nghị định", title="Nghị định quy định chi tiết Luật dược", original_article="Điều 13"),
    ])
    (article,) = find_references("Điều 13 Luật Dược quy định gì")
    assert catalog.unit_ids(article) == ["45.4.LQ.13"]
    (by_number,) = find_references("Điều 13 Nghị định 54/2017/ND-CP")[1:]
    assert catalog.unit_ids(by_number) == ["45.4.NĐ.1.13"]
    (number,) = find_references("Luật số 105/2016/QH13")
    assert catalog.unit_ids(number) == ["45.4.LQ.13", "45.4.LQ.14"]


def test_stats_build_save_and_reload(tmp_path):
    path = tmp_path / "stats.json.gz"
    stats = load_or_build(path, "fp1", _documents)
    assert stats.n_units == 2 and stats.doc_freq["the"] == 1
    assert stats.idf("the") < stats.idf("unknown-term")
    (ref,) = find_references("Điều 18 Luật Bảo hiểm y tế")
    assert stats.catalog.unit_ids(ref) == ["2.2.LQ.18"]
    reloaded = CorpusStats.load(path)
    assert reloaded is not None and reloaded.catalog.unit_ids(ref) == ["2.2.LQ.18"]


def test_stats_rebuilt_only_when_fingerprint_changes(tmp_path):
    path = tmp_path / "stats.json.gz"
    calls = []

    def documents():
        calls.append(1)
        return _documents()

    load_or_build(path, fingerprint({"d1": "h1"}), documents)
    load_or_build(path, fingerprint({"d1": "h1"}), documents)
    assert len(calls) == 1
    load_or_build(path, fingerprint({"d1": "h2"}), documents)
    assert len(calls) == 2


def test_stats_build_counts_sections_without_unit_ids():
    doc = Document("d2", "x.pdf", "pdf", "Công văn", [Section("Nội dung công văn về thẻ bảo hiểm y tế")])
    stats = build_stats([doc], "fp")
    assert stats.n_units == 1 and stats.catalog.entries == []


def test_restorer_codes_and_acronyms_do_not_decide_neighbouring_words():
    noisy = TEXTS + ["nghi dinh nd cp"] * 5 + ["Nghị định quy định chi tiết"] * 20
    model = DiacriticRestorerModel.train(noisy)
    assert model.restore("Nghi dinh 98/2021/ND-CP quy dinh").startswith("Nghị định 98/2021/ND-CP quy định")


def test_restorer_question_words_come_from_built_in_phrases():
    model = DiacriticRestorerModel.train(TEXTS)
    assert model.restore("the bao hiem y te la gi") == "thẻ bảo hiểm y tế là gì"
