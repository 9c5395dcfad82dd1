from datetime import date

import pytest

from assistant.core.dossier_codes import (
    code_date,
    find_code,
    find_verification,
    looks_like_code,
    normalize_code,
    strip_code,
)

CANONICAL = "000.00.21.H21-251120-0001"


@pytest.mark.parametrize(
    "typed",
    [
        CANONICAL,
        "000.00.21.h21-251120-0001",
        "000.00.21.H21 - 251120 - 0001",
        " 000 . 00 . 21 . H21-251120-0001 ",
        "000 00 21 H21 251120 0001",
        "000,00,21,h21 251120 0001.",
        "000.00.21.H21–251120–0001",
    ],
)
def test_normalize_code_accepts_spaces_case_and_separators(typed: str) -> None:
    assert normalize_code(typed) == CANONICAL


@pytest.mark.parametrize(
    "typed",
    [
        "000.00.21.H21-251320-0001",  # month 13
        "000.00.21.H21-251131-0001",  # 31 November
        "000.00.21.H21-251120-001",  # 3-digit sequence
        "00.00.21.H21-251120-0001",  # short agency part
        "000.00.21.H21-251120-0001 1234",  # more than a code
        "",
    ],
)
def test_normalize_code_rejects_malformed_input(typed: str) -> None:
    assert normalize_code(typed) is None


def test_find_code_returns_canonical_code_and_span_inside_a_sentence() -> None:
    text = "Cho tôi tra cứu hồ sơ 000.00.21.h21 - 251120 - 0007 nhé"
    match = find_code(text)
    assert match is not None
    assert match.code == "000.00.21.H21-251120-0007"
    assert text[match.start : match.end].lower().startswith("000.00.21.h21")


def test_find_code_returns_none_without_a_code() -> None:
    assert find_code("hồ sơ của tôi đến đâu rồi") is None


def test_find_verification_takes_last4_of_a_full_phone_number() -> None:
    assert find_verification("sdt 0905 123 456") == "3456"
    assert find_verification("số điện thoại 0905123456") == "3456"


def test_find_verification_takes_a_standalone_four_digit_number() -> None:
    assert find_verification("4 số cuối 8899 nhé") == "8899"


def test_find_verification_ignores_dates() -> None:
    assert find_verification("nộp ngày 20/11/2025") is None


def test_strip_code_keeps_code_digits_out_of_the_verification() -> None:
    text = "000.00.21.H21-251120-0001 1234"
    match = find_code(text)
    assert find_verification(strip_code(text, match)) == "1234"
    assert find_verification(strip_code("000.00.21.H21-251120-0001", find_code(
        "000.00.21.H21-251120-0001"))) is None


def test_code_date_reads_the_registration_date() -> None:
    assert code_date(CANONICAL) == date(2025, 11, 20)
    assert code_date("garbage") is None


def test_looks_like_code_spots_mistyped_codes_only() -> None:
    assert looks_like_code("000.00.21.H21-2511-0001")
    assert not looks_like_code("cảm ơn bạn")
