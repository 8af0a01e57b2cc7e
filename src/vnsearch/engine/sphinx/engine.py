"""The cluster engine: vnsearch's index in Sphinx RT indexes spread over nodes.

Writing: vnsearch analyses each document (`analysis.analyze_document`, in worker processes for
large batches) and sends its token streams and attributes (`schema.row`) with `REPLACE INTO`
to the node its id hashes to; the same id always goes to the same shard, so a replacement
never leaves a copy behind on another node. Each statement commits on its node (a batch is
atomic per shard, not across shards); after each batch the commit counter on the first node
(`generation`) moves on. The spellings of words (for queries typed without diacritics) are
counted on the way and kept on the first node.

Reading: a `PlanEngine` (engine.base): `run` compiles the plan (`compile.py`) and asks the
distributed index of the first node, which asks every shard. Totals and facets come from
`COUNT(*)` and `FACET`, pages from `ORDER BY WEIGHT() DESC, doc_id ASC` (ties by id, as in the
embedded engine) or by date; stored texts come back with the page and snippets are cut by
vnsearch's highlighter, as for the embedded engine. A long query (k of many units, which no
Sphinx operator counts) first gets a superset of candidates, then which of them hold each unit
(`_run_verified`); its facets and pages are then taken within the exact set.

A node that does not answer: a write or a query through the first node fails with
`EngineUnavailableError`; a shard missing from a distributed query makes the result partial
(`RunResult.unanswered`), which the caller reports.
"""

from __future__ import annotations

import itertools
import json
import math
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from ...analysis import FACETS, AnalyzedDocument, analyze_document
from ...documents import Document
from ...errors import IndexExistsError, IndexVersionError, VnsearchError
from ...planner import Plan
from ...text import fold, number_key
from ..base import RunHit, RunResult
from .compile import boosts, exact_units, match_query, node_query, ranked_query
from .config import Location, parse_node, parse_url
from .connection import Connection, literal
from .schema import (
    COLUMNS,
    DOCUMENT_COLUMNS,
    FIELD_CODES,
    FIELDS,
    LENGTH_ATTRS,
    date_number,
    document_from_row,
    row,
    shard_of,
    sphinx_id,
)

FORMAT_VERSION = 1001  # the cluster layout and token format; never equal to an embedded format
LAYOUT_ID, GENERATION_ID = 1, 2  # rows of <name>_meta
WORD_IDS = 1 << 62  # rows of <name>_meta from here on: the spellings of one folded word
VOCABULARY_FLUSH_BATCHES = 50  # spelling counts sent to the first node every this many batches (and at the end)
BATCH_DOCUMENTS = 128  # analysed and sent together
STATEMENT_BYTES = 8 * 1024 * 1024  # one REPLACE statement at most (searchd accepts 128 MB)
PARALLEL_FROM = 200  # fewer documents than this are analysed in this process
SCALE = 1e6  # WEIGHT() is an integer: the ranking expression times this
MAX_GROUPS = 5000  # facet values counted per facet (Sphinx sizes its group queues by it: 100,000 cost 100 ms a query)
# Sphinx 2.2 sets up max_matches result slots for every plain SELECT (1,000 by default), about
# 20 microseconds each with this schema: 20 ms a query. Every SELECT here asks for what it needs.
ONE = "OPTION max_matches=1"
VERIFY_LIMIT = 5000  # candidates of a long query checked unit by unit (beyond: the superset stands)
UNRESTRICTED_CHECKS = 20_000  # up to this many documents, a unit's holders are fetched whole
K1, B = 1.2, 0.75  # Whoosh's BM25F parameters, which the embedded engine uses

OnAdded = Callable[[bool], None]


