"""Ranking, matching, facets, sorting, paging and snippets -> plain result objects.

How a query runs:
1. `query.parse` turns text into clauses (words, phrases, numbers) and filters.
2. `plan` analyses each clause the way documents were analysed and builds
   - the match set: documents holding the required units (every word of a short query, a
     share of the content words of a long one, each quoted phrase, each number), less
     exclusions, within the filters; facet counts and the total come from this set;
   - the scoring query: pyvi words, adjacent syllable pairs, syllables and their folded twins,
     title matches weighted up, document numbers (own number far above citations).
3. For a short unquoted query, documents holding it as an exact phrase come first.
4. Hits are sorted by score, ties broken by id; snippets are cut from the stored text.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from whoosh import query as wq
from whoosh.sorting import FieldFacet

from . import defaults
from .abbreviations import expansions, find_full_forms
from .analysis import syllables, word_terms
from .errors import QueryError
from .highlight import Pattern, highlight_all, snippets
from .index import count_values
from .query import NUMBER, PHRASE, TEXT, Clause, ParsedQuery, parse, parse_bound
from .results import Hit, SearchResult
from .schema import FACETS, document_from_stored
from .text import fold, has_diacritics, normalize, number_key

if TYPE_CHECKING:
    from .index import Index

# Field weights (BM25F boosts). Words and pairs carry the ranking; bare syllables give recall
# across segmentation mismatches; folded twins let other diacritics match further down.
# Pairs are indexed folded only: as good for ranking as exact pairs here (ALQAC MRR@10 0.862 vs
# 0.861) at a fraction of the indexing cost; words and syllables carry the diacritics.
WEIGHTS = {
    "body_words": 1.0, "title_words": 2.5,
    "body_pairs_folded": 1.0, "title_pairs_folded": 2.5,
    "title": 0.8, "title_folded": 0.2,
    "number": 40.0, "cites": 8.0,
}
# A query typed without diacritics ranks on the folded fields alone.
FOLDED_WEIGHTS = {
    "body_pairs_folded": 1.0, "title_pairs_folded": 2.5, "body_folded": 0.4, "title_folded": 1.0,
    "number": 40.0, "cites": 8.0,
}
ABBREVIATION_WEIGHT = 1.0  # "UBND" for "Ủy ban nhân dân" and back
MAX_QUERY_SYLLABLES = 64
SHORT_QUERY_SYLLABLES = 6  # up to this many content syllables, every one is required
LONG_QUERY_SHARE = 0.34  # longer queries need this share of their content syllables
MAX_PAGE = 1000
EXTRA_FOR_TIES = 20

# Function words and question boilerplate: no evidence of topic. Dropped from the units and
# the scoring of long queries only (a short query's every word was chosen by the user).
STOP_SYLLABLES = frozenset(
    """của và là có các những được trong cho với này đó thì mà để theo từ khi đã sẽ một không về
    tại do bị nào gì hay hoặc phải như sau trên dưới ra vào lại cũng rất nhiều ít còn đến
    bao nhiêu đúng sai nếu thế vậy ai đâu ở người việc""".split()
)


@dataclass
class _Plan:
    units: list[Any] = field(default_factory=list)  # Whoosh queries; match needs min_units
    required: list[Any] = field(default_factory=list)  # Whoosh queries every match needs
    min_units: int = 0
    scoring: list[Any] = field(default_factory=list)
    phrase_first: Any = None  # documents matching this come first
    patterns: list[Pattern] = field(default_factory=list)
    excluded: list[Any] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)


def search(
    ix: Index,
    text: str,
    *,
    limit: int = defaults.PAGE_SIZE,
    page: int = 1,
    committee: str | None = None,
    doc_type: str | None = None,
    date_from: str | None = None,
    date_to: str | None = None,
    sort: str = "relevance",
) -> SearchResult:
    if not isinstance(limit, int) or not 1 <= limit <= defaults.MAX_PAGE_SIZE:
        raise QueryError(f"limit must be between 1 and {defaults.MAX_PAGE_SIZE}")
    if not isinstance(page, int) or not 1 <= page <= MAX_PAGE:
        raise QueryError(f"page must be between 1 and {MAX_PAGE}")
    if sort not in ("relevance", "date"):
        raise QueryError("sort must be 'relevance' or 'date'")
    parsed = parse(text)
    filters = _filters(parsed, committee, doc_type, date_from, date_to)
    searcher = ix.searcher()
    plan = build_plan(parsed, searcher)
    matched = _match_set(searcher, plan, filters)
    notices = list(parsed.notices) + plan.notices
    if not matched and plan.units and plan.min_units > 1:
        # Nothing holds every word: say so and show documents holding most of them.
        plan.min_units = max(1, math.ceil(len(plan.units) * 0.5))
        matched = _match_set(searcher, plan, filters)
        if matched:
            notices.append("no document holds every word; showing those that hold most of them")
    ranked = _rank(searcher, plan, matched, limit * page, sort, ix.column("id"))
    hits = tuple(_hit(searcher, docnum, score, plan) for docnum, score in ranked[limit * (page - 1) : limit * page])
    return SearchResult(
        query=text,
        total=len(matched),
        hits=hits,
        facets=_facets(ix, matched),
        page=page,
        limit=limit,
        sort=sort,
        filters={k: v for k, v in filters.items() if v},
        notices=tuple(notices),
    )


def highlight_document(text: str, query: str, searcher: Any) -> str:
    """The whole text escaped, the query's matches marked (first one id="first-match")."""
    try:
        plan = build_plan(parse(query), searcher)
    except QueryError:
        return highlight_all(text, [])
    return highlight_all(text, plan.patterns)


