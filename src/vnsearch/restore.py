"""Diacritic restoration: the most likely spelling of syllables typed without diacritics, from
the index's own statistics.

"xay dung dang" -> "xây dựng đảng", "bi thu tinh uy" -> "bí thư tỉnh ủy". No word list: the
candidates of each folded syllable are the spellings the index holds for it, and the answer is
the best path through a lattice of *words* (a query is made of whole words):

- a word is a pyvi word of the index (`body_words`, "xây_dựng", "đảng") whose folded form
  matches a run of the query's syllables, or any single syllable of the index (`body`);
- the first word scores its document frequency: P(w) = df(w) / N;
- each next word w after a word ending in syllable a scores P(b | a ends a word) * P(w | a
  word starts with b), b being w's first syllable. The second factor comes from the word
  vocabulary. The first needs the documents where a is followed by b across a word boundary
  ("dựng đảng" of "xây dựng Đảng"), which no field holds exactly: they are counted at their
  positions in a sample of the documents holding the folded pair "dung dang"
  (`Snapshot.adjacent_counts`), scaled to the folded pair's document frequency, minus the
  pair's documents inside words; a share of chance (CHANCE * P(b)) smooths it. Only the
  likeliest spellings on each side are sampled (SAMPLED_SPELLINGS, within BEAM of the best
  path), and nothing when the folded pair is mostly inside words (WORD_COVERAGE): a query
  costs a few milliseconds, whatever the size of the index.

Words make the boundaries count: "mai dam" is "mại dâm" (the word "mại_dâm"), although "mại
đảm" ("thương mại đảm bảo") is the commoner pair in the index, and a query ending "se tham" is
"sẽ thăm" ("tham" is hardly ever a word of its own). The forward algorithm sums every path: the
best spelling's share of that sum (its posterior) says how sure the answer is.

`SpellingStats` holds the statistics of one snapshot (built once, kept with it); `restore`,
`restored_words`, `query_words` (for ranking: `word_restorer(snapshot)` is the planner's
restorer) and `suggest.py` use them. Runs longer than MAX_SYLLABLES are not restored. Like the
snapshot's own caches, its cache of sampled pairs is not for concurrent use (the web app
serialises searches).

Measured (benchmarks/restoration.py, RESULTS.md): the 15 phrases of phrases.py 15/15; random
spans of 2-4 words of news-politics titles 87 % (90 % of the answers at CONFIDENT, 95 % at
0.7), about 4 ms a query (CPU) on news-politics + news-dated.
"""

from __future__ import annotations

import math
import re
import weakref
from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from itertools import product
from typing import TYPE_CHECKING, Any

from .analysis import pair
from .text import fold

if TYPE_CHECKING:
    from .engine.base import Snapshot

MAX_SPELLINGS = 6  # candidate spellings of one folded syllable, commonest first
MIN_SHARE = 0.005  # ... leaving out those rarer than this share of the folded syllable's documents
MAX_WORD = 4  # syllables of the longest word looked up
MAX_WORDS = 4  # candidate words per run of syllables, commonest first
SAMPLED_SPELLINGS = 3  # spellings per side whose adjacency is counted in sampled documents
ADJACENCY_SAMPLE = 16  # documents sampled per folded pair (16, 64 or all of a segment's: the same accuracy)
BEAM = math.log(1000)  # syllables ending paths this much less likely than the best are not sampled
WORD_COVERAGE = 0.8  # a folded pair this much inside words needs no sampling
CHANCE = 0.01  # smoothing: P(b | a ends a word) >= CHANCE * P(b)
SMOOTH = 0.1  # added to document frequencies: what the index never holds is rare, not impossible
CONFIDENT = 0.5  # posterior of the best spelling below which `restore` says nothing
MAX_SYLLABLES = 16  # longer runs are not restored: the cost grows with every word boundary
PAIR_CACHE = 4096  # adjacency answers kept per snapshot


Adjacency = Callable[[list[str], list[str]], tuple[dict[tuple[str, str], int], int]]