class SphinxEngine:
    """The engine boundary (`Engine`, `PlanEngine`) over a Sphinx cluster."""

    format_version = FORMAT_VERSION

    def __init__(self, path: Path, location: Location) -> None:
        self.path = path  # a local folder: the write lock and the file manifest of `vnsearch index`
        self.location = location
        self.name = location.name
        self._connections = {node.address: Connection(node) for node in location.nodes}
        self._statistics: tuple[int, int, dict[str, float]] | None = None  # generation, documents, field -> avg length
        self._spellings: dict[str, dict[str, int]] = {}  # folded word -> spelling -> documents, not yet sent
        self._unranked: set[str] = set()  # nodes whose shard has disk chunks (Sphinx 2.2 ranks none of them)

    # -- lifecycle --------------------------------------------------------------------------

    @classmethod
    def exists(cls, path: Path, url: str) -> bool:
        location = parse_url(url)
        head = Connection(location.nodes[0])
        try:
            return _layout(head, location.name) is not None
        except VnsearchError as error:
            if error.code == "cluster.no_index":
                return False
            raise
        finally:
            head.close(quietly=True)

    @classmethod
    def create(cls, path: Path, url: str) -> SphinxEngine:
        """Record the layout (the URL's nodes, in order) on the first node; check that its
        distributed index has one shard per node."""
        location = parse_url(url)
        head = Connection(location.nodes[0])
        try:
            if _layout(head, location.name) is not None:
                raise IndexExistsError("index.exists", path=location.url)
            shards = head.query(f"DESCRIBE {location.name}")
            if len(shards) != len(location.nodes):
                raise VnsearchError("cluster.layout_mismatch", url=location.url, nodes=len(location.nodes),
                                    shards=len(shards))
            layout = json.dumps({"format": FORMAT_VERSION, "nodes": [n.address for n in location.nodes]})
            head.execute(f"REPLACE INTO {location.name}_meta (id, key, value) VALUES "
                         f"({LAYOUT_ID}, 'layout', {literal(layout)}), ({GENERATION_ID}, 'generation', '0')")
        finally:
            head.close(quietly=True)
        path.mkdir(parents=True, exist_ok=True)
        return cls(path, location)

    @classmethod
    def open(cls, path: Path, url: str) -> SphinxEngine:
        """Open the index the URL names; the nodes come from the recorded layout, which a URL
        naming several nodes must agree with."""
        given = parse_url(url)
        head = Connection(given.nodes[0])
        try:
            layout = _layout(head, given.name)
        finally:
            head.close(quietly=True)
        if layout is None:
            raise VnsearchError("cluster.not_created", hint="hint.cluster_create", url=given.url)
        if layout.get("format") != FORMAT_VERSION:
            raise IndexVersionError("index.version", path=given.url, found=layout.get("format"), expected=FORMAT_VERSION)
        recorded = tuple(parse_node(spec) for spec in layout["nodes"])
        if len(given.nodes) > 1 and [n.address for n in given.nodes] != [n.address for n in recorded]:
            raise VnsearchError("cluster.layout_mismatch", url=given.url, nodes=len(given.nodes), shards=len(recorded))
        return cls(path, Location(recorded, given.name))

    def close(self) -> None:
        for connection in self._connections.values():
            connection.close(quietly=True)

    @property
    def _head(self) -> Connection:
        return self._connections[self.location.nodes[0].address]

    def _shard(self, index: int) -> Connection:
        return self._connections[self.location.nodes[index].address]

    def _shard_of(self, doc_id: str) -> Connection:
        return self._shard(shard_of(doc_id, len(self.location.nodes)))

    # -- commits ----------------------------------------------------------------------------

    def generation(self) -> int:
        rows = self._head.query(f"SELECT value FROM {self.name}_meta WHERE id = {GENERATION_ID} {ONE}")
        return int(rows[0][0]) if rows else 0

    def _commit(self) -> None:
        """Move the commit counter on (a file manifest made before is then not trusted)."""
        self._head.execute(f"REPLACE INTO {self.name}_meta (id, key, value) VALUES "
                           f"({GENERATION_ID}, 'generation', '{self.generation() + 1}')")

    # -- writing ----------------------------------------------------------------------------

    def write(self, documents: Iterable[tuple[Document, str]], known: dict[str, str], *, workers: int,
              on_added: OnAdded) -> None:
        stream = iter(documents)
        head = list(itertools.islice(stream, PARALLEL_FROM))
        items = itertools.chain(head, stream)
        if workers > 1 and len(head) == PARALLEL_FROM:
            analysed = _analyse_in_parallel(items, workers)
        else:
            analysed = (analyze_document(document, stamp) for document, stamp in items)
        batches = 0
        try:
            while True:
                batch = list(itertools.islice(analysed, BATCH_DOCUMENTS))
                if not batch:
                    break
                self._send(batch)
                for item in batch:
                    replaced = item.document.id in known
                    known[item.document.id] = item.fingerprint
                    on_added(replaced)
                    self._count_spellings(item)
                self._commit()
                batches += 1
                if batches % VOCABULARY_FLUSH_BATCHES == 0:
                    self._flush_spellings()
        finally:
            if self._spellings:
                self._flush_spellings()

    def _send(self, batch: list[AnalyzedDocument]) -> None:
        by_shard: dict[int, dict[str, dict[str, Any]]] = {}
        for item in batch:  # the same id twice in a batch: the later one wins, as it would in order
            by_shard.setdefault(shard_of(item.document.id, len(self.location.nodes)), {})[item.document.id] = row(item)
        prefix = f"REPLACE INTO {self.name}_rt ({', '.join(COLUMNS)}) VALUES "
        for shard, rows in sorted(by_shard.items()):
            statement: list[str] = []
            size = 0
            for values in rows.values():
                text = "(" + ", ".join(literal(values[column]) for column in COLUMNS) + ")"
                if statement and size + len(text) > STATEMENT_BYTES:
                    self._shard(shard).execute(prefix + ", ".join(statement))
                    statement, size = [], 0
                statement.append(text)
                size += len(text)
            if statement:
                self._shard(shard).execute(prefix + ", ".join(statement))

    # -- the spellings of words, for queries typed without diacritics ---------------------------

    def _count_spellings(self, item: AnalyzedDocument) -> None:
        for word in set(item.body.words):
            if "_" in word:  # as the embedded restorer: only words of several syllables
                spellings = self._spellings.setdefault(fold(word), {})
                spellings[word] = spellings.get(word, 0) + 1

    def _flush_spellings(self) -> None:
        """Add the counted spellings to those the first node holds (documents replaced or
        deleted are not taken off: the commonest spelling is what matters, and it hardly moves)."""
        pending, self._spellings = self._spellings, {}
        keys = list(pending)
        for start in range(0, len(keys), 2000):
            chunk = {_word_id(key): key for key in keys[start:start + 2000]}
            rows = self._head.query(f"SELECT id, value FROM {self.name}_meta WHERE id IN ({', '.join(map(str, chunk))}) "
                                    f"LIMIT {len(chunk)} OPTION max_matches={len(chunk)}")
            stored = {number: json.loads(value) for number, value in rows}
            values = []
            for number, key in chunk.items():
                counts = stored.get(number, {}).get("spellings", {})
                for word, documents in pending[key].items():
                    counts[word] = counts.get(word, 0) + documents
                payload = json.dumps({"key": key, "spellings": counts}, ensure_ascii=False)
                values.append(f"({number}, 'spelling', {literal(payload)})")
            self._head.execute(f"REPLACE INTO {self.name}_meta (id, key, value) VALUES {', '.join(values)}")

    def restorer(self) -> dict[str, str]:
        return _Restorer(self)

    def _spelling(self, key: str) -> str | None:
        rows = self._head.query(f"SELECT value FROM {self.name}_meta WHERE id = {_word_id(key)} {ONE}")
        for (value,) in rows:
            data = json.loads(value)
            if data.get("key") == key and data.get("spellings"):
                best = max(data["spellings"].items(), key=lambda item: (item[1], item[0]))[0]
                return best if best != key else None
        return None

    def delete(self, ids: Iterable[str]) -> int:
        by_shard: dict[int, set[int]] = {}
        for doc_id in ids:
            by_shard.setdefault(shard_of(doc_id, len(self.location.nodes)), set()).add(sphinx_id(doc_id))
        count = 0
        for shard, numbers in sorted(by_shard.items()):
            listed = ", ".join(map(str, sorted(numbers)))
            connection = self._shard(shard)
            count += len(connection.query(f"SELECT id FROM {self.name}_rt WHERE id IN ({listed}) "
                                          f"LIMIT {len(numbers)} OPTION max_matches={len(numbers)}"))
            connection.execute(f"DELETE FROM {self.name}_rt WHERE id IN ({listed})")
        if by_shard:
            self._commit()
        return count

    # -- documents --------------------------------------------------------------------------

    def get(self, doc_id: str) -> Document | None:
        rows = self._shard_of(doc_id).query(f"SELECT {', '.join(DOCUMENT_COLUMNS)} FROM {self.name}_rt "
                                            f"WHERE id = {sphinx_id(doc_id)} LIMIT 10 OPTION max_matches=10")
        found = [dict(zip(DOCUMENT_COLUMNS, r, strict=True)) for r in rows]
        return next((document_from_row(v) for v in found if v["doc_id"] == doc_id), None)

    def fingerprints(self) -> dict[str, str]:
        result: dict[str, str] = {}
        page = 5000
        for shard in range(len(self.location.nodes)):
            last = 0
            while True:
                rows = self._shard(shard).query(
                    f"SELECT id, doc_id, fingerprint FROM {self.name}_rt WHERE id > {last} "
                    f"ORDER BY id ASC LIMIT {page} OPTION max_matches={page}")
                result.update((doc_id, stamp) for _id, doc_id, stamp in rows)
                if len(rows) < page:
                    break
                last = rows[-1][0]
        return result

    def snapshot(self) -> Any:
        """Per-document arrays are what a cluster engine avoids: see engine.base."""
        raise VnsearchError("cluster.no_snapshot")

    # -- reading ----------------------------------------------------------------------------

    def stats(self) -> tuple[int, dict[str, dict[str, int]]]:
        total, facets, _unanswered = self._count_and_facets(None, "")
        return total, facets

    def run(self, plan: Plan, filters: Any, *, sort: str, offset: int, limit: int) -> RunResult:
        where = _filter_sql(filters)
        number = number_key(filters.number) if filters.number else None
        strict = match_query(plan, plan.min_units, number=number)
        near_units = plan.near_min_units or plan.min_units
        by_relevance = sort == "relevance"
        lowest = near_units if by_relevance else plan.min_units
        if plan.units and not (exact_units(plan, lowest) and exact_units(plan, plan.min_units)):
            verified = self._run_verified(plan, where, number, sort, offset, limit, lowest)
            if verified is not None:
                return verified
        near = match_query(plan, near_units, number=number) if by_relevance and near_units < plan.min_units else strict
        unanswered: set[str] = set()
        total, facets, missed = self._count_and_facets(strict, where)
        unanswered |= set(missed)
        near_total = 0
        if near != strict:
            near_count, missed = self._count(near, where)
            unanswered |= set(missed)
            near_total = near_count - total
        if by_relevance:
            weights = self._corrected(boosts(plan.signals))
            tiers = [near]
            if plan.phrase_first is not None:
                first = node_query(plan.phrase_first)
                tiers = [match_query(plan, near_units, extra=[first], number=number),
                         match_query(plan, near_units, excluded_extra=[first], number=number)]
            rows: list[dict[str, Any]] = []
            skip = offset
            for tier in tiers:
                if len(rows) >= limit:
                    break
                found, tier_total, missed = self._page(ranked_query(tier, plan, weights), where, "w DESC, doc_id ASC",
                                                       skip, limit - len(rows), ranker=self._ranker(weights))
                unanswered |= set(missed)
                rows += found
                skip = max(0, skip - tier_total)
        else:
            rows, _total, missed = self._page(strict, where, "date DESC, doc_id ASC", offset, limit, ranker=None)
            unanswered |= set(missed)
        missing = self._missing(plan, rows, where) if near != strict and rows else {}
        hits = tuple(RunHit(document_from_row(r), (r["w"] / SCALE) if by_relevance else 0.0, missing.get(r["doc_id"], ()))
                     for r in rows)
        return RunResult(total=total, near_total=near_total, hits=hits, facets=facets,
                         unanswered=tuple(sorted(unanswered)), unranked=tuple(sorted(self._unranked)) if by_relevance else ())

    def _run_verified(self, plan: Plan, where: str, number: str | None, sort: str, offset: int, limit: int,
                      lowest: int) -> RunResult | None:
        """`run` for a plan whose units Sphinx cannot count (k of many): the superset of
        candidates, and which of them hold each unit, give the exact match set; Sphinx then
        counts facets and ranks within it. None when there are more than VERIFY_LIMIT
        candidates (the superset then stands for the match set)."""
        candidates = match_query(plan, lowest, number=number, superset=True)
        count, unanswered = self._count(candidates, where)
        if count > VERIFY_LIMIT:
            return None
        units = list(dict.fromkeys(plan.units))
        by_relevance = sort == "relevance"
        phrase = [node_query(plan.phrase_first)] if by_relevance and plan.phrase_first is not None else []
        # Each set of ids comes back as one GROUP_CONCAT row: a grouped query needs no result slot
        # per document (see ONE). The units are asked alone (a few keywords each, where the
        # quorum has dozens), restricted to the candidates by id once the collection is large
        # enough for a unit's holders to outnumber them by far.
        documents, _average = self._field_statistics()
        if documents <= UNRESTRICTED_CHECKS:
            found = self._id_sets([candidates] + [node_query(unit) for unit in units] + phrase, where)
            everyone = found[0]
            found = [everyone] + [ids & everyone for ids in found[1:]]
        else:
            everyone = self._id_sets([candidates], where)[0]
            found = [everyone] + self._id_sets([node_query(unit) for unit in units] + phrase, where + _among(everyone))
        held = found[1:1 + len(units)]
        first = found[1 + len(units)] if len(found) > 1 + len(units) else set()
        position = {unit: i for i, unit in enumerate(units)}
        holds = {n: [n in held[position[unit]] for unit in plan.units] for n in everyone}
        strict = {n for n in everyone if sum(holds[n]) >= plan.min_units}
        near_units = plan.near_min_units or plan.min_units
        ranked_set = {n for n in everyone if sum(holds[n]) >= near_units} if by_relevance else strict
        _total, facets, missed = self._count_and_facets(None, where + _among(strict))  # no MATCH: a scan of those ids
        unanswered += missed
        rows: list[dict[str, Any]] = []
        if by_relevance:
            weights = self._corrected(boosts(plan.signals))
            ranked, ranker = ranked_query(candidates, plan, weights), self._ranker(weights)
            skip = offset
            for tier in (ranked_set & first, ranked_set - first):
                if len(rows) >= limit:
                    break
                if tier and skip < len(tier):
                    page, _found, missed = self._page(ranked, where + _among(tier), "w DESC, doc_id ASC", skip,
                                                      limit - len(rows), ranker=ranker)
                    rows += page
                    unanswered += missed
                skip = max(0, skip - len(tier))
        elif strict:
            rows, _found, missed = self._page(candidates, where + _among(strict), "date DESC, doc_id ASC", offset, limit,
                                              ranker=None)
            unanswered += missed
        hits = []
        for r in rows:
            number_of = sphinx_id(r["doc_id"])
            lacking = () if number_of in strict else tuple(
                label for label, has in zip(plan.unit_labels, holds.get(number_of, []), strict=True) if not has)
            hits.append(RunHit(document_from_row(r), r["w"] / SCALE if by_relevance else 0.0, lacking))
        return RunResult(total=len(strict), near_total=len(ranked_set) - len(strict) if by_relevance else 0,
                         hits=tuple(hits), facets=facets, unanswered=tuple(sorted(set(unanswered))),
                         unranked=tuple(sorted(self._unranked)) if by_relevance else ())

    def _id_sets(self, matches: list[str], where: str) -> list[set[int]]:
        """The Sphinx ids of the documents each full-text query matches (within `where`)."""
        sets, _missed = self._head.query_sets("; ".join(
            f"SELECT 1 AS g, GROUP_CONCAT(id) FROM {self.name} WHERE MATCH({literal(match)}){where} GROUP BY g "
            f"OPTION ranker=none, max_matches=1" for match in matches))
        return [{int(n) for n in str(rows[0][1]).split(",")} if rows and rows[0][1] else set() for rows in sets]

    def _count(self, match: str, where: str) -> tuple[int, list[str]]:
        sets, unanswered = self._head.query_sets(
            f"SELECT COUNT(*) FROM {self.name} WHERE MATCH({literal(match)}){where} OPTION ranker=none, max_matches=1")
        return (int(sets[0][0][0]) if sets[0] else 0), unanswered

    def _count_and_facets(self, match: str | None, where: str) -> tuple[int, dict[str, dict[str, int]], list[str]]:
        condition = f"MATCH({literal(match)}){where}" if match is not None else where.removeprefix(" AND ")
        facet_sql = "".join(f" FACET {name} ORDER BY COUNT(*) DESC LIMIT {MAX_GROUPS}" for name in FACETS)
        sets, unanswered = self._head.query_sets(
            f"SELECT COUNT(*) FROM {self.name}{' WHERE ' + condition if condition else ''} "
            f"OPTION ranker=none, max_matches={MAX_GROUPS}{facet_sql}")
        total = int(sets[0][0][0]) if sets[0] else 0
        facets: dict[str, dict[str, int]] = {}
        for name, groups in zip(FACETS, sets[1:], strict=False):
            pairs = [(str(value), int(count)) for value, count in groups if value not in ("", 0)]
            facets[name] = dict(sorted(pairs, key=lambda item: (-item[1], item[0])))
        for name in FACETS:
            facets.setdefault(name, {})
        return total, facets, unanswered

    def _page(self, match: str, where: str, order: str, offset: int, limit: int, *,
              ranker: str | None) -> tuple[list[dict[str, Any]], int, list[str]]:
        """Rows offset..offset+limit in `order`, and how many match in all."""
        columns = ["w", *DOCUMENT_COLUMNS]
        depth = offset + limit
        options = f"max_matches={max(depth, 1)}, " + (ranker or "ranker=none")
        sets, unanswered = self._head.query_sets(
            f"SELECT WEIGHT() AS w, {', '.join(DOCUMENT_COLUMNS)} FROM {self.name} WHERE MATCH({literal(match)}){where} "
            f"ORDER BY {order} LIMIT {offset}, {limit} OPTION {options}; SHOW META")
        meta = dict(sets[-1]) if len(sets) > 1 else {}
        rows = [dict(zip(columns, r, strict=True)) for r in sets[0]]
        return rows, int(meta.get("total_found", len(rows))), unanswered

    def _missing(self, plan: Plan, rows: list[dict[str, Any]], where: str) -> dict[str, tuple[str, ...]]:
        """The unit labels each near match lacks (strict matches lack none)."""
        ids = ", ".join(str(sphinx_id(r["doc_id"])) for r in rows)
        held: list[set[str]] = []
        for unit in plan.units:
            found = self._head.query(f"SELECT doc_id FROM {self.name} WHERE MATCH({literal(node_query(unit))}) "
                                     f"AND id IN ({ids}) LIMIT {len(rows)} OPTION ranker=none, max_matches={len(rows)}")
            held.append({r[0] for r in found})
        result = {}
        for r in rows:
            lacking = tuple(label for label, holders in zip(plan.unit_labels, held, strict=True) if r["doc_id"] not in holders)
            if len(plan.units) - len(lacking) < plan.min_units:
                result[r["doc_id"]] = lacking
        return result

    def _field_statistics(self) -> tuple[int, dict[str, float]]:
        """(documents, Sphinx field -> average tokens), recomputed after each commit."""
        generation = self.generation()
        if self._statistics is None or self._statistics[0] != generation:
            attrs = list(LENGTH_ATTRS.values())
            rows = self._head.query(f"SELECT COUNT(*), {', '.join(f'SUM({a})' for a in attrs)} FROM {self.name} {ONE}")
            documents = int(rows[0][0]) if rows else 0
            sums = dict(zip(LENGTH_ATTRS, (float(v or 0) for v in rows[0][1:]), strict=True)) if rows else {}
            average = {field: sums.get(field, 0.0) / documents if documents else 0.0 for field in LENGTH_ATTRS}
            for part in ("title", "body"):
                average[f"{part}_folded"] = average[part]
                average[f"{part}_pairs_folded"] = max(average[part] - 1, 0.0)
            self._statistics = (generation, documents, average)
        return self._statistics[1], self._statistics[2]

    def _ranker(self, weights: dict[str, float]) -> str:
        """The ranking expression: per field, BM25 over the query's keywords in that field.

        Sphinx 2.2's `bm25f(k1, b, {field=weight})` normalises a keyword's frequency by the
        (weighted) length of the whole document, against an average length it does not know for
        RT indexes (it takes 1/N). One `bm25f` per field, with weight 1 for that field and 0 for
        every other, gives per-field lengths as the embedded engine's BM25F has; k1 and b are
        then chosen so that k1*(1-b+b*len*N_shard) equals Whoosh's 1.2*(1-0.75+0.75*len/avg).
        """
        documents, average = self._field_statistics()
        shards = len(self.location.nodes)
        by_code = {code: field for field, code in FIELD_CODES.items()}
        fields = sorted({by_code[keyword.split("_", 1)[0]] for keyword in weights})
        parts = []
        for field in fields:
            total = average.get(field, 0.0) * documents / shards  # tokens of this field in one shard
            c = K1 * B / total if total > 0 else 1e-9
            k1 = K1 * (1 - B) + c
            mapping = ", ".join(f"{name}={1 if name == field else 0}" for name in FIELDS)
            parts.append(f"bm25f({k1:.9g}, {c / k1:.9g}, {{{mapping}}})")
        expression = " + ".join(parts) if parts else "1"
        return f"ranker=expr('({expression})*{SCALE:.0f}'), idf='plain,tfidf_unnormalized'"

    def _corrected(self, weights: dict[str, float]) -> dict[str, float]:
        """Boosts that turn Sphinx's IDF into Whoosh's: Sphinx ranks a keyword by log(N/n)
        (over its shard), the embedded engine by log(N/(n+1)) + 1, which keeps common words
        from counting for nothing. The keyword's weight is scaled by their ratio, N and n
        summed over the shards (they are alike: documents are spread by a hash)."""
        if not weights:
            return weights
        documents = 0
        frequency: dict[str, int] = dict.fromkeys(weights, 0)
        listed = literal(" ".join(weights))
        self._unranked = set()
        for shard in range(len(self.location.nodes)):
            connection = self._shard(shard)
            try:
                status = dict(connection.query(f"SHOW INDEX {self.name}_rt STATUS"))
                documents += int(status.get("indexed_documents", 0))
                if int(status.get("disk_chunks", 0)):  # see config.RT_MEM_LIMIT
                    self._unranked.add(self.location.nodes[shard].address)
                for r in connection.query(f"CALL KEYWORDS({listed}, '{self.name}_rt', 1)"):
                    if r[1] in frequency:
                        frequency[r[1]] += int(r[3])
            except VnsearchError:
                continue  # an unreachable shard: the query itself will say so; rank with what is known
        corrected = {}
        for keyword, weight in weights.items():
            n = frequency.get(keyword, 0)
            sphinx_idf = math.log(documents / n) if 0 < n < documents else 0.0
            whoosh_idf = math.log(documents / (n + 1)) + 1 if documents else 1.0
            corrected[keyword] = weight * whoosh_idf / sphinx_idf if sphinx_idf > 0.05 else weight
        return corrected


