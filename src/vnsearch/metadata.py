"""Metadata found in the text itself: dates, issuing body, document type, own number.

Used where a record does not say these things. Every function takes normalised text.
"""

from __future__ import annotations

import datetime as dt
import re

from .text import DOCUMENT_NUMBER_RE, collapse_spaces, fold, normalize

# -- dates ----------------------------------------------------------------------------------

_NUMERIC_DATE_RE = re.compile(r"(?<!\d)(\d{1,2})\s*[./-]\s*(\d{1,2})\s*[./-]\s*(\d{4})(?!\d)")
_WORDED_DATE_RE = re.compile(
    r"ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})", re.IGNORECASE
)
_ISO_DATE_RE = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ].*)?$")
# A news dateline: "29.12.2012 - 15:58". "Not after a digit" is checked after the first digit,
# (?<!\d\d), so that the pattern starts with a digit and a search skips to digits at C speed.
_DATELINE_RE = re.compile(r"(\d(?<!\d\d)\d?)\.(\d{1,2})\.(\d{4})\s*-\s*\d{1,2}:\d{2}")
# What every dateline ends with, found by skipping to colons: where it is missing (most heads),
# the pattern above, tried at every digit, cannot match either.
_DATELINE_HINT_RE = re.compile(r":\d\d")


def _has_dateline(head: str) -> bool:
    return _DATELINE_HINT_RE.search(head) is not None and _DATELINE_RE.search(head) is not None


def _make_date(year: str, month: str, day: str) -> str | None:
    try:
        return dt.date(int(year), int(month), int(day)).isoformat()
    except ValueError:
        return None


def parse_date(value: str) -> str | None:
    """A date written in any of the usual forms -> "YYYY-MM-DD", or None when it is not a date."""
    value = value.strip()
    match = _ISO_DATE_RE.match(value)
    if match:
        return _make_date(match.group(1), match.group(2), match.group(3))
    for pattern in (_WORDED_DATE_RE, _NUMERIC_DATE_RE):
        match = pattern.search(value)
        if match:
            return _make_date(match.group(3), match.group(2), match.group(1))
    match = re.fullmatch(r"(\d{4})", value)
    if match:
        return _make_date(match.group(1), "1", "1")
    return None


# A legal text's place-and-date line: "Hà Nội, ngày 24 tháng 11 năm 2015".
_PLACE_DATE_RE = re.compile(
    r"^[^\S\n]*[A-ZĐ][^\n,]{0,40},\s*ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})", re.MULTILINE
)
# What every place-and-date line holds, found by skipping to commas: where it is missing (most
# news stories), the pattern above, tried at every line start, cannot match either.
_PLACE_DATE_HINT_RE = re.compile(r",\s*ngày")


def find_date(text: str) -> str | None:
    """The document's own date: a news dateline or a legal place-and-date line in its head.

    Other dates in the text (events, anniversaries, cited documents) are not the document's
    date, so they are not taken.
    """
    head = text[:3000]
    # A pattern is tried only where its hint is: without it, it cannot match.
    patterns = (_DATELINE_RE if _DATELINE_HINT_RE.search(head) else None,
                _PLACE_DATE_RE if _PLACE_DATE_HINT_RE.search(head) else None)
    for pattern in filter(None, patterns):
        for match in pattern.finditer(head):
            date = _make_date(match.group(3), match.group(2), match.group(1))
            if date:
                return date
    return None


# -- issuing body ---------------------------------------------------------------------------

