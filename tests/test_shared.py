"""Behaviour on the project's real data in ../shared (skipped with a reason when it is absent).

A slice of the corpora keeps the suite fast; benchmarks/ measures the whole of them.
"""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from support import shared_file
from vnsearch import Index
from vnsearch.analysis import syllables
from vnsearch.documents import read_jsonl

pytestmark = pytest.mark.slow

GAZETTE_DOCS = 60
NEWS_DOCS = 300


@pytest.fixture(scope="module")
def shared_docs():
    gazette = [r.document for r in itertools.islice(read_jsonl(shared_file("corpus/gazette.jsonl.gz")), GAZETTE_DOCS)]
    news = [r.document for r in itertools.islice(read_jsonl(shared_file("corpus/news-dated.jsonl.gz")), NEWS_DOCS)]
    return [d for d in gazette if d], [d for d in news if d]


@pytest.fixture(scope="module")
def ix(shared_docs, tmp_path_factory: pytest.TempPathFactory):
    path: Path = tmp_path_factory.mktemp("shared") / "ix"
    gazette, news = shared_docs
    with Index.create(path) as index:
        index.add(gazette + news, workers=2)  # the parallel bulk path
    with Index.open(path) as index:
        yield index


def test_every_document_is_indexed(ix, shared_docs) -> None:
    assert len(ix) == sum(map(len, shared_docs))


def test_gazette_texts_have_committees_numbers_and_dates(ix, shared_docs) -> None:
    stored = [ix.get(doc.id) for doc in shared_docs[0]]
    # A few gazette records are blank scanned pages or consolidated texts with no metadata
    # and none in their text: all but those must have each.
    for name in ("committee", "number", "date"):
        assert sum(1 for doc in stored if getattr(doc, name)) >= len(stored) - 2, name


def test_dated_news_keep_their_dates(ix, shared_docs) -> None:
    assert all(d.date for d in shared_docs[1])
    dated = sum(1 for d in shared_docs[0] + shared_docs[1] if d.date)
    assert sum(ix.stats().facets["year"].values()) == dated


def test_document_number_query_finds_the_document_first(ix, shared_docs) -> None:
    for doc in shared_docs[0][:10]:
        hits = ix.search(doc.number.lower(), limit=3).hits
        assert hits and hits[0].id == doc.id, doc.number


def _holders(ix, shared_docs, phrase: str, *, folded: bool = False) -> set[str]:
    from vnsearch.text import fold

    def form(text: str) -> str:
        joined = " " + " ".join(syllables(text)) + " "
        return fold(joined) if folded else joined

    wanted = form(phrase)
    return {d.id for d in shared_docs[0] + shared_docs[1] if wanted in form(d.title) or wanted in form(d.text)}


@pytest.mark.parametrize("phrase", ["phòng chống tham nhũng", "Ban Chấp hành Trung ương", "cải cách hành chính"])
def test_quoted_phrase_returns_exactly_its_holders(ix, shared_docs, phrase: str) -> None:
    holders = _holders(ix, shared_docs, phrase)
    result = ix.search(f'"{phrase}"', limit=100)
    assert result.total == len(holders)
    assert {h.id for h in ix.search(f'"{phrase}"', limit=100).hits} <= holders


@pytest.mark.parametrize("phrase", ["Ban Chấp hành Trung ương", "phòng chống tham nhũng"])
def test_unquoted_top_ten_hold_the_phrase_with_or_without_diacritics(ix, shared_docs, phrase: str) -> None:
    from vnsearch.text import fold

    holders = _holders(ix, shared_docs, phrase)
    assert len(holders) >= 10
    assert {h.id for h in ix.search(phrase).hits} <= holders
    # typed without diacritics, any document holding the folded phrase counts ("tham những", a typo, too)
    assert {h.id for h in ix.search(fold(phrase)).hits} <= _holders(ix, shared_docs, phrase, folded=True)
