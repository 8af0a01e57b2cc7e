"""Search filters: issuing body, document type, number and date range, as a mask from columns.

A filter comes from a search option (`committee=`, `--from`) or from the query (`committee:"…"`,
`date:2012..2013`); the option wins. `filter_mask` evaluates them on an engine snapshot without
reading any posting of the query's words.

Facet values match ignoring case, diacritics and punctuation (`committee:"bo chinh tri"` finds
"Bộ Chính trị"); a committee filter naming a kind of body ("UBND", "Tỉnh ủy") matches every body
of that kind ("UBND tỉnh Bình Dương"). A value the index does not hold matches nothing, and
`filter_notices` names the nearest values it does hold. `number:` is the document's own number;
when no document has it as its own, the documents citing it are matched instead, and said so.
`cites:` is the documents citing a number (those having it as their own left out).
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from .engine.base import Snapshot
from .errors import InvalidOptionError
from .messages import FieldLabel, Notice
from .planner import Term
from .query import ParsedQuery, check_date_range, parse_bound
from .text import normalize, number_key

NEAREST_SHOWN = 3  # values named when a filter value is not in the index


@dataclass(frozen=True)
class Filters:
    committee: str | None = None
    doc_type: str | None = None
    number: str | None = None
    date_from: str | None = None
    date_to: str | None = None
    cites: str | None = None

    def to_dict(self) -> dict[str, str]:
        return {name: value for name, value in vars(self).items() if value}



def resolve_filters(parsed: ParsedQuery, committee: str | None, doc_type: str | None,
             date_from: str | None, date_to: str | None) -> Filters:
    from .metadata import canonical_doc_type

    def bound(value: str | None, upper: bool) -> str | None:
        if value is None or value == "":
            return None
        parsed_bound = parse_bound(str(value), upper=upper)
        if parsed_bound is None:
            raise InvalidOptionError("option.bad_date", value=value)
        return parsed_bound

    filters = Filters(
        committee=normalize(committee).strip() if committee else parsed.committee,
        doc_type=canonical_doc_type(normalize(doc_type)) if doc_type else parsed.doc_type,
        number=parsed.number,
        cites=parsed.cites,
        date_from=bound(date_from, False) or parsed.date_from,
        date_to=bound(date_to, True) or parsed.date_to,
    )
    # A range that holds no day (--from 2025 --to 2024, or an option against the query's date:)
    # is refused, not searched: its "0 results" would read as an answer.
    check_date_range(filters.date_from, filters.date_to)
    return filters


def filter_mask(snapshot: Snapshot, filters: Filters) -> np.ndarray:
    """The live documents within the filters, from columns (no postings read but a number's)."""
    return _evaluate(snapshot, filters)[0]


def filter_notices(snapshot: Snapshot, filters: Filters) -> list[Notice]:
    """What a reader should know about the filters on this index: values it does not hold (with
    the nearest it does), a number found only as cited."""
    return _evaluate(snapshot, filters)[1]


def _evaluate(snapshot: Snapshot, filters: Filters) -> tuple[np.ndarray, list[Notice]]:
    from .metadata import committee_key, committee_kind, facet_key

    allowed = snapshot.live.copy()
    notices: list[Notice] = []
    facets: tuple[tuple[str, str, Callable[[str], str], bool], ...] = (
        ("committee", "committee", committee_key, True),
        ("doc_type", "type", facet_key, False),
    )
    for name, label, key_of, by_kind in facets:
        value = getattr(filters, name)
        if not value:
            continue
        values, codes = snapshot.codes(name)
        keys = _keys(values, key_of)
        wanted = key_of(value)
        matching = keys == wanted
        kind = committee_kind(wanted) if by_kind else None
        if kind is not None:
            matching |= np.char.startswith(keys, kind + " ")
        matching &= values != ""
        if not matching.any():
            notices.append(_unknown_value(label, value, values, keys, wanted))
        allowed &= matching[codes]
    if filters.number:
        key = number_key(filters.number)
        own = snapshot.mask(Term("number", key))
        if own.any():
            allowed &= own
        else:
            # A number no document has as its own: those citing it are what `number:` can find
            # (a Party resolution is rarely in an index of the texts carrying it out).
            citing = snapshot.mask(Term("cites", key))
            allowed &= citing
            count = int(citing.sum())
            notices.append(Notice("filter.number_cited", {"number": filters.number, "count": count}) if count
                           else Notice("filter.number_unknown", {"number": filters.number}))
    if filters.cites:
        from .citations import citing as documents_citing

        citing_mask = np.zeros(snapshot.size, dtype=bool)
        citing_mask[documents_citing(snapshot, number_key(filters.cites))] = True
        allowed &= citing_mask
        if not citing_mask.any():
            notices.append(Notice("filter.cites_none", {"number": filters.cites}))
    if filters.date_from or filters.date_to:
        values, codes = snapshot.codes("date")
        dated = values != ""
        in_range = dated & (values >= (filters.date_from or "")) & (values <= (filters.date_to or "9999"))
        allowed &= in_range[codes]
    return allowed, notices


# Keys of a column's distinct values, per column array (the engine keeps one array per commit).
_KEY_CACHE: dict[tuple[int, str], tuple[np.ndarray, np.ndarray]] = {}
_KEY_CACHE_SIZE = 16


def _keys(values: np.ndarray, key_of: Callable[[str], str]) -> np.ndarray:
    cache_key = (id(values), key_of.__name__)
    cached = _KEY_CACHE.get(cache_key)
    if cached is not None and cached[0] is values:
        return cached[1]
    keys = np.array([key_of(str(value)) for value in values], dtype=str)
    if len(_KEY_CACHE) >= _KEY_CACHE_SIZE:
        _KEY_CACHE.pop(next(iter(_KEY_CACHE)))
    _KEY_CACHE[cache_key] = (values, keys)  # the array is kept, so its id is not reused meanwhile
    return keys


def _unknown_value(label: str, value: str, values: np.ndarray, keys: np.ndarray, wanted: str) -> Notice:
    """"No document has committee 'X'", naming the nearest values the index holds."""
    scored = sorted(
        ((difflib.SequenceMatcher(None, wanted, str(key)).ratio(), str(shown))
         for key, shown in zip(keys, values, strict=True) if shown != ""),
        key=lambda item: (-item[0], item[1]),
    )
    # The best one, and the others nearly as near: a list of far values helps nobody.
    floor = min(scored[0][0] - 0.15, 0.6) if scored else 0.0
    nearest = list(dict.fromkeys(shown for ratio, shown in scored if ratio >= floor))[:NEAREST_SHOWN]
    if not nearest:
        return Notice("filter.no_values", {"name": FieldLabel(label), "value": value})
    return Notice("filter.unknown_value", {"name": FieldLabel(label), "value": value, "nearest": ", ".join(nearest)})
