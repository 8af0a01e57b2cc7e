"""The embedded Whoosh engine: what Whoosh reads back, masks and scores equal to Whoosh's own.

The only test module besides the engine itself that imports Whoosh: it checks the engine
against Whoosh's own analyzers, writer, matchers and BM25F.
"""

import pickle
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from whoosh import fields, formats
from whoosh import index as whoosh_index
from whoosh import query as wq
from whoosh.filedb.filetables import OrderedHashReader, OrderedHashWriter
from whoosh.filedb.structfile import StructFile
from whoosh.writing import SegmentWriter

from vnsearch import Document, Index
from vnsearch.analysis import analyze_document, folded, syllables
from vnsearch.engine.whoosh import codec, pairs, ragged, store
from vnsearch.engine.whoosh import postings as postings_module
from vnsearch.engine.whoosh.codec import positions_values
from vnsearch.engine.whoosh.positions import position_decoder
from vnsearch.engine.whoosh.schema import (
    FOLDED_FROM,
    build_schema,
    folded_syllable_analyzer,
    frequency_items,
    positional_items,
    syllable_analyzer,
    whoosh_values,
    word_analyzer,
)
from vnsearch.engine.whoosh.writer import Writer
from vnsearch.planner import AllOf, AnyOf, Phrase, Signal, Term
from vnsearch.text import fold, normalize

# -- posting items and segment files ------------------------------------------------------------

TEXT = normalize("Ban Thường vụ Tỉnh uỷ: đấu tranh phòng, chống tham nhũng (21-NQ/TW)!")


def _whoosh_items(field: fields.FieldType, text: str) -> list[tuple[bytes, int, float, bytes]]:
    return sorted(field.index(text))


def test_positional_items_match_whoosh_byte_for_byte() -> None:
    field = fields.TEXT(analyzer=syllable_analyzer(), phrase=True)
    assert sorted(positional_items(syllables(TEXT))) == _whoosh_items(field, TEXT)


def test_folded_items_match_whoosh_byte_for_byte() -> None:
    field = fields.TEXT(analyzer=folded_syllable_analyzer(), phrase=True)
    assert sorted(positional_items(folded(syllables(TEXT)))) == _whoosh_items(field, TEXT)


def test_frequency_items_match_whoosh_byte_for_byte() -> None:
    field = fields.TEXT(analyzer=word_analyzer(), phrase=False)
    text = "ban thường_vụ tỉnh_ủy ban"
    assert sorted(frequency_items(text.split())) == _whoosh_items(field, text)


def _documents() -> list[Document]:
    """Documents that reach every branch of the posting encoder: terms in more than one block
    of 128, positions past 255 and 65,535 (pickle's 1, 2 and 4-byte integers), over 1,000
    positions of one term in one document (pickle's batches), empty titles, document numbers,
    weights all 1, all equal and varied within a block, short and long (compressed) blocks."""
    docs = [Document(id=f"d{i:03d}", title=f"Tiêu đề {i}" if i % 7 else "",
                     text="phòng, chống tham nhũng " * (i % 5 + 1) + f"số {i} " + "Ban Thường vụ " * (i % 3),
                     number=f"{i}-NQ/TW" if i % 4 == 0 else None, committee="Bộ Chính trị" if i % 2 else None,
                     date=f"20{10 + i % 10}-01-0{1 + i % 9}", cited_numbers=("15/2020/NĐ-CP",) if i % 6 == 0 else ())
            for i in range(300)]
    docs.append(Document(id="long", title="Văn bản dài", text=" ".join(["tham nhũng"] * 1200 + ["cuối"] * 40000)))
    return docs


DOCS = _documents()


def _write(path: Path, writer_class: type, documents: list[Document] = DOCS) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    ix = whoosh_index.create_in(str(path), build_schema())
    writer = writer_class(ix, compound=False)
    for document in documents:
        writer.add_document(**whoosh_values(analyze_document(document, "stamp")))
    writer.commit()
    return path


