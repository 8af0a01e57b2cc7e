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
        """The same rows, emptied where `mask` is false (copied)."""
        per_byte = np.repeat(mask, self.lengths)
        return Ragged(self.data[per_byte], np.where(mask, self.lengths, 0))

    def only(self, mask: np.ndarray) -> Masked:
        """The same rows, empty where `mask` is false, for `concat` (not copied)."""
        return Masked(self, mask)

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


class Masked:
    """Some rows of a Ragged; the others count as empty (see Ragged.only)."""

    __slots__ = ("ragged", "mask", "lengths")

    def __init__(self, ragged: Ragged, mask: np.ndarray) -> None:
        self.ragged = ragged
        self.mask = mask
        self.lengths = np.where(mask, ragged.lengths, 0)


def concat(*parts: Ragged | Masked) -> Ragged:
    """Row i of the result is row i of each part, one after the other. Every byte is copied
    once, straight from its part (a Masked part's unselected rows are not read)."""
    lengths = np.zeros(len(parts[0].lengths), dtype=np.int64)
    for part in parts:
        lengths += part.lengths
    starts = offsets(lengths)
    out = np.empty(int(starts[-1]), dtype=np.uint8)
    position = starts[:-1].copy()
    for part in parts:
        # Only the rows this part has bytes in: many parts are one byte in a few rows.
        rows = np.flatnonzero(part.lengths)
        if len(rows):
            sizes = part.lengths[rows]
            if isinstance(part, Masked):
                data = part.ragged.data[_indices(part.ragged.starts[rows], sizes)]
            else:
                data = part.data
            out[_indices(position[rows], sizes)] = data
        position += part.lengths
    return Ragged(out, lengths)


def _indices(starts: np.ndarray, sizes: np.ndarray) -> np.ndarray:
    """Indices of every byte of the spans [start, start + size): by broadcasting when every span
    has the same size (most parts: an opcode, a fixed-size number), else via _spans."""
    width = int(sizes[0])
    if (sizes == width).all():
        if width == 1:
            return starts
        return (starts[:, None] + np.arange(width, dtype=np.int64)).reshape(-1)
    return _spans(starts, sizes)


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
