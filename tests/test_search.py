"""Search behaviour pinned on small fixtures: phrases, ranking, diacritics, numbers, facets, snippets."""

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vnsearch import Document, Index, InvalidOptionError, QueryError
from vnsearch.errors import OptionTypeError
from vnsearch.search import _best_first

PHRASE_DOCS = [
    Document(id=f"p{i:02d}", title=f"Tin số {i}",
             text=f"Hội nghị lần {i} bàn về công tác phòng, chống tham nhũng, lãng phí trong năm.", date=f"20{10 + i}-05-01",
             committee="Bộ Chính trị" if i % 2 else "Tỉnh ủy", doc_type="Tin tức")
    for i in range(12)
]
# Distractors hold every syllable many times, never as the phrase.
SCATTERED_DOCS = [
    Document(id=f"s{i:02d}", title=f"Bài {i}",
             text=("Người dân tham gia phòng dịch. Chống hạn hán. Tình trạng nhũng nhiễu giảm. " * 5)
             + "Tham gia chống nhũng nhiễu, phòng ngừa.", date="2017-01-01", committee="Quốc hội", doc_type="Tin tức")
    for i in range(15)
]
OTHER_DOCS = [
    Document(id="nq21", title="Nghị quyết về công tác cán bộ", text="Nội dung nghị quyết.", number="21-NQ/TW",
             committee="Ban Chấp hành Trung ương", doc_type="Nghị quyết", date="2022-06-16"),
    Document(id="cites21", title="Triển khai nghị quyết", text="Thực hiện Nghị quyết 21-NQ/TW của Trung ương.",
             cited_numbers=("21-NQ/TW",), date="2022-07-01"),
    Document(id="decree", title="Nghị định về xử phạt", text="Căn cứ Nghị định 15/2020/NĐ-CP của Chính phủ.",
             cited_numbers=("15/2020/NĐ-CP",)),
    Document(id="ubnd", title="UBND tỉnh họp", text="UBND tỉnh Bình Dương chỉ đạo công tác cải cách hành chính."),
    Document(id="ubnd-full", title="Ủy ban nhân dân tỉnh họp", text="Ủy ban nhân dân tỉnh chỉ đạo."),
    Document(id="hostile", title="<script>alert(1)</script> tiêu đề",
             text="Văn bản <img src=x onerror=alert(1)> tinh gọn bộ máy."),
    Document(id="old-tone", title="Tỉnh ủy khóa XII", text="Tỉnh ủy khóa XII họp bàn về hòa bình."),
]


@pytest.fixture(scope="module")
def ix(tmp_path_factory: pytest.TempPathFactory):
    path: Path = tmp_path_factory.mktemp("search") / "ix"
    with Index.create(path) as index:
        index.add(PHRASE_DOCS + SCATTERED_DOCS + OTHER_DOCS, workers=1)
    with Index.open(path) as index:
        yield index


def ids(result) -> list[str]:
    return [hit.id for hit in result.hits]


PHRASE_IDS = {d.id for d in PHRASE_DOCS}


def test_quoted_phrase_returns_exactly_the_documents_holding_it(ix) -> None:
    result = ix.search('"phòng chống tham nhũng"', limit=100)
    assert set(ids(result)) == PHRASE_IDS and result.total == 12


def test_quoted_phrase_without_diacritics(ix) -> None:
    assert set(ids(ix.search('"phong chong tham nhung"', limit=100))) == PHRASE_IDS


def test_unquoted_query_matches_documents_holding_its_words(ix) -> None:
    # The scattered documents hold every syllable ("tham gia", "nhũng nhiễu", "phòng dịch") but
    # not the words "phòng chống" and "tham nhũng": they do not match.
    result = ix.search("phòng chống tham nhũng", limit=100)
    assert set(ids(result)) == PHRASE_IDS and result.total == 12


def test_unquoted_query_without_diacritics_matches_every_spelling_and_ranks_phrases_first(ix) -> None:
    result = ix.search("phong chong tham nhung", limit=10)
    assert result.total == 27  # every spelling that folds the same way, syllable by syllable
    assert set(ids(result)) <= PHRASE_IDS