def _contents(path: Path) -> dict:
    """Everything Whoosh's reader gives back about an index: per segment, every term with its
    statistics, every posting (id, weight, value bytes) with its block's statistics, every
    field length, stored field and column value."""
    ix = whoosh_index.open_dir(str(path))
    reader = ix.reader()
    snapshot = postings_module.WhooshSnapshot(ix.searcher(), path)
    decode = position_decoder(snapshot.searcher.schema["body"].format)
    found: dict = {}
    for n, (leaf, offset) in enumerate(reader.leaf_readers()):
        count = leaf.doc_count_all()
        found[n, "documents"] = (count, sorted(leaf.all_doc_ids()))
        # pairs and folded fields: not in vnsearch's term table
        for field in sorted(set(leaf.indexed_field_names()) | pairs.PAIR_FIELDS | set(FOLDED_FROM)):
            found[n, "field length", field] = leaf.field_length(field)
            found[n, "lengths", field] = [leaf.doc_field_length(d, field) for d in range(count)]
        pair_file = pairs.open_for(leaf)
        if pair_file is not None:  # vnsearch's pair fields: their own file, documents and counts only
            for field in sorted(pairs.PAIR_FIELDS):
                for text, df in pair_file.field_terms(field):
                    docs, freqs = pair_file.postings(field, text.decode())
                    assert len(docs) == df
                    found[n, "pairs", field, text] = list(zip(docs.tolist(), freqs.tolist(), strict=True))
            for field, base in FOLDED_FROM.items():  # derived from the exact field when read
                for text in snapshot.spellings(base):
                    docs, freqs = snapshot.postings(field, text)
                    here = (docs >= offset) & (docs < offset + count)
                    if not here.any():
                        continue
                    wanted = np.zeros(snapshot.size, dtype=bool)
                    wanted[docs[here]] = True
                    positions = snapshot._positions(field, text, wanted, decode)
                    found[n, "folded", field, text.encode()] = (
                        snapshot.leaf_doc_frequency(n, field, text),
                        [(d - offset, f, positions[d]) for d, f in zip(docs[here].tolist(), freqs[here].tolist(), strict=True)])
        for (field, text), info in leaf._terms.items():
            if field in FOLDED_FROM:
                assert pair_file is None  # vnsearch's writer writes no postings for them
                matcher, items = leaf.postings(field, text), []
                while matcher.is_active():
                    items.append((matcher.id(), matcher.weight(), matcher.value_as("positions")))
                    matcher.next()
                found[n, "folded", field, text] = (info.doc_frequency(), items)
                continue
            if field in pairs.PAIR_FIELDS:
                assert pair_file is None  # a segment with a pair file has no pairs in its term table
                matcher, items = leaf.postings(field, text), []
                while matcher.is_active():
                    items.append((matcher.id(), matcher.weight()))
                    matcher.next()
                found[n, "pairs", field, text] = items
                continue
            found[n, "term", field, text] = (info.weight(), info.doc_frequency(), info.min_length(),
                                            info.max_length(), info.max_weight(), info.min_id(), info.max_id())
            matcher = leaf.postings(field, text)
            postings = []
            while matcher.is_active():
                block = (matcher.block_min_id(), matcher.block_max_id(), matcher.block_max_weight(),
                         matcher.block_min_length(), matcher.block_max_length())
                postings.append((matcher.id(), matcher.weight(), matcher.value(), block))
                matcher.next()
            found[n, "postings", field, text] = postings
        found[n, "stored"] = [leaf.stored_fields(d) for d in range(count)]
        for column in ("id", "fingerprint", "committee", "doc_type", "year", "date"):
            if leaf.has_column(column):
                values = leaf.column_reader(column)
                found[n, "column", column] = [values[d] for d in range(count)]
    snapshot.searcher.close()
    ix.close()
    return found


