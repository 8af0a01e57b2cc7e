"""The pair fields' postings: one compact file per segment instead of Whoosh's term table.

The fields of adjacent folded syllables (`body_pairs_folded`, `title_pairs_folded`) hold far
more distinct terms than any other field (380,000 in a news-politics segment, most held by one
document), and Whoosh's format charges every term about 120 bytes before its first posting: a
term-table record (lengths, key, a 35-byte term info), two hash-table slots, an index entry and
a block header in the postings file. For these fields that was over half of the index.

Here a segment's pairs go to `<segment>.vpr` instead, one section per field:

- the distinct syllables the pairs are made of, sorted, as a UTF-8 blob with offsets;
- the pairs, sorted: (rank of the left syllable << 32) | rank of the right one, as uint64
  (a term is split at its first space; a term without one has `NO_RIGHT` on the right), and
  where each one's postings start;
- the postings: segment document numbers (uint16 when they fit) and frequencies (the
  smallest unsigned type that holds them, float32 for a weight that is not a count).

About 12 bytes a pair and 3 a posting: exact (no hashing), looked up by two binary searches,
read through a memory map. vnsearch's writer does not intern the pairs as strings either: it
derives them for a whole segment from the syllable field's token ids (`from_syllables`).
Whoosh never sees these fields' terms; the field lengths (BM25's length normalisation) are
still Whoosh's, written per document as before. A segment written by another Whoosh writer
has no such file: its pairs are read from Whoosh's term table, as before. The file follows
Whoosh's segment naming, so Whoosh deletes it with its segment and `durable.sync_segments`
syncs it before a commit is published.
"""

from __future__ import annotations

import json
import mmap
import os
from collections.abc import Iterator
from typing import Any

import numpy as np

from ...analysis import PAIR_SEPARATOR, folded, pair

PAIR_FIELDS = frozenset({"body_pairs_folded", "title_pairs_folded"})
EXTENSION = ".vpr"
MAGIC = b"VNPAIRS1"
NO_RIGHT = 0xFFFFFFFF  # the rank of a missing right half (a term without a separator)
_SEPARATOR = PAIR_SEPARATOR.encode("utf-8")
_ALIGN = 8


# -- writing ----------------------------------------------------------------------------------


def _smallest_uint(largest: int) -> str:
    for dtype in ("<u1", "<u2", "<u4"):
        if largest <= np.iinfo(dtype).max:
            return dtype
    return "<u8"


def encode_field(terms: list[bytes], term: np.ndarray, doc: np.ndarray, weight: np.ndarray) -> dict[str, np.ndarray]:
    """One field's sections from its postings sorted by (term, document): `terms` distinct and
    sorted, `term` the index into it of each posting."""
    held = np.zeros(len(terms), dtype=bool)
    held[term] = True
    if not held.all():  # terms whose every posting was a deleted document (merges)
        renumber = np.cumsum(held) - 1
        terms, term = [t for t, h in zip(terms, held.tolist(), strict=True) if h], renumber[term]
    halves = [t.partition(_SEPARATOR) for t in terms]
    syllables = sorted({left for left, _, _ in halves} | {right for _, space, right in halves if space})
    rank = {syllable: i for i, syllable in enumerate(syllables)}
    left = np.fromiter((rank[h[0]] for h in halves), dtype=np.uint64, count=len(halves))
    right = np.fromiter((rank[h[2]] if h[1] else NO_RIGHT for h in halves), dtype=np.uint64, count=len(halves))
    keys = (left << np.uint64(32)) | right
    order = np.argsort(keys, kind="stable")
    position = np.empty(len(order), dtype=np.int64)
    position[order] = np.arange(len(order))
    # Postings regrouped in key order; a stable sort keeps each pair's documents increasing.
    by_key = np.argsort(position[term], kind="stable") if len(term) else np.zeros(0, dtype=np.int64)
    sizes = np.bincount(position[term], minlength=len(order)) if len(term) else np.zeros(len(order), dtype=np.int64)
    starts = np.zeros(len(order) + 1, dtype=np.int64)
    np.cumsum(sizes, out=starts[1:])
    doc, weight = doc[by_key], weight[by_key]
    counts = weight.astype(np.int64)
    if (counts != weight).any() or (weight < 0).any():
        frequencies = weight.astype("<f4")  # a boosted field: weights, not counts
    else:
        frequencies = counts.astype(_smallest_uint(int(counts.max()) if len(counts) else 0))
    lengths = np.fromiter(map(len, syllables), dtype=np.int64, count=len(syllables))
    syllable_starts = np.zeros(len(syllables) + 1, dtype=np.int64)
    np.cumsum(lengths, out=syllable_starts[1:])
    return {
        "syllables": np.frombuffer(b"".join(syllables), dtype=np.uint8),
        "syllable_starts": syllable_starts.astype(_smallest_uint(int(syllable_starts[-1]))),
        "keys": keys[order].astype("<u8"),
        "starts": starts.astype(_smallest_uint(int(starts[-1]))),
        "docs": doc.astype(_smallest_uint(int(doc.max()) if len(doc) else 0)),
        "frequencies": frequencies,
    }


