"""A curated table of the abbreviations of Vietnamese political and legal writing.

Queries are expanded both ways: "UBND" also looks for "Ủy ban nhân dân", and "Ủy ban nhân
dân" also looks for "UBND". Keys and expansions are compared as lowercased syllables.

A query's word is taken for an abbreviation (`abbreviation_of`) whatever its case and
diacritics ("ubnd", "HDND", "hdnd", "bch"), unless it is typed in lower case and that form is
also a word people write in lower case (COMMON_WORDS: "tư" is a word, "TƯ" Trung ương).
"""

from __future__ import annotations

from functools import cache

from .analysis import syllables
from .text import fold, normalize

# abbreviation -> full forms (most common first)
ABBREVIATIONS: dict[str, tuple[str, ...]] = {
    "UBND": ("Ủy ban nhân dân",),
    "HĐND": ("Hội đồng nhân dân",),
    "TW": ("Trung ương",),
    "TƯ": ("Trung ương",),
    "BCH": ("Ban Chấp hành",),
    "BCHTW": ("Ban Chấp hành Trung ương",),
    "BCT": ("Bộ Chính trị",),
    "BBT": ("Ban Bí thư",),
    "BTV": ("Ban Thường vụ",),
    "UBKT": ("Ủy ban Kiểm tra",),
    "MTTQ": ("Mặt trận Tổ quốc",),
    "CNXH": ("chủ nghĩa xã hội",),
    "XHCN": ("xã hội chủ nghĩa",),
    "ĐCSVN": ("Đảng Cộng sản Việt Nam",),
    "QH": ("Quốc hội",),
    "UBTVQH": ("Ủy ban Thường vụ Quốc hội",),
    "CP": ("Chính phủ",),
    "TTg": ("Thủ tướng",),
    "NQ": ("Nghị quyết",),
    "KL": ("Kết luận",),
    "CT": ("Chỉ thị",),
    "QĐ": ("Quyết định",),
    "NĐ": ("Nghị định",),
    "TT": ("Thông tư",),
    "TB": ("Thông báo",),
    "HĐ": ("Hội đồng",),
    "ĐBQH": ("đại biểu Quốc hội",),
    "CCHC": ("cải cách hành chính",),
    "PCTN": ("phòng, chống tham nhũng",),
    "KT-XH": ("kinh tế - xã hội",),
    "KTXH": ("kinh tế - xã hội",),
    "ANQP": ("an ninh quốc phòng",),
    "QP-AN": ("quốc phòng - an ninh",),
    "CBCCVC": ("cán bộ, công chức, viên chức",),
    "BHXH": ("bảo hiểm xã hội",),
    "BHYT": ("bảo hiểm y tế",),
    "THPT": ("trung học phổ thông",),
    "TP": ("thành phố",),
    "TAND": ("Tòa án nhân dân",),
    "VKSND": ("Viện kiểm sát nhân dân",),
}


# Lower-case forms of single-syllable abbreviations (as written, and without diacritics) that
# are words: written in lower case in most of their uses in the shared corpora, and not rarely
# ("tư" 82,787 times, 93 % of its uses; "tu" 1,278, 80 %). Typed so, they are those words.
# Every other form is an abbreviation typed carelessly ("ubnd": 986 times in lower case, 6 %
# of its uses). Measured with benchmarks/abbreviation_words.py (RESULTS.md).
COMMON_WORDS = frozenset({"tư", "tu"})


def abbreviation_of(typed: str) -> str | None:
    """The abbreviation of the table a query's word stands for, as the table spells it, or None.

    "UBND", "ubnd", "Ubnd" -> "UBND"; "HDND", "hdnd", "hđnd" -> "HĐND"; "TU" -> "TƯ"; "tư",
    "tu" -> None (common words); "nhà" -> None. A word typed with two capitals or more
    ("HDND", "TU") is an abbreviation whenever a table entry folds to it; in lower case (or
    capitalised: "Ubnd") only when its form is not in COMMON_WORDS. Exact spelling first:
    "tư" is "TƯ", never "TW".
    """
    word = normalize(typed).strip()
    if not word:
        return None
    key = " ".join(syllables(word))
    exact, folded = _typed_forms()
    found = exact.get(key) or folded.get(fold(key))
    if found is None:
        return None
    if sum(c.isupper() for c in word) >= 2:
        return found
    return None if key in COMMON_WORDS else found


def abbreviation_expansions(typed: str) -> tuple[tuple[str, ...], ...]:
    """Full forms (lowercased syllables) of the abbreviation a query's word stands for, or ()."""
    found = abbreviation_of(typed)
    return expansions(tuple(syllables(normalize(found)))) if found else ()


@cache
def _typed_forms() -> tuple[dict[str, str], dict[str, str]]:
    """Lowercased key -> abbreviation, and the same without diacritics (the first entry wins)."""
    exact: dict[str, str] = {}
    folded: dict[str, str] = {}
    for short in ABBREVIATIONS:
        key = " ".join(syllables(normalize(short)))
        exact.setdefault(key, short)
        folded.setdefault(fold(key), short)
    return exact, folded


@cache
def _tables() -> tuple[dict[str, tuple[tuple[str, ...], ...]], dict[tuple[str, ...], str]]:
    forward: dict[str, tuple[tuple[str, ...], ...]] = {}
    backward: dict[tuple[str, ...], str] = {}
    for short, longs in ABBREVIATIONS.items():
        key = " ".join(syllables(normalize(short)))
        forward[key] = tuple(tuple(syllables(normalize(full))) for full in longs)
        for full in forward[key]:
            backward.setdefault(full, key)
    return forward, backward


def expansions(abbreviation_syllables: tuple[str, ...]) -> tuple[tuple[str, ...], ...]:
    """Full forms of an abbreviation given as lowercased syllables ("ubnd",) -> (("ủy","ban",...),)."""
    return _tables()[0].get(" ".join(abbreviation_syllables), ())


@cache
def _folded_backward() -> dict[tuple[str, ...], str]:
    """Full forms without diacritics -> abbreviation ("uy ban nhan dan" -> "ubnd")."""
    folded: dict[tuple[str, ...], str] = {}
    for full, short in _tables()[1].items():
        folded.setdefault(tuple(fold(s) for s in full), short)
    return folded


def find_full_forms(terms: list[str], *, folded: bool = False) -> list[tuple[int, int, str]]:
    """Spans (start, end, abbreviation) of full forms inside a syllable list, longest first;
    `folded`: the syllables are typed without diacritics ("uy ban nhan dan" holds "ubnd")."""
    backward = _folded_backward() if folded else _tables()[1]
    found = []
    lengths = sorted({len(k) for k in backward}, reverse=True)
    i = 0
    while i < len(terms):
        for size in lengths:
            key = tuple(terms[i : i + size])
            if len(key) == size and key in backward:
                found.append((i, i + size, backward[key]))
                i += size - 1
                break
        i += 1
    return found
