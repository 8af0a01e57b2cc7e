"""A vnsearch Plan as Sphinx full-text queries (the text inside MATCH('...')).

- Term -> its token (`schema.token`: the token names its field, no `@field` limit needed);
  Phrase -> "t1 t2 ..." (Sphinx's phrase operator over the positions of the syllable field);
  AnyOf -> ( a | b ); AllOf -> ( a b ).
- Units: a match holds `k` of them. All of them: ( u1 u2 ... ). Fewer: the OR of every
  k-combination while there are few (exact; short queries, at most SHORT_QUERY_UNITS units);
  beyond that Sphinx's quorum operator over one keyword per way of holding each unit gives a
  superset (`superset_units_query`), which the engine narrows to the exact set by asking which
  candidates hold which unit.
- Ranking: the plan's term signals become keywords in a MAYBE branch (it never changes what
  matches), each with Sphinx's IDF boost `token^weight`; the ranker is BM25F (k1=1.2, b=0.75,
  Whoosh's) over them, so each term adds weight x idf x saturated tf, as the embedded engine's
  per-field BM25 does. Sphinx merges repeated keywords and keeps the *last* boost it reads, so
  the ranking branch comes last and names every keyword of the query once: with its signal's
  weight, or ^0 when it only matches.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable
from itertools import combinations

from ...planner import AllOf, AnyOf, Node, Phrase, Plan, Signal, Term
from .schema import EVERY_DOCUMENT, token

MAX_COMBINATIONS = 20  # k-of-n units as an OR of combinations up to this many; a quorum beyond


def node_query(node: Node) -> str:
    if isinstance(node, Term):
        return token(node.field, node.text)
    if isinstance(node, Phrase):
        return '"' + " ".join(token(node.field, word) for word in node.words) + '"'
    if isinstance(node, AnyOf):
        parts = list(dict.fromkeys(node_query(sub) for sub in node.nodes))
        return parts[0] if len(parts) == 1 else "(" + " | ".join(parts) + ")"
    if isinstance(node, AllOf):
        parts = list(dict.fromkeys(node_query(sub) for sub in node.nodes))
        return parts[0] if len(parts) == 1 else "(" + " ".join(parts) + ")"
    raise TypeError(f"not a plan node: {node!r}")


def tokens_of(node: Node) -> Iterable[str]:
    if isinstance(node, Term):
        yield token(node.field, node.text)
    elif isinstance(node, Phrase):
        yield from (token(node.field, word) for word in node.words)
    elif isinstance(node, (AnyOf, AllOf)):
        for sub in node.nodes:
            yield from tokens_of(sub)


def exact_units(plan: Plan, needed: int) -> bool:
    """Can `units_query` say exactly which documents hold `needed` units?"""
    count = len(plan.units)
    needed = max(1, min(needed, count))
    return needed == count or math.comb(count, needed) <= MAX_COMBINATIONS


def units_query(plan: Plan, needed: int) -> str | None:
    """Documents holding `needed` of the plan's units (None: no units). A unit listed twice
    (a word the query repeats) counts twice, as in the embedded engine. Beyond
    MAX_COMBINATIONS, a superset of them (`superset_units_query`)."""
    units = [node_query(unit) for unit in plan.units]
    if not units:
        return None
    needed = max(1, min(needed, len(units)))
    if needed == len(units):
        return " ".join(dict.fromkeys(units))
    if math.comb(len(units), needed) <= MAX_COMBINATIONS:
        combos = dict.fromkeys(tuple(sorted(set(combo))) for combo in combinations(units, needed))
        if len(combos) == 1:
            return " ".join(next(iter(combos)))
        return "(" + " | ".join("(" + " ".join(combo) + ")" for combo in combos) + ")"
    return superset_units_query(plan, needed)


def superset_units_query(plan: Plan, needed: int) -> str:
    """Every document holding `needed` units, and some more: Sphinx's quorum operator
    "k1 k2 ..."/t counts single keywords, not sub-queries, so each form a unit can be held in
    stands for it by one keyword that form implies (a syllable; a word's syllable pair), and
    t is the fewest distinct keywords a document holding `needed` units can show."""
    distinct: dict[Node, int] = {}
    for unit in plan.units:
        distinct[unit] = distinct.get(unit, 0) + 1
    keywords: dict[Node, set[str]] = {unit: set(_representatives(unit)) for unit in distinct}
    # The fewest distinct units that add up to `needed` (repeated ones count several times) ...
    fewest, held = 0, 0
    for times in sorted(distinct.values(), reverse=True):
        if held >= needed:
            break
        fewest, held = fewest + 1, held + times
    # ... each showing at least one of its keywords; units sharing keywords may show fewer.
    listed = list(dict.fromkeys(k for unit in distinct for k in sorted(keywords[unit])))
    if not listed:
        return EVERY_DOCUMENT
    shared = sum(len(k) for k in keywords.values()) - len(listed)
    threshold = max(1, min(fewest - shared, len(listed)))
    return '"' + " ".join(listed) + f'"/{threshold}'


def _representatives(unit: Node) -> Iterable[str]:
    """One keyword for each way `unit` can be held, that this way implies."""
    for node in unit.nodes if isinstance(unit, AnyOf) else (unit,):
        if isinstance(node, Term):
            yield token(node.field, node.text)
        elif isinstance(node, Phrase):
            yield token(node.field, node.words[0])
        elif isinstance(node, AllOf):
            pairs = [sub for sub in node.nodes if isinstance(sub, Term) and sub.field.endswith("_pairs_folded")]
            yield from itertools.islice(_representatives(pairs[0] if pairs else node.nodes[0]), 1)
        else:  # a nested AnyOf: any of its ways
            yield from _representatives(node)


def boosts(signals: list[Signal]) -> dict[str, float]:
    """Token -> the sum of its term signals' weights (a term named twice counts twice, as the
    embedded engine adds both signals)."""
    weights: dict[str, float] = {}
    for signal in signals:
        if isinstance(signal.node, Term) and signal.weight:
            key = token(signal.node.field, signal.node.text)
            weights[key] = weights.get(key, 0.0) + signal.weight
    return weights


def match_query(plan: Plan, needed: int, *, extra: Iterable[str] = (), excluded_extra: Iterable[str] = (),
                number: str | None = None, superset: bool = False) -> str:
    """The boolean part: `needed` units (a superset of them with `superset`), every required
    node, no excluded node, plus `extra` sub-queries that must hold and `excluded_extra` that
    must not."""
    parts = []
    units = (superset_units_query(plan, needed) if plan.units else None) if superset else units_query(plan, needed)
    if units:
        parts.append(units)
    parts += [node_query(node) for node in plan.required]
    if number:
        parts.append(token("number", number))
    parts += list(extra)
    if not parts:
        parts.append(EVERY_DOCUMENT)
    negative = [node_query(node) for node in plan.excluded] + list(excluded_extra)
    return " ".join(parts) + "".join(f" !{_group(n)}" for n in negative)


def _group(query: str) -> str:
    return query if query.startswith("(") else f"({query})"


def ranked_query(boolean: str, plan: Plan, weights: dict[str, float]) -> str:
    """`boolean`, ranked by the plan's signals (see the module docstring)."""
    seen = dict.fromkeys(_keywords(boolean))
    for signal in plan.signals:
        if not isinstance(signal.node, Term) and signal.weight:
            seen.update(dict.fromkeys(tokens_of(signal.node)))
    seen.update(dict.fromkeys(weights))
    ranking = [f"{keyword}^{_boost(weights.get(keyword, 0.0))}" for keyword in seen if keyword != EVERY_DOCUMENT]
    phrases = [node_query(s.node) for s in plan.signals if not isinstance(s.node, Term) and s.weight]
    if not ranking and not phrases:
        return boolean
    return f"({boolean}) MAYBE (" + " | ".join(phrases + ranking) + ")"


def _boost(weight: float) -> str:
    return f"{max(weight, 0.0):.6g}"


def _keywords(query: str) -> list[str]:
    words = query.replace('"', " ").replace("(", " ").replace(")", " ").replace("|", " ").replace("!", " ").split()
    return [w for w in words if "_" in w and not w.startswith("/")]
