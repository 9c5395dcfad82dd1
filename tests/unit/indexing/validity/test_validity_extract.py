"""Effective dates and "sửa đổi, bổ sung / thay thế / bãi bỏ" relations read from a document's
own text, on the phrasings Vietnamese regulations use."""

from __future__ import annotations

import pytest

from indexing.validity.extract import effective_date, extract_validity, find_relations
from assistant.core.legal_numbers import find_articles, find_numbers, number_key


@pytest.mark.parametrize(
    ("text", "issued", "expected"),
    [
        ("Thông tư này có hiệu lực thi hành kể từ ngày 01 tháng 7 năm 2025.", "", "2025-07-01"),
        ("Luật này có hiệu lực thi hành từ ngày 01 tháng 7 năm 2025, trừ khoản 2.", "", "2025-07-01"),
        ("Nghị định này có hiệu lực kể từ ngày 15/02/2021.", "", "2021-02-15"),
        ("Quyết định này có hiệu lực kể từ ngày ký.", "2024-03-05", "2024-03-05"),
        ("Quyết định này có hiệu lực thi hành kể từ ngày ký ban hành.", "2024-03-05", "2024-03-05"),
        ("Thông tư này có hiệu lực thi hành sau 45 ngày kể từ ngày ký.", "2025-02-20", "2025-04-06"),
        ("Quyết định này có hiệu lực kể từ ngày ký.", "", ""),
        ("Văn bản không nói gì về hiệu lực.", "", ""),
    ],
)
def test_effective_date_phrasings(text, issued, expected):
    assert effective_date(text, issued) == expected


def test_effective_date_prefers_the_documents_own_sentence_over_a_cited_law():
    text = (
        "Luật số 46/2014/QH13 có hiệu lực thi hành kể từ ngày 01/01/2015.\n"
        "Điều 9. Hiệu lực thi hành\nThông tư này có hiệu lực kể từ ngày 10 tháng 3 năm 2022."
    )
    assert effective_date(text) == "2022-03-10"


def test_effective_date_skips_a_date_that_belongs_to_another_numbered_document():
    assert effective_date("Nghị định số 48/2013/NĐ-CP có hiệu lực kể từ ngày 01/07/2013.") == ""


def kinds(text: str, own: str = "") -> list[tuple[str, str, tuple[str, ...]]]:
    return [(r.kind, r.target, r.articles) for r in find_relations(text, own_number=own)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Thông tư này thay thế Thông tư số 40/2015/TT-BYT ngày 16/11/2015 của Bộ Y tế.",
         [("replaces", "40/2015/TT-BYT", ())]),
        ("Quyết định này thay thế Quyết định số 123/QĐ-SYT ngày 02/01/2020.",
         [("replaces", "123/QĐ-SYT", ())]),
        ("Nghị định này thay thế cho Nghị định số 105/2014/NĐ-CP.", [("replaces", "105/2014/NĐ-CP", ())]),
        ("Bãi bỏ Thông tư số 15/2015/TT-BYT.", [("repeals", "15/2015/TT-BYT", ())]),
        ("Bãi bỏ Điều 5, khoản 2 Điều 7 của Thông tư số 46/2018/TT-BYT.",
         [("repeals", "46/2018/TT-BYT", ("Điều 5", "Điều 7 (một phần)"))]),
        ("Bãi bỏ các Điều 5, 6 và 7 của Thông tư số 46/2018/TT-BYT.",
         [("repeals", "46/2018/TT-BYT", ("Điều 5", "Điều 6", "Điều 7"))]),
        ("Thông tư số 99/2019/TT-BYT hết hiệu lực kể từ ngày Thông tư này có hiệu lực thi hành.",
         [("repeals", "99/2019/TT-BYT", ())]),
        ("Thông tư số 12/2017/TT-BYT được thay thế bằng Thông tư này.",
         [("replaces", "12/2017/TT-BYT", ())]),
        ("Sửa đổi, bổ sung Điều 22 của Luật Bảo hiểm y tế số 25/2008/QH12 như sau:",
         [("amends", "25/2008/QH12", ("Điều 22",))]),
        ("Sửa đổi, bổ sung một số điều của Thông tư số 46/2018/TT-BYT và Thông tư số 40/2015/TT-BYT",
         [("amends", "46/2018/TT-BYT", ()), ("amends", "40/2015/TT-BYT", ())]),
        ("Bổ sung Điều 3a vào Hướng dẫn số DEMO-02/2025/HD-SYT như sau:",
         [("amends", "DEMO-02/2025/HD-SYT", ("Điều 3a",))]),
    ],
)
def test_relations_named_with_a_number(text, expected):
    assert kinds(text) == expected