def _among(numbers: set[int]) -> str:
    """The attribute condition "one of these documents" (Sphinx ids)."""
    return f" AND id IN ({', '.join(map(str, sorted(numbers)))})" if numbers else " AND id = 0"


def _word_id(key: str) -> int:
    return WORD_IDS | (sphinx_id(key) & (WORD_IDS - 1))


class _Restorer(dict):  # type: ignore[type-arg]
    """`Snapshot.restorer`'s mapping, looked up word by word on the first node (the planner
    only calls `get`); the answers are kept for the life of one plan."""

    def __init__(self, engine: SphinxEngine) -> None:
        super().__init__()
        self._engine = engine
        self._asked: dict[str, str | None] = {}

    def get(self, key: str, default: Any = None) -> Any:  # type: ignore[override]
        if key not in self._asked:
            self._asked[key] = self._engine._spelling(key)
        found = self._asked[key]
        return default if found is None else found

    def __getitem__(self, key: str) -> str:
        found = self.get(key)
        if found is None:
            raise KeyError(key)
        return str(found)

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and self.get(key) is not None


def _layout(head: Connection, name: str) -> dict[str, Any] | None:
    rows = head.query(f"SELECT value FROM {name}_meta WHERE id = {LAYOUT_ID} {ONE}")
    return json.loads(rows[0][0]) if rows else None


