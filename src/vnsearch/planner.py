"""Parsed query -> a Plan any engine can run: what must match, what ranks, what to mark.

The plan speaks only of the logical fields of `analysis` and of four node types, so the
embedded Whoosh engine and a cluster engine run the same plan. `Plan.describe()` prints it
(`vnsearch search --explain`).

- Match: every unit of a short query (each content syllable, as typed or, when typed without
  diacritics, folded), a share of the units of a long one; every required node (quoted
  phrases, numbers, OR groups); no excluded node.
- Rank: the sum of the signals, each a term (BM25F over its field) or a phrase (a fixed bonus)
  times its weight; documents holding `phrase_first` come first (a tier, not a signal).
- Mark: the highlight patterns.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any, Union

from .abbreviations import abbreviation_expansions, find_full_forms
from .analysis import PARTS, SYLLABLE_RE, analyze_text, pair, pairs, syllables
from .highlight import Pattern
from .messages import Notice
from .query import NUMBER, PHRASE, TEXT, Clause, ParsedQuery
from .text import fold, has_diacritics, normalize, number_key

# -- plan nodes -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Term:
    """Documents holding `text` in the logical field `field`."""

    field: str
    text: str

    def __str__(self) -> str:
        return f"{self.field}:{self.text!r}"


@dataclass(frozen=True)
class Phrase:
    """Documents holding `words` at consecutive positions of a positional field."""

    field: str
    words: tuple[str, ...]

    def __str__(self) -> str:
        return f'{self.field}:"{" ".join(self.words)}"'


@dataclass(frozen=True)
class AnyOf:
    nodes: tuple[Node, ...]

    def __str__(self) -> str:
        return "(" + " | ".join(map(str, self.nodes)) + ")"


@dataclass(frozen=True)
class AllOf:
    nodes: tuple[Node, ...]

    def __str__(self) -> str:
        return "(" + " & ".join(map(str, self.nodes)) + ")"


Node = Union[Term, Phrase, AnyOf, AllOf]  # noqa: UP007 (a runtime alias, used in isinstance-free annotations)


@dataclass(frozen=True)
class Signal:
    """One ranking signal: what a document holding `node` adds to its score, times `weight`."""

    kind: str  # what it is evidence of: a key of WEIGHTS ("word", "pair", "phrase", "number", ...)
    node: Node  # a term scores its BM25F; any other node a fixed bonus where it holds
    weight: float

    def __str__(self) -> str:
        return signal_line(self.kind, self.weight, self.node)


def signal_line(kind: str, weight: float, node: object) -> str:
    """"title syllable          0.8 x title:'tham'": every kind in one column, wherever signals
    are listed (the plan, each hit's explanation)."""
    return f"{kind:<{max(map(len, WEIGHTS))}} {weight:>5g} x {node}"


# -- weights ------------------------------------------------------------------------------------

# Signal weights, by kind of evidence (each signal's BM25F over its field, or a phrase bonus,
# is multiplied by its kind's weight). Words and pairs carry the ranking; title syllables reward
# title matches across segmentation mismatches. Pairs are indexed folded only: as good for
# ranking as exact pairs here (ALQAC MRR@10 0.862 vs 0.861) at a fraction of the indexing cost;
# words carry the diacritics. A query typed without diacritics has no words: it ranks on folded
# syllables and pairs, and on the index's usual spelling of its words ("restored").
WEIGHTS: dict[str, float] = {
    "word": 5.0, "title word": 3.75,
    "pair": 1.0, "title pair": 2.5,
    "title syllable": 0.8, "title folded": 0.2,
    "folded syllable": 0.4, "folded title syllable": 1.0,
    "restored word": 5.0, "restored title word": 3.75,  # as words: the usual spelling of the folded query
    "abbreviation": 1.0,  # "UBND" for "Ủy ban nhân dân" and back
    "phrase": 12.0, "title phrase": 12.0,  # the query's syllables in order
    "folded phrase": 12.0, "folded title phrase": 12.0,  # the same in any spelling (typed without diacritics)
    "all words": 10.0,  # holds every unit (only where near matches are ranked too)
    "number": 40.0, "cites": 8.0,  # a document's own number far above the numbers it cites
}
# Long queries (questions, pasted sentences) weigh the same kinds of evidence differently: fitted
# apart, on the legal questions, where short queries are fitted on political-news topics.
LONG_WEIGHTS: dict[str, float] = {"word": 1.0, "title word": 2.5, "all words": 0.0}
PHRASE_TIER = False  # documents holding a short query as a phrase rank first (a wall, not evidence)

MAX_QUERY_SYLLABLES = 64
SHORT_QUERY_SYLLABLES = 6  # up to 8 (6 + 2) syllables a query is short: its function words score
PHRASE_FIRST_SYLLABLES = 10  # an unquoted query up to this long is also scored as a phrase
SHORT_QUERY_UNITS = 6  # up to this many content words a match holds every one
LONG_QUERY_SHARE = 0.34  # a longer query's matches hold this share of its content words
NEAR_SHARE = 0.6  # ranked by relevance, documents holding this share of a short query's words follow too
RELAXED_SHARE = 0.5  # when nothing holds every unit: documents holding this share

# Function words and question boilerplate: no evidence of topic. Dropped from the units and
# the scoring of long queries only (a short query's every word was chosen by the user).
STOP_SYLLABLES = frozenset(
    """của và là có các những được trong cho với này đó thì mà để theo từ khi đã sẽ một không về
    tại do bị nào gì hay hoặc phải như sau trên dưới ra vào lại cũng rất nhiều ít còn đến
    bao nhiêu đúng sai nếu thế vậy ai đâu ở người việc sao vì làm chưa""".split()
)
WORD_UNITS = True  # a unit is a content word (pyvi's) rather than a syllable
REQUIRE_STOP_WORDS = False  # whether a short query's function words ("cho", "ai") must match

Restorer = Callable[[], Mapping[str, str]]


# -- the plan -----------------------------------------------------------------------------------


@dataclass
class Plan:
    """What to match, rank and mark for one query. Engine-neutral; printable."""

    units: list[Node] = field(default_factory=list)  # a match holds `min_units` of these
    unit_labels: list[str] = field(default_factory=list)  # each unit as the user typed it
    min_units: int = 0
    near_min_units: int = 0  # ranked by relevance, documents holding this many units are ranked too
    required: list[Node] = field(default_factory=list)  # a match holds every one
    excluded: list[Node] = field(default_factory=list)  # a match holds none
    signals: list[Signal] = field(default_factory=list)
    phrase_first: Node | None = None  # documents holding this rank first
    patterns: list[Pattern] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)
    long_query: bool = False  # weighed with LONG_WEIGHTS
    as_typed: bool = True  # units match words typed with diacritics in that spelling only
    spelled: bool = False  # some unit holds a spelling with diacritics (as_typed matters)

    def relaxed(self) -> Plan | None:
        """The same plan needing only most units, or None when that would change nothing."""
        if not self.units or self.min_units <= 1:
            return None
        relaxed = max(1, math.ceil(len(self.units) * RELAXED_SHARE))
        return replace(self, min_units=relaxed, near_min_units=min(relaxed, self.near_min_units))

    def match_rule(self) -> str:
        parts = []
        if self.units:
            count = len(self.units)
            if self.min_units >= count:
                parts.append(f"all {count} unit{'' if count == 1 else 's'}")
            else:
                parts.append(f"at least {self.min_units} of {count} units")
            if self.near_min_units < self.min_units:
                parts.append(f"ranked by relevance also those holding {self.near_min_units}")
        if self.required:
            parts.append(f"{len(self.required)} required")
        if self.excluded:
            parts.append(f"{len(self.excluded)} excluded")
        return ", ".join(parts) or "every document"

    def describe(self) -> str:
        """The plan as text, for people (`vnsearch search --explain`)."""
        lines = [f"match: {self.match_rule()}"]
        lines += [f"  unit      {node}" for node in self.units]
        lines += [f"  required  {node}" for node in self.required]
        lines += [f"  excluded  {node}" for node in self.excluded]
        if self.phrase_first is not None:
            lines.append(f"first: documents holding {self.phrase_first}")
        lines.append("rank: the sum of")
        lines += [f"  {signal}" for signal in self.signals]
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        return {
            "match": self.match_rule(),
            "units": [str(node) for node in self.units],
            "min_units": self.min_units,
            "near_min_units": self.near_min_units,
            "required": [str(node) for node in self.required],
            "excluded": [str(node) for node in self.excluded],
            "first": str(self.phrase_first) if self.phrase_first is not None else None,
            "signals": [{"kind": s.kind, "weight": s.weight, "node": str(s.node)} for s in self.signals],
        }


