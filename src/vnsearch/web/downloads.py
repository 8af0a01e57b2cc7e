"""`/api/search?format=csv`: the matches of a search as a CSV download ("Tải CSV" on the page).

Streamed: the rows are written as the pages are searched (export.py), each page under the
index lock on its own, so a long download does not hold up other requests. Bounded: at most
defaults.MAX_CSV_ROWS rows, whatever the total (the X-Total-Count header tells it; X-Row-Count
what the file holds). The first page is searched before the response starts, so a query that
cannot be run is still a JSON 400, not a broken file.
"""

from __future__ import annotations

from dataclasses import replace
from itertools import chain
from typing import TYPE_CHECKING

from flask import Response

from .. import defaults, export
from ..errors import InvalidOptionError
from ..results import SearchResult

if TYPE_CHECKING:
    from .app import IndexService, SearchParams

BYTE_ORDER_MARK = "\ufeff"  # spreadsheet programs read a CSV as UTF-8 only with it


def csv_download(service: IndexService, params: SearchParams, fmt: str) -> Response:
    if fmt != "csv":
        raise InvalidOptionError("option.format", value=fmt)
    size = export.PAGE_SIZE

    def page(number: int) -> SearchResult:
        return service.search(replace(params, page=number, limit=size), timeline=False)

    first = page(1)
    hits = export.matches(first, page, max_rows=defaults.MAX_CSV_ROWS)
    response = Response(chain([BYTE_ORDER_MARK], export.blocks(hits, "csv")), mimetype="text/csv")
    response.headers["Content-Disposition"] = 'attachment; filename="vnsearch.csv"'
    response.headers["X-Total-Count"] = str(first.total)
    response.headers["X-Row-Count"] = str(min(first.total, defaults.MAX_CSV_ROWS))
    return response