@dataclass
class SpellingStats:
    """Spelling statistics of one index: syllables and words with their document frequencies,
    and look-ups of (folded) pairs. Engine-neutral: `spelling_stats(snapshot)` builds it from a
    Snapshot; tests may build it by hand (without `adjacency`, words alone give the pairs)."""

    documents: int
    syllables: Mapping[str, int]  # exact syllable -> documents holding it
    words: Mapping[str, int]  # exact pyvi word ("xây_dựng", "đảng") -> documents holding it
    pair_frequency: Callable[[str], int]  # folded pair ("dung dang") -> documents holding it
    adjacency: Adjacency | None = None  # sampled exact adjacency of spellings (see module doc)
    spellings: Mapping[str, tuple[tuple[str, int], ...]] = field(init=False)  # folded -> (exact, df), commonest first
    words_by_fold: Mapping[str, tuple[tuple[str, int], ...]] = field(init=False)  # "xay_dung" -> (word, df), commonest first
    word_pairs: Mapping[str, dict[tuple[str, str], int]] = field(init=False)  # folded pair -> exact pair -> df inside words
    starts: Mapping[str, int] = field(init=False)  # syllable -> documents of words starting with it (sum)
    ends: Mapping[str, int] = field(init=False)  # syllable -> documents of words ending with it (sum)
    _pairs: OrderedDict[tuple[str, bool], tuple[set[str], set[str], dict[tuple[str, str], float]]] = field(
        init=False, default_factory=OrderedDict)

    derived: DerivedMappings | None = None  # derived_tables(syllables, words), when already built

    def __post_init__(self) -> None:
        tables = self.derived if self.derived is not None else derived_tables(self.syllables, self.words)
        self.spellings, self.words_by_fold, self.word_pairs, self.starts, self.ends = tables

    def df(self, syllable: str) -> int:
        return self.syllables.get(syllable, 0)

    def candidates(self, folded_syllable: str) -> list[str]:
        """The spellings of a folded syllable worth considering, commonest first; the syllable
        itself when the index holds no spelling of it (a name, a number, a typo)."""
        found = self.spellings.get(folded_syllable)
        if not found:
            return [folded_syllable]
        total = sum(count for _, count in found)
        kept = [s for s, count in found[:MAX_SPELLINGS] if count >= MIN_SHARE * total]
        return kept or [found[0][0]]

    def pair_counts(self, lefts: Sequence[str], rights: Sequence[str], *,
                    measure: bool = False) -> dict[tuple[str, str], float]:
        """Estimated documents holding each exact pair (left, right) side by side. All lefts
        fold alike, and all rights: they are spellings of one folded pair. Pairs inside words
        are counted from the word vocabulary; when the folded pair is mostly across words (or
        `measure` asks for every pair), the spellings' adjacency is counted in sampled documents
        and scaled to the folded pair's frequency."""
        folded_pair = pair(fold(lefts[0]), fold(rights[0]))
        cached = self._pairs.get((folded_pair, measure))
        if cached is not None and cached[0].issuperset(lefts[:SAMPLED_SPELLINGS]) \
                and cached[1].issuperset(rights[:SAMPLED_SPELLINGS]):
            self._pairs.move_to_end((folded_pair, measure))
            return cached[2]
        counts: dict[tuple[str, str], float] = dict(self.word_pairs.get(folded_pair, {}))
        total = self.pair_frequency(folded_pair) if self.adjacency is not None else 0
        if total and (measure or sum(counts.values()) < WORD_COVERAGE * total):
            assert self.adjacency is not None
            sampled, size = self.adjacency(list(lefts[:SAMPLED_SPELLINGS]), list(rights[:SAMPLED_SPELLINGS]))
            for exact, count in sampled.items():
                counts[exact] = max(counts.get(exact, 0.0), total * count / size)
        self._pairs[(folded_pair, measure)] = (set(lefts[:SAMPLED_SPELLINGS]), set(rights[:SAMPLED_SPELLINGS]), counts)
        if len(self._pairs) > PAIR_CACHE:
            self._pairs.popitem(last=False)
        return counts


DerivedTables = tuple[
    dict[str, tuple[tuple[str, int], ...]], dict[str, tuple[tuple[str, int], ...]],
    dict[str, dict[tuple[str, str], int]], dict[str, int], dict[str, int],
]
DerivedMappings = tuple[
    Mapping[str, tuple[tuple[str, int], ...]], Mapping[str, tuple[tuple[str, int], ...]],
    Mapping[str, dict[tuple[str, str], int]], Mapping[str, int], Mapping[str, int],
]  # the same, as the engine's cache may hand them back (read-only, looked up lazily)


