"""Derived tables kept beside the index, so that a fresh process does not rebuild them.

A table derived from the whole vocabulary (the usual spelling of every word, for queries typed
without diacritics) takes seconds to build on a large index: too long for the first query of a
`vnsearch search` call. It is written once to `cache/` in the index folder, under a key naming
the segments it was read from, and read back by the next process in milliseconds. A commit that
changes the segments changes the key; older files are removed when a new one is written. The
cache is an optimisation only: a folder that cannot be written, or a file that cannot be read,
means building the table again, never an error.

A dictionary with string keys (a vocabulary, a spelling table) is kept as a lookup table
(lookup.py: read back in microseconds, each value decoded when looked up); anything else
(arrays, lists) is pickled.
"""

from __future__ import annotations

import hashlib
import mmap
import os
import pickle
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TypeVar

from .lookup import LookupTable, encode, is_lookup_table

T = TypeVar("T")
FOLDER = "cache"
VERSION = 2  # bump when a cached table's shape changes (2: dictionaries as lookup tables)
SUFFIXES = (".table", ".pickle")  # lookup tables, pickles
RETIRED = ("spelling-tables",)  # names no longer written (now one table each): removed when others are


def segments_key(leaves: Iterable[tuple[Any, int]]) -> str | None:
    """A short key that changes whenever the set of segments read does (None for a reader
    without segments, e.g. an empty index: nothing worth keeping)."""
    ids = []
    for leaf, _offset in leaves:
        segment = leaf.segment() if hasattr(leaf, "segment") else None
        if segment is None:
            return None
        ids.append(segment.segment_id())
    joined = "\n".join(sorted(ids)) + f"\n{VERSION}"
    return hashlib.blake2b(joined.encode("utf-8"), digest_size=8).hexdigest()


def cached(index_path: Path, name: str, key: str | None, build: Callable[[], T]) -> T:
    """The table `name` for `key`: read from the cache, or built and written there. A dict
    with string keys comes back as a read-only Mapping (a LookupTable)."""
    if key is None:
        return build()
    folder = index_path / FOLDER
    for suffix in SUFFIXES:
        try:
            path = folder / f"{name}-{key}{suffix}"
            value: Any = LookupTable(_mapped(path)) if suffix == ".table" else pickle.loads(path.read_bytes())
            return value  # type: ignore[no-any-return]
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ValueError):
            pass
    value = build()
    table = encode(value) if is_lookup_table(value) else None
    if table is not None:
        value = LookupTable(table)  # the same read-only mapping as read back, from the first call
    path = folder / f"{name}-{key}{SUFFIXES[0] if table is not None else SUFFIXES[1]}"
    try:
        folder.mkdir(exist_ok=True)
        with tempfile.NamedTemporaryFile("wb", dir=folder, prefix=f".{name}-", delete=False) as temporary:
            if table is not None:
                temporary.write(table)
            else:
                pickle.dump(value, temporary, protocol=pickle.HIGHEST_PROTOCOL)
        try:
            os.replace(temporary.name, path)  # whole or not at all, for a reader in another process
        except OSError:
            Path(temporary.name).unlink(missing_ok=True)  # e.g. Windows, the old file mapped by a reader
            raise
        stale = [old for suffix in SUFFIXES for old in folder.glob(f"{name}-*{suffix}")]
        stale += [old for retired in RETIRED for old in folder.glob(f"{retired}-*")]
        for old in stale:
            if old != path:
                old.unlink(missing_ok=True)
    except OSError:
        pass  # a read-only index: build again next time
    return value


def _mapped(path: Path) -> mmap.mmap:
    """The file's bytes, memory-mapped: a query reads the pages of the keys it looks up, not
    the whole table (the spelling tables of news-all are 20 MB)."""
    with path.open("rb") as handle:
        return mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
