"""What a field of exact syllable pairs would cost, and what restoration would gain from it.

Restoration (vnsearch.restore) needs how often two exact syllables stand side by side ("dựng
đảng" of "xây dựng Đảng"). Inside pyvi's words the word vocabulary says it; across words no
field holds it, so it is counted at positions in a sample of documents (Snapshot.adjacent_counts).
A field `body_pairs` of exact adjacent pairs (frequencies only, like `body_pairs_folded`) would
make it a term look-up. This script measures its cost without touching the index format:

  - postings and distinct terms of the exact pairs against every field vnsearch indexes today,
    over the documents of the corpus, and the same for exact pairs across pyvi words only (the
    ones the word vocabulary cannot give);
  - the on-disk size of two Whoosh indexes of the first --sample documents, written alike, with
    and without the extra field.

    .venv/bin/python benchmarks/exact_pairs_cost.py
    .venv/bin/python benchmarks/exact_pairs_cost.py --sample 1000 --write
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from bench_common import CORPUS, add_write_option, dir_size, human_bytes, provenance, report, require_paths


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, nargs="+",
                        default=[CORPUS / "news-politics.jsonl.gz", CORPUS / "news-dated.jsonl.gz"],
                        help="JSONL files (default: news-politics and news-dated in ../shared/corpus)")
    parser.add_argument("--sample", type=int, default=1000, help="documents analysed and indexed twice (default %(default)s)")
    add_write_option(parser)
    return parser.parse_args()


def main() -> None:
    args = parse_args()
    require_paths(*args.corpus)
    from bench_common import vnsearch_documents
    from whoosh import index as whoosh_index

    from vnsearch.analysis import analyze_document, pairs
    from vnsearch.engine.whoosh.schema import PreanalyzedText, build_schema, frequency_items, whoosh_values, word_analyzer

    documents = vnsearch_documents(args.corpus)[: args.sample]
    print(f"analysing {len(documents)} documents…", file=sys.stderr, flush=True)
    analysed = [analyze_document(d) for d in documents]

    postings: dict[str, int] = {}
    terms: dict[str, set[str]] = {}

    def count(field: str, values: list[str] | tuple[str, ...]) -> None:
        distinct = set(values)
        postings[field] = postings.get(field, 0) + len(distinct)
        terms.setdefault(field, set()).update(distinct)

    extra: list[list[str]] = []
    for item in analysed:
        for part, text in (("title", item.title), ("body", item.body)):
            count(part, text.syllables)
            count(f"{part}_folded", text.folded)
            count(f"{part}_words", text.words)
            count(f"{part}_pairs_folded", text.pairs)
        exact = pairs(item.body.syllables)
        count("body_pairs (exact)", exact)
        extra.append(exact)
        # Pairs across pyvi's words: the word vocabulary gives every other exact pair.
        inside = {p for word in item.body.words for p in pairs(word.split("_"))}
        count("body_pairs (exact, across words)", [p for p in exact if p not in inside])

    today = sum(v for k, v in postings.items() if "exact" not in k)
    rows = [[field, postings[field], len(terms[field]), postings[field] / today] for field in postings]
    headers = ["field", "postings", "distinct terms", "share of today's postings"]

    print("indexing twice…", file=sys.stderr, flush=True)
    sizes = []
    with tempfile.TemporaryDirectory(prefix="exact-pairs-") as tmp:
        for name, with_exact in (("today", False), ("with body_pairs", True)):
            schema = build_schema()
            if with_exact:
                schema.add("body_pairs", PreanalyzedText(analyzer=word_analyzer(), phrase=False))
            path = Path(tmp) / name
            path.mkdir()
            ix = whoosh_index.create_in(str(path), schema)
            writer = ix.writer(limitmb=256)
            for item, exact in zip(analysed, extra, strict=True):
                values = whoosh_values(item)
                if with_exact:
                    from vnsearch.engine.whoosh.schema import Preanalyzed

                    values["body_pairs"] = Preanalyzed(frequency_items(exact))
                writer.add_document(**values)
            writer.commit(optimize=True)
            sizes.append(dir_size(path))
    size_rows = [["today", human_bytes(sizes[0]), None], ["with body_pairs", human_bytes(sizes[1]), sizes[1] / sizes[0] - 1]]
    legend = (f"{len(documents)} documents of {', '.join(p.name for p in args.corpus)}; postings: (document, term) "
              "entries; the across-words row is what the word vocabulary cannot give")
    growth = sizes[1] / sizes[0] - 1
    notes = [f"exact pairs of 1 document in {n} only (a sample field, looked up instead of positions read) would add "
             f"about {growth / n:.1%}" for n in (10, 20)]
    print(provenance())
    report("Cost of an exact syllable pair field (benchmarks/exact_pairs_cost.py)", (headers, rows), legend,
           (["index of the sample", "size on disk", "growth"], size_rows), notes, args.write)


if __name__ == "__main__":
    main()
