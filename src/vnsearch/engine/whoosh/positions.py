"""Positions of a term in a few chosen documents, read straight from the blocks that hold them.

Counting a phrase exactly reads the positions of each of its words in the best few dozen
candidates. Through Whoosh's matcher that means, per segment and word, a term look-up, then a
walk over every block of the posting list up to the last wanted document: each step a seek and
an unpickled block header, thousands of them for a common word ("Bộ", "phòng") on an index of
many segments. Decoding a posting list (`WhooshSnapshot.postings`) already walks those blocks
once; it notes where each block lies (`BlockDirectory`), and positions are then read from just
the blocks holding wanted documents, one read, decompression and unpickling each.

The blocks are Whoosh 2.7's (W3LeafMatcher's `_read_data`): zlib-compressed when flagged, a
pickled (id deltas, weights, values) tuple; a position list is one value.
"""

from __future__ import annotations

import pickle
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from itertools import accumulate
from typing import Any

import numpy as np
from whoosh.formats import Positions


@dataclass(frozen=True)
class BlockDirectory:
    """Where one segment's posting blocks of one term lie in its postings file."""

    postfile: Any  # the segment's postings file (a Whoosh StructFile)
    offset: int  # the segment's first document number in the snapshot
    size: int  # the segment's document count
    last_ids: np.ndarray  # last document number (within the segment) of each block, ascending
    starts: np.ndarray  # file offset of each block's data
    lengths: np.ndarray  # size of each block's data in bytes
    compressed: np.ndarray  # whether each block's data is zlib-compressed


class DirectoryBuilder:
    """Collects a segment's block locations while its posting list is walked block by block."""

    def __init__(self) -> None:
        self.rows: list[tuple[int, int, int, bool]] = []

    def add(self, matcher: Any) -> None:
        """Note the block the matcher stands on (before its data is read)."""
        start = matcher._dataoffset
        self.rows.append((matcher.block_max_id(), start, matcher._nextoffset - start, bool(matcher._compression)))

    def build(self, postfile: Any, offset: int, size: int) -> BlockDirectory:
        table = np.array(self.rows, dtype=np.int64).reshape(-1, 4)
        return BlockDirectory(postfile, offset, size, table[:, 0], table[:, 1], table[:, 2], table[:, 3].astype(bool))


def read_positions(directories: list[BlockDirectory], docs: np.ndarray, decode: Callable[[bytes], list[int]]
                   ) -> dict[int, list[int]]:
    """Document number -> positions of the term, for the documents of the boolean mask `docs`
    (over the snapshot) that hold it."""
    found: dict[int, list[int]] = {}
    for directory in directories:
        wanted = np.flatnonzero(docs[directory.offset : directory.offset + directory.size])
        blocks = np.searchsorted(directory.last_ids, wanted)  # the block that would hold each
        wanted, blocks = wanted[blocks < len(directory.last_ids)], blocks[blocks < len(directory.last_ids)]
        if not len(wanted):
            continue
        # Wanted documents are sorted, so are their blocks: each block's are one run.
        bounds = np.flatnonzero(np.diff(blocks)) + 1
        for run, block in zip(np.split(wanted, bounds), blocks[np.r_[0, bounds]], strict=True):
            data = directory.postfile.get(int(directory.starts[block]), int(directory.lengths[block]))
            if directory.compressed[block]:
                data = zlib.decompress(data)
            deltas, _weights, values = pickle.loads(data)
            ids = np.cumsum(np.array(deltas, dtype=np.int64))
            at = np.minimum(np.searchsorted(ids, run), len(ids) - 1)
            for doc, i in zip(run.tolist(), at.tolist(), strict=True):
                if ids[i] == doc:
                    found[doc + directory.offset] = decode(values[i])
    return found


def position_decoder(format_: Any) -> Callable[[bytes], list[int]]:
    """The field format's `decode_positions`, or for Whoosh's `Positions` the same decoding
    without its Python loop: a value is the frequency (4 bytes) and the pickled position deltas,
    their closing STOP opcode left off."""
    if type(format_) is not Positions:
        return format_.decode_positions  # type: ignore[no-any-return]

    def decode(value: bytes) -> list[int]:
        return list(accumulate(pickle.loads(value[4:] if value.endswith(b".") else value[4:] + b".")))

    return decode
