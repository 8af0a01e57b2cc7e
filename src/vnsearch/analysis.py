"""From normalised text to index terms: syllables, pyvi words, folded twins, numbers.

Each document is analysed once, in a worker process, into the exact posting items Whoosh
writes (`PreanalyzedText` passes them through), so the writing process only writes. The
same functions analyse queries, so documents and queries always meet on the same terms.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pickle import dumps
from typing import Any

from whoosh import analysis, fields
from whoosh.system import pack_uint

from .text import fold

# A syllable is a run of letters/digits: punctuation and spaces between syllables are skipped,
# so "phòng, chống" gives two adjacent positions.
SYLLABLE_RE = re.compile(r"[^\W_]+")


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


def pairs(terms: Sequence[str]) -> list[str]:
    """Adjacent syllable pairs ("tham nhũng"): cheap proximity and word evidence for ranking,
    found by term lookup instead of position matching."""
    return [a + " " + b for a, b in zip(terms, terms[1:], strict=False)]


def folded(terms: Sequence[str]) -> list[str]:
    return [fold(term) for term in terms]


def word_terms(words: Sequence[str]) -> list[str]:
    """pyvi words ("Thường_vụ") -> terms of the word fields, punctuation dropped."""
    terms = []
    for word in words:
        if SYLLABLE_RE.search(word):
            terms.append(word.lower())
    return terms


# -- Whoosh posting items -------------------------------------------------------------------
# These mirror whoosh.formats.Positions/Frequency.word_values byte for byte (a test compares
# them with Whoosh's own output), so an index written this way reads like any other.

PostingItems = list[tuple[bytes, int, float, bytes]]


def positional_items(terms: Sequence[str]) -> PostingItems:
    positions: dict[str, list[int]] = {}
    for pos, term in enumerate(terms):
        positions.setdefault(term, []).append(pos)
    items = []
    for term, poslist in positions.items():
        deltas = [poslist[0]] + [b - a for a, b in zip(poslist, poslist[1:], strict=False)]
        items.append(
            (term.encode("utf-8"), len(poslist), float(len(poslist)), pack_uint(len(deltas)) + dumps(deltas, 2))
        )
    return items


def frequency_items(terms: Sequence[str]) -> PostingItems:
    counts: dict[str, int] = {}
    for term in terms:
        counts[term] = counts.get(term, 0) + 1
    return [(term.encode("utf-8"), n, float(n), pack_uint(n)) for term, n in counts.items()]


class Preanalyzed(list):  # type: ignore[type-arg]
    """Posting items computed elsewhere; `PreanalyzedText.index` passes them through."""


class PreanalyzedText(fields.TEXT):
    """A TEXT field that accepts `Preanalyzed` items (the indexer) or plain text (anyone else)."""

    def index(self, value: Any, **kwargs: Any) -> Iterator[tuple[bytes, int, float, bytes]]:
        if isinstance(value, Preanalyzed):
            return iter(value)
        return super().index(value, **kwargs)


# -- Whoosh analyzers -----------------------------------------------------------------------
# Declared on the schema so that Whoosh tools (and anyone adding plain text) analyse the same
# way as the pre-analysed path.


class FoldFilter(analysis.Filter):
    """Removes Vietnamese diacritics (đ -> d included)."""

    def __call__(self, tokens: Iterator[Any]) -> Iterator[Any]:
        for token in tokens:
            token.text = fold(token.text)
            yield token


def syllable_analyzer() -> analysis.Analyzer:
    return analysis.RegexTokenizer(SYLLABLE_RE.pattern) | analysis.LowercaseFilter()


def folded_syllable_analyzer() -> analysis.Analyzer:
    return syllable_analyzer() | FoldFilter()


def word_analyzer() -> analysis.Analyzer:
    """For pre-segmented text ("ban thường_vụ tỉnh_ủy"): split on spaces, lowercase."""
    return analysis.RegexTokenizer(r"\S+") | analysis.LowercaseFilter()
