"""A curated table of the abbreviations of Vietnamese political and legal writing.

Queries are expanded both ways: "UBND" also looks for "Ủy ban nhân dân", and "Ủy ban nhân
dân" also looks for "UBND". Keys and expansions are compared as lowercased syllables.
"""

from __future__ import annotations

from functools import cache

from .analysis import syllables
from .text import normalize

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


def find_full_forms(terms: list[str]) -> list[tuple[int, int, str]]:
    """Spans (start, end, abbreviation) of full forms inside a syllable list, longest first."""
    backward = _tables()[1]
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
