"""Peer search systems that vnsearch is measured against, behind one small interface.

    peer = make_peer("fts5")
    peer.build(docs)                  # docs: RawDoc (id, title, text) as published
    ids = peer.search("tinh gọn bộ máy", 10)
    peer.close()

Each peer is used the way its documentation shows, with no Vietnamese-specific help, except
rank_bm25, which has no tokenizer and gets pyvi words (as a Vietnamese IR paper would).
A query is the OR of its distinct tokens; "quoted text" becomes a required phrase where the
system has phrase queries. `snippets(query, k)` also builds highlighted excerpts for the top k,
for latency runs where vnsearch computes them too.
"""

from __future__ import annotations

import importlib.util
import re
import shutil
import sqlite3
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any, Protocol

from bench_common import RawDoc

QUOTED_RE = re.compile(r'"([^"]*)"')
WORD_RE = re.compile(r"[^\W_]+")  # letters and digits: close to FTS5 unicode61 and tantivy's default
WRITER_MEMORY_MB = 256  # the same writer memory vnsearch uses, so that only the analysis differs


class Peer(Protocol):
    name: str

    def build(self, docs: Iterable[RawDoc]) -> None: ...
    def search(self, query: str, k: int) -> list[str]: ...
    def snippets(self, query: str, k: int) -> list[tuple[str, str]]: ...
    def close(self) -> None: ...


def split_quoted(query: str) -> tuple[list[str], str]:
    """'"a b" c d' -> (["a b"], " c d"): quoted phrases and the loose rest."""
    phrases = [p.strip() for p in QUOTED_RE.findall(query) if p.strip()]
    return phrases, QUOTED_RE.sub(" ", query).replace('"', " ")


def distinct(tokens: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(tokens))


class _TempPath:
    """A peer's index lives in a temporary folder unless a path is given."""

    def __init__(self, path: str | Path | None, prefix: str) -> None:
        self._owned = path is None
        self.path = Path(tempfile.mkdtemp(prefix=prefix)) if path is None else Path(path)

    def remove(self) -> None:
        if self._owned:
            shutil.rmtree(self.path, ignore_errors=True)


# -- stock Whoosh -----------------------------------------------------------------------------


def whoosh_schema() -> Any:
    from whoosh import fields
    from whoosh.analysis import StandardAnalyzer

    # title and body are stored so that highlighting (latency runs) works as it does in vnsearch.
    return fields.Schema(
        id=fields.ID(stored=True, unique=True),
        title=fields.TEXT(analyzer=StandardAnalyzer(), stored=True),
        body=fields.TEXT(analyzer=StandardAnalyzer(), stored=True),
    )


def build_whoosh(path: Path, docs: Iterable[RawDoc]) -> None:
    """Stock Whoosh index: one writer, one commit."""
    from whoosh import index

    path.mkdir(parents=True, exist_ok=True)
    ix = index.create_in(str(path), whoosh_schema())
    writer = ix.writer(limitmb=WRITER_MEMORY_MB)
    for doc in docs:
        writer.add_document(id=doc.id, title=doc.title, body=doc.text)
    writer.commit()
    ix.close()


class WhooshPeer:
    """Whoosh 2.7 with StandardAnalyzer and its default BM25F; queries built as objects (no QueryParser)."""

    name = "whoosh"

    def __init__(self, path: str | Path | None = None) -> None:
        from whoosh.analysis import StandardAnalyzer

        self._where = _TempPath(path, "bench-whoosh-")
        self._analyzer = StandardAnalyzer()
        self._ix: Any = None
        self._searcher: Any = None

    def build(self, docs: Iterable[RawDoc]) -> None:
        build_whoosh(self._where.path, docs)

    def open(self) -> WhooshPeer:
        """Use an index built earlier at the given path."""
        self._open()
        return self

    def reopened(self) -> WhooshPeer:
        """The same index opened anew, nothing loaded yet (cold latency)."""
        return WhooshPeer(self._where.path)

    def _open(self) -> Any:
        if self._searcher is None:
            from whoosh import index

            self._ix = index.open_dir(str(self._where.path))
            self._searcher = self._ix.searcher()  # one searcher for every query, as vnsearch keeps one
        return self._searcher

    def _tokens(self, text: str) -> list[str]:
        return [token.text for token in self._analyzer(text)]

    def query(self, query: str) -> Any:
        from whoosh.query import And, NullQuery, Or, Phrase, Term

        phrases, rest = split_quoted(query)
        required = []
        for phrase in phrases:
            words = self._tokens(phrase)
            if len(words) == 1:
                required.append(Or([Term("title", words[0]), Term("body", words[0])]))
            elif words:
                required.append(Or([Phrase("title", words), Phrase("body", words)]))
        terms = [Term(field, token) for token in distinct(self._tokens(rest)) for field in ("title", "body")]
        if terms:
            required.append(Or(terms))
        if not required:
            return NullQuery
        return required[0] if len(required) == 1 else And(required)

    def search(self, query: str, k: int) -> list[str]:
        results = self._open().search(self.query(query), limit=k)
        return [hit["id"] for hit in results]

    def snippets(self, query: str, k: int) -> list[tuple[str, str]]:
        results = self._open().search(self.query(query), limit=k)
        return [(hit["id"], hit.highlights("body", top=3)) for hit in results]

    def close(self) -> None:
        if self._searcher is not None:
            self._searcher.close()
            self._ix.close()
            self._searcher = None
        self._where.remove()


