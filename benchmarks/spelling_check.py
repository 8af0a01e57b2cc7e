"""Does normalize respell only misspelt syllables? Every distinct syllable of the corpora, checked.

Reads the title and text of every record of ../shared/corpus/*.jsonl.gz, takes the distinct
syllables as published (vnsearch.analysis.SYLLABLE_RE on NFC text), normalises each one on its
own and prints how many changed, by kind, with a sample of the changes (before -> after, with
the number of occurrences) to read through: every one must be a repair, never a change to a
correct word or a foreign name.

The same check in context, with spelling_repairs over each whole text, sees what the isolated
view cannot: a stray combining mark (it splits a syllable in the isolated view) and a fragment
of a word split by Markdown emphasis ("**Q****uỹ**"), which normalize leaves alone.

    .venv/bin/python benchmarks/spelling_check.py              # every corpus, 60 sampled changes
    .venv/bin/python benchmarks/spelling_check.py --all        # print every change
    .venv/bin/python benchmarks/spelling_check.py --corpus ../shared/corpus/laws.jsonl.gz
"""

from __future__ import annotations

import argparse
import sys
import time
import unicodedata
from collections import Counter, defaultdict
from pathlib import Path

from bench_common import CORPUS, LOAD_AT_START, add_write_option, iter_jsonl, report, require_paths

from vnsearch.analysis import SYLLABLE_RE
from vnsearch.text import normalize, spelling_repairs

_TONE_MARKS = set("\u0300\u0301\u0309\u0303\u0323")
_VOWELS = set("aăâeêioôơuưy")


def _untoned(syllable: str) -> str:
    return unicodedata.normalize("NFC", "".join(c for c in unicodedata.normalize("NFD", syllable) if c not in _TONE_MARKS))


def kind(before: str, after: str) -> str:
    """Which kind of repair turned `before` into `after`."""
    decomposed = unicodedata.normalize("NFD", before)
    if any(c in before for c in "Ðð"):
        return "look-alike Ð"
    if any(unicodedata.combining(c) for c in before):
        return "stray combining mark"
    if sum(c in _TONE_MARKS for c in decomposed) > 1:
        return "two tone marks"
    if _untoned(before).lower() != _untoned(after).lower():
        return "modifier on the wrong vowel"
    plain = _untoned(before).lower()
    marked = next((i for i, c in enumerate(before.lower()) if c != plain[i]), -1)
    if plain[:2] in ("qu", "gi") and marked == 1:
        return "tone on the u/i of qu/gi"
    if plain[-1] not in _VOWELS:
        return "tone, closed syllable"
    if plain[-2:] in ("oa", "oe", "uy") and plain[-3:-2] not in _VOWELS:
        return "tone, open oa/oe/uy (old placement)"
    return "tone, open syllable"


def _sample(changes: list[tuple[str, str, int]], size: int) -> list[tuple[str, str, int]]:
    """The most frequent changes of each kind in turn, so that rare kinds are seen too."""
    by_kind: dict[str, list[tuple[str, str, int]]] = defaultdict(list)
    for change in changes:
        by_kind[kind(change[0], change[1])].append(change)
    picked: list[tuple[str, str, int]] = []
    depth = 0
    while len(picked) < size and any(depth < len(v) for v in by_kind.values()):
        picked += [v[depth] for v in by_kind.values() if depth < len(v)][: size - len(picked)]
        depth += 1
    return picked


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, nargs="*", help="JSONL(.gz) files (default: every corpus)")
    parser.add_argument("--sample", type=int, default=60, help="changes to print (default 60)")
    parser.add_argument("--all", action="store_true", help="print every change")
    add_write_option(parser)
    args = parser.parse_args()
    paths = args.corpus or sorted(CORPUS.glob("*.jsonl.gz"))
    require_paths(*paths)

    texts: list[str] = []
    for path in paths:
        print(f"reading {path.name}", file=sys.stderr)
        for record in iter_jsonl(path):
            texts += [v for v in (record.get("title"), record.get("text")) if isinstance(v, str) and v]
    characters = sum(map(len, texts))

    counts: Counter[str] = Counter()
    for text in texts:
        counts.update(SYLLABLE_RE.findall(unicodedata.normalize("NFC", text)))
    changes = sorted(
        ((s, normalize(s), n) for s, n in counts.items() if normalize(s) != s), key=lambda c: (-c[2], c[0])
    )

    in_context: Counter[tuple[str, str]] = Counter()  # texts holding each repair
    start = time.perf_counter()
    for text in texts:
        in_context.update(spelling_repairs(text))
    repairs_seconds = time.perf_counter() - start
    start = time.perf_counter()
    for text in texts:
        normalize(text)
    normalize_seconds = time.perf_counter() - start

    by_kind: dict[str, list[tuple[str, str, int]]] = defaultdict(list)
    for change in changes:
        by_kind[kind(change[0], change[1])].append(change)
    rows = [
        (name, len(items), sum(n for *_, n in items), ", ".join(f"{b} -> {a}" for b, a, _ in items[:3]))
        for name, items in sorted(by_kind.items(), key=lambda kv: -len(kv[1]))
    ]
    rows.append(("total", len(changes), sum(n for *_, n in changes), ""))

    alone = {(b, a) for b, a, _ in changes}
    only_in_context = sorted(set(in_context) - alone, key=lambda p: -in_context[p])
    # A syllable counts as repaired in context when a repaired run, stray marks aside, is that syllable.
    repaired_runs = {"".join(c for c in before if not unicodedata.combining(c)) for before, _ in in_context}
    kept_in_context = [(b, a) for b, a, _ in changes if b not in repaired_runs and not any(c in b for c in "Ðð")]
    shown = changes if args.all else _sample(changes, args.sample)
    sample_rows = [(kind(b, a), f"{b} -> {a}", n) for b, a, n in shown]
    notes = [
        f"Corpora: {', '.join(p.name for p in paths)}; {len(texts):,} titles and texts, {characters:,} characters, "
        f"{sum(counts.values()):,} syllables, {len(counts):,} distinct.",
        f"Distinct syllables changed by normalize alone: {len(changes):,} "
        f"({sum(n for *_, n in changes):,} occurrences); {len(changes) - len(by_kind.get('look-alike Ð', [])):,} "
        "of them respelt (the others only map the look-alike Ð).",
        f"In context (spelling_repairs per text): {len(in_context):,} distinct repairs in "
        f"{sum(in_context.values()):,} text-repair pairs.",
        "Repaired only in context (stray combining marks; isolated syllables cannot hold them): "
        + (", ".join(f"{b!a} -> {a} ({in_context[b, a]})" for b, a in only_in_context) or "none"),
        "Changed alone but kept in context (fragments of a word split by Markdown): "
        + (", ".join(f"{b} -> {a}" for b, a in kept_in_context) or "none"),
        f"normalize: {characters:,} characters in {normalize_seconds:.2f} s = "
        f"{characters / normalize_seconds / 1e6:.1f} M chars/s (spelling_repairs: {repairs_seconds:.2f} s); "
        f"load average {LOAD_AT_START:.2f} at start.",
    ]
    report(
        "Spelling check (benchmarks/spelling_check.py)",
        (("kind", "distinct", "occurrences", "examples"), rows),
        "Distinct syllables as published (NFC), normalised one by one.",
        (("kind", "change", "occurrences"), sample_rows),
        notes,
        args.write,
    )


if __name__ == "__main__":
    main()
