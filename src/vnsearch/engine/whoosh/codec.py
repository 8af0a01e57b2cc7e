"""Whoosh 2.7 segment files written in bulk: postings as numpy arrays, encoded a field at a time.

Whoosh's own writer handles every posting in Python: the pool sorts (field, term, doc, weight,
value) tuples, and `W3PostingsWriter` pickles and zlib-compresses each block of 128 postings.
For vnsearch's fields (about 1,400 postings a news article) that was two thirds of indexing.
Here a segment's postings are kept as arrays (term ids in order, document numbers, positions),
sorted once with numpy, and Whoosh's files are produced from them with array operations:

- `.pst`: for each term, the "W3Bl" tag and its blocks of at most 128 postings. A block is a
  signed length, a pickled info tuple (postings, last id, max weight, compression, shortest and
  longest field length byte) and the pickled (id deltas, weights, values) tuple, as
  `W3LeafMatcher` reads them;
- `.trm`: Whoosh's ordered hash file of (field number + term) -> `W3TermInfo` bytes.

Per-document data (stored fields, length and sortable columns) still goes through Whoosh's own
`W3PerDocWriter`: it costs per document, not per posting. The pair fields' postings go to the
segment's pair file instead (pairs.py), and the folded syllable fields have none (read through
the exact ones): `BulkFieldWriter.write` skips both in the term table.

What a reader gets back is the same as from Whoosh's `SegmentWriter` on the same documents
(tests compare every term, posting, value, block statistic, length, stored field and column):
the posting values are Whoosh's own bytes (a position list is `pack_uint(n) + pickle(deltas, 2)`).
The bytes around them differ where Whoosh's are needlessly large or slow: blocks are pickled
with the shortest opcodes (Whoosh's protocol 2 spells every bytes value as a `_codecs.encode`
call, 30 bytes a posting), and a block is zlib-compressed only when it is long enough for that
to pay (Whoosh compresses every block, one-posting blocks included, which costs more time than
anything else in writing and makes them larger). The compression flag is per block in Whoosh's
format, so its reader decompresses exactly the blocks that are compressed.
"""

from __future__ import annotations

import hashlib
import operator
import pickle
import struct
import zlib
from array import array
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from whoosh.codec.whoosh3 import W3Codec, W3LeafMatcher, W3Segment
from whoosh.filedb.structfile import StructFile

from . import pairs, ragged
from .lengths import length_bytes
from .ragged import Ragged, concat, offsets, pickled_floats, pickled_ints
from .schema import FOLDED_FROM

BLOCK = 128  # postings per block: W3Codec's blocklimit
COMPRESSION = 3  # W3Codec's zlib level
COMPRESS_FROM = 192  # blocks shorter than this (in bytes, pickled) are stored as they are
CHUNK = 1 << 16  # postings encoded at once: bounds the temporary arrays (no slower than more)
MAGIC = b"W3Bl"

TERMINFO = np.dtype([
    ("flags", "u1"), ("weight", ">f4"), ("df", ">u4"), ("minlength", "u1"), ("maxlength", "u1"),
    ("maxweight", ">f4"), ("minid", ">u4"), ("maxid", ">u4"), ("offset", ">i8"), ("length", ">i4"),
])  # W3TermInfo.to_bytes for postings in the .pst file: "!BfIBBfII" + pack_long + pack_int
assert TERMINFO.itemsize == 35


# -- one field's postings -----------------------------------------------------------------------


@dataclass
class PositionLists:
    """The positions of consecutive postings, not yet encoded as Whoosh values: the encoder
    writes them straight into their blocks (`_positions_section`), one pass over the bytes."""

    position: np.ndarray  # int64 per position, posting after posting, increasing within one
    freq: np.ndarray  # int64 per posting: how many positions it has

    def slice(self, a: int, b: int) -> PositionLists:
        bounds = offsets(self.freq)
        return PositionLists(self.position[bounds[a]:bounds[b]], self.freq[a:b])

    def encoded(self) -> Ragged:
        return positions_values(self.position, offsets(self.freq)[:-1], self.freq)


