"""Citations both ways: the documents a document cites, those citing it, the most cited.

Nothing is stored for this beyond what indexing already writes: every document's own number
(field `number`) and its own plus every cited number (field `cites`), all under
`text.number_key`. Resolving is looking those terms up when asked, so it is incremental by
construction (adding or deleting a document changes the postings, nothing else) and does not
depend on the order documents arrived in: a cited document indexed after the one citing it is
found the same way.

Rules for the ambiguous cases (README, "Citations"):

- A document's own number is among its `cites` terms: it is never counted as citing itself,
  and a document sharing its number (the same text from two sources) is not taken as citing it
  either, since the postings cannot tell its own number from a citation of it.
- A text cannot cite one issued after it. Numbers without a year (Party numbers such as
  21-NQ/TW restart with each term of the Central Committee) are resolved by date: among the
  documents holding the number, those not dated after the citing document, and of those the
  latest dated one (all of that date, the same text from two sources); when every one is
  dated after it, the index lacks the one cited. Numbers with a year (41/2024/QH15) name one
  text: a single holder is it whatever the dates say (a date may be wrong), several are told
  apart by date as above, and when none is dated early enough all of them are kept.
- When the citing document is undated, nothing can be told by date: the citation goes to every
  document holding the number.
- Numbers are compared whole, as `number_key` folds them: "21-NQ/TW" and "21/NQ-TW" are
  different numbers, and a number without a year is never matched to one with a year.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np

from .engine.base import Snapshot
from .planner import Term
from .text import number_key

CITED_BY_SHOWN = 10  # citing documents listed; the count and a search give all of them
MOST_CITED_SHOWN = 10
_YEAR_RE = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")  # "41/2024/qh15": the number says when it was issued


@dataclass(frozen=True)
class DocumentRef:
    """Enough of a document to name and link it."""

    id: str
    title: str
    date: str | None
    number: str | None

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "title": self.title, "date": self.date, "number": self.number}


@dataclass(frozen=True)
class CitedNumber:
    """One number a document cites, and the documents of the index it resolves to: none when
    the index lacks it, several when it cannot tell which (see the module docstring)."""

    number: str  # as the citing document writes it
    documents: tuple[DocumentRef, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"number": self.number, "documents": [ref.to_dict() for ref in self.documents]}


@dataclass(frozen=True)
class Citations:
    """A document's citations both ways."""

    id: str
    number: str | None  # its own number: `cites:NUMBER` searches every document citing it
    cites: tuple[CitedNumber, ...]  # in the order the document cites them
    cited_by: tuple[DocumentRef, ...]  # newest first, at most `limit`
    cited_by_total: int

    @property
    def resolved(self) -> tuple[CitedNumber, ...]:
        return tuple(cited for cited in self.cites if cited.documents)

    @property
    def cited_documents(self) -> tuple[DocumentRef, ...]:
        """The documents of the index it cites, each once, in the order it cites them."""
        return tuple(dict.fromkeys(ref for cited in self.cites for ref in cited.documents))

    @property
    def unresolved(self) -> tuple[CitedNumber, ...]:
        return tuple(cited for cited in self.cites if not cited.documents)

    def to_dict(self) -> dict[str, Any]:
        return {
            "cites": [cited.to_dict() for cited in self.cites],
            "cited_by": [ref.to_dict() for ref in self.cited_by],
            "cited_by_total": self.cited_by_total,
        }


@dataclass(frozen=True)
class MostCited:
    document: DocumentRef
    count: int  # documents citing it

    def to_dict(self) -> dict[str, Any]:
        return {**self.document.to_dict(), "cited_by": self.count}


# -- reading ------------------------------------------------------------------------------------


def find_docnum(snapshot: Snapshot, doc_id: str) -> int | None:
    """The live document number of `doc_id` (a replaced document leaves dead copies behind)."""
    values, codes = snapshot.codes("id")
    at = int(np.searchsorted(values, doc_id))
    if at >= len(values) or values[at] != doc_id:
        return None
    found = np.flatnonzero((codes == at) & snapshot.live)
    return int(found[-1]) if len(found) else None


def citations(snapshot: Snapshot, docnum: int, *, limit: int = CITED_BY_SHOWN) -> Citations:
    """What the document `docnum` cites, and the newest `limit` documents citing it."""
    document = snapshot.document(docnum)
    own = number_key(document.number) if document.number else None
    refs = _Refs(snapshot)
    cites = []
    seen = {own}
    dates = _Dates(snapshot)
    for number in document.cited_numbers:
        key = number_key(number)
        if key in seen:
            continue
        seen.add(key)
        cited = resolve(key, holders(snapshot, key, besides=docnum), document.date, dates)
        cites.append(CitedNumber(number, refs.many(cited)))
    citing = cited_by(snapshot, docnum, own) if own else np.zeros(0, dtype=np.int64)
    newest = newest_first(snapshot, citing)[:limit]
    return Citations(document.id, document.number, tuple(cites), refs.many(newest), len(citing))


def holders(snapshot: Snapshot, key: str, *, besides: int | None = None) -> np.ndarray:
    """Live documents whose own number is `key` (other than `besides`)."""
    found = np.flatnonzero(snapshot.mask(Term("number", key)))
    return found[found != besides] if besides is not None else found