# Most specific first: at one position the longest name wins.
# Provinces and centrally-run cities (the 63 of 2008-2025), so that a name after "UBND tỉnh" is
# taken whole and a person's name after it is not.
PROVINCES = (
    "An Giang", "Bà Rịa - Vũng Tàu", "Bà Rịa-Vũng Tàu", "Bạc Liêu", "Bắc Giang", "Bắc Kạn", "Bắc Ninh", "Bến Tre",
    "Bình Dương", "Bình Định", "Bình Phước", "Bình Thuận", "Cà Mau", "Cao Bằng", "Cần Thơ", "Đà Nẵng", "Đắk Lắk",
    "Đắk Nông", "Điện Biên", "Đồng Nai", "Đồng Tháp", "Gia Lai", "Hà Giang", "Hà Nam", "Hà Nội", "Hà Tĩnh",
    "Hải Dương", "Hải Phòng", "Hậu Giang", "Hòa Bình", "Hồ Chí Minh", "Hưng Yên", "Khánh Hòa", "Kiên Giang",
    "Kon Tum", "Lai Châu", "Lạng Sơn", "Lào Cai", "Lâm Đồng", "Long An", "Nam Định", "Nghệ An", "Ninh Bình",
    "Ninh Thuận", "Phú Thọ", "Phú Yên", "Quảng Bình", "Quảng Nam", "Quảng Ngãi", "Quảng Ninh", "Quảng Trị",
    "Sóc Trăng", "Sơn La", "Tây Ninh", "Thái Bình", "Thái Nguyên", "Thanh Hóa", "Thừa Thiên Huế", "Thừa Thiên - Huế",
    "Huế", "Tiền Giang", "Trà Vinh", "Tuyên Quang", "Vĩnh Long", "Vĩnh Phúc", "Yên Bái",
)
_PROVINCE_NAMES = "|".join(sorted(map(re.escape, PROVINCES), key=len, reverse=True))
_PROVINCE = r"(?:\s+(?:tỉnh|thành phố|TP\.?)\s+(?-i:" + _PROVINCE_NAMES + r"))?"
_COMMITTEES = [
    ("Ban Chấp hành Trung ương", r"Ban Chấp hành Trung ương(?: Đảng)?"),
    ("Bộ Chính trị", r"Bộ Chính trị"),
    ("Ban Bí thư", r"Ban Bí thư(?: Trung ương Đảng)?"),
    ("Ủy ban Kiểm tra Trung ương", r"Ủy ban Kiểm tra Trung ương"),
    ("Ủy ban Thường vụ Quốc hội", r"Ủy ban Thường vụ Quốc hội"),
    ("Quốc hội", r"Quốc hội"),
    ("Thủ tướng Chính phủ", r"Thủ tướng Chính phủ"),
    ("Chính phủ", r"Chính phủ"),
    ("Ban Thường vụ Tỉnh ủy", r"Ban Thường vụ Tỉnh ủy"),
    ("Ban Thường vụ Thành ủy", r"Ban Thường vụ Thành ủy"),
    ("Ban Thường vụ Huyện ủy", r"Ban Thường vụ Huyện ủy"),
    ("Tỉnh ủy", r"Tỉnh ủy"),
    ("Thành ủy", r"Thành ủy"),
    ("Huyện ủy", r"Huyện ủy"),
    *((name, re.escape(name).replace(r"\ ", r"\s+")) for name in (
        # Ministries and bodies of ministerial rank (2021-2025 names and those of the 2025 merges)
        "Bộ Quốc phòng", "Bộ Công an", "Bộ Ngoại giao", "Bộ Nội vụ", "Bộ Tư pháp",
        "Bộ Kế hoạch và Đầu tư", "Bộ Tài chính", "Bộ Công Thương",
        "Bộ Nông nghiệp và Phát triển nông thôn", "Bộ Nông nghiệp và Môi trường",
        "Bộ Giao thông vận tải", "Bộ Xây dựng", "Bộ Tài nguyên và Môi trường",
        "Bộ Thông tin và Truyền thông", "Bộ Khoa học và Công nghệ",
        "Bộ Lao động - Thương binh và Xã hội", "Bộ Văn hóa, Thể thao và Du lịch",
        "Bộ Giáo dục và Đào tạo", "Bộ Y tế", "Bộ Dân tộc và Tôn giáo",
        "Ngân hàng Nhà nước Việt Nam", "Thanh tra Chính phủ", "Văn phòng Chính phủ",
    )),
    ("UBND", r"(?:UBND|Ủy ban nhân dân)" + _PROVINCE),
    ("HĐND", r"(?:HĐND|Hội đồng nhân dân)" + _PROVINCE),
]
_COMMITTEE_RE = [(name, re.compile(pattern, re.IGNORECASE)) for name, pattern in _COMMITTEES]


def _canonical_committee(name: str, matched: str) -> str:
    if name in ("UBND", "HĐND"):
        rest = re.sub(r"^(UBND|Ủy ban nhân dân|HĐND|Hội đồng nhân dân)", "", matched, flags=re.IGNORECASE)
        return collapse_spaces(name + " " + rest.strip())
    return name


