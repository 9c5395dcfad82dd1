from pathlib import Path

import pytest

from assistant.core.errors import ConfigError
from assistant.query import QueryAnalyzer
from assistant.core.settings import SYNONYMS_FILE
from assistant.synonyms import SynonymDictionary

LINES = [
    "# comment",
    "lái xe|lái xe máy\tđiều khiển phương tiện giao thông",
    "đi khám sức khỏe\tkhám sức khỏe",
    "đi khám\tkhám bệnh, chữa bệnh",
    "quả tim\tbộ phận cơ thể người",
]


def test_terms_for_everyday_phrases_with_and_without_diacritics():
    d = SynonymDictionary.from_lines(LINES)
    assert d.terms_for("Uống bia rồi Lái Xe Máy có sao không?") == ["điều khiển phương tiện giao thông"]
    assert d.terms_for("uong bia roi lai xe may co sao khong") == ["điều khiển phương tiện giao thông"]


def test_the_longest_phrase_wins_over_the_one_inside_it():
    d = SynonymDictionary.from_lines(LINES)
    assert d.terms_for("Đi khám sức khỏe xin việc") == ["khám sức khỏe"]
    assert d.terms_for("Đi khám ở trạm y tế") == ["khám bệnh, chữa bệnh"]


def test_an_accented_question_is_not_matched_against_folded_phrases():
    d = SynonymDictionary.from_lines(LINES)
    assert d.terms_for("Tìm quà tặng") == []  # "quả tim" folds to "qua tim"
    assert d.terms_for("qua tim bi benh") == ["bộ phận cơ thể người"]


def test_malformed_line_names_the_file_and_line(tmp_path: Path):
    bad = tmp_path / "syn.tsv"
    bad.write_text("lái xe điều khiển\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"syn\.tsv, dòng 1"):
        SynonymDictionary.from_file(bad)
    with pytest.raises(ConfigError, match="cannot read synonyms file"):
        SynonymDictionary.from_file(tmp_path / "missing.tsv")


def test_analyzer_adds_legal_terms_to_both_query_texts_without_replacing_words():
    analysis = QueryAnalyzer(synonyms=SynonymDictionary.from_lines(LINES)).analyze("Lái xe sau khi uống bia")
    assert analysis.legal_terms == ["điều khiển phương tiện giao thông"]
    assert analysis.sparse_text.startswith("Lái xe sau khi uống bia")
    assert "điều khiển phương tiện giao thông" in analysis.sparse_text
    assert "điều khiển phương tiện giao thông" in analysis.dense_text
    plain = QueryAnalyzer(synonyms=SynonymDictionary.from_lines(LINES), synonyms_in_dense=False)
    assert "điều khiển" not in plain.analyze("Lái xe sau khi uống bia").dense_text


def test_shipped_synonyms_file_loads_and_has_no_single_syllable_phrase():
    d = SynonymDictionary.from_file(SYNONYMS_FILE)
    assert len(d) >= 50
    for line in SYNONYMS_FILE.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            for phrase in line.split("\t")[0].split("|"):
                # a lone folded syllable ("tim", "gan", "de") collides with common words
                assert len(phrase.split()) >= 2 or phrase.isascii(), phrase