def test_unquoted_query_without_diacritics_ranks_phrase_documents_first(ix) -> None:
    assert set(ids(ix.search("phong chong tham nhung", limit=10))) <= PHRASE_IDS


def test_tone_placement_variants_give_identical_results(ix) -> None:
    assert ids(ix.search("Tỉnh uỷ khoá XII")) == ids(ix.search("Tỉnh ủy khóa XII"))
    assert ids(ix.search("Tỉnh ủy khóa XII"))[0] == "old-tone"


def test_ties_break_by_id_and_pages_do_not_overlap(ix) -> None:
    first = ids(ix.search('"phòng chống tham nhũng"', limit=5, page=1))
    second = ids(ix.search('"phòng chống tham nhũng"', limit=5, page=2))
    assert not set(first) & set(second)
    assert ids(ix.search('"phòng chống tham nhũng"', limit=5, page=1)) == first


@pytest.mark.parametrize("typed", ["21-NQ/TW", "21-nq/tw", "21-NQ/TƯ".replace("Ư", "W")])
def test_number_query_puts_own_document_first_then_citing(typed: str, ix) -> None:
    assert ids(ix.search(typed))[:2] == ["nq21", "cites21"]


def test_number_with_lookalike_and_no_diacritics(ix) -> None:
    assert ids(ix.search("15/2020/NÐ-CP")) == ["decree"]
    assert ids(ix.search("15/2020/nd-cp")) == ["decree"]


def test_abbreviation_expands_both_ways(ix) -> None:
    assert {"ubnd", "ubnd-full"} <= set(ids(ix.search("UBND tỉnh")))
    assert {"ubnd", "ubnd-full"} <= set(ids(ix.search("Ủy ban nhân dân tỉnh")))
    assert {"ubnd", "ubnd-full"} <= set(ids(ix.search("uy ban nhan dan tinh")))  # the full form typed without diacritics


def test_facets_count_the_whole_result_set_not_the_page(ix) -> None:
    result = ix.search("phong chong tham nhung", limit=1)  # without diacritics: the scattered ones match too
    assert len(result.hits) == 1
    assert sum(result.facets["committee"].values()) == 27
    assert result.facets["committee"]["Quốc hội"] == 15


def test_filters_and_date_range(ix) -> None:
    result = ix.search("phòng chống tham nhũng", committee="Bộ Chính trị", limit=100)
    assert set(ids(result)) == {d.id for d in PHRASE_DOCS if d.committee == "Bộ Chính trị"}
    dated = ix.search("phong chong tham nhung", date_from="2015-01-01", date_to="2018-12-31", limit=100)
    assert all("2015" <= (h.date or "") <= "2018-12-31" for h in dated.hits) and dated.total == 4 + 15
    in_query = ix.search('committee:"Bộ Chính trị" date:2015..2018 phòng chống tham nhũng', limit=100)
    assert set(ids(in_query)) == {"p05", "p07"}


def test_sort_by_date(ix) -> None:
    dates = [h.date for h in ix.search('"phòng chống tham nhũng"', sort="date", limit=12).hits]
    assert dates == sorted(dates, reverse=True)


def test_exclusion(ix) -> None:
    result = ix.search('tham nhũng -"lãng phí"', limit=100)
    assert not set(ids(result)) & PHRASE_IDS


def test_or(ix) -> None:
    result = ix.search('"nhũng nhiễu" OR "cải cách hành chính"', limit=100)
    assert set(ids(result)) == {d.id for d in SCATTERED_DOCS} | {"ubnd"}


def test_long_question_is_not_an_and_of_every_word(ix) -> None:
    question = ("Theo quy định thì cơ quan nào có trách nhiệm chỉ đạo công tác cải cách hành chính "
                "ở cấp tỉnh và việc này được thực hiện như thế nào, đúng hay sai?")
    assert ids(ix.search(question))[0] == "ubnd"