def find_committee(title: str, text: str) -> str | None:
    """The issuing body named first in the title, else in the head of the text."""
    for area in (title, text[:600]):
        best: tuple[int, int, str] | None = None
        for name, pattern in _COMMITTEE_RE:
            match = pattern.search(area)
            if match:
                key = (match.start(), -len(match.group(0)), _canonical_committee(name, match.group(0)))
                if best is None or key < best:
                    best = key
        if best is not None:
            return best[2]
    return None


# -- matching facet values ------------------------------------------------------------------

_PUNCTUATION_RE = re.compile(r"[^\w]+|_")


def facet_key(value: str) -> str:
    """A facet value as it is matched: lower case, without diacritics or punctuation.

    "Bộ Chính Trị", "bo chinh tri" and "BỘ CHÍNH TRỊ." share one key."""
    return collapse_spaces(_PUNCTUATION_RE.sub(" ", fold(normalize(value).lower())))


# Full names of the kinds of body that are usually abbreviated, as keys.
_KIND_ALIASES = (("uy ban nhan dan", "ubnd"), ("hoi dong nhan dan", "hdnd"))
# The level between a kind and its place ("UBND tỉnh Bình Dương", "UBND TP. Hà Nội"): the place
# alone names the body, so the level word is left out of the key.
_LEVEL_RE = re.compile(r"^(ubnd|hdnd|tinh uy|thanh uy|huyen uy|quan uy) (?:tinh|thanh pho|tp|huyen|quan|thi xa|tx) ")
# Kinds of body: a filter naming one matches every body of that kind ("UBND" matches every
# "UBND tỉnh …"), as keys.
COMMITTEE_KINDS = (
    "ubnd", "hdnd", "tinh uy", "thanh uy", "huyen uy", "quan uy", "dang uy",
    "ban thuong vu tinh uy", "ban thuong vu thanh uy", "ban thuong vu huyen uy",
)


def committee_key(value: str) -> str:
    """An issuing body as it is matched: `facet_key` with "Ủy ban nhân dân" as "ubnd",
    "Hội đồng nhân dân" as "hdnd", and the level word ("tỉnh", "TP.", "thành phố") dropped.

    "UBND TP Hà Nội", "UBND TP. Hà Nội", "Ủy ban nhân dân thành phố Hà Nội" -> "ubnd ha noi"."""
    key = facet_key(value)
    for full, short in _KIND_ALIASES:
        if key == full or key.startswith(full + " "):
            key = short + key[len(full):]
    return _LEVEL_RE.sub(r"\1 ", key)


def committee_kind(key: str) -> str | None:
    """The kind a committee key names on its own ("ubnd"), or None when it names one body."""
    return key if key in COMMITTEE_KINDS else None
# -- document type --------------------------------------------------------------------------

DOC_TYPES = [
    "Nghị quyết", "Kết luận", "Chỉ thị", "Quyết định", "Quy định", "Thông báo", "Bộ luật", "Luật",
    "Nghị định", "Thông tư", "Công văn", "Hướng dẫn", "Kế hoạch", "Báo cáo", "Tờ trình", "Pháp lệnh",
]
# Type codes inside document numbers: "21-NQ/TW" is a Nghị quyết.
_NUMBER_CODES = {
    "nq": "Nghị quyết", "kl": "Kết luận", "ct": "Chỉ thị", "qđ": "Quyết định", "qđi": "Quy định",
    "tb": "Thông báo", "nđ": "Nghị định", "tt": "Thông tư", "hd": "Hướng dẫn", "kh": "Kế hoạch",
    "bc": "Báo cáo", "ttr": "Tờ trình",
}
NEWS_TYPE = "Tin tức"
# Abbreviations some sources use in their type field.
_TYPE_ALIASES = {
    "nq": "Nghị quyết", "qđ": "Quyết định", "qd": "Quyết định", "ct": "Chỉ thị", "kl": "Kết luận",
    "tt": "Thông tư", "nđ": "Nghị định", "nd": "Nghị định", "tb": "Thông báo", "cv": "Công văn",
    "vb hn": "Văn bản hợp nhất", "vbhn": "Văn bản hợp nhất", "tt liên tịch": "Thông tư liên tịch",
}


def canonical_doc_type(value: str) -> str:
    """Spell a type the one way the facet shows it: "NQ" -> "Nghị quyết", "QUYẾT ĐỊNH" -> "Quyết định",
    "nghi quyet" -> "Nghị quyết" (case, diacritics and punctuation do not matter)."""
    key = value.strip().lower()
    if key in _TYPE_ALIASES:
        return _TYPE_ALIASES[key]
    return _DOC_TYPE_BY_KEY.get(facet_key(value), value.strip())


