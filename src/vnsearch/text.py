"""Text normalisation for documents and queries alike, and diacritic folding.

Everything that is stored, shown, segmented or matched goes through `normalize` first, so
character offsets computed on normalised text are exact for the stored text.
"""

from __future__ import annotations

import functools
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

# -- Vietnamese spelling ----------------------------------------------------------------------
#
# The same syllable is published in several spellings: the tone mark on another vowel ("hoà",
# "hòan", "qúy"), two tone marks ("dàì"), a horn on the wrong vowel ("buớc"), a stray
# combining mark left over from an input method ("biế" + U+0301). Each spelling would be a
# different term in the index, so `normalize` rewrites every syllable to one canonical spelling.
# A syllable is onset + vowel cluster + coda; the tone mark is placed by the cluster alone:
#   - on the vowel with a modifier (ă â ê ô ơ ư), the last one when there are two (ươ -> ơ:
#     "được"; also "thuở");
#   - otherwise, in a closed syllable, on the last vowel ("hoàn", "khoét", "huỳnh");
#   - otherwise on the middle vowel of three ("ngoài", "khuỷu") or the first of two ("bài",
#     "hòa", "ủy": for open oa/oe/uy the placement that dominates our corpora, Ủy 3,410 vs
#     Uỷ 859 in the legal texts).
# The u of "qu" and the i of "gi" belong to the onset: "quý", "giữa", "giấy".

_TONE_MARKS = "\u0300\u0301\u0309\u0303\u0323"  # huyền, sắc, hỏi, ngã, nặng
# Combining modifier -> the letters it goes on: circumflex (â ê ô), breve (ă), horn (ơ ư).
_MODIFIER_BASES = {"\u0302": "aeo", "\u0306": "a", "\u031b": "ou"}
_VOWELS = frozenset("aăâeêioôơuưy")
_MODIFIED = frozenset("ăâêôơư")
_ONSETS = ("ngh", "ng", "nh", "ch", "gh", "gi", "kh", "ph", "qu", "th", "tr", *"bcdđghklmnprstvx")
_CODAS = frozenset(("", "c", "ch", "m", "n", "ng", "nh", "p", "t"))
_CLOSED_CLUSTERS = frozenset("uyê iê yê uô ươ oa oă oe oo uâ uê uy a ă â e ê i o ô ơ u ư y".split())
_OPEN_CLUSTERS = frozenset(
    "iêu yêu oai oao oay oeo uây uôi ươi ươu uya uyu ai ao au ay âu ây eo êu ia iu oi ôi ơi"
    " ua ui ưa ưi ưu uơ oa oe uê uy a e ê i o ô ơ u ư y".split()
)
# A modifier on the wrong vowel of a known cluster, all but "ưou" seen in news-all: (cluster
# as written, closed?) -> cluster. Open "uơ" is right ("thuở", "huơ"): only a closed one, or
# one before i/u, is a slip.
_CLUSTER_REPAIRS = {
    ("uơ", True): "ươ",  # "buớc", "truờng", "đuợc"
    ("ưo", True): "ươ",  # "nưóc", "Trưòng"
    ("uơi", False): "ươi",  # "nguời"
    ("ưoi", False): "ươi",  # "ngưòi", "dưói"
    ("uơu", False): "ươu",  # "Huơu"
    ("ưou", False): "ươu",
}
# "thưở" for "thuở" (8 times in news-all): ươ never ends a syllable, and uơ ends only thuở,
# huơ, khuơ. Limited to "th": "hưở", "đượ" are fragments of hưởng, được, not words.
_ONSET_CLUSTER_REPAIRS = {("th", "ươ"): "uơ"}


def _letters(run: str) -> list[list[str]] | None:
    """[base letter as written, modifier mark, tone marks] per letter of `run`, or None when
    `run` holds anything but Latin letters, đ and Vietnamese marks (a foreign word, a number)."""
    letters: list[list[str]] = []
    for char in unicodedata.normalize("NFD", run):
        if char in _TONE_MARKS:
            if not letters:
                return None
            letters[-1][2] += char
        elif char in _MODIFIER_BASES:
            if not letters or letters[-1][0].lower() not in _MODIFIER_BASES[char]:
                return None
            if letters[-1][1] and letters[-1][1] != char:
                return None
            letters[-1][1] = char  # a repeated modifier ("ơ" + U+031B) is one modifier
        elif (char.isascii() and char.isalpha()) or char in "đĐ":
            letters.append([char, "", ""])
        else:
            return None
    return letters


