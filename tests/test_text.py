"""Normalisation and folding: each case the GUIDE names, by name."""

import re
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from vnsearch.analysis import SYLLABLE_RE, syllables
from vnsearch.text import (
    _CODE,
    DOCUMENT_NUMBER_RE,
    QUERY_NUMBER_RE,
    collapse_spaces,
    find_numbers,
    fold,
    has_diacritics,
    normalize,
    number_key,
    spelling_repairs,
)

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


def test_normalize_keeps_length_for_tone_moves() -> None:
    text = "Tỉnh uỷ hoà"
    assert len(normalize(text)) == len(text)


# -- canonical spelling of every syllable ---------------------------------------------------

SPELLING_CASES = {
    # tone mark on the wrong vowel of a closed syllable: the last vowel of oa/oe/uy takes it
    "closed_oa": ("hòan thành", "hoàn thành"),
    "closed_oe": ("khóet", "khoét"),
    "closed_uy": ("Hùynh", "Huỳnh"),
    "closed_oa_ch": ("kế họach", "kế hoạch"),
    "closed_uye": ("Nguỹên", "Nguyễn"),
    "closed_oo": ("sóoc", "soóc"),
    # open syllables: first of two plain vowels, the middle of three, else the modified vowel
    "open_ai": ("baì", "bài"),
    "open_ai_dot": ("đaị hội", "đại hội"),
    "open_ua": ("cuả", "của"),
    "open_oai_last": ("ngoaì", "ngoài"),
    "open_oai_first": ("ngòai", "ngoài"),
    "open_uyu": ("khuyủ", "khuỷu"),
    "open_old_placement_kept_choice": ("thuỷ lợi, hoà bình, khoẻ", "thủy lợi, hòa bình, khỏe"),
    "open_modified_ue": ("Húê", "Huế"),
    "open_modified_ay": ("mâý", "mấy"),
    "open_modified_ua": ("cưá", "cứa"),
    "open_modified_uoi": ("ngươì", "người"),
    "open_uo_thuo_stays": ("thuở", "thuở"),
    # the u of qu and the i of gi are part of the onset: the vowel after them takes the mark
    "qu_y": ("qũy", "quỹ"),
    "qu_a": ("qúa", "quá"),
    "qu_y_dot": ("qụy", "quỵ"),
    "qu_ye": ("qùyên", "quyền"),
    "gi_a": ("gìa", "già"),
    "gi_ay": ("gíây", "giấy"),
    "gi_au": ("gìau", "giàu"),
    "gi_ua": ("gĩưa", "giữa"),
    "ngi_is_ng_onset": ("ngượng ngiụ", "ngượng ngịu"),
    # two tone marks: the one where the mark belongs, else the first
    "double_tone_second_belongs": ("dàì", "dài"),
    "double_tone_first_belongs": ("đáó", "đáo"),
    "double_tone_neither_belongs": ("hỏá", "hỏa"),
    "double_tone_on_i_and_e": ("Tỉệp Khắc", "Tiệp Khắc"),
    # a horn or circumflex on the wrong vowel of a known cluster
    "horn_tone_on_u_of_uo": ("lựơng", "lượng"),
    "horn_missing_on_u_closed": ("buớc", "bước"),
    "horn_missing_on_u_ending_i": ("nguời", "người"),
    "horn_on_u_not_o": ("nưóc", "nước"),
    "horn_thuo": ("thưở ấy", "thuở ấy"),
    # modifier and tone both wrong
    "both_tone_and_horn": ("búơc", "bước"),
    "both_horn_on_u_tone_on_o": ("Trưòng", "Trường"),
    # case is kept letter by letter
    "case_upper": ("HÒAN", "HOÀN"),
    "case_title": ("Hòan", "Hoàn"),
    "case_upper_qu": ("QŨY", "QUỸ"),
    "case_upper_horn": ("BUỚC", "BƯỚC"),
    "case_upper_old_placement": ("UỶ BAN", "ỦY BAN"),
    # stray combining marks
    "stray_repeated_tone": ("bi\u1ebf\u0301t", "biết"),
    "stray_repeated_horn": ("Sơ\u031bn", "Sơn"),
    "stray_tone_on_consonant": ("Lạng\u0323 Sơn", "Lạng Sơn"),
}


@pytest.mark.parametrize("raw,expected", SPELLING_CASES.values(), ids=SPELLING_CASES.keys())
def test_normalize_respells_syllable(raw: str, expected: str) -> None:
    assert normalize(raw) == expected