# facet_key -> type, the keys of the types first, then those of the aliases, the first of each
# key kept: the order canonical_doc_type once compared them in, one by one, at every call.
_DOC_TYPE_BY_KEY: dict[str, str] = {}
for _type in DOC_TYPES + [NEWS_TYPE, "Văn bản hợp nhất", "Thông tư liên tịch"]:
    _DOC_TYPE_BY_KEY.setdefault(facet_key(_type), _type)
for _alias, _type in _TYPE_ALIASES.items():
    _DOC_TYPE_BY_KEY.setdefault(facet_key(_alias), _type)


_TYPE_LINE_RE = re.compile(
    r"^\s*(" + "|".join(t.upper() for t in DOC_TYPES) + r")\s*$", re.MULTILINE
)
_CONSOLIDATION_HEAD_RE = re.compile(r"VĂN BẢN HỢP NHẤT|được sửa đổi, bổ sung bởi\s*:", re.IGNORECASE)
# "Số" in any case, as a word, then the number: \bSố(?:\s+hiệu)?\s*:\s*(NUMBER). Written to start
# at the "ố" (the one character that matches it in any case is "Ố") and to look back for "\bS",
# so that a search skips to that letter at C speed instead of trying the pattern at every
# position: the same numbers, four times faster. Only group 1 is used.
_OWN_NUMBER_RE = re.compile(
    r"(?-i:[ốỐ])(?<=\bSố)(?:\s+hiệu)?\s*:\s*(" + DOCUMENT_NUMBER_RE.pattern + ")", re.IGNORECASE
)


def find_own_number(text: str) -> str | None:
    """The number in a legal text's header ("Số: 15/2020/NĐ-CP", "Luật số: 41/2024/QH15")."""
    match = _OWN_NUMBER_RE.search(text[:2000])
    return match.group(1) if match else None


def find_doc_type(title: str, text: str, number: str | None) -> str | None:
    """A legal header line ("NGHỊ QUYẾT"), a type code in the number, a news dateline, or None.

    A consolidated text ("VBHN" in its number, "VĂN BẢN HỢP NHẤT" or "… được sửa đổi, bổ sung
    bởi:" in its head) is a "Văn bản hợp nhất", whatever the type of the text it consolidates."""
    if (number and "vbhn" in number.lower()) or _CONSOLIDATION_HEAD_RE.search(text[:3000]):
        return "Văn bản hợp nhất"
    match = _TYPE_LINE_RE.search(text[:2000])
    if match:
        upper = match.group(1)
        return next(t for t in DOC_TYPES if t.upper() == upper)
    for candidate in (title,):
        for doc_type in DOC_TYPES:
            if fold(candidate.lower()).startswith(fold(doc_type.lower()) + " "):
                return doc_type
    if number:
        for code in re.split(r"[-/]", number.lower()):
            if code in _NUMBER_CODES:
                return _NUMBER_CODES[code]
    if _has_dateline(text[:3000]):
        return NEWS_TYPE
    return None


# -- one name per body, and the body a text states -------------------------------------------

# Bodies with one fixed name, in their usual spelling; more aliases below. The names of
# _COMMITTEES that are not local (UBND/HĐND) are among them.
_FIXED_BODIES = [name for name, _ in _COMMITTEES if name not in ("UBND", "HĐND")] + [
    "Văn phòng Quốc hội", "Hội đồng Dân tộc", "Chủ tịch nước", "Văn phòng Chủ tịch nước",
    "Kiểm toán Nhà nước", "Tòa án nhân dân tối cao", "Viện kiểm sát nhân dân tối cao",
    "Bảo hiểm xã hội Việt Nam", "Ủy ban Trung ương Mặt trận Tổ quốc Việt Nam", "Văn phòng Trung ương Đảng",
    "Ban Tổ chức Trung ương", "Ban Tuyên giáo Trung ương", "Ban Dân vận Trung ương", "Ban Nội chính Trung ương",
    "Ban Kinh tế Trung ương", "Ban Đối ngoại Trung ương", "Ban Tuyên giáo và Dân vận Trung ương",
    "Ủy ban Dân tộc", "Ngân hàng Nhà nước Việt Nam", "Ngân hàng Nhà nước", "Bộ Thông tin và Truyền thông",
]
_BODY_ALIASES = {
    "Ban Chấp hành Trung ương Đảng": "Ban Chấp hành Trung ương",
    "Ban Chấp hành Trung ương Đảng Cộng sản Việt Nam": "Ban Chấp hành Trung ương",
    "Ban Bí thư Trung ương Đảng": "Ban Bí thư",
    "Ngân hàng Nhà nước": "Ngân hàng Nhà nước Việt Nam",
    "Thủ tướng": "Thủ tướng Chính phủ",
    "Bộ Lao động, Thương binh và Xã hội": "Bộ Lao động - Thương binh và Xã hội",
}
_FIXED_BY_KEY = {facet_key(name): _BODY_ALIASES.get(name, name) for name in _FIXED_BODIES}
_FIXED_BY_KEY.update({facet_key(alias): name for alias, name in _BODY_ALIASES.items()})
_CITIES = ("Hà Nội", "Hồ Chí Minh", "Hải Phòng", "Đà Nẵng", "Cần Thơ", "Huế")
_PROVINCE_BY_KEY: dict[str, str] = {}
for _name in PROVINCES:  # the first of two spellings is the usual one ("Bà Rịa - Vũng Tàu")
    _PROVINCE_BY_KEY.setdefault(facet_key(_name), _name)
