"""Durable commits: once a commit is visible, everything it names is on disk.

Whoosh publishes a commit by writing a new table of contents (TOC, `_MAIN_<generation>.toc`)
to a temporary file and renaming it, but never syncs anything: after a power loss or a kernel
crash the new TOC can survive while the segment files it names (or its own bytes) do not, and
the index no longer opens. Lucene and SQLite order their writes with fsync; so does this:

1. every file of the segments this commit adds is fsync'ed, then the index folder (so their
   names are on disk too);
2. the new TOC is written to a temporary file and fsync'ed;
3. it is renamed over its final name (atomic), and the folder fsync'ed (so the rename is).

Only then are the files of the replaced generation deleted. A process killed at any point
leaves the previous commit readable, as before; now a machine that stops does too.

Folders cannot be opened for fsync on Windows, where NTFS journals renames itself: there the
folder steps are skipped. `SYNC` counts calls and seconds, for the benchmarks.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterable
from typing import Any

SYNC = {"files": 0, "folders": 0, "seconds": 0.0}


def sync_file(path: str | os.PathLike[str]) -> None:
    """fsync a file that is already written (by this process or another one)."""
    # Windows flushes only a handle opened for writing (FlushFileBuffers)
    _sync(path, (os.O_RDWR if os.name == "nt" else os.O_RDONLY) | getattr(os, "O_BINARY", 0), "files")


def sync_folder(path: str | os.PathLike[str]) -> None:
    """fsync a folder, making the names created, renamed or removed in it durable."""
    if os.name != "nt":  # Windows has no handle on a folder to flush; NTFS journals its names
        _sync(path, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0), "folders")


def _sync(path: str | os.PathLike[str], flags: int, counter: str) -> None:
    started = time.perf_counter()
    fd = os.open(path, flags)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
    SYNC[counter] += 1
    SYNC["seconds"] += time.perf_counter() - started


def sync_segments(folder: str, segment_ids: Iterable[str]) -> None:
    """Step 1: the files of these segments (MAIN_<id>.*), then the folder."""
    prefixes = tuple(f"{segment_id}." for segment_id in segment_ids)
    if prefixes:
        for name in sorted(os.listdir(folder)):
            if name.startswith(prefixes):
                sync_file(os.path.join(folder, name))
    sync_folder(folder)


def write_toc(storage: Any, toc: Any, indexname: str) -> None:
    """Steps 2 and 3: Whoosh's own TOC.write, through a storage that syncs the temporary
    file before it is renamed, and the folder after."""
    toc.write(_SyncingTocStorage(storage), indexname)


class _SyncingTocStorage:
    """What TOC.write uses of a storage (create_file, rename_file), made durable."""

    def __init__(self, storage: Any) -> None:
        self._storage = storage

    def create_file(self, name: str) -> Any:
        return self._storage.create_file(name, onclose=_sync_before_close)

    def rename_file(self, oldname: str, newname: str, safe: bool = False) -> None:
        folder = self._storage.folder
        os.replace(os.path.join(folder, oldname), os.path.join(folder, newname))
        sync_folder(folder)


def _sync_before_close(structfile: Any) -> None:
    # StructFile calls onclose before closing the file object: flush Python's buffer, then
    # the kernel's.
    started = time.perf_counter()
    structfile.file.flush()
    os.fsync(structfile.file.fileno())
    SYNC["files"] += 1
    SYNC["seconds"] += time.perf_counter() - started
