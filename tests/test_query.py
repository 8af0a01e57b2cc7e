"""The query language: what each piece of syntax becomes, and how slips are repaired."""

import pytest

from vnsearch.errors import QueryError
from vnsearch.query import NUMBER, PHRASE, TEXT, Clause, parse


def kinds(text: str) -> list[list[tuple[str, str]]]:
    return [[(c.kind, c.text) for c in group] for group in parse(text).groups]


def test_plain_words_form_one_run() -> None:
    assert kinds("phòng chống tham nhũng") == [[(TEXT, "phòng chống tham nhũng")]]


def test_quoted_phrase_and_words() -> None:
    assert kinds('"Ban Thường vụ" tỉnh') == [[(PHRASE, "Ban Thường vụ")], [(TEXT, "tỉnh")]]


def test_query_is_normalised_like_documents() -> None:
    assert kinds("Tỉnh uỷ khoá") == [[(TEXT, "Tỉnh ủy khóa")]]


def test_document_number_is_its_own_clause() -> None:
    assert kinds("nghị quyết 21-nq/tw") == [[(TEXT, "nghị quyết")], [(NUMBER, "21-nq/tw")]]


def test_or_binds_the_neighbouring_word_or_phrase() -> None:
    assert kinds('tham nhũng OR "lãng phí"') == [[(TEXT, "tham")], [(TEXT, "nhũng"), (PHRASE, "lãng phí")]]


def test_exclusions() -> None:
    parsed = parse('tham nhũng -"lãng phí" -tiêu')
    assert parsed.excluded == (Clause(PHRASE, "lãng phí"), Clause(TEXT, "tiêu"))


FILTER_CASES = {
    "committee": ('committee:"Bộ Chính trị" x', "committee", "Bộ Chính trị"),
    "type_alias": ("type:NQ x", "doc_type", "Nghị quyết"),
    "number": ("number:21-NQ/TW x", "number", "21-NQ/TW"),
    "date_from_open_end": ("date:2012.. x", "date_from", "2012-01-01"),
    "date_to_month": ("date:..2013-02 x", "date_to", "2013-02-28"),
    "year": ("year:2024 x", "date_to", "2024-12-31"),
}


@pytest.mark.parametrize("text,name,value", FILTER_CASES.values(), ids=FILTER_CASES.keys())
def test_filters(text: str, name: str, value: str) -> None:
    assert getattr(parse(text), name) == value


SLIPS = {
    "unclosed_quote": ('"phòng chống', "unclosed quote"),
    "leading_or": ("OR tham", "OR with nothing before it"),
    "trailing_or": ("tham OR", "OR with nothing after it"),
    "bad_date": ("date:hôm-qua tham", "is not a date"),
    "symbols": ("tham ((( nhũng", "is not a word"),
}


@pytest.mark.parametrize("text,notice", SLIPS.values(), ids=SLIPS.keys())
def test_slips_are_repaired_and_explained(text: str, notice: str) -> None:
    parsed = parse(text)
    assert parsed.groups
    assert any(notice in n.text() for n in parsed.notices)


@pytest.mark.parametrize("text", ["", "OR", "-tham", '""', "((("])
def test_nothing_to_look_for(text: str) -> None:
    with pytest.raises(QueryError):
        parse(text)


def test_filter_alone_is_a_query() -> None:
    assert parse('committee:"Quốc hội"').committee == "Quốc hội"


def test_very_long_query_is_cut_with_a_notice() -> None:
    parsed = parse("tham " * 5000)
    assert any(n.code == "query.cut" and "cut to its first" in n.text() for n in parsed.notices)