_LEVELS = {"tinh": "tỉnh", "thanh pho": "thành phố", "tp": "thành phố", "huyen": "huyện", "quan": "quận",
           "thi xa": "thị xã", "tx": "thị xã", "xa": "xã", "phuong": "phường", "thi tran": "thị trấn"}
_LOCAL_RE = re.compile(
    r"^(?P<kind>UBND|Ủy ban nhân dân|HĐND|Hội đồng nhân dân)"
    r"(?:\s+(?P<level>tỉnh|thành phố|TP\.?|huyện|quận|thị xã|TX\.?|xã|phường|thị trấn))?"
    r"(?:\s+(?P<place>[^\s()][^()]*))?$",
    re.IGNORECASE,
)
_PARTY_RE = re.compile(
    r"^(?P<standing>Ban Thường vụ\s+)?(?P<kind>Tỉnh ủy|Thành ủy|Huyện ủy|Quận ủy|Thị ủy)(?:\s+(?P<place>[^\s()][^()]*))?$",
    re.IGNORECASE,
)
# A remark after the name, such as a record's "(mục Văn bản chỉ đạo điều hành, binhduong.gov.vn)".
_REMARK_RE = re.compile(r"\s*\([^()]*\)\s*$")


def _place(written: str) -> str:
    """A place name in its usual spelling: the province list's, else each syllable capitalised
    (headers write "TỈNH BÌNH DƯƠNG")."""
    known = _PROVINCE_BY_KEY.get(facet_key(written))
    if known:
        return known
    words = written.strip(" .,;:").split()
    return " ".join(word[:1].upper() + word[1:].lower() if word.isupper() or word.islower() else word for word in words)


def canonical_committee(value: str) -> str:
    """One name per body, in its usual spelling: "UBND TP. Hà Nội", "UBND TP Hà Nội" and "Ủy ban
    nhân dân thành phố Hà Nội" -> "UBND thành phố Hà Nội"; "QUỐC HỘI" -> "Quốc hội". A name it
    does not know is kept as written (spaces collapsed, trailing punctuation dropped)."""
    text = collapse_spaces(normalize(value)).strip(" .,;:")
    for candidate in (text, _REMARK_RE.sub("", text)):
        known = _known_body(candidate)
        if known:
            return known
    return text


# A place not in the province list: a few words, no punctuation ("huyện Dầu Tiếng", "xã Tân Lập").
_PLACE_RE = re.compile(r"^[^\W\d_]+(?: [^\W_]+){0,4}$")


def _plausible_place(place: str | None) -> bool:
    if not place:
        return True
    place = collapse_spaces(place.strip(" .,;:"))
    return facet_key(place) in _PROVINCE_BY_KEY or bool(_PLACE_RE.match(place))


