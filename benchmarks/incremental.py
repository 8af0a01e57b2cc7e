"""Incremental work on an existing index, as `vnsearch index` does it.

Four timed steps on an already built index of CORPUS (build it first, e.g. with
`vnsearch index CORPUS --index DIR`; an untimed run first brings it up to date):

1. re-run on the unchanged corpus file (skipped as "not modified since last indexed");
2. the same with the file manifest set aside, so every record is read, normalised and
   compared by fingerprint (what a touched but unchanged file costs);
3. add 100 new documents (copies of corpus records under new ids);
4. delete those 100 documents again (`vnsearch delete`), leaving the index as it was.

    .venv/bin/python benchmarks/incremental.py --index /tmp/news-all-index --corpus ../shared/corpus/news-all.jsonl.gz
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench_common import CORPUS, iter_jsonl, require_paths

MANIFEST = "vnsearch-files.json"


def vnsearch(*args: str) -> float:
    started = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "vnsearch", *args], capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if result.returncode not in (0, 3):
        sys.exit(f"vnsearch {' '.join(args)} failed:\n{result.stderr}")
    print(f"    {result.stderr.strip().splitlines()[-1]}", file=sys.stderr)
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--index", type=Path, required=True, help="an index already built from --corpus")
    parser.add_argument("--corpus", type=Path, default=CORPUS / "news-all.jsonl.gz")
    parser.add_argument("--new", type=int, default=100, help="documents to add and delete")
    args = parser.parse_args()
    require_paths(args.corpus, args.index)
    index = str(args.index)
    vnsearch("index", str(args.corpus), "--index", index, "-q")  # untimed: bring the index and its file record up to date
    rows = [("re-run, file not modified", vnsearch("index", str(args.corpus), "--index", index, "-q"))]
    manifest = args.index / MANIFEST
    aside = args.index / (MANIFEST + ".aside")
    if manifest.exists():
        os.replace(manifest, aside)
    try:
        rows.append(("re-run, every record compared", vnsearch("index", str(args.corpus), "--index", index, "-q")))
    finally:
        if aside.exists() and not manifest.exists():
            os.replace(aside, manifest)
        elif aside.exists():
            aside.unlink()
    with tempfile.TemporaryDirectory() as folder:
        new = Path(folder) / "new.jsonl"
        ids = []
        with new.open("w", encoding="utf-8") as handle:
            for n, record in enumerate(iter_jsonl(args.corpus, args.new)):
                record["id"] = f"incremental-benchmark-{n}"
                ids.append(record["id"])
                handle.write(json.dumps(record, ensure_ascii=False) + "\n")
        rows.append((f"add {len(ids)} new documents", vnsearch("index", str(new), "--index", index, "-q")))
        rows.append((f"delete those {len(ids)}", vnsearch("delete", *ids, "--index", index)))
    width = max(len(name) for name, _ in rows)
    print(f"{args.corpus.name} index at {index}")
    for name, seconds in rows:
        print(f"{name:<{width}}  {seconds:7.1f} s")


if __name__ == "__main__":
    main()