# Correct words, foreign names and mixed tokens: normalize must leave every one as it is.
UNCHANGED_CASES = {
    "names": "Hoàng Nguyễn Huế Thuận Quỳnh Khuê Thụy",
    "qu_gi_words": "quốc quý quỳ quỹ quyết quyền gìn giữ giữa giấy già giường giếng",
    "closed_clusters": "khuya khuyên tuyết ngoằn hoạch khoảng huỳnh xoong soóc thuyền",
    "open_clusters": "ngoài ngoẹo khuỷu khuấy rượu người cười muối nhiều yếu hươu",
    "uo_open": "thuở huơ quở",
    "foreign": "José Pérez café Hué Yàng iốt kiốt Niê Đắk Lắk Erdoğan Noël Pjanić Plíšková Moyá",
    "mixed_tokens": "hòan2 2hoà H5N1 hoàB",
    "ocr_capital_i_for_l": "Ià quỹ",  # "Ià" is "là" with an OCR'd l, not "ìa"
    "fragment_split_by_markdown": "**Q****uỹ đất**",
    "no_vietnamese": "The quick brown fox, 12:30",
}


@pytest.mark.parametrize("text", UNCHANGED_CASES.values(), ids=UNCHANGED_CASES.keys())
def test_normalize_leaves_correct_words(text: str) -> None:
    assert normalize(text) == text
    assert spelling_repairs(text) == []


def test_stray_combining_mark_after_toned_vowel_does_not_split_the_syllable() -> None:
    # Regression: "biế" + U+0301 + "t" was left as the syllables "biế", "t".
    assert syllables(normalize("bi\u1ebf\u0301t")) == ["biết"]


def test_invisible_characters_are_removed_before_composition() -> None:
    # Regression: a soft hyphen between "Thu" and U+0309 kept the mark from composing, and
    # normalize returned non-NFC "Thu\u0309y".
    assert normalize("Thu\u00ad\u0309y") == "Thủy"
    assert unicodedata.is_normalized("NFC", normalize("Thu\u00ad\u0309y"))


def test_spelling_repairs_lists_each_respelt_syllable_once_in_order() -> None:
    text = "Tỉnh uỷ, Uỷ ban; hòan thành, uỷ vi\u00ade\u0302\u0323n, bi\u1ebf\u0301t"
    assert spelling_repairs(text) == [("uỷ", "ủy"), ("Uỷ", "Ủy"), ("hòan", "hoàn"), ("bi\u1ebf\u0301t", "biết")]
    assert spelling_repairs("Tỉnh ủy hòa bình") == []
    assert spelling_repairs("") == []


# -- properties ------------------------------------------------------------------------------

# Well-formed syllables in canonical spelling, one or more of each vowel cluster, written out
# by hand (not derived from text.py's tables).
WELL_FORMED = (
    "a ai anh ấy bài ban bước cà của cười chuyện dài đại được em gì gìn già giữa giấy giường hòa hoàn hoạch "
    "Huế huơ huỳnh im khoét khỏe khuya khuyên khuỷu khuấy kìa lượng mấy muối ngoài ngoằn ngoẹo người "
    "nghiêng Nguyễn nhiều ôi ơi quá quốc quý quỳnh quỹ quyết rượu soóc tuyết thuở thủy ủy ước xoáy yêu yếu"
).split()
_SEPARATORS = (" ", ", ", "\n", " - ", "/", "\u00a0", ". ", " (")
_INVISIBLE = ("\u200b", "\u00ad", "\ufeff", "\u200d", "\u2060")


@st.composite
def well_formed_text(draw: st.DrawFn) -> tuple[str, list[str]]:
    """Text of well-formed syllables in any case, NFC or NFD, with invisible characters
    anywhere (inside syllables too, between a letter and its marks), and the syllables it holds."""
    words = draw(st.lists(st.sampled_from(WELL_FORMED), min_size=1, max_size=6))
    expected: list[str] = []
    pieces: list[str] = []
    for index, word in enumerate(words):
        word = draw(st.sampled_from((word, word.lower(), word.upper())))
        expected.append(word)
        chars = list(unicodedata.normalize(draw(st.sampled_from(("NFC", "NFD"))), word))
        for _ in range(draw(st.integers(0, 2))):
            chars.insert(draw(st.integers(0, len(chars))), draw(st.sampled_from(_INVISIBLE)))
        pieces.append("".join(chars))
        if index < len(words) - 1:
            pieces.append(draw(st.sampled_from(_SEPARATORS)) + draw(st.sampled_from(("", *_INVISIBLE))))
    return "".join(pieces), expected


@given(well_formed_text())
def test_normalize_keeps_well_formed_syllables_whole_idempotent_and_nfc(case: tuple[str, list[str]]) -> None:
    text, expected = case
    normal = normalize(text)
    assert SYLLABLE_RE.findall(normal) == expected  # none changed, none split, none joined
    assert normalize(normal) == normal
    assert unicodedata.is_normalized("NFC", normal)