def build_plan(parsed: ParsedQuery, *, restorer: Restorer | None = None, as_typed: bool = True) -> Plan:
    """The plan of a parsed query. `restorer` gives folded word -> usual spelling in the index
    (for queries typed without diacritics); without it those rank on folded terms only.
    `as_typed=False` matches words typed with diacritics in any spelling that folds the same
    way (the fallback when the spelling as typed matches nothing); ranking is unchanged."""
    plan = Plan(as_typed=as_typed)
    parsed, cut = _within_budget(parsed)
    if cut:
        plan.notices.append(Notice("search.syllables_cut", {"count": MAX_QUERY_SYLLABLES}))
    content = [s for c in parsed.clauses if c.kind == TEXT for s in syllables(c.text)]
    long_query = plan.long_query = len(content) > SHORT_QUERY_SYLLABLES + 2
    for group in parsed.groups:
        if len(group) == 1:
            _add_clause(plan, group[0], long_query, restorer)
        else:  # OR: one required node that any alternative satisfies
            alternatives = Plan(as_typed=as_typed)
            for clause in group:
                _add_clause(alternatives, clause, False, restorer)
            nodes = alternatives.units + alternatives.required
            if nodes:
                plan.required.append(AnyOf(tuple(nodes)))
            plan.signals += alternatives.signals
            plan.patterns += alternatives.patterns
    count = len(plan.units)
    if count > SHORT_QUERY_UNITS:
        plan.min_units = plan.near_min_units = max(1, math.ceil(count * LONG_QUERY_SHARE))
    else:
        plan.min_units = count
        # A relevant document may word one of the query's words differently ("tổng giám đốc"
        # for "lãnh đạo"): ranked by relevance, documents missing a word compete too.
        plan.near_min_units = max(1, math.ceil(count * NEAR_SHARE))
        if plan.near_min_units < count and WEIGHTS["all words"]:
            plan.signals.append(_signal("all words", AllOf(tuple(plan.units))))
    text_clauses = [g[0] for g in parsed.groups if len(g) == 1 and g[0].kind == TEXT]
    if len(text_clauses) == 1:
        terms = syllables(text_clauses[0].text)
        if 2 <= len(terms) <= PHRASE_FIRST_SYLLABLES:
            folded = not has_diacritics(text_clauses[0].text)
            phrase = phrase_node(terms, folded=folded)
            if PHRASE_TIER:
                plan.phrase_first = phrase
            # The phrase scored like a word (its occurrences, its rarity): an article about
            # "phòng, chống tham nhũng" says it often, a passing mention once. Typed without
            # diacritics, it is scored in the index's usual spelling where every word of it has
            # one, and in any spelling more weakly ("tham những" is not "tham nhũng").
            exact = terms
            if folded:
                restored = restored_words(terms, restorer()) if restorer is not None else []
                covered = sum(end - first for first, end, _ in restored)
                exact = [s for _, _, word in restored for s in word.split("_")] if covered == len(terms) else []
                for kind, part in (("folded phrase", "body"), ("folded title phrase", "title")):
                    plan.signals.append(_signal(kind, Phrase(f"{part}_folded", tuple(fold(t) for t in terms))))
            for kind, part in (("phrase", "body"), ("title phrase", "title")):
                if exact and WEIGHTS[kind]:
                    plan.signals.append(_signal(kind, Phrase(part, tuple(exact))))
            plan.patterns.append(Pattern(tuple(fold(t) for t in terms) if folded else tuple(terms), folded=folded))
    for clause in parsed.excluded:
        plan.excluded.append(_clause_node(clause))
    if long_query and LONG_WEIGHTS:
        plan.signals = [replace(s, weight=LONG_WEIGHTS.get(s.kind, s.weight)) for s in plan.signals]
    return plan


