"""The Whoosh schema, and an analysed document as the values Whoosh writes.

`FORMAT_VERSION` names the on-disk layout: bump it whenever a field, an analyzer, the import
path of a class pickled into the schema, or the meaning of a term changes, so older indexes are
refused with a "rebuild" message instead of giving wrong results.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from pickle import dumps
from typing import Any

from whoosh import analysis, fields
from whoosh.system import pack_uint

from ...analysis import SYLLABLE_RE, AnalyzedDocument
from ...documents import Document
from ...text import fold

# 3: classes moved to engine/whoosh; 4: canonical spelling; 5: plain text from Markdown,
# canonical bodies; 6: the pair fields in pair files (pairs.py), folded fields derived
FORMAT_VERSION = 6

# Folded syllable fields whose postings are not written: a folded syllable's postings are the
# union of those of its spellings in the exact field (its positions too), read so by
# `postings.WhooshSnapshot`. Their field lengths (equal to the exact field's) are still written.
FOLDED_FROM = {"body_folded": "body", "title_folded": "title"}
# Pair fields and the syllable field whose folded adjacent pairs they hold: vnsearch's writer
# derives their postings from that field's tokens (`Terms` given for both, as `whoosh_values`
# gives them) instead of interning every pair as a string.
PAIRS_FROM = {"body_pairs_folded": "body", "title_pairs_folded": "title"}

# -- posting items ----------------------------------------------------------------------------
# These mirror whoosh.formats.Positions/Frequency.word_values byte for byte (a test compares
# them with Whoosh's own output): how a Whoosh writer other than vnsearch's indexes `Terms`.

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


class Terms(tuple):  # type: ignore[type-arg]
    """A field's terms in text order, analysed elsewhere. vnsearch's writer (`writer.Writer`)
    puts them in its posting arrays as they are; `PreanalyzedText.index` turns them into
    Whoosh's posting items, so any other Whoosh writer indexes them the same way."""


class PreanalyzedText(fields.TEXT):
    """A TEXT field that accepts `Terms` (the indexer) or plain text (anyone else)."""

    def index(self, value: Any, **kwargs: Any) -> Iterator[tuple[bytes, int, float, bytes]]:
        if isinstance(value, Terms):
            return iter(positional_items(value) if self.format.supports("positions") else frequency_items(value))
        return super().index(value, **kwargs)


# -- Whoosh analyzers -------------------------------------------------------------------------
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


def build_schema() -> fields.Schema:
    syllable = syllable_analyzer()
    folded = folded_syllable_analyzer()
    words = word_analyzer()
    return fields.Schema(
        id=fields.ID(stored=True, unique=True, sortable=True),
        fingerprint=fields.ID(sortable=True),
        # Title and body: syllables with positions (phrases across punctuation), their
        # diacritic-free twins, and pyvi words (precision for ranking).
        title=PreanalyzedText(analyzer=syllable, phrase=True, stored=True),
        title_folded=PreanalyzedText(analyzer=folded, phrase=True),
        title_words=PreanalyzedText(analyzer=words, phrase=False),
        title_pairs_folded=PreanalyzedText(analyzer=words, phrase=False),
        body=PreanalyzedText(analyzer=syllable, phrase=True, stored=True),
        body_folded=PreanalyzedText(analyzer=folded, phrase=True),
        body_words=PreanalyzedText(analyzer=words, phrase=False),
        # Adjacent syllable pairs, folded: proximity for ranking by term lookup, no position matching.
        body_pairs_folded=PreanalyzedText(analyzer=words, phrase=False),
        # Document numbers, whole, under number_key(): the document's own and those it cites.
        number=fields.KEYWORD(lowercase=False, commas=True, scorable=True),
        cites=fields.KEYWORD(lowercase=False, commas=True, scorable=True),
        committee=fields.ID(stored=True, sortable=True),
        doc_type=fields.ID(stored=True, sortable=True),
        year=fields.ID(sortable=True),
        date=fields.ID(stored=True, sortable=True),
        meta=fields.STORED(),  # number, url, cited numbers, extras: JSON
    )


def whoosh_values(analyzed: AnalyzedDocument) -> dict[str, Any]:
    """Everything `writer.add_document` needs for one analysed document."""
    document = analyzed.document
    values: dict[str, Any] = {"id": document.id, "fingerprint": analyzed.fingerprint}
    for part, terms, stored in (("title", analyzed.title, document.title), ("body", analyzed.body, document.text)):
        values[part] = Terms(terms.syllables)
        values[f"_stored_{part}"] = stored
        values[f"{part}_folded"] = Terms(terms.folded)
        values[f"{part}_words"] = Terms(terms.words)
        values[f"{part}_pairs_folded"] = Terms(terms.pairs)
    values["meta"] = json.dumps(
        {
            "number": document.number,
            "url": document.url,
            "cited_numbers": list(document.cited_numbers),
            "extras": dict(document.extras),
        },
        ensure_ascii=False,
        default=str,
    )
    if analyzed.numbers:
        values["number"] = list(analyzed.numbers)
    if analyzed.cites:
        values["cites"] = list(analyzed.cites)
    for name in ("committee", "doc_type", "date"):
        value = getattr(document, name)
        if value:
            values[name] = value
    if document.year:
        values["year"] = document.year
    return values


def document_from_stored(stored: dict[str, Any]) -> Document:
    """Rebuild a Document from a hit's stored fields."""
    meta = json.loads(stored.get("meta") or "{}")
    return Document(
        id=stored["id"],
        title=stored.get("title", ""),
        text=stored.get("body", ""),
        date=stored.get("date"),
        committee=stored.get("committee"),
        doc_type=stored.get("doc_type"),
        number=meta.get("number"),
        url=meta.get("url"),
        cited_numbers=tuple(meta.get("cited_numbers") or ()),
        extras=meta.get("extras") or {},
    )
