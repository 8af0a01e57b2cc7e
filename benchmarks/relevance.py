"""Relevance of vnsearch and its peers on both dev sets, in one run.

- alqac: ALQAC 2024 dev, 430 legal questions over 2,249 law articles, binary judgments:
  MRR@10, Recall@10, nDCG@10.
- politics: politics-dev, 30 political-news topics over news-politics + news-dated (5,682
  articles), judged 0/1/2: nDCG@10 with gain = grade, P@10 and MRR@10 (grade >= 1 relevant),
  overall and per query style. Judgments are the shared qrels.jsonl plus the project's own in
  judgments/politics-dev-extra.jsonl, which never override a shared one. An unjudged document
  counts as not relevant; the run counts them in every system's top 10 and lists vnsearch's.

Every system indexes each set's corpus and answers its queries; the top 10 are judged.

    .venv/bin/python benchmarks/relevance.py
    .venv/bin/python benchmarks/relevance.py --sets politics --systems vnsearch,bm25 \\
        --index-politics /tmp/politics-index --per-topic --unjudged /tmp/unjudged.jsonl
    PYTHONPATH=/other/checkout/src .venv/bin/python benchmarks/relevance.py --systems vnsearch
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from statistics import fmean

from bench_common import (
    BENCH_DIR,
    CORPUS,
    EVAL,
    RawDoc,
    add_write_option,
    append_results,
    provenance,
    raw_docs,
    require_paths,
    table,
)
from ir_metrics import evaluate, graded_scores
from peers import PEERS, make_peer, missing
from vnsystem import SEARCH_MISSING, VnsearchSystem, foreign_source, search_available

SYSTEMS = ("vnsearch", *PEERS)
SETS = ("alqac", "politics")
K = 10
ALQAC_DIR = EVAL / "alqac2024"
POLITICS_DIR = EVAL / "politics-dev"
POLITICS_CORPUS = (CORPUS / "news-politics.jsonl.gz", CORPUS / "news-dated.jsonl.gz")
EXTRA_JUDGMENTS = BENCH_DIR / "judgments" / "politics-dev-extra.jsonl"
# The order politics-dev/README.md lists them in; a style not listed here is reported after them.
STYLES = ("plain", "no-diacritics", "lowercase-or-old-tone", "abbreviation", "number", "question")
GRADED_METRICS = (f"nDCG@{K}", f"P@{K}", f"MRR@{K}")


@dataclass(frozen=True)
class Topic:
    qid: str
    text: str
    style: str = ""  # politics-dev only


@dataclass
class DevSet:
    name: str  # as in --sets
    title: str  # as in RESULTS.md headings
    summary: str  # one line: size of the set and of its judgments
    corpus: tuple[Path, ...]
    topics: list[Topic]
    # qid -> normalised doc id -> grade; grade 0 = judged not relevant (ALQAC lists relevant ones only).
    qrels: dict[str, dict[str, int]]
    notes: list[str] = field(default_factory=list)
    _docs: list[RawDoc] | None = None

    def docs(self) -> list[RawDoc]:
        """The corpus as published, read once for every peer."""
        if self._docs is None:
            self._docs = raw_docs(list(self.corpus))
        return self._docs


@dataclass
class Run:
    """One system's answers on one set."""

    ranked: dict[str, list[str]]  # qid -> normalised ids, best first
    build_s: float | None  # None: a vnsearch index was reused
    query_ms: float
    failed: int