def test_reader_gets_back_what_whoosh_segment_writer_wrote(tmp_path: Path) -> None:
    ours, theirs = _contents(_write(tmp_path / "a", Writer)), _contents(_write(tmp_path / "b", SegmentWriter))
    assert ours.keys() == theirs.keys()
    assert [key for key in ours if ours[key] != theirs[key]] == []
    positions = theirs[0, "postings", "body", "cuối".encode()][0][2]
    assert len(positions) > 40000  # the long document is really there, with its positions


def test_per_document_files_are_whoosh_s_own(tmp_path: Path) -> None:
    # Stored fields, lengths and columns go through Whoosh's per-document writer unchanged.
    def files(path: Path) -> dict[str, bytes]:
        return {p.name.split(".", 1)[1]: p.read_bytes() for p in path.iterdir() if p.name.endswith(".col")}

    ours, theirs = files(_write(tmp_path / "a", Writer)), files(_write(tmp_path / "b", SegmentWriter))
    assert ours.keys() == theirs.keys() and len(ours) > 5
    assert [name for name in ours if ours[name] != theirs[name]] == []


@pytest.mark.parametrize("first_writer", ["same", "whoosh"])
def test_merged_segments_read_the_same_as_whoosh_s_merge(tmp_path: Path, first_writer: str) -> None:
    # Two small segments, documents deleted from both, then a commit that merges them into
    # the new one (vnsearch's merge policy): the postings of merged segments are read in bulk,
    # whether vnsearch's writer or Whoosh's wrote them (indexes built before the bulk writer).
    def build(path: Path, writer_class: type) -> Path:
        earlier = SegmentWriter if first_writer == "whoosh" else writer_class
        _write(path, earlier, DOCS[:120])
        ix = whoosh_index.open_dir(str(path))
        writer = earlier(ix, compound=False)
        for document in DOCS[120:200]:
            writer.add_document(**whoosh_values(analyze_document(document, "stamp")))
        writer.commit(merge=False)
        writer = writer_class(ix, compound=False)
        for doc_id in ("d003", "d050", "d130", "d199"):
            writer.delete_by_term("id", doc_id)
        for document in DOCS[200:230]:
            writer.add_document(**whoosh_values(analyze_document(document, "stamp")))
        writer.commit(mergetype=store.merge_small_segments)
        return path

    ours, theirs = _contents(build(tmp_path / "a", Writer)), _contents(build(tmp_path / "b", SegmentWriter))
    assert ours[0, "documents"][0] == 226  # one segment: 120 + 80 - 4 + 30
    assert ours.keys() == theirs.keys()
    assert [key for key in ours if ours[key] != theirs[key]] == []


def test_terms_file_is_whoosh_s_ordered_hash_file(tmp_path: Path) -> None:
    # Given the same keys and values, the terms file is byte for byte what Whoosh's
    # OrderedHashWriter writes (the table W3FieldWriter fills).
    path = _write(tmp_path / "a", Writer)
    [trm] = path.glob("*.trm")
    reader = OrderedHashReader(StructFile(open(trm, "rb")), trm.stat().st_size)
    items = list(reader.items())
    fieldmap = reader.extras["fieldmap"]
    reader.close()
    with open(tmp_path / "whoosh.trm", "wb") as handle:
        writer = OrderedHashWriter(StructFile(handle))
        writer.extras["fieldmap"] = fieldmap
        for key, value in items:
            writer.add(key, value)
        writer.close()
    assert trm.read_bytes() == (tmp_path / "whoosh.trm").read_bytes()


@given(st.lists(st.integers(0, 2**31 - 1), max_size=40), st.lists(st.floats(allow_nan=False, width=32), max_size=5),
       st.lists(st.binary(max_size=300), min_size=1, max_size=8))
