"""Query latency with snippets for the top 10: vnsearch against stock Whoosh (and optionally FTS5).

A fixed query set in classes (phrases, single words, no diacritics, document numbers, quoted
phrases, filtered / date-sorted, long questions). Each system answers the whole set once to
warm up, then --repeat times; every answer includes highlighted snippets of its top 10 (vnsearch
computes them in search(); peers through their highlighters). Filtered and date-sorted queries
need vnsearch's metadata fields: peers have none and skip that class.

First queries: --cold times each query as the first of a freshly opened index in this process
(open, search, snippets; Python's imports, the segmentation model and the OS file cache are
already warm); --cli times it as a process of its own from start to exit (`vnsearch search`;
for Whoosh, a script that opens its index and prints highlights): what a command-line user waits.
--resident times the same processes handing the query to vnsearch's resident searcher, started
just before the first and cold (its first query opens the index): what the user of a terminal
waits from the second search on.

    .venv/bin/python benchmarks/latency.py --vnsearch-index indexes/news --whoosh-index /tmp/whoosh-news
    .venv/bin/python benchmarks/latency.py                 # builds both from the default corpus files
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench_common import (
    CORPUS,
    add_write_option,
    percentile,
    provenance,
    raw_docs,
    report,
    require_paths,
)
from peers import build_whoosh, make_peer, missing
from vnsystem import SEARCH_MISSING, VnsearchSystem, search_available

PHRASES = ["phòng chống tham nhũng", "Ban Thường vụ Tỉnh ủy", "Ủy ban Kiểm tra Trung ương", "tinh gọn bộ máy",
           "cải cách hành chính", "Bộ Chính trị"]
# (class, query, vnsearch keyword arguments)
QUERIES: list[tuple[str, str, dict[str, Any]]] = [
    *[("phrase", q, {}) for q in PHRASES],
    *[("word", q, {}) for q in ["tham nhũng", "Đảng", "ngân sách", "đất đai", "biên chế", "cử tri"]],
    *[("no diacritics", q, {}) for q in ["phong chong tham nhung", "Ban Thuong vu Tinh uy", "Uy ban Kiem tra Trung uong",
                                         "tinh gon bo may", "cai cach hanh chinh", "Bo Chinh tri"]],
    *[("number", q, {}) for q in ["21-NQ/TW", "15/2020/NĐ-CP", "41/2024/QH15", "18-NQ/TW", "51/2001/QH10",
                                  "2230/UBND-KTN"]],
    *[("quoted", f'"{q}"', {}) for q in PHRASES[:4]],
    ("filtered", "tham nhũng", {"committee": "Chính phủ"}),
    ("filtered", "ngân sách", {"doc_type": "Nghị định"}),
    ("filtered", "tinh gọn bộ máy", {"date_from": "2024-01-01", "date_to": "2024-12-31"}),
    ("filtered", "phòng chống tham nhũng", {"sort": "date"}),
    ("filtered", "Bộ Chính trị", {"sort": "date", "date_from": "2025-01-01"}),
    ("filtered", "cải cách hành chính", {"committee": "Quốc hội", "sort": "date"}),
    # Common political queries (issue 9's set): short, frequent words, large match sets.
    *[("common", q, {}) for q in [
        "phòng chống tham nhũng", "Bộ Chính trị", "Quốc hội", "Ủy ban nhân dân tỉnh", "cán bộ đảng viên",
        "phong chong tham nhung", "Chính phủ", "Thủ tướng", "đại biểu Quốc hội", "kinh tế xã hội", "Ban Bí thư",
        "Tổng Bí thư", "quoc hoi", "an ninh quốc phòng", "xây dựng Đảng",
    ]],
    *[("question", q, {}) for q in [
        "Bộ Chính trị đã kết luận những gì về việc sắp xếp, tinh gọn tổ chức bộ máy của hệ thống chính trị?",
        "Cán bộ, đảng viên vi phạm quy định về phòng, chống tham nhũng thì bị xử lý kỷ luật như thế nào?",
        "Ủy ban Kiểm tra Trung ương đã đề nghị thi hành kỷ luật những cán bộ nào trong kỳ họp gần đây?",
        "Những giải pháp nào giúp đẩy mạnh cải cách hành chính và nâng cao chỉ số hài lòng của người dân?",
        "Quốc hội đã thông qua luật nào về đất đai và những điểm mới của luật này là gì?",
        "Tỉnh ủy chỉ đạo thực hiện nghị quyết về xây dựng, chỉnh đốn Đảng trong tình hình mới ra sao?",
    ]],
]
DEFAULT_CORPUS = [CORPUS / "news-politics.jsonl.gz", CORPUS / "news-dated.jsonl.gz", CORPUS / "gazette.jsonl.gz"]
TOP = 10


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--vnsearch-index", type=Path, help="vnsearch index dir (built from --corpus if absent)")
    parser.add_argument("--whoosh-index", type=Path, help="stock Whoosh index dir (built from --corpus if absent)")
    parser.add_argument("--corpus", type=Path, nargs="+", default=DEFAULT_CORPUS,
                        help="JSONL files to build missing indexes from (default: news-politics, news-dated, gazette)")
    parser.add_argument("--systems", default="vnsearch,whoosh", help="comma-separated, from vnsearch,whoosh,fts5 "
                        "(default: %(default)s; fts5 is always built from --corpus)")
    parser.add_argument("--repeat", type=int, default=5, help="timed passes over the query set (default: %(default)s)")
    parser.add_argument("--workers", type=int, help="vnsearch analysis processes when building")
    parser.add_argument("--per-query", action="store_true", help="also print each query's median per system")
    parser.add_argument("--cold", action="store_true", help="also time every query as the first of a freshly opened "
                        "index in this process, imports and the segmentation model already loaded (class 'cold', "
                        "included in 'all')")
    parser.add_argument("--cli", action="store_true", help="also time every query as one process from start to exit: "
                        "`vnsearch search`, and for Whoosh a script opening the index and printing highlights "
                        "(class 'cli', included in 'all')")
    parser.add_argument("--resident", action="store_true", help="also time every query as one `vnsearch search` "
                        "process answered by the resident searcher, started cold before the first (class "
                        "'cli resident', vnsearch only)")
    add_write_option(parser)
    return parser.parse_args()


def prepare(args: argparse.Namespace, tmp: Path) -> tuple[dict[str, Any], list[str]]:
    """Open (or build) every requested system; returns systems by name and notes."""
    wanted = [s.strip() for s in args.systems.split(",") if s.strip()]
    systems: dict[str, Any] = {}
    notes: list[str] = []
    needs_corpus = ("vnsearch" in wanted and not (args.vnsearch_index and args.vnsearch_index.exists())) or (
        "whoosh" in wanted and not (args.whoosh_index and args.whoosh_index.exists())) or "fts5" in wanted
    if needs_corpus:
        require_paths(*args.corpus)
    if "vnsearch" in wanted:
        if not search_available():
            notes.append(SEARCH_MISSING)
        else:
            path = args.vnsearch_index or tmp / "vnsearch"
            if not path.exists():
                print(f"vnsearch: building {path}…", file=sys.stderr, flush=True)
                VnsearchSystem(path).build(args.corpus, workers=args.workers)
            systems["vnsearch"] = VnsearchSystem(path)
    if "whoosh" in wanted:
        path = args.whoosh_index or tmp / "whoosh"
        if not path.exists():
            print(f"whoosh: building {path}…", file=sys.stderr, flush=True)
            build_whoosh(path, raw_docs(args.corpus))
        systems["whoosh"] = make_peer("whoosh", path)
    if "fts5" in wanted:
        reason = missing("fts5")
        if reason:
            notes.append(f"fts5: not run: {reason}")
        else:
            print("fts5: building…", file=sys.stderr, flush=True)
            systems["fts5"] = make_peer("fts5", tmp / "fts5")
            systems["fts5"].build(raw_docs(args.corpus))
    return systems, notes


def runner(name: str, system: Any):
    """A function (query, options) -> number of hits, or None when the system cannot run it."""
    if name == "vnsearch":
        def run(query: str, options: dict[str, Any]) -> int | None:
            result = system.result(query, limit=TOP, **options)  # snippets are built inside search()
            return len(result.hits)
    else:
        def run(query: str, options: dict[str, Any]) -> int | None:
            if options:
                return None  # no metadata fields to filter or sort on
            return len(system.snippets(query, TOP))
    return run


def label(query: str, options: dict[str, Any]) -> str:
    return query + "".join(f" {key}={value}" for key, value in options.items())


def measure(run, repeat: int) -> dict[tuple[str, str], list[float]]:
    """Milliseconds per (class, query) over `repeat` passes, after one warm-up pass."""
    for _, query, options in QUERIES:
        run(query, options)
    times: dict[tuple[str, str], list[float]] = {}
    for _ in range(repeat):
        for klass, query, options in QUERIES:
            start = time.perf_counter()
            answered = run(query, options)
            elapsed = (time.perf_counter() - start) * 1000
            if answered is not None:
                times.setdefault((klass, label(query, options)), []).append(elapsed)
    return times


def measure_cold(system: Any, name: str) -> dict[tuple[str, str], list[float]]:
    """Milliseconds for each query of the set as the first query of a freshly opened index (what
    one `vnsearch search` call pays, less Python's start-up): open, search, snippets, close."""
    times: dict[tuple[str, str], list[float]] = {}
    for _klass, query, options in QUERIES:
        fresh = system.reopened()
        run = runner(name, fresh)
        start = time.perf_counter()
        answered = run(query, options)
        elapsed = (time.perf_counter() - start) * 1000
        fresh.close()
        if answered is not None:
            times.setdefault(("cold", label(query, options)), []).append(elapsed)
    return times


# Stock Whoosh as a one-shot command: what `vnsearch search` is for vnsearch.
WHOOSH_CLI = """
import sys
sys.path.insert(0, sys.argv[1])
from peers import make_peer
peer = make_peer("whoosh", sys.argv[2])
for doc_id, highlights in peer.snippets(sys.argv[3], int(sys.argv[4])):
    print(doc_id, highlights)
"""
CLI_FLAGS = {"committee": "--committee", "doc_type": "--type", "date_from": "--from", "date_to": "--to", "sort": "--sort"}


def cli_command(name: str, path: Path, query: str, options: dict[str, Any]) -> list[str] | None:
    """The command line that answers one query in a process of its own (None: the system has
    no such query)."""
    if name == "vnsearch":
        flags = [part for key, value in options.items() for part in (CLI_FLAGS[key], str(value))]
        return [sys.executable, "-m", "vnsearch", "search", "--index", str(path), "--limit", str(TOP), *flags, "--",
                query]
    if name == "whoosh" and not options:
        return [sys.executable, "-c", WHOOSH_CLI, str(Path(__file__).resolve().parent), str(path), query, str(TOP)]
    return None


def measure_cli(name: str, path: Path, klass: str = "cli",
                env: dict[str, str] | None = None) -> dict[tuple[str, str], list[float]]:
    """Milliseconds for each query of the set answered by a process of its own, start to exit:
    Python's start-up, imports, opening the index, the search and printing (a CLI call)."""
    env = env or {**os.environ, "VNSEARCH_DAEMON": "off"}
    times: dict[tuple[str, str], list[float]] = {}
    for _klass, query, options in QUERIES:
        command = cli_command(name, path, query, options)
        if command is None:
            continue
        start = time.perf_counter()
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
        times.setdefault((klass, label(query, options)), []).append((time.perf_counter() - start) * 1000)
    return times


def measure_resident(path: Path, tmp: Path) -> dict[tuple[str, str], list[float]]:
    """measure_cli through the resident searcher, started (cold) in a runtime folder of its own;
    checks that it answered every query."""
    folder = tmp / "run"
    env = {**os.environ, "VNSEARCH_DAEMON": "auto", "VNSEARCH_RUNTIME_DIR": str(folder)}
    daemon = [sys.executable, "-m", "vnsearch", "daemon"]
    subprocess.run([*daemon, "start"], check=True, stdout=subprocess.DEVNULL, env=env)
    try:
        times = measure_cli("vnsearch", path, "cli resident", env)
        status = json.loads(subprocess.run([*daemon, "status", "--json"], check=True, capture_output=True,
                                           env=env).stdout)
        runs = sum(len(values) for values in times.values())
        if status.get("requests") != runs:
            raise SystemExit(f"the resident searcher answered {status.get('requests')} of {runs} queries")
    finally:
        subprocess.run([*daemon, "stop"], stdout=subprocess.DEVNULL, env=env)
    return times


def summary_row(name: str, klass: str, values: list[float], queries: int) -> list[object]:
    if not values:
        return [name, klass, 0, 0, None, None, None, None]
    figures = [percentile(values, 50), percentile(values, 95), percentile(values, 99), statistics.fmean(values)]
    return [name, klass, queries, len(values), *(f"{ms:.1f}" for ms in figures)]


def main() -> None:
    args = parse_args()
    classes = list(dict.fromkeys(klass for klass, _, _ in QUERIES)) + (["cold"] if args.cold else []) + (
        ["cli"] if args.cli else []) + (["cli resident"] if args.resident else [])
    paths = {"vnsearch": args.vnsearch_index, "whoosh": args.whoosh_index}
    with tempfile.TemporaryDirectory(prefix="bench-latency-") as tmp:
        systems, notes = prepare(args, Path(tmp))
        results = {}
        try:
            for name, system in systems.items():
                print(f"{name}: querying…", file=sys.stderr, flush=True)
                results[name] = measure(runner(name, system), args.repeat)
                if args.cold and hasattr(system, "reopened"):
                    print(f"{name}: cold queries…", file=sys.stderr, flush=True)
                    results[name] |= measure_cold(system, name)
                if args.cli and paths.get(name):
                    print(f"{name}: one process per query…", file=sys.stderr, flush=True)
                    results[name] |= measure_cli(name, paths[name])
                if args.resident and name == "vnsearch" and paths.get(name):
                    print(f"{name}: one process per query, through the resident searcher…", file=sys.stderr, flush=True)
                    results[name] |= measure_resident(paths[name], Path(tmp))
        finally:
            for system in systems.values():
                system.close()

    # "all" covers the classes every system answered, so that the systems compare like for like.
    common = [k for k in classes if all(any(c == k for c, _ in times) for times in results.values())]
    all_label = "all" if common == classes else "all but " + ", ".join(k for k in classes if k not in common)
    headers = ["system", "class", "queries", "runs", "p50 ms", "p95 ms", "p99 ms", "mean ms"]
    rows = []
    for name, times in results.items():
        for klass in classes:
            picked = [ts for (c, _), ts in times.items() if c == klass]
            rows.append(summary_row(name, klass, [t for ts in picked for t in ts], len(picked)))
        picked = [ts for (c, _), ts in times.items() if c in common]
        rows.append(summary_row(name, all_label, [t for ts in picked for t in ts], len(picked)))
    per_query = []
    if args.per_query:
        for klass, query, options in QUERIES:
            key = (klass, label(query, options))
            per_query.append([klass, key[1], *(f"{statistics.median(t[key]):.1f}" if key in t else None
                                              for t in results.values())])
    legend = (f"{len(QUERIES)} queries, {args.repeat} timed passes after one warm-up; top {TOP} with snippets; "
              "— = the system has no such query (peers: no filters or date sort)")
    print(provenance())
    query_headers = ["class", "query", *(f"{name} median ms" for name in results)]
    report("Latency (benchmarks/latency.py)", (headers, rows), legend, (query_headers, per_query), notes, args.write)

if __name__ == "__main__":
    main()
