"""Diacritic restoration and "did you mean": accuracy and latency on real indexes.

Restoration (vnsearch.restore): each phrase lowercased, its syllables folded, then restored from
the index's statistics; a phrase counts when the restored syllables equal its own.

  (a) the 15 phrases of benchmarks/phrases.py;
  (b) random spans of 2-4 pyvi words of titles of news-politics (spans do not cross
      punctuation), seeded: these titles are in the index, as every query's words are in a
      real index; also spans of 2-4 syllables cut anywhere (mid-word: harder than queries);
  (c) word spans of titles of news-all documents that are NOT in the index (out of sample).

For each: exact share, syllable share, how often `restore` answers (posterior >= CONFIDENT) and
its exact share when it does; latency p50/p95 of restoring one phrase with the per-snapshot pair
cache emptied before each (a first-time query), and of `suggest` on the folded phrases and on
phrases with one slip typed (a diacritic on the wrong syllable or a doubled letter).

    .venv/bin/python benchmarks/restoration.py --index /tmp/news-index
    .venv/bin/python benchmarks/restoration.py --index /tmp/news-all-index --corpus ../shared/corpus/news-all.jsonl.gz --write
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from bench_common import CORPUS, add_write_option, iter_jsonl, percentile, provenance, report, require_paths
from phrases import PHRASES

SPANS = 300
SEED = 20260101
# Runs of a title between punctuation: a span never joins two phrases across "-", ":" or ",".
_PIECES_RE = re.compile(r"[^\W_]+(?:[ ]+[^\W_]+)*")


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, nargs="+",
                        default=[CORPUS / "news-politics.jsonl.gz", CORPUS / "news-dated.jsonl.gz"],
                        help="JSONL files the index holds (default: news-politics and news-dated in ../shared/corpus)")
    parser.add_argument("--index", type=Path, required=True, help="vnsearch index of those files; built there if absent")
    parser.add_argument("--spans", type=int, default=SPANS, help="random title spans per set (default %(default)s)")
    parser.add_argument("--titles", type=Path, default=CORPUS / "news-politics.jsonl.gz",
                        help="JSONL whose titles give the in-index spans (default: news-politics)")
    parser.add_argument("--unseen", type=Path, default=CORPUS / "news-all.jsonl.gz",
                        help="JSONL whose titles of documents not in the index give the out-of-sample spans")
    parser.add_argument("--show-errors", type=int, default=0, help="print this many wrong restorations per set")
    add_write_option(parser)
    return parser.parse_args()


def title_spans(path: Path, count: int, rng: random.Random, *, skip_ids: set[str] | None = None,
                by_words: bool = True) -> list[list[str]]:
    """`count` random spans of lowercased, normalised titles, within runs between punctuation,
    each with a letter: of 2-4 pyvi words (what a query is made of) or, with `by_words=False`,
    of 2-4 syllables cut anywhere (often mid-word: harder than real queries)."""
    from vnsearch.analysis import syllables
    from vnsearch.segment import segment
    from vnsearch.text import normalize

    titles = [normalize(str(record.get("title") or "")) for record in iter_jsonl(path)
              if skip_ids is None or str(record.get("id")) not in skip_ids]
    spans: list[list[str]] = []
    if not any(_PIECES_RE.search(title) for title in titles):
        return spans
    while len(spans) < count:
        pieces = _PIECES_RE.findall(rng.choice(titles))
        if not pieces:
            continue
        piece = rng.choice(pieces)
        units = [syllables(w.text) for w in segment(piece)] if by_words else [[s] for s in syllables(piece)]
        units = [u for u in units if u]
        if len(units) < 2:
            continue
        size = rng.randint(2, min(4, len(units)))
        first = rng.randint(0, len(units) - size)
        span = [s for unit in units[first : first + size] for s in unit]
        if any(not s.isdigit() for s in span):
            spans.append([s.lower() for s in span])
    return spans


def ids_of(paths: Sequence[Path]) -> set[str]:
    return {str(record.get("id")) for path in paths for record in iter_jsonl(path)}


def restoration_row(name: str, phrases: list[list[str]], stats,
                    show: int) -> tuple[list[object], list[tuple[float, bool]]]:
    from vnsearch.restore import CONFIDENT, restore_scored
    from vnsearch.text import fold

    exact = syllables_right = syllables_all = answered = answered_right = 0
    times, cpu = [], []
    errors = []
    judged = []  # (posterior, right) per phrase: the share answered and right at other thresholds
    for want in phrases:
        stats._pairs.clear()  # a first-time query: nothing cached but the vocabularies
        start, start_cpu = time.perf_counter(), time.process_time()
        got, posterior = restore_scored([fold(s) for s in want], stats)
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
        right = got == want
        judged.append((posterior, right))
        exact += right
        syllables_right += sum(g == w for g, w in zip(got, want, strict=True))
        syllables_all += len(want)
        if posterior >= CONFIDENT:
            answered += 1
            answered_right += right
        if not right:
            errors.append(f"  {' '.join(want)!r} -> {' '.join(got)!r} ({posterior:.2f})")
    for line in errors[:show]:
        print(line)
    count = len(phrases)
    return ([name, count, exact / count, syllables_right / syllables_all, answered / count,
             answered_right / answered if answered else None,
             1000 * percentile(times, 50), 1000 * percentile(times, 95), 1000 * percentile(cpu, 50),
             1000 * percentile(cpu, 95)], judged)


def latency_row(name: str, queries: list[str], run: Callable[[str], object], clear: Callable[[], None],
                expected: list[str | None] | None = None) -> list[object]:
    """Suggestions for `queries` (each with an empty pair cache): share suggested, share equal
    to `expected` (the clean phrase; None: no suggestion wanted), latency."""
    from vnsearch.text import normalize

    times, cpu = [], []
    changed = right = right_changed = 0
    for i, query in enumerate(queries):
        clear()
        start, start_cpu = time.perf_counter(), time.process_time()
        answer = run(query)
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
        changed += answer is not None
        if expected is not None:
            want = expected[i]
            ok = (answer is None) if want is None else (isinstance(answer, str) and answer.lower() == normalize(want))
            right += ok
            right_changed += ok and answer is not None
    return [name, len(queries), changed / len(queries), right / len(queries) if expected is not None else None,
            right_changed / changed if expected is not None and changed else None,
            1000 * percentile(times, 50), 1000 * percentile(times, 95), 1000 * max(times), 1000 * percentile(cpu, 50),
            1000 * percentile(cpu, 95)]


TONES = ("\u0300", "\u0301", "\u0309", "\u0303", "\u0323")


def slipped(phrase: list[str], rng: random.Random) -> str | None:
    """The phrase with one typing slip on a syllable with diacritics: its tone changed (or one
    added), or its last letter doubled ("hộii")."""
    import unicodedata

    from vnsearch.text import fold, normalize

    marked = [i for i, s in enumerate(phrase) if fold(s) != s and s.isalpha()]
    if not marked:
        return None
    i = rng.choice(marked)
    terms = list(phrase)
    if rng.random() < 0.5:
        terms[i] = terms[i] + terms[i][-1]
    else:
        letters = unicodedata.normalize("NFD", terms[i])
        tone = next((c for c in letters if c in TONES), "")
        bare = "".join(c for c in letters if c not in TONES)
        vowel = next(k for k, c in enumerate(bare) if c.lower() in "aeiouy")
        new = rng.choice([t for t in TONES if t != tone])
        # The tone after the first vowel; normalize() moves it where the spelling rules put it.
        terms[i] = normalize(unicodedata.normalize("NFC", bare[: vowel + 1] + new + bare[vowel + 1 :]))
    return " ".join(terms)


def main() -> None:
    args = parse_args()
    require_paths(*args.corpus, args.titles)
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from vnsystem import VnsearchSystem

    from vnsearch.analysis import syllables
    from vnsearch.restore import spelling_stats
    from vnsearch.suggest import suggest
    from vnsearch.text import fold, normalize

    vn = VnsearchSystem(args.index)
    if not args.index.exists():
        print("vnsearch: indexing…", file=sys.stderr, flush=True)
        vn.build(args.corpus)
    snapshot = vn.ix._engine.snapshot()
    start = time.perf_counter()
    stats = spelling_stats(snapshot)
    built = time.perf_counter() - start

    rng = random.Random(SEED)
    titles_name = f"{args.titles.name} titles, 2-4 words"
    sets = {"15 phrases (phrases.py)": [syllables(normalize(p)) for p in PHRASES],
            titles_name: title_spans(args.titles, args.spans, rng),
            f"{args.titles.name} titles, 2-4 syllables": title_spans(args.titles, args.spans, rng, by_words=False)}
    notes = [f"spelling statistics built in {built:.2f} s ({len(stats.syllables):,} syllables, "
             f"{len(stats.words):,} words); {snapshot.doc_count():,} documents"]
    unseen = title_spans(args.unseen, args.spans, rng, skip_ids=ids_of(args.corpus)) if args.unseen.exists() else []
    if unseen:
        sets[f"{args.unseen.name} titles not indexed, 2-4 words"] = unseen
    else:
        notes.append(f"no title of {args.unseen} outside the index: out-of-sample set skipped")

    rows = []
    thresholds = []
    for name, phrases in sets.items():
        print(f"restoring {name}…", file=sys.stderr, flush=True)
        row, judged = restoration_row(name, phrases, stats, args.show_errors)
        rows.append(row)
        if name == titles_name:
            for threshold in (0.0, 0.3, 0.5, 0.7, 0.9):
                kept = [right for posterior, right in judged if posterior >= threshold]
                thresholds.append(f"{threshold:.1f}: answers {len(kept) / len(judged):.1%}, "
                                  f"right {sum(kept) / max(1, len(kept)):.1%}")
    notes.append(f"{titles_name}, by the posterior restore() needs (CONFIDENT): " + "; ".join(thresholds))
    headers = ["set", "phrases", "exact", "syllables", "answered", "exact when answered", "p50 ms", "p95 ms",
               "CPU p50 ms", "CPU p95 ms"]
    legend = ("exact: restored phrase equal to the original (lowercased); syllables: share of syllables right; "
              "answered: share where restore() is confident (posterior >= CONFIDENT), else it returns None; "
              "latency: one phrase restored with an empty pair cache, wall clock and CPU time of this process "
              "(the machine is shared: CPU time is the steadier figure). Suggest: the 15 phrases and the first 100 "
              "title spans, typed without diacritics, as in the index, and with one slip (a tone changed or added, or "
              "the last letter doubled); right: the suggestion is the phrase (no suggestion, for the clean ones)")

    def clear() -> None:
        stats._pairs.clear()

    def run_suggest(query: str) -> object:
        return suggest(query, snapshot)

    spans = sets[titles_name]
    phrases = sets["15 phrases (phrases.py)"] + spans[:100]
    folded_queries = [fold(" ".join(p)) for p in phrases]
    clean_queries = [" ".join(p) for p in phrases]
    slips = [(q, " ".join(p)) for p in phrases if (q := slipped(p, rng))]
    for query in clean_queries[:5]:  # the first searches load the statistics: not measured
        suggest(query, snapshot)
    restored: list[str | None] = [q if fold(q) != q else None for q in clean_queries]  # nothing to restore: no answer
    latency = [latency_row("suggest: typed without diacritics", folded_queries, run_suggest, clear, restored),
               latency_row("suggest: with diacritics, as in the index", clean_queries, run_suggest, clear,
                           [None] * len(clean_queries)),
               latency_row("suggest: with diacritics, one slip", [q for q, _ in slips], run_suggest, clear,
                           [want for _, want in slips])]
    latency_headers = ["queries", "count", "suggested", "right", "right when suggested", "p50 ms", "p95 ms", "max ms",
                       "CPU p50 ms", "CPU p95 ms"]
    print(f"{snapshot.doc_count():,} documents in {args.index}")
    print(provenance())
    report(f"Restoration and did-you-mean: {', '.join(p.name for p in args.corpus)} (benchmarks/restoration.py)",
           (headers, rows), legend, (latency_headers, latency), notes, args.write)
    vn.close()


if __name__ == "__main__":
    main()