@functools.lru_cache(maxsize=1 << 16)
def _canonical_syllable(run: str) -> str:
    """The canonical spelling of one letter run; `run` itself when it is not a Vietnamese syllable."""
    letters = _letters(run)
    if letters is None:
        return run
    spelled = "".join(unicodedata.normalize("NFC", base.lower() + modifier) for base, modifier, _ in letters)
    onset = next((o for o in _ONSETS if spelled.startswith(o)), "")
    if onset == "gi" and spelled[2:3] not in _VOWELS:
        onset = "g"  # "gì", "gìn": the i is the vowel
    elif spelled[:1] == "q" and onset != "qu":
        return run
    if not onset and letters[0][0] == "I" and not letters[0][2] and len(letters) > 1 and letters[1][0].islower():
        return run  # a capital I before lower case is an OCR'd l: "Ià" is "là" (laws), not "ìa"
    first = len(onset)
    last = first
    while last < len(spelled) and spelled[last] in _VOWELS:
        last += 1
    cluster, coda = spelled[first:last], spelled[last:]
    closed = bool(coda)
    if not cluster or coda not in _CODAS:
        return run
    if cluster not in (_CLOSED_CLUSTERS if closed else _OPEN_CLUSTERS):
        repaired = _CLUSTER_REPAIRS.get((cluster, closed)) or _ONSET_CLUSTER_REPAIRS.get((onset, cluster))
        if repaired is None:
            return run
        for offset, (written, right) in enumerate(zip(cluster, repaired, strict=True)):
            if written != right:
                letters[first + offset][1] = unicodedata.normalize("NFD", right)[1:]
        cluster = repaired
    # Tone marks on vowels, the u of qu and the i of gi included ("qũy"); one on a consonant
    # is a stray when a vowel has one ("Lạng" + U+0323), else the run is not a syllable.
    tones = [(index, tone) for index, letter in enumerate(letters) for tone in letter[2] if spelled[index] in _VOWELS]
    if not tones and any(letter[2] for letter in letters):
        return run
    modified = [index for index, vowel in enumerate(cluster) if vowel in _MODIFIED]
    if modified:
        target = first + modified[-1]
    elif closed:
        target = last - 1
    else:
        target = first + (1 if len(cluster) == 3 else 0)
    # Two tone marks: keep the one already where the mark belongs, else the first written.
    tone = next((t for index, t in tones if index == target), tones[0][1] if tones else "")
    rebuilt = "".join(
        base + modifier + (tone if index == target else "") for index, (base, modifier, _) in enumerate(letters)
    )
    return unicodedata.normalize("NFC", rebuilt)


def _vowel_class(bases: str, *, untoned: bool, toned: bool) -> str:
    chars = []
    for base in bases:
        for letter in (base, base.upper()):
            if untoned:
                chars.append(letter)
            if toned:
                chars.extend(unicodedata.normalize("NFC", letter + tone) for tone in _TONE_MARKS)
    return "".join(chars)


_PLAIN_VOWELS = "aeiouy"
_T0 = _vowel_class(_PLAIN_VOWELS, untoned=False, toned=True)  # toned vowel without modifier
_TM = _vowel_class("ăâêôơư", untoned=False, toned=True)  # toned vowel with modifier
_V = _vowel_class("aăâeêioôơuưy", untoned=True, toned=True)  # any vowel
_VU = _vowel_class("aăâeêioôơuưy", untoned=True, toned=False)  # untoned vowel
_M = _vowel_class("ăâêôơư", untoned=True, toned=True)  # vowel with modifier
_LETTER = r"[^\W\d_]"
_COMBINING = "\u0300-\u036f"
_U = _vowel_class("u", untoned=True, toned=True)
_O = _vowel_class("o", untoned=True, toned=True)
_OHORN = _vowel_class("ơ", untoned=True, toned=True)
_UHORN = _vowel_class("ư", untoned=True, toned=True)
# Where a well-formed syllable never has a mark: the fast path. Almost every syllable of clean
# text is skipped here; only a match is parsed, with its whole letter run, by
# _canonical_syllable (cached). The regex starts with one character class, so that the engine
# skips every other character without trying the alternatives, and the alternatives are
# grouped by the character after it, so that a well-placed mark fails after two or three tests.
_CANDIDATE_RE = re.compile(
    f"[{_T0}{_TM}ơƠưƯ{_COMBINING}]"
    "(?:"
    # -- then a vowel --
    f"[{_V}](?:"
    # a toned vowel before another toned vowel ("dàì"), or before a vowel and more letters
    # ("hòan", "ngòai", "lựơng"): the mark belongs further right
    f"(?<=[{_T0}{_TM}].)(?:(?<=[{_T0}{_TM}])|(?={_LETTER}))"
    # a toned plain vowel before one with a modifier ("Húê", "búơc")
    f"|(?<=[{_T0}][{_M}])"
    # the u of qu or the i of gi toned ("qúa", "gìa")
    f"|(?<=[qQ][{_vowel_class('u', untoned=False, toned=True)}].|[gG][{_vowel_class('i', untoned=False, toned=True)}].)"
    # ưo: "nưóc", "ngưòi"
    f"|(?<=[{_UHORN}][{_O}])"
    # "thưở"
    f"|(?<=[tT][hH][ưƯ][{_OHORN}])(?!{_LETTER})"
    ")"
    # -- after a vowel --
    f"|(?<=[{_V}].)(?:"
    # an open pair toned on its second vowel ("hoà", "thuỷ", "đaị"), unless that pair is qu/gi
    # + vowel ("quý", "giá"; but "ngiụ" is ng + iu)
    f"(?<=[{_VU}][{_T0}])(?<![qQ][uU].)(?:(?<![gG][iI].)|(?<=[nN][gG][iI].))(?!{_LETTER})"
    # uơ before more letters: "buớc", "nguời" (closed, or ươi/ươu)
    f"|(?<=[{_U}][{_OHORN}])(?={_LETTER})"
    ")"
    # a combining mark NFC could not compose: a second tone mark, a repeated horn
    f"|(?<=[{_COMBINING}])"
    ")"
)


