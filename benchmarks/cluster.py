"""The cluster engine beside the embedded one: indexing time, query latency, memory, agreement.

Builds the same corpus three ways on this machine: the embedded Whoosh index, a one-node Sphinx
cluster and a two-node one (`searchd` processes on loopback ports, stopped at the end by their
own pids). Every build analyses the documents itself (pyvi is most of the cost), with --workers
processes. Then each answers the same queries (the politics-dev topics as users typed them, and
the latency benchmark's classes: phrases, words, no diacritics, numbers, quoted, filtered) with
snippets of the top 10, once to warm up and --repeat times measured; and the top 10 of each
cluster is compared with the embedded engine's (overlap@10).

Both nodes of the two-node cluster share this machine's 2 cores with the client: it shows what
sharding costs (every query goes to both shards and is merged), not what two machines gain.

    .venv/bin/python benchmarks/cluster.py                      # news-politics
    .venv/bin/python benchmarks/cluster.py --corpus news-all --repeat 2
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import time
from pathlib import Path
from typing import Any

from bench_common import (
    CORPUS,
    EVAL,
    WORK_DIR,
    add_write_option,
    dir_size,
    human_bytes,
    percentile,
    provenance,
    report,
    require_paths,
    vnsearch_documents,
)
from latency import QUERIES

from vnsearch import Index
from vnsearch.engine.sphinx.connection import Connection
from vnsearch.engine.sphinx.local import LocalCluster, searchd_path


def _queries() -> list[tuple[str, str, dict[str, Any]]]:
    topics = EVAL / "politics-dev" / "topics.jsonl"
    typed = [("topic", json.loads(line)["query"], {}) for line in topics.read_text(encoding="utf-8").splitlines()
             if line.strip()] if topics.exists() else []
    return typed + list(QUERIES)


def _rss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def _measure(ix: Index, queries: list[tuple[str, str, dict[str, Any]]], repeat: int) -> tuple[list[float], dict[str, list[str]]]:
    tops: dict[str, list[str]] = {}
    for _kind, query, options in queries:  # warm-up, and the answers compared
        tops[query + repr(options)] = [hit.id for hit in ix.search(query, limit=10, **options).hits]
    times = []
    for _ in range(repeat):
        for _kind, query, options in queries:
            started = time.perf_counter()
            ix.search(query, limit=10, **options)
            times.append((time.perf_counter() - started) * 1000)
    return times, tops


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", default="news-politics", help="a corpus file in ../shared/corpus (without .jsonl.gz)")
    parser.add_argument("--limit", type=int, default=None, help="only the first N records")
    parser.add_argument("--repeat", type=int, default=3, help="measured passes over the queries")
    parser.add_argument("--workers", type=int, default=2, help="analysis processes for every build")
    parser.add_argument("--nodes", default="1,2", help="cluster sizes to build, e.g. 1,2")
    parser.add_argument("--reuse-embedded", action="store_true",
                        help="keep the embedded index a previous run built (its build time is then not measured)")
    add_write_option(parser)
    args = parser.parse_args()
    path = CORPUS / f"{args.corpus}.jsonl.gz"
    require_paths(path)
    if searchd_path() is None:
        sys.exit("error: searchd not found (apt-get install sphinxsearch)")
    documents = vnsearch_documents([path], args.limit)
    queries = _queries()
    work = WORK_DIR / f"cluster-{args.corpus}"
    reuse = args.reuse_embedded and (work / "embedded").exists()
    for old in work.iterdir() if work.exists() else ():
        if not (reuse and old.name == "embedded"):
            shutil.rmtree(old, ignore_errors=True)
    work.mkdir(parents=True, exist_ok=True)
    rows: list[list[object]] = []
    embedded_tops: dict[str, list[str]] = {}

    started = time.perf_counter()
    if not reuse:
        with Index.create(work / "embedded") as ix:
            ix.add(documents, workers=args.workers)
    build = time.perf_counter() - started
    with Index.open(work / "embedded") as ix:
        times, embedded_tops = _measure(ix, queries, args.repeat)
    size = dir_size(work / "embedded")
    rows.append(["embedded (Whoosh)", "(reused)" if reuse else f"{build:.0f}", f"{percentile(times, 50):.1f}",
                 f"{percentile(times, 95):.1f}",
                 human_bytes(size), "-", "-", "1.000"])

    for count in (int(n) for n in args.nodes.split(",") if n.strip()):
        cluster = LocalCluster(work / f"sphinx-{count}", nodes=count)
        cluster.start()
        try:
            empty = sum(_rss_kb(p.pid) for p in cluster.processes if p is not None) * 1024
            started = time.perf_counter()
            with Index.create(work / f"state-{count}", engine_url=cluster.url) as ix:
                ix.add(documents, workers=args.workers)
            build = time.perf_counter() - started
            with Index.open(work / f"state-{count}", engine_url=cluster.url) as ix:
                times, tops = _measure(ix, queries, args.repeat)
            rss = sum(_rss_kb(p.pid) for p in cluster.processes if p is not None) * 1024 - empty
            # RT indexes keep new documents in a RAM chunk (rt_mem_limit) until they are flushed
            # to disk chunks, whose postings are then read from disk: the steady state.
            for node in cluster.nodes:
                connection = Connection(node)
                connection.execute(f"FLUSH RTINDEX {cluster.name}_rt")
                connection.close()
            time.sleep(1)
            flushed = sum(_rss_kb(p.pid) for p in cluster.processes if p is not None) * 1024 - empty
            disk = dir_size(work / f"sphinx-{count}")
            overlap = [len(set(tops[key]) & set(embedded_tops[key])) / max(1, len(embedded_tops[key]))
                       for key in embedded_tops if embedded_tops[key]]
            rows.append([f"Sphinx, {count} node{'s' if count > 1 else ''}", f"{build:.0f}", f"{percentile(times, 50):.1f}",
                         f"{percentile(times, 95):.1f}", human_bytes(disk),
                         f"{human_bytes(rss)} ({rss / len(documents) / 1024:.1f} KB/doc)",
                         f"{human_bytes(flushed)} ({flushed / len(documents) / 1024:.1f} KB/doc)",
                         f"{sum(overlap) / len(overlap):.3f}"])
        finally:
            cluster.stop()
    heading = f"Cluster engine: {args.corpus} ({len(documents):,} documents)"
    legend = (f"Build: seconds to analyse and index every document ({args.workers} analysis processes). Query: "
              f"milliseconds per search with snippets of the top 10, {len(queries)} queries x {args.repeat} "
              "(politics-dev topics + the latency classes). Memory: what searchd's resident memory grew by, all nodes, "
              "from empty to after the queries, and after its RAM chunk was flushed to disk chunks. "
              "Overlap: top-10 overlap with the embedded engine. " + provenance())
    report(heading, (["engine", "build s", "p50 ms", "p95 ms", "disk", "searchd memory growth", "after FLUSH RTINDEX",
                      "overlap@10"], rows),
           legend, None, [], args.write)


if __name__ == "__main__":
    main()
