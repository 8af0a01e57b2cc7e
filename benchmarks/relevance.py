"""Relevance on ALQAC 2024 (legal questions -> law articles): vnsearch against its peers, one run.

Every system indexes corpus.jsonl.gz (2,249 articles: id, title, text) and answers the 430
questions of queries-dev.jsonl; the top 10 are judged against qrels-dev.jsonl.

    .venv/bin/python benchmarks/relevance.py
    .venv/bin/python benchmarks/relevance.py --systems vnsearch,fts5 --index /tmp/alqac-index --write
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from bench_common import EVAL, add_write_option, append_results, provenance, raw_docs, require_paths, table
from ir_metrics import evaluate
from peers import PEERS, make_peer, missing
from vnsystem import SEARCH_MISSING, VnsearchSystem, search_available

SYSTEMS = ("vnsearch", *PEERS)
K = 10


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--eval-dir", type=Path, default=EVAL / "alqac2024", help="folder with corpus.jsonl.gz, "
                        "queries-dev.jsonl, qrels-dev.jsonl (default: %(default)s)")
    parser.add_argument("--systems", default=",".join(SYSTEMS), help="comma-separated subset of %(default)s")
    parser.add_argument("--index", type=Path, help="vnsearch index dir to reuse; built there (and kept) if absent")
    parser.add_argument("--workers", type=int, help="vnsearch analysis processes (default: one per core)")
    parser.add_argument("--max-queries", type=int, help="only the first N questions (quick checks)")
    add_write_option(parser)
    args = parser.parse_args()
    args.systems = [s.strip() for s in args.systems.split(",") if s.strip()]
    unknown = sorted(set(args.systems) - set(SYSTEMS))
    if unknown:
        parser.error(f"unknown systems {unknown}; choose from {','.join(SYSTEMS)}")
    return args


def load_eval(folder: Path, max_queries: int | None) -> tuple[list[tuple[str, str]], dict[str, set[str]]]:
    from vnsearch.text import normalize

    queries = [(q["qid"], q["text"]) for q in map(json.loads, (folder / "queries-dev.jsonl").open(encoding="utf-8"))]
    queries = queries[:max_queries]
    wanted = {qid for qid, _ in queries}
    qrels: dict[str, set[str]] = {qid: set() for qid in wanted}
    for line in (folder / "qrels-dev.jsonl").open(encoding="utf-8"):
        judgement = json.loads(line)
        if judgement["qid"] in wanted and judgement.get("relevance", 1) > 0:
            # vnsearch normalises ids as it reads them: judge every system on normalised ids.
            qrels[judgement["qid"]].add(normalize(judgement["doc_id"]))
    return queries, qrels


def run_queries(search, queries: list[tuple[str, str]]) -> tuple[dict[str, list[str]], float, int]:
    """The ranked ids per query, mean seconds per query, and how many queries raised."""
    from vnsearch.text import normalize

    run: dict[str, list[str]] = {}
    failed = 0
    start = time.perf_counter()
    for qid, text in queries:
        try:
            run[qid] = [normalize(doc_id) for doc_id in search(text, K)]
        except Exception as error:  # one bad query should not end a 430-query run; it is counted
            failed += 1
            run[qid] = []
            print(f"  {qid}: {type(error).__name__}: {error}", file=sys.stderr)
    return run, (time.perf_counter() - start) / max(1, len(queries)), failed


def measure_vnsearch(args: argparse.Namespace, corpus: Path, queries, qrels) -> dict | str:
    if not search_available():
        return SEARCH_MISSING
    system = VnsearchSystem(args.index)
    try:
        start = time.perf_counter()
        if args.index is None or not args.index.exists():
            print("vnsearch: indexing…", file=sys.stderr, flush=True)
            system.build([corpus], workers=args.workers)
            build = time.perf_counter() - start
        else:
            build = None  # reused
        run, per_query, failed = run_queries(system.search, queries)
    finally:
        system.close()
    return {**evaluate(run, qrels, K), "build_s": build, "query_ms": per_query * 1000, "failed": failed}


def measure_peer(name: str, corpus: Path, queries, qrels) -> dict | str:
    reason = missing(name)
    if reason:
        return reason
    print(f"{name}: indexing…", file=sys.stderr, flush=True)
    peer = make_peer(name)
    try:
        start = time.perf_counter()
        peer.build(raw_docs([corpus]))
        build = time.perf_counter() - start
        run, per_query, failed = run_queries(peer.search, queries)
    finally:
        peer.close()
    return {**evaluate(run, qrels, K), "build_s": build, "query_ms": per_query * 1000, "failed": failed}


def main() -> None:
    args = parse_args()
    corpus = args.eval_dir / "corpus.jsonl.gz"
    require_paths(corpus, args.eval_dir / "queries-dev.jsonl", args.eval_dir / "qrels-dev.jsonl")
    queries, qrels = load_eval(args.eval_dir, args.max_queries)

    results: dict[str, dict | str] = {}
    for name in args.systems:
        if name == "vnsearch":
            results[name] = measure_vnsearch(args, corpus, queries, qrels)
        else:
            results[name] = measure_peer(name, corpus, queries, qrels)

    headers = ["system", f"MRR@{K}", f"Recall@{K}", f"nDCG@{K}", "queries", "failed", "index s", "ms/query"]
    rows = []
    notes = []
    for name, result in results.items():
        if isinstance(result, str):
            notes.append(f"{name}: not run: {result}")
            continue
        rows.append([name, result[f"MRR@{K}"], result[f"Recall@{K}"], result[f"nDCG@{K}"], result["queries"],
                     result["failed"], result["build_s"], result["query_ms"]])
    print(f"ALQAC 2024 dev: {len(queries)} questions, {sum(map(len, qrels.values()))} judged relevant articles")
    print(provenance())
    print(table(headers, rows))
    for note in notes:
        print(note)
    body = table(headers, rows, markdown=True) + "".join(f"\n\n{note}" for note in notes)
    body += "\n\nPeers index the records as published; vnsearch normalises. Index seconds include reading the corpus."
    append_results(args.write, "Relevance: ALQAC 2024 dev (benchmarks/relevance.py)", body)


if __name__ == "__main__":
    main()
