"""Segment files read through memory maps: a read is a copy from the page cache, not a system call.

Whoosh opens every file as a buffered Python file: each term look-up (several small reads in the
term table's hash file), posting block header and block is a seek and a read, and a seek
empties the buffer. A first query on a large index makes tens of thousands of them (a fifth
of its time on news-all). Segment files never change once written, so the postings, term and
column files are mapped instead (`MappedFileStorage`); everything else, and every file written,
goes through Whoosh's FileStorage as before. A file that cannot be mapped (empty, or a
platform without mmap) is opened as Whoosh opens it.
"""

from __future__ import annotations

import mmap
from typing import Any

from whoosh.filedb.filestore import FileStorage
from whoosh.filedb.structfile import StructFile

MAPPED_SUFFIXES = (".pst", ".trm", ".col")  # postings, term tables, per-document columns


class MappedFile(StructFile):  # type: ignore[misc]
    """A read-only StructFile over a memory map (which has the file methods StructFile calls)."""

    is_closed: bool

    def __init__(self, mapped: mmap.mmap, name: str) -> None:
        super().__init__(mapped, name=name)

    def get(self, position: int, length: int) -> bytes:
        return self.file[position : position + length]  # type: ignore[no-any-return]

    def close(self) -> None:
        if not self.is_closed:
            self.file.close()
            self.is_closed = True


class MappedFileStorage(FileStorage):  # type: ignore[misc]
    """Whoosh's FileStorage, with segment files opened for reading as memory maps."""

    def open_file(self, name: str, **kwargs: Any) -> StructFile:
        if kwargs or not name.endswith(MAPPED_SUFFIXES):
            return super().open_file(name, **kwargs)
        with open(self._fpath(name), "rb") as handle:
            try:
                mapped = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
            except (ValueError, OSError):  # an empty file cannot be mapped
                return super().open_file(name)
        return MappedFile(mapped, name)