def derived_tables(syllables: Mapping[str, int], words: Mapping[str, int]) -> DerivedTables:
    """The tables SpellingStats derives from the vocabularies: spellings by folded syllable,
    words by folded word, exact pairs inside words, and the syllables words start and end with.
    Seconds on a large index: `spelling_stats` keeps them in the engine's cache."""
    spellings = _grouped((syllable, fold(syllable), count) for syllable, count in syllables.items())
    word_pairs: dict[str, dict[tuple[str, str], int]] = {}
    starts: dict[str, int] = {}
    ends: dict[str, int] = {}
    kept: list[tuple[str, str, int]] = []
    for word, count in words.items():
        if not _WORD_RE.fullmatch(word):
            continue  # "0,5", "covid-19": not syllables
        folded = fold(word)
        kept.append((word, folded, count))
        parts = word.split("_")
        starts[parts[0]] = starts.get(parts[0], 0) + count
        ends[parts[-1]] = ends.get(parts[-1], 0) + count
        if len(parts) > 1:
            folded_parts = folded.split("_")
            for k in range(len(parts) - 1):
                exact = word_pairs.setdefault(pair(folded_parts[k], folded_parts[k + 1]), {})
                exact[(parts[k], parts[k + 1])] = exact.get((parts[k], parts[k + 1]), 0) + count
    return spellings, _grouped(kept), word_pairs, starts, ends


def _grouped(items: Iterable[tuple[str, str, int]]) -> dict[str, tuple[tuple[str, int], ...]]:
    """(text, folded text, count) grouped by folded text, commonest first."""
    grouped: dict[str, list[tuple[str, int]]] = {}
    for text, folded, count in items:
        found = grouped.get(folded)
        if found is None:
            grouped[folded] = [(text, count)]
        else:
            found.append((text, count))
    return {key: tuple(sorted(found, key=lambda tc: (-tc[1], tc[0])) if len(found) > 1 else found)
            for key, found in grouped.items()}


_WORD_RE = re.compile(r"[^\W_]+(?:_[^\W_]+)*")  # syllables joined by "_"


def spelling_stats(snapshot: Snapshot) -> SpellingStats:
    """The spelling statistics of a snapshot, built on first use (about 1 s on news-politics +
    news-dated) and kept as long as the snapshot lives."""
    stats = _STATS.get(snapshot)
    if stats is None:
        syllables, words = snapshot.vocabulary("body"), snapshot.vocabulary("body_words")
        built: list[DerivedTables] = []

        def table(index: int) -> Any:
            if not built:
                built.append(derived_tables(syllables, words))
            return built[0][index]

        # One cached table each: the engine's cache may hand back mappings read lazily (the
        # embedded engine's lookup tables), so a query reads only the entries it looks up.
        derived = tuple(snapshot.cached_table(f"spelling-{name}", partial(table, i))
                        for i, name in enumerate(("spellings", "words_by_fold", "word_pairs", "starts", "ends")))
        stats = SpellingStats(
            documents=max(1, snapshot.doc_count()),
            syllables=syllables,
            words=words,
            derived=derived,
            pair_frequency=partial(_pair_frequency, weakref.ref(snapshot)),
            adjacency=partial(_adjacency, weakref.ref(snapshot)),
        )
        _STATS[snapshot] = stats
    return stats


# Kept per snapshot, and only as long as it lives: a value must not hold its own key strongly
# (a lambda over the snapshot did), or every snapshot replaced by a commit stays in memory with
# its mapped files, for the life of a server.
_STATS: weakref.WeakKeyDictionary[Any, SpellingStats] = weakref.WeakKeyDictionary()


def _pair_frequency(snapshot: weakref.ref[Any], text: str) -> int:
    return int(_alive(snapshot).doc_frequency("body_pairs_folded", text))


def _adjacency(snapshot: weakref.ref[Any], lefts: Any, rights: Any) -> Any:
    return _alive(snapshot).adjacent_counts(lefts, rights, sample=ADJACENCY_SAMPLE)


