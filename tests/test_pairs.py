"""The pair fields' own files (engine/whoosh/pairs.py): what goes in comes back, exactly."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vnsearch import Document, Index
from vnsearch.analysis import analyze_text
from vnsearch.engine.whoosh import pairs
from vnsearch.errors import IndexCorruptError

SYLLABLE = st.text(alphabet="abcdđơư ", min_size=0, max_size=6)


def _postings(table: dict[bytes, dict[int, float]]):
    terms = sorted(table)
    term, doc, weight = [], [], []
    for i, text in enumerate(terms):
        for d in sorted(table[text]):
            term.append(i)
            doc.append(d)
            weight.append(table[text][d])
    return terms, np.array(term, dtype=np.int64), np.array(doc, dtype=np.int64), np.array(weight, dtype=np.float64)


def _file(fields: dict[str, dict[bytes, dict[int, float]]]) -> pairs.PairFile:
    handle = io.BytesIO()
    pairs.write_file(handle, {name: pairs.encode_field(*_postings(table)) for name, table in fields.items()})
    return pairs.PairFile(handle.getvalue())


@settings(max_examples=60, deadline=None)
@given(st.dictionaries(SYLLABLE.map(lambda s: s.strip().encode()),
                       st.dictionaries(st.integers(0, 70_000), st.integers(1, 300).map(float), min_size=1, max_size=5),
                       max_size=25))
def test_every_pair_comes_back_with_its_documents_and_counts(table) -> None:
    # Terms with one space, none, several, or empty halves; document numbers past 65,535;
    # counts past 255: each section takes the type its largest value needs.
    found = _file({"body_pairs_folded": table})
    for text, postings in table.items():
        docs, freqs = found.postings("body_pairs_folded", text.decode())
        assert docs.tolist() == sorted(postings)
        assert freqs.tolist() == [postings[d] for d in sorted(postings)]
        assert found.doc_frequency("body_pairs_folded", text.decode()) == len(postings)
    assert dict(found.field_terms("body_pairs_folded")) == {text: len(p) for text, p in table.items()}
    terms, term, doc, weight = found.field_postings("body_pairs_folded")
    assert (terms, term.tolist(), doc.tolist(), weight.tolist()) == tuple(
        x if isinstance(x, list) else x.tolist() for x in _postings(table))


def test_absent_pairs_fields_and_halves_find_nothing() -> None:
    found = _file({"body_pairs_folded": {b"tham nhung": {3: 2.0}, b"phong chong": {1: 1.0}}})
    for field, text in [("body_pairs_folded", "tham chong"), ("body_pairs_folded", "tham"),
                        ("body_pairs_folded", "xa hoi"), ("title_pairs_folded", "tham nhung")]:
        docs, freqs = found.postings(field, text)
        assert len(docs) == len(freqs) == 0 and found.doc_frequency(field, text) == 0
    empty = _file({})
    assert len(empty.postings("body_pairs_folded", "tham nhung")[0]) == 0


def test_weights_that_are_not_counts_are_kept_as_floats() -> None:
    # A boosted field (Whoosh's field_boost) gives weights, not counts: kept, not truncated.
    found = _file({"body_pairs_folded": {b"tham nhung": {0: 1.5, 4: 3.0}}})
    assert found.postings("body_pairs_folded", "tham nhung")[1].tolist() == [1.5, 3.0]


def test_terms_without_postings_are_dropped() -> None:
    # After a merge drops deleted documents, a pair may have no posting left.
    terms, term, doc, weight = [b"a b", b"c d"], np.array([1]), np.array([0]), np.array([1.0])
    handle = io.BytesIO()
    pairs.write_file(handle, {"body_pairs_folded": pairs.encode_field(terms, term, doc, weight)})
    found = pairs.PairFile(handle.getvalue())
    assert dict(found.field_terms("body_pairs_folded")) == {b"c d": 1}


@pytest.mark.parametrize("damage", [b"", b"NOTPAIRS" + bytes(20), pairs.MAGIC + b"\x05\x00\x00\x00{bad}"])
def test_a_damaged_file_is_refused(damage: bytes) -> None:
    with pytest.raises(ValueError):
        pairs.PairFile(damage)


def test_an_index_keeps_its_pairs_in_pair_files_and_finds_them(tmp_path: Path) -> None:
    texts = ["Phòng, chống tham nhũng là nhiệm vụ", "tham nhũng, tiêu cực", "xây dựng Đảng"]
    with Index.create(tmp_path / "ix") as index:
        index.add([Document(id=f"d{i}", title="Tham nhũng" if i else "", text=t) for i, t in enumerate(texts)],
                  workers=1)
        snapshot = index._engine.snapshot()
        assert len(list((tmp_path / "ix").glob(f"*{pairs.EXTENSION}"))) == len(snapshot.leaves) == 1
        leaf = snapshot.leaves[0][0]
        assert not [t for f, t in leaf.all_terms() if f in pairs.PAIR_FIELDS]  # not in Whoosh's term table
        for part, field in (("body", "body_pairs_folded"), ("title", "title_pairs_folded")):
            expected: dict[str, dict[int, int]] = {}
            for docnum in range(3):
                document = snapshot.document(docnum)
                for term in analyze_text(document.text if part == "body" else document.title, words=False).pairs:
                    expected.setdefault(term, {}).setdefault(docnum, 0)
                    expected[term][docnum] += 1
            assert expected
            for term, counts in expected.items():
                docs, freqs = snapshot.postings(field, term)
                assert dict(zip(docs.tolist(), freqs.tolist(), strict=True)) == counts
                assert snapshot.doc_frequency(field, term) == len(counts)


def test_a_missing_pair_file_is_a_damaged_index(tmp_path: Path) -> None:
    # Segments written by vnsearch are marked in the table of contents (workers included):
    # without its file such a segment is damaged, not a segment without pairs.
    with Index.create(tmp_path / "ix") as index:
        index.add([Document(id=f"d{i}", title="", text=f"tham nhũng số {i}") for i in range(40)], workers=2)
    with Index.open(tmp_path / "ix") as index:
        assert all(getattr(leaf._segment, pairs.MARK) for leaf, _ in index._engine.snapshot().leaves)
        assert index.search("tham nhũng").total == 40
    for path in (tmp_path / "ix").glob(f"*{pairs.EXTENSION}"):
        path.unlink()
    with Index.open(tmp_path / "ix") as index, pytest.raises(IndexCorruptError) as caught:
        index.search("tham nhũng")
    assert caught.value.code == "index.damaged" and "pair file is missing" in str(caught.value)