def from_syllables(words: list[str], tokens: np.ndarray, token_docs: np.ndarray
                   ) -> tuple[list[bytes], np.ndarray, np.ndarray, np.ndarray]:
    """The folded pairs of syllable streams, as postings sorted by (pair, document): what
    `analysis.pairs(analysis.folded(syllables))` gives each document, computed for a whole
    segment at once from the syllable field's token ids (`words[i]` is token id i; `token_docs`
    the document of each token, one document's tokens side by side and in text order). The
    writer derives the pair fields so, instead of interning every pair as a string."""
    folded_words = folded(words)
    syllables = sorted(set(folded_words))
    rank = {syllable: i for i, syllable in enumerate(syllables)}
    folded_rank = np.fromiter(map(rank.__getitem__, folded_words), dtype=np.int64, count=len(words))
    ranks = folded_rank[tokens]
    same = token_docs[1:] == token_docs[:-1]  # adjacent tokens of one document
    keys = (ranks[:-1][same].astype(np.uint64) << np.uint64(32)) | ranks[1:][same].astype(np.uint64)
    docs = token_docs[:-1][same]
    # Occurrences by pair; a stable sort keeps each pair's documents in (increasing) order.
    order = np.argsort(keys, kind="stable")
    keys, docs = keys[order], docs[order]
    first = np.ones(len(keys), dtype=bool)
    first[1:] = (keys[1:] != keys[:-1]) | (docs[1:] != docs[:-1])
    starts = np.flatnonzero(first)
    frequency = np.diff(np.append(starts, len(keys))).astype(np.float64)
    keys, docs = keys[starts], docs[starts]
    distinct, term = np.unique(keys, return_inverse=True)
    lefts = (distinct >> np.uint64(32)).tolist()
    rights = (distinct & np.uint64(0xFFFFFFFF)).tolist()
    terms = [pair(syllables[a], syllables[b]).encode("utf-8") for a, b in zip(lefts, rights, strict=True)]
    # Whoosh's order (by bytes), documents increasing within a pair.
    by_bytes = sorted(range(len(terms)), key=terms.__getitem__)
    position = np.empty(len(by_bytes), dtype=np.int64)
    position[by_bytes] = np.arange(len(by_bytes))
    term = position[term.reshape(-1)]
    regroup = np.argsort(term, kind="stable")
    return [terms[i] for i in by_bytes], term[regroup], docs[regroup].astype(np.int64), frequency[regroup]


