"""Vectorised postings: the same documents and scores as Whoosh's own matchers."""

from pathlib import Path

import numpy as np
import pytest
from whoosh import query as wq

from vnsearch import Document, Index

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


QUERIES = [
    wq.Term("body_words", "tham_nhũng"),
    wq.Term("body_pairs_folded", "tham nhung"),
    wq.Or([wq.Term("body_folded", "chong"), wq.Term("body_words", "phòng")]),
    wq.And([wq.Term("body", "tham"), wq.Term("body", "nhũng")]),
    wq.Phrase("body", ["phòng", "chống", "tham", "nhũng"]),
    wq.Phrase("body_folded", ["chong", "tham", "nhung"]),
]


@pytest.mark.parametrize("query", QUERIES, ids=str)
def test_masks_equal_whoosh_documents(ix, query) -> None:
    expected = sorted(ix.searcher().docs_for_query(query))
    assert list(np.flatnonzero(ix.postings().mask(query))) == expected


def test_scores_equal_whoosh_bm25f(ix) -> None:
    terms = [wq.Term("body_words", "tham_nhũng", boost=2.0), wq.Term("body_pairs_folded", "chong tham")]
    results = ix.searcher().search(wq.Or(terms), limit=None)
    expected = {hit.docnum: hit.score for hit in results}
    scores = ix.postings().scores(terms)
    for docnum, score in expected.items():
        assert scores[docnum] == pytest.approx(score, rel=1e-5)
    assert set(np.flatnonzero(scores)) == set(expected)


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
        for query in (wq.Phrase("body", ["tham", "nhũng"]), wq.Phrase("body_folded", ["tham", "nhung", "la"])):
            expected = sorted(index.searcher().docs_for_query(query))
            assert list(np.flatnonzero(index.postings().mask(query))) == expected
            assert len(expected) == len(phrase_at)
