"""Rank metrics at a cutoff k, as trec_eval computes them.

Binary (a set of relevant ids): MRR@k, Recall@k, nDCG@k. Graded (id -> judged grade):
nDCG@k with gain = grade, P@k and MRR@k counting grade >= 1 as relevant.

nDCG: DCG = sum of gain / log2(rank + 1) over the top k; the ideal DCG puts every judged
document's gain in decreasing order and cuts it at k. Every judged document counts, also one
missing from the corpus (it simply cannot be found); an unjudged document has gain 0. P@k
divides by k even when fewer than k documents came back (trec_eval's P_10).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from statistics import fmean


def reciprocal_rank(ranked: Sequence[str], relevant: set[str], k: int) -> float:
    for rank, doc_id in enumerate(ranked[:k], start=1):
        if doc_id in relevant:
            return 1.0 / rank
    return 0.0


def recall(ranked: Sequence[str], relevant: set[str], k: int) -> float:
    return len(set(ranked[:k]) & relevant) / len(relevant) if relevant else 0.0


def precision(ranked: Sequence[str], relevant: set[str], k: int) -> float:
    return sum(1 for doc_id in ranked[:k] if doc_id in relevant) / k


def graded_ndcg(ranked: Sequence[str], gains: Mapping[str, float], k: int) -> float:
    dcg = sum(gains.get(doc_id, 0) / math.log2(rank + 1) for rank, doc_id in enumerate(ranked[:k], start=1))
    best = sorted((g for g in gains.values() if g > 0), reverse=True)[:k]
    ideal = sum(gain / math.log2(rank + 1) for rank, gain in enumerate(best, start=1))
    return dcg / ideal if ideal else 0.0


def ndcg(ranked: Sequence[str], relevant: set[str], k: int) -> float:
    return graded_ndcg(ranked, dict.fromkeys(relevant, 1), k)


def evaluate(run: Mapping[str, Sequence[str]], qrels: Mapping[str, set[str]], k: int = 10) -> dict[str, float]:
    """Binary relevance: means over the judged queries; a judged query missing from the run scores 0."""
    qids = sorted(qid for qid, relevant in qrels.items() if relevant)
    return {
        f"MRR@{k}": fmean(reciprocal_rank(run.get(q, []), qrels[q], k) for q in qids),
        f"Recall@{k}": fmean(recall(run.get(q, []), qrels[q], k) for q in qids),
        f"nDCG@{k}": fmean(ndcg(run.get(q, []), qrels[q], k) for q in qids),
        "queries": len(qids),
    }


def graded_scores(ranked: Sequence[str], grades: Mapping[str, int], k: int = 10) -> dict[str, float]:
    """One query's nDCG@k (gain = grade), P@k and MRR@k (grade >= 1 is relevant)."""
    relevant = {doc_id for doc_id, grade in grades.items() if grade >= 1}
    return {
        f"nDCG@{k}": graded_ndcg(ranked, grades, k),
        f"P@{k}": precision(ranked, relevant, k),
        f"MRR@{k}": reciprocal_rank(ranked, relevant, k),
    }