def _alive(snapshot: weakref.ref[Any]) -> Any:
    found = snapshot()
    if found is None:  # the stats are only reached through their snapshot: it cannot have gone
        raise ReferenceError(snapshot)
    return found


# -- the model ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Lattice:
    """Candidate syllables per position, with emission log-scores (log P(typed | candidate): 0
    when typing without diacritics, a cost per edit when correcting)."""

    candidates: list[list[str]]
    emissions: list[list[float]]
    measure: bool = False  # count every exact pair in sampled documents (see SpellingStats.pair_counts)
    any_spelling: bool = False  # words may use any spelling of the folded syllables (restoring)

    def only(self, syllables: Sequence[str]) -> Lattice:
        """The same lattice holding only one spelling per position."""
        emissions = [dict(zip(c, e, strict=True)).get(s, 0.0) for c, e, s in zip(self.candidates, self.emissions, syllables,
                                                                                    strict=True)]
        return Lattice([[s] for s in syllables], [[e] for e in emissions], self.measure)


@dataclass(frozen=True)
class _Word:
    syllables: tuple[str, ...]
    score: float  # log P(word | its first syllable starts a word) + emissions


def _words(stats: SpellingStats, lattice: Lattice, start: int) -> list[tuple[int, _Word]]:
    """Candidate words starting at `start`: (end, word)."""
    found: list[tuple[int, _Word]] = []
    emission = {s: e for s, e in zip(lattice.candidates[start], lattice.emissions[start], strict=True)}
    for syllable, cost in emission.items():
        word_df = stats.words.get(syllable, 0) + SMOOTH
        found.append((start + 1, _Word((syllable,), math.log(word_df / (stats.starts.get(syllable, 0) + SMOOTH)) + cost)))
    for end in range(start + 2, min(start + MAX_WORD, len(lattice.candidates)) + 1):
        allowed = [dict(zip(lattice.candidates[i], lattice.emissions[i], strict=True)) for i in range(start, end)]
        keys = {"_".join(fold(s) for s in combo) for combo in product(*(sorted({fold(c) for c in a}) for a in allowed))}
        words = []
        for key in keys:
            for word, count in stats.words_by_fold.get(key, ()):
                parts = word.split("_")
                if lattice.any_spelling or all(p in a for p, a in zip(parts, allowed, strict=True)):
                    cost = sum(a.get(p, 0.0) for p, a in zip(parts, allowed, strict=True))
                    words.append((count, word, parts, cost))
        words.sort(key=lambda w: (-w[0], w[1]))
        for count, _word, parts, cost in words[:MAX_WORDS]:
            score = math.log((count + SMOOTH) / (stats.starts.get(parts[0], 0) + SMOOTH)) + cost
            found.append((end, _Word(tuple(parts), score)))
    return found


def _boundary(stats: SpellingStats, lefts: Sequence[str], rights: Sequence[str],
              measure: bool) -> Callable[[str, str], float]:
    """log P(b | a ends a word) for the syllables meeting at one boundary (the first
    SAMPLED_SPELLINGS of each side measured, if sampling is needed). With one spelling on
    each side nothing is sampled (the pair is the same in every path but for where words
    end): its documents across words are estimated from the folded pair's."""
    counts: dict[tuple[str, str], float] = {}
    sampled = set(lefts[:SAMPLED_SPELLINGS]) | set(rights[:SAMPLED_SPELLINGS]) if len(lefts) + len(rights) > 2 else set()
    for left_group in _by_fold(lefts):
        for right_group in _by_fold(rights):
            left_sampled = [s for s in left_group if s in sampled]
            right_sampled = [s for s in right_group if s in sampled]
            if left_sampled and right_sampled:
                counts.update(stats.pair_counts(left_sampled, right_sampled, measure=measure))
            else:  # the likeliest spellings are elsewhere: these are not worth sampling
                counts.update(_estimated(stats, left_group, right_group))

    def score(a: str, b: str) -> float:
        inside = stats.word_pairs.get(pair(fold(a), fold(b)), {}).get((a, b), 0)
        across = max(0.0, counts.get((a, b), 0.0) - inside)
        chance = CHANCE * (stats.df(b) + SMOOTH) / stats.documents
        return math.log(across / (stats.ends.get(a, 0) + SMOOTH) + chance)

    return score


