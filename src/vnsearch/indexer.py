"""Corpus files -> index: read every file, report bad records, add or replace the good ones."""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .documents import Document, Problem, Record, iter_paths, read_path
from .errors import VnsearchError
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
    not_modified: bool = False  # not read: unchanged since this index last took it in

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
        if self.not_modified:
            return f"{self.source}: not modified since last indexed ({self.indexed} documents); not read"
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
    on_progress: Callable[[int, int], None] | None = None,
    workers: int | None = None,
) -> list[FileSummary]:
    """Index every file under `paths`; returns one summary per file, in order.

    `on_progress(done, total)` is told the bytes read of all the files' bytes (as stored:
    compressed files by their compressed size), as each record is taken and as each file ends.

    Holds the index's write lock (`locking.write_lock`) for the whole run: raises
    IndexLockedError at once when another process is indexing into the same folder. A path
    that does not exist is an error (`check_paths`), raised before anything is read.
    """
    paths = list(paths)
    check_paths(paths)
    with write_lock(ix.path):
        known = ix.fingerprints()
        first_seen: dict[str, str] = {}  # id -> "file:line" where this run met it first
        manifest = Manifest.load(ix)
        summaries = []
        files = list(iter_paths(paths))
        sizes = [_size(path) for path, _ in files]
        total = sum(sizes)
        done = 0
        progress = on_progress or (lambda done, total: None)
        for (path, id_base), size in zip(files, sizes, strict=True):
            summary = manifest.unchanged_file(path)
            if summary is None:
                summary = FileSummary(str(path))

                def at(position: int, before: int = done, size: int = size) -> None:
                    progress(before + min(position, size), total)

                records = read_path(path, id_base, on_bytes=at)
                documents = _documents(records, summary, first_seen, on_problem)
                report = ix.add(documents, workers=workers, on_document=on_document, known=known)
                summary.added, summary.replaced, summary.unchanged = report.added, report.replaced, report.unchanged
                manifest.record(path, summary)
            done += size
            progress(done, total)
            summaries.append(summary)
        manifest.save(ix)
        return summaries


def check_paths(paths: Iterable[str | os.PathLike[str]]) -> None:
    """Raise VnsearchError naming every given path that does not exist (a typo must not pass
    for a skipped record)."""
    missing = [os.fspath(path) for path in paths if not os.path.exists(path)]
    if missing:
        shown = ", ".join(repr(path) for path in missing)
        raise VnsearchError("corpus.not_found", paths=shown)


class Manifest:
    """Corpus files as they were when this index last finished indexing them.

    A file whose size and modification time have not changed since is not read again: that is
    what makes re-running `vnsearch index` on a large unchanged corpus nearly free. The record
    is trusted only while the index is exactly as that run left it (same commit generation);
    any other change to the index (a deletion, a library add, a killed run) voids it, and every
    file is read and compared document by document again.
    """

    FILE = "vnsearch-files.json"

    def __init__(self, generation: int | None, files: dict[str, dict[str, Any]]) -> None:
        self.generation = generation
        self.files = files

    @classmethod
    def load(cls, ix: Index) -> Manifest:
        try:
            data = json.loads((ix.path / cls.FILE).read_text(encoding="utf-8"))
            if data.get("format") == ix.format_version and data.get("generation") == ix.generation():
                return cls(ix.generation(), dict(data["files"]))
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            pass  # no manifest, or an unreadable one: read every file
        return cls(None, {})

    def unchanged_file(self, path: Path) -> FileSummary | None:
        """The summary of a file not modified since it was indexed, or None."""
        entry = self.files.get(_key(path))
        if entry is None or entry.get("stamp") != _stamp(path):
            return None
        summary = FileSummary(str(path), unchanged=int(entry["indexed"]), skipped=int(entry["skipped"]))
        summary.not_modified = True
        return summary

    def record(self, path: Path, summary: FileSummary) -> None:
        stamp = _stamp(path)
        if stamp is not None:
            self.files[_key(path)] = {"stamp": stamp, "indexed": summary.indexed, "skipped": summary.skipped}

    def save(self, ix: Index) -> None:
        """Written last, atomically, with the generation the run ends on."""
        data = {"format": ix.format_version, "generation": ix.generation(), "files": self.files}
        temporary = ix.path / (self.FILE + ".tmp")
        temporary.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        os.replace(temporary, ix.path / self.FILE)


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _key(path: Path) -> str:
    return str(path.resolve())


def _stamp(path: Path) -> list[int] | None:
    try:
        info = path.stat()
    except OSError:
        return None
    return [info.st_size, info.st_mtime_ns]


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
