""""Did you mean": a better spelling of a query, from the index's own vocabulary, or None.

- A run of words typed without diacritics: its restored spelling ("phong chong tham nhung" ->
  "phòng chống tham nhũng"), when `restore` is sure of it (RESTORED_CONFIDENT).
- Words typed with diacritics: a syllable is a suspect when the index does not hold it
  ("hộii"), holds it far less often than another spelling of it ("quôc"), or when it
  makes a pair that the index's words hold under another spelling but never as typed ("thâm
  nhũng", "sạt lờ"). A suspect's candidates are the index's syllables within one edit (other
  marks, or a letter added, dropped, changed or swapped), each paying for its edit (SLIP per
  letter, half per mark); the word lattice of `restore` weighs them in context, and the
  correction is suggested when it beats the query as typed by MARGIN.

A rare word is not a suspect for being rare ("vội" beside "với"), and a real word typed for
another one in a pair no word holds ("vệ bố trí" for "về bố trí") is not caught: that would
need sampled adjacency for every query.

Only the words of the query change, quoted ones and excluded ones included; OR, filters
(committee:"…") and document numbers stay as typed. Each corrected syllable keeps the case it
was typed in; an abbreviation takes the table's ("hdnd" -> "HĐND"). A query spelled as the
index spells it costs a few dictionary look-ups (the suspects test); sampled adjacency is paid
by suspects and by queries without diacritics only.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Iterator
from functools import lru_cache
from typing import TYPE_CHECKING

from .abbreviations import abbreviation_of
from .analysis import SYLLABLE_RE, pair
from .query import _TOKEN_RE  # the query's own tokenizer: the runs of words are the parser's
from .restore import MAX_SYLLABLES, Lattice, SpellingStats, best_paths, restore, spelling_stats
from .text import QUERY_NUMBER_RE, collapse_spaces, fold, has_diacritics, normalize

if TYPE_CHECKING:
    from .engine.base import Snapshot

# A suggestion is shown to people: it takes a surer restoration than ranking does (restored
# spellings right 95 % of the time at 0.7, against 90 % at restore.CONFIDENT).
RESTORED_CONFIDENT = 0.7
# A syllable held RARE times less often than another spelling of it is a suspect ("quôc" 3
# times in news-all, "quốc" 14,082), or TINY_RARE times when the index holds it TINY times at
# most; a rare word is not ("khỉ" 65 times beside "khi" 27,520: 423 times less).
RARE = 1000
TINY, TINY_RARE = 3, 30
WORD_PAIR_SHARE = 0.01  # ... as are the two of a pair that this small a share of its words spell so,
WORD_PAIR_COVERAGE = 0.2  # ... when words hold at least this share of the folded pair's documents
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
                abbreviation = abbreviation_of(was)  # "hdnd" -> "HĐND", not "hđnd"
                if abbreviation is None or fold(abbreviation.lower()) != fold(now):
                    abbreviation = None
                pieces += [text[copied:start], abbreviation or _in_case_of(was, now)]
                copied = end
    if not pieces:
        return None
    better = "".join(pieces) + text[copied:]
    # A quote left open (the parser closes it at the end, with a notice): offered closed, so that
    # following the suggestion runs the same query without the repair.
    return better + '"' if better.count('"') % 2 else better


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
    if not typed or len(typed) > MAX_SYLLABLES:
        return None
    if not any(has_diacritics(t) for t in typed):
        restored = restore(typed, stats, confident=RESTORED_CONFIDENT)
        return restored if restored != typed else None
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
    """Which syllables may be misspelled: ones the index does not hold, or holds RARE times less
    often than another spelling of them ("nhủng"); and both of a pair that the index's words
    hold often under another spelling but never, or hardly ever, as typed ("thâm nhũng",
    "phóng chống", "sạt lờ"). A rare word is not a suspect for being rare ("vội" beside "với")."""
    suspects = []
    for syllable in typed:
        if any(c.isdigit() for c in syllable):
            suspects.append(False)
            continue
        count = stats.df(syllable)
        spellings = stats.spellings.get(fold(syllable), ())
        commonest = spellings[0][1] if spellings else 0
        suspects.append(count == 0 or commonest >= RARE * count or (count <= TINY and commonest >= TINY_RARE * count))
    for i, (a, b) in enumerate(zip(typed, typed[1:], strict=False)):
        if suspects[i] and suspects[i + 1]:
            continue
        folded_pair = pair(fold(a), fold(b))
        in_words = stats.word_pairs.get(folded_pair)
        if not in_words:
            continue
        words_total = sum(in_words.values())
        if in_words.get((a, b), 0) < WORD_PAIR_SHARE * words_total \
                and words_total >= WORD_PAIR_COVERAGE * stats.pair_frequency(folded_pair):
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
    """Edit distance of two syllables, where a letter written with other marks costs half per
    mark that differs (the tone; the hat, breve, horn or stroke of â ă ơ ư đ)."""
    previous = [float(j) for j in range(len(b) + 1)]
    for i, x in enumerate(a, 1):
        current = [float(i)]
        for j, y in enumerate(b, 1):
            change = 0.0 if x == y else _marks_apart(x, y) if fold(x) == fold(y) else 1.0
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + change))
        previous = current
    return previous[-1]


_TONES = frozenset("\u0300\u0301\u0309\u0303\u0323")


def _marks_apart(x: str, y: str) -> float:
    """0.5 per mark that differs between two spellings of one letter: "ó"/"õ" 0.5, "ó"/"ỗ" 1."""
    def marks(letter: str) -> tuple[str, str]:
        parts = unicodedata.normalize("NFD", letter)
        return "".join(c for c in parts[1:] if c in _TONES), "".join(c for c in parts[1:] if c not in _TONES) + \
            ("stroke" if letter in "đĐ" else "")

    (tone_x, modifier_x), (tone_y, modifier_y) = marks(x), marks(y)
    return 0.5 * ((tone_x != tone_y) + (modifier_x != modifier_y))


def _in_case_of(typed: str, syllable: str) -> str:
    """`syllable` in the case `typed` was written in: "HỘII" -> "HỘI", "Hộii" -> "Hội"."""
    if len(typed) > 1 and typed.isupper():
        return syllable.upper()
    if typed[:1].isupper():
        return syllable[:1].upper() + syllable[1:]
    return syllable
