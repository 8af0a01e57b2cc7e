"""Which abbreviations of vnsearch.abbreviations are also common words when written in lower case.

A query's "ubnd" or "hdnd" is taken for UBND / HĐND (abbreviations.abbreviation_of) unless its
lower-case form is a word people write: "tư" (private, fourth) is a word, "TƯ" an abbreviation
of Trung ương. For each abbreviation, its lower-case form and its form without diacritics
("hđnd", "hdnd") are counted as whole syllables of the corpus texts, by how they were written:
all in lower case, capitalised, all capitals. A form is a common word when most of its uses
are in lower case (MIN_LOWER_SHARE) and they are not rare (MIN_PER_MILLION per million
syllables): "tư" is, "ubnd" is not (written so in 6 % of its uses: an abbreviation typed
carelessly, not a word). The list to keep in abbreviations.COMMON_WORDS (the script says
whether it matches).

    .venv/bin/python benchmarks/abbreviation_words.py
    .venv/bin/python benchmarks/abbreviation_words.py --corpus ../shared/corpus/news-all.jsonl.gz --write
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from pathlib import Path

from bench_common import CORPUS, add_write_option, iter_jsonl, provenance, report, require_paths

MIN_LOWER_SHARE = 0.5
MIN_PER_MILLION = 1.0
_SYLLABLE_RE = re.compile(r"[^\W_]+")


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, nargs="+",
                        default=sorted(CORPUS.glob("*.jsonl.gz")) if CORPUS.exists() else [],
                        help="JSONL files to count in (default: every corpus in ../shared/corpus)")
    parser.add_argument("--min-per-million", type=float, default=MIN_PER_MILLION,
                        help="lower-case uses per million syllables a common word has at least (default %(default)s)")
    parser.add_argument("--min-lower-share", type=float, default=MIN_LOWER_SHARE,
                        help="share of its uses a common word has in lower case at least (default %(default)s)")
    add_write_option(parser)
    return parser.parse_args()


def main() -> None:
    args = parse_args()
    if not args.corpus:
        sys.exit(f"error: no corpus files found in {CORPUS}")
    require_paths(*args.corpus)
    from vnsearch.abbreviations import ABBREVIATIONS, COMMON_WORDS
    from vnsearch.text import fold, normalize

    forms: dict[str, str] = {}  # lower-case form -> abbreviation
    for short in ABBREVIATIONS:
        lower = normalize(short).lower()
        if _SYLLABLE_RE.fullmatch(lower):  # one syllable: what a query's word is compared with
            forms.setdefault(lower, short)
            forms.setdefault(fold(lower), short)
    lower_uses: Counter[str] = Counter()
    capitalised: Counter[str] = Counter()
    capitals: Counter[str] = Counter()
    total = 0
    for path in args.corpus:
        print(f"counting {path.name}…", file=sys.stderr, flush=True)
        for record in iter_jsonl(path):
            text = normalize(f"{record.get('title') or ''}\n{record.get('text') or ''}")
            for syllable in _SYLLABLE_RE.findall(text):
                total += 1
                lower = syllable.lower()
                if lower not in forms:
                    continue
                if syllable == lower:
                    lower_uses[lower] += 1
                elif syllable.isupper() and len(syllable) > 1:
                    capitals[lower] += 1
                else:
                    capitalised[lower] += 1
    rows = []
    common = set()
    for form, short in sorted(forms.items(), key=lambda item: (-lower_uses[item[0]], item[0])):
        per_million = lower_uses[form] * 1e6 / max(1, total)
        uses = lower_uses[form] + capitalised[form] + capitals[form]
        lower_share = lower_uses[form] / uses if uses else 0.0
        is_common = per_million >= args.min_per_million and lower_share >= args.min_lower_share
        if is_common:
            common.add(form)
        rows.append([form, short, lower_uses[form], capitalised[form], capitals[form], lower_share, per_million,
                     "yes" if is_common else ""])
    headers = ["form", "abbreviation", "lower case", "Capitalised", "CAPITALS", "lower case share",
               "lower case per million", "common word"]
    legend = (f"{total:,} syllables of {', '.join(p.name for p in args.corpus)}; a form written in lower case in at least "
              f"{args.min_lower_share:.0%} of its uses and {args.min_per_million:g} times per million syllables is a "
              "common word: not taken for the abbreviation when typed in lower case")
    notes = [f"common words measured: {sorted(common)}",
             "abbreviations.COMMON_WORDS matches" if common == set(COMMON_WORDS)
             else f"abbreviations.COMMON_WORDS differs: {sorted(COMMON_WORDS)}"]
    print(provenance())
    report("Abbreviations that are common words in lower case (benchmarks/abbreviation_words.py)",
           (headers, rows), legend, None, notes, args.write)


if __name__ == "__main__":
    main()
