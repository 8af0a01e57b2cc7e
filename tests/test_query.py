"""The query language: what each piece of syntax becomes, and how slips are repaired."""

import pytest

from vnsearch.errors import InvalidOptionError, QueryError
from vnsearch.query import NUMBER, PHRASE, TEXT, Clause, date_range, number_option, parse, parse_bound


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


@pytest.mark.parametrize("value,upper,expected", [
    ("2012", False, "2012-01-01"), ("2012", True, "2012-12-31"),
    ("2012-02", True, "2012-02-29"), ("02/2013", True, "2013-02-28"),
    ("2012-06-15", False, "2012-06-15"), ("15/06/2012", True, "2012-06-15"), ("15.06.2012", False, "2012-06-15"),
    ("ngày 15 tháng 6 năm 2012", False, "2012-06-15"),
])
def test_date_bounds_take_a_year_a_month_or_a_day(value: str, upper: bool, expected: str) -> None:
    assert parse_bound(value, upper=upper) == expected


@pytest.mark.parametrize("value,code,said", [
    ("2025-13-45", "date.bad_month", "13 is not a month"),
    ("45/13/2025", "date.bad_month", "13 is not a month"),
    ("2024-02-30", "date.bad_day", "2024-02 has no day 30"),
    ("2025-00", "date.bad_month", "0 is not a month"),
    ("hôm qua", "date.invalid", "is not a date (use YYYY, YYYY-MM, YYYY-MM-DD"),
])
def test_a_wrong_date_names_the_wrong_part(value: str, code: str, said: str) -> None:
    with pytest.raises(InvalidOptionError) as caught:
        parse_bound(value, upper=False)
    assert caught.value.code == code and said in str(caught.value)


def test_a_wrong_date_alone_in_the_query_is_the_error_not_no_words() -> None:
    with pytest.raises(InvalidOptionError, match="13 is not a month"):
        parse("date:2025-13-45")
    with pytest.raises(InvalidOptionError, match="is not a year"):
        parse("year:20x")


def test_a_wrong_date_beside_words_is_ignored_with_its_reason() -> None:
    parsed = parse("tham date:2025-13-45")
    assert parsed.date_from is None and parsed.groups
    assert [n.text() for n in parsed.notices] == [
        "'2025-13-45' is not a date: 13 is not a month (1-12); the filter date:2025-13-45 was ignored"
    ]
    assert parsed.notices[0].text("vi").startswith("«2025-13-45» không phải là ngày: 13 không phải là tháng (1-12); đã bỏ qua")


@pytest.mark.parametrize("query", ["tham nhũng cites:", "tham nhũng type:", "tham nhũng số:"])
def test_a_filter_name_with_nothing_after_it_is_an_empty_filter_not_a_word(query: str) -> None:
    parsed = parse(query)
    assert [notice.code for notice in parsed.notices] == ["query.empty_filter"]
    assert [clause.text for clause in parsed.clauses] == ["tham nhũng"]


@pytest.mark.parametrize(("query", "field", "value"), [
    ("số: 21-NQ/TW tham nhũng", "number", "21-NQ/TW"),
    ('committee: "Bộ Chính trị" tham nhũng', "committee", "Bộ Chính trị"),
    ("tham nhũng cites: 41/2024/QH15", "cites", "41/2024/QH15"),
])
def test_a_space_after_a_filter_s_colon_takes_the_next_word_or_phrase_as_its_value(query: str, field: str,
                                                                                     value: str) -> None:
    parsed = parse(query)
    assert getattr(parsed, field) == value and not parsed.notices
    assert [clause.text for clause in parsed.clauses] == ["tham nhũng"]


def test_prose_after_a_filter_name_and_colon_stays_words() -> None:
    parsed = parse("bao nhiêu năm: mười năm")
    assert parsed.date_from is None and not parsed.notices
    assert [clause.text for clause in parsed.clauses] == ["bao nhiêu năm mười năm"]
    assert parse("Quyết định số: 123/QĐ-UBND").number == "123/QĐ-UBND"  # a number after "số:" is one
    assert parse("năm: 2024 tham nhũng").date_from == "2024-01-01"


@pytest.mark.parametrize("query,typed", [("tham date:2024..2023", "date:2024..2023"),
                                         ("tham year:2024 date:..2020", "year:2024 date:..2020")])
def test_a_date_range_whose_start_is_after_its_end_is_ignored_with_its_reason(query: str, typed: str) -> None:
    parsed = parse(query)
    assert parsed.date_from is None and parsed.date_to is None and parsed.groups
    [notice] = parsed.notices
    assert notice.code == "query.filter_ignored" and notice.params["reason"].code == "option.dates_reversed"
    assert notice.text().endswith(f"the filter {typed} was ignored")


def test_a_reversed_date_range_alone_in_the_query_is_the_error() -> None:
    with pytest.raises(InvalidOptionError) as caught:
        parse("date:2024..2023")
    assert caught.value.code == "option.dates_reversed"
    assert str(caught.value) == "the start date 2024-01-01 is after the end date 2023-12-31"


def test_date_range_rounds_each_bound_and_refuses_a_start_after_the_end() -> None:
    assert date_range("2024", "2024") == ("2024-01-01", "2024-12-31")
    assert date_range(None, "2024-02") == (None, "2024-02-29")
    with pytest.raises(InvalidOptionError, match="start date 2025-01-01 is after the end date 2024-12-31"):
        date_range("2025", "2024")


@pytest.mark.parametrize("name,value,said", [
    ("page", "-1", "page must be between 1 and 1000"),
    ("limit", "-5", "limit must be between 1 and 100"),
    ("limit", " -5 ", "limit must be between 1 and 100"),
    ("page", "0", "page must be between 1 and 1000"),
    ("page", "-99999999999999999999", "page must be between 1 and 1000"),
    ("limit", "+5", None),
    ("limit", "1.5", "limit must be a whole number, not '1.5'"),
    ("page", "ten", "page must be a whole number, not 'ten'"),
    ("page", "--1", "page must be a whole number, not '--1'"),
])
def test_a_whole_number_out_of_range_gets_the_range_message_anything_else_not_a_number(
        name: str, value: str, said: str | None) -> None:
    if said is None:
        assert number_option(name, value) == 5
        return
    with pytest.raises(InvalidOptionError) as caught:
        number_option(name, value)
    assert str(caught.value) == said