def test_relations_of_an_amending_law_with_articles_in_numbered_points():
    text = (
        "LUẬT\nSỬA ĐỔI, BỔ SUNG MỘT SỐ ĐIỀU CỦA LUẬT BẢO HIỂM Y TẾ\n"
        "Căn cứ Hiến pháp nước Cộng hòa xã hội chủ nghĩa Việt Nam;\n"
        "Quốc hội ban hành Luật sửa đổi, bổ sung một số điều của Luật Bảo hiểm y tế số "
        "25/2008/QH12 đã được sửa đổi, bổ sung một số điều theo Luật số 46/2014/QH13.\n"
        "Điều 1. Sửa đổi, bổ sung một số điều của Luật Bảo hiểm y tế\n"
        "1. Sửa đổi, bổ sung khoản 4 Điều 22 như sau:\n"
        "“4. Thông tư này thay thế Thông tư số 1/2000/TT-BYT.”\n"
        "2. Bổ sung Điều 22a vào sau Điều 22 như sau:\n"
        "3. Bãi bỏ khoản 2 Điều 5.\n"
    )
    found = kinds(text, own="51/2024/QH15")
    assert ("amends", "25/2008/QH12", ("Điều 22 (một phần)", "Điều 22a")) in found
    assert ("repeals", "25/2008/QH12", ("Điều 5 (một phần)",)) in found  # only khoản 2 of it
    assert not [f for f in found if f[1] in ("46/2014/QH13", "1/2000/TT-BYT")]  # nested, quoted


def test_new_wording_in_straight_quotes_is_not_a_change_of_its_own():
    text = (
        "Sửa đổi, bổ sung Điều 3 của Thông tư số 10/2020/TT-TEST như sau:\n"
        '"Điều 3. Mức hỗ trợ\nQuyết định này thay thế Quyết định số 9/2019/QĐ-TEST."\n'
        "Điều 2. Hiệu lực"
    )
    assert kinds(text) == [("amends", "10/2020/TT-TEST", ("Điều 3",))]


def test_replacing_a_list_of_documents_on_the_following_lines():
    text = "Thông tư này thay thế các văn bản sau:\na) Thông tư số 40/2015/TT-BYT;\nb) Quyết định số 123/QĐ-BYT.\nĐiều 9. Trách nhiệm"
    assert kinds(text) == [("replaces", "40/2015/TT-BYT", ()), ("replaces", "123/QĐ-BYT", ())]


@pytest.mark.parametrize(
    "text",
    [
        "Căn cứ Luật Bảo hiểm y tế số 25/2008/QH12, được sửa đổi, bổ sung bởi Luật số 46/2014/QH13;",
        "Người bệnh bổ sung hồ sơ theo Điều 5 Thông tư số 46/2018/TT-BYT.",
        "Cơ sở đề nghị sửa đổi, bổ sung giấy phép hoạt động theo Mẫu số 02.",
        "Thay thế thuốc trong danh mục theo Thông tư số 20/2022/TT-BYT khi hết hàng.",
        "2. Sửa đổi, bổ sung Điều 3 như sau:",  # article-level, but no amended document named
        "Luật số 51/2024/QH15 sửa đổi, bổ sung Luật Bảo hiểm y tế thay đổi mức hưởng: Điều 7 dưới "
        "đây đã được sửa đổi bởi Hướng dẫn DEMO-04/2025/HD-SYT.",  # a note about being amended
    ],
)
def test_no_relation_from_citations_procedures_or_ordinary_words(text):
    assert find_relations(text) == []


def test_a_document_never_changes_itself():
    text = "Số: 05/2024/TT-TEST\nBãi bỏ Điều 4 của Thông tư số 05/2024/TT-TEST."
    assert extract_validity(text, own_number="05/2024/TT-TEST").relations == ()


def test_numbers_and_articles_and_their_keys():
    assert find_numbers("theo Luật số 105/2016/QH13 và Nghị định 54/2017/NĐ-CP, Quyết định 4586/QĐ-BYT") == [
        "105/2016/QH13", "54/2017/NĐ-CP", "4586/QĐ-BYT"]  # fmt: skip
    assert number_key("08/2020/TT-BYT") == number_key("8/2020/tt-byt.") != number_key("8/2021/TT-BYT")
    assert number_key("48/2013/NĐ-CP") == number_key("48/2013/ND-CP")
    assert find_articles("khoản 2 Điều 5 và Điều 7a") == ["Điều 5 (một phần)", "Điều 7a"]
    assert find_articles("điểm c khoản 2 Điều 8") == ["Điều 8 (một phần)"]


@pytest.mark.parametrize(
    ("head", "issuer"),
    [("BỘ Y TẾ\nSố: 46/2018/TT-BYT", "Bộ Y tế"), ("> DEMO\n\nSỞ Y TẾ (DEMO)\nSố: DEMO-1", "Sở Y tế (DEMO)"),
     ("ỦY BAN NHÂN DÂN\nTỈNH GIA LAI", "Ủy ban nhân dân"), ("Bộ phận một cửa tiếp nhận hồ sơ", "")],
)
def test_issuing_body_from_the_header_lines(head, issuer):
    from indexing.validity.document import issuer_from_header

    assert issuer_from_header(head) == issuer
