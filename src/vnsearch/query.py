"""User text -> query tree. vnsearch parses queries itself: Whoosh's parser splits on spaces
before analysis, which breaks Vietnamese words apart.

Syntax (documented in `vnsearch search --help`):
    words                  ranked; short queries need every word, long ones most of them
    "quoted phrase"        must appear, syllables in order, punctuation ignored
    -word  -"phrase"       must not appear
    a OR b                 either (binds the word or phrase on each side)
    committee:"Bộ Chính trị"  type:"Nghị quyết"  number:21-NQ/TW
    date:2012-01-01..2012-12-31  (open ends: date:2012..  date:..2013-06)  year:2012

Slips never raise: unbalanced quotes close at the end, lone operators are dropped, and each
repair is explained in `ParsedQuery.notices`. Only a query with nothing to look for raises
QueryError.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from . import defaults
from .analysis import SYLLABLE_RE
from .errors import QueryError
from .messages import Notice
from .metadata import canonical_doc_type, parse_date
from .text import QUERY_NUMBER_RE, collapse_spaces, normalize

TEXT, PHRASE, NUMBER = "text", "phrase", "number"


@dataclass(frozen=True)
class Clause:
    """A run of plain words, a quoted phrase, or a document number, as normalised text."""

    kind: str
    text: str


@dataclass(frozen=True)
class ParsedQuery:
    # Each group is a tuple of alternatives (one clause unless OR was used).
    groups: tuple[tuple[Clause, ...], ...] = ()
    excluded: tuple[Clause, ...] = ()
    committee: str | None = None
    doc_type: str | None = None
    number: str | None = None
    date_from: str | None = None
    date_to: str | None = None
    notices: tuple[Notice, ...] = field(default=())

    @property
    def clauses(self) -> list[Clause]:
        return [clause for group in self.groups for clause in group]


_FIELD_NAMES = {
    "committee": "committee", "cơ_quan": "committee", "coquan": "committee",
    "type": "doc_type", "doc_type": "doc_type", "loại": "doc_type", "loai": "doc_type",
    "number": "number", "số": "number", "so": "number", "sohieu": "number",
    "date": "date", "ngày": "date", "ngay": "date",
    "year": "year", "năm": "year", "nam": "year",
}
_TOKEN_RE = re.compile(
    r"""
    (?P<neg>-)?
    (?:
        (?P<field>[^\W\d][\w]*):(?:"(?P<fquoted>[^"]*)"?|(?P<fvalue>\S+))
      | "(?P<quoted>[^"]*)(?P<closed>"?)
      | (?P<word>[^\s"]+)
    )
    """,
    re.VERBOSE,
)
# Control characters, lone surrogates and other unassigned code points carry no text.
_JUNK_CATEGORIES = {"Cc", "Cs", "Co", "Cn"}
_OPERATOR_ONLY = re.compile(r"^[-+|&!~^*(){}\[\]<>=:;,.?/\\]+$")


def _clean(raw: str) -> str:
    kept = (" " if unicodedata.category(c) in _JUNK_CATEGORIES else c for c in raw)
    return collapse_spaces(normalize("".join(kept)))


def parse(raw: str) -> ParsedQuery:
    """Parse a query string; never raises for syntax slips (see module docstring)."""
    if not isinstance(raw, str):
        raise QueryError("query.not_text")
    notices: list[Notice] = []
    if len(raw) > defaults.MAX_QUERY_CHARS:
        raw = raw[: defaults.MAX_QUERY_CHARS]
        notices.append(Notice("query.cut", {"count": defaults.MAX_QUERY_CHARS}))
    text = _clean(raw)
    builder = _Builder(notices)
    for match in _TOKEN_RE.finditer(text):
        builder.take(match)
    return builder.finish()


class _Builder:
    def __init__(self, notices: list[Notice]) -> None:
        self.notices = notices
        self.groups: list[list[Clause]] = []
        self.words: list[str] = []  # the plain-word run being collected
        self.excluded: list[Clause] = []
        self.filters: dict[str, str | None] = {}
        self.pending_or = False

    # -- tokens -----------------------------------------------------------------------------

    def take(self, match: re.Match[str]) -> None:
        negative = bool(match.group("neg"))
        if match.group("field") is not None:
            name = match.group("field").lower()
            value = match.group("fquoted") if match.group("fquoted") is not None else match.group("fvalue")
            if name in _FIELD_NAMES and not negative:
                self._filter(_FIELD_NAMES[name], value or "", typed=match.group("field"))
                return
            # Not a field we know ("Điều:5", "http://..."): search it as words.
            self._word(match.group(0).lstrip("-"), negative)
            return
        if match.group("quoted") is not None:
            if not match.group("closed"):
                self.notices.append(Notice("query.unclosed_quote"))
            phrase = collapse_spaces(match.group("quoted"))
            if not SYLLABLE_RE.search(phrase):
                if phrase:
                    self.notices.append(Notice("query.no_letters", {"text": phrase}))
                return
            self._clause(Clause(PHRASE, phrase), negative)
            return
        word = match.group("word")
        if word == "OR" and not negative:
            if self.groups or self.words:
                self.pending_or = True
            else:
                self.notices.append(Notice("query.or_nothing_before"))
            return
        if _OPERATOR_ONLY.match(word):
            if word != "-":
                self.notices.append(Notice("query.not_a_word", {"text": word}))
            return
        if not SYLLABLE_RE.search(word):
            # Combining marks, symbols, "_": nothing the index holds. Searching for it would
            # match every document (a query without terms).
            self.notices.append(Notice("query.no_letters", {"text": word}))
            return
        self._word(word, negative)

    def _word(self, word: str, negative: bool) -> None:
        if QUERY_NUMBER_RE.fullmatch(word.strip(".,;:()")):
            self._clause(Clause(NUMBER, word.strip(".,;:()")), negative)
        elif negative:
            self.excluded.append(Clause(TEXT, word))
        elif self.pending_or:
            self._clause(Clause(TEXT, word), False)
        else:
            self.words.append(word)

    def _clause(self, clause: Clause, negative: bool) -> None:
        if negative:
            self.excluded.append(clause)
            return
        if self.pending_or:
            self.pending_or = False
            if self.words:  # OR binds the last word of the run before it
                last = self.words.pop()
                self._flush_words()
                self.groups.append([Clause(TEXT, last)])
            self.groups[-1].append(clause)
            return
        self._flush_words()
        self.groups.append([clause])

    def _flush_words(self) -> None:
        if self.words:
            self.groups.append([Clause(TEXT, " ".join(self.words))])
            self.words = []

    # -- filters ----------------------------------------------------------------------------

    def _filter(self, name: str, value: str, *, typed: str) -> None:
        value = collapse_spaces(value)
        if not value:
            self.notices.append(Notice("query.empty_filter", {"name": typed}))
        elif name == "date":
            self._date_range(value)
        elif name == "year":
            if re.fullmatch(r"\d{4}", value):
                self.filters["date_from"], self.filters["date_to"] = f"{value}-01-01", f"{value}-12-31"
            else:
                self.notices.append(Notice("query.bad_year", {"value": value}))
        elif name == "doc_type":
            self.filters["doc_type"] = canonical_doc_type(value)
        else:
            self.filters[name] = value

    def _date_range(self, value: str) -> None:
        start, sep, end = value.partition("..")
        bounds = {"date_from": start, "date_to": end if sep else start}
        for key, bound in bounds.items():
            if not bound:
                continue
            parsed = parse_bound(bound, upper=(key == "date_to"))
            if parsed is None:
                self.notices.append(Notice("query.bad_date", {"value": bound}))
            else:
                self.filters[key] = parsed

    def finish(self) -> ParsedQuery:
        if self.pending_or:
            self.notices.append(Notice("query.or_nothing_after"))
        self._flush_words()
        if not self.groups and not any(self.filters.values()):
            if self.excluded:
                raise QueryError("query.only_excluded")
            raise QueryError("query.no_words")
        return ParsedQuery(
            groups=tuple(tuple(group) for group in self.groups),
            excluded=tuple(self.excluded),
            committee=self.filters.get("committee"),
            doc_type=self.filters.get("doc_type"),
            number=self.filters.get("number"),
            date_from=self.filters.get("date_from"),
            date_to=self.filters.get("date_to"),
            notices=tuple(self.notices),
        )


def parse_bound(value: str, *, upper: bool) -> str | None:
    """A date bound: "2012", "2012-06" or a full date -> "YYYY-MM-DD" (upper bounds round up)."""
    value = value.strip()
    if re.fullmatch(r"\d{4}", value):
        return f"{value}-12-31" if upper else f"{value}-01-01"
    month = re.fullmatch(r"(\d{4})-(\d{1,2})", value)
    if month:
        year, mon = int(month.group(1)), int(month.group(2))
        if not 1 <= mon <= 12:
            return None
        if not upper:
            return f"{year:04d}-{mon:02d}-01"
        import calendar

        return f"{year:04d}-{mon:02d}-{calendar.monthrange(year, mon)[1]:02d}"
    return parse_date(value)
