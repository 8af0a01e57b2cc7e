"""User text -> query tree. vnsearch parses queries itself: Whoosh's parser splits on spaces
before analysis, which breaks Vietnamese words apart.

Syntax (documented in `vnsearch search --help`):
    words                  ranked; short queries need every word, long ones most of them
    "quoted phrase"        must appear, syllables in order, punctuation ignored
    -word  -"phrase"       must not appear
    a OR b                 either (binds the word or phrase on each side)
    committee:"Bộ Chính trị"  type:"Nghị quyết"  number:21-NQ/TW  cites:21-NQ/TW
    date:2012-01-01..2012-12-31  (open ends: date:2012..  date:..2013-06)  year:2012
    (a space after a filter's colon is allowed: "số: 21-NQ/TW" is number:21-NQ/TW)

Slips never raise: unbalanced quotes close at the end, lone operators are dropped, a date:
or year: filter with a wrong value (or a range whose start is after its end) is ignored, and each repair is explained in
`ParsedQuery.notices` (Notice objects, see messages.py). Only a query with nothing to look for
raises QueryError: the ignored filter's own InvalidOptionError ("13 is not a month") when there
was one, else "no words to look for".

Dates are a year, a month or a day (`parse_bound`); `number_option` is the rule for limit and
page. The CLI and the web use both, so every surface accepts and refuses the same values.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from dataclasses import dataclass, field

from . import defaults
from .analysis import SYLLABLE_RE
from .errors import InvalidOptionError, QueryError
from .messages import Notice
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
    cites: str | None = None  # documents citing this number
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
    "cites": "cites", "dẫn_chiếu": "cites", "danchieu": "cites",
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


_DATE_START_RE = re.compile(r"\d{1,4}(?:\D|$)|\.\.")


def _plausible_value(name: str, value: str) -> bool:
    """Whether `value`, typed after "name: " with a space, reads as that filter's value rather
    than prose: a document number for number/cites, digits for date/year; any for bodies and types."""
    if name in ("number", "cites"):
        return QUERY_NUMBER_RE.fullmatch(value.strip(".,;:()")) is not None
    if name in ("date", "year"):
        return _DATE_START_RE.match(value) is not None
    return True


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
        self.pending_field: tuple[str, str] | None = None  # "số: 21-NQ/TW": (name, as typed) awaiting its value
        self.rejected: list[InvalidOptionError] = []  # filters ignored because their value is wrong
        self.date_filters: list[str] = []  # the date: and year: filters as typed, for a range that holds nothing

    # -- tokens -----------------------------------------------------------------------------

    def take(self, match: re.Match[str]) -> None:
        negative = bool(match.group("neg"))
        if self.pending_field is not None:
            (name, typed), self.pending_field = self.pending_field, None
            value = match.group("quoted") if match.group("quoted") is not None else match.group("word")
            if value is not None and not negative and value != "OR":
                if _plausible_value(name, value):
                    # A space typed after the colon ("số: 21-NQ/TW", 'committee: "Bộ Chính trị"'):
                    # the next word or phrase is the filter's value.
                    self._filter(name, value, typed=typed)
                    return
                # Prose ("bao nhiêu năm: mười năm"): the name was a word, and so is what follows.
                self._word(typed, False)
            else:
                self.notices.append(Notice("query.empty_filter", {"name": typed}))
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
        if word.endswith(":") and word[:-1].lower() in _FIELD_NAMES and not negative:
            # "cites:" followed by a space: its value is the next token, if any; not the word "cites".
            self.pending_field = (_FIELD_NAMES[word[:-1].lower()], word[:-1])
            return
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
            self.date_filters.append(f"{typed}:{value}")
            self._date_range(value, typed)
        elif name == "year":
            self.date_filters.append(f"{typed}:{value}")
            try:
                self.filters["date_from"], self.filters["date_to"] = year_bounds(value)
            except InvalidOptionError as error:
                self._reject(f"{typed}:{value}", error)
        elif name == "doc_type":
            from .metadata import canonical_doc_type  # metadata's many patterns: loaded when a type is given

            self.filters["doc_type"] = canonical_doc_type(value)
        else:
            self.filters[name] = value

    def _date_range(self, value: str, typed: str) -> None:
        start, sep, end = value.partition("..")
        bounds = {"date_from": start, "date_to": end if sep else start}
        for key, bound in bounds.items():
            if not bound:
                continue
            try:
                self.filters[key] = parse_bound(bound, upper=(key == "date_to"))
            except InvalidOptionError as error:
                self._reject(f"{typed}:{value}", error)
                if not sep:  # one date, both bounds: one reason is enough
                    return

    def _reject(self, typed_filter: str, error: InvalidOptionError) -> None:
        """A filter whose value cannot be used is ignored, with the reason (raised if nothing else is left)."""
        self.rejected.append(error)
        reason = Notice(error.code, error.params)
        self.notices.append(Notice("query.filter_ignored", {"filter": typed_filter, "reason": reason}))

    def _check_date_range(self) -> None:
        """A start after the end ("date:2024..2023", "year:2024 date:..2020") holds no day: the
        date filters are ignored with that reason, as a wrong date is."""
        try:
            check_date_range(self.filters.get("date_from"), self.filters.get("date_to"))
        except InvalidOptionError as error:
            self.filters["date_from"] = self.filters["date_to"] = None
            self._reject(" ".join(self.date_filters), error)

    def finish(self) -> ParsedQuery:
        self._check_date_range()
        if self.pending_field is not None:  # "tham nhũng type:": nothing after it
            self.notices.append(Notice("query.empty_filter", {"name": self.pending_field[1]}))
        if self.pending_or:
            self.notices.append(Notice("query.or_nothing_after"))
        self._flush_words()
        if not self.groups and not any(self.filters.values()):
            if self.rejected:  # "date:2025-13-45" alone: why the date is wrong, not "no words"
                raise self.rejected[0]
            if self.excluded:
                raise QueryError("query.only_excluded")
            raise QueryError("query.no_words")
        return ParsedQuery(
            groups=tuple(tuple(group) for group in self.groups),
            excluded=tuple(self.excluded),
            committee=self.filters.get("committee"),
            doc_type=self.filters.get("doc_type"),
            number=self.filters.get("number"),
            cites=self.filters.get("cites"),
            date_from=self.filters.get("date_from"),
            date_to=self.filters.get("date_to"),
            notices=tuple(self.notices),
        )


# -- dates and other search options, shared by the query syntax, the CLI and the web ----------

# The forms a date bound may take; the numbers are read, then checked part by part so that a
# wrong month or day is named (2025-13-45: "13 is not a month"), not just "not a date".
_BOUND_FORMS = (
    re.compile(r"(?P<year>\d{4})"),
    re.compile(r"(?P<year>\d{4})-(?P<month>\d{1,2})"),
    re.compile(r"(?P<month>\d{1,2})/(?P<year>\d{4})"),
    re.compile(r"(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})"),
    re.compile(r"(?P<day>\d{1,2})([/.-])(?P<month>\d{1,2})\2(?P<year>\d{4})"),
    re.compile(r"(?:ngày\s+)?(?P<day>\d{1,2})\s+tháng\s+(?P<month>\d{1,2})\s+năm\s+(?P<year>\d{4})", re.I),
    re.compile(r"(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})[T ]\d{1,2}:\d{2}\S*"),  # a timestamp
)


def parse_bound(value: str, *, upper: bool) -> str:
    """A date bound -> "YYYY-MM-DD"; a year or a month rounds down, or up for an upper bound.

    Accepts YYYY, YYYY-MM, YYYY-MM-DD, MM/YYYY, DD/MM/YYYY (also with "." or "-"), "ngày D
    tháng M năm YYYY" and timestamps. Raises InvalidOptionError naming what is wrong.
    """
    value = normalize(str(value)).strip()
    for pattern in _BOUND_FORMS:
        match = pattern.fullmatch(value)
        if match:
            parts = match.groupdict()
            year = int(parts["year"])
            month = int(parts["month"]) if parts.get("month") else (12 if upper else 1)
            if year < 1:
                raise InvalidOptionError("date.bad_year", value=value, year=parts["year"])
            if not 1 <= month <= 12:
                raise InvalidOptionError("date.bad_month", value=value, month=month)
            last_day = calendar.monthrange(year, month)[1]
            day = int(parts["day"]) if parts.get("day") else (last_day if upper else 1)
            if not 1 <= day <= last_day:
                raise InvalidOptionError("date.bad_day", value=value, year=year, month=month, day=day)
            return f"{year:04d}-{month:02d}-{day:02d}"
    raise InvalidOptionError("date.invalid", value=value)


def year_bounds(value: str) -> tuple[str, str]:
    """"2012" -> ("2012-01-01", "2012-12-31"); raises InvalidOptionError for anything else."""
    value = normalize(str(value)).strip()
    if not re.fullmatch(r"\d{4}", value) or int(value) < 1:
        raise InvalidOptionError("year.invalid", value=value)
    return f"{value}-01-01", f"{value}-12-31"


_NUMBER_OPTIONS = {"limit": ("option.limit_range", defaults.MAX_PAGE_SIZE), "page": ("option.page_range", defaults.MAX_PAGE)}
_WHOLE_NUMBER_RE = re.compile(r"[+-]?[0-9]+")


def number_option(name: str, value: str | int) -> int:
    """`limit` or `page` as given on the command line or in a URL -> int, by one rule everywhere.

    Raises InvalidOptionError: "limit must be between 1 and 100" for a whole number out of range
    (-5 and 0 included), "limit must be a whole number" for anything else ("5.0", "ten").
    Nothing is silently capped.
    """
    maximum = _NUMBER_OPTIONS[name][1]
    if isinstance(value, bool) or not isinstance(value, int):
        text = str(value).strip()
        if not _WHOLE_NUMBER_RE.fullmatch(text):
            raise InvalidOptionError("option.not_a_number", name=name, value=text)
        # int() of thousands of digits is slow, and refused past 4300: anything this long is out of range anyway
        digits = text.lstrip("+-").lstrip("0") or "0"
        value = (-1 if text.startswith("-") else 1) * int(digits) if len(digits) <= 9 else maximum + 1
    check_number(name, value)
    return value


def check_number(name: str, value: int) -> None:
    """Raises InvalidOptionError ("page must be between 1 and 1000") unless 1 <= value <= the maximum."""
    code, maximum = _NUMBER_OPTIONS[name]
    if not 1 <= value <= maximum:
        raise InvalidOptionError(code, max=maximum)


def check_date_range(date_from: str | None, date_to: str | None) -> None:
    """Raises InvalidOptionError (option.dates_reversed) when the start date is after the end date;
    both as `parse_bound` gives them ("YYYY-MM-DD"): a range that could hold nothing is a slip."""
    if date_from and date_to and date_from > date_to:
        raise InvalidOptionError("option.dates_reversed", start=date_from, end=date_to)


def date_range(date_from: str | None, date_to: str | None) -> tuple[str | None, str | None]:
    """`--from`/`--to` (the API's `from`/`to`) -> their bounds, a year or a month counting whole;
    raises InvalidOptionError for a wrong date or a start after the end. What the library does
    with them: a surface may call it to refuse them before searching (the CLI, as a usage error)."""
    start = parse_bound(date_from, upper=False) if date_from else None
    end = parse_bound(date_to, upper=True) if date_to else None
    check_date_range(start, end)
    return start, end
