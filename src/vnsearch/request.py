"""What every engine's search does before and around matching, in one place.

`search.py` (the embedded engine: masks over a snapshot) and `engine/plan_search.py` (engines
that run whole plans: a cluster) differ in how a plan is matched and ranked, not in what a
request means. Both take it from here:

- `prepare`: the options checked (the same codes everywhere), the text parsed (blank text with
  filters is a browse), the sort a browse implies, the filters resolved;
- `with_fallbacks`: when nothing holds the words as typed, every spelling that folds the same
  way; when nothing holds every word, the documents holding most of them; each with its notice.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from . import defaults
from .browse import browse_sort, parse_or_browse
from .errors import InvalidOptionError
from .filters import Filters, resolve_filters
from .messages import Notice
from .planner import Plan, Restorer, build_plan
from .query import ParsedQuery

SORTS = ("relevance", "date")

R = TypeVar("R")  # what an engine's matching of one plan gives


@dataclass(frozen=True)
class Request:
    parsed: ParsedQuery
    sort: str
    filters: Filters


def prepare(text: str, *, limit: int, page: int, committee: str | None, doc_type: str | None,
            date_from: str | None, date_to: str | None, sort: str, browse: bool) -> Request:
    """The request a search call makes, checked; raises InvalidOptionError or QueryError."""
    check_options(limit, page, sort)
    parsed = parse_or_browse(text, filtered=browse or any((committee, doc_type, date_from, date_to)))
    return Request(parsed, browse_sort(parsed, sort), resolve_filters(parsed, committee, doc_type, date_from, date_to))


def check_options(limit: int, page: int, sort: str) -> None:
    if not isinstance(limit, int) or not 1 <= limit <= defaults.MAX_PAGE_SIZE:
        raise InvalidOptionError("option.limit_range", max=defaults.MAX_PAGE_SIZE)
    if not isinstance(page, int) or not 1 <= page <= defaults.MAX_PAGE:
        raise InvalidOptionError("option.page_range", max=defaults.MAX_PAGE)
    if sort not in SORTS:
        raise InvalidOptionError("option.sort")


def with_fallbacks(parsed: ParsedQuery, restorer: Restorer, sort: str, run: Callable[[Plan], R],
                   strict: Callable[[R], bool], near: Callable[[R], bool]) -> tuple[Plan, R, list[Notice]]:
    """The plan that runs and what `run` made of it, with the fallbacks and their notices.
    `strict(r)`: some document holds every word; `near(r)`: some holds most of them."""
    plan = build_plan(parsed, restorer=restorer)
    result = run(plan)
    notices = list(parsed.notices) + plan.notices
    if not strict(result) and plan.spelled:
        # Nothing holds the words as typed: perhaps a diacritic slip ("thủ tương"). Match every
        # spelling that folds the same way, and say so.
        folded = build_plan(parsed, restorer=restorer, as_typed=False)
        folded_result = run(folded)
        if strict(folded_result):
            plan, result = folded, folded_result
            notices.append(Notice("search.folded_fallback"))
    if not strict(result):
        # Nothing holds every word: show the documents that hold most of them, and say so.
        if sort == "relevance" and near(result):
            notices.append(Notice("search.relaxed"))
        elif (relaxed := plan.relaxed()) is not None:
            relaxed_result = run(relaxed)
            if strict(relaxed_result):
                plan, result = relaxed, relaxed_result
                notices.append(Notice("search.relaxed"))
    return plan, result, notices