def test_snippets_use_the_documents_spelling_and_mark_matches(ix) -> None:
    hit = ix.search("phong chong tham nhung").hits[0]
    assert "<mark>phòng, chống tham nhũng</mark>" in hit.snippets[0]
    assert "_" not in hit.snippets[0]


def test_snippets_and_titles_are_escaped(ix) -> None:
    hit = ix.search("tinh gọn bộ máy").hits[0]
    assert hit.id == "hostile"
    assert "<script>" not in hit.title_html and "&lt;script&gt;" in hit.title_html
    assert "<img" not in hit.snippets[0] and "&lt;img" in hit.snippets[0]


def test_highlight_whole_document_marks_first_match(ix) -> None:
    html = ix.highlight("Bàn về phòng, chống tham nhũng <b>", "phong chong tham nhung")
    assert '<mark id="first-match">phòng, chống tham nhũng</mark>' in html and "&lt;b&gt;" in html


@pytest.mark.parametrize("query", ['"phòng chống', 'phòng chống"', "OR tham", "tham OR", "tham - -", "((tham"])
def test_slips_still_return_results(query: str, ix) -> None:
    result = ix.search(query)
    assert result.total > 0


@pytest.mark.parametrize("query", ["", "   ", "OR", "-tham", '""', "- -", "*:*"])
def test_nothing_to_look_for_is_a_query_error(query: str, ix) -> None:
    with pytest.raises(QueryError):
        ix.search(query)


@pytest.mark.parametrize("options", [{"limit": 0}, {"limit": 10_000}, {"page": 0}, {"sort": "random"},
                                     {"date_from": "hôm qua"}])
def test_bad_options_are_query_errors(options, ix) -> None:
    with pytest.raises(QueryError):
        ix.search("tham nhũng", **options)


@pytest.mark.parametrize("options", [{"date_from": "2025", "date_to": "2024"},
                                     {"date_from": "2024-06-02", "date_to": "2024-06-01"}])
def test_a_date_range_whose_start_is_after_its_end_is_an_invalid_option(options, ix) -> None:
    with pytest.raises(InvalidOptionError) as caught:
        ix.search("tham nhũng", **options)
    assert caught.value.code == "option.dates_reversed"


def test_an_option_against_the_query_s_date_range_that_holds_no_day_is_an_invalid_option(ix) -> None:
    with pytest.raises(InvalidOptionError, match="start date 2022-01-01 is after the end date 2020-12-31"):
        ix.search("tham nhũng date:..2020", date_from="2022")


@pytest.mark.parametrize("options,said", [
    ({"limit": "5"}, "limit must be an int, not str"),
    ({"page": 2.0}, "page must be an int, not float"),
    ({"limit": True}, "limit must be an int, not bool"),
    ({"doc_type": 123}, "doc_type must be text (str) or None, not int"),
    ({"committee": ["Bộ Chính trị"]}, "committee must be text (str) or None, not list"),
    ({"date_from": 2024}, "date_from must be a date as text"),
])
def test_an_option_of_the_wrong_type_is_a_typed_error_that_says_so(options, said: str, ix) -> None:
    with pytest.raises(OptionTypeError) as caught:
        ix.search("tham nhũng", **options)
    assert str(caught.value).startswith(said)
    assert isinstance(caught.value, TypeError) and isinstance(caught.value, InvalidOptionError)


def test_a_date_option_may_be_a_datetime_date(ix) -> None:
    import datetime

    result = ix.search("tham nhũng", date_from=datetime.date(2020, 1, 1), date_to=datetime.datetime(2030, 1, 1, 12))
    assert result.filters == {"date_from": "2020-01-01", "date_to": "2030-01-01"}


def test_a_page_past_the_last_one_says_so(ix) -> None:
    result = ix.search("tham nhũng", limit=1, page=2)
    assert all(notice.code != "page.past_end" for notice in result.notices)
    last = result.pages
    past = ix.search("tham nhũng", limit=1, page=last + 1)
    assert past.hits == () and past.notices[-1].text() == f"page {last + 1} is past the last page ({last})"
    assert ix.browse(limit=1, page=1000).notices[-1].code == "page.past_end"


