""""Did you mean" from the index's vocabulary (vnsearch.suggest)."""

import pytest

from spelling_corpus import build
from vnsearch import Index
from vnsearch.suggest import suggest


@pytest.fixture(scope="module")
def snapshot(tmp_path_factory: pytest.TempPathFactory):
    path = build(tmp_path_factory.mktemp("suggest") / "ix")
    with Index.open(path) as index:
        yield index._engine.snapshot()


@pytest.mark.parametrize(("query", "better"), [
    ("xay dung dang", "xây dựng đảng"),
    ("phong chong tham nhung", "phòng chống tham nhũng"),
])
def test_a_query_without_diacritics_gets_its_restored_spelling(snapshot, query: str, better: str) -> None:
    assert suggest(query, snapshot) == better


@pytest.mark.parametrize(("query", "better"), [
    ("tham nhủng", "tham nhũng"),  # a tone mark the index does not hold on that syllable
    ("Quốc hộii", "Quốc hội"),  # a letter too many
    ("thâm nhũng", "tham nhũng"),  # a syllable the index does not hold at all
    ("xây dựng đảnh", "xây dựng đảng"),  # a letter typed wrong
    ("khắc phục sạt lờ", "khắc phục sạt lở"),  # a syllable the index holds, in a word it never spells so
])
def test_a_misspelled_syllable_gets_the_index_spelling(snapshot, query: str, better: str) -> None:
    assert suggest(query, snapshot) == better


@pytest.mark.parametrize("query", ["xây dựng Đảng", "Bí thư Tỉnh ủy", "phòng, chống tham nhũng", "những người dân",
                                   "đang làm việc",
                                   "vội vàng", "lờ đi"])  # rare words beside common ones ("với", "lở") are no slips
def test_a_query_spelled_as_the_index_spells_it_gets_no_suggestion(snapshot, query: str) -> None:
    assert suggest(query, snapshot) is None


def test_a_word_with_no_close_spelling_in_the_index_gets_no_suggestion(snapshot) -> None:
    assert suggest("xyzzyq", snapshot) is None


def test_the_case_of_each_typed_syllable_is_kept(snapshot) -> None:
    assert suggest("QUỐC HỘII", snapshot) == "QUỐC HỘI"
    assert suggest("Xay dung Dang", snapshot) == "Xây dựng Đảng"


def test_an_abbreviation_typed_without_diacritics_is_suggested_as_the_table_spells_it() -> None:
    from vnsearch.restore import SpellingStats
    from vnsearch.suggest import suggest_with

    stats = SpellingStats(documents=10, syllables={"hđnd": 5, "tỉnh": 5}, words={"hđnd": 5, "tỉnh": 5},
                          pair_frequency=lambda _pair: 0)
    assert suggest_with("hdnd tinh", stats) == "HĐND tỉnh"


def test_only_the_words_change_filters_numbers_and_operators_stay_as_typed(snapshot) -> None:
    query = '"phong chong tham nhung" OR quoc hoi committee:"Bộ Chính trị" 21-NQ/TW -lang'
    assert suggest(query, snapshot) == '"phòng chống tham nhũng" OR quốc hội committee:"Bộ Chính trị" 21-NQ/TW -lãng'


def test_a_quote_left_open_is_closed_in_the_suggestion(snapshot) -> None:
    assert suggest('quoc hoi "phong chong tham nhung', snapshot) == 'quốc hội "phòng chống tham nhũng"'


def test_an_empty_query_gets_no_suggestion(snapshot) -> None:
    assert suggest("", snapshot) is None
    assert suggest('"" -', snapshot) is None


def test_the_suggestion_reaches_the_library_the_cli_json_and_the_page(tmp_path) -> None:
    import json

    from click.testing import CliRunner

    from vnsearch.cli import main
    from vnsearch.web import create_app

    path = build(tmp_path / "ix")
    with Index.open(path) as index:
        assert index.search("tham nhủng").suggestion == "tham nhũng"
        assert index.search("tham nhũng").suggestion is None
    result = CliRunner().invoke(main, ["search", "tham nhủng", "--index", str(path)])
    assert result.exit_code == 0 and "Did you mean: tham nhũng" in result.stderr
    data = json.loads(CliRunner().invoke(main, ["search", "tham nhủng", "--json", "--index", str(path)]).stdout)
    assert data["suggestion"] == "tham nhũng"
    page = create_app(str(path)).test_client().get("/?q=tham+nh%E1%BB%A7ng").get_data(as_text=True)
    assert "Có phải bạn muốn tìm" in page and "tham nhũng</a>" in page
