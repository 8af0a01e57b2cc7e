"""Abbreviations typed in any case, with or without diacritics (vnsearch.abbreviations)."""

import pytest

from vnsearch.abbreviations import (
    ABBREVIATIONS,
    COMMON_WORDS,
    abbreviation_expansions,
    abbreviation_of,
    expansions,
    find_full_forms,
)


@pytest.mark.parametrize(("typed", "abbreviation"), [
    ("UBND", "UBND"), ("ubnd", "UBND"), ("Ubnd", "UBND"),
    ("HĐND", "HĐND"), ("hđnd", "HĐND"), ("HDND", "HĐND"), ("hdnd", "HĐND"),
    ("bch", "BCH"), ("tw", "TW"), ("TTg", "TTg"), ("ttg", "TTg"), ("qđ", "QĐ"), ("qd", "QĐ"),
    ("TƯ", "TƯ"), ("TU", "TƯ"),  # typed in capitals, an abbreviation
    ("  ubnd ", "UBND"),
])
def test_an_abbreviation_is_recognised_whatever_its_case_and_diacritics(typed: str, abbreviation: str) -> None:
    assert abbreviation_of(typed) == abbreviation


@pytest.mark.parametrize("typed", ["tư", "tu", "Tư"])
def test_a_lower_case_form_that_is_a_common_word_is_that_word(typed: str) -> None:
    assert abbreviation_of(typed) is None


@pytest.mark.parametrize("typed", ["nhà", "ủy", "ban", "XYZ", "", "21-NQ/TW"])
def test_words_outside_the_table_are_not_abbreviations(typed: str) -> None:
    assert abbreviation_of(typed) is None


def test_each_abbreviation_stands_for_itself_in_capitals() -> None:
    for short in ABBREVIATIONS:
        assert abbreviation_of(short) is not None


def test_common_words_are_lower_case_forms_of_table_entries() -> None:
    from vnsearch.text import fold

    forms = {form for short in ABBREVIATIONS for form in (short.lower(), fold(short.lower()))}
    assert COMMON_WORDS <= forms


def test_full_forms_are_found_with_or_without_diacritics() -> None:
    assert find_full_forms(["ủy", "ban", "nhân", "dân", "tỉnh"]) == [(0, 4, "ubnd")]
    assert find_full_forms(["uy", "ban", "nhan", "dan", "tinh"], folded=True) == [(0, 4, "ubnd")]
    assert find_full_forms(["hoi", "dong", "nhan", "dan"], folded=True) == [(0, 4, "hđnd")]
    assert find_full_forms(["uy", "ban", "nhan", "dan"]) == []  # exact spelling unless told


def test_typed_forms_expand_like_the_abbreviation() -> None:
    assert abbreviation_expansions("hdnd") == expansions(("hđnd",)) == (("hội", "đồng", "nhân", "dân"),)
    assert abbreviation_expansions("bch") == (("ban", "chấp", "hành"),)
    assert abbreviation_expansions("tu") == ()
