"""Snippets and highlighting, cut from the stored text: the document's own spelling, never
"tham_nhũng", and marked also when the query had no diacritics or the other tone placement
(both sides are normalised and, where asked, folded the same way).
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .analysis import Span, syllable_spans
from .text import fold

SNIPPET_SYLLABLES = 36  # about 150-200 characters of Vietnamese
MAX_SNIPPETS = 3
SCAN_CHARS = 300_000  # long laws: look for matches in the first 300k characters only


@dataclass(frozen=True)
class Pattern:
    """A syllable sequence to mark; `folded` compares without diacritics."""

    syllables: tuple[str, ...]
    folded: bool = False
    weak: bool = False  # a function word: marked only next to another mark


def _key(span: Span, folded: bool) -> str:
    low = span.text.lower()
    return fold(low) if folded else low


def find_marks(spans: Sequence[Span], patterns: Iterable[Pattern]) -> list[tuple[int, int]]:
    """(first, last) syllable index ranges matched by any pattern, longest match first."""
    by_first: dict[tuple[bool, str], list[Pattern]] = {}
    for pattern in patterns:
        if pattern.syllables:
            by_first.setdefault((pattern.folded, pattern.syllables[0]), []).append(pattern)
    for candidates in by_first.values():
        candidates.sort(key=lambda p: -len(p.syllables))
    marks: list[tuple[int, int, bool]] = []
    i = 0
    while i < len(spans):
        best: tuple[int, bool] | None = None
        for folded in (False, True):
            for pattern in by_first.get((folded, _key(spans[i], folded)), ()):
                size = len(pattern.syllables)
                if size > 1 and tuple(_key(s, folded) for s in spans[i : i + size]) != pattern.syllables:
                    continue
                if best is None or size > best[0]:
                    best = (size, pattern.weak)
                break
        if best is None:
            i += 1
            continue
        marks.append((i, i + best[0] - 1, best[1]))
        i += best[0]
    # A weak mark (a function word) survives only next to a strong one.
    strong_edges = {m[0] for m in marks if not m[2]} | {m[1] for m in marks if not m[2]}
    return [
        (first, last)
        for first, last, weak in marks
        if not weak or (first - 1) in strong_edges or (last + 1) in strong_edges
    ]


def _render(text: str, spans: Sequence[Span], marks: Sequence[tuple[int, int]], start: int, end: int,
            first_id: str | None = None) -> str:
    """text[start:end] escaped, with marks; adjacent marks separated only by spaces are merged."""
    merged: list[tuple[int, int]] = []
    for first, last in marks:
        a, b = spans[first].start, spans[last].end
        if b <= start or a >= end:
            continue
        if merged and text[merged[-1][1] : a].strip() == "":
            merged[-1] = (merged[-1][0], b)
        else:
            merged.append((max(a, start), min(b, end)))
    out, cursor = [], start
    for n, (a, b) in enumerate(merged):
        out.append(html.escape(text[cursor:a]))
        attribute = f' id="{first_id}"' if first_id and n == 0 else ""
        out.append(f"<mark{attribute}>{html.escape(text[a:b])}</mark>")
        cursor = b
    out.append(html.escape(text[cursor:end]))
    return "".join(out)


def highlight_all(text: str, patterns: Sequence[Pattern], *, first_id: str = "first-match") -> str:
    """The whole text, escaped, every match marked; the first mark gets id=first_id."""
    spans = syllable_spans(text)
    return _render(text, spans, find_marks(spans, patterns), 0, len(text), first_id)


def snippets(text: str, patterns: Sequence[Pattern], *, count: int = MAX_SNIPPETS) -> tuple[str, ...]:
    """Up to `count` fragments around the densest clusters of matches, in text order."""
    scanned = text[:SCAN_CHARS]
    spans = syllable_spans(scanned)
    if not spans:
        return ()
    marks = find_marks(spans, patterns)
    if not marks:
        end = spans[min(len(spans), SNIPPET_SYLLABLES) - 1].end
        return (_fragment(scanned, spans, [], 0, min(len(spans), SNIPPET_SYLLABLES) - 1, end < len(text)),)
    # A window scores by the different query syllables it marks, and more for a long run
    # (the whole phrase beats its words scattered).
    keys = [tuple(_key(s, True) for s in spans[a : b + 1]) for a, b in marks]
    chosen: list[tuple[int, int]] = []
    used: set[int] = set()
    half = SNIPPET_SYLLABLES // 3
    first_score = 0.0
    for _ in range(count):
        best, best_score = None, 0.0
        for n, (first, _last) in enumerate(marks):
            if n in used:
                continue
            lo, hi = first - half, first - half + SNIPPET_SYLLABLES
            inside = [k for (a, _), k in zip(marks, keys, strict=True) if lo <= a < hi]
            covered = {syllable for key in inside for syllable in key}
            score = len(covered) + 0.5 * max(map(len, inside)) + 0.1 * len(inside)
            if score > best_score:
                best, best_score = n, score
        if best is None or (chosen and best_score < first_score / 2):
            break  # further fragments only when they are about as good as the first
        if not chosen:
            first_score = best_score
        lo = max(0, marks[best][0] - half)
        hi = min(len(spans) - 1, lo + SNIPPET_SYLLABLES - 1)
        if any(not (hi < a or lo > b) for a, b in chosen):
            used.add(best)
            continue
        chosen.append((lo, hi))
        used.update(n for n, (a, _) in enumerate(marks) if lo <= a <= hi)
    chosen.sort()
    return tuple(_fragment(scanned, spans, marks, lo, hi, hi < len(spans) - 1) for lo, hi in chosen)


def _fragment(text: str, spans: Sequence[Span], marks: Sequence[tuple[int, int]], lo: int, hi: int,
              more_after: bool) -> str:
    start, end = spans[lo].start, spans[hi].end
    # Extend to the end of the sentence punctuation right after the last syllable.
    while end < len(text) and text[end] in ".,;:!?)\"”":
        end += 1
    body = _render(text, spans, marks, start, end)
    body = " ".join(body.split())  # one line: newlines and runs of spaces collapse
    prefix = "… " if lo > 0 else ""
    suffix = " …" if more_after else ""
    return prefix + body + suffix
