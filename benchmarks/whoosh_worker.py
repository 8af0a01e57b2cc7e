"""One timing run of whichever Whoosh distribution this interpreter has (run by whoosh_versions.py).

Needs only the standard library and `whoosh`, so it runs in the throwaway venvs. Indexes the
first N records of a JSONL file with stock Whoosh (peers.build_whoosh), then runs phrase and OR
queries `--repeat` times; prints one JSON line with wall and CPU seconds.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.metadata
import json
import tempfile
import time
import warnings
from pathlib import Path

from bench_common import dir_size, raw_docs
from peers import WhooshPeer, build_whoosh

PHRASES = [
    "phòng chống tham nhũng", "Ban Thường vụ Tỉnh ủy", "Ủy ban Kiểm tra Trung ương", "tinh gọn bộ máy", "Bộ Chính trị",
    "kiểm tra giám sát", "xây dựng Đảng", "cải cách hành chính", "Ban Chấp hành Trung ương", "Mặt trận Tổ quốc",
    "Hội đồng nhân dân", "Ủy ban nhân dân tỉnh", "kinh tế xã hội", "Thủ tướng Chính phủ", "Ủy ban Thường vụ Quốc hội",
]
OR_QUERIES = [
    "phòng chống tham nhũng lãng phí", "tinh gọn bộ máy biên chế", "Bộ Chính trị kết luận",
    "cán bộ đảng viên vi phạm bị xử lý kỷ luật như thế nào",
    "những giải pháp đẩy mạnh cải cách hành chính và nâng cao chỉ số hài lòng của người dân",
    "Quốc hội thông qua luật đất đai", "kinh tế xã hội năm 2017", "đầu tư công ngân sách nhà nước",
]
DISTRIBUTIONS = ("whoosh", "whoosh-reloaded", "whoosh3", "Whoosh")


def installed() -> tuple[str, str]:
    for name in DISTRIBUTIONS:
        try:
            return name, importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            continue
    return "?", "?"


def timed_queries(peer: WhooshPeer, queries: list[str], repeat: int) -> tuple[float, float, list[list[str]]]:
    wall, cpu = time.perf_counter(), time.process_time()
    answers = []
    for _ in range(repeat):
        answers = [peer.search(query, 10) for query in queries]
    return time.perf_counter() - wall, time.process_time() - cpu, answers


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--input", type=Path, required=True)
    parser.add_argument("--limit", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    warnings.simplefilter("ignore")  # Whoosh 2.7.4 emits SyntaxWarnings under Python 3.11

    docs = raw_docs([args.input], args.limit)
    with tempfile.TemporaryDirectory(prefix="bench-whoosh-version-") as tmp:
        path = Path(tmp) / "index"
        wall, cpu = time.perf_counter(), time.process_time()
        build_whoosh(path, docs)
        index_wall, index_cpu = time.perf_counter() - wall, time.process_time() - cpu
        peer = WhooshPeer(path).open()
        phrase = timed_queries(peer, [f'"{p}"' for p in PHRASES], args.repeat)
        either = timed_queries(peer, OR_QUERIES, args.repeat)
        size = dir_size(path)
        peer.close()
    # The same top 10s across versions shows they rank alike; the digest makes that one cell.
    digest = hashlib.sha1(json.dumps([phrase[2], either[2]]).encode()).hexdigest()[:10]
    dist, version = installed()
    print(json.dumps({
        "distribution": dist, "version": version, "documents": len(docs), "index_wall": index_wall,
        "index_cpu": index_cpu, "phrase_wall": phrase[0], "phrase_cpu": phrase[1], "or_wall": either[0],
        "or_cpu": either[1], "phrase_queries": len(PHRASES) * args.repeat, "or_queries": len(OR_QUERIES) * args.repeat,
        "size": size, "digest": digest,
    }))


if __name__ == "__main__":
    main()