def test_pickled_pieces_load_as_python_objects(ints: list[int], floats: list[float], blobs: list[bytes]) -> None:
    assert [pickle.loads(ragged.pickled_ints(np.array(ints, dtype=np.int64)).row(i) + b".") for i in range(len(ints))] == ints
    assert [pickle.loads(ragged.pickled_floats(np.array(floats)).row(i) + b".") for i in range(len(floats))] == floats
    rows = ragged.Ragged.from_bytes_list(blobs)
    items = ragged.concat(codec._bytes_headers(rows.lengths), rows)
    assert [pickle.loads(items.row(i) + b".") for i in range(len(blobs))] == blobs
    blocks = codec._Blocks(np.array([0]), np.array([len(blobs)]), len(blobs))
    assert pickle.loads(blocks.tuples(items).row(0) + b".") == tuple(blobs)


@given(st.lists(st.lists(st.integers(0, 70000), min_size=1, max_size=1500, unique=True), min_size=1, max_size=4))
@settings(max_examples=30, deadline=None)
def test_positions_values_are_whoosh_s_encoding(position_lists: list[list[int]]) -> None:
    fmt = formats.Positions()
    lists = [sorted(p) for p in position_lists]
    freq = np.array([len(p) for p in lists], dtype=np.int64)
    values = positions_values(np.concatenate([np.array(p, dtype=np.int64) for p in lists]),
                              ragged.offsets(freq)[:-1], freq)
    assert [values.row(i) for i in range(len(lists))] == [fmt.encode(p) for p in lists]


# -- masks and scores ----------------------------------------------------------------------------

TEXTS = [
    "phòng, chống tham nhũng là nhiệm vụ trọng tâm",
    "tham gia phòng dịch và chống hạn hán, nhũng nhiễu",
    "chống tham nhũng, tiêu cực; phòng chống tham nhũng",
    "xây dựng Đảng trong sạch vững mạnh",
    "tham nhũng tham nhũng tham nhũng",
]


@pytest.fixture(scope="module")
def ix(tmp_path_factory: pytest.TempPathFactory):
    path: Path = tmp_path_factory.mktemp("scoring") / "ix"
    with Index.create(path) as index:
        # two adds: two segments, so document numbers are offset across leaves
        index.add([Document(id=f"a{i}", title="", text=t) for i, t in enumerate(TEXTS)], workers=1)
        index.add([Document(id=f"b{i}", title="", text=t) for i, t in enumerate(TEXTS)], workers=1)
        index.delete(["b4"])
    with Index.open(path) as index:
        yield index


def _snapshot(index: Index):
    return index._engine.snapshot()


@pytest.fixture(scope="module")
def twin(ix, tmp_path_factory: pytest.TempPathFactory):
    """`ix` written again by Whoosh's own SegmentWriter, segment for segment: Whoosh's searcher
    over it is the reference for the pair fields, which vnsearch's index keeps in its own files."""
    snapshot = _snapshot(ix)
    path = tmp_path_factory.mktemp("twin")
    whoosh_ix = whoosh_index.create_in(str(path), build_schema())
    for leaf, offset in snapshot.leaves:
        writer = SegmentWriter(whoosh_ix, compound=False)
        for docnum in range(offset, offset + leaf.doc_count_all()):
            writer.add_document(**whoosh_values(analyze_document(snapshot.document(docnum), "stamp")))
        writer.commit(merge=False)
    writer = SegmentWriter(whoosh_ix, compound=False)
    writer.delete_by_term("id", "b4")
    writer.commit(merge=False)
    with whoosh_ix.searcher() as searcher:
        yield searcher


# (plan node, the same as a Whoosh query)
QUERIES = [
    (Term("body_words", "tham_nhũng"), wq.Term("body_words", "tham_nhũng")),
    (Term("body_pairs_folded", "tham nhung"), wq.Term("body_pairs_folded", "tham nhung")),
    (AnyOf((Term("body_folded", "chong"), Term("body_words", "phòng"))),
     wq.Or([wq.Term("body_folded", "chong"), wq.Term("body_words", "phòng")])),
    (AllOf((Term("body", "tham"), Term("body", "nhũng"))), wq.And([wq.Term("body", "tham"), wq.Term("body", "nhũng")])),
    (Phrase("body", ("phòng", "chống", "tham", "nhũng")), wq.Phrase("body", ["phòng", "chống", "tham", "nhũng"])),
    (Phrase("body_folded", ("chong", "tham", "nhung")), wq.Phrase("body_folded", ["chong", "tham", "nhung"])),
]


