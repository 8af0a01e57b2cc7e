"""Ragged byte rows in numpy: many short byte strings as one flat buffer and their lengths.

The bulk segment writer (`codec.py`) builds Whoosh's posting blocks for a whole segment at
once: every posting's pickled id, weight and value is a short byte string, every block the
concatenation of some of them. Building millions of Python bytes objects and joining them costs
about a microsecond each; here rows are concatenated, regrouped and gathered with a handful of
numpy operations over all rows at once.
"""

from __future__ import annotations

import numpy as np

EMPTY = np.zeros(0, dtype=np.uint8)


def offsets(lengths: np.ndarray) -> np.ndarray:
    """Where each row starts, plus the total: cumulative sum with a leading 0 (int64)."""
    out = np.zeros(len(lengths) + 1, dtype=np.int64)
    np.cumsum(lengths, out=out[1:])
    return out


class Ragged:
    """Rows of bytes: row i is data[starts[i]:starts[i + 1]]."""

    __slots__ = ("data", "lengths", "_starts")

    def __init__(self, data: np.ndarray, lengths: np.ndarray) -> None:
        self.data = data
        self.lengths = lengths.astype(np.int64, copy=False)
        self._starts: np.ndarray | None = None

    def __len__(self) -> int:
        return len(self.lengths)

    @property
    def starts(self) -> np.ndarray:
        if self._starts is None:
            self._starts = offsets(self.lengths)
        return self._starts

    def row(self, i: int) -> bytes:
        return self.data[self.starts[i]:self.starts[i + 1]].tobytes()

    @classmethod
    def from_matrix(cls, matrix: np.ndarray, lengths: np.ndarray) -> Ragged:
        """Row i is the first lengths[i] bytes of matrix[i]."""
        if matrix.shape[1] == 0 or len(matrix) == 0:
            return cls(EMPTY, np.zeros(len(matrix), dtype=np.int64))
        keep = np.arange(matrix.shape[1]) < lengths[:, None]
        return cls(matrix[keep], lengths)

    @classmethod
    def constant(cls, value: bytes, rows: int, where: np.ndarray | None = None) -> Ragged:
        """`value` in every row, or only in the rows where `where` is true (empty elsewhere)."""
        piece = np.frombuffer(value, dtype=np.uint8)
        if where is None:
            return cls(np.tile(piece, rows), np.full(rows, len(piece), dtype=np.int64))
        count = int(np.count_nonzero(where))
        return cls(np.tile(piece, count), np.where(where, len(piece), 0))

    @classmethod
    def from_bytes_list(cls, values: list[bytes]) -> Ragged:
        lengths = np.fromiter(map(len, values), dtype=np.int64, count=len(values))
        return cls(np.frombuffer(b"".join(values), dtype=np.uint8), lengths)

    def take(self, index: np.ndarray) -> Ragged:
        """The rows at `index`, in that order."""
        lengths = self.lengths[index]
        return Ragged(self.data[_spans(self.starts[index], lengths)], lengths)

    def slice(self, a: int, b: int) -> Ragged:
        """Rows a..b-1."""
        starts = self.starts
        return Ragged(self.data[starts[a]:starts[b]], self.lengths[a:b])

    def keep(self, mask: np.ndarray) -> Ragged:
        """The same rows, emptied where `mask` is false."""
        per_byte = np.repeat(mask, self.lengths)
        return Ragged(self.data[per_byte], np.where(mask, self.lengths, 0))

    def group(self, starts: np.ndarray) -> Ragged:
        """Consecutive rows joined: new row j is old rows starts[j]..starts[j + 1]-1 (the last
        group runs to the end). Every group must hold at least one row."""
        if len(starts) == 0:
            return Ragged(self.data, np.zeros(0, dtype=np.int64))
        return Ragged(self.data, np.add.reduceat(self.lengths, starts))