# -- arguments --------------------------------------------------------------------------------


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter,
                                     epilog=__doc__.split("\n\n", 1)[1])
    parser.add_argument("--sets", default=",".join(SETS), help="comma-separated dev sets (default: %(default)s)")
    parser.add_argument("--systems", default=",".join(SYSTEMS), help="comma-separated subset of %(default)s")
    parser.add_argument("--index-alqac", type=Path, help="vnsearch index of ALQAC to reuse; built there (and kept) if absent")
    parser.add_argument("--index-politics", type=Path,
                        help="vnsearch index of news-politics + news-dated to reuse; built there (and kept) if absent")
    parser.add_argument("--workers", type=int, help="vnsearch analysis processes (default: one per core)")
    parser.add_argument("--max-queries", type=int, help="only the first N queries of each set (quick checks)")
    parser.add_argument("--extra-judgments", type=Path, default=EXTRA_JUDGMENTS,
                        help="the project's own politics-dev judgments (default: %(default)s)")
    parser.add_argument("--unjudged", metavar="FILE",
                        help="write the documents of vnsearch's politics top 10 judged nowhere to FILE as JSONL "
                             "(default: print them)")
    parser.add_argument("--per-topic", action="store_true", help="also print politics nDCG@10 per topic and system")
    parser.add_argument("--save-runs", type=Path, metavar="DIR",
                        help="write every system's ranked ids to DIR/<set>-runs.json (for diagnosis)")
    add_write_option(parser)
    args = parser.parse_args()
    args.sets = _choices(parser, "sets", args.sets, SETS)
    args.systems = _choices(parser, "systems", args.systems, SYSTEMS)
    return args


def _choices(parser: argparse.ArgumentParser, option: str, value: str, allowed: Sequence[str]) -> list[str]:
    chosen = [s.strip() for s in value.split(",") if s.strip()]
    unknown = sorted(set(chosen) - set(allowed))
    if unknown:
        parser.error(f"--{option}: unknown {unknown}; choose from {','.join(allowed)}")
    return chosen


# -- dev sets ---------------------------------------------------------------------------------


def normalized_id(doc_id: str) -> str:
    """vnsearch normalises ids as it reads them: every system and every judgment is compared
    on normalised ids."""
    from vnsearch.text import normalize

    return normalize(str(doc_id))


def read_lines(path: Path) -> Iterator[tuple[int, dict]]:
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if line.strip():
                yield number, json.loads(line)


def load_alqac(max_queries: int | None) -> DevSet:
    corpus = ALQAC_DIR / "corpus.jsonl.gz"
    require_paths(corpus, ALQAC_DIR / "queries-dev.jsonl", ALQAC_DIR / "qrels-dev.jsonl")
    topics = [Topic(q["qid"], q["text"]) for _, q in read_lines(ALQAC_DIR / "queries-dev.jsonl")][:max_queries]
    qrels: dict[str, dict[str, int]] = {t.qid: {} for t in topics}
    for _, judgment in read_lines(ALQAC_DIR / "qrels-dev.jsonl"):
        if judgment["qid"] in qrels and judgment.get("relevance", 1) > 0:
            qrels[judgment["qid"]][normalized_id(judgment["doc_id"])] = 1
    summary = f"{len(topics)} questions, {sum(map(len, qrels.values()))} judged relevant articles"
    return DevSet("alqac", "ALQAC 2024 dev", summary, (corpus,), topics, qrels)


def load_politics(max_queries: int | None, extra_path: Path) -> DevSet:
    require_paths(*POLITICS_CORPUS, POLITICS_DIR / "topics.jsonl", POLITICS_DIR / "qrels.jsonl")
    topics = [Topic(t["qid"], t["query"], t["style"]) for _, t in read_lines(POLITICS_DIR / "topics.jsonl")][:max_queries]
    shared = read_judgments(POLITICS_DIR / "qrels.jsonl")
    extra = read_judgments(extra_path) if extra_path.exists() else {}
    qrels, notes = merge_judgments(shared, extra, {t.qid for t in topics})
    counts = [sum(1 for grades in qrels.values() for g in grades.values() if g == grade) for grade in (2, 1, 0)]
    summary = (f"{len(topics)} topics over {len(POLITICS_CORPUS)} corpus files; judged rel 2/1/0: "
               f"{counts[0]}/{counts[1]}/{counts[2]}, {len(extra)} project judgments read from {extra_path.name}")
    return DevSet("politics", "politics-dev", summary, POLITICS_CORPUS, topics, qrels, notes)


