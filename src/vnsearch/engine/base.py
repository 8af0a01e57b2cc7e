"""The engine boundary: what vnsearch needs from a place that stores and reads an index.

Everything above it (planner, search, the index facade, the skins) speaks of documents, the
logical fields of `analysis` and plan nodes; everything below it (`engine/whoosh/`, later a
cluster engine) knows its own storage. An engine is opened on one index and gives:

- writing: `write` (analysed documents in, added/replaced counted), `delete`, each committed
  atomically: a reader sees all of a commit or none of it;
- reading: a `Snapshot` of one committed version — boolean match masks of plan nodes, scores
  of ranking signals, facet columns as codes, stored documents — consistent for the whole of
  one search, however many commits land meanwhile.

Masks and scores are numpy arrays over the snapshot's document numbers (0..size-1).

A second kind of engine keeps its index on other machines (`engine/sphinx/`: a Sphinx/Manticore
cluster). Per-document masks and score arrays would mean shipping every matching document
number of every plan node over the network, so such an engine runs *whole plans* instead: it is
a `PlanEngine` (`run`, `stats`, `restorer`), and the index facade hands it the plan that the
same parser and planner built, rather than asking it for a `Snapshot`. Its failures to reach a
node are `EngineUnavailableError`s.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from ..errors import VnsearchError

if TYPE_CHECKING:
    import numpy as np

    from ..documents import Document
    from ..filters import Filters
    from ..planner import Node, Plan, Signal


class Snapshot(Protocol):
    size: int  # document numbers are 0..size-1, deleted ones included
    live: np.ndarray  # bool: not deleted

    def mask(self, node: Node, within: np.ndarray | None = None) -> np.ndarray:
        """Live documents holding `node`; phrase positions are checked only `within`."""
        ...

    def scores(self, signals: list[Signal], exact: np.ndarray | None = None) -> np.ndarray:
        """The sum of the signals' scores for every document (float32). A phrase's occurrences
        may be estimated (an upper bound, read cheaply), except for the documents `exact`."""
        ...

    def signal_scores(self, signals: list[Signal], docnums: np.ndarray) -> np.ndarray:
        """Each signal's share of each document's score, phrases counted exactly:
        (len(docnums), len(signals))."""
        ...

    def codes(self, name: str) -> tuple[np.ndarray, np.ndarray]:
        """A column ("id", "date", "committee", ...) as (sorted distinct values, code per document)."""
        ...

    def document(self, docnum: int) -> Document: ...

    def doc_count(self) -> int:
        """Live documents."""
        ...

    def cached_table(self, name: str, build: Callable[[], Any]) -> Any:
        """`build()`, or the table it built for this same version of the index, kept where the
        engine keeps derived data (the embedded engine: its cache folder, where a dict with
        string keys comes back as a read-only Mapping that decodes entries as they are asked for)."""
        ...

    def prepare_scoring(self) -> None:
        """Load what ranking reads for every query (field lengths), for servers and `warm()`."""
        ...

    def restorer(self) -> Mapping[str, str]:
        """Folded word -> the commonest spelling of it in the index."""
        ...

    # Spelling statistics (restore.py, suggest.py): what the index knows of how words are spelled.

    def vocabulary(self, field: str) -> Mapping[str, int]:
        """Every term of a logical field of syllables or words ("body", "body_words") -> the
        number of documents holding it. Read once per snapshot (kept with it); not for fields
        of pairs, which hold far more terms: use `doc_frequency` for those."""
        ...

    def doc_frequency(self, field: str, text: str) -> int:
        """The number of documents holding `text` in a logical field (any field, pairs too)."""
        ...

    def adjacent_counts(self, lefts: list[str], rights: list[str], *, sample: int) -> tuple[dict[tuple[str, str], int], int]:
        """How many documents hold each exact body syllable of `lefts` directly before each of
        `rights` (positions skip punctuation, as phrases do). All lefts fold to one string and
        all rights to another; counted in up to `sample` documents holding that folded pair.
        Returns ({(left, right): documents}, documents looked at): an estimate whose cost does
        not grow with the index (no field holds exact pairs across pyvi's words)."""
        ...


class Engine(Protocol):
    format_version: int

    def snapshot(self) -> Snapshot:
        """The latest committed version (the same object until something new is committed)."""
        ...

    def get(self, doc_id: str) -> Document | None: ...

    def fingerprints(self) -> dict[str, str]:
        """id -> fingerprint of every live document."""
        ...

    def write(self, documents: Iterable[tuple[Document, str]], known: dict[str, str], *, workers: int,
              on_added: Callable[[bool], None]) -> None:
        """Analyse and add (document, fingerprint) pairs, replacing documents whose id is in
        `known` (kept up to date); `on_added(replaced)` is called for each."""
        ...

    def delete(self, ids: Iterable[str]) -> int: ...

    def generation(self) -> int:
        """Changes with every commit."""
        ...

    def close(self) -> None: ...


# -- engines that run whole plans (a cluster) ---------------------------------------------------


class EngineUnavailableError(VnsearchError):
    """A node of a remote engine cannot be reached, or failed: nothing was changed or returned
    beyond what the message says. Retry when the node is back."""

    default_hint = "hint.cluster_nodes"


@dataclass(frozen=True)
class RunHit:
    document: Document
    score: float
    missing: tuple[str, ...] = ()  # labels of the plan's units this (near) match lacks


@dataclass(frozen=True)
class RunResult:
    """One page of a plan's results, as `search.search` would compute them on a Snapshot."""

    total: int  # documents holding min_units units, every required node, no excluded one
    near_total: int  # ranked by relevance: documents holding only near_min_units units
    hits: tuple[RunHit, ...]
    facets: dict[str, dict[str, int]] = field(default_factory=dict)  # over the `total` set
    unanswered: tuple[str, ...] = ()  # nodes that did not answer: the result is partial
    unranked: tuple[str, ...] = ()  # nodes whose documents could not all be scored: the order is rough


@runtime_checkable
class PlanEngine(Protocol):
    """An engine that runs a whole plan where its data is (see the module docstring).

    `run` matches like search.py's `_match` (units, required, excluded, within `filters`),
    ranks by the plan's signals with `phrase_first` documents first (`sort="relevance"`, over
    the near set) or newest first (`sort="date"`, over the strict set), ties by id, and returns
    hits `offset`..`offset+limit` with facet counts over the strict set.
    """

    def run(self, plan: Plan, filters: Filters, *, sort: str, offset: int, limit: int) -> RunResult: ...

    def stats(self) -> tuple[int, dict[str, dict[str, int]]]:
        """(live documents, facet name -> value -> count)."""
        ...

    def restorer(self) -> dict[str, str]:
        """Folded word -> its commonest spelling (as `Snapshot.restorer`); may look words up lazily."""
        ...
