"""The index schema, and the mapping from a Document to the values Whoosh writes.

`FORMAT_VERSION` names the on-disk layout: bump it whenever a field, an analyzer or the
meaning of a term changes, so older indexes are refused with a "rebuild" message instead of
giving wrong results.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from whoosh import fields

from . import analysis
from .analysis import Preanalyzed, PreanalyzedText, frequency_items, positional_items
from .documents import Document
from .segment import segment
from .text import number_key

FORMAT_VERSION = 2

FACETS = ("committee", "doc_type", "year")


def build_schema() -> fields.Schema:
    syllable = analysis.syllable_analyzer()
    folded = analysis.folded_syllable_analyzer()
    words = analysis.word_analyzer()
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


def fingerprint(document: Document) -> str:
    """Changes whenever anything indexed or stored about the document changes."""
    payload = json.dumps([FORMAT_VERSION, document.to_dict()], ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.blake2b(payload.encode("utf-8"), digest_size=16).hexdigest()


def _word_texts(text: str) -> list[str]:
    return [word.text for word in segment(text)]


def analyze(document: Document, known_fingerprint: str | None = None) -> dict[str, Any]:
    """Everything `writer.add_document` needs for one document. Runs in worker processes."""
    title_syllables = analysis.syllables(document.title)
    body_syllables = analysis.syllables(document.text)
    title_folded = analysis.folded(title_syllables)
    body_folded = analysis.folded(body_syllables)
    values: dict[str, Any] = {
        "id": document.id,
        "fingerprint": known_fingerprint or fingerprint(document),
        "title": Preanalyzed(positional_items(title_syllables)),
        "_stored_title": document.title,
        "title_folded": Preanalyzed(positional_items(title_folded)),
        "title_words": Preanalyzed(frequency_items(analysis.word_terms(_word_texts(document.title)))),
        "title_pairs_folded": Preanalyzed(frequency_items(analysis.pairs(title_folded))),
        "body": Preanalyzed(positional_items(body_syllables)),
        "_stored_body": document.text,
        "body_folded": Preanalyzed(positional_items(body_folded)),
        "body_words": Preanalyzed(frequency_items(analysis.word_terms(_word_texts(document.text)))),
        "body_pairs_folded": Preanalyzed(frequency_items(analysis.pairs(body_folded))),
        "meta": json.dumps(
            {
                "number": document.number,
                "url": document.url,
                "cited_numbers": list(document.cited_numbers),
                "extras": dict(document.extras),
            },
            ensure_ascii=False,
            default=str,
        ),
    }
    if document.number:
        values["number"] = [number_key(document.number)]
    cited = sorted({number_key(n) for n in document.cited_numbers} | set(values.get("number", [])))
    if cited:
        values["cites"] = cited
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
