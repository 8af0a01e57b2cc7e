"""Citations on a real index: how many cited numbers resolve, the most cited, what they cost.

Builds (or reuses) an index of news-politics + news-dated + gazette and reports:

- resolution: cited numbers (distinct per document, its own number left out) and how many
  resolve to a document of the index, overall and per corpus of the citing document;
- the most cited documents (`Index.most_cited`);
- time: `Index.citations` and `Index.related` per document, warm (p50/p95 over a sample of
  documents), and what `--citations` adds to `vnsearch show` as a fresh process (p50 of the
  difference over the same few documents, each command run alternately).

    .venv/bin/python benchmarks/citations.py --index /tmp/cit/index --write
"""

from __future__ import annotations

import argparse
import random
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

from bench_common import CORPUS, REPO_ROOT, add_write_option, percentile, report, require_paths, vnsearch_documents

CORPORA = ("news-politics.jsonl.gz", "news-dated.jsonl.gz", "gazette.jsonl.gz")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--index", type=Path, default=Path("/tmp/citations-index"), help="built there when missing")
    parser.add_argument("--sample", type=int, default=300, help="documents timed in process")
    parser.add_argument("--processes", type=int, default=8, help="documents timed as `vnsearch show` processes")
    add_write_option(parser)
    args = parser.parse_args()
    paths = [CORPUS / name for name in CORPORA]
    require_paths(*paths)
    if not args.index.exists():
        print(f"building {args.index}…", file=sys.stderr)
        subprocess.run([sys.executable, "-m", "vnsearch", "index", *map(str, paths), "--index", str(args.index), "-q"],
                       check=True)

    from vnsearch import Index

    documents = vnsearch_documents(paths)  # as the index holds them (normalised, cited numbers found)
    with Index.open(args.index) as ix:
        citing = [doc for doc in documents if doc.cited_numbers]
        resolution = _resolution(ix, citing)
        most = ix.most_cited(limit=10)
        rng = random.Random(7)
        cited = [item.document.id for item in most]
        citing_sample = [doc.id for doc in rng.sample(citing, min(args.sample, len(citing)))] + cited
        sample = [doc.id for doc in rng.sample(documents, min(args.sample, len(documents)))]
        citations_ms = _times(lambda doc_id: ix.citations(doc_id), citing_sample)
        related_ms = _times(lambda doc_id: ix.related(doc_id), sample)
    added_ms = _process_cost(args.index, rng.sample(citing, min(args.processes, len(citing))))

    rows = [[source, documents_, numbers, resolved, f"{100 * resolved / numbers:.1f}%" if numbers else "—"]
            for source, (documents_, numbers, resolved) in resolution.items()]
    legend = ("Cited numbers: distinct numbers per citing document, its own number left out; resolved: the number "
              "is some other document's own number in the index and the date rule picks at least one "
              "(README, Citations).")
    extra = (["cited by", "number", "date", "title", "id"],
             [[item.count, item.document.number, item.document.date, (item.document.title or "")[:60], item.document.id]
              for item in most])
    notes = [
        f"Index.citations per document, warm, {len(citing_sample)} documents ({len(citing_sample) - len(cited)} random "
        f"citing ones and the {len(cited)} most cited): p50 {percentile(citations_ms, 50):.1f} ms, "
        f"p95 {percentile(citations_ms, 95):.1f} ms.",
        f"Index.related per document, warm, {len(sample)} random documents: p50 {percentile(related_ms, 50):.1f} ms, "
        f"p95 {percentile(related_ms, 95):.1f} ms.",
        f"`vnsearch show ID --citations` minus `vnsearch show ID`, fresh processes, {len(added_ms)} citing documents: "
        f"p50 {percentile(added_ms, 50):.0f} ms (min {min(added_ms):.0f}, max {max(added_ms):.0f}).",
    ]
    report("Citations: news-politics + news-dated + gazette (benchmarks/citations.py)",
           (["citing documents from", "documents", "cited numbers", "resolved", "share"], rows), legend, extra, notes,
           args.write)


def _resolution(ix: object, citing: list) -> dict[str, tuple[int, int, int]]:
    """Per source corpus (and overall): (citing documents, cited numbers, resolved numbers)."""
    totals: Counter[tuple[str, str]] = Counter()
    for doc in citing:
        citations = ix.citations(doc.id)  # type: ignore[attr-defined]
        source = _source(doc.id)
        for key in (source, "all"):
            totals[(key, "documents")] += 1
            totals[(key, "numbers")] += len(citations.cites)
            totals[(key, "resolved")] += len(citations.resolved)
    sources = sorted({key for key, _ in totals} - {"all"}) + ["all"]
    return {key: (totals[(key, "documents")], totals[(key, "numbers")], totals[(key, "resolved")]) for key in sources}


def _source(doc_id: str) -> str:
    if doc_id.startswith("congbao:"):
        return "gazette"
    return "news-politics" if doc_id.startswith("baomoi:") else "news-dated"


def _times(call: object, sample: list[str]) -> list[float]:
    call(sample[0])  # type: ignore[operator]  # load columns and vocabularies once
    times = []
    for doc_id in sample:
        start = time.perf_counter()
        call(doc_id)  # type: ignore[operator]
        times.append((time.perf_counter() - start) * 1000)
    return times


def _process_cost(index: Path, docs: list) -> list[float]:
    def show(doc_id: str, *flags: str) -> float:
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "vnsearch", "show", doc_id, "--index", str(index), *flags],
                       check=True, capture_output=True, cwd=REPO_ROOT)
        return (time.perf_counter() - start) * 1000

    show(docs[0].id)  # the first run pays for cold files, not for citations
    added = []
    for doc in docs:
        plain = show(doc.id)
        added.append(show(doc.id, "--citations") - plain)
    return added


if __name__ == "__main__":
    main()
