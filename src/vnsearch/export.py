"""Taking results away: every match of a search as CSV or JSON Lines, streamed page by page.

The pages come from the caller (`next_page(n)`: the same search, page n), so only one page of
hits is held at a time, whatever the engine, and a reader who stops (`| head`, a closed
download) stops the searching too. Rows are the match set that `total` counts: the near matches
a relevance ranking lists after them (documents lacking one of the words) are left out.

Each page is a search of the index as it is at that moment: documents written while an export
runs can shift rows between pages (one repeated or missed); an index nobody writes exports exactly.

Columns: id, title, date, committee, type, number, url, score and the first snippet as plain
text. CSV cells that a spreadsheet would run as a formula (=, +, -, @ first) get a leading "'".
"""

from __future__ import annotations

import csv
import html
import io
import json
import re
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from . import defaults
from .results import Hit, SearchResult

FORMATS = ("csv", "jsonl")
COLUMNS = ("id", "title", "date", "committee", "type", "number", "url", "score", "snippet")
PAGE_SIZE = defaults.MAX_PAGE_SIZE  # hits fetched per search while exporting
BLOCK_ROWS = 100  # rows written at a time
# Paging stops at defaults.MAX_PAGE: the most an export can hold.
MAX_ROWS = defaults.MAX_PAGE * PAGE_SIZE

_TAG_RE = re.compile(r"<[^>]*>")
_FORMULA_FIRST = ("=", "+", "-", "@", "\t", "\r")


def matches(first: SearchResult, next_page: Callable[[int], SearchResult], *, max_rows: int | None = None) -> Iterator[Hit]:
    """Every hit in the match set, from `first` (page 1) on, up to `max_rows`."""
    result, sent = first, 0
    while True:
        for hit in page_matches(result):
            if max_rows is not None and sent >= max_rows:
                return
            yield hit
            sent += 1
        if not result.hits or result.page >= min(result.pages, defaults.MAX_PAGE):
            return
        result = next_page(result.page + 1)


def page_matches(result: SearchResult) -> Iterator[Hit]:
    """The hits of one page that are in the match set (not near matches, beyond `total`)."""
    return (hit for hit in result.hits if not hit.missing)


def row(hit: Hit) -> dict[str, Any]:
    """One exported row: the hit's metadata, score and first snippet as plain text."""
    return {
        "id": hit.id,
        "title": hit.title,
        "date": hit.date,
        "committee": hit.committee,
        "type": hit.doc_type,
        "number": hit.number,
        "url": hit.url,
        "score": round(hit.score, 4),
        "snippet": plain_text(hit.snippets[0]) if hit.snippets else "",
    }


def plain_text(snippet_html: str) -> str:
    """Snippet HTML (escaped text, matches in <mark>) -> its text on one line."""
    return " ".join(html.unescape(_TAG_RE.sub("", snippet_html)).split())


def blocks(hits: Iterable[Hit], fmt: str, *, header: bool = True) -> Iterator[str]:
    """The rows as text in blocks of BLOCK_ROWS (a CSV starts with its header line)."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}")
    lines: list[str] = [_csv_line(COLUMNS)] if fmt == "csv" and header else []
    for hit in hits:
        data = row(hit)
        if fmt == "csv":
            lines.append(_csv_line(_spreadsheet_safe(data[name]) for name in COLUMNS))
        else:
            lines.append(json.dumps(data, ensure_ascii=False) + "\n")
        if len(lines) >= BLOCK_ROWS:
            yield "".join(lines)
            lines = []
    if lines:
        yield "".join(lines)


def _csv_line(cells: Iterable[Any]) -> str:
    out = io.StringIO()
    csv.writer(out).writerow(["" if cell is None else cell for cell in cells])
    return out.getvalue()


def _spreadsheet_safe(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(_FORMULA_FIRST):
        return "'" + value
    return value