@given(st.text(alphabet=st.sampled_from("aăâeêioôơuưy qgnhtđ\u0300\u0301\u0309\u0303\u0323\u0302\u031b\u00ad-"), max_size=12))
def test_normalize_is_idempotent_and_nfc_on_any_letters_and_marks(text: str) -> None:
    normal = normalize(text)
    assert normalize(normal) == normal
    assert unicodedata.is_normalized("NFC", normal)


_TONES = "\u0300\u0301\u0309\u0303\u0323"


@given(st.sampled_from(WELL_FORMED), st.data())
def test_any_tone_placement_respells_to_the_canonical_one(word: str, data: st.DataObject) -> None:
    letters: list[str] = []  # a base letter with its modifier, tone removed
    tone = ""
    for char in unicodedata.normalize("NFD", word.lower()):
        if char in _TONES:
            tone = char
        elif unicodedata.combining(char):
            letters[-1] += char
        else:
            letters.append(char)
    vowels = [i for i, letter in enumerate(letters) if letter[0] in "aeiouy"]
    placed = data.draw(st.sampled_from(vowels))
    misspelt = unicodedata.normalize("NFC", "".join(x + (tone if i == placed else "") for i, x in enumerate(letters)))
    assert normalize(misspelt) == word.lower()
    assert normalize(misspelt.upper()) == word.upper()


# Every vowel cluster of the orthography with the codas it takes, and onsets of each kind.
_OPEN = (
    "a e ê i o ô ơ u ư y ai ao au ay âu ây eo êu ia iu oa oe oi ôi ơi ua uê ui uơ uy ưa ưi ưu"
    " iêu yêu oai oao oay oeo uây uôi ươi ươu uya uyu"
)
_CLOSED = "a ă â e ê i o ô ơ u ư y iê yê uô ươ oa oă oe oo uâ uê uy uyê"
_CODAS = ("c", "ch", "m", "n", "ng", "nh", "p", "t")
_SOME_ONSETS = ("", "b", "ch", "gi", "ngh", "qu", "th")


def _tone_placements(onset: str, cluster: str, coda: str, tone: str) -> list[str]:
    letters = list(unicodedata.normalize("NFD", onset + cluster + coda))
    bases = [i for i, c in enumerate(letters) if c in "aeiouy"]
    out = []
    for base in bases:
        end = base + 1
        while end < len(letters) and unicodedata.combining(letters[end]):
            end += 1
        out.append(unicodedata.normalize("NFC", "".join(letters[:end]) + tone + "".join(letters[end:])))
    return out


@pytest.mark.parametrize("onset", _SOME_ONSETS)
def test_every_tone_placement_of_a_syllable_gives_one_spelling(onset: str) -> None:
    # Whatever vowel carries the mark, the syllable comes out the same, with one mark: the fast
    # path finds every misplacement the respelling knows.
    shapes = [(c, "") for c in _OPEN.split()] + [(c, coda) for c in _CLOSED.split() for coda in _CODAS]
    for cluster, coda in shapes:
        for tone in _TONES:
            for case in (str.lower, str.upper):
                spellings = {normalize(case(s)) for s in _tone_placements(onset, cluster, coda, tone)}
                assert len(spellings) == 1, (onset, cluster, coda, spellings)
                (spelling,) = spellings
                assert sum(c in _TONES for c in unicodedata.normalize("NFD", spelling)) == 1


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


# The number pattern as first written, its look-behind before the first digit; the one in use
# checks the same thing after that digit (for speed): both must find the same numbers.
_NUMBER_AS_WRITTEN = r"(?<![\w/-])\d{1,6}(?:/\d{4})?(?:[-/]" + _CODE + r")+(?![\w/])"


# Texts made of the pieces numbers are made of, so that near-misses come up often.
_NUMBER_PIECES = st.lists(st.sampled_from(
    ["1", "2024", "1234567", "٣", "/", "-", "_", ".", " ", "a", "21-NQ", "/2024", "-TW", "/QĐ", "-UBND", "Nd", "đ"]
), max_size=12).map("".join)


@given(_NUMBER_PIECES)
def test_number_pattern_finds_what_the_pattern_as_written_finds(text: str) -> None:
    written = re.compile(_NUMBER_AS_WRITTEN)
    assert [(m.span(), m.group(0)) for m in DOCUMENT_NUMBER_RE.finditer(text)] == \
        [(m.span(), m.group(0)) for m in written.finditer(text)]
    query = re.compile(_NUMBER_AS_WRITTEN, re.IGNORECASE)
    assert bool(QUERY_NUMBER_RE.fullmatch(text)) == bool(query.fullmatch(text))
