"""Terms and posting items: exact offsets, and bytes identical to Whoosh's own."""

from whoosh import analysis as whoosh_analysis
from whoosh import fields

from vnsearch.analysis import (
    folded,
    folded_syllable_analyzer,
    frequency_items,
    positional_items,
    syllable_analyzer,
    syllable_spans,
    syllables,
    word_analyzer,
    word_terms,
)
from vnsearch.text import normalize

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


def _whoosh_items(field: fields.FieldType, text: str) -> list[tuple[bytes, int, float, bytes]]:
    return sorted(field.index(text))


def test_positional_items_match_whoosh_byte_for_byte() -> None:
    field = fields.TEXT(analyzer=syllable_analyzer(), phrase=True)
    assert sorted(positional_items(syllables(TEXT))) == _whoosh_items(field, TEXT)


def test_folded_items_match_whoosh_byte_for_byte() -> None:
    field = fields.TEXT(analyzer=folded_syllable_analyzer(), phrase=True)
    assert sorted(positional_items(folded(syllables(TEXT)))) == _whoosh_items(field, TEXT)


def test_frequency_items_match_whoosh_byte_for_byte() -> None:
    field = fields.TEXT(analyzer=word_analyzer(), phrase=False)
    text = "ban thường_vụ tỉnh_ủy ban"
    assert sorted(frequency_items(text.split())) == _whoosh_items(field, text)


def test_syllable_analyzer_is_a_whoosh_analyzer() -> None:
    assert isinstance(syllable_analyzer(), whoosh_analysis.Analyzer)
