"""Does pseudo-relevance feedback (RM3-style expansion from the top documents) rank better?

Issue 9 asked for it "if it measures better". This trial reranks vnsearch's own first-pass
candidates (its top CANDIDATES) by adding an expansion score: the most distinctive pyvi words of
the first-pass top k documents (related.py's tf·idf choice, the same words "Văn bản liên quan"
uses), each weighted by how much of the feedback documents' weight it carries (RM1: summed over
the k documents, each document's share by its first-pass score), scored by BM25F on
`body_words` like any signal, times lambda. lambda = 0 is today's ranking (checked).

    .venv/bin/python benchmarks/prf_trial.py --index-alqac /tmp/ev/rel-alqac --index-politics /tmp/ev/rel-pol

Prints ALQAC dev MRR@10 and politics-dev nDCG@10 for each (k, words, lambda) of a small grid,
and the grid point chosen by 5-fold cross-validation over both sets with its held-out means.
"""

from __future__ import annotations

import argparse
import random
import sys
from collections import defaultdict
from pathlib import Path
from statistics import fmean

import numpy as np
from bench_common import provenance, table
from ir_metrics import graded_scores, reciprocal_rank
from relevance import EXTRA_JUDGMENTS, K, load_alqac, load_politics, normalized_id

CANDIDATES = 50
GRID_K = (3, 5, 10)
GRID_WORDS = (10, 20)
GRID_LAMBDA = (0.0, 0.25, 0.5, 1.0, 2.0, 4.0, 8.0, 16.0)  # base scores run to the tens (a phrase signal weighs 12)


def first_pass(ix, text: str) -> list[tuple[int, str, float]]:
    """(docnum, id, score) of vnsearch's top CANDIDATES, best first."""
    hits = ix.search(text, limit=CANDIDATES).hits
    return [(ix._find(hit.id)[1], hit.id, hit.score) for hit in hits]


def expansion_scores(snapshot, words_of, candidates, k: int, words: int, query_words: set[str]) -> np.ndarray | None:
    """The expansion's BM25F score of every document (RM1 weights from the top k)."""
    from vnsearch.planner import Signal, Term

    top = candidates[:k]
    if not top:
        return None
    scores = np.array([score for _, _, score in top], dtype=float)
    shares = scores / scores.sum() if scores.sum() > 0 else np.full(len(top), 1 / len(top))
    weights: dict[str, float] = defaultdict(float)
    for share, (docnum, _, _) in zip(shares, top, strict=True):
        chosen = words_of(docnum)
        total = sum(w for _, w in chosen) or 1.0
        for word, weight in chosen:
            if word not in query_words:
                weights[word] += share * weight / total
    picked = sorted(weights.items(), key=lambda item: (-item[1], item[0]))[:words]
    if not picked:
        return None
    norm = sum(w for _, w in picked)
    signals = [Signal("prf", Term("body_words", word), weight / norm) for word, weight in picked]
    return snapshot.scores(signals)


def per_query_runs(index: Path, topics) -> dict[str, dict[tuple, list[str]]]:
    """For each topic and grid point, the reranked top K ids."""
    from vnsearch import Index
    from vnsearch.analysis import analyze_text
    from vnsearch.related import distinctive_words
    from vnsearch.text import normalize

    runs: dict[str, dict[tuple, list[str]]] = {}
    with Index.open(index) as ix:
        snapshot = ix._embedded_snapshot()
        cache: dict[int, list[tuple[str, float]]] = {}

        def words_of(docnum: int) -> list[tuple[str, float]]:
            if docnum not in cache:
                document = snapshot.document(docnum)
                cache[docnum] = distinctive_words(snapshot, document.title, document.text)
            return cache[docnum]

        for n, topic in enumerate(topics):
            candidates = first_pass(ix, topic.text)
            query_words = set(analyze_text(normalize(topic.text)).words)
            base = np.array([score for _, _, score in candidates])
            runs[topic.qid] = {}
            for k in GRID_K:
                for words in GRID_WORDS:
                    extra = expansion_scores(snapshot, words_of, candidates, k, words, query_words)
                    docnums = [d for d, _, _ in candidates]
                    gained = extra[docnums] if extra is not None and candidates else np.zeros(len(candidates))
                    for lam in GRID_LAMBDA:
                        order = np.argsort(-(base + lam * gained), kind="stable")
                        runs[topic.qid][(k, words, lam)] = [normalized_id(candidates[i][1]) for i in order[:K]]
            if n % 50 == 0:
                print(f"  {index.name}: {n}/{len(topics)}", file=sys.stderr, flush=True)
    return runs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--index-alqac", type=Path, required=True)
    parser.add_argument("--index-politics", type=Path, required=True)
    args = parser.parse_args()
    alqac, politics = load_alqac(None), load_politics(None, EXTRA_JUDGMENTS)
    per_topic: list[tuple[str, str, dict[tuple, float]]] = []  # (set, qid, grid point -> score)
    for name, devset, index in (("alqac", alqac, args.index_alqac), ("politics", politics, args.index_politics)):
        runs = per_query_runs(index, devset.topics)
        for topic in devset.topics:
            grades = devset.qrels.get(topic.qid, {})
            if not any(grades.values()):
                continue
            if name == "alqac":
                relevant = {doc for doc, grade in grades.items() if grade > 0}
                scores = {point: reciprocal_rank(ids, relevant, K) for point, ids in runs[topic.qid].items()}
            else:
                scores = {point: graded_scores(ids, grades, K)[f"nDCG@{K}"] for point, ids in runs[topic.qid].items()}
            per_topic.append((name, topic.qid, scores))
    points = list(per_topic[0][2])

    def mean(items, point, which):
        values = [scores[point] for name, _, scores in items if name == which]
        return fmean(values) if values else float("nan")

    rows = [[*point, f"{mean(per_topic, point, 'alqac'):.4f}", f"{mean(per_topic, point, 'politics'):.4f}"] for point in points]
    print(provenance())
    print(table(["k", "words", "lambda", "ALQAC MRR@10", "politics nDCG@10"], rows))
    # 5-fold cross-validation: choose the point maximising the mean of both sets' means on four folds.
    random.seed(7)
    shuffled = per_topic[:]
    random.shuffle(shuffled)
    folds = [shuffled[i::5] for i in range(5)]
    held: dict[str, list[float]] = {"alqac": [], "politics": []}
    chosen = []
    for i, fold in enumerate(folds):
        train = [item for j, f in enumerate(folds) if j != i for item in f]
        best = max(points, key=lambda p: (mean(train, p, "alqac") + mean(train, p, "politics")) / 2)
        chosen.append(best)
        for name, _, scores in fold:
            held[name].append(scores[best])
    print(f"cross-validated choices: {chosen}")
    print(f"held-out means: ALQAC MRR@10 {fmean(held['alqac']):.4f}, politics nDCG@10 {fmean(held['politics']):.4f}")


if __name__ == "__main__":
    main()
