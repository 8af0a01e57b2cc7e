"""Load on `vnsearch serve`: requests/s and p50/p95 latency at several client counts, one worker
process beside N, over loopback only.

The index is built from ../shared/corpus/news-politics.jsonl.gz and news-dated.jsonl.gz (kept at
--index; built there when absent). For each worker count the server is started as `vnsearch
serve --workers W` on a free 127.0.0.1 port; for each client count, that many threads send
/api/search requests (common political queries, pages 1-2) over keep-alive connections for
--seconds or until --max-requests, whichever comes first, after a short warm-up. The server is
stopped after each worker count. Bounded in count and time; stops by itself.

The client threads run on the same machine (2 cores here, shared): they take CPU from the
server, so the figures are a floor, and relative (1 worker against N) more than absolute.

    .venv/bin/python benchmarks/load.py [--workers 1 2] [--clients 8 32] [--seconds 15] [--write]
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "corpus"
CORPORA = [SHARED / "news-politics.jsonl.gz", SHARED / "news-dated.jsonl.gz"]
VNSEARCH = [sys.executable, "-m", "vnsearch"]
QUERIES = [
    "phòng chống tham nhũng", "tham nhung", "Ban Thường vụ Tỉnh ủy", "xây dựng Đảng", "cải cách hành chính",
    "kinh tế xã hội", "Bộ Chính trị", "Quốc hội", "công tác cán bộ", "chỉnh đốn Đảng", "nông thôn mới",
    "tinh gon bo may", "Mặt trận Tổ quốc", "đại hội đảng bộ", "bảo vệ nền tảng tư tưởng", "chuyển đổi số",
]


def build_index(path: Path) -> None:
    if (path / "vnsearch-format.json").exists():
        return
    print(f"building {path} from {', '.join(p.name for p in CORPORA)} …", file=sys.stderr)
    subprocess.run([*VNSEARCH, "index", *map(str, CORPORA), "--index", str(path), "-q"], check=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Server:
    """`vnsearch serve` in a subprocess on loopback, up until `stop`."""

    def __init__(self, index: Path, workers: int, log: Path) -> None:
        self.port = free_port()
        self.log = log
        with open(log, "wb") as stderr:
            self.process = subprocess.Popen(
                [*VNSEARCH, "serve", "--index", str(index), "--host", "127.0.0.1", "--port", str(self.port),
                 "--workers", str(workers)], stdout=subprocess.DEVNULL, stderr=stderr)
        deadline = time.monotonic() + 120
        while "Serving" not in log.read_text(errors="replace"):
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise SystemExit(f"vnsearch serve did not start: {log.read_text(errors='replace')}")
            time.sleep(0.1)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def run_load(port: int, clients: int, seconds: float, max_requests: int) -> dict[str, float]:
    """`clients` threads, each on one keep-alive connection, until the time or the count is spent."""
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    issued = [0]
    stop_at = time.monotonic() + seconds

    def client(number: int) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        n = number
        while time.monotonic() < stop_at:
            with lock:
                if issued[0] >= max_requests:
                    break
                issued[0] += 1
            query = QUERIES[n % len(QUERIES)]
            path = "/api/search?" + urlencode({"q": query, "page": 1 + (n // len(QUERIES)) % 2})
            n += clients
            started = time.perf_counter()
            try:
                connection.request("GET", path)
                response = connection.getresponse()
                response.read()
                ok = response.status == 200
            except (OSError, http.client.HTTPException):
                ok = False
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            elapsed = time.perf_counter() - started
            with lock:
                if ok:
                    latencies.append(elapsed)
                else:
                    errors[0] += 1
        connection.close()

    began = time.perf_counter()
    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - began
    ordered = sorted(latencies)

    def percentile(p: float) -> float:
        return ordered[min(len(ordered) - 1, int(p * len(ordered)))] * 1000 if ordered else float("nan")

    return {
        "clients": clients,
        "requests": len(ordered),
        "errors": errors[0],
        "seconds": round(wall, 2),
        "requests_per_s": round(len(ordered) / wall, 1) if wall else 0.0,
        "p50_ms": round(percentile(0.50), 1),
        "p95_ms": round(percentile(0.95), 1),
        "mean_ms": round(statistics.fmean(ordered) * 1000, 1) if ordered else float("nan"),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--index", type=Path, default=Path("/tmp/vnsearch-load-index"))
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--clients", type=int, nargs="+", default=[8, 32])
    parser.add_argument("--seconds", type=float, default=15.0, help="per run, at most (default 15)")
    parser.add_argument("--max-requests", type=int, default=3000, help="per run, at most (default 3000)")
    parser.add_argument("--write", nargs="?", const=str(ROOT / "benchmarks" / "RESULTS.md"), default=None,
                        help="append the table to RESULTS.md (or FILE)")
    args = parser.parse_args()
    if not all(path.exists() for path in CORPORA):
        raise SystemExit(f"needs {', '.join(map(str, CORPORA))}")
    build_index(args.index)
    rows = []
    for workers in args.workers:
        server = Server(args.index, workers, Path(f"/tmp/vnsearch-load-{os.getpid()}-{workers}.log"))
        try:
            run_load(server.port, 2, 3.0, 40)  # warm-up: first requests load the segmenter's model
            for clients in args.clients:
                row = {"workers": workers, **run_load(server.port, clients, args.seconds, args.max_requests)}
                rows.append(row)
                print(json.dumps(row), file=sys.stderr)
        finally:
            server.stop()
    table = ["| workers | clients | requests | errors | seconds | requests/s | p50 ms | p95 ms | mean ms |",
             "|---|---|---|---|---|---|---|---|---|"]
    table += [f"| {r['workers']} | {r['clients']} | {r['requests']:,} | {r['errors']} | {r['seconds']} | "
              f"{r['requests_per_s']} | {r['p50_ms']} | {r['p95_ms']} | {r['mean_ms']} |" for r in rows]
    print("\n".join(table))
    if args.write:
        load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
        revision = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout
        header = [
            "", "## Serving load (benchmarks/load.py)", "",
            f"- date: {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}",
            f"- machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}, load average {load:.2f} at the end",
            f"- revision: {revision.strip()}",
            f"- command: `.venv/bin/python benchmarks/load.py {' '.join(sys.argv[1:])}`",
            "",
            "Index: news-politics + news-dated (5,682 articles). /api/search on 127.0.0.1, keep-alive,"
            " client threads on the same machine.",
            "",
        ]
        with open(args.write, "a", encoding="utf-8") as out:
            out.write("\n".join(header + table) + "\n")


if __name__ == "__main__":
    main()
