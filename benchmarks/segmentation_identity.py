"""Is vnsearch's segmenter identical to pyvi's on real text, and how much faster?

Every title and text of a corpus is normalised (as vnsearch indexes it) and segmented by
vnsearch.segment.tokenize and by pyvi's ViTokenizer.tokenize; the outputs are compared string
for string, and the speed of each is reported. Several processes share the work.

    .venv/bin/python benchmarks/segmentation_identity.py                      # news-all, 2 processes
    .venv/bin/python benchmarks/segmentation_identity.py --limit 2000 --corpus ../shared/corpus/laws.jsonl.gz
"""

from __future__ import annotations

import argparse
import multiprocessing
import time
from pathlib import Path

from bench_common import CORPUS, iter_jsonl, require_paths


def _compare(texts: list[str]) -> tuple[int, int, float, float, list[str]]:
    from pyvi import ViTokenizer

    from vnsearch.segment import tokenize

    start = time.perf_counter()
    ours = [tokenize(t) for t in texts]
    ours_s = time.perf_counter() - start
    start = time.perf_counter()
    theirs = [ViTokenizer.tokenize(t) if t.strip() else "" for t in texts]
    theirs_s = time.perf_counter() - start
    differ = [t[:80] for t, a, b in zip(texts, ours, theirs, strict=True) if a != b and (a or b.strip())]
    return len(texts), sum(map(len, texts)), ours_s, theirs_s, differ


def _chunks(path: Path, limit: int | None, size: int):
    from vnsearch.text import normalize

    chunk: list[str] = []
    for record in iter_jsonl(path, limit):
        for field in ("title", "text"):
            if record.get(field):
                chunk.append(normalize(record[field]))
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS / "news-all.jsonl.gz")
    parser.add_argument("--limit", type=int, help="only the first N records")
    parser.add_argument("--processes", type=int, default=2)
    args = parser.parse_args()
    require_paths(args.corpus)
    texts = chars = 0
    ours_s = theirs_s = 0.0
    differ: list[str] = []
    started = time.perf_counter()
    with multiprocessing.get_context("fork").Pool(args.processes) as pool:
        for n, c, o, t, d in pool.imap_unordered(_compare, _chunks(args.corpus, args.limit, 200)):
            texts, chars, ours_s, theirs_s = texts + n, chars + c, ours_s + o, theirs_s + t
            differ += d
    print(f"{args.corpus.name}: {texts:,} titles and texts, {chars:,} characters, {time.perf_counter() - started:.0f} s wall")
    print(f"identical to pyvi: {texts - len(differ):,} of {texts:,} ({len(differ)} differ)")
    print(f"vnsearch.segment: {chars / ours_s / 1000:,.0f}k chars/s per process ({ours_s:.1f} s CPU)")
    print(f"pyvi ViTokenizer: {chars / theirs_s / 1000:,.0f}k chars/s per process ({theirs_s:.1f} s CPU)")
    print(f"speed-up: {theirs_s / ours_s:.2f}x")
    for sample in differ[:5]:
        print(f"  differs: {sample!r}")


if __name__ == "__main__":
    main()