@pytest.fixture(params=["fast", "general"])
def read_path(request, monkeypatch):
    """Every mask and score test runs on both ways of reading posting blocks: Whoosh 2.7's codec
    read in bulk, and the general matcher API used for any other codec."""
    if request.param == "general":
        monkeypatch.setattr(postings_module, "_fast_path", lambda matcher: False)
    return request.param


@pytest.mark.parametrize("node,query", QUERIES, ids=[str(node) for node, _ in QUERIES])
def test_masks_equal_whoosh_documents(ix, twin, read_path, node, query) -> None:
    snapshot = _snapshot(ix)
    expected = sorted(twin.docs_for_query(query))  # Whoosh's own index of the same segments
    assert expected
    fresh = type(snapshot)(snapshot.searcher, snapshot.path)  # no postings cached by the other read path
    assert list(np.flatnonzero(fresh.mask(node))) == expected


def test_scores_equal_whoosh_bm25f(ix, twin, read_path) -> None:
    snapshot = _snapshot(ix)
    results = twin.search(
        wq.Or([wq.Term("body_words", "tham_nhũng", boost=2.0), wq.Term("body_pairs_folded", "chong tham")]), limit=None
    )
    expected = {hit.docnum: hit.score for hit in results}
    signals = [Signal("word", Term("body_words", "tham_nhũng"), 2.0),
               Signal("pair", Term("body_pairs_folded", "chong tham"), 1.0)]
    fresh = type(snapshot)(snapshot.searcher, snapshot.path)
    scores = fresh.scores(signals)
    for docnum, score in expected.items():
        assert scores[docnum] == pytest.approx(score, rel=1e-5)
    assert set(np.flatnonzero(scores)) == set(expected)
    shares = fresh.signal_scores(signals, np.array(sorted(expected)))
    assert shares.sum(axis=1) == pytest.approx([scores[d] for d in sorted(expected)], rel=1e-5)


def test_phrase_over_many_posting_blocks_equals_whoosh(tmp_path: Path) -> None:
    # 400 documents hold both words (several posting blocks of 128); a few, far apart, hold the
    # phrase: blocks without a candidate are skipped unread, and nothing may be missed.
    phrase_at = {3, 150, 151, 390}
    docs = [
        Document(id=f"d{i:03d}", title="",
                 text="tham nhũng là tội" if i in phrase_at else "nhũng nhiễu và tham gia")
        for i in range(400)
    ]
    with Index.create(tmp_path / "ix") as index:
        index.add(docs, workers=1)
        snapshot = _snapshot(index)
        expected = sorted(snapshot.searcher.docs_for_query(wq.Phrase("body", ["tham", "nhũng"])))
        assert expected == sorted(phrase_at)
        # the folded field is read through the exact one (no Whoosh query can see it)
        for node in (Phrase("body", ("tham", "nhũng")), Phrase("body_folded", ("tham", "nhung", "la"))):
            assert list(np.flatnonzero(snapshot.mask(node))) == expected


def test_the_spelling_table_is_kept_for_the_next_process_and_renewed_by_a_commit(tmp_path: Path) -> None:
    path = tmp_path / "ix"
    with Index.create(path) as index:
        index.add([Document(id="a", title="", text="phòng, chống tham nhũng")], workers=1)
        assert index._engine.snapshot().restorer()["tham_nhung"] == "tham_nhũng"
    first = list((path / "cache").glob("restorer-*.table"))
    assert len(first) == 1
    with Index.open(path) as index:  # read back, not rebuilt
        snapshot = index._engine.snapshot()
        snapshot._build_restorer = None  # would fail if called
        assert snapshot.restorer()["tham_nhung"] == "tham_nhũng"
    with Index.open(path) as index:
        index.add([Document(id="b", title="", text="lãng phí")], workers=1)
        assert index._engine.snapshot().restorer()["lang_phi"] == "lãng_phí"
    assert [p.name for p in (path / "cache").glob("restorer-*.table")] != [p.name for p in first]
    assert len(list((path / "cache").glob("restorer-*.table"))) == 1