def test_no_hits_is_not_an_error(ix) -> None:
    result = ix.search('"không hề có cụm này"')
    assert result.total == 0 and result.hits == ()


def test_to_dict_shape(ix) -> None:
    data = ix.search("tham nhũng", limit=2).to_dict()
    assert {"query", "total", "hits", "facets"} <= set(data)
    assert {"id", "score", "title", "date", "committee", "doc_type", "number", "url", "snippets"} <= set(data["hits"][0])
    assert set(data["facets"]) == {"committee", "doc_type", "year"}


def test_query_without_diacritics_ranks_the_usual_spelling_first(tmp_path) -> None:
    docs = [Document(id=f"usual{i}", title="Tin", text="Công tác phòng chống tham nhũng được chú trọng.") for i in range(3)]
    # a typo that folds the same way, many times over
    docs.append(Document(id="typo", title="Tin", text="Chống tham những, tham những và tham những."))
    with Index.create(tmp_path / "ix") as index:
        index.add(docs, workers=1)
        assert ids(index.search("tham nhung"))[-1] == "typo"  # still found, after the usual spelling


@pytest.mark.parametrize("query", ["phòng chống tham nhũng", "phong chong tham nhung", "21-NQ/TW", "UBND tỉnh",
                                   '"tham nhũng" OR "lãng phí"'])
def test_explain_signals_sum_to_each_hits_score(query: str, ix) -> None:
    result = ix.search(query, explain=True)
    assert result.hits and result.plan is not None and result.plan_text
    for hit in result.hits:
        shares = [share for share in hit.explanation if share.kind != "first"]
        assert shares, hit.id
        assert sum(share.score for share in shares) == pytest.approx(hit.score, rel=1e-4, abs=1e-6)


def test_explain_is_off_by_default_and_in_json_when_on(ix) -> None:
    plain = ix.search("tham nhũng")
    assert plain.plan is None and all(not hit.explanation for hit in plain.hits)
    data = ix.search("tham nhũng", explain=True).to_dict()
    assert data["explain"]["match"] and data["explain"]["signals"]
    assert data["hits"][0]["explain"][0].keys() == {"kind", "node", "weight", "score"}


SPELLING_DOCS = [
    Document(id="tn", title="", text="Đấu tranh phòng, chống tham nhũng."),
    Document(id="thẩm-những", title="", text="Thẩm định những dự án lớn."),
    Document(id="tham-những", title="", text="Tham gia những hoạt động của tỉnh."),
    Document(id="nhung", title="", text="Nhà máy dệt vải nhung."),
    Document(id="nhũng", title="", text="Tình trạng nhũng nhiễu."),
]


@pytest.fixture(scope="module")
def spelling_ix(tmp_path_factory: pytest.TempPathFactory):
    path: Path = tmp_path_factory.mktemp("spelling") / "ix"
    with Index.create(path) as index:
        index.add(SPELLING_DOCS, workers=1)
    with Index.open(path) as index:
        yield index


@pytest.mark.parametrize("sort", ["relevance", "date"])
def test_words_typed_with_diacritics_match_that_spelling_only(spelling_ix, sort: str) -> None:
    assert ids(spelling_ix.search("tham nhũng", sort=sort, limit=100)) == ["tn"]
    assert ids(spelling_ix.search("nhũng", sort=sort, limit=100)) == ["nhũng", "tn"]
    assert ids(spelling_ix.search("nhung", sort=sort, limit=100)).__len__() == 5  # without diacritics: every spelling


def test_a_diacritic_slip_falls_back_to_every_spelling_with_a_notice(spelling_ix) -> None:
    result = spelling_ix.search("thẩm nhũng")  # no document holds both as typed
    assert set(ids(result)) == {"tn", "thẩm-những", "tham-những"}
    assert any("ignoring diacritics" in str(notice) for notice in result.notices)


