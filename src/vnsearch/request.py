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
from datetime import date
from typing import TypeVar

from .browse import browse_sort, parse_or_browse
from .errors import InvalidOptionError, OptionTypeError
from .filters import Filters, resolve_filters
from .messages import Notice
from .planner import Plan, Restorer, build_plan
from .query import ParsedQuery, check_number

SORTS = ("relevance", "date")

R = TypeVar("R")  # what an engine's matching of one plan gives


@dataclass(frozen=True)
class Request:
    parsed: ParsedQuery
    sort: str
    filters: Filters


def prepare(text: str, *, limit: int, page: int, committee: str | None, doc_type: str | None,
            date_from: str | date | None, date_to: str | date | None, sort: str, browse: bool) -> Request:
    """The request a search call makes, checked; raises InvalidOptionError (OptionTypeError for
    a value of the wrong type) or QueryError."""
    check_options(limit, page, sort)
    check_types(committee=committee, doc_type=doc_type, date_from=date_from, date_to=date_to)
    date_from = date_from.isoformat()[:10] if isinstance(date_from, date) else date_from
    date_to = date_to.isoformat()[:10] if isinstance(date_to, date) else date_to
    parsed = parse_or_browse(text, filtered=browse or any((committee, doc_type, date_from, date_to)))
    return Request(parsed, browse_sort(parsed, sort), resolve_filters(parsed, committee, doc_type, date_from, date_to))


def check_options(limit: int, page: int, sort: str) -> None:
    """`limit` and `page` are ints in range (the same message as the CLI's and the API's for a
    number out of range); a library caller's string is a type slip, not a number out of range."""
    for name, value in (("limit", limit), ("page", page)):
        if isinstance(value, bool) or not isinstance(value, int):
            raise OptionTypeError("option.not_int", name=name, kind=type(value).__name__)
        check_number(name, value)
    if sort not in SORTS:
        raise InvalidOptionError("option.sort")


def check_types(*, committee: object, doc_type: object, date_from: object, date_to: object) -> None:
    """The filters' types, checked here rather than failing deep inside with a bare TypeError."""
    for name, value in (("committee", committee), ("doc_type", doc_type)):
        if value is not None and not isinstance(value, str):
            raise OptionTypeError("option.not_text", name=name, kind=type(value).__name__)
    for name, value in (("date_from", date_from), ("date_to", date_to)):
        if value is not None and not isinstance(value, str | date):
            raise OptionTypeError("option.not_date", name=name, kind=type(value).__name__)


def past_end_notice(page: int, limit: int, listed: int) -> Notice | None:
    """The notice for a page after the last one of `listed` hits (none when nothing matched:
    the empty result says enough), so that an empty page is never mistaken for no matches."""
    pages = -(-listed // limit)
    return Notice("page.past_end", {"page": page, "pages": pages}) if listed and page > pages else None


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
