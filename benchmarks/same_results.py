"""Do two indexes of the same documents give the same search results?

Runs a few hundred queries on both and compares, query by query, the total, the near-match
total and the first 100 hits (ids and scores to 4 decimals). Built to check that vnsearch's bulk
posting writer leaves every search result as Whoosh's own writer did: index the same corpus with
each (same commit points, so that document numbers match too) and compare.

Queries: the phrase benchmark's phrases and tone pairs, each plain, quoted and without
diacritics; the politics-dev topics; and, from documents drawn with a fixed seed, the start of
each title and a three-syllable window of each text, as written and without diacritics.

    .venv/bin/python benchmarks/same_results.py INDEX_A INDEX_B
    .venv/bin/python benchmarks/same_results.py INDEX_A INDEX_B --corpus ../shared/corpus/news-politics.jsonl.gz --sample 150

Across index formats (a revision that cannot open the other's index), each revision saves its
own answers and the two files are compared:

    PYTHONPATH=OLD/src .venv/bin/python benchmarks/same_results.py --save old.json OLD_INDEX
    .venv/bin/python benchmarks/same_results.py --save new.json NEW_INDEX
    .venv/bin/python benchmarks/same_results.py --compare old.json new.json
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

from bench_common import CORPUS, EVAL, iter_jsonl, require_paths
from phrases import PHRASES, TONE_PAIRS

LIMIT = 100


def queries(corpus: Path, sample: int, seed: int = 12) -> list[str]:
    from vnsearch.analysis import syllables
    from vnsearch.text import fold, normalize

    found: list[str] = []
    for phrase in PHRASES + [p for pair in TONE_PAIRS for p in pair]:
        found += [phrase, f'"{phrase.strip(chr(34))}"', fold(phrase)]
    topics = EVAL / "politics-dev" / "topics.jsonl"
    if topics.exists():
        found += [json.loads(line)["query"] for line in topics.read_text(encoding="utf-8").splitlines() if line.strip()]
    records = list(iter_jsonl(corpus))
    for record in random.Random(seed).sample(records, min(sample, len(records))):
        title = syllables(normalize(str(record.get("title") or "")))
        text = syllables(normalize(str(record.get("text") or "")))
        if len(title) >= 2:
            found.append(" ".join(title[:4]))
        if len(text) >= 3:
            start = random.Random(seed + len(text)).randrange(len(text) - 2)
            window = " ".join(text[start:start + 3])
            found += [window, fold(window)]
    return list(dict.fromkeys(q for q in found if q.strip()))


def answers(index: Path, texts: list[str]) -> list[object]:
    from vnsearch import Index, VnsearchError

    results: list[object] = []
    with Index.open(index) as ix:
        for text in texts:
            try:
                result = ix.search(text, limit=LIMIT)
            except VnsearchError as error:
                results.append(("error", error.code))
                continue
            results.append((result.total, result.near_total,
                            [(hit.id, round(hit.score, 4)) for hit in result.hits]))
    return results


def add_query_options(parser: argparse.ArgumentParser) -> None:
    """--corpus and --sample: where `queries` draws its documents from, and how many."""
    parser.add_argument("--corpus", type=Path, default=CORPUS / "news-politics.jsonl.gz",
                        help="where queries are drawn from (default: %(default)s)")
    parser.add_argument("--sample", type=int, default=150, help="documents drawn for queries (default: %(default)s)")


def _saved(path: Path) -> tuple[list[str], list[object]]:
    saved = json.loads(path.read_text(encoding="utf-8"))
    return saved["queries"], [_tupled(answer) for answer in saved["answers"]]


def _tupled(value: object) -> object:
    """JSON's lists back into the tuples `answers` gives."""
    if isinstance(value, list) and value and isinstance(value[0], list) and len(value[0]) == 2:
        return [tuple(item) for item in value]
    if isinstance(value, list):
        return tuple(_tupled(item) for item in value)
    return value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("first", type=Path)
    parser.add_argument("second", type=Path, nargs="?")
    parser.add_argument("--save", type=Path, metavar="FILE", help="only answer on FIRST and save the answers to FILE")
    parser.add_argument("--compare", action="store_true", help="FIRST and SECOND are files of saved answers")
    add_query_options(parser)
    args = parser.parse_args()
    if args.save:
        require_paths(args.first, args.corpus)
        texts = queries(args.corpus, args.sample)
        args.save.write_text(json.dumps({"queries": texts, "answers": answers(args.first, texts)}, ensure_ascii=False),
                             encoding="utf-8")
        return
    if args.second is None:
        parser.error("two indexes (or, with --compare, two saved answer files) are needed")
    require_paths(args.first, args.second)
    if args.compare:
        texts, first = _saved(args.first)
        second_texts, second = _saved(args.second)
        if texts != second_texts:
            sys.exit("the two files answer different queries")
    else:
        require_paths(args.corpus)
        texts = queries(args.corpus, args.sample)
        first, second = answers(args.first, texts), answers(args.second, texts)
    differ = [(text, a, b) for text, a, b in zip(texts, first, second, strict=True) if a != b]
    hits = sum(len(a[2]) for a in first if isinstance(a, tuple) and len(a) == 3 and isinstance(a[2], list))
    print(f"{len(texts)} queries, {hits:,} hits compared: {len(texts) - len(differ)} identical, {len(differ)} differ")
    for text, a, b in differ[:10]:
        print(f"  {text!r}:\n    {str(a)[:300]}\n    {str(b)[:300]}")
    sys.exit(1 if differ else 0)


if __name__ == "__main__":
    main()
