"""Every search answer of one index as JSON, to compare two revisions of the code on one index.

`same_results.py` compares two indexes under one revision; this is the other way round: run it
with each revision's code (PYTHONPATH=/path/to/other/checkout/src for the other one) on the same
index, then compare the files (`cmp`, `diff`). Each answer holds the totals, the first 100 hits
(ids and exact scores), a page of 10 (ids, scores, snippets, highlighted titles), the facets,
notices and "did you mean". Queries: same_results.py's set, and latency.py's with their options. The
index is opened afresh for every query unless --warm, so that what a cold query loads is
checked too.

    .venv/bin/python benchmarks/dump_results.py /tmp/index /tmp/new.json --corpus ../shared/corpus/news-all.jsonl.gz
    PYTHONPATH=/tmp/main/src .venv/bin/python benchmarks/dump_results.py /tmp/index /tmp/old.json --corpus ...
    cmp /tmp/old.json /tmp/new.json
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from bench_common import require_paths
from latency import QUERIES
from same_results import LIMIT, add_query_options, queries

PAGE = 10


def answer(ix: Any, text: str, options: dict[str, Any]) -> dict[str, Any]:
    from vnsearch import VnsearchError

    try:
        result = ix.search(text, limit=LIMIT, **options)
        page = ix.search(text, limit=PAGE, **options)  # a page of 10 ranks fewer candidates exactly
    except VnsearchError as error:
        return {"error": error.code}
    return {
        "total": result.total, "near_total": result.near_total,
        "hits": [(hit.id, hit.score) for hit in result.hits],
        "page": [(hit.id, hit.score, hit.snippets, hit.title_html, hit.missing) for hit in page.hits],
        "facets": result.facets, "notices": [str(notice) for notice in result.notices],
        "suggestion": result.suggestion,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("index", type=Path)
    parser.add_argument("output", type=Path)
    add_query_options(parser)
    parser.add_argument("--warm", action="store_true", help="one opened index for every query")
    args = parser.parse_args()
    require_paths(args.index, args.corpus)
    from vnsearch import Index

    asked = [(text, {}) for text in queries(args.corpus, args.sample)] + [(q, o) for _, q, o in QUERIES]
    answers = []
    shared = Index.open(args.index) if args.warm else None
    for text, options in asked:
        ix = shared or Index.open(args.index)
        answers.append({"query": text, "options": options, **answer(ix, text, options)})
        if shared is None:
            ix.close()
    if shared is not None:
        shared.close()
    args.output.write_text(json.dumps(answers, ensure_ascii=False, indent=1), encoding="utf-8")
    print(f"{len(answers)} answers written to {args.output}")


if __name__ == "__main__":
    main()