@dataclass
class Postings:
    """A field's postings sorted by (term, document): parallel arrays, one entry a posting."""

    terms: list[bytes]  # distinct terms, sorted
    term: np.ndarray  # int64: index into `terms`, non-decreasing
    doc: np.ndarray  # int64: document number, increasing within a term
    weight: np.ndarray  # float64
    values: Ragged | PositionLists | None  # value bytes (or positions); None: a format without values


class FieldPostings:
    """Collects one field's postings for a new segment.

    Two ways in: `add_terms` takes a document's terms in order (positions are their indexes),
    interned to ids with one dict so a term costs a dict look-up; `add_item` takes a posting
    as Whoosh's `field.index` gives it (small fields, and postings of merged segments).
    """

    def __init__(self, positional: bool) -> None:
        self.positional = positional
        self.vocabulary: dict[str, int] = {}
        self.tokens = array("i")
        self.docs = array("q")
        self.counts = array("q")
        # postings as Whoosh items
        self.item_terms: list[bytes] = []
        self.item_docs = array("q")
        self.item_weights = array("d")
        self.item_values: list[bytes] = []
        # postings read whole from a merged segment's pair file
        self.parts: list[Postings] = []

    def add_terms(self, docnum: int, terms: Sequence[str]) -> None:
        if not terms:
            return
        vocabulary = self.vocabulary
        # New terms get the next ids (in set order: ids only need to be consistent, terms are
        # sorted by their bytes at flush); then every term is one C-level look-up.
        for term in set(terms).difference(vocabulary):
            vocabulary[term] = len(vocabulary)
        self.tokens.extend(map(vocabulary.__getitem__, terms))
        self.docs.append(docnum)
        self.counts.append(len(terms))

    def add_item(self, term: bytes, docnum: int, weight: float, value: bytes | None) -> None:
        self.item_terms.append(term)
        self.item_docs.append(docnum)
        self.item_weights.append(weight)
        self.item_values.append(value or b"")

    def add_postings(self, postings: Postings) -> None:
        """Postings already sorted by (term, document), none of them in this segment yet."""
        if len(postings.doc):
            self.parts.append(postings)

    def __bool__(self) -> bool:
        return bool(self.docs) or bool(self.item_docs) or bool(self.parts)

    def postings(self, fixed_value_size: int | None) -> Postings:
        """Everything collected, sorted by (term, document)."""
        parts = []
        if self.docs:
            parts.append(self._from_terms())
        if self.item_docs:
            parts.append(self._from_items())
        parts.extend(self.parts)
        if len(parts) == 1:
            found = parts[0]
        else:
            found = _combine(parts)
        if fixed_value_size == 0:
            found.values = None
        return found

    def _from_terms(self) -> Postings:
        words = list(self.vocabulary)
        joined = "\n".join(words)
        if joined.count("\n") == len(words) - 1:  # one encode and one split, not a call per term
            encoded = joined.encode("utf-8").split(b"\n") if words else []
        else:  # a term holds a line break
            encoded = [word.encode("utf-8") for word in words]
        # UTF-8 sorts like code points: str order is Whoosh's byte order
        order = sorted(range(len(words)), key=words.__getitem__)
        # Per-token arrays are int32 (a segment holds tens of millions of tokens).
        rank = np.empty(len(order), dtype=np.int32)
        rank[order] = np.arange(len(order), dtype=np.int32)
        counts = np.frombuffer(self.counts, dtype=np.int64)
        token_term = rank[np.frombuffer(self.tokens, dtype=np.int32)]
        # Tokens were added document by document in order: a stable sort by term keeps each
        # term's tokens in (document, position) order.
        by_term = np.argsort(token_term, kind="stable")
        token_term = token_term[by_term]
        token_doc = np.repeat(np.frombuffer(self.docs, dtype=np.int64).astype(np.int32), counts)[by_term]
        total = len(token_term)
        first = np.ones(total, dtype=bool)
        first[1:] = (token_term[1:] != token_term[:-1]) | (token_doc[1:] != token_doc[:-1])
        starts = np.flatnonzero(first)
        freq = np.diff(np.append(starts, total))
        values: Ragged | PositionLists
        if self.positional:
            position = np.arange(total, dtype=np.int32) - np.repeat(offsets(counts)[:-1].astype(np.int32), counts)
            values = PositionLists(position[by_term], freq)
            del position
        else:
            values = Ragged(freq.astype(">u4").view(np.uint8), np.full(len(freq), 4, dtype=np.int64))
        return Postings([encoded[i] for i in order], token_term[starts].astype(np.int64),
                        token_doc[starts].astype(np.int64), freq.astype(np.float64), values)

    def _from_items(self) -> Postings:
        distinct = sorted(set(self.item_terms))
        index = {term: i for i, term in enumerate(distinct)}
        term = np.fromiter(map(index.__getitem__, self.item_terms), dtype=np.int64, count=len(self.item_terms))
        doc = np.frombuffer(self.item_docs, dtype=np.int64)
        order = np.lexsort((doc, term))
        values = Ragged.from_bytes_list(self.item_values).take(order)
        return Postings(distinct, term[order], doc[order], np.frombuffer(self.item_weights, dtype=np.float64)[order],
                        values)


