"""The on-disk index: create, open, add or replace documents by id, read them back, count facets.

Crash safety comes from Whoosh's commit protocol: new segments become visible only when the
table of contents is rewritten at commit, so an interrupted run leaves the last committed
index intact. Long runs commit every `COMMIT_EVERY` documents so little work is lost.
"""

from __future__ import annotations

import functools
import itertools
import json
import os
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from whoosh import index as whoosh_index
from whoosh.index import LockError

from . import defaults
from .documents import Document, normalized
from .errors import IndexCorruptError, IndexLockedError, IndexNotFoundError, IndexVersionError, VnsearchError
from .schema import FACETS, FORMAT_VERSION, analyze, build_schema, document_from_stored, fingerprint
from .writer import Writer

if TYPE_CHECKING:
    from .scoring import Postings
    from .search import SearchResult

FORMAT_FILE = "vnsearch-format.json"
_F = TypeVar("_F", bound=Callable[..., Any])
COMMIT_EVERY = 4000
PARALLEL_FROM = 200  # fewer changed documents than this are written in this process
SMALL_SEGMENT_DOCS = 1000  # segments below this are merged at commits; bigger ones are left
# compound=False: Whoosh reads a compound segment file through an in-memory copy of each part
# (BytesIO over the mmap), so every searcher held a copy of every term table: 2.5 GB for
# news-all. Plain segment files are read from disk as needed.
_WRITER_OPTIONS = {"limitmb": defaults.WRITER_MEMORY_MB, "compound": False}


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


def _reads_index(method: _F) -> _F:
    """Reading a damaged index fails deep inside Whoosh with whatever the damaged bytes cause
    (EOFError, struct.error, zlib.error, UnpicklingError, a bare Exception, a missing segment
    file...): report all of them as IndexCorruptError, with the rebuild hint."""

    @functools.wraps(method)
    def wrapper(self: Index, *args: Any, **kwargs: Any) -> Any:
        try:
            return method(self, *args, **kwargs)
        except VnsearchError:
            raise
        except Exception as error:
            raise IndexCorruptError(
                "index.damaged", path=self.path, error=f"{type(error).__name__}: {error}"
            ) from error

    return wrapper  # type: ignore[return-value]


