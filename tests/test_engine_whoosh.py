"""The embedded Whoosh engine: files, posting bytes, masks and scores equal to Whoosh's own.

The only test module besides the engine itself that imports Whoosh: it checks the engine
against Whoosh's own analyzers, writer, matchers and BM25F.
"""

from pathlib import Path

import numpy as np
import pytest
from whoosh import fields
from whoosh import index as whoosh_index
from whoosh import query as wq
from whoosh.writing import SegmentWriter

from vnsearch import Document, Index
from vnsearch.analysis import analyze_document, folded, syllables
from vnsearch.engine.whoosh import postings as postings_module
from vnsearch.engine.whoosh.schema import (
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
from vnsearch.text import normalize

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


DOCS = [Document(id=f"d{i}", title=f"Tiêu đề {i}", text="phòng, chống tham nhũng " * (i + 1) + f"số {i}")
        for i in range(60)]


def _files(path: Path, writer_class: type) -> dict[str, bytes]:
    ix = whoosh_index.create_in(str(path), build_schema())
    writer = writer_class(ix, compound=False)
    for document in DOCS:
        writer.add_document(**whoosh_values(analyze_document(document)))
    writer.commit()
    # segment files, keyed by what follows the random segment name
    return {p.name.split(".", 1)[1]: p.read_bytes() for p in path.iterdir() if p.name.startswith("MAIN_") and "." in p.name}


def test_same_files_as_whoosh_segment_writer(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    ours, theirs = _files(tmp_path / "a", Writer), _files(tmp_path / "b", SegmentWriter)
    assert set(ours) == set(theirs) and len(ours) > 5
    for name in ours:
        assert ours[name] == theirs[name], name


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
def test_masks_equal_whoosh_documents(ix, read_path, node, query) -> None:
    snapshot = _snapshot(ix)
    expected = sorted(snapshot.searcher.docs_for_query(query))
    fresh = type(snapshot)(snapshot.searcher, snapshot.path)  # no postings cached by the other read path
    assert list(np.flatnonzero(fresh.mask(node))) == expected


def test_scores_equal_whoosh_bm25f(ix, read_path) -> None:
    snapshot = _snapshot(ix)
    results = snapshot.searcher.search(
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
        for node, query in ((Phrase("body", ("tham", "nhũng")), wq.Phrase("body", ["tham", "nhũng"])),
                            (Phrase("body_folded", ("tham", "nhung", "la")), wq.Phrase("body_folded", ["tham", "nhung", "la"]))):
            expected = sorted(snapshot.searcher.docs_for_query(query))
            assert list(np.flatnonzero(snapshot.mask(node))) == expected
            assert len(expected) == len(phrase_at)


def test_the_spelling_table_is_kept_for_the_next_process_and_renewed_by_a_commit(tmp_path: Path) -> None:
    path = tmp_path / "ix"
    with Index.create(path) as index:
        index.add([Document(id="a", title="", text="phòng, chống tham nhũng")], workers=1)
        assert index._engine.snapshot().restorer()["tham_nhung"] == "tham_nhũng"
    first = list((path / "cache").glob("restorer-*.pickle"))
    assert len(first) == 1
    with Index.open(path) as index:  # read back, not rebuilt
        snapshot = index._engine.snapshot()
        snapshot._build_restorer = None  # would fail if called
        assert snapshot.restorer()["tham_nhung"] == "tham_nhũng"
    with Index.open(path) as index:
        index.add([Document(id="b", title="", text="lãng phí")], workers=1)
        assert index._engine.snapshot().restorer()["lang_phi"] == "lãng_phí"
    assert [p.name for p in (path / "cache").glob("restorer-*.pickle")] != [p.name for p in first]
    assert len(list((path / "cache").glob("restorer-*.pickle"))) == 1