def _combine(parts: list[Postings]) -> Postings:
    distinct = sorted(set().union(*(part.terms for part in parts)))
    index = {term: i for i, term in enumerate(distinct)}
    term = np.concatenate([np.array([index[t] for t in part.terms], dtype=np.int64)[part.term] for part in parts])
    doc = np.concatenate([part.doc for part in parts])
    weight = np.concatenate([part.weight for part in parts])
    order = np.lexsort((doc, term))
    encoded = [part.values.encoded() if isinstance(part.values, PositionLists) else part.values for part in parts]
    if any(v is None for v in encoded):  # a part without values (the pair fields' own files): none kept
        return Postings(distinct, term[order], doc[order], weight[order], None)
    values = Ragged(np.concatenate([v.data for v in encoded if v is not None]),
                    np.concatenate([v.lengths for v in encoded if v is not None]))
    return Postings(distinct, term[order], doc[order], weight[order], values.take(order))


def positions_values(position: np.ndarray, starts: np.ndarray, freq: np.ndarray) -> Ragged:
    """Whoosh's `Positions.encode` for every posting at once: pack_uint(n) followed by the
    position deltas as `pickle.dumps(deltas, 2)` writes a list (BININT opcodes; MARK ... APPENDS
    in batches of 1000, or one APPEND for a single item)."""
    total = len(position)
    count = len(starts)
    n = np.repeat(freq, freq)  # the posting's frequency, per token
    k = np.arange(total, dtype=np.int64) - np.repeat(starts, freq)  # index within the posting
    delta = position.copy()
    delta[1:] -= position[:-1]
    delta[starts] = position[starts]
    header = np.empty((count, 9), dtype=np.uint8)
    header[:, :4] = freq.astype(">u4").view(np.uint8).reshape(-1, 4)
    header[:, 4:] = np.frombuffer(b"\x80\x02]q\x00", dtype=np.uint8)
    first, last, many = k == 0, k == n - 1, n > 1
    return concat(
        Ragged(header.reshape(-1), np.where(first, 9, 0)),
        Ragged.constant(b"(", total, many & (k % 1000 == 0)),
        pickled_ints(delta),
        Ragged.constant(b"e", total, many & ((k % 1000 == 999) | last)),
        Ragged.constant(b"a", total, ~many),
        Ragged.constant(b".", total, last),
    ).group(starts)


# -- encoding ---------------------------------------------------------------------------------


@dataclass
class EncodedField:
    terms: list[bytes]
    infos: np.ndarray  # TERMINFO per term


def encode_field(postings: Postings, fixed_value_size: int | None, lengths: np.ndarray | None,
                 postfile: Any) -> EncodedField:
    """Write a field's posting lists to `postfile` (at its current position); their term infos."""
    infos = np.zeros(len(postings.terms), dtype=TERMINFO)
    term = postings.term
    bounds = np.flatnonzero(np.diff(term)) + 1
    term_starts = np.concatenate(([0], bounds)) if len(term) else np.zeros(0, dtype=np.int64)
    # chunks of whole terms, about CHUNK postings each
    cuts = [0]
    for start in term_starts[np.searchsorted(term_starts, np.arange(CHUNK, len(term), CHUNK))]:
        if start > cuts[-1]:
            cuts.append(int(start))
    cuts.append(len(term))
    for a, b in zip(cuts, cuts[1:], strict=False):
        if b > a:
            _encode_chunk(postings, a, b, fixed_value_size, lengths, postfile, infos)
    return EncodedField(postings.terms, infos)


