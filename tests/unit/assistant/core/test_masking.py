"""Phone numbers, CCCD/CMND numbers and verification factors are masked in every common
written form before a question is stored or logged; dossier codes, dates, document numbers
and amounts of money are kept. Property-based over generated forms (hypothesis)."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from assistant.core.masking import mask_personal_data

CODE = "000.00.21.H21-251120-0001"

digits = st.text(alphabet="0123456789", min_size=1, max_size=1)
separators = st.sampled_from(["", ".", "-", " ", " - ", ". "])
trailing = st.sampled_from(["", ".", ",", "!", "?", ")", ";", " ạ", "."])
leading = st.sampled_from(["số điện thoại ", "sđt: ", "SĐT ", "(", "gọi ", "", "đt:"])


@st.composite
def phones(draw) -> tuple[str, str]:
    """(written form, its digits) of a Vietnamese mobile number in a common written form."""
    rest = "".join(draw(st.lists(digits, min_size=9, max_size=9)))
    national = draw(st.sampled_from(["0", "+84", "84", "+84 ", "(+84) ", "0084"]))
    sep = draw(separators)
    groups = draw(st.sampled_from([(3, 3, 3), (2, 3, 4), (3, 2, 2, 2), (9,), (4, 5)]))
    parts, i = [], 0
    for size in groups:
        parts.append(rest[i:i + size])
        i += size
    body = sep.join(parts)
    if national == "0":
        first, *others = parts  # "0814 507 890": the 0 joins the first group
        body = "0" + sep.join([first, *others])
        return body, "0" + rest
    return national + body, rest


@st.composite
def id_numbers(draw) -> tuple[str, str]:
    n = draw(st.sampled_from([9, 12]))
    number = "".join(draw(st.lists(digits, min_size=n, max_size=n)))
    sep = draw(st.sampled_from(["", " ", ".", "-"]))
    groups = [number[i:i + 3] for i in range(0, n, 3)]
    return sep.join(groups), number


def _still_there(secret_digits: str, masked: str) -> bool:
    return secret_digits in re.sub(r"\D", "", masked)


@settings(max_examples=300, deadline=None)
@given(phones(), leading, trailing)
def test_phone_numbers_masked_in_every_written_form(phone, before, after):
    written, number = phone
    text = f"hồ sơ {CODE} của tôi, {before}{written}{after} xin kiểm tra giúp"
    masked = mask_personal_data(text)
    assert not _still_there(number[-9:], masked), masked
    assert CODE in masked


@settings(max_examples=200, deadline=None)
@given(id_numbers(), st.sampled_from(["CCCD ", "số CMND: ", "căn cước số ", "giấy tờ "]), trailing)
def test_id_numbers_masked(id_number, before, after):
    written, number = id_number
    masked = mask_personal_data(f"{before}{written}{after}")
    assert not _still_there(number, masked), masked


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="0123456789", min_size=4, max_size=4), trailing,
       st.sampled_from(["4 số cuối ", "bốn số cuối điện thoại là ", "số xác minh ",
                        "4 số cuối CCCD: ", "sdt đuôi "]))
def test_verification_factor_after_a_keyword_masked(factor, after, keyword):
    masked = mask_personal_data(f"tra cứu hồ sơ {CODE}, {keyword}{factor}{after}")
    assert factor not in masked.replace(CODE, "")
    assert CODE in masked


def test_issue_reproductions_are_masked():
    for form in ("0814.507.890", "0814-507-890", "0814 507 890", "+84 814 507 890",
                 "+84814507890"):
        masked = mask_personal_data(f"…hồ sơ {CODE} số điện thoại {form}.")
        assert "507" not in masked and "890" not in masked, masked
        assert CODE in masked
    masked = mask_personal_data(f"hồ sơ {CODE} số cuối 7890.", dossier_context=True)
    assert "7890" not in masked


def test_bare_factor_masked_in_dossier_context_only():
    assert "7890" not in mask_personal_data("7890", dossier_context=True)
    assert mask_personal_data("năm 2023 có gì mới") == "năm 2023 có gì mới"


def test_public_numbers_kept():
    for text in ("Nghị định 15/2018/NĐ-CP ngày 12.02.2018", "lệ phí 300.000 đồng",
                 "phạt 100.000.000 đồng", "Điều 13 Luật 15/2023/QH15", f"mã {CODE}",
                 "mã 000 00 21 H21 251120 0001"):
        assert mask_personal_data(text) == text


def test_log_lines_are_masked():
    import json
    import logging

    from assistant.core.logs import JsonFormatter

    record = logging.LogRecord("t", logging.WARNING, __file__, 1, "hỏi từ sđt %s", ("0912 345 678",),
                               None)
    record.question = f"hồ sơ {CODE}, 4 số cuối 5678"
    line = json.loads(JsonFormatter().format(record))
    assert "345" not in line["msg"] and "5678" not in line["question"]
    assert CODE in line["question"]
