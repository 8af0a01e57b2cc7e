"""`search.search` for engines that run whole plans (`base.PlanEngine`: a cluster).

The same steps as search.py, with the matching, ranking and counting handed to the engine:

1. `request.prepare`: the same checks, parse and filters as the embedded engine's;
2. `engine.run(plan, filters, ...)` gives the page of hits, the totals and the facet counts,
   inside `request.with_fallbacks` (any spelling that folds the same way, then most of the
   words) as for the embedded engine;
3. hits are built from the stored documents the engine returned, snippets and marked titles
   by `highlight.py`, exactly as for the embedded engine.

A result with nodes missing says so in a notice (`cluster.partial`). A cluster counts no
timeline (matches per year or month): asked for one, the result says so (`cluster.no_timeline`).
"""

from __future__ import annotations

from .. import defaults
from ..errors import VnsearchError
from ..highlight import highlight_all, snippets
from ..messages import Notice
from ..planner import Plan
from ..request import prepare, with_fallbacks
from ..results import Hit, SearchResult
from .base import PlanEngine, RunResult


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
    request = prepare(text, limit=limit, page=page, committee=committee, doc_type=doc_type,
                      date_from=date_from, date_to=date_to, sort=sort, browse=browse)
    sort, filters = request.sort, request.filters
    if filters.cites:  # resolved from per-document arrays, which a cluster does not ship
        raise VnsearchError("cluster.no_citations")
    offset = limit * (page - 1)

    def run(candidate: Plan) -> RunResult:
        return engine.run(candidate, filters, sort=sort, offset=offset, limit=limit)

    plan, result, notices = with_fallbacks(request.parsed, engine.restorer, sort, run,
                                           strict=lambda r: r.total > 0, near=lambda r: r.near_total > 0)
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
