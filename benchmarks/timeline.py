"""What the timeline adds to a request of the search page and of /api/search.

The same requests are sent through Flask's test client to two apps over one index: one as
served (every search counts the matches per year or month, the page draws the chart) and one
whose searches count no timeline (so the page draws none). Requests alternate between the two,
query by query, after a warm-up pass; the table gives p50/p95 of each and the p50 of the paired
differences, per kind of request. A second table times the counting alone (`timeline_of` over
every live document, the largest mask there is) and the bar layout.

    .venv/bin/python benchmarks/timeline.py --index /tmp/tl-bench/index     # built there if absent
    .venv/bin/python benchmarks/timeline.py --index /tmp/tl-bench/index --repeat 20 --write

The index is built from news-politics + news-dated + gazette when the folder does not exist.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from bench_common import CORPUS, add_write_option, percentile, provenance, report, require_paths

FILES = ("news-politics.jsonl.gz", "news-dated.jsonl.gz", "gazette.jsonl.gz")
QUERIES: list[tuple[str, dict[str, str]]] = [
    *[("words", {"q": q}) for q in ["tham nhũng", "Đảng", "ngân sách", "đất đai", "cán bộ đảng viên", "cử tri"]],
    *[("phrase", {"q": f'"{q}"'}) for q in ["phòng chống tham nhũng", "Bộ Chính trị", "tinh gọn bộ máy"]],
    *[("filtered", {"q": q, **f}) for q, f in [("tham nhũng", {"from": "2024", "to": "2024"}),
                                                ("Quốc hội", {"sort": "date"}), ("kinh tế", {"type": "Tin tức"})]],
    ("browse", {"committee": "Chính phủ"}),
    ("browse", {"type": "Nghị định"}),
    ("start page", {}),
]


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--index", type=Path, default=Path("/tmp/tl-bench/index"), help="index folder (built when absent)")
    parser.add_argument("--repeat", type=int, default=15, help="timed passes over the requests (default 15)")
    add_write_option(parser)
    return parser.parse_args()


def build(index: Path) -> None:
    from vnsearch import Index
    from vnsearch.indexer import index_paths

    paths = [CORPUS / name for name in FILES]
    require_paths(*paths)
    print(f"building {index} from {', '.join(FILES)}…", file=sys.stderr, flush=True)
    with Index.create(index) as ix:
        index_paths(ix, paths, workers=1)
        ix.warm()


def apps(index: Path) -> tuple[Any, Any]:
    """(as served, without a timeline): two apps, each with the index open and warm."""
    from vnsearch.web import create_app
    from vnsearch.web.app import _service

    served, without = create_app(str(index)), create_app(str(index))
    for app in (served, without):
        _service(app).warm()
    service = _service(without)
    counting = service.search
    service.search = lambda params, *, timeline=True: counting(params, timeline=False)  # type: ignore[method-assign]
    return served, without


def timed(call: Callable[[], Any]) -> float:
    start = time.perf_counter()
    call()
    return (time.perf_counter() - start) * 1000


def measure(served: Any, without: Any, repeat: int) -> dict[str, list[tuple[float, float]]]:
    """kind -> (ms as served, ms without) for each request of that kind, each pass."""
    clients = (served.test_client(), without.test_client())
    urls = [(kind, path + "?" + urlencode(params)) for kind, params in QUERIES for path in ("/", "/api/search")
            if params or path == "/"]
    for _, url in urls:  # warm-up: the first search of a word loads its postings
        for client in clients:
            assert client.get(url).status_code == 200, url
    times: dict[str, list[tuple[float, float]]] = {}
    for run in range(repeat):
        for kind, url in urls:
            label = f"{kind} ({'API' if url.startswith('/api') else 'page'})"
            order = clients if run % 2 == 0 else clients[::-1]  # neither always goes first
            first, second = (timed(lambda c=c, u=url: c.get(u)) for c in order)
            times.setdefault(label, []).append((first, second) if run % 2 == 0 else (second, first))
    return times


def counting_alone(index: Path, repeat: int) -> list[list[object]]:
    from vnsearch import Index
    from vnsearch.timeline import chart_bars, timeline_of

    with Index.open(index) as ix:
        snapshot = ix._engine.snapshot()  # type: ignore[attr-defined]  # the embedded engine's, for this measurement only
        live = snapshot.live
        timeline_of(snapshot, live)
        counts = [timed(lambda: timeline_of(snapshot, live)) for _ in range(repeat * 10)]
        timeline = timeline_of(snapshot, live)
        layout = [timed(lambda: chart_bars(timeline)) for _ in range(repeat * 10)]
    return [["timeline_of over every live document", int(live.sum()), f"{statistics.median(counts):.3f}",
             f"{percentile(counts, 95):.3f}"],
            [f"chart_bars ({len(timeline.periods)} {timeline.unit}s)", "", f"{statistics.median(layout):.3f}",
             f"{percentile(layout, 95):.3f}"]]


def main() -> None:
    args = parse_args()
    if not args.index.exists():
        build(args.index)
    served, without = apps(args.index)
    times = measure(served, without, args.repeat)
    rows = []
    for label, pairs in times.items():
        on, off = [a for a, _ in pairs], [b for _, b in pairs]
        added = [a - b for a, b in pairs]
        rows.append([label, len(pairs), f"{statistics.median(off):.2f}", f"{percentile(off, 95):.2f}",
                     f"{statistics.median(on):.2f}", f"{percentile(on, 95):.2f}", f"{statistics.median(added):+.2f}"])
    every = [pair for pairs in times.values() for pair in pairs]
    rows.append(["all", len(every), f"{statistics.median([b for _, b in every]):.2f}", "",
                 f"{statistics.median([a for a, _ in every]):.2f}", "", f"{statistics.median([a - b for a, b in every]):+.2f}"])
    headers = ["request", "requests", "without p50 ms", "without p95 ms", "with p50 ms", "with p95 ms", "added p50 ms"]
    legend = (f"{len(QUERIES)} queries on the page and the API (the start page: the page only), {args.repeat} passes "
              "alternating which app answers first; 'added' is the median of the paired differences (with - without). "
              f"Index: {', '.join(FILES)}.")
    extra = (["step", "documents", "p50 ms", "p95 ms"], counting_alone(args.index, args.repeat))
    print(provenance())
    report("Timeline cost per request (benchmarks/timeline.py)", (headers, rows), legend, extra, [], args.write)


if __name__ == "__main__":
    main()
