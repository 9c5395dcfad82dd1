"""Document numbers are known in one place (assistant.core.legal_numbers): every shape finds the
same number, the type/issuer codes agree with the document types, and the question-side parser
and the loaders use these patterns, not copies of their own."""

import pytest

from assistant.core.legal_numbers import (
    AGENCIES,
    DOCUMENT_TYPES,
    FIELD_NUMBER,
    FOLDED_NUMBER,
    HEADER_NUMBER,
    NUMBER,
    TYPE_CODES,
    infer_from_number,
    number_key,
)
from assistant.core.text import fold_accents
from assistant.references import find_references
from indexing.loaders.header import detect_header
from indexing.loaders.tthc_fields import legal_basis

NUMBERS = ["46/2018/TT-BYT", "105/2016/QH13", "117/2020/NĐ-CP", "5/2023/TTLT-BYT-BTC", "12/QĐ-SYT"]


@pytest.mark.parametrize("number", NUMBERS)
def test_legal_numbers_every_shape_finds_the_same_number(number: str) -> None:
    sentence = f"Theo văn bản số {number}, quy định như sau"
    assert NUMBER.search(sentence).group(0) == number
    assert HEADER_NUMBER.search(sentence).group(1).rstrip(".,;") == number
    assert FIELD_NUMBER.search(sentence).group(0) == number
    folded = fold_accents(sentence).upper()
    assert number_key(FOLDED_NUMBER.search(folded).group(0)) == number_key(number)


@pytest.mark.parametrize("number", NUMBERS)
def test_legal_numbers_callers_use_the_core_patterns(number: str) -> None:
    assert [r.value for r in find_references(f"thông tư {number} quy định gì")] == [
        fold_accents(number).upper()]
    assert detect_header(f"Số: {number}\n").document_number == number
    assert legal_basis([{"so_ky_hieu": number}])[0]["number"] == number


def test_legal_numbers_type_codes_name_known_document_types() -> None:
    assert set(TYPE_CODES.values()) <= set(DOCUMENT_TYPES)
    assert all(code and name for code, name in AGENCIES.items())


def test_legal_numbers_infer_type_and_issuer() -> None:
    assert infer_from_number("46/2018/TT-BYT") == ("Thông tư", "Bộ Y tế")
    assert infer_from_number("105/2016/QH13") == ("Luật", "Quốc hội")
    assert infer_from_number("5/2023/TTLT-BYT-BTC") == ("Thông tư liên tịch", "Bộ Y tế, Bộ Tài chính")
    assert infer_from_number("1/2020/XYZ") == ("", "")


def test_legal_numbers_normative_types_are_document_types() -> None:
    from assistant.core.legal_numbers import NORMATIVE_TYPES

    assert set(NORMATIVE_TYPES) <= set(DOCUMENT_TYPES)
    assert {"Luật", "Nghị định", "Thông tư", "Thông tư liên tịch"} <= set(NORMATIVE_TYPES)