def _encode_chunk(postings: Postings, a: int, b: int, fixed_value_size: int | None, lengths: np.ndarray | None,
                  postfile: Any, infos: np.ndarray) -> None:
    term, doc, weight = postings.term[a:b], postings.doc[a:b], postings.weight[a:b]
    count = b - a
    term_starts = np.concatenate(([0], np.flatnonzero(np.diff(term)) + 1))
    term_sizes = np.diff(np.append(term_starts, count))
    k = np.arange(count, dtype=np.int64) - np.repeat(term_starts, term_sizes)
    block_starts = np.flatnonzero(k % BLOCK == 0)
    blocks = len(block_starts)
    block_sizes = np.diff(np.append(block_starts, count))
    block_last = block_starts + block_sizes - 1
    first_of_term = k[block_starts] == 0
    last_of_term = np.ones(blocks, dtype=bool)
    last_of_term[:-1] = first_of_term[1:]
    in_block = _Blocks(block_starts, block_sizes, count)

    # Whoosh keeps a block's weights in array("f"): its tuples hold float32 values.
    w32 = weight.astype(np.float32).astype(np.float64)
    length_bytes = lengths[doc].astype(np.int64) if lengths is not None else np.zeros(count, dtype=np.int64)
    no_length = np.where(length_bytes > 0, length_bytes, 256)

    # -- block data: (id deltas, weights, values), each section built in one pass ---------
    delta = doc.copy()
    delta[1:] -= doc[:-1]
    delta[block_starts] = doc[block_starts]
    ids = in_block.tuples(pickled_ints(delta))

    low, high = np.minimum.reduceat(w32, block_starts), np.maximum.reduceat(w32, block_starts)
    ones = (low == 1.0) & (high == 1.0)
    same = (low == high) & ~ones
    varied = ~(ones | same)
    weight_parts: list[Ragged | ragged.Masked] = [Ragged.constant(b"N", blocks, ones),
                                                  pickled_floats(w32[block_starts]).only(same)]
    if varied.any():
        weight_parts.append(in_block.tuples(pickled_floats(w32), np.repeat(varied, block_sizes)))
    weights = concat(*weight_parts)

    values = _value_section(postings.values, a, b, fixed_value_size, in_block)
    tail = Ragged.constant(b"\x87.", blocks)
    data_lengths = ids.lengths + weights.lengths + values.lengths + tail.lengths

    # -- compression: only blocks long enough for zlib to pay ------------------------------
    big = data_lengths >= COMPRESS_FROM
    comp = np.zeros(blocks, dtype=np.int64)
    stored_parts: list[Ragged | ragged.Masked] = [ids.only(~big), weights.only(~big), values.only(~big), tail.only(~big)]
    if big.any():
        whole = concat(ids.only(big), weights.only(big), values.only(big), tail.only(big))
        rows = np.flatnonzero(big)
        view, firsts, ends = whole.data.data, whole.starts[rows].tolist(), whole.starts[rows + 1].tolist()
        packed = [zlib.compress(view[x:y], COMPRESSION) for x, y in zip(firsts, ends, strict=True)]
        packed_lengths = np.fromiter(map(len, packed), dtype=np.int64, count=len(packed))
        better = packed_lengths < data_lengths[rows]
        used = rows[better]
        comp[used] = COMPRESSION
        chosen_lengths = np.zeros(blocks, dtype=np.int64)
        chosen_lengths[used] = packed_lengths[better]
        chosen = b"".join(p for p, ok in zip(packed, better.tolist(), strict=True) if ok)
        plain = big.copy()
        plain[used] = False
        stored_parts += [whole.only(plain), Ragged(np.frombuffer(chosen, dtype=np.uint8), chosen_lengths)]
    stored_lengths = sum(part.lengths for part in stored_parts)

    # -- block info: (postings, last id, max weight, compression, min/max length byte) -----
    max_weight = np.maximum.reduceat(weight, block_starts)
    min_length = np.minimum.reduceat(no_length, block_starts)
    min_length[min_length == 256] = 0
    positive = max_weight > 0  # Whoosh's running maximum starts at the int 0
    info = concat(
        Ragged.constant(b"(", blocks),
        pickled_ints(block_sizes),
        pickled_ints(doc[block_last]),
        pickled_floats(max_weight).only(positive),
        Ragged.constant(b"K\x00", blocks, ~positive),
        pickled_ints(comp),
        pickled_ints(min_length),
        pickled_ints(np.maximum.reduceat(length_bytes, block_starts)),
        Ragged.constant(b"t.", blocks),
    )
    signed = info.lengths + stored_lengths
    signed[last_of_term] *= -1
    framed = concat(
        Ragged.constant(MAGIC, blocks, first_of_term),
        Ragged(signed.astype(">i4").view(np.uint8), np.full(blocks, 4, dtype=np.int64)),
        info,
        *stored_parts,
    ).group(np.flatnonzero(first_of_term))

    base = postfile.tell()
    postfile.write(framed.data.data)

    # -- term infos -------------------------------------------------------------------------
    rows = infos[term[term_starts]]
    rows["weight"] = np.add.reduceat(w32, term_starts)
    rows["df"] = term_sizes
    min_term = np.minimum.reduceat(no_length, term_starts)
    min_term[min_term == 256] = 0
    rows["minlength"] = min_term
    rows["maxlength"] = np.maximum.reduceat(length_bytes, term_starts)
    rows["maxweight"] = np.maximum(np.maximum.reduceat(weight, term_starts), 0)
    rows["minid"] = doc[term_starts]
    rows["maxid"] = doc[term_starts + term_sizes - 1]
    rows["offset"] = base + framed.starts[:-1]
    rows["length"] = framed.lengths
    infos[term[term_starts]] = rows


