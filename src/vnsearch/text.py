"""Text normalisation for documents and queries alike, and diacritic folding.

Everything that is stored, shown, segmented or matched goes through `normalize` first, so
character offsets computed on normalised text are exact for the stored text.
"""

from __future__ import annotations

import re
import unicodedata

# Characters that carry no text: zero-width space/joiners, word joiner, soft hyphen, BOM.
_INVISIBLE = "\u200b\u200c\u200d\u2060\u00ad\ufeff"
# Every Unicode space other than the plain one, folded to " " (newlines are kept).
_SPACES = "\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000"
# Look-alikes seen in published documents: Latin Eth instead of Vietnamese D with stroke
# ("QÐ-UBND"), and the lowercase twin.
_LOOKALIKES = {"\u00d0": "\u0110", "\u00f0": "\u0111"}

# Lone surrogates cannot be stored or encoded: each becomes U+FFFD.
_SURROGATES = "".join(map(chr, range(0xD800, 0xE000)))
_CLEAN_TABLE = str.maketrans(
    {
        **{c: None for c in _INVISIBLE},
        **{c: " " for c in _SPACES},
        **_LOOKALIKES,
        "\r": "\n",
        "\t": " ",
        **{c: "\ufffd" for c in _SURROGATES},
    }
)
# str.translate with this table was nearly all of normalize's time (1.1 s for news-politics'
# 15.8 M characters), and about 2 % of the corpus texts hold a character it changes: look first.
_CLEAN_RE = re.compile("[" + re.escape(_INVISIBLE + _SPACES + "".join(_LOOKALIKES) + "\r\t") + "\ud800-\udfff]")

_TONES = "\u0300\u0301\u0309\u0303\u0323"  # huyền, sắc, hỏi, ngã, nặng


def _compose(base: str, tone: str) -> str:
    return unicodedata.normalize("NFC", base + tone)


def _tone_placement_table() -> dict[str, str]:
    """Old placement -> new placement for open oa/oe/uy syllables ("hoà" -> "hòa", "uỷ" -> "ủy").

    The new placement (mark on the first vowel of the open diphthong) is the one that
    dominates our corpora (Ủy 3,410 vs Uỷ 859 in the legal texts).
    """
    table = {}
    for first, second in (("o", "a"), ("o", "e"), ("u", "y")):
        for tone in _TONES:
            for upper_first, upper_second in ((False, False), (True, False), (True, True)):
                f = first.upper() if upper_first else first
                s = second.upper() if upper_second else second
                table[f + _compose(s, tone)] = _compose(f, tone) + s
    return table


_TONE_TABLE = _tone_placement_table()
# Only open syllables: the pair must not be followed by another letter ("hoàng", "khoảng" keep
# their mark), and "uy" after q/Q belongs to the "qu" onset ("quý" is already right).
_OLD_TONE_PAIR_RE = re.compile("(" + "|".join(map(re.escape, _TONE_TABLE)) + r")(?!\w)")
_MULTISPACE_RE = re.compile(r"[ ]{2,}")


def _old_tone_sub(match: re.Match[str]) -> str:
    pair = match.group(1)
    start = match.start(1)
    if pair[0] in "uU" and start > 0 and match.string[start - 1] in "qQ":
        return pair
    return _TONE_TABLE[pair]


def _clean(text: str) -> str:
    """Invisible characters removed, spaces and look-alikes mapped, then NFC.

    Invisible characters go before composition: "Thu" + soft hyphen + U+0309 + "y" must
    compose to "Thủy" (the result of normalize must be NFC).
    """
    if _CLEAN_RE.search(text) is not None:
        text = text.replace("\r\n", "\n").translate(_CLEAN_TABLE)
    return unicodedata.normalize("NFC", text)


def normalize(text: str) -> str:
    """Return the canonical form of `text` used for storage, display and matching.

    Invisible characters removed; every space folded to " " and CR to LF; the look-alike Ð
    (U+00D0) mapped to Đ; NFC; tone marks of open oa/oe/uy syllables moved to the new placement.
    Runs of spaces are kept as they are (offsets stay meaningful to a reader of the source);
    collapse them at display time if needed.
    """
    if not text:
        return ""
    text = _clean(text)
    if _OLD_TONE_PAIR_RE.search(text):
        text = _OLD_TONE_PAIR_RE.sub(_old_tone_sub, text)
        # A stray combining mark after the moved pair ("Thuỵ" + U+0323, seen in news-all) can
        # compose once the tone has moved: compose again so the result stays NFC.
        text = unicodedata.normalize("NFC", text)
    return text


def collapse_spaces(text: str) -> str:
    """Collapse runs of spaces, for titles and one-line display."""
    return _MULTISPACE_RE.sub(" ", text).strip()


def _fold_table() -> dict[int, str]:
    table: dict[int, str] = {}
    for code in range(0x00C0, 0x1EFA):
        char = chr(code)
        base = unicodedata.normalize("NFD", char)[0]
        if base != char and base.isascii() and base.isalpha():
            table[code] = base
    table[ord("đ")] = "d"  # Unicode decomposition leaves đ alone
    table[ord("Đ")] = "D"
    return table


_FOLD_TABLE = _fold_table()


def fold(text: str) -> str:
    """Remove Vietnamese diacritics: "Đảng ủy" -> "Dang uy". One char in, one char out on NFC text."""
    return text.translate(_FOLD_TABLE)


def has_diacritics(text: str) -> bool:
    """True when `text` holds any letter that folding would change."""
    return fold(text) != text


# Document numbers: "21-NQ/TW", "77/KL-TTTCP", "41/2024/QH15", "3637/UBND-VX", "15/2020/NĐ-CP",
# "1234/QĐ-UBND". A leading number, an optional year, then one or more code segments that
# start with a capital letter. Dates ("29/12/2012") have no letter segment and do not match.
_CODE = r"[A-ZĐ][A-ZĐ0-9]*(?:[a-zđ]+[A-ZĐ0-9]*)?"
DOCUMENT_NUMBER_RE = re.compile(
    rf"(?<![\w/-])\d{{1,6}}(?:/\d{{4}})?(?:[-/]{_CODE})+(?![\w/])"
)
# Queries are typed in any case: the same shape, case-insensitive.
QUERY_NUMBER_RE = re.compile(DOCUMENT_NUMBER_RE.pattern, re.IGNORECASE)


def number_key(number: str) -> str:
    """The form a document number is indexed and matched under: "15/2020/NĐ-CP" -> "15/2020/nd-cp"."""
    return fold(normalize(number)).lower().strip()


def find_numbers(text: str) -> list[str]:
    """Document numbers cited in normalised `text`, in order, without repeats."""
    seen: dict[str, None] = {}
    for match in DOCUMENT_NUMBER_RE.finditer(text):
        seen.setdefault(match.group(0), None)
    return list(seen)
