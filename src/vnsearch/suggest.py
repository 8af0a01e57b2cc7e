""""Did you mean": a better spelling of a query, from the index's own vocabulary, or None.

- A run of words typed without diacritics: its restored spelling ("phong chong tham nhung" ->
  "phòng chống tham nhũng"), when `restore` is confident.
- Words typed with diacritics: each syllable the index does not hold, or holds far more rarely
  than another spelling of it ("tham nhủng", "Quốc hộii", "thâm nhũng"), is a suspect; its
  candidates are the index's syllables within one edit (other diacritics, or one letter added,
  dropped or changed), each paying for the edit; the bigram model of `restore` weighs them in
  context, and the correction is suggested when its path beats the query as typed by MARGIN.

Only the words of the query change: quoted phrases are corrected inside their quotes,
exclusions, OR, filters (committee:"…") and document numbers are kept as typed; each
corrected syllable keeps the case it was typed in. Queries written correctly cost a few
dictionary look-ups (the suspects test); `restore`'s sampled adjacency is paid only by
suspects and by queries without diacritics.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from functools import lru_cache
from typing import TYPE_CHECKING

from .analysis import SYLLABLE_RE, pair
from .query import _TOKEN_RE  # the query's own tokenizer: the runs of words are the parser's
from .restore import CONFIDENT, WORD_COVERAGE, Lattice, SpellingStats, best_paths, restore_scored, spelling_stats
from .text import QUERY_NUMBER_RE, collapse_spaces, fold, has_diacritics, normalize

if TYPE_CHECKING:
    from .engine.base import Snapshot

RARE = 30  # a syllable held this many times less often than another spelling of it is a suspect
WORD_PAIR_SHARE = 0.01  # ... as is a pair inside words that this small a share of its words spell so
SLIP = math.log(100)  # the cost of one letter typed wrong (log-odds); a diacritic typed wrong costs half
MARGIN = math.log(20)  # how much likelier than the query as typed a correction must be
MAX_VARIANTS = 6  # candidates per suspect, besides the syllable as typed
LETTERS = "abcdefghijklmnopqrstuvwxyz"


def suggest(query_text: str, snapshot: Snapshot) -> str | None:
    """A better spelling of `query_text` from the index's vocabulary, or None when there is
    none (the query is spelled as the index spells it, or the statistics cannot tell)."""
    return suggest_with(query_text, spelling_stats(snapshot))


def suggest_with(query_text: str, stats: SpellingStats) -> str | None:
    """`suggest` on given statistics (for tests and benchmarks)."""
    text = collapse_spaces(normalize(query_text))
    pieces: list[str] = []
    copied = 0
    for run in _runs(text):
        typed = [text[start:end] for start, end in run]
        corrected = _corrected([t.lower() for t in typed], stats)
        if corrected is None:
            continue
        for (start, end), was, now in zip(run, typed, corrected, strict=True):
            if now != was.lower():
                pieces += [text[copied:start], _in_case_of(was, now)]
                copied = end
    if not pieces:
        return None
    return "".join(pieces) + text[copied:]


def _runs(text: str) -> Iterator[list[tuple[int, int]]]:
    """Syllable spans (start, end) of each run of words of the query: plain words between
    operators, filters and numbers; a quoted phrase; an excluded word."""
    run: list[tuple[int, int]] = []
    for match in _TOKEN_RE.finditer(text):
        word = match.group("word")
        quoted = match.group("quoted")
        plain = word is not None and not match.group("neg") and word != "OR" \
            and not QUERY_NUMBER_RE.fullmatch(word.strip(".,;:()"))
        if plain:
            start = match.start("word")
            run += [(start + m.start(), start + m.end()) for m in SYLLABLE_RE.finditer(word)]
            continue
        if run:
            yield run
            run = []
        if quoted is not None:
            start = match.start("quoted")
            yield [(start + m.start(), start + m.end()) for m in SYLLABLE_RE.finditer(quoted)]
        elif word is not None and match.group("neg") and not QUERY_NUMBER_RE.fullmatch(word.strip(".,;:()")):
            start = match.start("word")
            yield [(start + m.start(), start + m.end()) for m in SYLLABLE_RE.finditer(word)]
    if run:
        yield run


def _corrected(typed: list[str], stats: SpellingStats) -> list[str] | None:
    """Lowercased syllables -> a better spelling, or None."""
    if not typed:
        return None
    if not any(has_diacritics(t) for t in typed):
        restored, posterior = restore_scored(typed, stats)
        return restored if posterior >= CONFIDENT and restored != typed else None
    suspects = _suspects(typed, stats)
    if not any(suspects):
        return None
    candidates, emissions = [], []
    for syllable, suspect in zip(typed, suspects, strict=True):
        variants = _variants(syllable, stats) if suspect else []
        candidates.append([syllable] + [v for v, _ in variants])
        emissions.append([0.0] + [-cost for _, cost in variants])
    lattice = Lattice(candidates, emissions, measure=True)
    paths = best_paths(stats, lattice)
    if paths.best == typed:
        return None
    as_typed = best_paths(stats, lattice.only(typed), paths.boundaries)
    return paths.best if paths.score - as_typed.score >= MARGIN else None


def _suspects(typed: list[str], stats: SpellingStats) -> list[bool]:
    """Which syllables may be misspelled: ones the index does not hold, holds RARE times less
    often than another spelling, or that make a pair inside words that words seldom spell so."""
    suspects = []
    for syllable in typed:
        if any(c.isdigit() for c in syllable):
            suspects.append(False)
            continue
        count = stats.df(syllable)
        spellings = stats.spellings.get(fold(syllable), ())
        commonest = spellings[0][1] if spellings else 0
        suspects.append(count == 0 or commonest >= RARE * count)
    for i, (a, b) in enumerate(zip(typed, typed[1:], strict=False)):
        if suspects[i] and suspects[i + 1]:
            continue
        folded_pair = pair(fold(a), fold(b))
        in_words = stats.word_pairs.get(folded_pair)
        if not in_words or (a, b) in in_words and in_words[(a, b)] >= WORD_PAIR_SHARE * sum(in_words.values()):
            continue
        if sum(in_words.values()) >= WORD_COVERAGE * stats.pair_frequency(folded_pair):
            suspects[i] = suspects[i + 1] = True
    return suspects


def _variants(syllable: str, stats: SpellingStats) -> list[tuple[str, float]]:
    """The index's syllables within one edit of `syllable`, with the cost of the edit, the
    likeliest (document frequency discounted by the cost) first."""
    scored: dict[str, float] = {}
    folded = fold(syllable)
    for key in (folded, *_edits(folded)):
        for spelling, _count in stats.spellings.get(key, ()):
            if spelling != syllable:
                scored[spelling] = _distance(syllable, spelling) * SLIP
    ranked = sorted(scored.items(), key=lambda item: (-(math.log(stats.df(item[0]) + 0.1) - item[1]), item[0]))
    return ranked[:MAX_VARIANTS]


def _edits(word: str) -> set[str]:
    """Strings one letter away: deleted, swapped with the next, changed, or added."""
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    found = {a + b[1:] for a, b in splits if b}
    found |= {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
    found |= {a + c + b[1:] for a, b in splits if b for c in LETTERS}
    found |= {a + c + b for a, b in splits for c in LETTERS}
    found.discard(word)
    return found


@lru_cache(maxsize=4096)
def _distance(a: str, b: str) -> float:
    """Edit distance of two syllables, a letter differing only by its diacritics costing half."""
    previous = [float(j) for j in range(len(b) + 1)]
    for i, x in enumerate(a, 1):
        current = [float(i)]
        for j, y in enumerate(b, 1):
            change = 0.0 if x == y else 0.5 if fold(x) == fold(y) else 1.0
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + change))
        previous = current
    return previous[-1]


def _in_case_of(typed: str, syllable: str) -> str:
    """`syllable` in the case `typed` was written in: "HỘII" -> "HỘI", "Hộii" -> "Hội"."""
    if len(typed) > 1 and typed.isupper():
        return syllable.upper()
    if typed[:1].isupper():
        return syllable[:1].upper() + syllable[1:]
    return syllable
