"""Vietnamese text in the pre-Unicode encodings TCVN3 (ABC), VNI and Windows-1258: detected and
converted to Unicode.

Before Unicode, Vietnamese was typed in font encodings: the bytes are Windows-1252 characters
that a .VnTime (TCVN3) or VNI-Times font draws as Vietnamese letters. Such text reaches a corpus
in two shapes:

- bytes that are not UTF-8 (a file saved in the old encoding): `decode` reads them;
- valid Unicode that holds the Windows-1252 look-alikes, "Céng hoµ x· héi chñ nghÜa ViÖt Nam"
  (TCVN3) or "Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam" (VNI), copied out of an old document
  without conversion: `repair` converts it.

Detection is a measurement, not a guess from one character: every word the candidate encoding
would change is converted, and the candidate is accepted only when most of those words become
well-formed Vietnamese syllables while far fewer were before (see `Guess.confident`). Latin-1
text in French or German gains nothing from either table and is left alone.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

TCVN3 = "TCVN3 (ABC)"
VNI = "VNI"
WINDOWS_1258 = "Windows-1258"

# How sure is sure: at least MIN_WORDS changed words, CONFIDENT of them valid syllables after
# conversion, and MIN_GAIN more of them valid than before. PLAUSIBLE: worth naming in a report.
MIN_WORDS = 3
CONFIDENT = 0.8
MIN_GAIN = 0.5
PLAUSIBLE = 0.5
PLAUSIBLE_GAIN = 0.3  # Unicode Vietnamese in Latin-1 letters only ("90 phút choáng váng") gains less
SAMPLE_CHARS = 100_000  # detection reads the start of a long text; conversion covers all of it
MAX_WORDS = 3000  # changed words scored per candidate

# -- byte view ------------------------------------------------------------------------------


def _windows_1252_view() -> str:
    """Byte -> the character Windows shows for it: cp1252, and Latin-1 for its five holes."""
    return "".join(bytes([b]).decode("cp1252", errors="ignore") or chr(b) for b in range(256))


_BYTE_VIEW = _windows_1252_view()
_FROM_VIEW = {char: b for b, char in enumerate(_BYTE_VIEW)}


def font_text(data: bytes) -> str:
    """Bytes as the characters a Windows program shows for them (every byte maps to one)."""
    return data.decode("latin-1").translate(_LATIN1_TO_VIEW)


_LATIN1_TO_VIEW = {b: _BYTE_VIEW[b] for b in range(0x80, 0xA0) if _BYTE_VIEW[b] != chr(b)}

# -- TCVN3 ----------------------------------------------------------------------------------

# Bytes 0x80-0xFF of TCVN 5712:1993 (VN1, of which the common ABC/VN3 fonts are the lowercase
# part), checked against glibc's TCVN5712-1 converter (tests/test_legacy.py). VN1's capitals in
# the control range 0x01-0x17 are not converted: they would clash with real control characters.
_TCVN3_HIGH = (
    "ÀẢÃÁẠẶẬÈẺẼÉẸỆÌỈĨ"  # 0x80
    "ÍỊÒỎÕÓỌỘỜỞỠỚỢÙỦŨ"  # 0x90
    "\u00a0ĂÂÊÔƠƯĐăâêôơưđẰ"  # 0xA0
    "\u0300\u0309\u0303\u0301\u0323àảãáạẲằẳẵắẴ"  # 0xB0: combining tone marks, then letters
    "ẮẦẨẪẤỀặầẩẫấậèỂẻẽ"  # 0xC0
    "éẹềểễếệìỉỄẾỒĩíịò"  # 0xD0
    "Ổỏõóọồổỗốộờởỡớợù"  # 0xE0
    "ỖủũúụừửữứựỳỷỹýỵỐ"  # 0xF0
)


def _tcvn3_table() -> dict[int, str]:
    table: dict[int, str] = {}
    for offset, target in enumerate(_TCVN3_HIGH):
        byte = 0x80 + offset
        if target == "\u00a0":
            continue
        table[ord(_BYTE_VIEW[byte])] = target
        table[byte] = target  # the same byte read as Latin-1 (C1 controls for 0x80-0x9F)
    return table


_TCVN3_TABLE = _tcvn3_table()
_ABC_ENCODE = {
    target: _BYTE_VIEW[0x80 + offset]
    for offset, target in enumerate(_TCVN3_HIGH)
    if target.islower() or target in "ĂÂÊÔƠƯĐ"
}

# -- VNI ------------------------------------------------------------------------------------

# VNI writes a letter as its base plus one or two mark characters (sắc, huyền, hỏi, ngã, nặng
# after a plain vowel; combined circumflex or breve marks after a, e, o); ơ, ư, đ and the
# toned i are single characters. Same layout as the VNI-Windows fonts and the xvnkb tables.
_TONES = ("", "\u0301", "\u0300", "\u0309", "\u0303", "\u0323")  # none, sắc, huyền, hỏi, ngã, nặng
_VNI_TONE = ("", "ù", "ø", "û", "õ", "ï")
_VNI_CIRCUMFLEX = ("â", "á", "à", "å", "ã", "ä")
_VNI_BREVE = ("ê", "é", "è", "ú", "ü", "ë")
_VNI_I = ("i", "í", "ì", "æ", "ó", "ò")


def _vni_pairs() -> dict[str, str]:
    """Unicode letter (lowercase) -> its VNI spelling."""
    spell: dict[str, str] = {"đ": "ñ"}
    for n, tone in enumerate(_TONES):
        for vowel in "aeouy":
            spell[unicodedata.normalize("NFC", vowel + tone)] = vowel + _VNI_TONE[n]
        for vowel in "aeo":
            spell[unicodedata.normalize("NFC", vowel + "\u0302" + tone)] = vowel + _VNI_CIRCUMFLEX[n]
        spell[unicodedata.normalize("NFC", "a\u0306" + tone)] = "a" + _VNI_BREVE[n]
        spell[unicodedata.normalize("NFC", "o\u031b" + tone)] = "ô" + _VNI_TONE[n]
        spell[unicodedata.normalize("NFC", "u\u031b" + tone)] = "ö" + _VNI_TONE[n]
        spell[unicodedata.normalize("NFC", "i" + tone)] = _VNI_I[n]
    spell["ỵ"] = "î"  # y with nặng has a character of its own
    for vowel in "aeiouy":
        spell.pop(vowel, None)  # plain letters are themselves
    return spell


_VNI_LOWER = _vni_pairs()
_VNI_ENCODE = {**_VNI_LOWER, **{u.upper(): v.upper() for u, v in _VNI_LOWER.items()}}
# Decoding also accepts a mark in the other case than its base letter ("Aù"): the base decides.
_VNI_DECODE: dict[str, str] = {}
for _unicode, _vni in _VNI_LOWER.items():
    _VNI_DECODE[_vni] = _unicode
    _VNI_DECODE[_vni.upper()] = _unicode.upper()
    if len(_vni) == 2:
        _VNI_DECODE[_vni[0] + _vni[1].upper()] = _unicode
        _VNI_DECODE[_vni[0].upper() + _vni[1]] = _unicode.upper()
_VNI_RE = re.compile("|".join(re.escape(k) for k in sorted(_VNI_DECODE, key=len, reverse=True)))
_VNI_CHARS = frozenset("".join(k for k in _VNI_DECODE if len(k) == 1) + "".join(k[1] for k in _VNI_DECODE if len(k) == 2))

# -- Vietnamese syllables -------------------------------------------------------------------

# Letters only Unicode Vietnamese has: neither font encoding can produce them (they are outside
# Windows-1252), so text holding them is already Unicode.
_UNICODE_VIETNAMESE_RE = re.compile("[ăĂđĐơƠưƯĩĨũŨ\u1ea0-\u1ef9]")
_TONE_MARKS = frozenset(_TONES[1:])
# Onset, then either a vowel group that may close on a final consonant, or one that ends the
# syllable (its last vowel is a glide: "ai", "ươi"). Tones are removed before matching.
_ONSET = r"(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdđghklmnprstvx])?"  # q only as qu
_CLOSED = r"(?:uyê|iê|yê|uô|ươ|oa|oă|oe|oo|uâ|uê|uy|[aăâeêioôơuưy])(?:ch|ng|nh|[cmnpt])"
_OPEN = (
    r"(?:iêu|yêu|oai|oao|oay|oeo|uây|uôi|ươi|ươu|uya|uyu|ai|ao|au|ay|âu|ây|eo|êu|ia|iu|oi|ôi|ơi"
    r"|ua|ui|ưa|ưi|ưu|uơ|oa|oe|uê|uy|[aeêioôơuưy])"
)
_SYLLABLE_RE = re.compile(f"{_ONSET}(?:{_CLOSED}|{_OPEN})")
# A word, for scoring: a run of anything but spaces, ASCII digits and ASCII punctuation (TCVN3's
# letters include Windows-1252 symbols such as µ, ·, ¸ and the soft hyphen).
_WORD_RE = re.compile(r"[^\s0-9!-/:-@\[-`{-~]+")


def is_syllable(word: str) -> bool:
    """Is `word` a well-formed Vietnamese syllable (onset, vowels, coda, at most one tone)?"""
    decomposed = unicodedata.normalize("NFD", word.lower())
    if sum(c in _TONE_MARKS for c in decomposed) > 1:
        return False
    base = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in _TONE_MARKS))
    return _SYLLABLE_RE.fullmatch(base) is not None


def looks_unicode_vietnamese(text: str) -> bool:
    return _UNICODE_VIETNAMESE_RE.search(text) is not None


# -- conversion -----------------------------------------------------------------------------

_CAPS_WORD_RE = re.compile(r"[^\W\d_]{2,}")


def _tcvn3_capitals(match: re.Match[str]) -> str:
    """ABC documents set capitals in a second font (.VnTimeH) that draws the lowercase codes as
    capitals: "QUYÕT §ÞNH" converts to "QUYếT ĐịNH". A word of capitals whose only lowercase
    letters came from the table is such a word."""
    word = match.group(0)
    uppers = sum(c.isupper() for c in word)
    lowers = [c for c in word if c.islower()]
    if uppers >= 2 and lowers and all(not c.isascii() for c in lowers):
        return word.upper()
    return word


# A sentence's first letter, when the ABC font could only write it in lowercase (a toned vowel:
# VN3 has capitals for ă â ê ô ơ ư đ only). Vietnamese sentences start with a capital.
_SENTENCE_START_RE = re.compile(r"(?:^|(?<=[.!?:]\s)|(?<=\n))\s*([àảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵ])")


def convert(text: str, encoding: str) -> str:
    """Font text (as `font_text` or a copy-paste gives it) in `encoding` -> Unicode, NFC."""
    if encoding == TCVN3:
        converted = unicodedata.normalize("NFC", text.translate(_TCVN3_TABLE))
        converted = _SENTENCE_START_RE.sub(lambda m: m.group(0).upper(), converted)
        return _CAPS_WORD_RE.sub(_tcvn3_capitals, converted)
    if encoding == VNI:
        return _VNI_RE.sub(lambda m: _VNI_DECODE[m.group(0)], text)
    raise ValueError(f"no conversion table for {encoding!r}")


def to_font_text(text: str, encoding: str) -> str:
    """Unicode Vietnamese -> how it looks in `encoding` read as Windows-1252 (round trips, tests).

    TCVN3 is written the way ABC users wrote it: the .VnTime font's lowercase codes and its seven
    plain capitals (Ă Â Ê Ô Ơ Ư Đ); a toned capital takes its lowercase code, which the capitals
    font drew in upper case."""
    text = unicodedata.normalize("NFC", text)
    if encoding == TCVN3:
        return "".join(_ABC_ENCODE.get(c) or _ABC_ENCODE.get(c.lower(), c) for c in text)
    if encoding == VNI:
        return "".join(_VNI_ENCODE.get(c, c) for c in text)
    raise ValueError(f"no conversion table for {encoding!r}")


def _windows_1258(char: str) -> bytes:
    """One character in Windows-1258: precomposed when the code page has it, else base + tone."""
    try:
        return char.encode("cp1258")
    except UnicodeEncodeError:
        decomposed = unicodedata.normalize("NFD", char)
        tones = "".join(c for c in decomposed if c in _TONE_MARKS)
        base = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in _TONE_MARKS))
        return base.encode("cp1258") + tones.encode("cp1258")


def encode(text: str, encoding: str) -> bytes:
    """Unicode Vietnamese -> the bytes a file saved in `encoding` holds."""
    if encoding == WINDOWS_1258:
        return b"".join(_windows_1258(c) for c in unicodedata.normalize("NFC", text))
    return bytes(_FROM_VIEW[c] if c in _FROM_VIEW else ord(c) for c in to_font_text(text, encoding))


# -- detection ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Guess:
    """How well one legacy encoding explains a text."""

    encoding: str
    words: int  # words the encoding changes
    valid: float  # share of them that are Vietnamese syllables once converted
    gain: float  # that share minus the share that already were

    @property
    def confident(self) -> bool:
        return self.words >= MIN_WORDS and self.valid >= CONFIDENT and self.gain >= MIN_GAIN

    @property
    def plausible(self) -> bool:
        return self.words >= 1 and self.valid >= PLAUSIBLE and self.gain >= PLAUSIBLE_GAIN

    def describe(self) -> str:
        return f"{self.valid:.0%} of {self.words} changed words became Vietnamese syllables"


def _share(words: list[str]) -> float:
    return sum(map(is_syllable, words)) / len(words) if words else 0.0


def _score(encoding: str, before: list[str], after: list[str]) -> Guess:
    valid = _share(after)
    return Guess(encoding, len(after), valid, valid - _share(before))


def _font_guesses(sample: str) -> list[Guess]:
    words = _WORD_RE.findall(sample)
    tcvn3 = [w for w in words if any(ord(c) in _TCVN3_TABLE for c in w)][:MAX_WORDS]
    vni = [w for w in words if any(c in _VNI_CHARS for c in w)][:MAX_WORDS]
    return [
        _score(TCVN3, tcvn3, [convert(w, TCVN3) for w in tcvn3]),
        _score(VNI, vni, [convert(w, VNI) for w in vni]),
    ]


def _best(guesses: list[Guess]) -> Guess | None:
    useful = [g for g in guesses if g.words]
    if not useful:
        return None
    return max(useful, key=lambda g: (g.confident, g.valid * min(g.words, 50), g.gain))


def guess(text: str) -> Guess | None:
    """The legacy encoding that best explains Unicode `text` holding font look-alikes, or None
    when nothing suggests one (plain ASCII, real Unicode Vietnamese)."""
    sample = text[:SAMPLE_CHARS]
    if sample.isascii() or looks_unicode_vietnamese(sample):
        return None
    return _best(_font_guesses(sample))


def repair(text: str) -> tuple[str, Guess | None]:
    """`text` converted when it is confidently TCVN3 or VNI font text; the guess either way."""
    found = guess(text)
    if found is not None and found.confident:
        return convert(text, found.encoding), found
    return text, found


@dataclass(frozen=True)
class Decoded:
    """Bytes turned into text, and how."""

    text: str
    encoding: str  # "UTF-8", or the legacy encoding that was converted
    replaced: int = 0  # undecodable byte sequences, each replaced by one U+FFFD
    first_bad: int | None = None  # offset of the first of them
    guess: Guess | None = None  # the best legacy candidate, even when it was not used


def decode(data: bytes) -> Decoded:
    """UTF-8 when the bytes are UTF-8; else TCVN3, VNI or Windows-1258 when one explains them
    confidently; else UTF-8 with each undecodable sequence replaced by U+FFFD."""
    try:
        return Decoded(data.decode("utf-8"), "UTF-8")
    except UnicodeDecodeError as error:
        first_bad = error.start
    view = font_text(data[: SAMPLE_CHARS * 2])
    guesses = _font_guesses(view)
    try:
        windows = unicodedata.normalize("NFC", data.decode("cp1258"))
    except UnicodeDecodeError:
        windows = None
    if windows is not None:
        after = [w for w in _WORD_RE.findall(windows[:SAMPLE_CHARS]) if not w.isascii()][:MAX_WORDS]
        before = [w for w in _WORD_RE.findall(view) if not w.isascii()][:MAX_WORDS]
        guesses.append(_score(WINDOWS_1258, before, after))
    best = _best(guesses)
    if best is not None and best.confident:
        if best.encoding == WINDOWS_1258 and windows is not None:
            return Decoded(windows, WINDOWS_1258, guess=best)
        return Decoded(convert(font_text(data), best.encoding), best.encoding, guess=best)
    text = data.decode("utf-8", errors="replace")
    # One U+FFFD per undecodable sequence; U+FFFD already in the data is not a replacement.
    replaced = text.count("\ufffd") - data.count("\ufffd".encode())
    return Decoded(text, "UTF-8", replaced=replaced, first_bad=first_bad, guess=best)