VARIANT_DOCS = [
    Document(id="hoan-thanh", title="", text="Hòan thành kế hoạch năm."),  # tone on the wrong vowel
    Document(id="quy", title="", text="Qũy đầu tư phát triển tỉnh."),  # tone on the u of qu
    Document(id="buoc", title="", text="Buớc đầu triển khai."),  # horn on the wrong vowel
    Document(id="luong", title="", text="Chất lựơng cán bộ."),
]


@pytest.fixture(scope="module")
def variant_ix(tmp_path_factory: pytest.TempPathFactory):
    path: Path = tmp_path_factory.mktemp("variants") / "ix"
    with Index.create(path) as index:
        index.add(VARIANT_DOCS, workers=1)
    with Index.open(path) as index:
        yield index


@pytest.mark.parametrize("query,expected", [
    ('"hoàn thành"', "hoan-thanh"), ('"quỹ đầu tư"', "quy"), ('"bước"', "buoc"), ("chất lượng", "luong"),
])
def test_misplaced_marks_are_found_by_the_standard_spelling(variant_ix, query: str, expected: str) -> None:
    assert ids(variant_ix.search(query)) == [expected]


NEAR_DOCS = [
    Document(id="all-three", title="", text="Cựu lãnh đạo dầu khí đã bỏ trốn."),
    Document(id="two-of-three", title="", text="Cựu tổng giám đốc dầu khí đã bỏ trốn ra nước ngoài."),
    Document(id="one-of-three", title="", text="Kẻ trộm bỏ trốn."),
]


@pytest.fixture(scope="module")
def near_ix(tmp_path_factory: pytest.TempPathFactory):
    path: Path = tmp_path_factory.mktemp("near") / "ix"
    with Index.create(path) as index:
        index.add(NEAR_DOCS, workers=1)
    with Index.open(path) as index:
        yield index


def test_relevance_also_ranks_documents_missing_one_word_and_says_which(near_ix) -> None:
    result = near_ix.search("lãnh đạo dầu khí trốn")
    assert result.total == 1 and result.near_total == 1  # the match set holds every word
    assert ids(result) == ["all-three", "two-of-three"]
    assert result.hits[0].missing == () and result.hits[1].missing == ("lãnh đạo",)
    assert result.facets["year"] == {} and result.pages == 1
    data = result.to_dict()
    assert data["near_total"] == 1 and data["hits"][1]["missing"] == ["lãnh đạo"]


def test_date_order_lists_only_documents_holding_every_word(near_ix) -> None:
    result = near_ix.search("lãnh đạo dầu khí trốn", sort="date")
    assert ids(result) == ["all-three"] and result.near_total == 0


def test_nothing_holding_every_word_shows_near_matches_with_a_notice(near_ix) -> None:
    result = near_ix.search("cựu lãnh đạo trốn ra nước ngoài")
    assert result.total == 0 and ids(result)[0] == "two-of-three"
    assert any(notice.code == "search.relaxed" for notice in result.notices)


@pytest.mark.parametrize("typed", ["UBND", "ubnd", "Ubnd"])
def test_abbreviations_regardless_of_case(ix, typed: str) -> None:
    assert ids(ix.search(f"{typed} tỉnh")) == ids(ix.search("UBND tỉnh"))
    assert "ubnd-full" in ids(ix.search(f"{typed} tỉnh"))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from([0.0, 0.5, 1.0, 1.5, 2.0, 7.25]), min_size=1, max_size=60), st.integers(1, 70),
       st.randoms(use_true_random=False))
def test_best_first_is_the_start_of_a_stable_sort(values, count, random) -> None:
    # Ties are many (few distinct scores): the candidates taken at the threshold must be the
    # earliest, as a stable sort of every candidate would take them.
    scores = np.array(values, dtype=np.float32)
    candidates = np.array(random.sample(range(len(values)), len(values)), dtype=np.int64)
    expected = candidates[np.argsort(-scores[candidates], kind="stable")][:count]
    assert _best_first(candidates, scores, count).tolist() == expected.tolist()
