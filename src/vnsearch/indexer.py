"""Corpus files -> index: read every file, report bad records, add or replace the good ones."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from .documents import Document, Problem, Record, iter_paths, read_path
from .index import Index
from .locking import write_lock


@dataclass
class FileSummary:
    """What happened to one corpus file.

    Every record is exactly one of added, replaced, unchanged or skipped; `repaired` counts the
    indexed ones (added, replaced or unchanged) that needed a repair on the way.
    """

    source: str
    added: int = 0
    replaced: int = 0
    unchanged: int = 0
    skipped: int = 0
    repaired: int = 0

    @property
    def indexed(self) -> int:
        """Records now in the index as read from this file."""
        return self.added + self.replaced + self.unchanged

    @property
    def records(self) -> int:
        """Every record met in the file, indexed or skipped."""
        return self.indexed + self.skipped

    def line(self) -> str:
        """The one-line summary `vnsearch index` prints."""
        return (
            f"{self.source}: {self.records} record{'' if self.records == 1 else 's'}: {self.added} added, "
            f"{self.replaced} replaced, {self.unchanged} unchanged, {self.skipped} skipped, {self.repaired} repaired"
        )


def index_paths(
    ix: Index,
    paths: Iterable[str | os.PathLike[str]],
    *,
    on_problem: Callable[[Problem], None] = lambda problem: None,
    on_document: Callable[[Document], None] | None = None,
    workers: int | None = None,
) -> list[FileSummary]:
    """Index every file under `paths`; returns one summary per file, in order.

    Holds the index's write lock (`locking.write_lock`) for the whole run: raises
    IndexLockedError at once when another process is indexing into the same folder.
    """
    with write_lock(ix.path):
        known = ix.fingerprints()
        first_seen: dict[str, str] = {}  # id -> "file:line" where this run met it first
        summaries = []
        for path, id_base in iter_paths(paths):
            summary = FileSummary(str(path))
            documents = _documents(read_path(path, id_base), summary, first_seen, on_problem)
            report = ix.add(documents, workers=workers, on_document=on_document, known=known)
            summary.added, summary.replaced, summary.unchanged = report.added, report.replaced, report.unchanged
            summaries.append(summary)
        return summaries


def _documents(
    records: Iterable[Record],
    summary: FileSummary,
    first_seen: dict[str, str],
    on_problem: Callable[[Problem], None],
) -> Iterator[Document]:
    """The usable documents of one file; problems reported and counted on the way."""
    for record in records:
        for problem in record.problems:
            on_problem(problem)
        if record.document is None:
            # A record without a document is skipped, unless it only carries a notice about
            # its file ("compressed although not named .gz").
            if any(problem.skipped for problem in record.problems):
                summary.skipped += 1
            continue
        where = f"{record.source}:{record.line}" if record.line else record.source
        earlier = first_seen.setdefault(record.document.id, where)
        if earlier != where:
            message = f"duplicate id {record.document.id!r} (first at {earlier}): this record replaces it"
            on_problem(Problem(record.source, record.line, message, False))
            summary.repaired += 1
        elif record.problems:
            summary.repaired += 1
        yield record.document
