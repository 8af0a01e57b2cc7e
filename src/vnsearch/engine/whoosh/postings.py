"""Vectorised matching and BM25F scoring over Whoosh postings.

Whoosh scores and unions postings one at a time in Python; a query of a few dozen terms over
tens of thousands of documents then costs hundreds of milliseconds. Here each term's posting
list is decoded block by block into numpy arrays (cached per searcher), matches are boolean
masks over document numbers, and scores accumulate in one dense array. The formula is
Whoosh's own BM25F (B=0.75, K1=1.2, its idf and quantised field lengths), so scores match what
`searcher.search` would give for an Or of the same terms.

Plan nodes (`planner.Term`, `Phrase`, `AnyOf`, `AllOf`) are evaluated here; no Whoosh query
object is built. Posting blocks are read through Whoosh 2.7's codec (`W3LeafMatcher`) with
its private block API, checked by `_fast_path`; any other matcher takes the general, slower
path through Whoosh's public matcher API (a test forces it).

Two kinds of fields are not read from Whoosh's term table: the pair fields, from each
segment's pair file (pairs.py), and the folded syllable fields, made of the postings and
positions of every spelling of a folded syllable in the exact field (schema.FOLDED_FROM).
"""

from __future__ import annotations

import functools
from collections import OrderedDict
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
from whoosh.codec.whoosh3 import W3LeafMatcher, W3PerDocReader

from ...analysis import pair
from ...documents import Document
from ...errors import IndexCorruptError, VnsearchError
from ...planner import AllOf, AnyOf, Node, Phrase, Signal, Term
from ...text import fold
from . import pairs
from .cache import cached, segments_key
from .lengths import BYTE_LENGTHS, length_bytes
from .positions import BlockDirectory, DirectoryBuilder, position_decoder, read_positions
from .schema import FOLDED_FROM, document_from_stored

B, K1 = 0.75, 1.2
CACHE_POSTINGS = 20_000_000  # decoded postings kept per searcher (about 160 MB at most)
# The fields whose lengths BM25 reads: the planner's signals are over these.
SCORED_FIELDS = ("body", "title", "body_folded", "title_folded", "body_words", "title_words",
                 "body_pairs_folded", "title_pairs_folded", "number", "cites")
PHRASE_BONUS = 2.0  # score of a non-term scoring query (a phrase), times its boost
# The field of adjacent (folded) syllable pairs that goes with each positional field.
PAIRS_OF = {"body": "body_pairs_folded", "body_folded": "body_pairs_folded",
            "title": "title_pairs_folded", "title_folded": "title_pairs_folded"}


_F = TypeVar("_F", bound=Callable[..., Any])
T = TypeVar("T")


