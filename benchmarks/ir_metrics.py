"""Rank metrics with binary relevance: MRR@k, Recall@k, nDCG@k (as trec_eval computes them).

nDCG uses gain 1 for a relevant document, discount 1/log2(rank + 1), and the ideal DCG of
min(#relevant, k) relevant documents at the top. Every judged relevant document counts, also
one that is missing from the corpus (it simply cannot be found), as in trec_eval.
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


def ndcg(ranked: Sequence[str], relevant: set[str], k: int) -> float:
    dcg = sum(1.0 / math.log2(rank + 1) for rank, doc_id in enumerate(ranked[:k], start=1) if doc_id in relevant)
    ideal = sum(1.0 / math.log2(rank + 1) for rank in range(1, min(len(relevant), k) + 1))
    return dcg / ideal if ideal else 0.0


def evaluate(run: Mapping[str, Sequence[str]], qrels: Mapping[str, set[str]], k: int = 10) -> dict[str, float]:
    """Means over the judged queries; a judged query missing from the run scores 0."""
    qids = sorted(qid for qid, relevant in qrels.items() if relevant)
    return {
        f"MRR@{k}": fmean(reciprocal_rank(run.get(q, []), qrels[q], k) for q in qids),
        f"Recall@{k}": fmean(recall(run.get(q, []), qrels[q], k) for q in qids),
        f"nDCG@{k}": fmean(ndcg(run.get(q, []), qrels[q], k) for q in qids),
        "queries": len(qids),
    }