# -- SQLite FTS5 ------------------------------------------------------------------------------


def fts5_match(query: str) -> str:
    """FTS5 MATCH text: quoted phrases required, then the OR of the other tokens, each quoted."""

    def quote(text: str) -> str:
        return '"' + text.replace('"', '""') + '"'

    phrases, rest = split_quoted(query)
    parts = [quote(" ".join(WORD_RE.findall(p))) for p in phrases if WORD_RE.search(p)]
    words = distinct(t.lower() for t in WORD_RE.findall(rest))
    if words:
        parts.append("(" + " OR ".join(quote(w) for w in words) + ")")
    return " AND ".join(parts)


class Fts5Peer:
    """SQLite FTS5, unicode61 tokenizer with diacritics removed, bm25() ranking."""

    name = "fts5"

    def __init__(self, path: str | Path | None = None) -> None:
        self._where = _TempPath(path, "bench-fts5-")
        self._db: sqlite3.Connection | None = None

    @property
    def db(self) -> sqlite3.Connection:
        if self._db is None:
            self._db = sqlite3.connect(self._where.path / "fts5.db")
        return self._db

    def build(self, docs: Iterable[RawDoc]) -> None:
        self._where.path.mkdir(parents=True, exist_ok=True)
        self.db.execute(
            "CREATE VIRTUAL TABLE docs USING fts5(id UNINDEXED, title, body, tokenize='unicode61 remove_diacritics 2')"
        )
        self.db.executemany("INSERT INTO docs VALUES (?, ?, ?)", ((d.id, d.title, d.text) for d in docs))
        self.db.commit()

    def open(self) -> Fts5Peer:
        return self

    def search(self, query: str, k: int) -> list[str]:
        match = fts5_match(query)
        if not match:
            return []
        rows = self.db.execute("SELECT id FROM docs WHERE docs MATCH ? ORDER BY rank LIMIT ?", (match, k))
        return [row[0] for row in rows]

    def snippets(self, query: str, k: int) -> list[tuple[str, str]]:
        match = fts5_match(query)
        if not match:
            return []
        sql = "SELECT id, snippet(docs, 2, '<mark>', '</mark>', '…', 24) FROM docs WHERE docs MATCH ? ORDER BY rank LIMIT ?"
        return [(row[0], row[1]) for row in self.db.execute(sql, (match, k))]

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None
        self._where.remove()


# -- rank_bm25 over pyvi words ----------------------------------------------------------------


def pyvi_words(text: str) -> list[str]:
    """Lowercased pyvi words of normalised text, punctuation dropped (vnsearch's segmenter = pyvi's output)."""
    from vnsearch.segment import tokenize
    from vnsearch.text import normalize

    return [word.lower() for word in tokenize(normalize(text)).split() if WORD_RE.search(word)]


class RankBM25Peer:
    """rank_bm25's BM25Okapi (k1=1.5, b=0.75) over the pyvi words of title + text. In memory."""

    name = "bm25"

    def __init__(self, path: str | Path | None = None) -> None:
        self._ids: list[str] = []
        self._bm25: Any = None

    def build(self, docs: Iterable[RawDoc]) -> None:
        from rank_bm25 import BM25Okapi

        corpus = []
        for doc in docs:
            self._ids.append(doc.id)
            corpus.append(pyvi_words(doc.title) + pyvi_words(doc.text))
        self._bm25 = BM25Okapi(corpus)

    def open(self) -> RankBM25Peer:
        return self

    def search(self, query: str, k: int) -> list[str]:
        import numpy as np

        tokens = distinct(pyvi_words(query.replace('"', " ")))
        if not tokens:
            return []
        scores = self._bm25.get_scores(tokens)
        order = np.argsort(-scores, kind="stable")[:k]  # stable: ties keep corpus order
        return [self._ids[i] for i in order if scores[i] > 0]

    def snippets(self, query: str, k: int) -> list[tuple[str, str]]:
        return [(doc_id, "") for doc_id in self.search(query, k)]  # rank_bm25 has no highlighter

    def close(self) -> None:
        self._bm25 = None