def reads_index(method: _F) -> _F:
    """Reading a damaged index fails deep inside Whoosh with whatever the damaged bytes cause
    (EOFError, struct.error, zlib.error, UnpicklingError, a bare Exception, garbage that a
    decoder trips on...): inside the engine's reading methods, all of them are reported as
    IndexCorruptError with the rebuild hint. Only these methods are wrapped, so a bug above the
    engine (a wrong keyword, a planner error) surfaces as itself."""

    @functools.wraps(method)
    def wrapper(self: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return method(self, *args, **kwargs)
        except VnsearchError:
            raise
        except Exception as error:
            raise IndexCorruptError("index.damaged", path=self.path, error=f"{type(error).__name__}: {error}") from error

    return wrapper  # type: ignore[return-value]


class WhooshSnapshot:
    """One committed version of a Whoosh index, read through one searcher: decoded posting
    lists, per-document statistics, columns and stored documents (the engine's `Snapshot`)."""

    def __init__(self, searcher: Any, path: Path) -> None:
        self.searcher = searcher
        self.path = path
        reader = searcher.reader()
        self.leaves = reader.leaf_readers()
        self.size = reader.doc_count_all()
        self.live = _live(self.leaves, self.size)
        self._deletions = not self.live.all()
        self._cache: OrderedDict[tuple[str, str], tuple[np.ndarray, np.ndarray]] = OrderedDict()
        # Where the blocks of each cached posting list of a positional field lie (see positions.py).
        self._directories: dict[tuple[str, str], list[BlockDirectory]] = {}
        self._cached = 0
        self._lengths: dict[str, np.ndarray] = {}
        self._columns: dict[str, list[str]] = {}
        self._codes: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        self._restorer: Mapping[str, str] | None = None
        self._phrases: dict[tuple[str, tuple[str, ...]], tuple[np.ndarray, np.ndarray]] = {}
        self._phrase_supersets: dict[tuple[str, tuple[str, ...]], np.ndarray] = {}
        self._frequencies: dict[tuple[str, str], int] = {}
        self._pair_files: list[pairs.PairFile | None] | None = None
        self._spellings: dict[str, Mapping[str, tuple[str, ...]]] = {}

    def _pair_file(self, n: int) -> pairs.PairFile | None:
        """Segment `n`'s pair file (pairs.py), opened on first use; None if it has none."""
        if self._pair_files is None:
            self._pair_files = [pairs.open_for(leaf) for leaf, _offset in self.leaves]
        return self._pair_files[n]

    def leaf_doc_frequency(self, n: int, field: str, text: str) -> int:
        """Documents of segment `n` holding a term, deleted ones included (Whoosh's count)."""
        pair_file = self._pair_file(n) if field in pairs.PAIR_FIELDS else None
        if pair_file is not None:
            return pair_file.doc_frequency(field, text)
        leaf = self.leaves[n][0]
        base = FOLDED_FROM.get(field)
        if base is not None:  # documents holding any spelling, each once
            held = [_decode(segment_postings(leaf, base, spelling))[0]
                    for spelling in self.spellings(base).get(text, ()) if (base, spelling) in leaf]
            return len(np.unique(np.concatenate(held))) if held else 0
        return int(leaf.doc_frequency(field, text))

    def spellings(self, field: str) -> Mapping[str, tuple[str, ...]]:
        """Folded syllable -> its spellings among the terms of `field` ("tham" -> "thám",
        "thâm", "thẩm"...): what a folded field's postings are made of (schema.FOLDED_FROM)."""
        if field not in self._spellings:

            def build() -> dict[str, tuple[str, ...]]:
                grouped: dict[str, list[str]] = {}
                for term in self.vocabulary(field):
                    grouped.setdefault(fold(term), []).append(term)
                return {folded: tuple(sorted(terms)) for folded, terms in grouped.items()}

            self._spellings[field] = self.cached_table(f"spellings-of-{field}", build)
        return self._spellings[field]

    @reads_index
    def doc_count(self) -> int:
        return int(self.live.sum())

    @reads_index
    def document(self, docnum: int) -> Document:
        return document_from_stored(self.searcher.stored_fields(docnum))

    @reads_index
    def find(self, doc_id: str) -> Document | None:
        stored = self.searcher.document(id=doc_id)
        return document_from_stored(stored) if stored else None

    # -- postings -------------------------------------------------------------------------

    @reads_index
    def postings(self, field: str, text: str) -> tuple[np.ndarray, np.ndarray]:
        """(document numbers, term frequencies) of a term, over every segment."""
        key = (field, text)
        if key in self._cache:
            self._cache.move_to_end(key)
            return self._cache[key]
        if field in FOLDED_FROM:
            result = self._folded_postings(FOLDED_FROM[field], text)
            self._remember(key, result, None)
            return result
        docs, freqs = [], []
        directories: list[BlockDirectory] | None = [] if self._positional(field) else None
        for n, (leaf, offset) in enumerate(self.leaves):
            pair_file = self._pair_file(n) if field in pairs.PAIR_FIELDS else None
            if pair_file is not None:
                leaf_docs, leaf_freqs = pair_file.postings(field, text)
                docs.append(leaf_docs + offset)
                freqs.append(leaf_freqs)
                continue
            if (field, text) not in leaf:
                continue
            matcher = segment_postings(leaf, field, text)
            builder = DirectoryBuilder() if directories is not None and _fast_path(matcher) else None
            leaf_docs, leaf_freqs = _decode(matcher, builder)
            docs.append(leaf_docs + offset)
            freqs.append(leaf_freqs)
            if directories is not None:
                if builder is None:
                    directories = None  # another codec: positions are read through Whoosh's matcher
                else:
                    directories.append(builder.build(matcher._postfile, offset, leaf.doc_count_all()))
        result = (
            (np.concatenate(docs), np.concatenate(freqs))
            if docs
            else (np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32))
        )
        if self._deletions:  # the segments' posting lists still hold their deleted documents
            live = self.live[result[0]]
            result = (result[0][live], result[1][live])
        self._remember(key, result, directories)
        return result

    def _folded_postings(self, base: str, text: str) -> tuple[np.ndarray, np.ndarray]:
        """A folded syllable's postings: those of its spellings in the exact field, merged
        (a document's frequency is the sum of its spellings')."""
        parts = [self.postings(base, spelling) for spelling in self.spellings(base).get(text, ())]
        parts = [part for part in parts if len(part[0])]
        if not parts:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        if len(parts) == 1:  # the same arrays: cached postings are never changed in place
            return parts[0]
        docs = np.concatenate([part[0] for part in parts])
        freqs = np.concatenate([part[1] for part in parts])
        order = np.argsort(docs, kind="stable")
        docs, freqs = docs[order], freqs[order]
        first = np.ones(len(docs), dtype=bool)
        first[1:] = docs[1:] != docs[:-1]
        starts = np.flatnonzero(first)
        return docs[starts], np.add.reduceat(freqs, starts).astype(np.float32)

    def _positional(self, field: str) -> bool:
        schema = self.searcher.schema
        return field in schema and schema[field].format.supports("positions")

    def _remember(self, key: tuple[str, str], value: tuple[np.ndarray, np.ndarray],
                  directories: list[BlockDirectory] | None) -> None:
        self._cache[key] = value
        if directories is not None:
            self._directories[key] = directories
        self._cached += len(value[0])
        while self._cached > CACHE_POSTINGS and len(self._cache) > 1:
            old_key, (old, _) = self._cache.popitem(last=False)
            self._directories.pop(old_key, None)
            self._cached -= len(old)

    def cached_table(self, name: str, build: Callable[[], T]) -> T:
        """A table derived from this snapshot, kept in the index's cache folder (see cache.py)."""
        return cached(self.path, name, segments_key(self.leaves), build)

    @reads_index
    def prepare_scoring(self) -> None:
        """Read now (and keep in the cache folder) the field lengths every ranked search reads,
        and the spellings of each folded syllable."""
        for field in SCORED_FIELDS:
            self.lengths(field)
        for field in sorted(set(FOLDED_FROM.values())):  # what queries without diacritics read
            self.spellings(field)

    @reads_index
    def lengths(self, field: str) -> np.ndarray:
        """Quantised field length of every document, as Whoosh's BM25F sees it."""
        if field not in self._lengths:

            def build() -> np.ndarray:
                values = np.ones(self.size, dtype=np.float32)
                for leaf, offset in self.leaves:
                    count = leaf.doc_count_all()
                    perdoc = getattr(leaf, "_perdoc", None)
                    if isinstance(perdoc, W3PerDocReader):  # the length column's bytes, at once
                        found = length_bytes(perdoc, field)
                        if found is not None:  # no column: every length is the default, 1
                            values[offset : offset + count] = np.where(found > 0, BYTE_LENGTHS[found], 1)
                        continue
                    for docnum in range(count):  # another codec: document by document
                        length = leaf.doc_field_length(docnum, field, 1) or 1
                        values[offset + docnum] = length
                return values

            # Kept in the cache folder for the next process (the first query of a `vnsearch
            # search` call); read document by document through Whoosh it took a second on
            # news-all, from the column files a few milliseconds.
            self._lengths[field] = cached(self.path, f"lengths-{field}", segments_key(self.leaves), build)
        return self._lengths[field]

    # -- masks and scores ------------------------------------------------------------------

    @reads_index
    def mask(self, node: Node, within: np.ndarray | None = None) -> np.ndarray:
        """Boolean array: the live documents matching a plan node (phrases checked only `within`)."""
        if isinstance(node, Phrase):
            return self._phrase(node.field, list(node.words), self.live if within is None else within)
        if isinstance(node, Term):
            result = np.zeros(self.size, dtype=bool)
            result[self.postings(node.field, node.text)[0]] = True
        elif isinstance(node, AnyOf):
            result = np.zeros(self.size, dtype=bool)
            # Cheap alternatives first: a phrase is checked by position only where nothing else
            # already holds ("chính_trị" as a pyvi word spares checking "chính trị" as a phrase).
            for sub in sorted(node.nodes, key=lambda n: isinstance(n, Phrase)):
                if isinstance(sub, Phrase):
                    result |= self.mask(sub, (self.live if within is None else within) & ~result)
                else:
                    result |= self.mask(sub, within)
        elif isinstance(node, AllOf):
            result = np.ones(self.size, dtype=bool)
            for sub in node.nodes:
                result &= self.mask(sub, within if within is None else within & result)
                if not result.any():
                    break
        else:
            raise TypeError(f"not a plan node: {node!r}")
        return result & self.live

    def _phrase(self, field: str, words: list[str], within: np.ndarray) -> np.ndarray:
        """Documents where `words` follow each other (positions skip punctuation)."""
        result = np.zeros(self.size, dtype=bool)
        result[self._phrase_frequencies(field, words, within)[0]] = True
        return result

    def _phrase_frequencies(self, field: str, words: list[str], within: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(documents, occurrences) of `words` in sequence, among the documents `within`.

        Positions are decoded only for documents holding every word and every adjacent pair,
        inside `within`: Whoosh's own phrase matcher walks every posting of every word in Python.
        """
        key = (field, tuple(words))
        if within is self.live and key in self._phrases:
            return self._phrases[key]
        found = self._count_phrase(field, words, self._phrase_candidates(field, words, within))
        if within is self.live:
            self._phrases[key] = found
        return found

    def _phrase_estimate(self, field: str, words: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """(documents, estimated occurrences) of a phrase, for ranking, from term look-ups only:
        the documents holding every word and every adjacent pair, each counted as often as its
        rarest pair occurs. Exact for a folded field of two syllables; elsewhere an upper bound
        that reads no positions (an article about "phòng, chống tham nhũng" holds each of its
        pairs many times, a passing mention once)."""
        pairs_field = PAIRS_OF.get(field)
        candidates = self._phrase_candidates(field, words, self.live)
        docs = np.flatnonzero(candidates)
        if len(words) == 1 or pairs_field is None:
            return self._phrase_frequencies(field, words, self.live)
        counts = np.full(len(docs), np.inf, dtype=np.float32)
        folded_words = [fold(word) for word in words]
        for a, b in zip(folded_words, folded_words[1:], strict=False):
            pair_docs, pair_freqs = self.postings(pairs_field, pair(a, b))
            frequency = np.zeros(self.size, dtype=np.float32)
            frequency[pair_docs] = pair_freqs
            counts = np.minimum(counts, frequency[docs])
        return docs, counts

    def _phrase_candidates(self, field: str, words: list[str], within: np.ndarray) -> np.ndarray:
        """Documents `within` holding every word of a phrase and, where the field has pairs,
        every adjacent pair: term look-ups only. For a folded field of two syllables this is
        exactly the phrase; otherwise a superset, whose size stands in for the phrase's
        document frequency when its rarity is scored (counting it exactly would read the
        positions of every holder in the index)."""
        key = (field, tuple(words))
        if within is self.live and key in self._phrase_supersets:
            return self._phrase_supersets[key]
        candidates = within & self.live
        for word in words:
            candidates &= self.mask(Term(field, word))
            if not candidates.any():
                break
        pairs_field = PAIRS_OF.get(field)
        if pairs_field is not None and len(words) > 1 and candidates.any():
            folded_words = [fold(word) for word in words]
            for a, b in zip(folded_words, folded_words[1:], strict=False):
                candidates &= self.mask(Term(pairs_field, pair(a, b)))
        if within is self.live:
            self._phrase_supersets[key] = candidates
        return candidates

    def _count_phrase(self, field: str, words: list[str], candidates: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        if len(words) == 1 or not candidates.any():
            docs, freqs = self.postings(field, words[0])
            keep = candidates[docs]
            return docs[keep], freqs[keep]
        folded_words = [fold(word) for word in words]
        pairs_field = PAIRS_OF.get(field)
        if pairs_field is not None and len(words) == 2 and field.endswith("_folded"):
            # The candidates hold the pair: for a folded field its frequency is the phrase's.
            docs, freqs = self.postings(pairs_field, pair(*folded_words))
            keep = candidates[docs]
            return docs[keep], freqs[keep]
        decode = position_decoder(self.searcher.schema[field].format)
        positions = [self._positions(field, word, candidates, decode) for word in words]
        docs_found, counts = [], []
        for doc in map(int, np.flatnonzero(candidates)):
            later = [set(p[doc]) for p in positions[1:]]
            count = sum(1 for start in positions[0][doc] if all(start + i + 1 in s for i, s in enumerate(later)))
            if count:
                docs_found.append(doc)
                counts.append(count)
        return np.array(docs_found, dtype=np.int64), np.array(counts, dtype=np.float32)

    def _positions(self, field: str, word: str, docs: np.ndarray, decode: Any) -> dict[int, list[int]]:
        base = FOLDED_FROM.get(field)
        if base is not None:  # the positions of every spelling, merged
            merged: dict[int, list[int]] = {}
            for spelling in self.spellings(base).get(word, ()):
                # Only where this spelling is: its blocks are read for the documents asked for.
                holders = np.zeros(self.size, dtype=bool)
                holders[self.postings(base, spelling)[0]] = True
                holders &= docs
                if not holders.any():
                    continue
                for doc, positions in self._positions(base, spelling, holders, decode).items():
                    if doc in merged:
                        merged[doc] = sorted(merged[doc] + positions)
                    else:
                        merged[doc] = positions
            return merged
        self.postings(field, word)  # decoded (and cached) with the directory of its blocks
        directories = self._directories.get((field, word))
        if directories is not None:
            return read_positions(directories, docs, decode)
        found: dict[int, list[int]] = {}
        for leaf, offset in self.leaves:
            if (field, word) not in leaf:
                continue
            wanted = np.flatnonzero(docs[offset : offset + leaf.doc_count_all()])
            for ids, values in _blocks(segment_postings(leaf, field, word), values=True, within=wanted):
                ids = ids + offset
                for i in np.flatnonzero(docs[ids]):
                    found[int(ids[i])] = decode(values[i])
        return found

    @reads_index
    def scores(self, signals: list[Signal], exact: np.ndarray | None = None) -> np.ndarray:
        """Sum of the signals' scores, for every document. A phrase's occurrences are estimated
        from its pairs (no positions read), or counted exactly for the documents `exact`."""
        total = np.zeros(self.size, dtype=np.float32)
        for signal in signals:
            self._add_signal(total, signal, exact)
        return total

    @reads_index
    def signal_scores(self, signals: list[Signal], docnums: np.ndarray) -> np.ndarray:
        """What each signal adds to each of `docnums`' scores (phrases counted exactly):
        shape (len(docnums), len(signals))."""
        exact = np.zeros(self.size, dtype=bool)
        exact[docnums] = True
        table = np.zeros((len(docnums), len(signals)), dtype=np.float32)
        for column, signal in enumerate(signals):
            one = np.zeros(self.size, dtype=np.float32)
            self._add_signal(one, signal, exact)
            table[:, column] = one[docnums]
        return table

    def _add_signal(self, total: np.ndarray, signal: Signal, exact: np.ndarray | None) -> None:
        node = signal.node
        if isinstance(node, Term):
            docs, freqs = self.postings(node.field, node.text)
            # Whoosh's term statistics count deleted documents until a merge drops them.
            df = self._doc_frequency(node.field, node.text) if len(docs) else 0
        elif isinstance(node, Phrase):  # scored like a term: its occurrences, its rarity
            docs, freqs = self._phrase_estimate(node.field, list(node.words))
            df = len(docs)  # the estimate's holders: the same rarity however the occurrences are counted
            if exact is not None:
                docs, freqs = self._phrase_frequencies(node.field, list(node.words), exact)
        else:
            total += (PHRASE_BONUS * signal.weight) * self.mask(node)
            return
        if len(docs):
            total[docs] += signal.weight * self._bm25(node.field, df, docs, freqs)

    def _doc_frequency(self, field: str, text: str) -> int:
        key = (field, text)
        if key not in self._frequencies and field in FOLDED_FROM and not self._deletions:
            self._frequencies[key] = len(self.postings(field, text)[0])  # no deleted document to count
        if key not in self._frequencies:
            self._frequencies[key] = sum(self.leaf_doc_frequency(n, field, text) for n in range(len(self.leaves)))
        return self._frequencies[key]

    def _bm25(self, field: str, df: int, docs: np.ndarray, freqs: np.ndarray) -> np.ndarray:
        # Whoosh's idf: log(N / (df + 1)) + 1, N counting deleted documents as Whoosh does.
        idf = float(np.log(self.size / (df + 1)) + 1.0)
        avg = self.searcher.avg_field_length(field) or 1
        lengths = self.lengths(field)[docs]
        return idf * ((freqs * (K1 + 1)) / (freqs + K1 * ((1 - B) + B * lengths / avg)))

    # -- diacritics ------------------------------------------------------------------------

    @reads_index
    def restorer(self) -> Mapping[str, str]:
        """Folded word -> its commonest spelling in this index ("tham_nhung" -> "tham_nhũng").

        Built from the word vocabulary once per set of segments, and kept in the index's cache
        folder for the next process: a query typed without diacritics then ranks documents with
        the usual spelling of its words above other foldings of them.
        """
        if self._restorer is None:
            key = segments_key(self.leaves)
            self._restorer = cached(self.path, "restorer", key, self._build_restorer)
        return self._restorer

    def _build_restorer(self) -> dict[str, str]:
        from .vocabulary import leaf_doc_frequencies  # (it imports this module)

        # Segment by segment, each in term order: of two spellings held by as many documents,
        # the first seen wins. The term records are read in bulk, not as Whoosh's TermInfo
        # objects (a second on news-all).
        counts: dict[str, int] = {}
        for leaf, _offset in self.leaves:
            for term, frequency in leaf_doc_frequencies(leaf, "body_words"):
                word = term.decode("utf-8") if isinstance(term, bytes) else str(term)
                counts[word] = counts.get(word, 0) + frequency
        best: dict[str, tuple[int, str]] = {}
        for word, count in counts.items():
            key = fold(word)
            if count > best.get(key, (0, ""))[0]:
                best[key] = (count, word)
        # Only multi-syllable words: a lone syllable is too ambiguous ("dang": đang, đảng).
        return {key: word for key, (_count, word) in best.items() if word != key and "_" in key}

    # -- columns ---------------------------------------------------------------------------

    @reads_index
    def column(self, name: str) -> list[str]:
        """Values of a sortable field for every document number ("" where there is none).

        Read segment by segment: Whoosh's multi-segment column reader fails when a segment
        lacks the column.
        """
        if name not in self._columns:

            def build() -> list[str]:
                values: list[str] = []
                for reader, _offset in self.leaves:
                    count = reader.doc_count_all()
                    if reader.has_column(name):
                        column = reader.column_reader(name)
                        values.extend(_text(column[n]) for n in range(count))
                    else:
                        values.extend([""] * count)
                return values

            self._columns[name] = cached(self.path, f"column-{name}", segments_key(self.leaves), build)
        return self._columns[name]

    @reads_index
    def codes(self, name: str) -> tuple[np.ndarray, np.ndarray]:
        """(distinct values, code of each document) for a column: counting becomes bincount."""
        if name not in self._codes:

            def build() -> tuple[np.ndarray, np.ndarray]:
                values, codes = np.unique(np.array(self.column(name), dtype=object), return_inverse=True)
                return values, codes

            # Sorting 35,000 strings (the ids) takes tens of milliseconds: a cold query's facets
            # and tie-breaks read the codes from the cache folder instead, and no column at all.
            self._codes[name] = cached(self.path, f"codes-{name}", segments_key(self.leaves), build)
        return self._codes[name]

    # -- spelling statistics: delegated to vocabulary.py (imported here: it imports this module)

    @reads_index
    def vocabulary(self, field: str) -> Mapping[str, int]:
        """Every term of `field` -> documents holding it (read once per snapshot)."""
        from .vocabulary import vocabulary

        return vocabulary(self, field)

    @reads_index
    def doc_frequency(self, field: str, text: str) -> int:
        """Documents holding `text` in `field`."""
        from .vocabulary import doc_frequency

        return doc_frequency(self, field, text)

    @reads_index
    def adjacent_counts(self, lefts: list[str], rights: list[str], *, sample: int) -> tuple[dict[tuple[str, str], int], int]:
        """Sampled documents holding each exact body syllable of `lefts` right before each of `rights`."""
        from .vocabulary import adjacent_counts

        return adjacent_counts(self, lefts, rights, sample=sample)


def _live(leaves: list[tuple[Any, int]], size: int) -> np.ndarray:
    """Which document numbers are live: every one of a segment without deletions (most are;
    asking Whoosh document by document costs 0.1 s on 35,000 documents)."""
    live = np.ones(size, dtype=bool)
    for leaf, offset in leaves:
        if leaf.has_deletions():
            count = leaf.doc_count_all()
            alive = np.zeros(count, dtype=bool)
            alive[np.fromiter(leaf.all_doc_ids(), dtype=np.int64)] = True
            live[offset : offset + count] = alive
    return live


def segment_postings(leaf: Any, field: str, text: str) -> Any:
    """A segment's posting list of a term, deleted documents included (the caller drops them).

    Where a segment has deletions, Whoosh's `postings` builds a set of them for every call and
    wraps the list in a FilterMatcher that tests each posting in Python; its blocks can then
    not be read whole. The segment's terms reader gives the bare list, as merging reads it
    (codec.read_segment_postings)."""
    terms = getattr(leaf, "_terms", None)
    if terms is None or not hasattr(leaf, "_text_to_bytes"):
        return leaf.postings(field, text)
    return terms.matcher(field, leaf._text_to_bytes(field, text), leaf.schema[field].format)


def _text(value: Any) -> str:
    return value.decode("utf-8") if isinstance(value, bytes) else str(value)


def _decode(matcher: Any, directory: DirectoryBuilder | None = None) -> tuple[np.ndarray, np.ndarray]:
    """All (docnums, frequencies) of one segment's posting list; each block noted in
    `directory` if given (fast path only)."""
    id_blocks, weight_blocks = [], []
    for ids, weights in _blocks(matcher, values=False, directory=directory):
        id_blocks.append(ids)
        weight_blocks.append(weights)
    return np.concatenate(id_blocks), np.concatenate(weight_blocks)


def _fast_path(matcher: Any) -> bool:
    """Can this matcher's blocks be read whole? Whoosh 2.7's codec with delta-encoded ids only
    (`_byteids` blocks store ids another way)."""
    return isinstance(matcher, W3LeafMatcher) and not getattr(matcher, "_byteids", True)


def _blocks(matcher: Any, *, values: bool, within: np.ndarray | None = None,
            directory: DirectoryBuilder | None = None) -> Iterator[tuple[np.ndarray, Any]]:
    """(docnums, frequencies or raw values) block by block; with `within` (sorted docnums of
    this segment), blocks that cannot hold any of them are skipped unread."""
    if not _fast_path(matcher):  # not Whoosh 2.7's codec as vnsearch writes it: the general way
        docnums, found = [], []
        while matcher.is_active():
            docnums.append(matcher.id())
            found.append(matcher.value() if values else matcher.weight())
            matcher.next()
        yield np.array(docnums, dtype=np.int64), (found if values else np.array(found, dtype=np.float32))
        return
    previous_max = -1
    while matcher.is_active():
        block_max = matcher.block_max_id()
        if within is not None:
            first = int(np.searchsorted(within, previous_max, side="right"))
            previous_max = block_max
            if first >= len(within) or within[first] > block_max:  # no wanted document here
                matcher._next_block()
                continue
        if directory is not None:
            directory.add(matcher)
        matcher._read_data()  # one block: (delta-encoded ids, weights, values)
        deltas = matcher._data[0]
        ids: np.ndarray = np.cumsum(np.array(deltas, dtype=np.int64))
        if values:
            matcher._read_values()
            yield ids, matcher._values
        else:
            weights = matcher._data[1]
            if weights is None:
                yield ids, np.ones(len(deltas), dtype=np.float32)
            elif isinstance(weights, float):
                yield ids, np.full(len(deltas), weights, dtype=np.float32)
            else:
                yield ids, np.array(weights, dtype=np.float32)
        matcher._next_block()
