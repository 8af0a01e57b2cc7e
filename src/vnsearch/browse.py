"""Browsing: a search with no words to look for lists the documents within its filters.

Text with no words is still an error on its own ("no words to look for": a slip, not a wish to
list the whole index), but with a filter given as an option (committee=, doc_type=, a date
bound) it is a browse, and so is a query of filters alone (`committee:"Bộ Chính trị"`). A
browse has nothing to rank by relevance: its documents come newest first whatever the sort.
`Index.browse` lists the whole index the same way, with or without filters.
"""

from __future__ import annotations

from .query import ParsedQuery, parse


def parse_or_browse(text: str, *, filtered: bool) -> ParsedQuery:
    """`query.parse(text)`, or the empty query when the text is blank and `filtered`."""
    if filtered and isinstance(text, str) and not text.strip():
        return ParsedQuery()
    return parse(text)


def is_browse(parsed: ParsedQuery) -> bool:
    """Nothing to look for or to rank by: only filters (and perhaps words to exclude)."""
    return not parsed.groups


def browse_sort(parsed: ParsedQuery, sort: str) -> str:
    """The sort that runs: newest first for a browse, else the one asked for."""
    return "date" if is_browse(parsed) else sort