class _Blocks:
    """Where each posting of a chunk sits in its block, for building per-block sections."""

    def __init__(self, starts: np.ndarray, sizes: np.ndarray, count: int) -> None:
        self.starts = starts
        self.sizes = sizes
        self.count = len(starts)
        size = np.repeat(sizes, sizes)  # the block's size, per posting
        index = np.arange(count, dtype=np.int64) - np.repeat(starts, sizes)
        self.first = index == 0
        self.last = index == size - 1
        self.opens = self.first & (size > 3)  # pickle's MARK, for tuples of 4 and more
        closer = np.full(count, ord("t"), dtype=np.uint8)
        for n, code in ragged.TUPLE_N.items():
            closer[size == n] = code[0]
        self.closer = closer

    def tuples(self, items: Ragged, where: np.ndarray | None = None) -> Ragged:
        """Per block, the pickled tuple of its postings' items (blocks left empty where
        `where`, given per posting, is false)."""
        opens, last = (self.opens, self.last) if where is None else (self.opens & where, self.last & where)
        parts = (Ragged.constant(ragged.MARK, len(items), opens),
                 items if where is None else items.only(where),
                 Ragged(self.closer[last], last.astype(np.int64)))
        return concat(*parts).group(self.starts)


def _value_section(values: Ragged | PositionLists | None, a: int, b: int, fixed_value_size: int | None,
                   blocks: _Blocks) -> Ragged:
    """Per block, the pickled values: None, one bytes object (fixed-size values joined), or a
    tuple of bytes objects (Whoosh keeps only non-empty values; vnsearch's never are)."""
    if fixed_value_size == 0 or values is None:
        return Ragged.constant(b"N", blocks.count)
    if isinstance(values, PositionLists):
        return _positions_section(values.slice(a, b), blocks)
    rows = values.slice(a, b)
    if fixed_value_size is not None:
        joined = np.add.reduceat(rows.lengths, blocks.starts)
        header = _bytes_headers(joined)
        head = Ragged(header.data, np.where(blocks.first, np.repeat(header.lengths, blocks.sizes), 0))
        return concat(head, rows).group(blocks.starts)
    if (rows.lengths == 0).any():
        raise ValueError("empty posting values in a field with variable-size values")
    return blocks.tuples(concat(_bytes_headers(rows.lengths), rows))


