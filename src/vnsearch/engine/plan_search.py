"""`search.search` for engines that run whole plans (`base.PlanEngine`: a cluster).

The same steps as search.py, with the matching, ranking and counting handed to the engine:

1. `query.parse`, `filters.resolve_filters`, `planner.build_plan`: the same objects the
   embedded engine gets;
2. `engine.run(plan, filters, ...)` gives the page of hits, the totals and the facet counts;
   the same fall-backs follow when nothing matches strictly (any spelling that folds the same
   way, then most of the words);
3. hits are built from the stored documents the engine returned, snippets and marked titles
   by `highlight.py`, exactly as for the embedded engine.

A result with nodes missing says so in a notice (`cluster.partial`). A cluster counts no
timeline (matches per year or month): asked for one, the result says so (`cluster.no_timeline`).
"""

from __future__ import annotations

from .. import defaults
from ..browse import browse_sort, parse_or_browse
from ..errors import InvalidOptionError, VnsearchError
from ..filters import resolve_filters
from ..highlight import highlight_all, snippets
from ..messages import Notice
from ..planner import Plan, build_plan
from ..results import Hit, SearchResult
from .base import PlanEngine, RunResult

SORTS = ("relevance", "date")


def search(
    engine: PlanEngine,
    text: str,
    *,
    limit: int = defaults.PAGE_SIZE,
    page: int = 1,
    committee: str | None = None,
    doc_type: str | None = None,
    date_from: str | None = None,
    date_to: str | None = None,
    sort: str = "relevance",
    explain: bool = False,
    timeline: bool = False,
    browse: bool = False,
) -> SearchResult:
    """See `Index.search` (explanations carry the plan, not per-hit signal shares; no timeline)."""
    _check_options(limit, page, sort)
    parsed = parse_or_browse(text, filtered=browse or any((committee, doc_type, date_from, date_to)))
    sort = browse_sort(parsed, sort)
    filters = resolve_filters(parsed, committee, doc_type, date_from, date_to)
    if filters.cites:  # resolved from per-document arrays, which a cluster does not ship
        raise VnsearchError("cluster.no_citations")
    plan = build_plan(parsed, restorer=engine.restorer)
    notices = list(parsed.notices) + plan.notices
    offset = limit * (page - 1)

    def run(candidate: Plan) -> RunResult:
        return engine.run(candidate, filters, sort=sort, offset=offset, limit=limit)

    result = run(plan)
    if not result.total and plan.spelled:
        # Nothing holds the words as typed: perhaps a diacritic slip. Any spelling that folds the same way.
        folded = build_plan(parsed, restorer=engine.restorer, as_typed=False)
        folded_result = run(folded)
        if folded_result.total:
            plan, result = folded, folded_result
            notices.append(Notice("search.folded_fallback"))
    if not result.total:
        if sort == "relevance" and result.near_total:
            notices.append(Notice("search.relaxed"))
        elif (relaxed := plan.relaxed()) is not None:
            relaxed_result = run(relaxed)
            if relaxed_result.total:
                plan, result = relaxed, relaxed_result
                notices.append(Notice("search.relaxed"))
    if result.unanswered:
        notices.append(Notice("cluster.partial", {"nodes": ", ".join(result.unanswered)}))
    if result.unranked:
        notices.append(Notice("cluster.unranked", {"nodes": ", ".join(result.unranked)}))
    if timeline:
        # A cluster returns counts per facet value, not per date: no months to count by.
        notices.append(Notice("cluster.no_timeline"))
    hits = tuple(
        Hit(
            id=hit.document.id,
            score=hit.score,
            title=hit.document.title,
            date=hit.document.date,
            committee=hit.document.committee,
            doc_type=hit.document.doc_type,
            number=hit.document.number,
            url=hit.document.url,
            snippets=snippets(hit.document.text, plan.patterns),
            title_html=highlight_all(hit.document.title, plan.patterns, first_id=""),
            missing=hit.missing,
        )
        for hit in result.hits
    )
    return SearchResult(
        query=text,
        total=result.total,
        near_total=result.near_total,
        hits=hits,
        facets=result.facets,
        page=page,
        limit=limit,
        sort=sort,
        filters=filters.to_dict(),
        notices=tuple(notices),
        plan=plan.to_dict() if explain else None,
        plan_text=plan.describe() if explain else None,
    )


def _check_options(limit: int, page: int, sort: str) -> None:
    # The rule of search.py's own check, with the same codes.
    if not isinstance(limit, int) or not 1 <= limit <= defaults.MAX_PAGE_SIZE:
        raise InvalidOptionError("option.limit_range", max=defaults.MAX_PAGE_SIZE)
    if not isinstance(page, int) or not 1 <= page <= defaults.MAX_PAGE:
        raise InvalidOptionError("option.page_range", max=defaults.MAX_PAGE)
    if sort not in SORTS:
        raise InvalidOptionError("option.sort")
