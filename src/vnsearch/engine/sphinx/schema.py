"""What a Sphinx node stores for vnsearch: fields as token streams, attributes, stored text.

vnsearch analyses every document itself (`analysis.analyze_document`) and sends Sphinx the
terms of each logical field as space-joined tokens, so Sphinx's own tokenizer has nothing to
decide: its `charset_table` (CHARSET_TABLE) keeps every token whole.

Tokens carry their field's code ("b_tham", "bw_tham_nhũng", "bp_tham_nhung"). Sphinx keeps one
dictionary per index across fields, so without the code "tham" in titles and "tham" in bodies
would share one document frequency, and the title signals' IDF (Whoosh's is per field) would
be wrong. With it, a token names its field: a query needs no `@field` limits, and the per-token
statistics of `CALL KEYWORDS` are per-field statistics.

Terms are encoded so that only characters of the charset table remain (others become
`ǂ<hex>ǂ`), pairs "a b" become "a_b", and a token longer than Sphinx keeps (it cuts keywords
at 42 characters, so two long words would meet on their first 42) becomes a hash.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from ...analysis import AnalyzedDocument
from ...documents import Document

# Logical field (analysis / planner) -> the Sphinx field holding it and its token code.
FIELD_CODES: dict[str, str] = {
    "title": "t", "title_folded": "tf", "title_words": "tw", "title_pairs_folded": "tp",
    "body": "b", "body_folded": "bf", "body_words": "bw", "body_pairs_folded": "bp",
    "number": "n", "cites": "c",
}
FIELDS = tuple(FIELD_CODES)

# Stored attributes: everything `document_from_row` needs, plus filter and sort columns.
STRING_ATTRS = ("doc_id", "fingerprint", "title_text", "body_text", "date_text", "committee", "doc_type", "meta")
UINT_ATTRS = ("date", "year")  # date as YYYYMMDD (0: undated), year (0: none)
# Tokens in each field (the folded twin has as many as its field, pairs one fewer): Sphinx 2.2
# keeps no average field length for RT indexes, which BM25 needs; vnsearch sums these.
LENGTH_ATTRS = {"title": "len_title", "title_words": "len_title_words", "body": "len_body",
                "body_words": "len_body_words", "number": "len_number", "cites": "len_cites"}

# Digits, ASCII letters, "_" (pyvi's word joiner, and the pair joiner here) and Latin letters
# through U+1EFF (every Vietnamese letter, NFC). Nothing is case-folded: terms come lowercased.
CHARSET_TABLE = "0..9, a..z, _, U+00C0..U+1EFF"
ESCAPE = "\u01c2"  # "ǂ": inside the charset, never in Vietnamese text; marks escapes and hashes
MAX_TOKEN_CHARS = 40  # Sphinx keeps 42 characters of a keyword (SPH_MAX_WORD_LEN)
# A token present in every document: the positive part of a query that only filters or
# only excludes (Sphinx cannot run a lone NOT).
EVERY_DOCUMENT = "n_" + ESCAPE


def _safe(char: str) -> bool:
    code = ord(char)
    return ("0" <= char <= "9" or "a" <= char <= "z" or char == "_" or 0xC0 <= code <= 0x1EFF) and char != ESCAPE


def token(field: str, term: str) -> str:
    """The Sphinx token of `term` in the logical field `field`."""
    text = term.replace(" ", "_")  # pairs: "tham nhung" -> "tham_nhung"
    if not all(map(_safe, text)):
        text = "".join(c if _safe(c) else f"{ESCAPE}{ord(c):x}{ESCAPE}" for c in text)
    result = f"{FIELD_CODES[field]}_{text}"
    if len(result) > MAX_TOKEN_CHARS:
        digest = hashlib.blake2b(term.encode("utf-8"), digest_size=12).hexdigest()
        result = f"{FIELD_CODES[field]}_{ESCAPE}{digest}"
    return result


def sphinx_id(doc_id: str) -> int:
    """Sphinx's document id (a positive 63-bit integer) for a vnsearch id: a stable hash, the
    same on every machine and every run, so a document always lands on the same shard."""
    value = int.from_bytes(hashlib.blake2b(doc_id.encode("utf-8"), digest_size=8).digest(), "big") & (2**63 - 1)
    return value or 1


def shard_of(doc_id: str, shards: int) -> int:
    return sphinx_id(doc_id) % shards


def date_number(date: str | None) -> int:
    """"2012-06-15" -> 20120615 (ordered as the ISO strings are); None -> 0."""
    if not date:
        return 0
    digits = date.replace("-", "")[:8]
    return int(digits.ljust(8, "0")) if digits.isdigit() else 0


def row(analyzed: AnalyzedDocument) -> dict[str, Any]:
    """Column -> value for `REPLACE INTO <shard>`."""
    document = analyzed.document
    values: dict[str, Any] = {"id": sphinx_id(document.id)}
    for part, terms in (("title", analyzed.title), ("body", analyzed.body)):
        values[part] = " ".join(token(part, t) for t in terms.syllables)
        values[f"{part}_folded"] = " ".join(token(f"{part}_folded", t) for t in terms.folded)
        values[f"{part}_words"] = " ".join(token(f"{part}_words", t) for t in terms.words)
        values[f"{part}_pairs_folded"] = " ".join(token(f"{part}_pairs_folded", t) for t in terms.pairs)
    values["number"] = " ".join([EVERY_DOCUMENT, *(token("number", n) for n in analyzed.numbers)])
    values["cites"] = " ".join(token("cites", n) for n in analyzed.cites)
    values.update(
        doc_id=document.id,
        fingerprint=analyzed.fingerprint,
        title_text=document.title,
        body_text=document.text,
        date_text=document.date or "",
        committee=document.committee or "",
        doc_type=document.doc_type or "",
        meta=json.dumps({"number": document.number, "url": document.url, "cited_numbers": list(document.cited_numbers),
                         "extras": dict(document.extras)}, ensure_ascii=False, default=str),
        date=date_number(document.date),
        year=int(document.year) if document.year and document.year.isdigit() else 0,
        len_title=len(analyzed.title.syllables), len_title_words=len(analyzed.title.words),
        len_body=len(analyzed.body.syllables), len_body_words=len(analyzed.body.words),
        len_number=len(analyzed.numbers) + 1, len_cites=len(analyzed.cites),
    )
    return values


COLUMNS = ("id", *FIELDS, *STRING_ATTRS, *UINT_ATTRS, *LENGTH_ATTRS.values())
DOCUMENT_COLUMNS = ("doc_id", "title_text", "body_text", "date_text", "committee", "doc_type", "meta")


def document_from_row(values: dict[str, Any]) -> Document:
    meta = json.loads(values.get("meta") or "{}")
    return Document(
        id=values["doc_id"],
        title=values.get("title_text") or "",
        text=values.get("body_text") or "",
        date=values.get("date_text") or None,
        committee=values.get("committee") or None,
        doc_type=values.get("doc_type") or None,
        number=meta.get("number"),
        url=meta.get("url"),
        cited_numbers=tuple(meta.get("cited_numbers") or ()),
        extras=meta.get("extras") or {},
    )