def _bytes_headers(lengths: np.ndarray) -> Ragged:
    """pickle's SHORT_BINBYTES (or BINBYTES from 256 bytes) opcode and length, per length."""
    short = lengths < 0x100
    header = np.empty((len(lengths), 5), dtype=np.uint8)
    header[:, 0] = np.where(short, ord("C"), ord("B"))
    header[:, 1:] = lengths.astype("<u4").view(np.uint8).reshape(-1, 4)
    return Ragged.from_matrix(header, np.where(short, 2, 5))


def _positions_section(lists: PositionLists, blocks: _Blocks) -> Ragged:
    """Per block, the pickled tuple of Whoosh position values (`Positions.encode`: pack_uint(n)
    and the deltas as pickle.dumps(list, 2) writes them), built in one pass at the level of
    positions: each position carries the bytes that come before and after it."""
    freq = lists.freq
    total = len(lists.position)
    first_token = offsets(freq)[:-1]
    n = np.repeat(freq, freq)
    k = np.arange(total, dtype=np.int64) - np.repeat(first_token, freq)
    delta = lists.position.copy()
    delta[1:] -= lists.position[:-1]
    delta[first_token] = lists.position[first_token]
    first, last, many = k == 0, k == n - 1, n > 1
    mark = many & (k % 1000 == 0)
    appends = many & ((k % 1000 == 999) | last)
    ints = pickled_ints(delta)
    body = ints.lengths + mark + appends + ~many + last
    value_lengths = 9 + np.add.reduceat(body, first_token)
    header = np.empty((len(freq), 9), dtype=np.uint8)
    header[:, :4] = freq.astype(">u4").view(np.uint8).reshape(-1, 4)
    header[:, 4:] = np.frombuffer(b"\x80\x02]q\x00", dtype=np.uint8)
    item_header = _bytes_headers(value_lengths)
    opens = np.repeat(blocks.opens, freq) & first
    closes = np.repeat(blocks.last, freq) & last
    return concat(
        Ragged.constant(ragged.MARK, total, opens),
        Ragged(item_header.data, np.where(first, np.repeat(item_header.lengths, freq), 0)),
        Ragged(header.reshape(-1), np.where(first, 9, 0)),
        Ragged.constant(b"(", total, mark),
        ints,
        Ragged.constant(b"e", total, appends),
        Ragged.constant(b"a", total, ~many),
        Ragged.constant(b".", total, last),
        Ragged(np.repeat(blocks.closer, freq)[closes], closes.astype(np.int64)),
    ).group(first_token[blocks.starts])


# -- the terms file ---------------------------------------------------------------------------


def write_terms_file(dbfile: Any, fields: list[tuple[str, EncodedField]]) -> None:
    """Whoosh's OrderedHashWriter file (as W3FieldWriter writes it) for every field's terms."""
    fieldmap: dict[str, int] = {}
    prefixes, term_lists, info_arrays = [], [], []
    for fieldname, encoded in fields:
        if not encoded.terms:
            continue
        fieldmap[fieldname] = len(fieldmap)
        prefixes.append(struct.pack("!H", fieldmap[fieldname]))
        term_lists.append(encoded.terms)
        info_arrays.append(encoded.infos)
    keys = [prefix + term for prefix, terms in zip(prefixes, term_lists, strict=True) for term in terms]
    count = len(keys)
    key_rows = Ragged.from_bytes_list(keys)
    # dtype given: numpy would otherwise turn the big-endian fields into native ones
    infos = np.concatenate(info_arrays, dtype=TERMINFO) if info_arrays else np.zeros(0, dtype=TERMINFO)
    lengths = np.empty((count, 2), dtype=">i4")
    lengths[:, 0] = key_rows.lengths
    lengths[:, 1] = TERMINFO.itemsize
    records = concat(
        Ragged(lengths.view(np.uint8).reshape(-1), np.full(count, 8, dtype=np.int64)),
        key_rows,
        Ragged(infos.view(np.uint8).reshape(-1), np.full(count, TERMINFO.itemsize, dtype=np.int64)),
    )
    header = b"HSH3" + b"\x00" + struct.pack("!ii", 0, 0)  # magic, hash type 0 (md5), two unused ints
    start = dbfile.tell()
    dbfile.write(header)
    positions = start + len(header) + records.starts[:-1]
    dbfile.write(records.data.tobytes())

    # Whoosh's md5_hash: the low 32 bits of the digest read as a big-endian number.
    digests = b"".join(map(operator.methodcaller("digest"), map(hashlib.md5, keys)))
    hashes = np.frombuffer(digests, dtype=np.uint8).reshape(-1, 16)[:, 12:].copy().view(">u4").reshape(-1)
    hashes = hashes.astype(np.int64)
    dbfile.write(_hash_tables(hashes, positions, dbfile.tell()))

    indextype = _index_type(int(positions.max()) if count else 0)
    extras = {"fieldmap": fieldmap, "indextype": indextype, "indexlen": count}
    # GrowableArray.to_file: the positions as a big-endian array of that type
    index_bytes = positions.astype({"H": ">u2", "i": ">i4", "I": ">u4", "q": ">i8"}[indextype]).tobytes()
    extras_bytes = pickle.dumps(extras, -1) + index_bytes
    dbfile.write(extras_bytes)
    dbfile.write(struct.pack("!i", len(extras_bytes)))