def citing(snapshot: Snapshot, key: str) -> np.ndarray:
    """Live documents citing the number `key`, those having it as their own number left out."""
    return np.flatnonzero(snapshot.mask(Term("cites", key)) & ~snapshot.mask(Term("number", key)))


def cited_by(snapshot: Snapshot, docnum: int, key: str) -> np.ndarray:
    """Documents whose citation of `key` resolves to `docnum` (to it among others, when ambiguous)."""
    candidates = citing(snapshot, key)
    owners = holders(snapshot, key)
    if len(owners) <= 1 and has_year(key):
        return candidates
    dates = _Dates(snapshot)
    keep = [c for c in candidates if docnum in resolve(key, owners, dates.of(c), dates)]
    return np.array(keep, dtype=np.int64)


def has_year(key: str) -> bool:
    return _YEAR_RE.search(key) is not None


def resolve(key: str, owners: np.ndarray, citing_date: str | None, dates: _Dates) -> np.ndarray:
    """Which of the documents holding the number `key` a citation dated `citing_date` means
    (the rules of the module docstring)."""
    if not citing_date or not len(owners) or (len(owners) == 1 and has_year(key)):
        return owners
    owner_dates = dates.array[owners]
    possible = owner_dates <= citing_date  # "" (undated) sorts first: it may be the one
    if not possible.any():
        return owners if has_year(key) else owners[:0]
    dated = possible & (owner_dates != "")
    if not dated.any():
        return owners[possible]
    return owners[dated & (owner_dates == max(owner_dates[dated].tolist()))]


def newest_first(snapshot: Snapshot, docnums: np.ndarray) -> np.ndarray:
    """`docnums` by date, newest first, undated last, ties by id."""
    if not len(docnums):
        return docnums
    _, date_codes = snapshot.codes("date")  # sorted values: "" (undated) has the lowest code
    _, id_codes = snapshot.codes("id")
    return docnums[np.lexsort((id_codes[docnums], -date_codes[docnums]))]


# -- the most cited -----------------------------------------------------------------------------


def most_cited(snapshot: Snapshot, *, limit: int = MOST_CITED_SHOWN) -> tuple[MostCited, ...]:
    """The documents cited by the most others, most first (ties by id).

    Counting every number exactly would read two posting lists per number of the index. The
    vocabularies give an upper bound per number for free (documents holding it in `cites`,
    deleted ones included, minus those holding it as their own number), kept per set of
    segments; numbers are counted exactly in that order until no bound can beat the last of
    the top `limit`."""
    counts: dict[int, int] = {}
    for key, bound in snapshot.cached_table("citation-bounds", lambda: citation_bounds(snapshot)):
        if len(counts) >= limit and sorted(counts.values(), reverse=True)[limit - 1] >= bound:
            break
        for docnum, count in _count_by_holder(snapshot, key).items():
            counts[docnum] = count
    _, id_codes = snapshot.codes("id")
    ranked = sorted(((count, docnum) for docnum, count in counts.items() if count),
                    key=lambda item: (-item[0], id_codes[item[1]]))[:limit]
    refs = _Refs(snapshot)
    return tuple(MostCited(refs.one(docnum), count) for count, docnum in ranked)


def citation_bounds(snapshot: Snapshot) -> list[tuple[str, int]]:
    """(number key, most documents that may cite it) for every own number of the index, the
    largest first; numbers nobody cites left out."""
    own = snapshot.vocabulary("number")
    cites = snapshot.vocabulary("cites")
    bounds = [(key, cites.get(key, 0) - count) for key, count in own.items()]
    return sorted(((key, bound) for key, bound in bounds if bound > 0), key=lambda item: (-item[1], item[0]))


def _count_by_holder(snapshot: Snapshot, key: str) -> dict[int, int]:
    """Documents holding `key` as their number -> how many documents' citations resolve to each."""
    owners = holders(snapshot, key)
    if len(owners) <= 1 and has_year(key):
        return {int(owner): len(citing(snapshot, key)) for owner in owners}
    counts = dict.fromkeys((int(owner) for owner in owners), 0)
    dates = _Dates(snapshot)
    for doc in citing(snapshot, key):
        for owner in resolve(key, owners, dates.of(doc), dates):
            counts[int(owner)] += 1
    return counts


# -- helpers ------------------------------------------------------------------------------------


class _Dates:
    """Every document's date ("" when undated), read from the column when first needed."""

    def __init__(self, snapshot: Snapshot) -> None:
        self.snapshot = snapshot
        self._array: np.ndarray | None = None

    @property
    def array(self) -> np.ndarray:
        if self._array is None:
            values, codes = self.snapshot.codes("date")
            self._array = values.astype(str)[codes]
        return self._array

    def of(self, docnum: int) -> str | None:
        return str(self.array[docnum]) or None


class _Refs:
    """DocumentRefs read from stored documents, each once."""

    def __init__(self, snapshot: Snapshot) -> None:
        self.snapshot = snapshot
        self.read: dict[int, DocumentRef] = {}

    def one(self, docnum: int) -> DocumentRef:
        docnum = int(docnum)
        if docnum not in self.read:
            document = self.snapshot.document(docnum)
            self.read[docnum] = DocumentRef(document.id, document.title, document.date, document.number)
        return self.read[docnum]

    def many(self, docnums: Iterable[int]) -> tuple[DocumentRef, ...]:
        return tuple(self.one(docnum) for docnum in docnums)
