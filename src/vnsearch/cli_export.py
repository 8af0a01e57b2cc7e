"""`vnsearch search --format csv|jsonl [--all]` and `--count`: results as data on stdout.

Rows are written a block at a time as the pages are searched (export.py), so `--all` holds one
page in memory, and a reader that stops early (`| head`) ends the run quietly: the block that
finds stdout closed stops the searching (cli_streams.ReaderGone: exit status 0, no traceback).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from . import export
from .cli_streams import emit, tell
from .index import Index
from .messages import render
from .results import Hit, SearchResult


def print_count(ix: Index, query: str, options: dict[str, Any], *, as_json: bool = False) -> None:
    """The number of matching documents, alone on a line (`as_json`: {"total": N})."""
    result = ix.search(query, limit=1, **options)
    _notes(result)
    _write([json.dumps({"total": result.total}) + "\n" if as_json else f"{result.total}\n"])


def print_rows(ix: Index, query: str, options: dict[str, Any], fmt: str, *, limit: int, page: int,
               every_match: bool) -> None:
    """One page of rows, or with `every_match` every match, page after page."""
    hits: Iterator[Hit]
    if every_match:
        size = export.PAGE_SIZE
        first = ix.search(query, limit=size, page=1, **options)
        _notes(first)
        hits = export.matches(first, lambda number: ix.search(query, limit=size, page=number, **options))
        if first.total > export.MAX_ROWS:
            tell(render("export.cut", {"rows": export.MAX_ROWS, "total": first.total}))
    else:
        result = ix.search(query, limit=limit, page=page, **options)
        _notes(result)
        hits = export.page_matches(result)
    _write(export.blocks(hits, fmt))


def _notes(result: SearchResult) -> None:
    """How the query was understood or repaired, on stderr as in the listing: stdout stays data,
    and a count of 0 still says why (a filter value the index does not hold, say)."""
    for notice in result.notices:
        tell(f"note: {notice.text('en')}")


def _write(blocks: Iterator[str] | list[str]) -> None:
    for block in blocks:
        emit(block, nl=False)
