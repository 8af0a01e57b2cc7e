"""A dictionary with string keys stored as one file, read back without building it again.

The spelling tables (about 60,000 syllables and 150,000 words on news-all, their spellings and
pairs) took half a second to unpickle: every key and value becomes a Python object before the
first query can look anything up, though a query looks up a few dozen. Here the keys are kept
sorted in one block of bytes and found by binary search; a value is decoded when asked for, and
remembered. Opening the file maps it into memory: microseconds, whatever its size.

Layout (little-endian): MAGIC, the kind of values (0: integers, 1: pickles), the number of keys
n, n + 1 key offsets, the UTF-8 keys in byte order; then n integers, or n + 1 value offsets
and the pickled values.
"""

from __future__ import annotations

import bisect
import mmap
import pickle
import struct
from collections.abc import ItemsView, Iterator, Mapping
from typing import Any

import numpy as np

MAGIC = b"VNLOOKUP1"
_HEADER = struct.Struct("<BQ")
_INTEGERS, _PICKLES = 0, 1


def is_lookup_table(value: Any) -> bool:
    """Whether `value` is stored as a lookup table: a dict with string keys only."""
    return type(value) is dict and all(type(key) is str for key in value)


def encode(table: dict[str, Any]) -> bytes:
    keys = sorted(key.encode("utf-8") for key in table)
    values = [table[key.decode("utf-8")] for key in keys]
    integers = all(type(value) is int and -(1 << 63) <= value < (1 << 63) for value in values)
    parts = [MAGIC, _HEADER.pack(_INTEGERS if integers else _PICKLES, len(keys)), _offsets(keys), b"".join(keys)]
    if integers:
        parts.append(np.array(values, dtype="<i8").tobytes())
    else:
        pickled = [pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL) for value in values]
        parts += [_offsets(pickled), b"".join(pickled)]
    return b"".join(parts)


def _offsets(items: list[bytes]) -> bytes:
    return np.concatenate(([0], np.cumsum([len(item) for item in items], dtype="<i8"))).astype("<i8").tobytes()


class LookupTable(Mapping[str, Any]):
    """A read-only mapping over `encode`'s bytes (or a memory map of them); looked-up values
    are kept."""

    def __init__(self, data: bytes | mmap.mmap) -> None:
        if data[: len(MAGIC)] != MAGIC:
            raise ValueError("not a lookup table")
        kind, count = _HEADER.unpack_from(data, len(MAGIC))
        at = len(MAGIC) + _HEADER.size
        self._data = data
        self._count = count
        # Views into `data`, nothing decoded: opening costs the same for any size.
        self._key_offsets = np.frombuffer(data, dtype="<i8", count=count + 1, offset=at)
        at += 8 * (count + 1)
        self._keys_at = at
        at += int(self._key_offsets[-1])
        if kind == _INTEGERS:
            self._integers: np.ndarray | None = np.frombuffer(data, dtype="<i8", count=count, offset=at)
        else:
            self._integers = None
            self._value_offsets = np.frombuffer(data, dtype="<i8", count=count + 1, offset=at)
            self._values_at = at + 8 * (count + 1)
        end = at + 8 * count if kind == _INTEGERS else self._values_at + int(self._value_offsets[-1])
        if end != len(data):
            raise ValueError("a lookup table of the wrong length")  # cut short, or not one
        self._found: dict[str, Any] = {}

    def _key(self, index: int) -> bytes:
        start, end = self._key_offsets[index : index + 2].tolist()
        return self._data[self._keys_at + start : self._keys_at + end]

    def _value(self, index: int) -> Any:
        if self._integers is not None:
            return int(self._integers[index])
        start, end = self._value_offsets[index : index + 2].tolist()
        return pickle.loads(self._data[self._values_at + start : self._values_at + end])

    def __getitem__(self, key: str) -> Any:
        if key in self._found:
            return self._found[key]
        if not isinstance(key, str):
            raise KeyError(key)
        wanted = key.encode("utf-8", "surrogatepass")
        index = bisect.bisect_left(_Keys(self), wanted)
        if index == self._count or self._key(index) != wanted:
            raise KeyError(key)
        value = self._found[key] = self._value(index)
        return value

    def __contains__(self, key: object) -> bool:
        try:
            self[key]  # type: ignore[index]
        except KeyError:
            return False
        return True

    def __iter__(self) -> Iterator[str]:
        return iter(self._keys())

    def items(self) -> ItemsView[str, Any]:
        """Every entry, decoded in one pass (Mapping's own items() would search for each key)."""
        if self._integers is not None:
            values: list[Any] = self._integers.tolist()
        else:
            ends = self._value_offsets.tolist()
            at = self._values_at
            values = [pickle.loads(self._data[at + a : at + b]) for a, b in zip(ends, ends[1:], strict=False)]
        return dict(zip(self._keys(), values, strict=True)).items()

    def _keys(self) -> list[str]:
        ends, at = self._key_offsets.tolist(), self._keys_at
        return [self._data[at + a : at + b].decode("utf-8") for a, b in zip(ends, ends[1:], strict=False)]

    def __len__(self) -> int:
        return self._count


class _Keys:
    """The table's sorted keys as a sequence, for `bisect`."""

    def __init__(self, table: LookupTable) -> None:
        self._table = table

    def __len__(self) -> int:
        return self._table._count

    def __getitem__(self, index: int) -> bytes:
        return self._table._key(index)