def _is_run_char(char: str) -> bool:
    return char.isalnum() or "\u0300" <= char <= "\u036f"


_RUN_END_RE = re.compile(f"(?:[^\\W_]|[{_COMBINING}])*")
# "nghiêng", "khuyếch" are 7 letters; room for stray marks.
_LONGEST_RUN = 12


def _glued(text: str, start: int, end: int) -> bool:
    """Is text[start:end] part of a longer word split by Markdown emphasis ("**Q****uỹ**")?"""
    before = start
    while before > 0 and text[before - 1] == "*":
        before -= 1
    if before < start and before > 0 and text[before - 1].isalpha():
        return True
    after = end
    while after < len(text) and text[after] == "*":
        after += 1
    return end < after < len(text) and text[after].isalpha()


def _respell(text: str, repairs: list[tuple[str, str]] | None = None) -> str:
    """Rewrite each syllable of NFC `text` that the fast path flags to its canonical spelling."""
    pieces: list[str] = []
    copied = 0  # text[:copied] is in pieces
    scanned = 0  # letter runs before this offset have been checked
    for match in _CANDIDATE_RE.finditer(text):
        position = match.start()
        if position < scanned:
            continue
        start = position
        while start > scanned and _is_run_char(text[start - 1]):
            start -= 1
        run_end = _RUN_END_RE.match(text, position)
        end = scanned = run_end.end() if run_end else position + 1
        run = text[start:end]
        if len(run) > _LONGEST_RUN:
            continue  # glued words or a foreign word: not one syllable, and not worth a cache entry
        canonical = _canonical_syllable(run)
        if canonical == run or _glued(text, start, end):
            continue
        pieces += (text[copied:start], canonical)
        copied = end
        if repairs is not None:
            repairs.append((run, canonical))
    if not pieces:
        return text
    pieces.append(text[copied:])
    return "".join(pieces)


_MULTISPACE_RE = re.compile(r"[ ]{2,}")


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
    (U+00D0) mapped to Đ; NFC; every Vietnamese syllable in its canonical spelling (tone mark
    placement, modifiers, one tone mark: see _canonical_syllable). Runs of spaces are kept as
    they are (offsets stay meaningful to a reader of the source); collapse them at display
    time if needed.
    """
    if not text:
        return ""
    return _respell(_clean(text))


def spelling_repairs(text: str) -> list[tuple[str, str]]:
    """The syllables of `text` that `normalize` respells, as (as written, canonical) pairs.

    "As written" is after NFC and the removal of invisible characters. In order of first
    occurrence, without repeats: for `vnsearch tokenize` to show what was repaired.
    """
    repairs: list[tuple[str, str]] = []
    if text:
        _respell(_clean(text), repairs)
    return list(dict.fromkeys(repairs))


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
# "Not after a letter, digit, / or -" is checked after the first digit, (?<![\w/-]\d), not
# before it, (?<![\w/-])\d: the same condition, but a pattern that starts with a digit lets the
# regex engine skip at C speed to the next digit instead of trying the whole pattern at every
# position (find_numbers over every text read took 2.5 times as long).
_CODE = r"[A-ZĐ][A-ZĐ0-9]*(?:[a-zđ]+[A-ZĐ0-9]*)?"
DOCUMENT_NUMBER_RE = re.compile(
    rf"\d(?<![\w/-]\d)\d{{0,5}}(?:/\d{{4}})?(?:[-/]{_CODE})+(?![\w/])"
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
