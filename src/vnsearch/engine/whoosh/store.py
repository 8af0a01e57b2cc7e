"""The embedded engine: a Whoosh index in one folder.

Crash safety comes from Whoosh's commit protocol: new segments become visible only when the
table of contents is rewritten at commit, so an interrupted run leaves the last committed index
intact; vnsearch's writer makes each commit durable as well (`durable.py`: files synced before
the new table of contents is renamed into place). Long runs commit every `COMMIT_EVERY`
documents so little work is lost.
"""

from __future__ import annotations

import itertools
import json
import os
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from whoosh import index as whoosh_index
from whoosh.index import LockError

from ... import defaults
from ...analysis import analyze_document
from ...documents import Document
from ...errors import IndexCorruptError, IndexExistsError, IndexLockedError, IndexNotFoundError, IndexVersionError
from . import durable
from .mapped import MappedFileStorage
from .postings import WhooshSnapshot, reads_index
from .schema import FORMAT_VERSION, build_schema, whoosh_values

# The writing side (writer, codec, process) is imported when something is written: commands
# that only read (search, show, an unchanged re-run) start 15-20 ms sooner.

FORMAT_FILE = "vnsearch-format.json"
# Documents per commit of a long run. A parallel commit publishes one segment per worker, and
# every segment repeats the terms it shares with the others (news-politics' 4,168 documents in
# two segments: 110 MB; in one: 90 MB; at 4,000 a commit, in four: 118 MB), so fewer, larger
# commits make a smaller index; a run killed meanwhile redoes at most this many documents. A
# worker writing 8,000 news articles peaks at 0.7 GB.
COMMIT_EVERY = 20000
VANISHED_RETRIES = 5  # opens tried when a concurrent commit deletes a file being opened
PARALLEL_FROM = 200  # fewer changed documents than this are written in this process
SMALL_SEGMENT_DOCS = 1000  # segments below this are merged at commits; bigger ones are left
# compound=False: Whoosh reads a compound segment file through an in-memory copy of each part
# (BytesIO over the mmap), so every searcher held a copy of every term table: 2.5 GB for
# news-all. Plain segment files are read from disk as needed.
WRITER_OPTIONS = {"limitmb": defaults.WRITER_MEMORY_MB, "compound": False}

OnAdded = Callable[[bool], None]