class Index:
    """A vnsearch index on disk. Use `Index.create` or `Index.open`, ideally as a context manager."""

    def __init__(self, path: Path, whoosh_ix: Any) -> None:
        self.path = path
        self._ix = whoosh_ix
        self._searcher: Any = None
        self._columns: dict[str, list[str]] = {}
        self._postings: Any = None

    # -- lifecycle --------------------------------------------------------------------------

    @classmethod
    def create(cls, path: str | os.PathLike[str], *, exist_ok: bool = False) -> Index:
        """Create an empty index at `path` (or open it when `exist_ok` and one is there)."""
        path = Path(path)
        if whoosh_index.exists_in(str(path)):
            if exist_ok:
                return cls.open(path)
            raise VnsearchError("index.exists", path=path)
        # The format file first (atomically), then Whoosh's empty index: a run killed between
        # the two leaves a format file alone, and creating again simply completes the job.
        path.mkdir(parents=True, exist_ok=True)
        temporary = path / (FORMAT_FILE + ".tmp")
        temporary.write_text(json.dumps({"format": FORMAT_VERSION}) + "\n", encoding="utf-8")
        os.replace(temporary, path / FORMAT_FILE)
        whoosh_ix = whoosh_index.create_in(str(path), build_schema())
        return cls(path, whoosh_ix)

    @classmethod
    def open(cls, path: str | os.PathLike[str]) -> Index:
        """Open an existing index; refuse one written by another format version."""
        path = Path(path)
        format_file = path / FORMAT_FILE
        if not format_file.exists():
            if path.exists() and whoosh_index.exists_in(str(path)):
                raise IndexVersionError("index.foreign", path=path, file=FORMAT_FILE)
            raise IndexNotFoundError("index.not_found", path=path)
        try:
            version = json.loads(format_file.read_text(encoding="utf-8"))["format"]
        except (ValueError, KeyError, TypeError) as error:
            raise IndexCorruptError("index.format_damaged", file=format_file, error=error) from error
        if version != FORMAT_VERSION:
            raise IndexVersionError("index.version", path=path, found=version, expected=FORMAT_VERSION)
        try:
            whoosh_ix = whoosh_index.open_dir(str(path))
        except whoosh_index.EmptyIndexError as error:
            raise IndexCorruptError("index.no_data", path=path) from error
        except Exception as error:  # Whoosh raises many types on damaged files
            raise IndexCorruptError("index.unreadable", path=path, error=error) from error
        return cls(path, whoosh_ix)

    def warm(self) -> None:
        """Load now what the first searches would otherwise load: the searcher, the facet and id
        columns, and the spelling table for queries typed without diacritics (about 2 s on a
        35,000-document index). For servers, before they take requests."""
        postings = self.postings()
        for name in (*FACETS, "id", "date"):
            self.column(name)
        postings.restorer()

    def generation(self) -> int:
        """The number of the index's latest commit: it changes whenever anything is written."""
        return int(self._ix.latest_generation())

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

    @_reads_index
    def searcher(self) -> Any:
        """One Whoosh searcher kept open and refreshed when the index changed on disk."""
        if self._searcher is None:
            self._searcher = self._ix.searcher()
        elif not self._searcher.up_to_date():
            self._searcher = self._searcher.refresh()
            self._columns = {}
        return self._searcher

    def _current(self) -> Any:
        """The searcher of the operation under way. Only `searcher()`, called once at the start of
        an operation, refreshes: a refresh in the middle of a search (a commit landing) would mix
        document numbers of two versions of the index (KeyError, wrong ids)."""
        return self._searcher if self._searcher is not None else self.searcher()

    @_reads_index
    def postings(self) -> Postings:
        """Decoded postings and statistics for vectorised search, tied to the current searcher."""
        from .scoring import Postings

        searcher = self._current()
        if self._postings is None or self._postings.searcher is not searcher:
            self._postings = Postings(searcher)
        return self._postings

    def column(self, name: str) -> list[str]:
        """Values of a sortable field for every document number of the current searcher.

        Read segment by segment (Whoosh's multi-segment column reader fails when a segment
        lacks the column) and cached until the index changes.
        """
        searcher = self._current()
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

    @_reads_index
    def __len__(self) -> int:
        return int(self.searcher().doc_count())

    @_reads_index
    def get(self, doc_id: str) -> Document | None:
        stored = self.searcher().document(id=doc_id)
        return document_from_stored(stored) if stored else None

    @_reads_index
    def stats(self) -> Stats:
        reader = self.searcher().reader()
        live = list(reader.all_doc_ids())
        facets = {name: count_values(self.column(name), live) for name in FACETS}
        return Stats(documents=reader.doc_count(), facets=facets)

    @_reads_index
    def fingerprints(self) -> dict[str, str]:
        """id -> fingerprint of every live document, read from columns (no stored text)."""
        live = self.searcher().reader().all_doc_ids()  # refresh first, then columns of the same version
        ids, prints = self.column("id"), self.column("fingerprint")
        return {ids[n]: prints[n] for n in live}

    @_reads_index
    def search(self, query: str, **options: Any) -> SearchResult:
        from .search import search  # the search module is only needed when searching

        # Lone surrogates (undecodable command-line bytes) cannot be looked up or printed as
        # UTF-8: they become U+FFFD, as a decoder would have made them.
        query, options = _no_surrogates(query), {k: _no_surrogates(v) for k, v in options.items()}
        return search(self, query, **options)

    @_reads_index
    def highlight(self, text: str, query: str) -> str:
        """`text` HTML-escaped with the query's matches in <mark> (the first has id="first-match")."""
        from .search import highlight_document

        return highlight_document(text, query)

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
        in several calls; it is kept up to date. Large batches are analysed and written by
        `workers` processes (default: one per core). Commits every COMMIT_EVERY documents and
        at the end, so an interruption loses at most that many.
        """
        report = AddReport()
        known = self.fingerprints() if known is None else known
        workers = defaults.analysis_workers() if workers is None else workers

        def changed() -> Iterator[tuple[Document, str]]:
            for document in documents:
                if on_document is not None:
                    on_document(document)
                document = normalized(document)  # a Document built by hand meets the index as read ones do
                stamp = fingerprint(document)  # computed once: for the comparison and for the index
                if known.get(document.id) == stamp:
                    report.unchanged += 1
                else:
                    yield document, stamp

        stream = changed()
        head = list(itertools.islice(stream, PARALLEL_FROM))
        rest = itertools.chain(head, stream)
        if workers > 1 and len(head) == PARALLEL_FROM:
            self._add_parallel(rest, workers, known, report)
        else:
            self._add_serial(rest, known, report)
        return report

    def _add_serial(self, documents: Iterable[tuple[Document, str]], known: dict[str, str],
                    report: AddReport) -> None:
        writer = deleter = None
        in_writer: set[str] = set()
        try:
            for document, stamp in documents:
                values = analyze(document, stamp)
                if writer is not None and deleter is not None and document.id in in_writer:
                    # The same id twice before a commit: Whoosh deletes only from committed
                    # segments, so the first copy must be published before it can be replaced.
                    deleter.close()
                    writer.commit(mergetype=merge_small_segments)
                    writer = None
                if writer is None:
                    writer = self._writer()
                    deleter = IdDeleter(writer)
                    in_writer = set()
                in_writer.add(document.id)
                if document.id in known:
                    assert deleter is not None
                    deleter.delete(document.id)
                    report.replaced += 1
                else:
                    report.added += 1
                writer.add_document(**values)
                known[document.id] = values["fingerprint"]
                if report.written % COMMIT_EVERY == 0:
                    assert deleter is not None
                    deleter.close()
                    writer.commit(mergetype=merge_small_segments)
                    writer = None
            if writer is not None and deleter is not None:
                deleter.close()
                writer.commit(mergetype=merge_small_segments)
                writer = None
        finally:
            if deleter is not None:
                deleter.close()
            if writer is not None:
                writer.cancel()

    def _add_parallel(self, documents: Iterable[tuple[Document, str]], workers: int, known: dict[str, str],
                      report: AddReport) -> None:
        from .bulk import ParallelWriter
        from .segment import load_model

        load_model()  # once, before forking: every worker inherits it
        stream = iter(documents)
        pending: tuple[Document, str] | None = None
        while True:
            writer: ParallelWriter | None = None
            in_round: set[str] = set()
            try:
                for document, stamp in itertools.chain([pending] if pending else [], stream):
                    pending = None
                    if document.id in in_round:  # the same id twice: publish the first one first
                        pending = (document, stamp)
                        break
                    if writer is None:
                        writer = ParallelWriter(self._ix, self._writer, workers, _WRITER_OPTIONS)
                    in_round.add(document.id)
                    replaces = document.id in known
                    writer.add(document, stamp, replaces=replaces)
                    if replaces:
                        report.replaced += 1
                    else:
                        report.added += 1
                    known[document.id] = stamp
                    if len(in_round) >= COMMIT_EVERY:
                        break
                if writer is None:
                    break
                writer.commit(mergetype=merge_small_segments)
                writer = None
            finally:
                if writer is not None:
                    writer.cancel()
            if pending is None and len(in_round) < COMMIT_EVERY:
                break

    def delete(self, ids: Sequence[str]) -> int:
        """Delete documents by id; returns how many were there."""
        writer = self._writer()
        deleter = IdDeleter(writer)
        try:
            count = sum(deleter.delete(doc_id) for doc_id in ids)
        except BaseException:
            deleter.close()
            writer.cancel()
            raise
        deleter.close()
        # Only mark them deleted: merging segments here would make deleting one document cost as
        # much as rewriting the index. Later merges drop them for good.
        writer.commit(merge=False)
        return int(count)

    def _writer(self) -> Any:
        try:
            return Writer(self._ix, timeout=defaults.LOCK_TIMEOUT_S, **_WRITER_OPTIONS)
        except LockError as error:
            raise IndexLockedError("index.locked", hint="hint.wait_for_indexer", path=self.path) from error


def _no_surrogates(value: Any) -> Any:
    return _SURROGATE_RE.sub("\ufffd", value) if isinstance(value, str) else value


_SURROGATE_RE = re.compile("[\ud800-\udfff]")


class IdDeleter:
    """Deletes documents by id through one searcher for a whole writer session.

    Whoosh's `delete_by_term` opens every segment anew on each call unless given a searcher:
    0.6 s and gigabytes of copied term tables a call on a 35,000-document index.
    """

    def __init__(self, writer: Any) -> None:
        self._writer = writer
        self._searcher: Any = None

    def delete(self, doc_id: str) -> int:
        if self._searcher is None:
            self._searcher = self._writer.searcher()
        return int(self._writer.delete_by_term("id", doc_id, searcher=self._searcher))

    def close(self) -> None:
        if self._searcher is not None:
            self._searcher.close()
            self._searcher = None


def merge_small_segments(writer: Any, segments: list[Any]) -> list[Any]:
    """vnsearch's merge policy: fold the small segments that incremental commits leave behind
    into the one being written; never touch the big segments of a bulk build.

    Whoosh's own MERGE_SMALL, given the dozen or so similar segments a parallel build leaves,
    may merge nearly all of them at any commit: adding or deleting one document would then cost
    minutes and gigabytes.
    """
    from whoosh.reading import SegmentReader

    small = [segment for segment in segments if segment.doc_count_all() < SMALL_SEGMENT_DOCS]
    if not small:
        return list(segments)
    for segment in small:
        reader = SegmentReader(writer.storage, writer.schema, segment)
        writer.add_reader(reader)
        reader.close()
    return [segment for segment in segments if segment not in small]


def count_values(column: list[str], docnums: Iterable[int]) -> dict[str, int]:
    """value -> number of documents, most frequent first, empty values left out."""
    counts = Counter(column[n] for n in docnums)
    counts.pop("", None)
    return dict(sorted(counts.items(), key=lambda item: (-item[1], item[0])))


def _text(value: Any) -> str:
    return value.decode("utf-8") if isinstance(value, bytes) else str(value)