def write_file(handle: Any, fields: dict[str, dict[str, np.ndarray]]) -> None:
    """The file: MAGIC, the header's length (uint32), the JSON header, then every section
    aligned to 8 bytes; the header names each section's offset, type and length."""
    header: dict[str, Any] = {"version": 1, "fields": {}}
    at = 0
    for name, sections in sorted(fields.items()):
        described = {}
        for section, array in sections.items():
            described[section] = [at, array.dtype.str, len(array)]
            at += -(-array.nbytes // _ALIGN) * _ALIGN
        header["fields"][name] = described
    encoded = json.dumps(header, sort_keys=True).encode("utf-8")
    start = -(-(len(MAGIC) + 4 + len(encoded)) // _ALIGN) * _ALIGN
    handle.write(MAGIC + np.uint32(len(encoded)).astype("<u4").tobytes() + encoded)
    handle.write(b"\0" * (start - len(MAGIC) - 4 - len(encoded)))
    for _name, sections in sorted(fields.items()):
        for array in sections.values():
            data = np.ascontiguousarray(array).tobytes()
            handle.write(data)
            handle.write(b"\0" * (-len(data) % _ALIGN))


# -- reading ----------------------------------------------------------------------------------


class _Field:
    def __init__(self, buffer: Any, base: int, sections: dict[str, list[Any]]) -> None:
        def array(name: str) -> np.ndarray:
            offset, dtype, count = sections[name]
            return np.frombuffer(buffer, dtype=np.dtype(dtype), count=count, offset=base + offset)

        self.buffer = buffer
        self.syllables = array("syllables")
        self.syllable_starts = array("syllable_starts")
        self.keys = array("keys")
        self.starts = array("starts")
        self.docs = array("docs")
        self.frequencies = array("frequencies")
        self._base = base + sections["syllables"][0]
        if len(self.starts) != len(self.keys) + 1 or len(self.docs) != len(self.frequencies) \
                or int(self.starts[-1]) != len(self.docs):
            raise ValueError("inconsistent section lengths")

    def _rank(self, syllable: bytes) -> int | None:
        """Binary search of the sorted syllables (a handful per query: no table is built)."""
        starts, buffer, base = self.syllable_starts, self.buffer, self._base
        low, high = 0, len(starts) - 1
        while low < high:
            middle = (low + high) // 2
            if buffer[base + int(starts[middle]) : base + int(starts[middle + 1])] < syllable:
                low = middle + 1
            else:
                high = middle
        if low < len(starts) - 1 and buffer[base + int(starts[low]) : base + int(starts[low + 1])] == syllable:
            return low
        return None

    def index_of(self, text: str) -> int | None:
        left, space, right = text.encode("utf-8").partition(_SEPARATOR)
        left_rank = self._rank(left)
        right_rank = self._rank(right) if space else NO_RIGHT
        if left_rank is None or right_rank is None:
            return None
        key = np.uint64((left_rank << 32) | right_rank)
        at = int(np.searchsorted(self.keys, key))
        return at if at < len(self.keys) and self.keys[at] == key else None

    def postings(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        at = self.index_of(text)
        if at is None:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        a, b = int(self.starts[at]), int(self.starts[at + 1])
        return self.docs[a:b].astype(np.int64), self.frequencies[a:b].astype(np.float32)

    def doc_frequency(self, text: str) -> int:
        at = self.index_of(text)
        return 0 if at is None else int(self.starts[at + 1]) - int(self.starts[at])

    def terms(self) -> list[bytes]:
        """Every pair, in key order."""
        bounds = self.syllable_starts.tolist()
        blob = bytes(self.syllables)
        syllables = [blob[a:b] for a, b in zip(bounds, bounds[1:], strict=False)]
        keys = self.keys
        lefts = (keys >> np.uint64(32)).tolist()
        rights = (keys & np.uint64(0xFFFFFFFF)).tolist()
        return [syllables[a] if b == NO_RIGHT else syllables[a] + _SEPARATOR + syllables[b]
                for a, b in zip(lefts, rights, strict=True)]


class PairFile:
    """A segment's pair file, read through a memory map (or from bytes). A file this code
    cannot read raises ValueError, which the snapshot reports as a damaged index."""

    def __init__(self, buffer: Any) -> None:
        if len(buffer) < len(MAGIC) + 4 or buffer[: len(MAGIC)] != MAGIC:
            raise ValueError("not a vnsearch pair file")
        size = int(np.frombuffer(buffer, dtype="<u4", count=1, offset=len(MAGIC))[0])
        try:
            header = json.loads(bytes(buffer[len(MAGIC) + 4 : len(MAGIC) + 4 + size]))
            base = -(-(len(MAGIC) + 4 + size) // _ALIGN) * _ALIGN
            if header.get("version") != 1:
                raise ValueError(f"pair file version {header.get('version')!r}")
            self._fields = {name: _Field(buffer, base, sections) for name, sections in header["fields"].items()}
        except (KeyError, TypeError, ValueError) as error:
            raise ValueError(f"unreadable pair file header: {error}") from error

    def sizes(self) -> dict[str, dict[str, int]]:
        """Per field: pairs, postings, and the bytes of each (for the benchmarks)."""
        return {name: {"terms": len(f.keys), "postings": len(f.docs),
                       "term bytes": f.keys.nbytes + f.starts.nbytes + f.syllables.nbytes + f.syllable_starts.nbytes,
                       "posting bytes": f.docs.nbytes + f.frequencies.nbytes}
                for name, f in self._fields.items()}

    def postings(self, field: str, text: str) -> tuple[np.ndarray, np.ndarray]:
        """(segment document numbers, frequencies) of a pair, deleted documents included."""
        found = self._fields.get(field)
        if found is None:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        return found.postings(text)

    def doc_frequency(self, field: str, text: str) -> int:
        found = self._fields.get(field)
        return 0 if found is None else found.doc_frequency(text)

    def field_terms(self, field: str) -> Iterator[tuple[bytes, int]]:
        """(pair, documents holding it) of a field, in no particular order."""
        found = self._fields.get(field)
        if found is None:
            return
        yield from zip(found.terms(), np.diff(found.starts.astype(np.int64)).tolist(), strict=True)

    def field_postings(self, field: str) -> tuple[list[bytes], np.ndarray, np.ndarray, np.ndarray]:
        """Everything of a field, for a merge: (pairs sorted by their bytes, index into them
        per posting, segment document numbers, frequencies), sorted by (pair, document)."""
        found = self._fields.get(field)
        if found is None:
            return [], np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float64)
        terms = found.terms()
        order = sorted(range(len(terms)), key=terms.__getitem__)
        rank = np.empty(len(order), dtype=np.int64)
        rank[order] = np.arange(len(order))
        sizes: np.ndarray = np.diff(found.starts.astype(np.int64))
        term = rank[np.repeat(np.arange(len(terms)), sizes)]
        by_term = np.argsort(term, kind="stable")
        return ([terms[i] for i in order], term[by_term], found.docs.astype(np.int64)[by_term],
                found.frequencies.astype(np.float64)[by_term])


# Set on a segment whose pairs are in a pair file (the segment is pickled into the table of
# contents with it): a segment without the mark has its pairs in Whoosh's term table, one with
# the mark and no file is damaged.
MARK = "vnsearch_pair_file"


def file_name(segment: Any) -> str:
    return str(segment.make_filename(EXTENSION))


def open_for(leaf: Any) -> PairFile | None:
    """The pair file of a segment reader's segment, or None when the segment has none (written
    by another Whoosh writer: its pairs are in Whoosh's term table)."""
    segment, storage = getattr(leaf, "_segment", None), getattr(leaf, "_storage", None)
    if segment is None or storage is None:
        return None
    name = file_name(segment)
    if not getattr(segment, MARK, False):
        return None
    if not storage.file_exists(name):
        raise FileNotFoundError(f"{name}: the segment's pair file is missing")
    folder = getattr(storage, "folder", None)
    if folder is None:  # an in-memory storage
        handle = storage.open_file(name)
        try:
            return PairFile(handle.read())
        finally:
            handle.close()
    with open(os.path.join(folder, name), "rb") as handle:
        # The map outlives the file handle; it is released with the last array reading it.
        mapped = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) if os.fstat(handle.fileno()).st_size else b""
    return PairFile(mapped)