# -- filters --------------------------------------------------------------------------------


def _filters(parsed: ParsedQuery, committee: str | None, doc_type: str | None,
             date_from: str | None, date_to: str | None) -> dict[str, str | None]:
    from .metadata import canonical_doc_type

    def bound(value: str | None, upper: bool) -> str | None:
        if value is None or value == "":
            return None
        parsed_bound = parse_bound(str(value), upper=upper)
        if parsed_bound is None:
            raise QueryError(f"{value!r} is not a date (use YYYY-MM-DD)")
        return parsed_bound

    return {
        "committee": normalize(committee).strip() if committee else parsed.committee,
        "doc_type": canonical_doc_type(normalize(doc_type)) if doc_type else parsed.doc_type,
        "number": parsed.number,
        "date_from": bound(date_from, False) or parsed.date_from,
        "date_to": bound(date_to, True) or parsed.date_to,
    }


def _filter_query(filters: dict[str, str | None]) -> Any:
    parts: list[Any] = []
    if filters.get("committee"):
        parts.append(wq.Term("committee", filters["committee"]))
    if filters.get("doc_type"):
        parts.append(wq.Term("doc_type", filters["doc_type"]))
    if filters.get("number"):
        parts.append(wq.Term("number", number_key(filters["number"] or "")))
    if filters.get("date_from") or filters.get("date_to"):
        parts.append(wq.TermRange("date", filters.get("date_from"), filters.get("date_to")))
    return wq.And(parts) if parts else None


# -- planning -------------------------------------------------------------------------------


def _within_budget(parsed: ParsedQuery) -> tuple[ParsedQuery, bool]:
    """Keep the query's first MAX_QUERY_SYLLABLES syllables: the cost of a query grows with its
    length, and a pasted page is no better a query than its first sentences."""
    budget = MAX_QUERY_SYLLABLES
    groups = []
    for group in parsed.groups:
        size = sum(len(syllables(c.text)) for c in group)
        if size <= budget:
            groups.append(group)
            budget -= size
        elif budget > 0 and len(group) == 1 and group[0].kind in (TEXT, PHRASE):
            words = group[0].text.split()
            kept: list[str] = []
            while words and len(syllables(" ".join(kept + words[:1]))) <= budget:
                kept.append(words.pop(0))
            if kept:
                groups.append((Clause(group[0].kind, " ".join(kept)),))
            budget = 0
        else:
            budget = 0
    cut = tuple(groups) != parsed.groups
    return replace(parsed, groups=tuple(groups)), cut


def build_plan(parsed: ParsedQuery, searcher: Any) -> _Plan:
    plan = _Plan()
    parsed, cut = _within_budget(parsed)
    if cut:
        plan.notices.append(f"only the first {MAX_QUERY_SYLLABLES} syllables of the query were used")
    content = [s for c in parsed.clauses if c.kind == TEXT for s in syllables(c.text)]
    long_query = len(content) > SHORT_QUERY_SYLLABLES + 2
    for group in parsed.groups:
        if len(group) == 1:
            _add_clause(plan, group[0], long_query, searcher)
        else:  # OR: one unit that any alternative satisfies
            alternatives = _Plan()
            for clause in group:
                _add_clause(alternatives, clause, False, searcher)
            queries = alternatives.units + alternatives.required
            if queries:
                plan.required.append(wq.Or(queries))
            plan.scoring += alternatives.scoring
            plan.patterns += alternatives.patterns
    if long_query:
        plan.min_units = max(1, math.ceil(len(plan.units) * LONG_QUERY_SHARE))
    else:
        plan.min_units = len(plan.units)
    text_clauses = [g[0] for g in parsed.groups if len(g) == 1 and g[0].kind == TEXT]
    if len(text_clauses) == 1 and not long_query:
        terms = syllables(text_clauses[0].text)
        if 2 <= len(terms) <= SHORT_QUERY_SYLLABLES:
            folded = not has_diacritics(text_clauses[0].text)
            plan.phrase_first = _phrase(terms, folded=folded)
            plan.patterns.append(Pattern(tuple(fold(t) for t in terms) if folded else tuple(terms), folded=folded))
    for clause in parsed.excluded:
        plan.excluded.append(_clause_match(clause))
    return plan


