"""Pháp điển remarks on an article ("có nội dung được sửa đổi bởi …"): who changed it, which of
their articles, from when."""

from __future__ import annotations

from indexing.validity.notes import parse_change_note


def test_one_amending_document_with_its_article_and_date():
    [rel] = parse_change_note(
        "có nội dung được sửa đổi bởi Điều 2 Thông tư số 13/2019/TT-BYT có hiệu lực thi hành "
        "kể từ ngày 20/08/2019"
    )
    assert (rel.kind, rel.source, rel.articles, rel.effective_date) == (
        "amends", "13/2019/TT-BYT", ("Điều 2",), "2019-08-20")


def test_several_changes_and_kinds_in_one_remark():
    rels = parse_change_note(
        "có nội dung bị bãi bỏ, có nội dung được sửa đổi bởi Điều 4, Điều 5 Nghị định số "
        "155/2018/NĐ-CP có hiệu lực thi hành kể từ ngày 12/11/2018; Điều 1 Thông tư số "
        "8/2020/TT-BYT có hiệu lực thi hành kể từ ngày 11/07/2020"
    )
    assert {(r.kind, r.source) for r in rels} == {
        ("repeals", "155/2018/NĐ-CP"), ("amends", "155/2018/NĐ-CP"),
        ("repeals", "8/2020/TT-BYT"), ("amends", "8/2020/TT-BYT")}  # fmt: skip
    assert {r.articles for r in rels if r.source.startswith("155")} == {("Điều 4", "Điều 5")}


def test_expired_by_a_law_and_a_remark_without_a_kind():
    [rel] = parse_change_note(
        "có nội dung hết hiệu lực theo quy định tại Điều 1 Luật số 46/2014/QH13, có hiệu lực "
        "thi hành kể từ ngày 01/01/2015"
    )
    assert (rel.kind, rel.source, rel.effective_date) == ("repeals", "46/2014/QH13", "2015-01-01")
    [rel] = parse_change_note("bởi Điều 74 Luật số 67/2014/QH13 có hiệu lực thi hành kể từ ngày 01/07/2015")
    assert (rel.kind, rel.source) == ("amends", "67/2014/QH13")
