"""Normalisation and folding: each case the GUIDE names, by name."""

import unicodedata

import pytest

from vnsearch.text import collapse_spaces, find_numbers, fold, has_diacritics, normalize, number_key

NORMALISE_CASES = {
    "nfd_input_becomes_nfc": (unicodedata.normalize("NFD", "Tỉnh ủy"), "Tỉnh ủy"),
    "old_tone_placement_uy": ("Tỉnh uỷ", "Tỉnh ủy"),
    "old_tone_placement_uy_capital": ("UỶ BAN", "ỦY BAN"),
    "old_tone_placement_oa": ("hoà bình", "hòa bình"),
    "old_tone_placement_oa_acute": ("khoá XII", "khóa XII"),
    "old_tone_placement_oe": ("khoẻ mạnh", "khỏe mạnh"),
    "old_tone_placement_thuy": ("Thuỷ lợi", "Thủy lợi"),
    "new_placement_unchanged": ("Tỉnh ủy hòa khóa", "Tỉnh ủy hòa khóa"),
    "qu_onset_left_alone": ("quý quỳ", "quý quỳ"),
    "closed_syllable_left_alone": ("hoàng khoảng", "hoàng khoảng"),
    "latin_eth_lookalike": ("QÐ-UBND", "QĐ-UBND"),
    "latin_eth_lowercase": ("ðảng", "đảng"),
    "zero_width_removed": ("tham\u200bnhũng", "thamnhũng"),
    "bom_removed": ("\ufeffNghị quyết", "Nghị quyết"),
    "soft_hyphen_removed": ("Nghị\u00ad quyết", "Nghị quyết"),
    "nbsp_folded": ("Bộ\u00a0Chính\u202ftrị", "Bộ Chính trị"),
    "crlf_to_lf": ("a\r\nb\rc", "a\nb\nc"),
}


@pytest.mark.parametrize("raw,expected", NORMALISE_CASES.values(), ids=NORMALISE_CASES.keys())
def test_normalize(raw: str, expected: str) -> None:
    assert normalize(raw) == expected


@pytest.mark.parametrize("text", ["Tỉnh uỷ khoá XII, hoà bình, QÐ-UBND\u00a0", "Thuỵ\u0323 Lôi"])
def test_normalize_is_idempotent_and_nfc(text: str) -> None:
    assert normalize(normalize(text)) == normalize(text)
    assert unicodedata.is_normalized("NFC", normalize(text))


def test_invisible_characters_are_removed_before_composition() -> None:
    # Regression: a soft hyphen between "Thu" and U+0309 kept the mark from composing, and
    # normalize returned non-NFC "Thu\u0309y".
    assert normalize("Thu\u00ad\u0309y") == "Thủy"
    assert unicodedata.is_normalized("NFC", normalize("Thu\u00ad\u0309y"))


def test_normalize_keeps_length_for_tone_moves() -> None:
    text = "Tỉnh uỷ hoà"
    assert len(normalize(text)) == len(text)


FOLD_CASES = {
    "d_with_stroke": ("Đảng đoàn", "Dang doan"),
    "all_tones": ("phòng chống tham nhũng", "phong chong tham nhung"),
    "circumflex_breve_horn": ("ấ ằ ở ự ễ", "a a o u e"),
    "capitals": ("ỦY BAN KIỂM TRA", "UY BAN KIEM TRA"),
}


@pytest.mark.parametrize("raw,expected", FOLD_CASES.values(), ids=FOLD_CASES.keys())
def test_fold(raw: str, expected: str) -> None:
    assert fold(raw) == expected
    assert len(fold(raw)) == len(raw)  # one char in, one char out: offsets survive folding


def test_has_diacritics() -> None:
    assert has_diacritics("tham nhũng")
    assert not has_diacritics("tham nhung")


NUMBER_CASES = {
    "party_resolution": ("theo Nghị quyết 21-NQ/TW của", ["21-NQ/TW"]),
    "inspection_conclusion": ("Kết luận số 77/KL-TTTCP", ["77/KL-TTTCP"]),
    "law": ("Luật số 41/2024/QH15", ["41/2024/QH15"]),
    "official_letter": ("Công văn 3637/UBND-VX", ["3637/UBND-VX"]),
    "decree": ("Nghị định 15/2020/NĐ-CP", ["15/2020/NĐ-CP"]),
    "prime_minister_decision": ("Quyết định 15/QĐ-TTg", ["15/QĐ-TTg"]),
    "lookalike_eth": ("Quyết định 1234/QÐ-UBND", ["1234/QĐ-UBND"]),
    "dates_are_not_numbers": ("ngày 29/12/2012 và 14/14 đồng chí", []),
}


@pytest.mark.parametrize("raw,expected", NUMBER_CASES.values(), ids=NUMBER_CASES.keys())
def test_find_numbers(raw: str, expected: list[str]) -> None:
    assert find_numbers(normalize(raw)) == expected


@pytest.mark.parametrize("typed", ["15/2020/NĐ-CP", "15/2020/nđ-cp", "15/2020/ND-CP", "15/2020/NÐ-CP", " 15/2020/nd-cp "])
def test_number_key_ignores_case_lookalikes_and_diacritics(typed: str) -> None:
    assert number_key(typed) == "15/2020/nd-cp"


def test_collapse_spaces() -> None:
    assert collapse_spaces("  a   b \n") == "a b"