def _index_type(largest: int) -> str:
    """GrowableArray("H")'s type code once every position has been appended."""
    if largest < 2**16:
        return "H"
    if largest < 2**31:
        return "i"
    if largest < 2**32:
        return "I"
    return "q"


def _hash_tables(hashes: np.ndarray, positions: np.ndarray, at: int) -> bytes:
    """HashWriter._write_hashes and _write_directory: 256 open-addressing tables, each twice
    as many slots as keys, filled in insertion order with linear probing."""
    bucket = hashes & 255
    order = np.argsort(bucket, kind="stable")
    sizes = np.bincount(bucket, minlength=256)
    bounds = offsets(sizes)
    tables = []
    directory = []
    for b in range(256):
        n = int(sizes[b])
        slots = 2 * n
        directory.append((at, slots))
        at += slots * 12
        if not n:
            continue
        members = order[bounds[b]:bounds[b + 1]]
        member_hashes = hashes[members]
        home = ((member_hashes >> 8) % slots).tolist()
        placed = np.empty(n, dtype=np.int64)
        if len(set(home)) == n:  # no two keys want the same slot: no probing
            placed[:] = home
        else:
            occupied = [False] * slots
            for i, slot in enumerate(home):
                while occupied[slot]:
                    slot = (slot + 1) % slots
                occupied[slot] = True
                placed[i] = slot
        table = np.zeros(slots, dtype=[("hash", ">u4"), ("position", ">i8")])
        table["hash"][placed] = member_hashes
        table["position"][placed] = positions[members]
        tables.append(table.tobytes())
    directory_bytes = np.array(directory, dtype=[("position", ">i8"), ("slots", ">i4")]).tobytes()
    return b"".join(tables) + directory_bytes


# -- the field writer the codec hands to SegmentWriter -----------------------------------------


class BulkFieldWriter:
    """Creates a segment's .trm and .pst files, and fills them from `FieldPostings` at flush."""

    def __init__(self, storage: Any, segment: Any) -> None:
        self._storage, self._segment = storage, segment
        self._terms_file: StructFile = segment.create_file(storage, W3Codec.TERMS_EXT)
        self._postfile: StructFile = segment.create_file(storage, W3Codec.POSTS_EXT)
        self.is_closed = False

    def write(self, schema: Any, fields: dict[str, FieldPostings], perdoc: Any) -> None:
        encoded, pair_sections = [], {}
        for fieldname in sorted(fields):
            collected = fields[fieldname]
            if not collected or fieldname not in schema or fieldname in FOLDED_FROM:
                continue  # FOLDED_FROM: postings of a merged segment written by another writer
            fixed = schema[fieldname].format.fixed_value_size()
            if fieldname in pairs.PAIR_FIELDS:  # to the segment's pair file (pairs.py), values unused
                postings = collected.postings(0)
                pair_sections[fieldname] = pairs.encode_field(postings.terms, postings.term, postings.doc,
                                                              postings.weight)
                continue
            postings = collected.postings(fixed)
            encoded.append((fieldname, encode_field(postings, fixed, length_bytes(perdoc, fieldname), self._postfile)))
        write_terms_file(self._terms_file, encoded)
        # Written even when empty: a segment with a pair file never has pairs in its term table.
        handle = self._segment.create_file(self._storage, pairs.EXTENSION)
        try:
            pairs.write_file(handle, pair_sections)
        finally:
            handle.close()
        setattr(self._segment, pairs.MARK, True)

    def close(self) -> None:
        if not self.is_closed:
            self._terms_file.close()
            self._postfile.close()
            self.is_closed = True


