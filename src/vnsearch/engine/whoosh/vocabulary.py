"""What spelling statistics need from a Whoosh index: term vocabularies with document
frequencies, and exact syllable adjacency measured on a sample of documents.

The snapshot's `vocabulary`, `doc_frequency` and `adjacent_counts` methods delegate here (see
`engine.base.Snapshot`). Everything expensive is computed once per snapshot and kept in a
weak cache keyed by the snapshot, so it dies with the searcher it was read from.

Deleted documents still count in Whoosh's term statistics until their segment is merged; for
spelling statistics that is noise, not error.
"""

from __future__ import annotations

import struct
import weakref
from collections.abc import Iterator, Mapping
from typing import Any

import numpy as np
from whoosh.codec.whoosh3 import W3TermsReader
from whoosh.filedb.filetables import OrderedHashReader

from ...analysis import pair
from ...text import fold
from . import pairs
from .cache import cached, segments_key
from .positions import position_decoder
from .postings import _blocks, segment_postings
from .schema import FOLDED_FROM

# snapshot -> field -> term -> document frequency
_VOCABULARIES: weakref.WeakKeyDictionary[Any, dict[str, Mapping[str, int]]] = weakref.WeakKeyDictionary()


def vocabulary(snapshot: Any, field: str) -> Mapping[str, int]:
    """Every term of `field` -> the number of documents holding it, over every segment.

    Read once per snapshot: about 0.1 s for `body` (22,000 terms) and 0.3 s for `body_words`
    (52,000) on news-politics + news-dated, 1.5 s for both on news-all. Fields of pairs hold
    far more terms: look those up one by one with `doc_frequency` instead.
    """
    if field in FOLDED_FROM:  # no terms of its own: a folded term's count is not its spellings' sum
        raise ValueError(f"{field} is read through {FOLDED_FROM[field]}: ask for its vocabulary instead")
    fields = _VOCABULARIES.setdefault(snapshot, {})
    if field not in fields:

        def build() -> dict[str, int]:
            counts: dict[str, int] = {}
            for leaf, _offset in snapshot.leaves:
                for term, frequency in leaf_doc_frequencies(leaf, field):
                    text = term.decode("utf-8") if isinstance(term, bytes) else str(term)
                    counts[text] = counts.get(text, 0) + frequency
            return counts

        # Kept in the index's cache folder too: a fresh process reads it back in milliseconds.
        key = segments_key(snapshot.leaves)
        fields[field] = cached(snapshot.path, f"vocabulary-{field}", key, build)
    return fields[field]


_RECORD = struct.Struct("!ii")  # whoosh.filedb.filetables: key length, value length
_DOC_FREQUENCY = struct.Struct("!I")  # W3TermInfo: flags (B), weight (f), then the document frequency
_DOC_FREQUENCY_AT = 5


def leaf_doc_frequencies(leaf: Any, field: str) -> Iterator[tuple[bytes, int]]:
    """(term, documents holding it) of one segment's field. Whoosh's `iter_field` builds a
    TermInfo object per term and reads each record with two seeks (18 s for news-all's
    800,000 records of `body` and `body_words`); here the field's records, which lie side by
    side in the term table, are read at once and only the document frequency is unpacked.
    Any other codec takes Whoosh's way."""
    if field not in leaf.schema:
        return
    pair_file = pairs.open_for(leaf) if field in pairs.PAIR_FIELDS else None
    if pair_file is not None:
        yield from pair_file.field_terms(field)
        return
    terms = getattr(leaf, "_terms", None)
    table = getattr(terms, "_tindex", None)
    if not isinstance(terms, W3TermsReader) or not isinstance(table, OrderedHashReader):
        for term, info in leaf.iter_field(field):
            yield term, info.doc_frequency()
        return
    prefix = terms._keycoder(field, b"")
    start = table.closest_key_pos(prefix)
    if start is None:
        return
    number = struct.unpack("!H", prefix)[0]
    end = table.closest_key_pos(struct.pack("!H", number + 1)) if number < 0xFFFF else None
    end = table.endofdata if end is None else end
    data = table.dbfile.get(start, end - start)
    at = 0
    while at < len(data):
        key_length, value_length = _RECORD.unpack_from(data, at)
        key_at = at + _RECORD.size
        value_at = key_at + key_length
        if data[key_at : key_at + 2] != prefix:
            break
        yield data[key_at + 2 : value_at], _DOC_FREQUENCY.unpack_from(data, value_at + _DOC_FREQUENCY_AT)[0]
        at = value_at + value_length


