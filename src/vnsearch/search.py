"""Runs a query on an engine snapshot: filters, match, rank, facets, page -> plain result objects.

1. `query.parse` turns text into clauses and filters; `planner.build_plan` into a Plan.
2. Filters become a mask from columns; the plan's units, required and excluded nodes a match
   mask (the engine evaluates nodes). Facet counts and the total come from the match mask.
3. Candidates are ranked by the sum of the plan's signals (documents holding `phrase_first`
   first), ties broken by id; only the requested page is sorted in full.
4. Hits are built from stored documents, with snippets cut from the stored text.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import defaults
from .analysis import FACETS
from .engine.base import Snapshot
from .errors import QueryError
from .filters import filter_mask, filter_notices
from .highlight import highlight_all, snippets
from .messages import Notice
from .planner import Phrase, Plan, highlight_patterns
from .query import ParsedQuery, parse
from .request import prepare, with_fallbacks
from .results import Hit, SearchResult, SignalScore
from .suggest import suggest
from .timeline import timeline_of

EXTRA_FOR_TIES = 20  # candidates sorted in full beyond the page, so ties break the same way


def search(
    snapshot: Snapshot,
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
    """See `Index.search`; with `browse`, blank text lists the documents within the filters."""
    request = prepare(text, limit=limit, page=page, committee=committee, doc_type=doc_type,
                      date_from=date_from, date_to=date_to, sort=sort, browse=browse)
    sort, filters = request.sort, request.filters
    allowed = filter_mask(snapshot, filters)
    plan, match, notices = find_matches(snapshot, request.parsed, allowed, sort)
    notices += filter_notices(snapshot, filters)  # filter values the index does not hold
    ranked_set = match.near if sort == "relevance" else match.strict
    ranked = _rank(snapshot, plan, ranked_set, limit * page, sort)[limit * (page - 1) :]
    explanations = _explain(snapshot, plan, ranked) if explain else [()] * len(ranked)
    hits = tuple(
        _hit(snapshot, docnum, score, plan, why, match.missing(plan, docnum))
        for (docnum, score), why in zip(ranked, explanations, strict=True)
    )
    strict_total = int(match.strict.sum())
    return SearchResult(
        query=text,
        total=strict_total,
        near_total=int(ranked_set.sum()) - strict_total,
        hits=hits,
        facets=_facets(snapshot, match.strict),
        page=page,
        limit=limit,
        sort=sort,
        filters=filters.to_dict(),
        notices=tuple(notices),
        plan=plan.to_dict() if explain else None,
        plan_text=plan.describe() if explain else None,
        suggestion=suggest(text, snapshot),  # "did you mean": the index's spelling, if better
        timeline=timeline_of(snapshot, match.strict) if timeline else None,
    )


def find_matches(snapshot: Snapshot, parsed: ParsedQuery, allowed: np.ndarray, sort: str = "relevance"
                 ) -> tuple[Plan, Match, list[Notice]]:
    """The plan that runs and what it matches within `allowed`, with the fallbacks of
    `request.with_fallbacks` (every spelling; most of the words), whose notices say which ran."""
    return with_fallbacks(parsed, snapshot.restorer, sort, lambda plan: _match(snapshot, plan, allowed),
                          strict=lambda match: bool(match.strict.any()), near=lambda match: bool(match.near.any()))


def highlight_document(text: str, query: str) -> str:
    """The whole text escaped, the query's matches marked (first one id="first-match")."""
    try:
        patterns = highlight_patterns(parse(query))
    except QueryError:
        return highlight_all(text, [])
    return highlight_all(text, patterns)


# -- matching and ranking -------------------------------------------------------------------


@dataclass
class Match:
    """The documents a plan matches: `strict` (the match set: totals, facets, date order) and
    `near` (ranked by relevance: also documents holding `near_min_units` units)."""

    strict: np.ndarray
    near: np.ndarray
    unit_masks: list[np.ndarray]

    def missing(self, plan: Plan, docnum: int) -> tuple[str, ...]:
        """The query's words this document does not hold (a near match's)."""
        if self.strict[docnum]:
            return ()
        return tuple(label for label, mask in zip(plan.unit_labels, self.unit_masks, strict=True) if not mask[docnum])


def _match(snapshot: Snapshot, plan: Plan, allowed: np.ndarray) -> Match:
    """Documents within `allowed` holding every required node, no excluded one, and enough units."""
    unit_masks = [snapshot.mask(unit) for unit in plan.units]
    base = allowed.copy()
    if unit_masks:
        counts = np.sum(unit_masks, axis=0, dtype=np.int16)
        base &= counts >= min(plan.min_units, plan.near_min_units or plan.min_units)
    for node in plan.required:  # after the units: phrases are checked only where still possible
        base &= snapshot.mask(node, within=base)
    for node in plan.excluded:
        base &= ~snapshot.mask(node, within=base)
    if not unit_masks:
        return Match(base, base, unit_masks)
    return Match(base & (counts >= plan.min_units), base & (counts >= (plan.near_min_units or plan.min_units)), unit_masks)


