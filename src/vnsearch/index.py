"""The library facade: create or open an index, add, get, delete and search documents.

`Index` speaks of `Document`s and plain result objects; the engine behind it (`engine/`: the
embedded Whoosh index by default) stores and reads. No engine object leaves this module.
"""

from __future__ import annotations

import dataclasses
import os
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, fields
from datetime import date
from pathlib import Path
from typing import Any

from . import defaults, engine
from .analysis import FACETS, fingerprint
from .citations import CITED_BY_SHOWN, MOST_CITED_SHOWN, Citations, MostCited
from .documents import Document, normalized
from .errors import DocumentError, VnsearchError
from .related import RELATED_SHOWN, RelatedDocument
from .results import SearchResult


@dataclass
class AddReport:
    """What one call to `Index.add` did."""

    added: int = 0
    replaced: int = 0
    unchanged: int = 0

    @property
    def written(self) -> int:
        return self.added + self.replaced


@dataclass(frozen=True)
class Stats:
    documents: int
    facets: dict[str, dict[str, int]] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"documents": self.documents, "facets": self.facets}


class Index:
    """A vnsearch index. Use `Index.create` or `Index.open`, ideally as a context manager."""

    def __init__(self, path: Path, backend: engine.Engine) -> None:
        self.path = path
        self._engine = backend

    # -- lifecycle --------------------------------------------------------------------------

    @classmethod
    def create(cls, path: str | os.PathLike[str], *, exist_ok: bool = False, engine_url: str | None = None) -> Index:
        """Create an empty index at `path` (or open it when `exist_ok` and one is there).

        `engine_url` (or the VNSEARCH_ENGINE environment variable), such as
        ``sphinxql://host:9306/vnsearch``, puts the index on a cluster; `path` then holds only
        the local write lock and the record of indexed files.

        Raises IndexExistsError when an index is there and `exist_ok` is false."""
        path = Path(path)
        if exist_ok and engine.exists(path, engine_url):
            return cls.open(path, engine_url=engine_url)
        return cls(path, engine.create(path, engine_url))

    @classmethod
    def open(cls, path: str | os.PathLike[str], *, engine_url: str | None = None) -> Index:
        """Open an existing index (on a cluster with `engine_url`, see `create`). Raises
        IndexNotFoundError, IndexVersionError (written by another format version: rebuild it)
        or IndexCorruptError; on a cluster, EngineUnavailableError when a node is down."""
        path = Path(path)
        return cls(path, engine.open_engine(path, engine_url))

    @property
    def format_version(self) -> int:
        return self._engine.format_version

    def warm(self) -> None:
        """Load now what the first searches would otherwise load: the facet and id columns, the
        field lengths and the spelling tables (tens of milliseconds on a 35,000-document index
        whose cache folder is filled; seconds to fill it). For servers, before they take requests."""
        if isinstance(self._engine, engine.PlanEngine):
            return  # a cluster keeps its own caches warm
        snapshot = self._engine.snapshot()
        for name in (*FACETS, "id", "date"):
            snapshot.codes(name)
        snapshot.restorer()
        snapshot.prepare_scoring()
        from .restore import spelling_stats  # the vocabularies of "did you mean", kept in the cache folder

        spelling_stats(snapshot)

    def generation(self) -> int:
        """The number of the index's latest commit: it changes whenever anything is written."""
        return self._engine.generation()

    def close(self) -> None:
        self._engine.close()

    def __enter__(self) -> Index:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- reading ----------------------------------------------------------------------------

    def __len__(self) -> int:
        if isinstance(self._engine, engine.PlanEngine):
            return self._engine.stats()[0]
        return self._engine.snapshot().doc_count()

    def get(self, doc_id: str) -> Document | None:
        """The stored (normalised) document with this id, or None."""
        return self._engine.get(doc_id)

    def stats(self) -> Stats:
        if isinstance(self._engine, engine.PlanEngine):
            documents, facet_counts = self._engine.stats()
            return Stats(documents=documents, facets=facet_counts)
        snapshot = self._engine.snapshot()
        live = snapshot.live.nonzero()[0]
        facets = {}
        for name in FACETS:
            values, codes = snapshot.codes(name)
            counts = Counter(codes[live].tolist())
            facets[name] = dict(sorted(((str(values[code]), count) for code, count in counts.items()
                                        if values[code] != ""), key=lambda item: (-item[1], item[0])))
        return Stats(documents=snapshot.doc_count(), facets=facets)

    def fingerprints(self) -> dict[str, str]:
        """id -> fingerprint of every live document, read from columns (no stored text)."""
        return self._engine.fingerprints()

    def search(
        self,
        query: str,
        *,
        limit: int = defaults.PAGE_SIZE,
        page: int = 1,
        committee: str | None = None,
        doc_type: str | None = None,
        date_from: str | date | None = None,
        date_to: str | date | None = None,
        sort: str = "relevance",
        explain: bool = False,
        timeline: bool = False,
    ) -> SearchResult:
        """Search the index.

        `query` uses the query language of `vnsearch search --help` (words with or without
        diacritics, "phrases", -exclusions, OR, document numbers, committee:/type:/number:/
        date:/year: filters). `limit` hits per page (an int, 1..defaults.MAX_PAGE_SIZE), `page`
        (an int, 1..defaults.MAX_PAGE); `committee` and `doc_type` filter by value (str),
        `date_from` / `date_to` by date ("YYYY", "YYYY-MM" or "YYYY-MM-DD", or a datetime.date;
        undated documents are then left out; a start after the end is an InvalidOptionError);
        `sort` is "relevance" or "date" (newest first). With `explain`, the result carries the plan and each hit the
        signals that sum to its score; with `timeline`, the matches per year (per month when
        they span under two years) as `result.timeline` (a cluster counts none: a notice says so).

        A query with no words but a filter (an option, or `committee:"…"` alone) is a browse:
        the documents within the filters, newest first (see also `browse`).

        Raises QueryError for a query or option that cannot be used (InvalidOptionError for an
        option; OptionTypeError, also a TypeError, for an option of the wrong type such as
        `limit="5"`: the library takes ints, as a misspelled option is a TypeError too),
        IndexCorruptError when the index files cannot be read.
        """
        return self._search(query, limit=limit, page=page, committee=committee, doc_type=doc_type,
                            date_from=date_from, date_to=date_to, sort=sort, explain=explain, timeline=timeline)

    def browse(self, *, limit: int = defaults.PAGE_SIZE, page: int = 1, timeline: bool = False,
               **filters: str | None) -> SearchResult:
        """The documents within `filters` (committee, doc_type, date_from, date_to, as for
        `search`; every document without any), newest first, with facets and, with `timeline`,
        the timeline: `search` with no words to look for. Raises as `search` does."""
        return self._search("", limit=limit, page=page, sort="date", explain=False, timeline=timeline, browse=True,
                            **filters)

    def _search(self, query: str, **options: Any) -> SearchResult:
        from .request import past_end_notice
        from .search import search  # the search module is only needed when searching

        # Lone surrogates (undecodable command-line bytes) cannot be looked up or printed as
        # UTF-8: they become U+FFFD, as a decoder would have made them.
        options = {name: _no_surrogates(value) for name, value in options.items()}
        if isinstance(self._engine, engine.PlanEngine):  # a cluster runs the plan itself
            from .engine.plan_search import search as search_plan

            result = search_plan(self._engine, _no_surrogates(query), **options)
        else:
            result = search(self._engine.snapshot(), _no_surrogates(query), **options)
        # Here, after either engine, so that the CLI, the API and the page all say it.
        past_end = past_end_notice(result.page, result.limit, result.total + result.near_total)
        return dataclasses.replace(result, notices=(*result.notices, past_end)) if past_end else result

    # -- citations and related documents (citations.py, related.py) -------------------------

    def citations(self, doc_id: str, *, limit: int = CITED_BY_SHOWN) -> Citations | None:
        """What the document cites (each number with the documents of the index it resolves
        to) and the newest `limit` documents citing it, with their count; None when no
        document has this id. Read from the index's number terms: no extra cost at indexing."""
        from .citations import citations

        snapshot, docnum = self._find(doc_id)
        return None if docnum is None else citations(snapshot, docnum, limit=limit)

    def related(self, doc_id: str, *, limit: int = RELATED_SHOWN) -> tuple[RelatedDocument, ...] | None:
        """The `limit` documents closest to this one by content and shared citations, best
        first; None when no document has this id."""
        from .related import related

        snapshot, docnum = self._find(doc_id)
        return None if docnum is None else related(snapshot, docnum, limit=limit)

    def most_cited(self, *, limit: int = MOST_CITED_SHOWN) -> tuple[MostCited, ...]:
        """The documents of the index cited by the most others, with how many."""
        from .citations import most_cited

        return most_cited(self._embedded_snapshot(), limit=limit)

    def _find(self, doc_id: str) -> tuple[engine.Snapshot, int | None]:
        from .citations import find_docnum

        snapshot = self._embedded_snapshot()
        return snapshot, find_docnum(snapshot, _no_surrogates(doc_id))

    def _embedded_snapshot(self) -> engine.Snapshot:
        """The embedded engine's snapshot; a cluster has none (per-document arrays stay on its nodes)."""
        if isinstance(self._engine, engine.PlanEngine):
            raise VnsearchError("cluster.no_citations")
        return self._engine.snapshot()

    def highlight(self, text: str, query: str) -> str:
        """`text` HTML-escaped with the query's matches in <mark> (the first has id="first-match")."""
        from .search import highlight_document

        return highlight_document(text, query)

    # -- writing ----------------------------------------------------------------------------

    def add(
        self,
        documents: Iterable[Document | Mapping[str, Any]],
        *,
        workers: int | None = None,
        on_document: Callable[[Document], None] | None = None,
        known: dict[str, str] | None = None,
    ) -> AddReport:
        """Add documents, replacing any with the same id; unchanged documents are skipped.

        `documents` are `Document`s or mappings with the same keys (id, title, text, date,
        committee, doc_type, number, url, cited_numbers, extras). `known` (id -> fingerprint,
        as from `fingerprints()`) may be passed by callers that add in several calls; it is kept
        up to date. Large batches are analysed and written by `workers` processes (default: one
        per core). Commits every few thousand documents and at the end, so an interruption
        loses little, and never leaves a half-written commit.
        """
        if isinstance(documents, (Document, Mapping, str, bytes)):
            raise DocumentError("document.not_iterable", hint="hint.wrap_in_list", type=type(documents).__name__)
        report = AddReport()
        known = self.fingerprints() if known is None else known
        workers = defaults.analysis_workers() if workers is None else workers

        def changed() -> Iterator[tuple[Document, str]]:
            for item in documents:
                document = normalized(as_document(item))  # a Document built by hand meets the index as read ones do
                if on_document is not None:
                    on_document(document)
                stamp = fingerprint(document)  # computed once: for the comparison and for the index
                if known.get(document.id) == stamp:
                    report.unchanged += 1
                else:
                    yield document, stamp

        def count(replaced: bool) -> None:
            if replaced:
                report.replaced += 1
            else:
                report.added += 1

        self._engine.write(changed(), known, workers=workers, on_added=count)
        return report

    def delete(self, ids: Sequence[str]) -> int:
        """Delete documents by id; returns how many were there."""
        return self._engine.delete(ids)


_DOCUMENT_FIELDS = frozenset(f.name for f in fields(Document))


def as_document(item: Document | Mapping[str, Any]) -> Document:
    """A Document from a Document or a mapping of its fields; anything else is a DocumentError."""
    if isinstance(item, Document):
        return item
    if isinstance(item, Mapping):
        unknown = sorted(set(item) - _DOCUMENT_FIELDS)
        if unknown:
            raise DocumentError("document.unknown_fields", hint="hint.document_fields", fields=", ".join(map(repr, unknown)))
        if not isinstance(item.get("id"), str) or not isinstance(item.get("title", ""), str) \
                or not isinstance(item.get("text", ""), str):
            raise DocumentError("document.mapping_types")
        values = dict(item)
        values.setdefault("title", "")
        values.setdefault("text", "")
        if "cited_numbers" in values:
            values["cited_numbers"] = tuple(values["cited_numbers"] or ())
        return Document(**values)
    raise DocumentError("document.bad_type", type=type(item).__name__)


def _no_surrogates(value: Any) -> Any:
    return _SURROGATE_RE.sub("\ufffd", value) if isinstance(value, str) else value


_SURROGATE_RE = re.compile("[\ud800-\udfff]")
