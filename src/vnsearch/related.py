"""Related documents: those closest to one document by content and by shared citations.

The document itself becomes a query of bounded size: its most distinctive pyvi words (tf·idf
over the index's `body_words` vocabulary, title words counted extra) and the numbers it holds
in `cites` (its own, so documents citing it rank, and those it cites, so documents citing the
same texts rank). The query's terms are scored with the engine's BM25F like any search's
signals; the document itself is left out. Words come from segmenting the stored text again
(pyvi-style, fast), not from stored term vectors, which the index does not keep.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from typing import Any

import numpy as np

from .analysis import analyze_text
from .citations import DocumentRef
from .engine.base import Snapshot
from .planner import Signal, Term
from .text import number_key

RELATED_SHOWN = 5
WORDS = 20  # distinctive words in the query: its cost does not grow with the document
CITATIONS = 20  # numbers in the query, the rarest first
TEXT_CHARS = 30_000  # a long law's opening is enough to tell its subject, and segmenting all of it is not
TITLE_BOOST = 3  # a title word counts as this many occurrences in the body
COMMON_SHARE = 0.2  # words in more than this share of documents say nothing of a subject...
COMMON_FROM = 100  # ...in an index this large (in a tiny one every word is in a fifth of it)
WORD_WEIGHT = 1.0
CITATION_WEIGHT = 3.0  # a shared rare citation is strong evidence: a few words' worth


@dataclass(frozen=True)
class RelatedDocument:
    document: DocumentRef
    score: float
    shared_citations: int  # numbers of the query this document holds in `cites`

    def to_dict(self) -> dict[str, Any]:
        return {**self.document.to_dict(), "score": round(self.score, 4), "shared_citations": self.shared_citations}


def related(snapshot: Snapshot, docnum: int, *, limit: int = RELATED_SHOWN) -> tuple[RelatedDocument, ...]:
    """The `limit` documents closest to `docnum`, best first (ties by id), none scoring zero."""
    document = snapshot.document(docnum)
    word_signals = [Signal("related word", Term(field, word), weight)
                    for word, weight in distinctive_words(snapshot, document.title, document.text)
                    for field in ("body_words", "title_words")]
    citation_terms = shared_citation_terms(snapshot, document.number, document.cited_numbers)
    signals = word_signals + [Signal("related citation", term, CITATION_WEIGHT) for term in citation_terms]
    if not signals:
        return ()
    scores = snapshot.scores(signals)
    scores[docnum] = 0.0
    scores[~snapshot.live] = 0.0
    candidates = np.flatnonzero(scores > 0)
    if len(candidates) > limit:
        candidates = candidates[np.argpartition(-scores[candidates], limit)[:limit]]
    _, id_codes = snapshot.codes("id")
    order = np.lexsort((id_codes[candidates], -np.round(scores[candidates].astype(np.float64), 5)))
    best = candidates[order]
    shared = np.zeros(len(best), dtype=np.int64)
    for term in citation_terms:
        shared += snapshot.mask(term)[best]
    found = []
    for docnum_found, score, count in zip(best, scores[best], shared, strict=True):
        other = snapshot.document(int(docnum_found))
        ref = DocumentRef(other.id, other.title, other.date, other.number)
        found.append(RelatedDocument(ref, float(score), int(count)))
    return tuple(found)


def distinctive_words(snapshot: Snapshot, title: str, text: str) -> list[tuple[str, float]]:
    """The document's WORDS most distinctive words, by (1 + log tf) x idf, with their query
    weights (1 + log tf): sublinear, so a word repeated all through a long text does not
    outweigh the rarer words naming its subject."""
    counts = Counter(analyze_text(text[:TEXT_CHARS]).words)
    for word in analyze_text(title).words:
        counts[word] += TITLE_BOOST
    frequencies = snapshot.vocabulary("body_words")
    documents = max(snapshot.doc_count(), 1)
    scored = []
    common = COMMON_SHARE * documents if documents >= COMMON_FROM else documents
    for word, count in counts.items():
        df = frequencies.get(word, 0)
        # Held by no other document, a word finds nothing; digits are dates and article numbers.
        if df < 2 or df > common or any(c.isdigit() for c in word):
            continue
        weight = 1 + math.log(count)
        scored.append((weight * math.log(1 + documents / df), word, weight))
    scored.sort(key=lambda item: (-item[0], item[1]))
    return [(word, WORD_WEIGHT * weight) for _, word, weight in scored[:WORDS]]


def shared_citation_terms(snapshot: Snapshot, number: str | None, cited: tuple[str, ...]) -> list[Term]:
    """`cites` terms of the document's own and cited numbers held by some other document, rarest first."""
    keys = dict.fromkeys(number_key(n) for n in ((number,) if number else ()) + cited)
    frequencies = snapshot.vocabulary("cites")
    held = sorted((frequencies.get(key, 0), key) for key in keys if frequencies.get(key, 0) >= 2)
    return [Term("cites", key) for _, key in held[:CITATIONS]]