def _known_body(text: str) -> str | None:
    fixed = _FIXED_BY_KEY.get(facet_key(text))
    if fixed:
        return fixed
    local = _LOCAL_RE.match(text)
    if local and not _plausible_place(local.group("place")):
        local = None
    if local:
        kind = "UBND" if facet_key(local.group("kind")) in ("ubnd", "uy ban nhan dan") else "HĐND"
        place, level = local.group("place"), local.group("level")
        if not place:
            return kind if not level else f"{kind} {_LEVELS[facet_key(level)]}"
        name = _place(place)
        if name in PROVINCES:  # a province or a centrally-run city: its own level, whatever was written
            return f"{kind} {'thành phố' if name in _CITIES else 'tỉnh'} {name}"
        return f"{kind} {_LEVELS[facet_key(level)]} {name}" if level else f"{kind} {name}"
    party = _PARTY_RE.match(text)
    if party and _plausible_place(party.group("place")):
        kind = party.group("kind")
        kind = kind[:1].upper() + kind[1:].lower()
        standing = "Ban Thường vụ " if party.group("standing") else ""
        place = party.group("place")
        return f"{standing}{kind}" + (f" {_place(place)}" if place else "")
    return None


def _line_body(line: str) -> str | None:
    """The body an upper-case header line names, whole ("BỘ TÀI CHÍNH", "ỦY BAN NHÂN DÂN TỈNH
    BÌNH DƯƠNG", "TM. CHÍNH PHỦ", "BỘ TRƯỞNG BỘ TÀI CHÍNH"), or None."""
    bare = line.strip(" *_#|-–—.:;,\t")
    # The length first: upper-casing a long line (a news paragraph) to compare costs.
    if not bare or len(bare) > 90 or bare != bare.upper() or not any(c.isalpha() for c in bare):
        return None
    bare = _SIGNER_RE.sub("", _SECTION_RE.sub("", bare))
    return _known_body(bare) if bare else None


# The Official Gazette heads a consolidated text "VĂN BẢN HỢP NHẤT - BỘ Y TẾ".
_SECTION_RE = re.compile(r"^VĂN BẢN HỢP NHẤT\s*[-–—:]\s*")


# "TM. CHÍNH PHỦ" (on behalf of), "KT." (for), "TL."/"TUQ." (by order of), and the enacting
# officer of a preamble ("BỘ TRƯỞNG BỘ TÀI CHÍNH"): the body follows.
_SIGNER_RE = re.compile(
    r"^(?:(?:T/M|TM|T\.M|KT|TL|TUQ|Q)\.?\s+|(?:BỘ TRƯỞNG|CHỦ TỊCH|THỐNG ĐỐC|TỔNG KIỂM TOÁN NHÀ NƯỚC|CHỦ NHIỆM)\s+(?=\S))+"
)
_HEADER_LINES = 24  # a legal text's header and preamble fit in its first lines
_SIGNATURE_LINES = 40
_PREAMBLE_END_RE = re.compile(r"^(?:Căn cứ|Điều 1\b|Chương I\b)", re.IGNORECASE)
_NUMBER_LINE_RE = re.compile(r"^\S*\s*(?:số|Số|SỐ)\s*:")


def infer_committee(text: str) -> str | None:
    """The issuing body where a legal text states it: an upper-case line of its header (before
    "Căn cứ"/"Điều 1"), else of its signature block ("TM. CHÍNH PHỦ", or a body line over a
    "Số:" line, as under a consolidated text). Bodies merely named in the text (what a news
    story is about) are never taken."""
    # Headers laid out as a table ("VĂN PHÒNG QUỐC HỘI | CỘNG HÒA XÃ HỘI…") or in columns of
    # spaces give a line per cell.
    lines = _cells(text)
    head: list[str] = []
    for line in lines[:_HEADER_LINES]:
        if _PREAMBLE_END_RE.match(line.strip(" *_#")):
            break
        head.append(line)
    found = _first_body(head)
    if found:
        return found
    # A consolidated text is signed off where it is authenticated, perhaps before its annexes:
    # the body's line (or two) comes just before "XÁC THỰC VĂN BẢN HỢP NHẤT" or its "Số:" line.
    for i, line in enumerate(lines):
        if _AUTHENTICATED_RE.match(line) and i >= 1:
            for start in range(max(0, i - 3), i):
                if (body := _two_line_body(lines[start], lines[start + 1] if start + 1 < i else "")):
                    return body
    # The enacting formula that closes a preamble: "Quốc hội ban hành Luật Công đoàn.", "Theo đề
    # nghị của …; Bộ trưởng Bộ Nội vụ ban hành Thông tư …" (only after a "Căn cứ" line).
    # A consolidated text repeats the formula of the text it consolidates: not its own issuer.
    consolidated = _CONSOLIDATED_RE.search(text[:3000]) is not None
    seen_basis = False
    for line in lines[:_PREAMBLE_LINES]:
        bare = line.strip(" *_#")
        if bare.startswith("Căn cứ"):
            seen_basis = not consolidated
        elif seen_basis and (enacting := _ENACTING_RE.search(bare)):
            body = _known_body(enacting.group("body"))
            if body:
                return body
    tail = lines[-_SIGNATURE_LINES:] if len(lines) > _HEADER_LINES else []
    for i, line in enumerate(tail):
        signed = _SIGNER_RE.match(line.strip(" *_#"))
        nxt = tail[i + 1] if i + 1 < len(tail) else ""
        if (signed or _NUMBER_LINE_RE.match(nxt)) and (body := _two_line_body(line, nxt)):
            return body
    return None


