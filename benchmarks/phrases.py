"""Phrase handling on political news: exact phrases, unquoted phrases, no diacritics, tone variants.

Ground truth for a phrase: the documents whose title or text, as lowercased syllables with
punctuation skipped (vnsearch.analysis.syllables of the normalised text), hold the phrase's
syllables contiguously: "phòng, chống tham nhũng" holds "phòng chống tham nhũng".

Reported per phrase:
  (a) vnsearch, quoted: precision and recall of every hit against the ground truth;
  (b) unquoted: share of the top 10 that hold the exact phrase (phrases with >= 10 holders);
  (c) the same query folded to no diacritics; also for the peers (FTS5, stock Whoosh);
  (d) vnsearch: old and new tone placement ("Tỉnh uỷ" / "Tỉnh ủy") give identical hit lists.

    .venv/bin/python benchmarks/phrases.py
    .venv/bin/python benchmarks/phrases.py --index /tmp/news-index --write
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bench_common import (
    CORPUS,
    add_write_option,
    provenance,
    raw_docs,
    report,
    require_paths,
    vnsearch_documents,
)
from peers import make_peer, missing
from vnsystem import SEARCH_MISSING, VnsearchSystem, search_available

PHRASES = [
    "phòng chống tham nhũng",
    "Ban Thường vụ Tỉnh ủy",
    "Ủy ban Kiểm tra Trung ương",
    "tinh gọn bộ máy",
    "Bộ Chính trị",
    "kiểm tra giám sát",
    "xây dựng Đảng",
    "cải cách hành chính",
    "Ban Chấp hành Trung ương",
    "Mặt trận Tổ quốc",
    "Hội đồng nhân dân",
    "thực hành tiết kiệm chống lãng phí",
    "tự diễn biến tự chuyển hóa",
    "Ủy ban Thường vụ Quốc hội",
    "đạo đức phong cách Hồ Chí Minh",
]
# Old vs new tone placement: vnsearch maps both to one form, so the hit lists must be equal.
TONE_PAIRS = [
    ("Tỉnh uỷ", "Tỉnh ủy"),
    ("Ban Thường vụ Tỉnh uỷ", "Ban Thường vụ Tỉnh ủy"),
    ('"Ban Thường vụ Tỉnh uỷ"', '"Ban Thường vụ Tỉnh ủy"'),
    ("hoà giải", "hòa giải"),
    ("thuỷ lợi", "thủy lợi"),
]
TOP = 10
PEERS = ("fts5", "whoosh")


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, nargs="+",
                        default=[CORPUS / "news-politics.jsonl.gz", CORPUS / "news-dated.jsonl.gz"],
                        help="JSONL files to index (default: news-politics and news-dated in ../shared/corpus)")
    parser.add_argument("--index", type=Path, help="vnsearch index dir of the same files to reuse; built there if absent")
    parser.add_argument("--workers", type=int, help="vnsearch analysis processes (default: one per core)")
    parser.add_argument("--peers", default=",".join(PEERS), help="comma-separated peers (default: %(default)s)")
    add_write_option(parser)
    return parser.parse_args()


def ground_truth(documents: list, phrases: list[str]) -> dict[str, set[str]]:
    """phrase -> ids of documents holding its syllables contiguously, in the title or the text."""
    from vnsearch.analysis import syllables
    from vnsearch.text import normalize

    # Space-joined syllables with a space at each end: a substring test is then a test for a
    # contiguous run of whole syllables (syllables hold no spaces).
    fields = [(d.id, f" {' '.join(syllables(d.title))} ", f" {' '.join(syllables(d.text))} ") for d in documents]
    truth = {}
    for phrase in phrases:
        key = f" {' '.join(syllables(normalize(phrase)))} "
        truth[phrase] = {doc_id for doc_id, title, text in fields if key in title or key in text}
    return truth


def top_share(ids: list[str], holders: set[str]) -> float | None:
    """Share of the top 10 that hold the phrase; None when fewer than 10 documents hold it."""
    from vnsearch.text import normalize

    if len(holders) < TOP:
        return None
    return sum(normalize(i) in holders for i in ids[:TOP]) / TOP


def mean(values: list[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return sum(present) / len(present) if present else None


def main() -> None:
    args = parse_args()
    require_paths(*args.corpus)
    from vnsearch.text import fold

    peers_wanted = [p.strip() for p in args.peers.split(",") if p.strip()]
    notes = []
    print("reading and computing the ground truth…", file=sys.stderr, flush=True)
    truth = ground_truth(vnsearch_documents(args.corpus), PHRASES)

    vn = None
    if search_available():
        vn = VnsearchSystem(args.index)
        if args.index is None or not args.index.exists():
            print("vnsearch: indexing…", file=sys.stderr, flush=True)
            vn.build(args.corpus, workers=args.workers)
    else:
        notes.append(SEARCH_MISSING)

    peers = {}
    docs = raw_docs(args.corpus)
    for name in peers_wanted:
        reason = missing(name)
        if reason:
            notes.append(f"{name}: not run: {reason}")
            continue
        print(f"{name}: indexing…", file=sys.stderr, flush=True)
        peers[name] = make_peer(name)
        peers[name].build(docs)

    headers = ["phrase", "holders", "vn \"q\" P", "vn \"q\" R", "vn top10", "vn folded"]
    for name in peers:
        headers += [f"{name} top10", f"{name} folded"]
    rows = []
    try:
        for phrase in PHRASES:
            holders = truth[phrase]
            row: list[object] = [phrase, len(holders)]
            if vn is not None:
                returned = set(vn.all_ids(f'"{phrase}"'))
                hits = len(returned & holders)
                row += [hits / len(returned) if returned else None, hits / len(holders) if holders else None,
                        top_share(vn.search(phrase, TOP), holders), top_share(vn.search(fold(phrase), TOP), holders)]
            else:
                row += [None] * 4
            for peer in peers.values():
                row += [top_share(peer.search(phrase, TOP), holders), top_share(peer.search(fold(phrase), TOP), holders)]
            rows.append(row)
        rows.append(["mean", None] + [mean([r[i] for r in rows]) for i in range(2, len(headers))])

        tone_rows = []
        if vn is not None:
            for old, new in TONE_PAIRS:
                old_ids, new_ids = vn.all_ids(old), vn.all_ids(new)
                tone_rows.append([old, new, len(old_ids), len(new_ids), "yes" if old_ids == new_ids else "NO"])
    finally:
        for peer in peers.values():
            peer.close()
        if vn is not None:
            vn.close()

    tone_headers = ["old placement", "new placement", "hits", "hits", "identical (ids, order)"]
    legend = ("holders: documents holding the phrase (ground truth); P/R: precision/recall of every hit of the quoted "
              "query; top10: share of the unquoted query's top 10 holding the exact phrase; folded: the same, query "
              "typed without diacritics; — = fewer than 10 holders or not run")
    print(f"{len(truth)} phrases over {', '.join(p.name for p in args.corpus)}")
    print(provenance())
    report("Phrases: news-politics + news-dated (benchmarks/phrases.py)", (headers, rows), legend,
           (tone_headers, tone_rows), notes, args.write)

if __name__ == "__main__":
    main()