def highlight_patterns(parsed: ParsedQuery) -> list[Pattern]:
    """What a query marks in a text (no index needed)."""
    return build_plan(parsed).patterns


def _within_budget(parsed: ParsedQuery) -> tuple[ParsedQuery, bool]:
    """Keep the query's first MAX_QUERY_SYLLABLES syllables: the cost of a query grows with its
    length, and a pasted page is no better a query than its first sentences."""
    budget = MAX_QUERY_SYLLABLES
    groups = []
    for group in parsed.groups:
        size = sum(len(syllables(c.text)) for c in group)
        if size <= budget:
            groups.append(group)
            budget -= size
        elif budget > 0 and len(group) == 1 and group[0].kind in (TEXT, PHRASE):
            words = group[0].text.split()
            kept: list[str] = []
            while words and len(syllables(" ".join(kept + words[:1]))) <= budget:
                kept.append(words.pop(0))
            if kept:
                groups.append((Clause(group[0].kind, " ".join(kept)),))
            budget = 0
        else:
            budget = 0
    cut = tuple(groups) != parsed.groups
    return replace(parsed, groups=tuple(groups)), cut


def phrase_node(terms: list[str], *, folded: bool) -> Node:
    """The syllables `terms` as a phrase in the title or the body (folded fields if asked)."""
    if folded:
        terms = [fold(t) for t in terms]
    body, title = ("body_folded", "title_folded") if folded else ("body", "title")
    if len(terms) == 1:
        return AnyOf((Term(body, terms[0]), Term(title, terms[0])))
    return AnyOf((Phrase(body, tuple(terms)), Phrase(title, tuple(terms))))


