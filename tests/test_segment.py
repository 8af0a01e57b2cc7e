"""Word segmentation: same words as pyvi, with spans, loaded lazily."""

import subprocess
import sys

import pytest

from vnsearch.segment import segment, tokenize
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
