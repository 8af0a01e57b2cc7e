"""The on-disk index: create, open, add or replace documents by id, read them back, count facets.

Crash safety comes from Whoosh's commit protocol: new segments become visible only when the
table of contents is rewritten at commit, so an interrupted run leaves the last committed
index intact. Long runs commit every `COMMIT_EVERY` documents so little work is lost.
"""

from __future__ import annotations

import json
import multiprocessing
import os
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from whoosh import index as whoosh_index
from whoosh.index import LockError

from . import defaults
from .documents import Document
from .errors import IndexCorruptError, IndexLockedError, IndexNotFoundError, IndexVersionError, VnsearchError
from .schema import FACETS, FORMAT_VERSION, analyze, build_schema, document_from_stored, fingerprint

if TYPE_CHECKING:
    from .search import SearchResult

FORMAT_FILE = "vnsearch-format.json"
COMMIT_EVERY = 2000


@dataclass
class AddReport:
    """What one call to `Index.add` did."""

    added: int = 0
    replaced: int = 0
    unchanged: int = 0

    @property
    def written(self) -> int:
        return self.added + self.replaced


@dataclass(frozen=True)
class Stats:
    documents: int
    facets: dict[str, dict[str, int]] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"documents": self.documents, "facets": self.facets}


class Index:
    """A vnsearch index on disk. Use `Index.create` or `Index.open`, ideally as a context manager."""

    def __init__(self, path: Path, whoosh_ix: Any) -> None:
        self.path = path
        self._ix = whoosh_ix
        self._searcher: Any = None
        self._columns: dict[str, list[str]] = {}

    # -- lifecycle --------------------------------------------------------------------------

    @classmethod
    def create(cls, path: str | os.PathLike[str], *, exist_ok: bool = False) -> Index:
        """Create an empty index at `path` (or open it when `exist_ok` and one is there)."""
        path = Path(path)
        if (path / FORMAT_FILE).exists() or whoosh_index.exists_in(str(path)):
            if exist_ok:
                return cls.open(path)
            raise VnsearchError(f"an index already exists at {path}")
        path.mkdir(parents=True, exist_ok=True)
        whoosh_ix = whoosh_index.create_in(str(path), build_schema())
        (path / FORMAT_FILE).write_text(json.dumps({"format": FORMAT_VERSION}) + "\n", encoding="utf-8")
        return cls(path, whoosh_ix)

    @classmethod
    def open(cls, path: str | os.PathLike[str]) -> Index:
        """Open an existing index; refuse one written by another format version."""
        path = Path(path)
        format_file = path / FORMAT_FILE
        if not format_file.exists():
            if path.exists() and whoosh_index.exists_in(str(path)):
                raise IndexVersionError(f"{path} holds an index vnsearch did not write (no {FORMAT_FILE})")
            raise IndexNotFoundError(f"no index at {path}")
        try:
            version = json.loads(format_file.read_text(encoding="utf-8"))["format"]
        except (ValueError, KeyError, TypeError) as error:
            raise IndexCorruptError(f"{format_file} is damaged: {error}") from error
        if version != FORMAT_VERSION:
            raise IndexVersionError(
                f"{path} was built with index format {version}; this vnsearch reads format {FORMAT_VERSION}"
            )
        try:
            whoosh_ix = whoosh_index.open_dir(str(path))
        except whoosh_index.EmptyIndexError as error:
            raise IndexCorruptError(f"{path} has no committed index data") from error
        except Exception as error:  # Whoosh raises many types on damaged files
            raise IndexCorruptError(f"cannot read the index at {path}: {error}") from error
        return cls(path, whoosh_ix)

    def close(self) -> None:
        if self._searcher is not None:
            self._searcher.close()
            self._searcher = None
        self._ix.close()

    def __enter__(self) -> Index:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- reading ----------------------------------------------------------------------------

    def searcher(self) -> Any:
        """One Whoosh searcher kept open and refreshed when the index changed on disk."""
        if self._searcher is None:
            self._searcher = self._ix.searcher()
        elif not self._searcher.up_to_date():
            self._searcher = self._searcher.refresh()
            self._columns = {}
        return self._searcher

    def column(self, name: str) -> list[str]:
        """Values of a sortable field for every document number of the current searcher.

        Read segment by segment (Whoosh's multi-segment column reader fails when a segment
        lacks the column) and cached until the index changes.
        """
        searcher = self.searcher()
        if name not in self._columns:
            values: list[str] = []
            for reader, _offset in searcher.reader().leaf_readers():
                count = reader.doc_count_all()
                if reader.has_column(name):
                    column = reader.column_reader(name)
                    values.extend(_text(column[n]) for n in range(count))
                else:
                    values.extend([""] * count)
            self._columns[name] = values
        return self._columns[name]

    def __len__(self) -> int:
        return int(self.searcher().doc_count())

    def get(self, doc_id: str) -> Document | None:
        stored = self.searcher().document(id=doc_id)
        return document_from_stored(stored) if stored else None

    def stats(self) -> Stats:
        reader = self.searcher().reader()
        live = list(reader.all_doc_ids())
        facets = {name: count_values(self.column(name), live) for name in FACETS}
        return Stats(documents=reader.doc_count(), facets=facets)

    def fingerprints(self) -> dict[str, str]:
        """id -> fingerprint of every live document, read from columns (no stored text)."""
        ids, prints = self.column("id"), self.column("fingerprint")
        return {ids[n]: prints[n] for n in self.searcher().reader().all_doc_ids()}

    def search(self, query: str, **options: Any) -> SearchResult:
        from .search import search  # the search module is only needed when searching

        return search(self, query, **options)

    def highlight(self, text: str, query: str) -> str:
        """`text` HTML-escaped with the query's matches in <mark> (the first has id="first-match")."""
        from .search import highlight_document

        return highlight_document(text, query, self.searcher())

    # -- writing ----------------------------------------------------------------------------

    def add(
        self,
        documents: Iterable[Document],
        *,
        workers: int | None = None,
        on_document: Callable[[Document], None] | None = None,
        known: dict[str, str] | None = None,
    ) -> AddReport:
        """Add documents, replacing any with the same id; unchanged documents are skipped.

        `known` (id -> fingerprint, as from `fingerprints()`) may be passed by callers that add
        in several calls; it is kept up to date. Commits every COMMIT_EVERY documents and at the
        end, so an interruption loses at most that many.
        """
        report = AddReport()
        known = self.fingerprints() if known is None else known

        def changed() -> Iterator[Document]:
            for document in documents:
                if on_document is not None:
                    on_document(document)
                if known.get(document.id) == fingerprint(document):
                    report.unchanged += 1
                else:
                    yield document

        writer = None
        try:
            for document, values in _analyze_all(changed(), workers):
                if writer is None:
                    writer = self._writer()
                if document.id in known:
                    writer.update_document(**values)
                    report.replaced += 1
                else:
                    writer.add_document(**values)
                    report.added += 1
                known[document.id] = values["fingerprint"]
                if report.written % COMMIT_EVERY == 0:
                    writer.commit()
                    writer = None
            if writer is not None:
                writer.commit()
                writer = None
        finally:
            if writer is not None:
                writer.cancel()
        return report

    def delete(self, ids: Sequence[str]) -> int:
        """Delete documents by id; returns how many were there."""
        writer = self._writer()
        try:
            count = sum(writer.delete_by_term("id", doc_id) for doc_id in ids)
        except BaseException:
            writer.cancel()
            raise
        writer.commit()
        return int(count)

    def _writer(self) -> Any:
        try:
            return self._ix.writer(limitmb=defaults.WRITER_MEMORY_MB, timeout=defaults.LOCK_TIMEOUT_S)
        except LockError as error:
            raise IndexLockedError(
                f"another process is writing to the index at {self.path}",
                hint="wait for the other 'vnsearch index' to finish, then run this again",
            ) from error


