"""Snippets and highlighting, cut from the stored text: the document's own spelling, never
"tham_nhũng", and marked also when the query had no diacritics or the other tone placement
(both sides are normalised and, where asked, folded the same way).

Matching runs as two regular expressions over the lowercased and the folded text, which have
the same length as the text itself, so every match offset is an offset into the stored text.
"""

from __future__ import annotations

import html
import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from .text import fold

SNIPPET_CHARS = 180
MAX_SNIPPETS = 3
SCAN_CHARS = 300_000  # long laws: look for matches in the first 300k characters only
_WORD_EDGE_BEFORE = r"(?<![^\W_])"
_WORD_EDGE_AFTER = r"(?![^\W_])"
_BETWEEN = r"[\W_]+"  # what may separate the syllables of a sequence: spaces, punctuation


@dataclass(frozen=True)
class Pattern:
    """A syllable sequence to mark; `folded` compares without diacritics."""

    syllables: tuple[str, ...]
    folded: bool = False
    weak: bool = False  # a function word: marked only next to another mark


@dataclass(frozen=True)
class Mark:
    start: int
    end: int
    syllables: tuple[str, ...]  # folded, for scoring windows
    weak: bool


@lru_cache(maxsize=256)
def _regex(sequences: tuple[tuple[str, ...], ...]) -> re.Pattern[str] | None:
    """One alternation of every sequence, longest first, so a match takes the longest form."""
    if not sequences:
        return None
    ordered = sorted(set(sequences), key=lambda seq: (-len(seq), seq))
    parts = [_BETWEEN.join(map(re.escape, seq)) for seq in ordered]
    return re.compile(_WORD_EDGE_BEFORE + "(?:" + "|".join(parts) + ")" + _WORD_EDGE_AFTER)


def find_marks(text: str, patterns: Iterable[Pattern]) -> list[Mark]:
    """Non-overlapping matches of the patterns in `text`, longest first at any position."""
    patterns = list(patterns)
    if not patterns:  # a browse (no words): nothing to mark, and folding a long text costs ms
        return []
    lower = text.lower()
    if len(lower) != len(text):  # a rare letter whose lowercase is longer: keep offsets exact
        lower = "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
    found: list[Mark] = []
    for folded_mode in (False, True):
        chosen = [p for p in patterns if p.folded == folded_mode and p.syllables]
        if not chosen:
            continue  # most queries typed with diacritics mark nothing folded: no text to fold
        haystack = fold(lower) if folded_mode else lower
        weak = {p.syllables for p in chosen if p.weak} - {p.syllables for p in chosen if not p.weak}
        regex = _regex(tuple(p.syllables for p in chosen))
        if regex is None:
            continue
        folded_words: dict[str, tuple[str, ...]] = {}  # a text repeats its matches: fold each once
        for match in regex.finditer(haystack):
            matched = match.group(0)
            words = tuple(re.split(_BETWEEN, matched))
            if matched not in folded_words:
                folded_words[matched] = tuple(fold(w) for w in words)
            found.append(Mark(match.start(), match.end(), folded_words[matched], words in weak))
    # Overlaps between the exact and the folded pass: the earlier, then the longer, wins.
    found.sort(key=lambda m: (m.start, -(m.end - m.start)))
    marks: list[Mark] = []
    for mark in found:
        if marks and mark.start < marks[-1].end:
            continue
        marks.append(mark)
    return _drop_lonely_weak(text, marks)


def _drop_lonely_weak(text: str, marks: list[Mark]) -> list[Mark]:
    """A weak mark (function word, ambiguous folded syllable) survives only next to a strong one."""

    def adjacent(a: Mark, b: Mark) -> bool:
        return not b.weak and re.fullmatch(r"[\W_]*", text[min(a.end, b.end) : max(a.start, b.start)]) is not None

    kept = []
    for i, mark in enumerate(marks):
        neighbours = marks[max(0, i - 1) : i] + marks[i + 1 : i + 2]
        if not mark.weak or any(adjacent(mark, other) for other in neighbours):
            kept.append(mark)
    return kept


def _render(text: str, marks: Sequence[Mark], start: int, end: int, first_id: str | None = None) -> str:
    """text[start:end] escaped, with marks; marks separated only by spaces are merged."""
    spans: list[tuple[int, int]] = []
    for mark in marks:
        a, b = max(mark.start, start), min(mark.end, end)
        if a >= b:
            continue
        if spans and text[spans[-1][1] : a].strip() == "":
            spans[-1] = (spans[-1][0], b)
        else:
            spans.append((a, b))
    out, cursor = [], start
    for n, (a, b) in enumerate(spans):
        out.append(html.escape(text[cursor:a]))
        attribute = f' id="{first_id}"' if first_id and n == 0 else ""
        out.append(f"<mark{attribute}>{html.escape(text[a:b])}</mark>")
        cursor = b
    out.append(html.escape(text[cursor:end]))
    return "".join(out)


def highlight_all(text: str, patterns: Sequence[Pattern], *, first_id: str = "first-match") -> str:
    """The whole text, escaped, every match marked; the first mark gets id=first_id."""
    return _render(text, find_marks(text, patterns), 0, len(text), first_id)


def snippets(text: str, patterns: Sequence[Pattern], *, count: int = MAX_SNIPPETS) -> tuple[str, ...]:
    """Up to `count` fragments around the densest clusters of matches, in text order."""
    scanned = text[:SCAN_CHARS]
    if not scanned.strip():
        return ()
    marks = find_marks(scanned, patterns)
    if not marks:
        return (_fragment(scanned, [], 0, min(len(scanned), SNIPPET_CHARS)),)
    # A candidate window starts a little before each mark; each is scored once, then the best
    # are taken greedily, without overlap (ties: the earlier window).
    starts = [mark.start for mark in marks]  # sorted: the marks inside a window are one slice
    candidates: list[tuple[float, int]] = []
    for mark in marks:
        start = max(0, mark.start - SNIPPET_CHARS // 3)
        first, last = bisect_left(starts, start), bisect_right(starts, start + SNIPPET_CHARS)
        inside = [m for m in marks[first:last] if m.end <= start + SNIPPET_CHARS]
        # Different query syllables in view, and more for one long run (the whole phrase).
        covered = {syllable for m in inside for syllable in m.syllables}
        candidates.append((len(covered) + 0.5 * max(len(m.syllables) for m in inside) + 0.1 * len(inside), start))
    windows: list[tuple[int, int]] = []
    first_score = 0.0
    for score, start in sorted(candidates, key=lambda candidate: (-candidate[0], candidate[1])):
        if len(windows) == count or (windows and score < first_score / 2):
            break  # further fragments only when they are about as good as the first
        if any(not (start + SNIPPET_CHARS <= a or start >= b) for a, b in windows):
            continue
        first_score = first_score or score
        windows.append((start, start + SNIPPET_CHARS))
    return tuple(_fragment(scanned, marks, a, b) for a, b in sorted(windows))


def _fragment(text: str, marks: Sequence[Mark], start: int, end: int) -> str:
    """text[start:end] widened to whole words, on one line, with "…" where it was cut."""
    end = min(end, len(text))
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    while end < len(text) and not text[end].isspace():
        end += 1
    body = " ".join(_render(text, marks, start, end).split())  # one line: newlines collapse
    prefix = "… " if start > 0 else ""
    suffix = " …" if end < len(text) else ""
    return prefix + body + suffix