def read_judgments(path: Path) -> dict[tuple[str, str], int]:
    """(qid, normalised doc id) -> grade. A later line for the same pair wins (a re-judgment)."""
    judgments = {}
    for number, line in read_lines(path):
        grade = line.get("rel")
        if not isinstance(grade, int) or grade not in (0, 1, 2) or not line.get("qid") or not line.get("doc_id"):
            sys.exit(f"error: {path}:{number}: expected {{qid, doc_id, rel: 0|1|2, why}}, got {line}")
        judgments[(line["qid"], normalized_id(line["doc_id"]))] = grade
    return judgments


def merge_judgments(shared: dict[tuple[str, str], int], extra: dict[tuple[str, str], int],
                    qids: set[str]) -> tuple[dict[str, dict[str, int]], list[str]]:
    """qid -> doc -> grade for the wanted topics; a shared judgment always stands."""
    qrels: dict[str, dict[str, int]] = {qid: {} for qid in sorted(qids)}
    overridden = 0
    for (qid, doc_id), grade in extra.items():
        if (qid, doc_id) in shared:
            overridden += shared[(qid, doc_id)] != grade
        elif qid in qrels:
            qrels[qid][doc_id] = grade
    for (qid, doc_id), grade in shared.items():
        if qid in qrels:
            qrels[qid][doc_id] = grade
    notes = [f"{overridden} extra judgments disagree with the shared qrels and were ignored"] if overridden else []
    return qrels, notes


# -- running the systems ----------------------------------------------------------------------


def run_queries(search: Callable[[str, int], list[str]], topics: Sequence[Topic]) -> tuple[dict[str, list[str]], float, int]:
    """The ranked ids per query, mean seconds per query, and how many queries raised."""
    ranked: dict[str, list[str]] = {}
    failed = 0
    start = time.perf_counter()
    for topic in topics:
        try:
            ranked[topic.qid] = [normalized_id(doc_id) for doc_id in search(topic.text, K)]
        except Exception as error:  # one bad query should not end a 430-query run; it is counted
            failed += 1
            ranked[topic.qid] = []
            print(f"  {topic.qid}: {type(error).__name__}: {error}", file=sys.stderr)
    return ranked, (time.perf_counter() - start) / max(1, len(topics)), failed


def run_vnsearch(devset: DevSet, index: Path | None, workers: int | None) -> Run | str:
    if not search_available():
        return SEARCH_MISSING
    system = VnsearchSystem(index)
    try:
        start = time.perf_counter()
        build = None  # a reused index
        if index is None or not index.exists():
            print(f"vnsearch: indexing {devset.name}…", file=sys.stderr, flush=True)
            system.build(list(devset.corpus), workers=workers)
            build = time.perf_counter() - start
        ranked, per_query, failed = run_queries(system.search, devset.topics)
    finally:
        system.close()
    return Run(ranked, build, per_query * 1000, failed)


def run_peer(name: str, devset: DevSet) -> Run | str:
    reason = missing(name)
    if reason:
        return reason
    print(f"{name}: indexing {devset.name}…", file=sys.stderr, flush=True)
    peer = make_peer(name)
    try:
        start = time.perf_counter()
        peer.build(devset.docs())
        build = time.perf_counter() - start
        ranked, per_query, failed = run_queries(peer.search, devset.topics)
    finally:
        peer.close()
    return Run(ranked, build, per_query * 1000, failed)


def run_all(devset: DevSet, args: argparse.Namespace) -> dict[str, Run | str]:
    """Each system's run, or why it did not run."""
    index = args.index_alqac if devset.name == "alqac" else args.index_politics
    return {name: run_vnsearch(devset, index, args.workers) if name == "vnsearch" else run_peer(name, devset)
            for name in args.systems}


# -- measuring --------------------------------------------------------------------------------


