"""The one analysis: normalised text -> the terms every engine indexes and every query looks up.

Documents (indexing), queries (planning) and `vnsearch tokenize` all call `analyze_text`, so a
document and a query always meet on the same terms. The terms, per text:

- syllables: letter/digit runs, lowercased, with positions (punctuation skipped, so "phòng,
  chống" gives two adjacent positions): phrases and exact-spelling matching;
- folded syllables: the same without diacritics (đ -> d): queries typed without diacritics;
- pairs: adjacent folded syllables ("tham nhung"): proximity and word evidence for ranking by
  term look-up, no position matching;
- words: pyvi's words, lowercased ("thường_vụ"), punctuation dropped: precision for ranking.

Engines store these under the logical field names below; how (postings, columns, an RT index
of a cluster) is theirs to decide.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from .documents import Document
from .text import fold, number_key

# A syllable is a run of letters/digits: punctuation and spaces between syllables are skipped.
SYLLABLE_RE = re.compile(r"[^\W_]+")

# Logical fields, per part of a document ("title_…", "body_…").
SYLLABLES, FOLDED, PAIRS, WORDS = "", "_folded", "_pairs_folded", "_words"
PARTS = ("title", "body")
NUMBER, CITES = "number", "cites"  # document numbers under number_key(): own, and own + cited
FACETS = ("committee", "doc_type", "year")

# Bump when the terms a text gives change: documents are then analysed again.
ANALYSIS_VERSION = 4  # 3: canonical spelling of every syllable; 4: plain text from Markdown, canonical bodies


@dataclass(frozen=True, slots=True)
class Span:
    """A token and where it sits in the (normalised, stored) text."""

    text: str
    start: int
    end: int


def syllable_spans(text: str) -> list[Span]:
    """Syllables of `text`, as written, with exact character offsets."""
    return [Span(m.group(0), m.start(), m.end()) for m in SYLLABLE_RE.finditer(text)]


def syllables(text: str) -> list[str]:
    """Lowercased syllables: the terms of the syllable fields."""
    return SYLLABLE_RE.findall(text.lower())


# Joins two syllables into a pair term: `pair` and `pairs` both join with it, so that the one
# rule holds whether one pair or a whole text's are made (`pairs` maps it over the text at C
# speed, a third faster than a Python-level join per pair). Syllables hold no space, so an
# engine may split a pair term at its first PAIR_SEPARATOR (the Whoosh engine's pair files).
PAIR_SEPARATOR = " "
_JOIN_PAIR = PAIR_SEPARATOR.join


def pair(a: str, b: str) -> str:
    """The term of two adjacent syllables: the one place where pairs are joined."""
    return _JOIN_PAIR((a, b))


def pairs(terms: Sequence[str]) -> list[str]:
    """Adjacent syllable pairs ("tham nhũng")."""
    return list(map(_JOIN_PAIR, zip(terms, terms[1:], strict=False)))


class TermCache(dict[str, str]):
    """`function`'s results by argument, computed on first use, for per-term work on terms
    that repeat: a text of millions of syllables has only tens of thousands of distinct
    ones, so a look-up replaces most calls. Emptied when it holds `size` entries, so that
    its memory stays bounded whatever the corpus (numbers and foreign words keep coming)."""

    def __init__(self, function: Callable[[str], str], size: int) -> None:
        super().__init__()
        self.function = function
        self.size = size

    def __missing__(self, key: str) -> str:
        value = self.function(key)
        if len(self) >= self.size:
            self.clear()
        self[key] = value
        return value


# Entries per cache: some 13 MB when full, and more than a corpus's distinct terms (news-politics
# has 14,000 distinct syllables and 42,000 distinct words).
TERM_CACHE_SIZE = 1 << 16
_FOLDED = TermCache(fold, TERM_CACHE_SIZE)
# A word's term, or "" for a word without a letter or digit (punctuation), which is dropped.
_WORD_TERM = TermCache(lambda word: word.lower() if SYLLABLE_RE.search(word) else "", TERM_CACHE_SIZE)


def folded(terms: Sequence[str]) -> list[str]:
    return list(map(_FOLDED.__getitem__, terms))


def word_terms(words: Sequence[str]) -> list[str]:
    """pyvi words ("Thường_vụ") -> terms of the word fields, punctuation dropped."""
    return list(filter(None, map(_WORD_TERM.__getitem__, words)))


@dataclass(frozen=True)
class TextAnalysis:
    """The terms of one normalised text."""

    syllables: tuple[str, ...]
    folded: tuple[str, ...]
    pairs: tuple[str, ...]  # adjacent folded syllables
    words: tuple[str, ...]  # empty when words were not asked for

    def to_dict(self) -> dict[str, list[str]]:
        return {"syllables": list(self.syllables), "folded_syllables": list(self.folded),
                "pairs": list(self.pairs), "words": list(self.words)}


def analyze_text(text: str, *, words: bool = True) -> TextAnalysis:
    """Terms of normalised `text`; `words=False` skips pyvi (which loads its model on first use)."""
    terms = syllables(text)
    folded_terms = folded(terms)
    word_list: list[str] = []
    if words and terms:
        from .segment import segment_words  # lazily: loads the CRF model

        word_list = word_terms(segment_words(text))
    return TextAnalysis(tuple(terms), tuple(folded_terms), tuple(pairs(folded_terms)), tuple(word_list))


@dataclass(frozen=True)
class AnalyzedDocument:
    """A document and everything an engine indexes about it."""

    document: Document
    fingerprint: str
    title: TextAnalysis
    body: TextAnalysis
    numbers: tuple[str, ...]  # number_key of its own number
    cites: tuple[str, ...]  # number_key of its own and every cited number


def fingerprint(document: Document) -> str:
    """Changes whenever anything indexed or stored about the document changes."""
    payload = json.dumps([ANALYSIS_VERSION, document.to_dict()], ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.blake2b(payload.encode("utf-8"), digest_size=16).hexdigest()


def analyze_document(document: Document, known_fingerprint: str | None = None) -> AnalyzedDocument:
    """The analysis of one (normalised) document. Runs in indexing worker processes."""
    numbers = (number_key(document.number),) if document.number else ()
    cites = tuple(sorted({number_key(n) for n in document.cited_numbers} | set(numbers)))
    return AnalyzedDocument(
        document=document,
        fingerprint=known_fingerprint or fingerprint(document),
        title=analyze_text(document.title),
        body=analyze_text(document.text),
        numbers=numbers,
        cites=cites,
    )