def _phrase(terms: list[str], *, folded: bool) -> Any:
    if folded:
        terms = [fold(t) for t in terms]
    body, title = ("body_folded", "title_folded") if folded else ("body", "title")
    if len(terms) == 1:
        return wq.Or([wq.Term(body, terms[0]), wq.Term(title, terms[0])])
    return wq.Or([wq.Phrase(body, terms), wq.Phrase(title, terms)])


def _clause_match(clause: Clause) -> Any:
    """Documents holding a clause (for exclusions and OR alternatives)."""
    if clause.kind == NUMBER:
        key = number_key(clause.text)
        return wq.Or([wq.Term("number", key), wq.Term("cites", key)])
    return _phrase(syllables(clause.text), folded=not has_diacritics(clause.text))


def _add_clause(plan: _Plan, clause: Clause, long_query: bool, searcher: Any) -> None:
    if clause.kind == NUMBER:
        key = number_key(clause.text)
        plan.required.append(_clause_match(clause))
        plan.scoring += [wq.Term("number", key, boost=WEIGHTS["number"]), wq.Term("cites", key, boost=WEIGHTS["cites"])]
        plan.patterns.append(Pattern(tuple(fold(s) for s in syllables(clause.text)), folded=True))
        return
    terms = syllables(clause.text)
    if not terms:
        return
    folded_mode = not has_diacritics(clause.text)
    if clause.kind == PHRASE:
        plan.required.append(_phrase(terms, folded=folded_mode))
        plan.patterns.append(Pattern(tuple(fold(t) for t in terms) if folded_mode else tuple(terms), folded=folded_mode))
    _add_text(plan, clause.text, terms, folded_mode, long_query and clause.kind == TEXT, clause.kind == TEXT, searcher)


def _add_text(plan: _Plan, text: str, terms: list[str], folded_mode: bool, long_query: bool, as_units: bool,
              searcher: Any) -> None:
    folded_terms = [fold(t) for t in terms]
    weights = FOLDED_WEIGHTS if folded_mode else WEIGHTS
    keep = [not (long_query and t in STOP_SYLLABLES) for t in terms]
    typed = [t.strip(".,;:()") for t in text.replace("-", " ").replace("/", " ").split()]
    abbreviations = {i: expansions((t,)) for i, t in enumerate(terms) if _typed_as_abbreviation(t, typed)}
    # A full form typed out ("Ủy ban nhân dân"): its abbreviation also satisfies each of its words.
    abbreviation_at: dict[int, str] = {}
    for first, end, abbreviation in ([] if folded_mode else find_full_forms(terms)):
        abbreviation_at.update(dict.fromkeys(range(first, end), abbreviation))
        plan.scoring.append(wq.Term("body", abbreviation, boost=ABBREVIATION_WEIGHT))
        plan.patterns.append(Pattern((abbreviation,)))

    for i, term in enumerate(terms):
        if not keep[i]:
            plan.patterns.append(Pattern((folded_terms[i],) if folded_mode else (term,), folded=folded_mode, weak=True))
            continue
        key, body, title = (folded_terms[i], "body_folded", "title_folded") if folded_mode else (term, "body", "title")
        unit: list[Any] = [wq.Term("body_folded", folded_terms[i]), wq.Term("title_folded", folded_terms[i])]
        for expansion in abbreviations.get(i, ()):
            unit.append(_phrase(list(expansion), folded=False))
            plan.scoring.append(wq.Phrase("body", list(expansion), boost=ABBREVIATION_WEIGHT))
            plan.patterns.append(Pattern(expansion))
        if i in abbreviation_at:
            unit += [wq.Term("body", abbreviation_at[i]), wq.Term("title", abbreviation_at[i])]
        if as_units:
            plan.units.append(wq.Or(unit))
        # Bare body syllables add little beside words and pairs (ALQAC MRR@10 0.8605 without,
        # 0.8619 with) and are the costliest postings to score (positional), so only a query
        # without diacritics, which has no words, ranks on them.
        if folded_mode:
            plan.scoring.append(wq.Term(body, key, boost=weights[body]))
        plan.scoring.append(wq.Term(title, key, boost=weights[title]))
        if not folded_mode and not long_query:  # the folded fallback, for short queries only
            plan.scoring.append(wq.Term("title_folded", folded_terms[i], boost=weights["title_folded"]))
        # Without diacritics one syllable is ambiguous ("nhung": nhung, nhúng, những): in a longer
        # query it is marked only next to another match.
        plan.patterns.append(Pattern((key,), folded=folded_mode, weak=folded_mode and len(terms) > 1))

    for i in range(len(terms) - 1):
        if not (keep[i] or keep[i + 1]):
            continue
        folded_pair = folded_terms[i] + " " + folded_terms[i + 1]
        plan.scoring.append(wq.Term("body_pairs_folded", folded_pair, boost=weights["body_pairs_folded"]))
        plan.scoring.append(wq.Term("title_pairs_folded", folded_pair, boost=weights["title_pairs_folded"]))
        if folded_mode:
            plan.patterns.append(Pattern((folded_terms[i], folded_terms[i + 1]), folded=True))
        else:
            plan.patterns.append(Pattern((terms[i], terms[i + 1])))

    if not folded_mode:
        from .segment import segment  # lazily: loads the CRF model

        for word in word_terms([w.text for w in segment(normalize(text))]):
            if long_query and all(s in STOP_SYLLABLES for s in word.split("_")):
                continue
            plan.scoring.append(wq.Term("body_words", word, boost=weights["body_words"]))
            plan.scoring.append(wq.Term("title_words", word, boost=weights["title_words"]))