def _estimated(stats: SpellingStats, lefts: Sequence[str], rights: Sequence[str]) -> dict[tuple[str, str], float]:
    """Documents holding each left next to each right (one folded pair), without sampling:
    inside words as counted, across words the folded pair's documents outside words, shared
    by the spellings' frequencies."""
    folded_pair = pair(fold(lefts[0]), fold(rights[0]))
    inside = stats.word_pairs.get(folded_pair, {})
    outside = max(0, stats.pair_frequency(folded_pair) - sum(inside.values()))
    return {(a, b): inside.get((a, b), 0) + outside * _share(stats, a) * _share(stats, b) for a in lefts for b in rights}


def _share(stats: SpellingStats, syllable: str) -> float:
    spellings = stats.spellings.get(fold(syllable), ())
    total = sum(count for _, count in spellings)
    return stats.df(syllable) / total if total else 0.0


def _by_fold(syllables: Sequence[str]) -> list[list[str]]:
    groups: dict[str, list[str]] = {}
    for syllable in dict.fromkeys(syllables):
        groups.setdefault(fold(syllable), []).append(syllable)
    return list(groups.values())


Boundary = Callable[[str, str], float]


@dataclass(frozen=True)
class Paths:
    best: list[str]  # the most likely spelling
    score: float  # the log-score of its best segmentation into words
    total: float  # log of the sum of the scores of every path
    boundaries: dict[int, Boundary]  # the boundary scores used, by position: to score sub-lattices alike


def best_paths(stats: SpellingStats, lattice: Lattice, boundaries: dict[int, Boundary] | None = None) -> Paths:
    """Viterbi (the best path) and forward (the sum over every path) through the word lattice.
    `boundaries` from an earlier run on a larger lattice scores this one the same way."""
    boundaries = {} if boundaries is None else boundaries
    n = len(lattice.candidates)
    # Per position: for each last word of the paths ending there, the best path's log-score
    # and where it came from (position, previous word), and the log of the summed scores.
    best: list[dict[Spelled, tuple[float, _Back]]] = [{} for _ in range(n + 1)]
    total: list[dict[Spelled, float]] = [{} for _ in range(n + 1)]
    words_at = [_words(stats, lattice, i) for i in range(n)]
    for end, word in words_at[0]:
        score = math.log((stats.starts.get(word.syllables[0], 0) + SMOOTH) / stats.documents) + word.score
        _keep(best[end], total[end], word.syllables, score, score, None)
    for i in range(1, n):
        if not best[i]:
            continue
        if i not in boundaries:
            boundaries[i] = _boundary(stats, _lefts(lattice, best[i], i), _rights(stats, lattice, words_at[i], i),
                                      lattice.measure)
        boundary = boundaries[i]
        for end, word in words_at[i]:
            for previous, (score, _back) in best[i].items():
                step = boundary(previous[-1], word.syllables[0]) + word.score
                _keep(best[end], total[end], word.syllables, score + step, total[i][previous] + step, (i, previous))
    if not best[n]:
        return Paths([c[0] for c in lattice.candidates], -math.inf, -math.inf, boundaries)
    last = max(best[n], key=lambda w: best[n][w][0])
    spelled: list[str] = []
    at, word_at = n, last
    while True:
        spelled[:0] = word_at
        back = best[at][word_at][1]
        if back is None:
            break
        at, word_at = back
    return Paths(spelled, best[n][last][0], _logsumexp(list(total[n].values())), boundaries)


Spelled = tuple[str, ...]  # a word's syllables
_Back = tuple[int, Spelled] | None


def _lefts(lattice: Lattice, ending_here: dict[Spelled, tuple[float, _Back]], i: int) -> list[str]:
    """The syllables ending paths at position i whose adjacency is worth sampling, best first:
    those within BEAM of the best path (the rest take the chance share). The first candidate
    (the syllable as typed, when correcting) always: it is what a correction must beat."""
    ending: dict[str, float] = {}
    for words, (score, _back) in ending_here.items():
        ending[words[-1]] = max(score, ending.get(words[-1], -math.inf))
    top = max(ending.values())
    lefts = sorted((s for s, score in ending.items() if score >= top - BEAM), key=lambda s: -ending[s])
    first = lattice.candidates[i - 1][0]
    if lattice.measure and first in ending and first not in lefts[:SAMPLED_SPELLINGS]:
        lefts.insert(0, first)
    return lefts


