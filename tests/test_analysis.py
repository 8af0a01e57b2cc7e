"""The one analysis: exact offsets, the terms of a text, documents and queries alike."""

from vnsearch import Document
from vnsearch.analysis import (
    SYLLABLE_RE,
    TermCache,
    analyze_document,
    analyze_text,
    folded,
    pair,
    pairs,
    syllable_spans,
    syllables,
    word_terms,
)
from vnsearch.text import fold, normalize

TEXT = normalize("Ban Thường vụ Tỉnh uỷ: đấu tranh phòng, chống tham nhũng (21-NQ/TW)!")


def test_syllable_offsets_round_trip_to_the_stored_text() -> None:
    spans = syllable_spans(TEXT)
    assert [s.text for s in spans][:5] == ["Ban", "Thường", "vụ", "Tỉnh", "ủy"]
    for span in spans:
        assert TEXT[span.start : span.end] == span.text


def test_punctuation_is_skipped_so_phrases_cross_it() -> None:
    terms = syllables(TEXT)
    i = terms.index("phòng")
    assert terms[i : i + 4] == ["phòng", "chống", "tham", "nhũng"]


def test_folded_terms() -> None:
    assert folded(["phòng", "đấu"]) == ["phong", "dau"]


def test_word_terms_drop_punctuation_and_lowercase() -> None:
    assert word_terms(["Thường_vụ", ",", "Tỉnh_ủy", "("]) == ["thường_vụ", "tỉnh_ủy"]


def test_analyze_text_gives_every_kind_of_term() -> None:
    terms = analyze_text(normalize("Phòng, chống tham nhũng"))
    assert terms.syllables == ("phòng", "chống", "tham", "nhũng")
    assert terms.folded == ("phong", "chong", "tham", "nhung")
    assert terms.pairs == ("phong chong", "chong tham", "tham nhung")
    assert "tham_nhũng" in terms.words


def test_analyze_text_without_words_does_not_segment() -> None:
    assert analyze_text("tham nhũng", words=False).words == ()


def test_pairs_are_joined_in_one_way() -> None:
    assert pairs(["tham", "nhung"]) == ["tham nhung"]


def test_a_document_and_a_query_meet_on_the_same_terms() -> None:
    text = normalize("Ban Thường vụ Tỉnh ủy")
    analyzed = analyze_document(Document(id="a", title=text, text=text))
    assert analyzed.title == analyzed.body == analyze_text(text)


def test_document_numbers_are_keys_of_own_and_cited_numbers() -> None:
    analyzed = analyze_document(Document(id="a", title="", text="", number="21-NQ/TW", cited_numbers=("15/2020/NĐ-CP",)))
    assert analyzed.numbers == ("21-nq/tw",)
    assert set(analyzed.cites) == {"21-nq/tw", "15/2020/nd-cp"}


def test_term_cache_gives_the_function_s_results_and_stays_bounded() -> None:
    cache = TermCache(fold, 8)
    terms = [f"đấu{i % 20}" for i in range(200)]
    assert [cache[term] for term in terms] == [fold(term) for term in terms]
    assert 0 < len(cache) <= 8


def test_cached_terms_are_the_uncached_ones() -> None:
    terms = syllables(TEXT) * 3 + ["Đ", "ủy", "2024", "x"]
    assert folded(terms) == [fold(term) for term in terms]
    words = ["Thường_vụ", ",", "Tỉnh_ủy", "(", "...", "21-NQ/TW", "_", "TW"] * 2
    assert word_terms(words) == [word.lower() for word in words if SYLLABLE_RE.search(word)]
    assert pairs(terms) == [pair(a, b) for a, b in zip(terms, terms[1:], strict=False)]
    assert pair("tham", "nhung") == "tham nhung"