def scored_topics(devset: DevSet) -> list[Topic]:
    """Topics with at least one relevant judgment: the others cannot be scored (nDCG has no ideal)."""
    return [t for t in devset.topics if any(grade > 0 for grade in devset.qrels[t.qid].values())]


def per_topic_scores(devset: DevSet, run: Run) -> dict[str, dict[str, float]]:
    """qid -> graded metrics of every scored topic."""
    return {t.qid: graded_scores(run.ranked.get(t.qid, []), devset.qrels[t.qid], K) for t in scored_topics(devset)}


def style_groups(devset: DevSet) -> list[tuple[str, list[str]]]:
    """(style, qids of its scored topics) in the README's order of styles, then "all"."""
    topics = scored_topics(devset)
    styles = list(dict.fromkeys([*STYLES, *(t.style for t in topics)]))
    groups = [(style, [t.qid for t in topics if t.style == style]) for style in styles]
    return [(s, qids) for s, qids in groups if qids] + [("all", [t.qid for t in topics])]


def unjudged(devset: DevSet, run: Run) -> list[tuple[str, str, int]]:
    """(qid, doc id, rank) of the top-K documents judged nowhere: scored as not relevant."""
    return [(qid, doc_id, rank) for qid, ids in run.ranked.items()
            for rank, doc_id in enumerate(ids[:K], start=1) if doc_id not in devset.qrels.get(qid, {})]


# -- reporting --------------------------------------------------------------------------------


