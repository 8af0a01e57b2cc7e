"""Word segmentation: same words as pyvi, with spans, loaded lazily."""

import subprocess
import sys

import pytest

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
