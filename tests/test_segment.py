"""Word segmentation: same words as pyvi, with spans, loaded lazily."""

import subprocess
import sys

import pytest
from hypothesis import given
from hypothesis import strategies as st

from vnsearch import segment as segment_module
from vnsearch.segment import segment, segment_words, tokenize
from vnsearch.text import normalize

# Titles in capitals, numbers, punctuation, old tone placement and NFD input (normalised first),
# abbreviations, e-mail and URLs: the inputs where pyvi's pre-processing has special cases.
SAMPLES = [
    "Ban Thường vụ Tỉnh ủy kiểm điểm theo Nghị quyết Trung ương 4",
    "BAN CHẤP HÀNH TRUNG ƯƠNG ĐẢNG CỘNG SẢN VIỆT NAM",
    "ban chấp hành trung ương",
    "Đấu tranh phòng, chống tham nhũng, lãng phí; thực hiện Nghị quyết 21-NQ/TW.",
    "Luật số: 41/2024/QH15 ngày 29.12.2012 - 15:58, giá 1.500.000 đồng (tăng 3,5%)",
    "TP. Hồ Chí Minh, Mr. Smith, ThS. Nguyễn Văn A... ==> xem http://example.org/a?b=1 hoặc a.b@example.org",
    "Tỉnh uỷ khoá XII",
    "\u0110a\u0300 Na\u0303ng",  # decomposed input
    "Dòng một\nDòng hai\n\nDòng ba",
    "làng Thuỵ\u0323 Lôi",  # a stray combining mark (news-all): must stay NFC after the tone moves
    "",
    "   ",
]


@pytest.mark.parametrize("text", SAMPLES)
def test_same_words_as_pyvi(text: str) -> None:
    from pyvi import ViTokenizer

    normal = normalize(text)
    if not normal.strip():
        assert segment(normal) == []
        return
    assert tokenize(normal) == ViTokenizer.tokenize(normal)


@pytest.mark.parametrize("text", SAMPLES)
def test_words_without_spans_are_segment_s_words(text: str) -> None:
    normal = normalize(text)
    assert segment_words(normal) == [word.text for word in segment(normal)]


def test_a_full_feature_cache_is_emptied_without_changing_words(monkeypatch) -> None:
    text = normalize(" ".join(SAMPLES))
    expected = segment_words(text)
    monkeypatch.setattr(segment_module, "FEATURE_CACHE", 3)
    assert segment_words("Zyxw Qvut") == [word.text for word in segment("Zyxw Qvut")]  # unseen: cache emptied
    assert set(segment_module._get_model().token_features) == {"Zyxw", "Qvut"}
    assert segment_words(text) == expected and tokenize(text) == " ".join(expected)


# Characters and fragments where pyvi's alternatives differ: abbreviations, e-mail, URL and
# number punctuation, letters inside and outside [A-ZĐ] and ASCII, digits (also non-ASCII),
# and whitespace that is and is not a newline.
_TOKEN_PIECES = [*"aTpMrsDhSĐđưỨ_1٣.:/@+-=>,;…", "TP.", "ThS.", "Mrs.", "://", "1_2", "3,5", "a@b.vn", "...",
                 *" \u00a0\t\r\n\u2028\x1c"]


@given(st.lists(st.sampled_from(_TOKEN_PIECES), max_size=30))
def test_chunked_tokenising_gives_the_regular_expression_s_tokens(pieces: list[str]) -> None:
    text = "".join(pieces)
    assert segment_module._tokens(text) == segment_module._TOKENS(text)


@pytest.mark.parametrize("chunk", ["1_2a", "a_1_2", "TP.HCM", "ĐT.", "Tp.", "ThS.", "x://y", "a_b@c.vn", "1.500.000",
                                   "3,5%", "21-NQ/TW", "__", "٣_٣", "19h", "..."])
def test_chunks_that_are_not_one_token(chunk: str) -> None:
    for text in (chunk, f"a {chunk}\nb", f"\n{chunk}\u00a0"):
        assert segment_module._tokens(text) == segment_module._TOKENS(text)


@given(st.lists(st.sampled_from(["Thường", "vụ", "Tỉnh", "ủy", "TP.", "HCM", "3,5%", "a@b.vn", "http://x.vn/a",
                                 "...", "==>", ",", "\n", " ", "nghị", "quyết", "Zyxw"]), max_size=30))
def test_words_without_spans_agree_on_any_mix(pieces: list[str]) -> None:
    text = " ".join(pieces)
    assert segment_words(text) == [word.text for word in segment(text)]


def test_feature_cache_misses_are_built_and_the_cache_stays_bounded(monkeypatch) -> None:
    text = normalize(" ".join(SAMPLES))
    expected = segment_words(text)
    cache = segment_module._get_model().token_features
    monkeypatch.setattr(segment_module, "FEATURE_CACHE", 5)
    cache.clear()
    for _ in range(2):  # built on a miss, found on the next call: the same words either way
        assert segment_words(text) == expected
        assert len(cache) <= 6  # emptied when over the limit, then one token added
    assert segment_words("Ban Thường vụ") == ["Ban", "Thường_vụ"]


def test_word_spans_point_into_the_text() -> None:
    text = normalize("Ban Thường vụ Tỉnh ủy phòng, chống tham nhũng")
    for word in segment(text):
        assert text[word.start : word.end].replace(" ", "_") == word.text


def test_compound_words_are_joined() -> None:
    words = [w.text for w in segment("Đấu tranh chống tham nhũng")]
    assert "tham_nhũng" in words


def test_import_vnsearch_does_not_load_pyvi_or_the_model() -> None:
    code = (
        "import sys, vnsearch, vnsearch.cli\n"
        "from click.testing import CliRunner\n"
        "CliRunner().invoke(vnsearch.cli.main, ['--help'])\n"
        "loaded = [m for m in ('pyvi', 'pycrfsuite', 'sklearn', 'sklearn_crfsuite') if m in sys.modules]\n"
        "print(loaded)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
