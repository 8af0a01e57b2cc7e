"""Fit the planner's signal weights on both dev sets, with k-fold cross-validation.

For every dev query the match set does not depend on the weights, and a document's score is a
weighted sum of its signals. So each query is run once: its matched documents and, for each,
every signal's score at weight 1 (a matrix). Any weight vector then ranks every query with one
matrix product. Coordinate ascent over the weights of each kind of signal maximises the mean of
politics-dev nDCG@10 (graded) and ALQAC MRR@10, each set counting half.

Cross-validation: the queries of each set are split into K folds; weights fitted on K-1 folds
of both sets are scored on the held-out fold, against the current weights on the same fold.
The final weights are fitted on everything and printed for `planner.WEIGHTS`.

    .venv/bin/python benchmarks/fit_weights.py --index-politics DIR --index-alqac DIR
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import math
import random
import sys
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from statistics import fmean

import numpy as np
from bench_common import provenance
from relevance import EXTRA_JUDGMENTS, load_alqac, load_politics

K = 10
STEPS = (0.0, 0.25, 0.5, 0.75, 1.0, 1.5, 2.0, 3.0, 5.0)  # multipliers tried for one weight
FIXED = {"number", "cites", "long number", "long cites"}  # document numbers: far above everything by design


@dataclass
class Query:
    dataset: str  # "politics" or "alqac"
    qid: str
    kinds: list[str]  # the kind of each signal column
    table: np.ndarray  # (matched documents, signals): each signal's score at weight 1
    first: np.ndarray  # bool per document: holds the query as a phrase (the rank tier)
    grades: np.ndarray  # the judged grade of each matched document (0 when unjudged)
    ideal: float  # ideal DCG@K (politics) or 1 (alqac)


def collect(index: Path, dataset: str, queries: list[tuple[str, str]], grades: dict[str, dict[str, int]]) -> list[Query]:
    from vnsearch import Index
    from vnsearch.filters import filter_mask, resolve_filters
    from vnsearch.query import parse
    from vnsearch.search import find_matches
    from vnsearch.text import normalize

    collected = []
    with Index.open(index) as ix:
        snapshot = ix._engine.snapshot()
        ids = snapshot.column("id")
        for qid, text in queries:
            parsed = parse(text)
            allowed = filter_mask(snapshot, resolve_filters(parsed, None, None, None, None))
            plan, match, _ = find_matches(snapshot, parsed, allowed)
            matched = match.near  # what `search` ranks by relevance
            docs = np.flatnonzero(matched)
            unit = [dataclasses.replace(s, weight=1.0) for s in plan.signals]
            table = snapshot.signal_scores(unit, docs) if len(docs) else np.zeros((0, len(unit)), dtype=np.float32)
            first = (snapshot.mask(plan.phrase_first)[docs] if plan.phrase_first is not None
                     else np.zeros(len(docs), dtype=bool))
            judged = grades.get(qid, {})
            doc_grades = np.array([judged.get(normalize(ids[d]), 0) for d in docs], dtype=np.float64)
            if dataset == "politics":
                best = sorted(judged.values(), reverse=True)[:K]
                ideal = sum(g / math.log2(i + 2) for i, g in enumerate(best))
            else:
                ideal = 1.0
            # Long queries have weights of their own (planner.LONG_WEIGHTS): their kinds are fitted apart.
            kinds = [f"long {s.kind}" if plan.long_query else s.kind for s in plan.signals]
            collected.append(Query(dataset, qid, kinds, table, first, doc_grades, ideal))
    return collected


def query_score(query: Query, weights: dict[str, float], tier: bool) -> float:
    if not len(query.grades) or not query.ideal:
        return 0.0
    w = np.array([weights[kind] for kind in query.kinds], dtype=np.float32)
    scores = query.table @ w if query.table.shape[1] else np.zeros(len(query.grades), dtype=np.float32)
    keys = (-scores,) if not tier else (-scores, ~query.first)
    top = np.lexsort(keys)[:K]  # lexsort: the last key is the primary one
    gains = query.grades[top]
    if query.dataset == "politics":
        return float(sum(g / math.log2(i + 2) for i, g in enumerate(gains)) / query.ideal)
    hits = np.flatnonzero(gains > 0)
    return 1.0 / (hits[0] + 1) if len(hits) else 0.0


def objective(queries: list[Query], weights: dict[str, float], tier: bool) -> float:
    by_set: dict[str, list[float]] = defaultdict(list)
    for query in queries:
        by_set[query.dataset].append(query_score(query, weights, tier))
    return fmean(fmean(values) for values in by_set.values())


def fit(queries: list[Query], start: dict[str, float], tier: bool, rounds: int = 3,
        only: set[str] | None = None) -> dict[str, float]:
    """Coordinate ascent: each weight in turn takes the multiple of its value (or, from zero,
    the value) that scores best, until a round changes nothing. `only`: the kinds to fit."""
    weights = dict(start)
    best = objective(queries, weights, tier)
    kinds = sorted({kind for query in queries for kind in query.kinds} - FIXED)
    if only is not None:
        kinds = [kind for kind in kinds if kind in only]
    for _ in range(rounds):
        changed = False
        for kind in kinds:
            base = weights[kind] or 1.0
            for step in STEPS:
                trial = {**weights, kind: round(base * step, 4)}
                value = objective(queries, trial, tier)
                if value > best + 1e-6:
                    best, weights, changed = value, trial, True
        if not changed:
            break
    return weights


def folds(queries: list[Query], k: int, seed: int) -> list[list[Query]]:
    rng = random.Random(seed)
    parts: list[list[Query]] = [[] for _ in range(k)]
    for dataset in sorted({q.dataset for q in queries}):
        chosen = [q for q in queries if q.dataset == dataset]
        rng.shuffle(chosen)
        for i, query in enumerate(chosen):
            parts[i % k].append(query)
    return parts


def per_set(queries: list[Query], weights: dict[str, float], tier: bool) -> dict[str, float]:
    by_set: dict[str, list[float]] = defaultdict(list)
    for query in queries:
        by_set[query.dataset].append(query_score(query, weights, tier))
    return {name: round(fmean(values), 4) for name, values in sorted(by_set.items())}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--index-politics", type=Path, required=True, help="vnsearch index of news-politics + news-dated")
    parser.add_argument("--index-alqac", type=Path, required=True, help="vnsearch index of the ALQAC corpus")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--tier", choices=("on", "off", "both"), default="both",
                        help="rank documents holding a short query as a phrase first (the phrase tier)")
    parser.add_argument("--kinds", help="fit only these kinds, comma-separated (long ones as 'long word'); "
                        "fewer free weights overfit less")
    parser.add_argument("--drop", help="kinds whose weight is held at zero, comma-separated: what a signal "
                        "buys (and so what its index field buys), refitting the others without it")
    args = parser.parse_args()
    only = {kind.strip() for kind in args.kinds.split(",")} if args.kinds else None

    from vnsearch import planner

    for kind in (k.strip() for k in (args.drop or "").split(",") if k.strip()):
        if kind not in planner.WEIGHTS:
            parser.error(f"--drop: no kind {kind!r}; kinds: {', '.join(planner.WEIGHTS)}")
        planner.WEIGHTS[kind] = planner.LONG_WEIGHTS[kind] = 0.0
        FIXED.update((kind, f"long {kind}"))

    politics, alqac = load_politics(None, EXTRA_JUDGMENTS), load_alqac(None)
    # Signals whose current weight is zero still get a column, so that the fit can weigh them.
    for kind in ("phrase", "title phrase", "all words"):
        planner.WEIGHTS[kind] = planner.WEIGHTS[kind] or 1e-9
    print("collecting signal tables…", file=sys.stderr, flush=True)
    queries = collect(args.index_politics, "politics", [(t.qid, t.text) for t in politics.topics], politics.qrels)
    queries += collect(args.index_alqac, "alqac", [(t.qid, t.text) for t in alqac.topics if alqac.qrels[t.qid]],
                       alqac.qrels)
    current = {kind: (0.0 if weight < 1e-6 else weight) for kind, weight in planner.WEIGHTS.items()}
    current |= {f"long {kind}": planner.LONG_WEIGHTS.get(kind, weight) for kind, weight in current.items()}

    print(provenance())
    tiers = {"on": [True], "off": [False], "both": [True, False]}[args.tier]
    for tier in tiers:
        held_fitted, held_current = [], []
        for i, part in enumerate(folds(queries, args.folds, args.seed)):
            rest = [q for q in queries if q not in part]
            fitted = fit(rest, current, tier, only=only)
            held_fitted.append(per_set(part, fitted, tier))
            held_current.append(per_set(part, current, PHRASE_TIER_NOW))
            print(f"tier {'on' if tier else 'off'} fold {i + 1}: current {held_current[-1]} fitted {held_fitted[-1]}",
                  flush=True)
        mean = {name: round(fmean(f[name] for f in held_fitted), 4) for name in held_fitted[0]}
        base = {name: round(fmean(f[name] for f in held_current), 4) for name in held_current[0]}
        final = fit(queries, current, tier, only=only)
        print(f"\nphrase tier {'on' if tier else 'off'}: held-out mean, fitted {mean} vs current {base}")
        print(f"on all queries: fitted {per_set(queries, final, tier)} vs current {per_set(queries, current, PHRASE_TIER_NOW)}")
        changed = {k: v for k, v in final.items() if v != current.get(k)}
        print("fitted WEIGHTS:", json.dumps({k: v for k, v in changed.items() if not k.startswith("long ")}, ensure_ascii=False))
        print("fitted LONG_WEIGHTS:", json.dumps({k[5:]: v for k, v in changed.items() if k.startswith("long ")},
                                                 ensure_ascii=False))


PHRASE_TIER_NOW = True

if __name__ == "__main__":
    from vnsearch import planner as _planner

    PHRASE_TIER_NOW = _planner.PHRASE_TIER
    main()
