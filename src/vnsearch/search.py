"""Ranking, matching, facets, sorting, paging and snippets -> plain result objects.

How a query runs:
1. `query.parse` turns text into clauses (words, phrases, numbers) and filters.
2. `plan` analyses each clause the way documents were analysed and builds
   - the match set: documents holding the required units (every word of a short query, a
     share of the content words of a long one, each quoted phrase, each number), less
     exclusions, within the filters; facet counts and the total come from this set;
   - the scoring terms: pyvi words, adjacent syllable pairs (folded), title syllables, title
     matches weighted up, document numbers (own number far above citations); a query without
     diacritics ranks on folded syllables and pairs instead of words.
   Both are evaluated with numpy over Whoosh's postings (scoring.py): masks and BM25F.
3. For a short unquoted query, documents holding it as an exact phrase come first.
4. Hits are sorted by score, ties broken by id; snippets are cut from the stored text.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

import numpy as np
from whoosh import query as wq

from . import defaults
from .abbreviations import expansions, find_full_forms
from .analysis import syllables, word_terms
from .errors import InvalidOptionError, QueryError
from .highlight import Pattern, highlight_all, snippets
from .messages import Notice
from .query import NUMBER, PHRASE, TEXT, Clause, ParsedQuery, parse, parse_bound
from .results import Hit, SearchResult
from .schema import FACETS, document_from_stored
from .text import fold, has_diacritics, normalize, number_key

if TYPE_CHECKING:
    from .index import Index
    from .scoring import Postings

# Field weights (BM25F boosts). Words and pairs carry the ranking; title syllables reward title
# matches across segmentation mismatches. Matching is on folded syllables, so documents with
# other diacritics are found, further down. Pairs are indexed folded only: as good for ranking
# as exact pairs here (ALQAC MRR@10 0.862 vs 0.861) at a fraction of the indexing cost; words
# carry the diacritics.
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
RESTORED_WEIGHT = 1.0  # the usual spelling of words typed without diacritics
MAX_QUERY_SYLLABLES = 64
SHORT_QUERY_SYLLABLES = 6  # up to this many content syllables, every one is required
PHRASE_FIRST_SYLLABLES = 10  # an unquoted query up to this long ranks its exact phrase first
LONG_QUERY_SHARE = 0.34  # longer queries need this share of their content syllables
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
    notices: list[Notice] = field(default_factory=list)


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
        raise InvalidOptionError("option.limit_range", max=defaults.MAX_PAGE_SIZE)
    if not isinstance(page, int) or not 1 <= page <= defaults.MAX_PAGE:
        raise InvalidOptionError("option.page_range", max=defaults.MAX_PAGE)
    if sort not in ("relevance", "date"):
        raise InvalidOptionError("option.sort")
    parsed = parse(text)
    filters = _filters(parsed, committee, doc_type, date_from, date_to)
    searcher = ix.searcher()
    postings = ix.postings()
    plan = build_plan(parsed, restorer=postings.restorer)
    allowed = _filter_mask(ix, postings, filters)
    matched = _match(postings, plan, allowed)
    notices = list(parsed.notices) + plan.notices
    if not matched.any() and plan.units and plan.min_units > 1:
        # Nothing holds every word: say so and show documents holding most of them.
        plan.min_units = max(1, math.ceil(len(plan.units) * 0.5))
        matched = _match(postings, plan, allowed)
        if matched.any():
            notices.append(Notice("search.relaxed"))
    ranked = _rank(ix, postings, plan, matched, limit * page, sort)
    hits = tuple(_hit(searcher, docnum, score, plan) for docnum, score in ranked[limit * (page - 1) : limit * page])
    return SearchResult(
        query=text,
        total=int(matched.sum()),
        hits=hits,
        facets=_facets(ix, postings, matched),
        page=page,
        limit=limit,
        sort=sort,
        filters={k: v for k, v in filters.items() if v},
        notices=tuple(notices),
    )


def highlight_document(text: str, query: str) -> str:
    """The whole text escaped, the query's matches marked (first one id="first-match")."""
    try:
        plan = build_plan(parse(query))
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
            raise InvalidOptionError("option.bad_date", value=value)
        return parsed_bound

    return {
        "committee": normalize(committee).strip() if committee else parsed.committee,
        "doc_type": canonical_doc_type(normalize(doc_type)) if doc_type else parsed.doc_type,
        "number": parsed.number,
        "date_from": bound(date_from, False) or parsed.date_from,
        "date_to": bound(date_to, True) or parsed.date_to,
    }


def _filter_mask(ix: Index, postings: Postings, filters: dict[str, str | None]) -> np.ndarray:
    """The live documents within the filters, from columns (no postings read)."""
    allowed = postings.live.copy()
    for name in ("committee", "doc_type"):
        value = filters.get(name)
        if value:
            values, codes = postings.codes(name, ix.column(name))
            position = int(np.searchsorted(values, value))
            found = position < len(values) and values[position] == value
            allowed &= (codes == position) if found else False
    if filters.get("number"):
        allowed &= postings.mask(wq.Term("number", number_key(filters["number"] or "")))
    low, high = filters.get("date_from"), filters.get("date_to")
    if low or high:
        values, codes = postings.codes("date", ix.column("date"))
        dated = values != ""
        in_range = dated & (values >= (low or "")) & (values <= (high or "9999"))
        allowed &= in_range[codes]
    return allowed


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


