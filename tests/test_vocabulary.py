"""What the Whoosh engine tells of spelling: term vocabularies with document frequencies and
exact syllable adjacency in sampled documents (engine/whoosh/vocabulary.py, via the snapshot)."""

import pytest

from spelling_corpus import build
from vnsearch import Index
from vnsearch.analysis import analyze_text


@pytest.fixture(scope="module")
def snapshot(tmp_path_factory: pytest.TempPathFactory):
    path = build(tmp_path_factory.mktemp("vocabulary") / "ix")
    with Index.open(path) as index:
        yield index._engine.snapshot()


def test_vocabulary_gives_each_syllable_the_number_of_documents_holding_it(snapshot) -> None:
    body = snapshot.vocabulary("body")
    assert body["đảng"] == 8 and body["đang"] == 12 and body["dựng"] == 10


def test_vocabulary_of_words_holds_pyvi_words(snapshot) -> None:
    words = snapshot.vocabulary("body_words")
    assert words["xây_dựng"] == 10 and words["tham_nhũng"] == 6


def test_vocabulary_is_read_once_per_snapshot(snapshot) -> None:
    assert snapshot.vocabulary("body") is snapshot.vocabulary("body")


def test_doc_frequency_looks_up_any_field(snapshot) -> None:
    assert snapshot.doc_frequency("body_pairs_folded", "dung dang") == 10
    assert snapshot.doc_frequency("body", "không có") == 0


def test_adjacent_counts_count_documents_holding_each_exact_pair(snapshot) -> None:
    counts, sampled = snapshot.adjacent_counts(["dựng"], ["đảng", "đang"], sample=100)
    assert sampled == 10 and counts == {("dựng", "đảng"): 8, ("dựng", "đang"): 2}


def test_adjacent_counts_skip_punctuation_as_phrases_do(snapshot) -> None:
    counts, _ = snapshot.adjacent_counts(["phòng"], ["chống"], sample=100)
    assert counts == {("phòng", "chống"): 6}  # "phòng, chống"


def test_adjacent_counts_look_at_no_more_documents_than_the_sample(snapshot) -> None:
    counts, sampled = snapshot.adjacent_counts(["dựng"], ["đảng", "đang"], sample=4)
    assert sampled == 4 and sum(counts.values()) == 4


def test_adjacent_counts_of_a_pair_the_index_does_not_hold(snapshot) -> None:
    assert snapshot.adjacent_counts(["tham"], ["đảng"], sample=10) == ({}, 0)


@pytest.mark.parametrize("field", ["body", "body_words", "title"])
def test_vocabulary_read_from_the_term_table_equals_whooshs_own_term_infos(snapshot, field: str) -> None:
    expected: dict[str, int] = {}
    for leaf, _offset in snapshot.leaves:
        for term, info in leaf.iter_field(field):
            text = term.decode("utf-8")
            expected[text] = expected.get(text, 0) + info.doc_frequency()
    assert snapshot.vocabulary(field) == expected


def test_vocabulary_of_pairs_counts_the_documents_holding_each_pair(snapshot) -> None:
    # Pairs are kept in vnsearch's own files (pairs.py), not Whoosh's term table: counted
    # here from the stored documents' analysis instead.
    expected: dict[str, int] = {}
    for docnum in range(snapshot.size):
        for term in set(analyze_text(snapshot.document(docnum).text, words=False).pairs):
            expected[term] = expected.get(term, 0) + 1
    assert dict(snapshot.vocabulary("body_pairs_folded")) == expected
    assert snapshot.vocabulary("body_pairs_folded")["dung dang"] == 10


def test_vocabulary_of_a_field_no_segment_holds_is_empty(snapshot) -> None:
    assert snapshot.vocabulary("no_such_field") == {}


def test_vocabulary_of_another_codec_is_read_the_general_way(snapshot, monkeypatch: pytest.MonkeyPatch) -> None:
    from vnsearch.engine.whoosh import vocabulary

    fast = {leaf_term: count for leaf, _ in snapshot.leaves for leaf_term, count in vocabulary.leaf_doc_frequencies(leaf, "body")}
    monkeypatch.setattr(vocabulary, "W3TermsReader", type("NotThisCodec", (), {}))
    general = {term: count for leaf, _ in snapshot.leaves for term, count in vocabulary.leaf_doc_frequencies(leaf, "body")}
    assert general == fast and general
