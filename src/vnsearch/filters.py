"""Search filters: issuing body, document type, number and date range, as a mask from columns.

A filter comes from a search option (`committee=`, `--from`) or from the query (`committee:"…"`,
`date:2012..2013`); the option wins. `filter_mask` evaluates them on an engine snapshot without
reading any posting of the query's words.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .engine.base import Snapshot
from .errors import InvalidOptionError
from .planner import Term
from .query import ParsedQuery, parse_bound
from .text import normalize, number_key


@dataclass(frozen=True)
class Filters:
    committee: str | None = None
    doc_type: str | None = None
    number: str | None = None
    date_from: str | None = None
    date_to: str | None = None

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

    return Filters(
        committee=normalize(committee).strip() if committee else parsed.committee,
        doc_type=canonical_doc_type(normalize(doc_type)) if doc_type else parsed.doc_type,
        number=parsed.number,
        date_from=bound(date_from, False) or parsed.date_from,
        date_to=bound(date_to, True) or parsed.date_to,
    )


def filter_mask(snapshot: Snapshot, filters: Filters) -> np.ndarray:
    """The live documents within the filters, from columns (no postings read)."""
    allowed = snapshot.live.copy()
    for name in ("committee", "doc_type"):
        value = getattr(filters, name)
        if value:
            values, codes = snapshot.codes(name)
            position = int(np.searchsorted(values, value))
            found = position < len(values) and values[position] == value
            allowed &= (codes == position) if found else False
    if filters.number:
        allowed &= snapshot.mask(Term("number", number_key(filters.number)))
    if filters.date_from or filters.date_to:
        values, codes = snapshot.codes("date")
        dated = values != ""
        in_range = dated & (values >= (filters.date_from or "")) & (values <= (filters.date_to or "9999"))
        allowed &= in_range[codes]
    return allowed