def _filter_sql(filters: Any) -> str:
    """The attribute conditions of the search filters (number is a MATCH term)."""
    parts = []
    if filters.committee:
        parts.append(f"committee = {literal(filters.committee)}")
    if filters.doc_type:
        parts.append(f"doc_type = {literal(filters.doc_type)}")
    if filters.date_from or filters.date_to:
        low = max(1, date_number(filters.date_from)) if filters.date_from else 1
        high = date_number(filters.date_to) if filters.date_to else 99991231
        if filters.date_to and len(filters.date_to.replace("-", "")) < 8:
            high = int(filters.date_to.replace("-", "").ljust(8, "9"))
        parts.append(f"date BETWEEN {low} AND {high}")
    return "".join(f" AND {part}" for part in parts)


def _analyse_in_parallel(items: Iterator[tuple[Document, str]] | Iterable[tuple[Document, str]],
                         workers: int) -> Iterator[AnalyzedDocument]:
    """analyze_document in `workers` processes (pyvi is the cost), in input order."""
    import multiprocessing

    from ...segment import load_model

    load_model()  # once, before forking: every worker inherits it
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        yield from pool.imap(_analyse, items, chunksize=8)


def _analyse(item: tuple[Document, str]) -> AnalyzedDocument:
    return analyze_document(item[0], item[1])