@pytest.fixture(scope="module")
def many_blocks(tmp_path_factory: pytest.TempPathFactory):
    """900 documents added in three batches: every word's posting list spans several blocks of
    128, and a phrase occurs a varying number of times per document (or mostly broken up). No
    deletions: Whoosh then wraps postings in a filter, which takes the general read path."""
    path: Path = tmp_path_factory.mktemp("blocks") / "ix"

    def text(n: int) -> str:
        if n % 7 == 0:  # every pair of the phrase, many times, but the phrase itself once
            return "phòng chống tham nhũng " + "phòng chống tham, chống tham nhũng " * 4 + f"mục {n}"
        return " ".join(["phòng chống tham nhũng"] * (n % 2 + 1) + ["các việc khác"] * 8) + f" mục {n}"

    with Index.create(path) as index:
        for part in range(3):
            index.add([Document(id=f"d{part}-{n}", title="", text=text(n)) for n in range(300)], workers=1)
    with Index.open(path) as index:
        yield index


@pytest.mark.parametrize("sparse", [False, True])
def test_phrase_counts_read_from_block_directories_equal_whooshs(many_blocks, read_path, sparse) -> None:
    snapshot = _snapshot(many_blocks)
    fresh = type(snapshot)(snapshot.searcher, snapshot.path)
    words = ["phòng", "chống", "tham", "nhũng"]
    within = fresh.live.copy()
    if sparse:  # a few documents scattered over blocks and segments, as the top candidates are
        within[:] = False
        within[np.arange(3, fresh.size, 97)] = True
        within &= fresh.live
    docs, counts = fresh._phrase_frequencies("body", words, within)
    # Whoosh's own phrase matcher, over every live document: its documents and occurrences.
    matcher = wq.Phrase("body", words).matcher(snapshot.searcher)
    expected = {}
    while matcher.is_active():
        expected[matcher.id()] = len(matcher.spans())
        matcher.next()
    wanted = {doc: count for doc, count in expected.items() if within[doc]}
    assert dict(zip(docs.tolist(), counts.tolist(), strict=True)) == wanted
    assert len(wanted) > (5 if sparse else 800)
    assert read_path == "general" or fresh._directories  # the fast path read through its directories


def test_column_codes_are_read_back_from_the_cache_folder(ix) -> None:
    snapshot = _snapshot(ix)
    expected = {name: snapshot.codes(name) for name in ("id", "committee")}
    fresh = type(snapshot)(snapshot.searcher, snapshot.path)
    fresh.column = None  # would fail if called: the codes come from the cache folder
    for name, (values, codes) in expected.items():
        read_values, read_codes = fresh.codes(name)
        assert list(read_values) == list(values) and list(read_codes) == list(codes)
    assert list(np.flatnonzero(fresh.live)) == list(snapshot.searcher.reader().all_doc_ids())  # b4 deleted