def doc_frequency(snapshot: Any, field: str, text: str) -> int:
    """The number of documents holding `text` in `field` (a dictionary look-up per segment)."""
    return sum(snapshot.leaf_doc_frequency(n, field, text) for n in range(len(snapshot.leaves)))


def adjacent_counts(
    snapshot: Any, lefts: list[str], rights: list[str], *, sample: int
) -> tuple[dict[tuple[str, str], int], int]:
    """How often each exact syllable of `lefts` directly precedes each of `rights` in `body`.

    Every left folds to one string and every right to another (the spellings of one folded
    pair). Measured on up to `sample` documents holding the folded pair (`body_pairs_folded`):
    returns ({(left, right): documents holding it}, documents sampled). Cross-word pairs ("dựng
    đảng" of "xây dựng Đảng") are held exactly by no indexed field; this reads the positions of
    each spelling in the sampled documents only, so its cost is bounded by the sample and the
    number of spellings, whatever the pair's frequency.
    """
    if not lefts or not rights:
        return {}, 0
    docs, _freqs = snapshot.postings("body_pairs_folded", pair(fold(lefts[0]), fold(rights[0])))
    docs = np.sort(docs[snapshot.live[docs]])
    if not len(docs):
        return {}, 0
    # The sample is a run of neighbouring documents of one segment, from the middle of the
    # segment holding most of them: positions are read block by block (128 postings) and one
    # matcher per segment, so a run touches a block or two of each spelling's posting list
    # where documents spread over the index would read nearly all of them (3-5x the time).
    leaf, offset = max(snapshot.leaves, key=lambda lo: _count_between(docs, lo[1], lo[1] + lo[0].doc_count_all()))
    docs = docs[(docs >= offset) & (docs < offset + leaf.doc_count_all())] - offset
    if len(docs) > sample:
        start = (len(docs) - sample) // 2
        docs = docs[start : start + sample]
    decode = position_decoder(snapshot.searcher.schema["body"].format)
    left_positions = {s: _positions(leaf, s, docs, decode) for s in dict.fromkeys(lefts)}
    right_positions = {s: _positions(leaf, s, docs, decode) for s in dict.fromkeys(rights)}
    counts: dict[tuple[str, str], int] = {}
    for left, by_doc in left_positions.items():
        if not by_doc:
            continue
        after = {doc: {p + 1 for p in positions} for doc, positions in by_doc.items()}
        for right, right_by_doc in right_positions.items():
            held = sum(1 for doc, positions in right_by_doc.items() if doc in after and not after[doc].isdisjoint(positions))
            if held:
                counts[(left, right)] = held
    return counts, len(docs)


def _count_between(docs: np.ndarray, low: int, high: int) -> int:
    return int(np.searchsorted(docs, high) - np.searchsorted(docs, low))


def _positions(leaf: Any, word: str, docs: np.ndarray, decode: Any) -> dict[int, list[int]]:
    """Positions of `word` in field `body` of the segment's documents `docs` (sorted) that hold it."""
    if ("body", word) not in leaf:
        return {}
    wanted = np.zeros(leaf.doc_count_all(), dtype=bool)
    wanted[docs] = True
    found: dict[int, list[int]] = {}
    for ids, values in _blocks(segment_postings(leaf, "body", word), values=True, within=docs):
        for i in np.flatnonzero(wanted[ids]):
            found[int(ids[i])] = decode(values[i])
        if len(ids) and ids[-1] >= docs[-1]:
            break  # past the last wanted document: the rest of the list is not needed
    return found