def _clause_node(clause: Clause) -> Node:
    """Documents holding a clause (for exclusions and OR alternatives)."""
    if clause.kind == NUMBER:
        key = number_key(clause.text)
        return AnyOf((Term("number", key), Term("cites", key)))
    return phrase_node(syllables(clause.text), folded=not has_diacritics(clause.text))


def _add_clause(plan: Plan, clause: Clause, long_query: bool, restorer: Restorer | None) -> None:
    if clause.kind == NUMBER:
        key = number_key(clause.text)
        plan.required.append(_clause_node(clause))
        plan.signals += [_signal("number", Term("number", key)), _signal("cites", Term("cites", key))]
        plan.patterns.append(Pattern(tuple(fold(s) for s in syllables(clause.text)), folded=True))
        return
    terms = syllables(clause.text)
    if not terms:
        return
    folded_mode = not has_diacritics(clause.text)
    if clause.kind == PHRASE:
        plan.required.append(phrase_node(terms, folded=folded_mode))
        plan.patterns.append(Pattern(tuple(fold(t) for t in terms) if folded_mode else tuple(terms), folded=folded_mode))
    _add_text(plan, clause.text, terms, folded_mode, long_query and clause.kind == TEXT, clause.kind == TEXT)
    if folded_mode and restorer is not None:
        _add_restored_words(plan, terms, restorer())