def count_values(column: list[str], docnums: Iterable[int]) -> dict[str, int]:
    """value -> number of documents, most frequent first, empty values left out."""
    counts = Counter(column[n] for n in docnums)
    counts.pop("", None)
    return dict(sorted(counts.items(), key=lambda item: (-item[1], item[0])))


def _text(value: Any) -> str:
    return value.decode("utf-8") if isinstance(value, bytes) else str(value)


# -- parallel analysis ----------------------------------------------------------------------


def _analyze_all(documents: Iterable[Document], workers: int | None) -> Iterator[tuple[Document, dict[str, Any]]]:
    """(document, analysed values) in input order, over worker processes when there are cores.

    Batches keep memory bounded; the next batch is analysed while this one is written.
    """
    workers = defaults.analysis_workers() if workers is None else workers
    batches = _batched(documents, defaults.ANALYSIS_BATCH)
    if workers <= 1:
        for batch in batches:
            yield from zip(batch, map(analyze, batch), strict=True)
        return
    # fork: workers inherit the loaded modules; each loads the CRF model once, lazily.
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        previous: tuple[list[Document], Any] | None = None
        for batch in batches:
            current = (batch, pool.map_async(analyze, batch, chunksize=4))
            if previous is not None:
                yield from zip(previous[0], previous[1].get(), strict=True)
            previous = current
        if previous is not None:
            yield from zip(previous[0], previous[1].get(), strict=True)


def _batched(items: Iterable[Document], size: int) -> Iterator[list[Document]]:
    batch: list[Document] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch
