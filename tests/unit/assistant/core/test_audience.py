"""The audience rule, stated once as a table: every place that filters documents by reader
(the store filter, the API's second check, the eval systems) follows it."""

import pytest

from assistant.core.audience import (
    DOCUMENT_AUDIENCES,
    audience_filter,
    may_see,
    reader_of,
    visible_audiences,
)
from assistant.core.domain import SearchFilter
from evals.systems import audience_filter as eval_audience_filter

RULE = {  # (reader, document audience) -> may see
    ("citizen", "public"): True,
    ("citizen", "staff"): False,
    ("staff", "public"): True,
    ("staff", "staff"): True,
    ("anyone-else", "public"): True,
    ("anyone-else", "staff"): False,
}


@pytest.mark.parametrize(("reader", "document"), list(RULE))
def test_audience_may_see_follows_the_table(reader: str, document: str) -> None:
    assert may_see(reader, document) is RULE[(reader, document)]


@pytest.mark.parametrize("reader", ["citizen", "staff", "anyone-else"])
def test_audience_store_filters_agree_with_the_table(reader: str) -> None:
    seen = {d for d in DOCUMENT_AUDIENCES if RULE[(reader, d)]}
    allowed = audience_filter(reader).audiences
    assert set(allowed or DOCUMENT_AUDIENCES) == seen
    assert allowed == visible_audiences(reader)
    eval_filter = eval_audience_filter(reader)
    assert set((eval_filter or SearchFilter()).audiences or DOCUMENT_AUDIENCES) == seen


def test_audience_filter_keeps_only_given_restrictions() -> None:
    flt = audience_filter("citizen", document_types=("luat",), fields=None)
    assert flt == SearchFilter(audiences=("public",), document_types=("luat",))


def test_audience_reader_is_staff_only_when_it_says_so() -> None:
    assert [reader_of(v) for v in ("staff", "citizen", "", "admin")] == ["staff"] + ["citizen"] * 3
    assert DOCUMENT_AUDIENCES == ("public", "staff")