def _add_text(plan: Plan, text: str, terms: list[str], folded_mode: bool, long_query: bool, as_units: bool) -> None:
    folded_terms = [fold(t) for t in terms]
    words = () if folded_mode else analyze_text(normalize(text)).words
    keep = [not (long_query and t in STOP_SYLLABLES) for t in terms]
    typed_syllables = SYLLABLE_RE.findall(text)
    if len(typed_syllables) != len(terms):  # a letter whose lowercase splits differently: show terms
        typed_syllables = list(terms)
    # An abbreviation typed in any case or without diacritics ("ubnd", "HDND"), unless its
    # lower-case form is a common word ("tu", "tư").
    abbreviations = {i: abbreviation_expansions(typed_syllables[i]) for i in range(len(terms))}
    abbreviations = {i: forms for i, forms in abbreviations.items() if forms}
    # A full form typed out ("Ủy ban nhân dân", or "uy ban nhan dan"): its abbreviation also
    # satisfies each of its words.
    abbreviation_at: dict[int, str] = {}
    for first, end, abbreviation in find_full_forms(folded_terms if folded_mode else terms, folded=folded_mode):
        abbreviation_at.update(dict.fromkeys(range(first, end), abbreviation))
        plan.signals.append(_signal("abbreviation", Term("body", abbreviation)))
        plan.patterns.append(Pattern((abbreviation,)))

    # Units (what a match must hold): each content word, spelled as typed. A query typed with
    # diacritics matches that spelling only ("tham nhũng" is not "thẩm những"); one typed without
    # them matches every spelling that folds the same way.
    if as_units:
        unit_folded = folded_mode or not plan.as_typed
        plan.spelled |= not unit_folded
        # A function word is no evidence of topic: "miễn học phí cho học sinh" need not say "cho".
        required = keep if REQUIRE_STOP_WORDS else [t not in STOP_SYLLABLES for t in terms]
        for first, end in _unit_spans(terms, words if WORD_UNITS and not folded_mode else None,
                                      required if any(required) else keep):
            unit = _spelling_unit(terms[first:end], folded=unit_folded)
            for i in range(first, end):
                for expansion in abbreviations.get(i, ()):
                    unit.append(phrase_node(list(expansion), folded=False))
                if i in abbreviation_at:
                    unit += [Term("body", abbreviation_at[i]), Term("title", abbreviation_at[i])]
            plan.units.append(AnyOf(tuple(dict.fromkeys(unit))))
            plan.unit_labels.append(" ".join(typed_syllables[first:end]))

    for i, term in enumerate(terms):
        if not keep[i]:
            plan.patterns.append(Pattern((folded_terms[i],) if folded_mode else (term,), folded=folded_mode, weak=True))
            continue
        key, body, title = (folded_terms[i], "body_folded", "title_folded") if folded_mode else (term, "body", "title")
        for expansion in abbreviations.get(i, ()):
            plan.signals.append(_signal("abbreviation", Phrase("body", tuple(expansion))))
            plan.patterns.append(Pattern(expansion))
        # Bare body syllables add little beside words and pairs (ALQAC MRR@10 0.8605 without,
        # 0.8619 with) and are the costliest postings to score (positional), so only a query
        # without diacritics, which has no words, ranks on them.
        if folded_mode:
            plan.signals.append(_signal("folded syllable", Term(body, key)))
        plan.signals.append(_signal("folded title syllable" if folded_mode else "title syllable", Term(title, key)))
        if not folded_mode and not long_query:  # the folded fallback, for short queries only
            plan.signals.append(_signal("title folded", Term("title_folded", folded_terms[i])))
        # In a query of several syllables a lone syllable is weak evidence ("ủy" of "Ủy ban" for
        # "tỉnh ủy"; without diacritics "nhung" is also những, nhúng): it is marked only next to
        # another match. The query's whole words, added below, are marked anywhere.
        plan.patterns.append(Pattern((key,), folded=folded_mode, weak=len(terms) > 1))

    for i in range(len(terms) - 1):
        if not (keep[i] or keep[i + 1]):
            continue
        folded_pair = pair(folded_terms[i], folded_terms[i + 1])
        plan.signals.append(_signal("pair", Term("body_pairs_folded", folded_pair)))
        plan.signals.append(_signal("title pair", Term("title_pairs_folded", folded_pair)))
        if folded_mode:
            plan.patterns.append(Pattern((folded_terms[i], folded_terms[i + 1]), folded=True))
        else:
            plan.patterns.append(Pattern((terms[i], terms[i + 1])))

    if not folded_mode:
        for word in words:
            if long_query and all(s in STOP_SYLLABLES for s in word.split("_")):
                continue
            plan.signals.append(_signal("word", Term("body_words", word)))
            plan.signals.append(_signal("title word", Term("title_words", word)))
            if not all(s in STOP_SYLLABLES for s in word.split("_")):
                plan.patterns.append(Pattern(tuple(word.split("_"))))