@dataclass
class Section:
    """What one set reports: tables (caption, headers, rows) and notes, printed and recorded alike."""

    heading: str
    tables: list[tuple[str, list[str], list[list[object]]]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def text(self, *, markdown: bool) -> str:
        parts = [self.heading]
        for caption, headers, rows in self.tables:
            parts.append((f"{caption}\n\n" if markdown and caption else f"{caption}\n" if caption else "")
                         + table(headers, rows, markdown=markdown))
        parts += self.notes
        return "\n\n".join(parts)


def not_run_notes(results: dict[str, Run | str]) -> list[str]:
    return [f"{name}: not run: {reason}" for name, reason in results.items() if isinstance(reason, str)]


def alqac_section(devset: DevSet, results: dict[str, Run | str]) -> Section:
    qrels = {qid: set(grades) for qid, grades in devset.qrels.items()}
    headers = ["system", f"MRR@{K}", f"Recall@{K}", f"nDCG@{K}", "queries", "failed", "index s", "ms/query"]
    rows = []
    for name, run in results.items():
        if isinstance(run, Run):
            scores = evaluate(run.ranked, qrels, K)
            rows.append([name, scores[f"MRR@{K}"], scores[f"Recall@{K}"], scores[f"nDCG@{K}"], scores["queries"],
                         run.failed, run.build_s, run.query_ms])
    return Section(f"{devset.title}: {devset.summary}", [("", headers, rows)], not_run_notes(results))


def politics_section(devset: DevSet, results: dict[str, Run | str]) -> Section:
    runs = {name: run for name, run in results.items() if isinstance(run, Run)}
    scores = {name: per_topic_scores(devset, run) for name, run in runs.items()}
    headers = ["system", *GRADED_METRICS, f"unjudged@{K}", "topics", "failed", "index s", "ms/query"]
    rows = [[name, *(fmean(s[m] for s in scores[name].values()) for m in GRADED_METRICS),
             len(unjudged(devset, run)), len(scores[name]), run.failed, run.build_s, run.query_ms]
            for name, run in runs.items()]
    section = Section(f"{devset.title}: {devset.summary}", [("", headers, rows)])
    for metric in GRADED_METRICS:
        style_rows = [[f"{style} ({len(qids)})",
                       *(fmean(scores[name][q][metric] for q in qids) for name in runs)]
                      for style, qids in style_groups(devset)]
        section.tables.append((f"{metric} by query style (topics)", ["style", *runs], style_rows))
    section.notes += [f"unjudged@{K}: documents in the system's top {K} judged neither in the shared qrels nor in "
                      "the project's judgments; they count as not relevant.",
                      *devset.notes, *not_run_notes(results)]
    return section


def per_topic_table(devset: DevSet, results: dict[str, Run | str]) -> tuple[str, list[str], list[list[object]]]:
    """nDCG@K per topic: every system, the best peer, and vnsearch's margin over it."""
    runs = {name: run for name, run in results.items() if isinstance(run, Run)}
    scores = {name: per_topic_scores(devset, run) for name, run in runs.items()}
    metric = f"nDCG@{K}"
    peers = [name for name in runs if name != "vnsearch"]
    rows = []
    for topic in scored_topics(devset):
        row: list[object] = [topic.qid, topic.style, topic.text[:40], *(scores[n][topic.qid][metric] for n in runs)]
        if peers and "vnsearch" in runs:
            best = max(peers, key=lambda n: scores[n][topic.qid][metric])
            row += [best, scores["vnsearch"][topic.qid][metric] - scores[best][topic.qid][metric]]
        rows.append(row)
    headers = ["qid", "style", "query", *runs] + (["best peer", "vnsearch - best"] if peers and "vnsearch" in runs else [])
    return f"{metric} per topic", headers, rows


def report_unjudged(devset: DevSet, run: Run, path: str | None) -> None:
    """vnsearch's unjudged top-K documents, to be judged by GUIDELINES.md into the extra file."""
    titles = {normalized_id(doc.id): " ".join(doc.title.split()) for doc in devset.docs()}
    queries = {t.qid: t.text for t in devset.topics}
    rows = unjudged(devset, run)
    if path:
        with open(path, "w", encoding="utf-8") as handle:
            for qid, doc_id, rank in rows:
                record = {"qid": qid, "doc_id": doc_id, "rank": rank, "title": titles.get(doc_id, ""), "query": queries[qid]}
                handle.write(json.dumps(record, ensure_ascii=False) + "\n")
        print(f"{len(rows)} unjudged documents of vnsearch's top {K} written to {path}", file=sys.stderr)
    elif rows:
        print(f"\nvnsearch's top {K}: {len(rows)} documents judged nowhere")
        print(table(["qid", "doc_id", "rank", "title"], [[q, d, r, titles.get(d, "")[:90]] for q, d, r in rows]))


def save_runs(folder: Path, devset: DevSet, results: dict[str, Run | str]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    runs = {name: run.ranked for name, run in results.items() if isinstance(run, Run)}
    path = folder / f"{devset.name}-runs.json"
    path.write_text(json.dumps(runs, ensure_ascii=False, indent=1), encoding="utf-8")
    print(f"runs written to {path}", file=sys.stderr)


def main() -> None:
    args = parse_args()
    loaders = {"alqac": lambda: load_alqac(args.max_queries),
               "politics": lambda: load_politics(args.max_queries, args.extra_judgments)}
    source = foreign_source() if "vnsearch" in args.systems else None
    print(provenance() + (f"; {source}" if source else ""))
    for name in args.sets:
        devset = loaders[name]()
        results = run_all(devset, args)
        section = alqac_section(devset, results) if name == "alqac" else politics_section(devset, results)
        if source:
            section.notes.append(source)
        print()
        print(section.text(markdown=False))
        if name == "politics" and args.per_topic:
            caption, headers, rows = per_topic_table(devset, results)
            print(f"\n{caption}\n{table(headers, rows)}")
        vnsearch_run = results.get("vnsearch")
        if name == "politics" and isinstance(vnsearch_run, Run):
            report_unjudged(devset, vnsearch_run, args.unjudged)
        if args.save_runs:
            save_runs(args.save_runs, devset, results)
        body = section.text(markdown=True)
        body += "\n\nPeers index the records as published; vnsearch normalises. Index seconds include reading the corpus."
        append_results(args.write, f"Relevance: {devset.title} (benchmarks/relevance.py)", body)


if __name__ == "__main__":
    main()