def _rank(snapshot: Snapshot, plan: Plan, matched: np.ndarray, needed: int, sort: str) -> list[tuple[int, float]]:
    """The first `needed` (docnum, score) pairs in result order."""
    candidates = np.flatnonzero(matched)
    if not len(candidates) or needed <= 0:
        return []
    _, id_codes = snapshot.codes("id")
    if sort == "date":
        _, date_codes = snapshot.codes("date")
        order = np.lexsort((id_codes[candidates], -date_codes[candidates]))
        return [(int(d), 0.0) for d in candidates[order[:needed]]]
    scores = _exact_at_the_top(snapshot, plan, candidates, needed + EXTRA_FOR_TIES)
    tiers = [candidates]
    if plan.phrase_first is not None:
        first = snapshot.mask(plan.phrase_first, within=matched)[candidates]
        tiers = [candidates[first], candidates[~first]]
    ranked: list[tuple[int, float]] = []
    for tier in tiers:
        want = needed - len(ranked)
        if want <= 0:
            break
        if len(tier) > want + EXTRA_FOR_TIES:  # only the best few need a full sort
            tier = tier[np.argpartition(-scores[tier], want + EXTRA_FOR_TIES)[: want + EXTRA_FOR_TIES]]
        tier_scores = np.round(scores[tier].astype(np.float64), 5)
        order = np.lexsort((id_codes[tier], -tier_scores))[:want]  # ties broken by id
        ranked += [(int(d), float(scores[d])) for d in tier[order]]
    return ranked


def _exact_at_the_top(snapshot: Snapshot, plan: Plan, candidates: np.ndarray, wanted: int) -> np.ndarray:
    """Scores with every phrase counted exactly where it decides the top `wanted`.

    Phrase occurrences are first estimated from their pairs, an upper bound that reads no
    positions; then counted exactly for the best candidates, as many as it takes for the last
    of the top `wanted` to score at least what any other candidate's upper bound allows. A
    document's phrase score depends on its own occurrences only, so each round counts just the
    candidates the previous rounds did not (reading positions is what a phrase query costs)."""
    scores = snapshot.scores(plan.signals)
    phrases = [signal for signal in plan.signals if isinstance(signal.node, Phrase)]
    if not phrases or not len(candidates):
        return scores
    estimated = snapshot.scores(phrases)
    corrected = scores.copy()
    counted = 0
    size = min(len(candidates), wanted)
    while True:
        order = _best_first(candidates, scores, size + 1)
        new = order[counted:size]
        exact = np.zeros(snapshot.size, dtype=bool)
        exact[new] = True
        corrected[new] += (snapshot.scores(phrases, exact=exact) - estimated)[new]
        counted = size
        best = np.sort(corrected[order[:size]])[::-1]
        bound = scores[order[size]] if size < len(candidates) else -np.inf
        if size == len(candidates) or best[min(wanted, len(best)) - 1] >= bound:
            return corrected
        size = min(len(candidates), size * 2)


def _best_first(candidates: np.ndarray, scores: np.ndarray, count: int) -> np.ndarray:
    """The first `count` candidates by descending score, ties in candidate order: what a
    stable argsort of every candidate begins with, without sorting them all (a common word
    has tens of thousands of candidates; a page needs the best few dozen)."""
    keys = -scores[candidates]
    if count >= len(candidates):
        return candidates[np.argsort(keys, kind="stable")]
    threshold = np.partition(keys, count - 1)[count - 1]
    better = np.flatnonzero(keys < threshold)
    tied = np.flatnonzero(keys == threshold)[: count - len(better)]  # the earliest, as a stable sort takes them
    chosen = np.concatenate((better, tied))
    return candidates[chosen[np.lexsort((chosen, keys[chosen]))]]


def _explain(snapshot: Snapshot, plan: Plan, ranked: list[tuple[int, float]]) -> list[tuple[SignalScore, ...]]:
    """Each hit's nonzero signals, largest first: their sum is the hit's score."""
    if not ranked:
        return []
    docnums = np.array([docnum for docnum, _ in ranked], dtype=np.int64)
    table = snapshot.signal_scores(plan.signals, docnums)
    first = snapshot.mask(plan.phrase_first)[docnums] if plan.phrase_first is not None else None
    explained = []
    for row, values in enumerate(table):
        shares = sorted(
            (SignalScore(signal.kind, str(signal.node), signal.weight, float(value))
             for signal, value in zip(plan.signals, values, strict=True) if value),
            key=lambda share: -share.score,
        )
        if first is not None and first[row]:  # a rank tier, not a share of the score
            shares.insert(0, SignalScore("first", str(plan.phrase_first), 0.0, 0.0))
        explained.append(tuple(shares))
    return explained


def _facets(snapshot: Snapshot, matched: np.ndarray) -> dict[str, dict[str, int]]:
    facets = {}
    for name in FACETS:
        values, codes = snapshot.codes(name)
        counts = np.bincount(codes[matched], minlength=len(values))
        pairs = [(str(values[i]), int(counts[i])) for i in np.flatnonzero(counts) if values[i] != ""]
        facets[name] = dict(sorted(pairs, key=lambda item: (-item[1], item[0])))
    return facets


def _hit(snapshot: Snapshot, docnum: int, score: float, plan: Plan, explanation: tuple[SignalScore, ...],
         missing: tuple[str, ...]) -> Hit:
    document = snapshot.document(docnum)
    return Hit(
        id=document.id,
        score=score,
        title=document.title,
        date=document.date,
        committee=document.committee,
        doc_type=document.doc_type,
        number=document.number,
        url=document.url,
        snippets=snippets(document.text, plan.patterns),
        title_html=highlight_all(document.title, plan.patterns, first_id=""),
        explanation=explanation,
        missing=missing,
    )