def _typed_as_abbreviation(term: str, typed: list[str]) -> bool:
    """Was this syllable typed with two or more capitals ("UBND", "TTg"), i.e. as an abbreviation?"""
    return any(t.lower() == term and sum(c.isupper() for c in t) >= 2 for t in typed)


# -- matching -------------------------------------------------------------------------------


def _docs(searcher: Any, query: Any) -> set[int]:
    return set(searcher.docs_for_query(query))


def _match_set(searcher: Any, plan: _Plan, filters: dict[str, str | None]) -> set[int]:
    filter_query = _filter_query(filters)
    required = list(plan.required)
    if filter_query is not None:
        required.append(filter_query)
    if plan.units and plan.min_units >= len(plan.units):
        required += plan.units  # every unit: let Whoosh intersect
        units: list[Any] = []
    else:
        units = plan.units
    if required:
        matched = _docs(searcher, wq.And(required))
    elif not units:
        matched = set(searcher.reader().all_doc_ids())
    else:
        matched = None
    if units:
        counts: Counter[int] = Counter()
        for unit in units:
            docs = _docs(searcher, unit)
            counts.update(docs if matched is None else docs & matched)
        matched = {doc for doc, n in counts.items() if n >= plan.min_units}
    assert matched is not None
    for excluded in plan.excluded:
        matched -= _docs(searcher, excluded)
    return matched


# -- ranking --------------------------------------------------------------------------------


def _rank(searcher: Any, plan: _Plan, matched: set[int], needed: int, sort: str,
          ids: list[str]) -> list[tuple[int, float]]:
    if not matched or needed <= 0:
        return []
    if sort == "date":
        results = searcher.search(
            wq.Every(), filter=matched, limit=needed, sortedby=[FieldFacet("date", reverse=True), FieldFacet("id")]
        )
        return [(hit.docnum, 0.0) for hit in results]
    tiers: list[set[int]] = [matched]
    if plan.phrase_first is not None:
        first = _docs(searcher, plan.phrase_first) & matched
        tiers = [first, matched - first]
    ranked: list[tuple[int, float]] = []
    for tier in tiers:
        if len(ranked) >= needed:
            break
        if not tier:
            continue
        scoring = wq.Or(plan.scoring) if plan.scoring else wq.Every()
        want = needed - len(ranked) + EXTRA_FOR_TIES
        results = searcher.search(scoring, filter=tier, limit=want)
        scored = [(hit.docnum, float(hit.score or 0.0)) for hit in results]
        seen = {docnum for docnum, _ in scored}
        if len(scored) < min(want, len(tier)):  # documents the scoring query does not reach
            scored += [(d, 0.0) for d in sorted(tier - seen)][: want - len(scored)]
        scored.sort(key=lambda item: (-round(item[1], 6), ids[item[0]]))
        ranked += scored[: needed - len(ranked)]
    return ranked


# -- results --------------------------------------------------------------------------------


def _facets(ix: Index, matched: set[int]) -> dict[str, dict[str, int]]:
    return {name: count_values(ix.column(name), matched) for name in FACETS}


def _hit(searcher: Any, docnum: int, score: float, plan: _Plan) -> Hit:
    document = document_from_stored(searcher.stored_fields(docnum))
    title_marks = highlight_all(document.title, plan.patterns, first_id="")
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
        title_html=title_marks,
    )
