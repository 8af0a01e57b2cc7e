"""The readable terminal listing of `vnsearch search`."""

from __future__ import annotations

import html
import os
import re
from typing import TextIO

from .results import SearchResult
from .timeline import MONTH, Timeline

_MARK_RE = re.compile(r"<mark[^>]*>(.*?)</mark>", re.DOTALL)
_BOLD, _DIM, _RESET, _YELLOW = "\033[1m", "\033[2m", "\033[0m", "\033[1;33m"
TIMELINE_WIDTH = 40  # characters of the longest bar
_EIGHTHS = " ▏▎▍▌▋▊▉"  # a bar's last cell, in eighths of a character


def count_of(count: int, singular: str, plural: str | None = None) -> str:
    """"1 document", "1,514 documents": the number with thousands separators, the noun agreeing."""
    return f"{count:,} {singular if count == 1 else (plural or singular + 's')}"


def no_color() -> bool:
    """True when the NO_COLOR convention (https://no-color.org) asks for no colour: any non-empty value."""
    return bool(os.environ.get("NO_COLOR"))


def wants_color(stream: TextIO) -> bool:
    """Colour for a terminal, unless NO_COLOR is set."""
    return stream.isatty() and not no_color()


def _plain(snippet_html: str, color: bool) -> str:
    """Snippet HTML -> terminal text: marks become bold yellow, or «guillemets» without colour.

    Not [brackets]: legal texts and Markdown sources are full of them ("[1]", "[Điều 5]")."""
    if color:
        marked = _MARK_RE.sub(lambda m: _YELLOW + m.group(1) + _RESET, snippet_html)
    else:
        marked = _MARK_RE.sub(lambda m: "«" + m.group(1) + "»", snippet_html)
    return html.unescape(marked)


def render_result(result: SearchResult, *, color: bool = False) -> str:
    """The listing; `color` asks for ANSI colour, which NO_COLOR always turns off."""
    color = color and not no_color()
    bold, dim, reset = (_BOLD, _DIM, _RESET) if color else ("", "", "")
    first = (result.page - 1) * result.limit + 1
    lines = [_headline(result, first)]
    for notice in result.notices:
        lines.append(f"note: {notice.text('en')}")
    if result.timeline is not None and (result.timeline.periods or result.timeline.undated):
        lines += timeline_lines(result.timeline)
    if result.plan_text:
        lines.append("plan:")
        lines += [f"  {line}" for line in result.plan_text.splitlines()]
    for rank, hit in enumerate(result.hits, start=first):
        lines.append("")
        lines.append(f"{rank:>3}. {bold}{hit.title}{reset}")
        meta = " · ".join(x for x in (hit.date, hit.committee, hit.doc_type, hit.number) if x)
        lines.append(f"     {dim}{meta}{' · ' if meta else ''}id: {hit.id}{reset}")
        if hit.missing:
            lines.append(f"     {dim}missing: {', '.join(hit.missing)}{reset}")
        for snippet in hit.snippets:
            lines.append(f"     {_plain(snippet, color)}")
        if hit.explanation:
            from .planner import signal_line  # loaded already: the search that explained made the plan

            lines.append(f"     {dim}score {hit.score:.4f} = sum of:{reset}")
            for share in hit.explanation:
                shown = "rank tier" if share.kind == "first" else f"{share.score:8.4f}"
                lines.append(f"     {dim}  {shown}  {signal_line(share.kind, share.weight, share.node)}{reset}")
    if result.total:
        lines.append("")
        for name, label in (("committee", "committee"), ("doc_type", "type"), ("year", "year")):
            counts = result.facets.get(name) or {}
            if counts:
                top = ", ".join(f"{value} ({count:,})" for value, count in list(counts.items())[:6])
                more = f", … {len(counts) - 6:,} more" if len(counts) > 6 else ""
                lines.append(f"{label:>9}: {top}{more}")
    return "\n".join(lines)


def _headline(result: SearchResult, first: int) -> str:
    """"1,626 documents match; showing 1-10 (page 1 of 163)", or what there is instead."""
    matches = count_of(result.total, "document matches", "documents match")
    if result.near_total:
        matches += f" ({count_of(result.near_total, 'more holds', 'more hold')} most of the words)"
    elif not result.total:
        return "No documents match."
    if not result.hits and result.page > result.pages:  # the library's notice (page.past_end) says which page is last
        return f"{matches}."
    shown = f"{first:,}-{first + len(result.hits) - 1:,}" if result.hits else "0"
    return f"{matches}; showing {shown} (page {result.page:,} of {result.pages:,})"


def timeline_lines(timeline: Timeline, width: int = TIMELINE_WIDTH) -> list[str]:
    """A bar per period, the longest `width` characters: "  2012 ████▌ 9"."""
    unit = "month" if timeline.unit == MONTH else "year"
    undated = f" ({count_of(timeline.undated, 'undated match', 'undated matches')} not shown)" if timeline.undated else ""
    if not timeline.periods:  # every match undated: say so, or an empty chart says nothing
        return [f"no {unit}s to chart: {count_of(timeline.undated, 'match has', 'matches have')} no date"]
    lines = [f"matches per {unit}{undated}:"]
    peak = timeline.peak or 1
    for period in timeline.periods:
        eighths = round(8 * width * period.count / peak)
        if period.count and not eighths:
            eighths = 1  # one document still shows
        bar = "█" * (eighths // 8) + (_EIGHTHS[eighths % 8] if eighths % 8 else "")
        lines.append(f"  {period.key:<7} {bar:<{width}} {period.count:,}")
    return lines