class BulkCodec(W3Codec):  # type: ignore[misc]
    """W3Codec whose field writer is `BulkFieldWriter`. Segments it creates name a plain
    W3Codec: the TOC pickles the segment, and readers must not need this class."""

    def field_writer(self, storage: Any, segment: Any) -> BulkFieldWriter:
        return BulkFieldWriter(storage, segment)

    def new_segment(self, storage: Any, indexname: str) -> W3Segment:
        return W3Segment(W3Codec(), indexname)


# -- postings of an existing segment, in bulk (merges) -----------------------------------------


def read_segment_postings(reader: Any, docmap: dict[int, int] | None, startdoc: int,
                          fields: dict[str, FieldPostings], known: Iterable[str]) -> None:
    """Every posting of a segment reader into `fields` as items, renumbered like
    SegmentWriter._process_posts (deleted documents dropped). Blocks of Whoosh's own codec are
    read whole; any other matcher one posting at a time."""
    schema = known if isinstance(known, (set, frozenset, dict)) else set(known)
    deleted = frozenset(reader._perdoc.deleted_docs()) if hasattr(reader, "_perdoc") else frozenset()
    pair_file = pairs.open_for(reader)
    if pair_file is not None:
        _read_pair_file(pair_file, reader.doc_count_all(), deleted, docmap, startdoc,
                        {name: fields[name] for name in pairs.PAIR_FIELDS if name in schema})
    terms_reader = getattr(reader, "_terms", None)
    for fieldname, text in reader.all_terms():
        if fieldname not in schema or fieldname in FOLDED_FROM:
            continue
        target = fields[fieldname]
        matcher = (terms_reader.matcher(fieldname, text, reader.schema[fieldname].format)
                   if terms_reader is not None else reader.postings(fieldname, text))
        for docnum, weight, value in _matcher_postings(matcher):
            if docnum in deleted:
                continue
            newdoc = docmap[docnum] if docmap is not None else startdoc + docnum
            target.add_item(text, newdoc, weight, value)


def _read_pair_file(pair_file: pairs.PairFile, count: int, deleted: frozenset[int], docmap: dict[int, int] | None,
                    startdoc: int, fields: dict[str, FieldPostings]) -> None:
    """A segment's pair postings, renumbered and without deleted documents, in bulk."""
    if docmap is not None:
        renumber = np.full(count, -1, dtype=np.int64)
        for old, new in docmap.items():
            renumber[old] = new
    else:
        renumber = np.arange(count, dtype=np.int64) + startdoc
    for docnum in deleted:
        renumber[docnum] = -1
    for fieldname, target in fields.items():
        terms, term, doc, weight = pair_file.field_postings(fieldname)
        new = renumber[doc]
        keep = new >= 0
        target.add_postings(Postings(terms, term[keep], new[keep], weight[keep], None))


def _matcher_postings(matcher: Any) -> Iterable[tuple[int, float, bytes | None]]:
    if isinstance(matcher, W3LeafMatcher) and not matcher._byteids:
        while matcher.is_active():
            matcher._read_ids()
            matcher._read_weights()
            matcher._read_values()
            yield from zip(matcher._ids, matcher._weights, matcher._values, strict=True)
            matcher._next_block()
        return
    while matcher.is_active():
        yield matcher.id(), matcher.weight(), matcher.value()
        matcher.next()


__all__ = ["BulkCodec", "BulkFieldWriter", "FieldPostings", "Postings", "encode_field", "ragged",
           "read_segment_postings", "write_terms_file"]