def _rights(stats: SpellingStats, lattice: Lattice, starting_here: list[tuple[int, _Word]], i: int) -> list[str]:
    """The syllables starting words at position i, likeliest first by their own frequency and
    the cost of typing them as typed (the typed one first when correcting)."""
    likely: dict[str, float] = {}
    for _, word in starting_here:
        first = word.syllables[0]
        score = math.log(stats.starts.get(first, 0) + SMOOTH) + word.score
        likely[first] = max(score, likely.get(first, -math.inf))
    rights = sorted(likely, key=lambda s: (-likely[s], s))
    first = lattice.candidates[i][0]
    if lattice.measure and first in rights:
        rights.remove(first)
        rights.insert(0, first)
    return rights


def _keep(best: dict[Spelled, tuple[float, _Back]], total: dict[Spelled, float], word: Spelled, score: float,
          summed: float, back: _Back) -> None:
    if word not in best or score > best[word][0]:
        best[word] = (score, back)
    total[word] = _logsumexp([total[word], summed]) if word in total else summed


def _logsumexp(values: Sequence[float]) -> float:
    top = max(values)
    if top == -math.inf:
        return top
    return top + math.log(sum(math.exp(v - top) for v in values))


def posterior(stats: SpellingStats, lattice: Lattice, paths: Paths) -> float:
    """The best spelling's share of every path (all its segmentations into words counted)."""
    if paths.total == -math.inf:
        return 0.0
    return math.exp(best_paths(stats, lattice.only(paths.best), paths.boundaries).total - paths.total)


# -- the API ------------------------------------------------------------------------------------


def restore_scored(folded_syllables: Sequence[str], stats: SpellingStats) -> tuple[list[str], float]:
    """The most likely spelling of lowercased syllables typed without diacritics, and its
    posterior (0..1: its share of every spelling the model considered)."""
    if not folded_syllables:
        return [], 1.0
    candidates = [stats.candidates(s) for s in folded_syllables]
    lattice = Lattice(candidates, [[0.0] * len(c) for c in candidates], any_spelling=True)
    paths = best_paths(stats, lattice)
    return paths.best, posterior(stats, lattice, paths)


def restore(folded_syllables: Sequence[str], stats: SpellingStats, *, confident: float = CONFIDENT) -> list[str] | None:
    """The most likely spelling of lowercased syllables typed without diacritics ("xay",
    "dung", "dang") -> ["xây", "dựng", "đảng"], or None when the best spelling's posterior is
    below `confident` (the index's statistics cannot tell). Syllables the index does not hold
    are kept as typed."""
    if len(folded_syllables) > MAX_SYLLABLES:
        return None
    path, share = restore_scored(folded_syllables, stats)
    return path if share >= confident else None


def query_words(folded_syllables: Sequence[str], stats: SpellingStats) -> list[str]:
    """The index's words of the restored spelling of syllables typed without diacritics, for
    ranking: ["xay", "dung", "dang"] -> ["xây_dựng", "đảng"]; [] when `restore` says nothing."""
    restored = restore(folded_syllables, stats)
    return restored_words(restored, stats) if restored else []


def word_restorer(snapshot: Snapshot) -> Callable[[list[str]], list[str]]:
    """`query_words` on a snapshot's statistics, built on the first call (a plan needs them only
    for words typed without diacritics): what `planner.build_plan` takes as `restorer`."""
    return lambda folded_syllables: query_words(folded_syllables, spelling_stats(snapshot))


def restored_words(syllables: Sequence[str], stats: SpellingStats) -> list[str]:
    """Restored syllables grouped into the index's words, longest first at each syllable:
    ["xây", "dựng", "đảng"] -> ["xây_dựng", "đảng"]. A syllable in no longer word is a word of
    its own (as pyvi leaves it)."""
    words, i = [], 0
    while i < len(syllables):
        for size in range(MAX_WORD, 1, -1):
            word = "_".join(syllables[i : i + size])
            if i + size <= len(syllables) and word in stats.words:
                words.append(word)
                i += size
                break
        else:
            words.append(syllables[i])
            i += 1
    return words