def _spans(starts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """Indices of every byte of the spans [start, start + length), span after span."""
    total = int(lengths.sum())
    if total == 0:
        return np.zeros(0, dtype=np.int64)
    shift = starts - offsets(lengths)[:-1]
    return np.repeat(shift, lengths) + np.arange(total, dtype=np.int64)


def concat(*parts: Ragged) -> Ragged:
    """Row i of the result is row i of each part, one after the other."""
    lengths = np.zeros(len(parts[0]), dtype=np.int64)
    for part in parts:
        lengths += part.lengths
    starts = offsets(lengths)
    out = np.empty(int(starts[-1]), dtype=np.uint8)
    position = starts[:-1].copy()
    for part in parts:
        if len(part.data):
            out[_spans(position, part.lengths)] = part.data
        position += part.lengths
    return Ragged(out, lengths)


# -- pickle opcodes -------------------------------------------------------------------------
# Whoosh unpickles posting blocks with pickle.loads, which accepts any opcodes in any order that
# builds the same objects: these are the shortest forms (no PROTO, no memo).

MARK, TUPLE, EMPTY_TUPLE, STOP, NONE = b"(", b"t", b")", b".", b"N"
TUPLE_N = {1: b"\x85", 2: b"\x86", 3: b"\x87"}


def pickled_ints(values: np.ndarray) -> Ragged:
    """Each value (0 <= v < 2**31) as pickle's BININT1 / BININT2 / BININT."""
    values = values.astype(np.int64, copy=False)
    if len(values) and (values.min() < 0 or values.max() >= 2**31):
        raise ValueError("pickled_ints: value out of range")
    matrix = np.empty((len(values), 5), dtype=np.uint8)
    small, medium = values < 0x100, values < 0x10000
    matrix[:, 0] = np.where(small, ord("K"), np.where(medium, ord("M"), ord("J")))
    matrix[:, 1:] = values.astype("<u4").view(np.uint8).reshape(-1, 4)
    return Ragged.from_matrix(matrix, np.where(small, 2, np.where(medium, 3, 5)))


def pickled_floats(values: np.ndarray) -> Ragged:
    """Each value as pickle's BINFLOAT (a big-endian double)."""
    matrix = np.empty((len(values), 9), dtype=np.uint8)
    matrix[:, 0] = ord("G")
    matrix[:, 1:] = values.astype(">f8").view(np.uint8).reshape(-1, 8)
    return Ragged(matrix.reshape(-1), np.full(len(values), 9, dtype=np.int64))


def pickled_bytes(rows: Ragged) -> Ragged:
    """Each row as a pickled bytes object (SHORT_BINBYTES, or BINBYTES from 256 bytes)."""
    lengths = rows.lengths
    short = lengths < 0x100
    header = np.empty((len(rows), 5), dtype=np.uint8)
    header[:, 0] = np.where(short, ord("C"), ord("B"))
    header[:, 1:] = lengths.astype("<u4").view(np.uint8).reshape(-1, 4)
    return concat(Ragged.from_matrix(header, np.where(short, 2, 5)), rows)


def tuples(items: Ragged, group_starts: np.ndarray) -> Ragged:
    """Pickled tuples: group j holds items group_starts[j].. up to the next group (each group
    at least one item). Rows of the result are the groups."""
    count = len(items)
    sizes = np.diff(np.append(group_starts, count))
    first = np.zeros(count, dtype=bool)
    first[group_starts] = True
    last = np.zeros(count, dtype=bool)
    last[group_starts + sizes - 1] = True
    size_of_item = np.repeat(sizes, sizes)
    opener = Ragged.constant(MARK, count, first & (size_of_item > 3))
    closer_byte = np.full(count, ord("t"), dtype=np.uint8)
    for n, code in TUPLE_N.items():
        closer_byte[size_of_item == n] = code[0]
    closer = Ragged(closer_byte[last], last.astype(np.int64))
    return concat(opener, items, closer).group(group_starts)
