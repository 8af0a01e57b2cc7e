"""The indexes a resident searcher keeps open between commands.

An open `Index` already follows its folder's commits (its searcher refreshes when the table of
contents changes, keeping the warm readers of unchanged segments). What it cannot follow is the
folder itself being replaced or rebuilt in another format: an index is reused only while its
folder and format file are the ones it was opened on, and is opened afresh otherwise, which
also gives the fresh process's errors (not found, another version) when they apply.
"""

from __future__ import annotations

import os
from collections import OrderedDict
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path
from typing import Any

from .. import engine
from ..errors import VnsearchError
from ..index import Index

KEPT = 4  # indexes kept open at most (the least recently used is closed)


class Keeper:
    def __init__(self) -> None:
        self._open: OrderedDict[str, tuple[tuple[int, ...], Index]] = OrderedDict()

    def __call__(self, index_path: str) -> AbstractContextManager[Index]:
        """The index at `index_path`, open; the caller must not close it."""
        if engine.engine_url() is not None:  # a cluster: nothing local to keep
            return Index.open(index_path)
        key = os.path.realpath(index_path)
        identity = _identity(key)
        kept = self._open.pop(key, None)
        if kept is not None:
            if kept[0] == identity:
                self._open[key] = kept
                return nullcontext(kept[1])
            kept[1].close()
        if not identity:  # no index there: the error a fresh process gives, with the path as typed
            return Index.open(index_path)
        # By its real path: the searcher's working folder changes with every request.
        index = Index.open(key)
        # What the first searches would load one by one (facet columns, spelling tables), now:
        # a searcher is there to answer the searches after this one fast.
        index.warm()
        self._open[key] = (identity, index)
        while len(self._open) > KEPT:
            self._open.popitem(last=False)[1][1].close()
        return nullcontext(index)

    def release_gone(self) -> None:
        """Close the indexes whose folder was deleted or replaced since they were opened, so
        that their files' space is freed without waiting for a request naming them."""
        for key, (identity, index) in list(self._open.items()):
            if _identity(key) != identity:
                del self._open[key]
                index.close()

    def describe(self) -> list[dict[str, Any]]:
        return [{"path": path, "documents": _documents(index)} for path, (_, index) in self._open.items()]

    def close(self) -> None:
        while self._open:
            self._open.popitem()[1][1].close()


def _documents(index: Index) -> int | None:
    try:
        return len(index)
    except VnsearchError:  # deleted or damaged since: the next command that opens it will say so
        return None


def _identity(path: str) -> tuple[int, ...]:
    """The folder and its format file, as the file system knows them: a rebuilt or replaced
    index has another."""
    try:
        folder = os.stat(path)
        fmt = os.stat(Path(path) / engine.FORMAT_FILE)
    except OSError:
        return ()
    return (folder.st_dev, folder.st_ino, fmt.st_ino, fmt.st_mtime_ns)