class WhooshEngine:
    """The engine boundary (`engine.base.Engine`) over a Whoosh index folder."""

    format_version = FORMAT_VERSION

    def __init__(self, path: Path, whoosh_ix: Any) -> None:
        self.path = path
        self._ix = whoosh_ix
        self._searcher: Any = None
        self._snapshot: WhooshSnapshot | None = None

    # -- lifecycle --------------------------------------------------------------------------

    @staticmethod
    def exists(path: Path) -> bool:
        return bool(whoosh_index.exists_in(str(path)))

    @classmethod
    def create(cls, path: Path) -> WhooshEngine:
        if cls.exists(path):
            raise IndexExistsError("index.exists", path=path)
        # The format file first (atomically), then Whoosh's empty index: a run killed between
        # the two leaves a format file alone, and creating again simply completes the job.
        path.mkdir(parents=True, exist_ok=True)
        temporary = path / (FORMAT_FILE + ".tmp")
        temporary.write_text(json.dumps({"format": FORMAT_VERSION}) + "\n", encoding="utf-8")
        durable.sync_file(temporary)
        os.replace(temporary, path / FORMAT_FILE)
        whoosh_ix = whoosh_index.create_in(str(path), build_schema())
        # Whoosh writes the empty index's TOC without syncing: sync it, the folder, and the
        # folder that holds it (the index folder may be new).
        for toc in path.glob("_*.toc"):
            durable.sync_file(toc)
        durable.sync_folder(path)
        durable.sync_folder(path.resolve().parent)
        return cls(path, whoosh_ix)

    @classmethod
    def open(cls, path: Path) -> WhooshEngine:
        """Open an existing index; refuse one written by another format version."""
        format_file = path / FORMAT_FILE
        if not format_file.exists():
            if path.exists() and cls.exists(path):
                raise IndexVersionError("index.foreign", path=path, file=FORMAT_FILE)
            raise IndexNotFoundError("index.not_found", path=path)
        try:
            version = json.loads(format_file.read_text(encoding="utf-8"))["format"]
        except (ValueError, KeyError, TypeError) as error:
            raise IndexCorruptError("index.format_damaged", file=format_file, error=error) from error
        if version != FORMAT_VERSION:
            raise IndexVersionError("index.version", path=path, found=version, expected=FORMAT_VERSION)
        try:
            whoosh_ix = _while_files_vanish(lambda: MappedFileStorage(str(path)).open_index())  # whoosh's open_dir, mapped
        except whoosh_index.EmptyIndexError as error:
            raise IndexCorruptError("index.no_data", path=path) from error
        except Exception as error:  # Whoosh raises many types on damaged files
            raise IndexCorruptError("index.unreadable", path=path, error=error) from error
        return cls(path, whoosh_ix)

    def generation(self) -> int:
        return int(self._ix.latest_generation())

    def close(self) -> None:
        if self._searcher is not None:
            self._searcher.close()
            self._searcher = None
        self._snapshot = None
        self._ix.close()

    # -- reading ----------------------------------------------------------------------------

    @reads_index
    def snapshot(self) -> WhooshSnapshot:
        """The latest commit, through one searcher kept open and refreshed when the index
        changed on disk. Callers take one snapshot per operation: a refresh in the middle of a
        search would mix document numbers of two versions of the index."""
        if self._searcher is None:
            self._searcher = _while_files_vanish(self._ix.searcher)
        elif not self._searcher.up_to_date():
            self._searcher = _while_files_vanish(self._searcher.refresh)
        if self._snapshot is None or self._snapshot.searcher is not self._searcher:
            self._snapshot = WhooshSnapshot(self._searcher, self.path)
        return self._snapshot

    def get(self, doc_id: str) -> Document | None:
        return self.snapshot().find(doc_id)

    def fingerprints(self) -> dict[str, str]:
        snapshot = self.snapshot()
        ids, prints = snapshot.column("id"), snapshot.column("fingerprint")
        return {ids[n]: prints[n] for n in map(int, snapshot.live.nonzero()[0])}

    def segment_sizes(self) -> list[int]:
        """Documents per segment (deleted ones included), for tests of the merge policy."""
        return sorted(reader.doc_count_all() for reader, _ in self.snapshot().leaves)

    # -- writing ----------------------------------------------------------------------------

    def write(self, documents: Iterable[tuple[Document, str]], known: dict[str, str], *, workers: int,
              on_added: OnAdded) -> None:
        stream = iter(documents)
        head = list(itertools.islice(stream, PARALLEL_FROM))
        rest = itertools.chain(head, stream)
        if workers > 1 and len(head) == PARALLEL_FROM:
            self._write_parallel(rest, workers, known, on_added)
        else:
            self._write_serial(rest, known, on_added)

    def _write_serial(self, documents: Iterable[tuple[Document, str]], known: dict[str, str],
                      on_added: OnAdded) -> None:
        from . import process
        from .writer import IdDeleter

        process.tune_allocator()
        writer = deleter = None
        in_writer: set[str] = set()
        written = 0
        try:
            for document, stamp in documents:
                values = whoosh_values(analyze_document(document, stamp))
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
                replaces = document.id in known
                if replaces:
                    assert deleter is not None
                    deleter.delete(document.id)
                writer.add_document(**values)
                known[document.id] = stamp
                on_added(replaces)
                written += 1
                if written % COMMIT_EVERY == 0:
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

    def _write_parallel(self, documents: Iterable[tuple[Document, str]], workers: int, known: dict[str, str],
                        on_added: OnAdded) -> None:
        from ...segment import load_model
        from . import process
        from .bulk import ParallelWriter

        if process.start_method() == "fork":
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
                        writer = ParallelWriter(self._ix, self._writer, workers, WRITER_OPTIONS)
                    in_round.add(document.id)
                    replaces = document.id in known
                    writer.add(document, stamp, replaces=replaces)
                    known[document.id] = stamp
                    on_added(replaces)
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

    def delete(self, ids: Iterable[str]) -> int:
        from .writer import IdDeleter

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
            from .writer import Writer

            return Writer(self._ix, timeout=defaults.LOCK_TIMEOUT_S, **WRITER_OPTIONS)
        except LockError as error:
            raise IndexLockedError("index.locked", hint="hint.wait_for_indexer", path=self.path) from error


def _while_files_vanish(open_: Callable[[], Any]) -> Any:
    """Open through Whoosh, again if a file vanished meanwhile. Whoosh lists the folder to find
    the latest table of contents, then reads it and its segments' files: a commit landing in
    between deletes what it replaced, and the open fails with FileNotFoundError although the
    index is whole. A file that stays missing is a damaged index: the last error is raised."""
    for attempt in range(VANISHED_RETRIES - 1):
        try:
            return open_()
        except FileNotFoundError:
            time.sleep(0.02 * (attempt + 1))
    return open_()


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