def build_plan(parsed: ParsedQuery, *, restorer: Callable[[], dict[str, str]] | None = None) -> _Plan:
    """The match units, required clauses, scoring terms and highlight patterns of a query.

    `restorer` gives folded word -> usual spelling (Postings.restorer), for queries typed
    without diacritics."""
    plan = _Plan()
    parsed, cut = _within_budget(parsed)
    if cut:
        plan.notices.append(Notice("search.syllables_cut", {"count": MAX_QUERY_SYLLABLES}))
    content = [s for c in parsed.clauses if c.kind == TEXT for s in syllables(c.text)]
    long_query = len(content) > SHORT_QUERY_SYLLABLES + 2
    for group in parsed.groups:
        if len(group) == 1:
            _add_clause(plan, group[0], long_query, restorer)
        else:  # OR: one unit that any alternative satisfies
            alternatives = _Plan()
            for clause in group:
                _add_clause(alternatives, clause, False, restorer)
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
    if len(text_clauses) == 1:
        terms = syllables(text_clauses[0].text)
        if 2 <= len(terms) <= PHRASE_FIRST_SYLLABLES:
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


def _add_clause(plan: _Plan, clause: Clause, long_query: bool, restorer: Callable[[], dict[str, str]] | None) -> None:
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
    _add_text(plan, clause.text, terms, folded_mode, long_query and clause.kind == TEXT, clause.kind == TEXT)
    if folded_mode and restorer is not None:
        _add_restored_words(plan, terms, restorer())


def _add_text(plan: _Plan, text: str, terms: list[str], folded_mode: bool, long_query: bool, as_units: bool) -> None:
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
        # In a query of several syllables a lone syllable is weak evidence ("ủy" of "Ủy ban" for
        # "tỉnh ủy"; without diacritics "nhung" is also những, nhúng): it is marked only next to
        # another match. The query's whole words, added below, are marked anywhere.
        plan.patterns.append(Pattern((key,), folded=folded_mode, weak=len(terms) > 1))

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
            if not all(s in STOP_SYLLABLES for s in word.split("_")):
                plan.patterns.append(Pattern(tuple(word.split("_"))))


def _add_restored_words(plan: _Plan, terms: list[str], restorer: dict[str, str]) -> None:
    """Rank the usual spelling of a query typed without diacritics: "tinh gon bo may" also
    scores the words "tinh_gọn" and "bộ_máy" (longest known word first at each syllable)."""
    i = 0
    while i < len(terms):
        for size in (3, 2):
            word = restorer.get("_".join(terms[i : i + size])) if i + size <= len(terms) else None
            if word:
                plan.scoring.append(wq.Term("body_words", word, boost=RESTORED_WEIGHT))
                plan.scoring.append(wq.Term("title_words", word, boost=RESTORED_WEIGHT * 2.5))
                i += size
                break
        else:
            i += 1


def _typed_as_abbreviation(term: str, typed: list[str]) -> bool:
    """Was this syllable typed with two or more capitals ("UBND", "TTg"), i.e. as an abbreviation?"""
    return any(t.lower() == term and sum(c.isupper() for c in t) >= 2 for t in typed)


# -- matching -------------------------------------------------------------------------------


def _match(postings: Postings, plan: _Plan, allowed: np.ndarray) -> np.ndarray:
    """Documents within `allowed` holding every required clause and enough of the units."""
    matched = allowed.copy()
    if plan.units:
        if plan.min_units >= len(plan.units):
            for unit in plan.units:
                matched &= postings.mask(unit)
        else:
            counts = np.zeros(postings.size, dtype=np.int16)
            for unit in plan.units:
                counts += postings.mask(unit)
            matched &= counts >= plan.min_units
    for query in plan.required:  # after the units: phrases are checked only where still possible
        matched &= postings.mask(query, within=matched)
    for excluded in plan.excluded:
        matched &= ~postings.mask(excluded, within=matched)
    return matched


def _rank(ix: Index, postings: Postings, plan: _Plan, matched: np.ndarray, needed: int,
          sort: str) -> list[tuple[int, float]]:
    """The first `needed` (docnum, score) pairs in result order."""
    candidates = np.flatnonzero(matched)
    if not len(candidates) or needed <= 0:
        return []
    ids, id_codes = postings.codes("id", ix.column("id"))
    del ids
    if sort == "date":
        _, date_codes = postings.codes("date", ix.column("date"))
        order = np.lexsort((id_codes[candidates], -date_codes[candidates]))
        return [(int(d), 0.0) for d in candidates[order[:needed]]]
    scores = postings.scores(plan.scoring)
    tiers = [candidates]
    if plan.phrase_first is not None:
        first = postings.mask(plan.phrase_first, within=matched)[candidates]
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


def _facets(ix: Index, postings: Postings, matched: np.ndarray) -> dict[str, dict[str, int]]:
    facets = {}
    for name in FACETS:
        values, codes = postings.codes(name, ix.column(name))
        counts = np.bincount(codes[matched], minlength=len(values))
        pairs = [(str(values[i]), int(counts[i])) for i in np.flatnonzero(counts) if values[i] != ""]
        facets[name] = dict(sorted(pairs, key=lambda item: (-item[1], item[0])))
    return facets


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
