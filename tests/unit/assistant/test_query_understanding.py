"""Query understanding: normalisation, no-diacritics detection, abbreviations, references."""

from __future__ import annotations

import unicodedata

from assistant.abbreviations import AbbreviationDictionary, expand_text
from assistant.query import QueryAnalyzer, lacks_diacritics, wants_history
from assistant.references import find_references
from assistant.core.settings import ABBREVIATIONS_FILE

DICT = AbbreviationDictionary.from_lines(
    ["# comment", "BHYT\tbảo hiểm y tế", "GPHĐ\tgiấy phép hoạt động", "KCB\tkhám bệnh, chữa bệnh"]
)


class UpperRestorer:
    def restore(self, text: str) -> str:
        return "thẻ bảo hiểm y tế bị mất" if text == "the bao hiem y te bi mat" else text


def test_query_analyze_normalises_nfd_input():
    nfd = unicodedata.normalize("NFD", "Thẻ bảo hiểm  y tế")
    analysis = QueryAnalyzer(DICT).analyze(nfd)
    assert analysis.text == "Thẻ bảo hiểm y tế"
    assert unicodedata.is_normalized("NFC", analysis.text)


def test_query_lacks_diacritics_detects_unaccented_questions():
    assert lacks_diacritics("the bao hiem y te bi mat")
    assert not lacks_diacritics("thẻ bảo hiểm y tế bị mất")
    assert not lacks_diacritics("BHYT")  # a lone acronym says nothing


def test_query_abbreviation_expanded_for_dense_and_kept_for_sparse():
    analysis = QueryAnalyzer(DICT).analyze("Mức hưởng BHYT khi đi KCB?")
    assert "bảo hiểm y tế" in analysis.dense_text and "BHYT" not in analysis.dense_text
    assert "BHYT" in analysis.sparse_text and "bảo hiểm y tế" in analysis.sparse_text
    assert {e.abbreviation for e in analysis.expansions} == {"BHYT", "KCB"}


def test_query_abbreviation_matches_folded_and_lower_case_forms():
    found = DICT.find("cap lai gphd kcb")
    assert [e.abbreviation for e in found] == ["GPHĐ", "KCB"]


def test_query_abbreviation_ignores_accented_words_that_fold_to_it():
    tiny = AbbreviationDictionary.from_lines(["TE\ttrẻ em"])
    assert tiny.find("bảo hiểm y tế") == []
    assert [e.expansion for e in tiny.find("TE dưới 6 tuổi")] == ["trẻ em"]


def test_query_abbreviation_not_expanded_inside_document_numbers():
    tiny = AbbreviationDictionary.from_lines(["BYT\tBộ Y tế"])
    analysis = QueryAnalyzer(tiny).analyze("Thông tư 46/2018/TT-BYT quy định gì")
    assert analysis.expansions == []


def test_query_expand_text_keeps_abbreviation_in_brackets():
    found = DICT.find("thẻ BHYT")
    assert expand_text("thẻ BHYT", found, keep_abbreviation=True) == "thẻ bảo hiểm y tế (BHYT)"


def test_query_restorer_used_only_for_unaccented_questions():
    analyzer = QueryAnalyzer(DICT, UpperRestorer())
    restored = analyzer.analyze("the bao hiem y te bi mat")
    assert restored.restored == "Thẻ bảo hiểm y tế bị mất"
    assert restored.dense_text == "Thẻ bảo hiểm y tế bị mất"
    accented = analyzer.analyze("thẻ bảo hiểm y tế bị mất")
    assert accented.restored == ""


def test_references_find_document_numbers_articles_units_and_codes():
    refs = find_references("Theo Điều 5 Thông tư 46/2018/TT-BYT và 45.4.LQ.13, thủ tục 1.013614")
    kinds = {(r.kind, r.value, r.document) for r in refs}
    assert ("document_number", "46/2018/TT-BYT", "") in kinds
    assert ("article", "5", "46/2018/TT-BYT") in kinds
    assert ("unit_id", "45.4.LQ.13", "") in kinds
    assert ("tthc_code", "1.013614", "") in kinds


def test_references_article_with_law_title_and_no_diacritics():
    (ref,) = find_references("khoan 2 dieu 13 luat duoc quy dinh gi")
    assert (ref.kind, ref.value, ref.document) == ("article", "13", "LUAT DUOC")


def test_references_dates_are_not_document_numbers():
    assert find_references("từ ngày 01/01/2017 đến nay") == []


def test_query_wants_history_on_expired_words_or_dates():
    assert wants_history("quy dinh nay da het hieu luc chua")
    assert wants_history("ap dung tu ngay 01/07/2009")
    assert not wants_history("dieu kien cap chung chi hanh nghe duoc")
    assert not wants_history("thong tu 46/2018/tt-byt")


def test_abbreviations_file_has_the_required_entries_with_folded_lookup():
    shipped = AbbreviationDictionary.from_file(ABBREVIATIONS_FILE)
    required = ["BHYT", "CCHN", "KCB", "GPHN", "GPHĐ", "TTHC", "ATTP", "BYT", "SYT", "UBND",
                "CCCD", "BHXH", "KBCB", "GPP", "GDP", "GSP", "HIV"]
    for abbr in required:
        assert abbr in shipped, abbr
    assert shipped.expansions("gphd") == ["giấy phép hoạt động"]


def test_query_keep_abbreviations_are_not_expanded():
    tiny = AbbreviationDictionary.from_lines(["HIV\tvi rút gây suy giảm miễn dịch\tkeep", "BHYT\tbảo hiểm y tế"])
    analysis = QueryAnalyzer(tiny).analyze("Người nhiễm HIV có được hưởng BHYT?")
    assert analysis.dense_text == "Người nhiễm HIV có được hưởng bảo hiểm y tế?"
    assert "vi rút" not in analysis.sparse_text and "bảo hiểm y tế" in analysis.sparse_text
    assert QueryAnalyzer(tiny).analyze("nguoi nhiem hiv").dense_text == "nguoi nhiem HIV"