def _unit_spans(terms: list[str], words: tuple[str, ...] | None, keep: list[bool]) -> list[tuple[int, int]]:
    """(first, end) syllable spans of the query's content words: pyvi's words where they line up
    with the syllables, single syllables otherwise (and always without diacritics, where pyvi
    cannot segment). Spans made only of dropped (stop) syllables are left out."""
    spans: list[tuple[int, int]] = []
    at = 0
    for word in words or ():
        word_syllables = syllables(word.replace("_", " "))
        size = len(word_syllables)
        if size == 0:
            continue
        if terms[at : at + size] != word_syllables:
            spans = []  # pyvi's words do not line up with the syllables: fall back to syllables
            break
        spans.append((at, at + size))
        at += size
    if not spans or at != len(terms):
        spans = [(i, i + 1) for i in range(len(terms))]
    return [(a, b) for a, b in spans if any(keep[a:b])]


def _spelling_unit(word: list[str], *, folded: bool) -> list[Node]:
    """Documents holding a word spelled as typed (folded: any spelling of it). A word of
    several syllables is held as a pyvi word, or as its syllables with each adjacent pair next
    to each other somewhere."""
    spelled = tuple(fold(s) for s in word) if folded else tuple(word)
    nodes: list[Node] = []
    for part in PARTS:
        syllable_field = f"{part}_folded" if folded else part
        if len(word) == 1:
            nodes.append(Term(syllable_field, spelled[0]))
            continue
        if not folded:
            nodes.append(Term(f"{part}_words", "_".join(word)))
        # Its syllables, each adjacent pair next to each other somewhere: term look-ups standing
        # in for a phrase check, whose positions cost too much for a match set of thousands
        # (benchmarks/match_precision.py measures what this admits: nothing, on its queries).
        folded_word = [fold(s) for s in word]
        held = [Term(syllable_field, s) for s in spelled] + [Term(f"{part}_pairs_folded", p) for p in pairs(folded_word)]
        nodes.append(AllOf(tuple(dict.fromkeys(held))))
    return nodes


def restored_words(terms: list[str], restorer: Mapping[str, str]) -> list[tuple[int, int, str]]:
    """(first, end, word) for the query's syllables that the index's usual spelling restores:
    "tinh gon bo may" -> "tinh_gọn", "bộ_máy" (longest known word first at each syllable)."""
    found = []
    i = 0
    while i < len(terms):
        for size in (3, 2):
            word = restorer.get("_".join(terms[i : i + size])) if i + size <= len(terms) else None
            if word:
                found.append((i, i + size, word))
                i += size
                break
        else:
            i += 1
    return found


def _add_restored_words(plan: Plan, terms: list[str], restorer: Mapping[str, str]) -> None:
    """Rank the usual spelling of a query typed without diacritics."""
    for _first, _end, word in restored_words(terms, restorer):
        plan.signals.append(_signal("restored word", Term("body_words", word)))
        plan.signals.append(_signal("restored title word", Term("title_words", word)))


def _signal(kind: str, node: Node) -> Signal:
    return Signal(kind, node, WEIGHTS[kind])