_PREAMBLE_LINES = 80
_CELL_RE = re.compile(r"\||\s{3,}")
# Whitespace other than the space and the line break: with none of it, and no "|", "   " is
# the only way a cell can end inside a line. The characters of [^\S \n], written out: a class
# of characters is scanned twice as fast as one testing the \s category.
_OTHER_SPACE_RE = re.compile("[\t\x0b\x0c\r\x1c-\x1f\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]")


def _cells(text: str) -> list[str]:
    """The non-empty cells of `text`'s lines, stripped: lines split at "|" and at runs of three
    or more whitespace characters. Splitting every line by regex was half of infer_committee's
    time; a text without "|", "   " or other whitespace (almost any news story) has its lines
    as cells."""
    if "|" in text or "   " in text or _OTHER_SPACE_RE.search(text):
        return [cell.strip() for line in text.split("\n") for cell in _CELL_RE.split(line) if cell.strip()]
    return [line.strip() for line in text.split("\n") if line.strip()]


_ENACTING_RE = re.compile(
    r"(?:^|;\s*)(?:(?:Bộ trưởng|Thống đốc|Tổng Kiểm toán Nhà nước|Chủ tịch)\s+)?(?P<body>[^;]{2,80}?)\s+ban hành\s+(?:"
    + "|".join(DOC_TYPES) + r")\b"
)
_CONSOLIDATED_RE = re.compile(r"VBHN|VĂN BẢN HỢP NHẤT", re.IGNORECASE)
_AUTHENTICATED_RE = re.compile(r"^XÁC THỰC VĂN BẢN HỢP NHẤT\b")


def _first_body(lines: list[str]) -> str | None:
    for i, line in enumerate(lines):
        body = _two_line_body(line, lines[i + 1] if i + 1 < len(lines) else "")
        if body:
            return body
    return None


def _two_line_body(line: str, following: str) -> str | None:
    """The body a line names, or one a header breaks over two lines ("BỘ LAO ĐỘNG - THƯƠNG BINH" /
    "VÀ XÃ HỘI", "ỦY BAN NHÂN DÂN" / "TỈNH BÌNH DƯƠNG")."""
    single = _line_body(line)
    if single and single not in _BARE_KINDS:
        return single
    if following and not _NUMBER_LINE_RE.match(following):
        joined = _line_body(line + " " + following)
        if joined:
            return joined
    return single


_BARE_KINDS = {"UBND", "HĐND", "Tỉnh ủy", "Thành ủy", "Huyện ủy", "Quận ủy", "Thị ủy"}


# -- page furniture -------------------------------------------------------------------------

_FURNITURE_LINES = {"tin nổi bật", "các tin khác", "tin liên quan", "tin mới", "xem thêm", "in bài", "chia sẻ"}
# Bullet lines, separators, counters and bare datelines: " • /", "• |", "• 1037".
_FURNITURE_RE = re.compile(r"^\s*(?:[•·▪●◦*|/-]\s*)*(?:[|/]|\d{1,7}|" + _DATELINE_RE.pattern + r")?\s*[|/]?\s*$")


def strip_furniture(text: str) -> str:
    """Drop website page furniture lines; keep every line of real content."""
    kept = []
    for line in text.split("\n"):
        bare = line.strip()
        if bare.lower() in _FURNITURE_LINES:
            continue
        if bare and _FURNITURE_RE.match(line):
            continue
        kept.append(line)
    return re.sub(r"\n{3,}", "\n\n", "\n".join(kept)).strip()


def first_line(text: str) -> str:
    for line in text.split("\n"):
        line = collapse_spaces(line)
        if line:
            return line[:300]
    return ""