@pytest.mark.parametrize("limit,page", [(10, 1), (10, 3), (40, 1)])
def test_pages_rank_as_if_every_phrase_were_counted_exactly(many_blocks, limit, page) -> None:
    """Phrases are counted exactly for the best candidates only, in rounds; every page must be
    what counting them for every candidate gives. (This corpus has few distinct scores: which
    of many tied documents fill a page is not what is tested.)"""
    from vnsearch.planner import build_plan
    from vnsearch.query import parse

    text = "phòng chống tham nhũng"
    snapshot = _snapshot(many_blocks)
    plan = build_plan(parse(text), restorer=snapshot.restorer)
    phrases = [signal for signal in plan.signals if isinstance(signal.node, Phrase)]
    assert phrases
    scores = snapshot.scores(plan.signals)
    exact = scores + (snapshot.scores(phrases, exact=snapshot.live) - snapshot.scores(phrases))
    assert (exact < scores).sum() > 100  # the estimate is loose: "phòng chống tham, chống tham nhũng"
    ids = {snapshot.document(doc).id: doc for doc in np.flatnonzero(snapshot.live)}
    expected = sorted(exact[snapshot.live].tolist(), reverse=True)[limit * (page - 1) : limit * page]
    hits = many_blocks.search(text, limit=limit, page=page).hits
    assert [hit.score for hit in hits] == expected
    assert all(hit.score == exact[ids[hit.id]] for hit in hits)


def test_segment_files_are_read_through_memory_maps(many_blocks, tmp_path: Path) -> None:
    from whoosh.filedb.structfile import StructFile

    from vnsearch.engine.whoosh.mapped import MappedFile, MappedFileStorage

    leaf, _offset = _snapshot(many_blocks).leaves[0]
    assert isinstance(leaf.postings("body", "tham")._postfile, MappedFile)
    (tmp_path / "empty.col").write_bytes(b"")
    (tmp_path / "x.pst").write_bytes(b"W3Bl1234")
    storage = MappedFileStorage(str(tmp_path))
    empty, mapped = storage.open_file("empty.col"), storage.open_file("x.pst")
    assert type(empty) is StructFile and empty.read() == b""  # nothing to map: opened as Whoosh opens it
    assert isinstance(mapped, MappedFile) and mapped.get(2, 4) == b"Bl12" and mapped.read(4) == b"W3Bl"
    empty.close()
    mapped.close()


def test_segments_with_deletions_are_read_whole_and_without_their_deleted_documents(ix) -> None:
    snapshot = _snapshot(ix)
    fresh = type(snapshot)(snapshot.searcher, snapshot.path)
    assert not fresh.live.all()  # b4 is deleted
    docs, _freqs = fresh.postings("body", "tham")
    assert list(docs) == sorted(snapshot.searcher.docs_for_query(wq.Term("body", "tham")))
    assert fresh._directories  # the fast path: Whoosh's filtering matcher would have turned it off


def test_field_lengths_read_from_the_column_files_equal_whooshs_own(ix, monkeypatch: pytest.MonkeyPatch) -> None:
    # Two segments, a deleted document, fields no document has (number): every length as
    # Whoosh's reader gives it document by document, its default (1) where there is none.
    monkeypatch.setattr(postings_module, "cached", lambda path, name, key, build: build())
    snapshot = _snapshot(ix)
    fresh = type(snapshot)(snapshot.searcher, snapshot.path)
    for field in postings_module.SCORED_FIELDS:
        expected = [leaf.doc_field_length(d, field, 1) or 1 for leaf, _ in fresh.leaves for d in range(leaf.doc_count_all())]
        assert fresh.lengths(field).tolist() == expected, field
    assert len(set(fresh.lengths("body").tolist())) > 2  # real lengths, not the default


def test_the_restorer_is_built_as_from_whooshs_own_term_infos(ix) -> None:
    # Read in bulk, segment by segment in term order: ties between spellings go as before.
    snapshot = _snapshot(ix)
    counts: dict[str, int] = {}
    for leaf, _ in snapshot.leaves:
        for term, info in leaf.iter_field("body_words"):
            counts[term.decode()] = counts.get(term.decode(), 0) + info.doc_frequency()
    best: dict[str, tuple[int, str]] = {}
    for word, count in counts.items():
        if count > best.get(fold(word), (0, ""))[0]:
            best[fold(word)] = (count, word)
    expected = {key: word for key, (_, word) in best.items() if word != key and "_" in key}
    assert expected and snapshot._build_restorer() == expected