# -- tantivy (optional) ----------------------------------------------------------------------


class TantivyPeer:
    """tantivy-py with its default tokenizer (split on non-alphanumerics, lowercase) and BM25."""

    name = "tantivy"

    def __init__(self, path: str | Path | None = None) -> None:
        import tantivy

        self._t = tantivy
        self._where = _TempPath(path, "bench-tantivy-")
        builder = tantivy.SchemaBuilder()
        builder.add_text_field("id", stored=True, tokenizer_name="raw")
        builder.add_text_field("title", stored=True)
        builder.add_text_field("body", stored=True)
        self._schema = builder.build()
        self._index: Any = None
        self._searcher: Any = None

    def build(self, docs: Iterable[RawDoc]) -> None:
        self._where.path.mkdir(parents=True, exist_ok=True)
        self._index = self._t.Index(self._schema, path=str(self._where.path))
        writer = self._index.writer(heap_size=WRITER_MEMORY_MB * 1024 * 1024)
        for doc in docs:
            writer.add_document(self._t.Document(id=doc.id, title=doc.title, body=doc.text))
        writer.commit()
        writer.wait_merging_threads()
        self._index.reload()

    def open(self) -> TantivyPeer:
        if self._index is None:
            self._index = self._t.Index(self._schema, path=str(self._where.path), reuse=True)
        return self

    def query(self, query: str) -> Any:
        t = self._t
        phrases, rest = split_quoted(query)
        must = []
        for phrase in phrases:
            words = [w.lower() for w in WORD_RE.findall(phrase)]
            if len(words) == 1:
                fields = [t.Query.term_query(self._schema, f, words[0]) for f in ("title", "body")]
            elif words:
                fields = [t.Query.phrase_query(self._schema, f, words) for f in ("title", "body")]
            else:
                continue
            must.append((t.Occur.Must, t.Query.boolean_query([(t.Occur.Should, q) for q in fields])))
        terms = [
            (t.Occur.Should, t.Query.term_query(self._schema, field, token))
            for token in distinct(w.lower() for w in WORD_RE.findall(rest))
            for field in ("title", "body")
        ]
        if terms:
            must.append((t.Occur.Must, t.Query.boolean_query(terms)))
        return t.Query.boolean_query(must) if must else t.Query.empty_query()

    def _search(self, query: str, k: int) -> tuple[Any, Any, list[Any]]:
        if self._searcher is None:
            self._searcher = self._index.searcher()
        parsed = self.query(query)
        hits = self._searcher.search(parsed, k).hits
        return self._searcher, parsed, [self._searcher.doc(address) for _, address in hits]

    def search(self, query: str, k: int) -> list[str]:
        return [doc["id"][0] for doc in self._search(query, k)[2]]

    def snippets(self, query: str, k: int) -> list[tuple[str, str]]:
        searcher, parsed, docs = self._search(query, k)
        generator = self._t.SnippetGenerator.create(searcher, parsed, self._schema, "body")
        return [(doc["id"][0], generator.snippet_from_doc(doc).to_html()) for doc in docs]

    def close(self) -> None:
        self._searcher = None
        self._index = None
        self._where.remove()


PEERS: dict[str, type] = {"whoosh": WhooshPeer, "fts5": Fts5Peer, "bm25": RankBM25Peer, "tantivy": TantivyPeer}
_NEEDS = {"whoosh": "whoosh", "bm25": "rank_bm25", "tantivy": "tantivy"}


def missing(name: str) -> str | None:
    """Why a peer cannot run here (its package is not installed), or None."""
    module = _NEEDS.get(name)
    if module and importlib.util.find_spec(module) is None:
        return f"{module} is not installed (pip install {'rank-bm25' if module == 'rank_bm25' else module})"
    return None


def make_peer(name: str, path: str | Path | None = None) -> Peer:
    return PEERS[name](path)
