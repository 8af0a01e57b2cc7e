"""Indexing speed and memory: vnsearch (as `vnsearch index` builds) against stock Whoosh, one run.

Each build runs in its own process so that its peak memory is its own. Then, in one more
process, vnsearch's work is taken apart: reading + normalisation, loading the CRF model,
segmentation alone, the rest of the analysis, and writing with vnsearch's writer, with what
each field costs to write (CPU) and to keep (bytes); pyvi's own ViTokenizer runs on a sample
for reference.

    .venv/bin/python benchmarks/indexing.py
    .venv/bin/python benchmarks/indexing.py --input ../shared/corpus/news-all.jsonl.gz --limit 5000
"""

from __future__ import annotations

import argparse
import gc
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench_common import (
    CORPUS,
    RawDoc,
    add_write_option,
    append_results,
    dir_size,
    human_bytes,
    iter_jsonl,
    provenance,
    require_paths,
    table,
    timed,
)

SYSTEMS = ("vnsearch", "whoosh")


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--input", type=Path, default=CORPUS / "news-politics.jsonl.gz",
                        help="JSONL file (.gz or not) to index (default: %(default)s)")
    parser.add_argument("--limit", type=int, help="only the first N records")
    parser.add_argument("--workers", type=int, help="vnsearch analysis processes (default: one per core)")
    parser.add_argument("--pyvi-sample", type=int, default=200, metavar="N",
                        help="documents given to pyvi's ViTokenizer for reference (default: %(default)s; 0: skip)")
    parser.add_argument("--no-breakdown", action="store_true", help="skip the one-process breakdown of vnsearch's time")
    parser.add_argument("--keep", type=Path, metavar="DIR", help="keep a copy of vnsearch's index in DIR (must not exist)")
    parser.add_argument("--child", choices=(*SYSTEMS, "breakdown"), help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    add_write_option(parser)
    return parser.parse_args()


# -- child processes: each prints one JSON line ---------------------------------------------


def _usage() -> dict[str, float]:
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return {
        "rss_main_kb": me.ru_maxrss,
        "rss_worker_kb": kids.ru_maxrss,  # the largest worker process (Linux reports the maximum)
        "cpu_s": me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime,
    }


def child_build(system: str, source: Path, out: Path, workers: int | None) -> dict:
    start = time.perf_counter()
    if system == "vnsearch":
        from vnsystem import build_index

        documents = build_index(out, [source], workers=workers)
    else:
        from peers import build_whoosh

        docs = (RawDoc(str(r.get("id")), str(r.get("title") or ""), str(r.get("text") or "")) for r in iter_jsonl(source))
        build_whoosh(out, docs)
        from whoosh import index

        ix = index.open_dir(str(out))
        documents = ix.doc_count()
        ix.close()
    return {"seconds": time.perf_counter() - start, "documents": documents, **_usage()}


def child_breakdown(source: Path, out: Path, pyvi_sample: int) -> dict:
    """vnsearch's indexing steps one after the other, in this one process, and what each field
    costs to write (CPU seconds) and to keep (bytes) in one segment."""
    from vnsearch.analysis import analyze_document
    from vnsearch.documents import read_jsonl
    from vnsearch.segment import segment, segment_words

    t: dict[str, float] = {}
    with timed(t, "read"):
        docs = [record.document for record in read_jsonl(source) if record.document is not None]
    texts = [d.title for d in docs] + [d.text for d in docs]
    result: dict = {"steps": t, "chars": sum(map(len, texts)), "documents": len(docs)}
    with timed(t, "model"):
        segment("Ban Thường vụ Tỉnh ủy")  # the first call loads the CRF model

    if pyvi_sample:  # before the analysis below fills the heap, so both segmenters run alike
        sample = [text for d in docs[:pyvi_sample] for text in (d.title, d.text)]
        with timed(t, "pyvi_import"):
            from pyvi import ViTokenizer
        with timed(t, "pyvi_sample"):
            for text in sample:
                ViTokenizer.tokenize(text)
        with timed(t, "segment_sample"):
            for text in sample:
                segment(text)
        result["sample_chars"] = sum(map(len, sample))
        result["sample_docs"] = min(pyvi_sample, len(docs))

    with timed(t, "segment"):
        for text in texts:
            segment_words(text)  # what indexing calls
    # Holding every analysed document at once (needed to time the writing apart) makes each
    # cyclic-GC pass walk millions of live objects, a cost the streaming indexer never pays.
    gc.collect()
    gc.disable()
    try:
        with timed(t, "analyze"):
            analyzed = [analyze_document(d) for d in docs]
        result["fields"] = _write_by_field(analyzed, out, t)
    finally:
        gc.enable()
    return result


def _write_by_field(analyzed: list, out: Path, t: dict[str, float]) -> dict[str, dict[str, float]]:
    """Write every document into one segment with vnsearch's writer, timing each field's share
    (collecting its postings per document, sorting and encoding them at commit)."""
    from whoosh import index as whoosh_index

    from vnsearch.engine.whoosh import codec, pairs, process
    from vnsearch.engine.whoosh.schema import build_schema, whoosh_values
    from vnsearch.engine.whoosh.store import WRITER_OPTIONS
    from vnsearch.engine.whoosh.writer import Writer

    process.tune_allocator()  # as in indexing workers
    cpu: dict[str, float] = {}

    def timing(name: str, method):  # type: ignore[no-untyped-def]
        def timed_method(*args, **kwargs):  # type: ignore[no-untyped-def]
            started = time.process_time()
            try:
                return method(*args, **kwargs)
            finally:
                cpu[name] = cpu.get(name, 0.0) + time.process_time() - started
        return timed_method

    def announcing(name: str, method):  # type: ignore[no-untyped-def]
        """FieldPostings.postings, timed, telling encode_field (next) whose field it encodes."""
        def postings(*args):  # type: ignore[no-untyped-def]
            current.append(name)
            return timing(name, method)(*args)
        return postings

    encode_field, encode_pairs = codec.encode_field, pairs.encode_field
    current: list[str] = []
    codec.encode_field = lambda *args, **kwargs: timing(current[-1], encode_field)(*args, **kwargs)
    pairs.encode_field = lambda *args, **kwargs: timing(current[-1], encode_pairs)(*args, **kwargs)
    try:
        with timed(t, "values"):
            values = [whoosh_values(a) for a in analyzed]
        ix = whoosh_index.create_in(str(out), build_schema())
        writer = Writer(ix, **WRITER_OPTIONS)
        for name, collected in writer._fields.items():
            for method in ("add_terms", "add_item"):
                setattr(collected, method, timing(name, getattr(collected, method)))
            collected.postings = announcing(name, collected.postings)
        with timed(t, "write"):
            started = time.process_time()
            for value in values:
                writer.add_document(**value)
            writer.commit()
            total = time.process_time() - started
        ix.close()
    finally:
        codec.encode_field, pairs.encode_field = encode_field, encode_pairs
    fields = _field_bytes(out)
    for name, row in fields.items():
        row["cpu"] = cpu.get(name, 0.0)
    fields["(stored fields, columns, terms file)"] = {
        "terms": 0, "postings": 0, "pst": 0, "trm": 0, "other": _other_bytes(out), "cpu": total - sum(cpu.values())}
    return fields


def _field_bytes(index: Path) -> dict[str, dict[str, float]]:
    """Per field: terms, postings, bytes of posting lists and of its term table entries
    (record: 8 + 2 + term + 35 bytes; two 12-byte hash slots; a 4-byte position) and of its
    length column. The pair fields: their sections of the pair files (pairs, postings)."""
    from whoosh import index as whoosh_index

    from vnsearch.engine.whoosh import pairs

    ix = whoosh_index.open_dir(str(index))
    reader = ix.reader()
    found: dict[str, dict[str, float]] = {}
    for leaf, _ in reader.leaf_readers():
        pair_file = pairs.open_for(leaf)
        for field, sizes in (pair_file.sizes() if pair_file is not None else {}).items():
            row = found.setdefault(field, {"terms": 0, "postings": 0, "pst": 0, "trm": 0, "other": 0})
            row["terms"] += sizes["terms"]
            row["postings"] += sizes["postings"]
            row["pst"] += sizes["posting bytes"]
            row["trm"] += sizes["term bytes"]
        for (field, text), info in leaf._terms.items():
            row = found.setdefault(field, {"terms": 0, "postings": 0, "pst": 0, "trm": 0, "other": 0})
            length = info.extent()[1]
            row["terms"] += 1
            row["postings"] += info.doc_frequency()
            row["pst"] += length[0] if isinstance(length, tuple) else length  # Whoosh unpacks it as a tuple
            row["trm"] += 8 + 2 + len(text) + 35 + 24 + 4
    ix.close()
    for field, row in found.items():
        row["other"] = sum(p.stat().st_size for p in index.glob(f"*._{field}_len.col"))
    return found


def _other_bytes(index: Path) -> int:
    """Everything but posting lists, term entries, pair files and length columns."""
    return sum(p.stat().st_size for p in index.iterdir() if not p.name.endswith((".pst", ".trm", ".vpr", "_len.col")))


def run_child(args: argparse.Namespace, what: str, source: Path, out: Path) -> dict:
    command = [sys.executable, __file__, "--child", what, "--input", str(source), "--out", str(out),
               "--pyvi-sample", str(args.pyvi_sample)]
    if args.workers is not None:
        command += ["--workers", str(args.workers)]
    done = subprocess.run(command, stdout=subprocess.PIPE, text=True)
    if done.returncode != 0:
        sys.exit(f"error: the {what} run failed (exit {done.returncode})")
    return json.loads(done.stdout.strip().splitlines()[-1])


# -- the parent: prepare input, run children, print ---------------------------------------


def limited_copy(source: Path, limit: int, folder: Path) -> Path:
    """The first `limit` records in a temporary file, so every build reads the same input."""
    target = folder / (source.name.removesuffix(".gz").removesuffix(".jsonl") + f".first{limit}.jsonl")
    with target.open("w", encoding="utf-8") as handle:
        for record in iter_jsonl(source, limit):
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    return target


def main() -> None:
    args = parse_args()
    if args.child:
        if args.child == "breakdown":
            result = child_breakdown(args.input, args.out, args.pyvi_sample)
        else:
            result = child_build(args.child, args.input, args.out, args.workers)
        print(json.dumps(result))
        return

    require_paths(args.input)
    with tempfile.TemporaryDirectory(prefix="bench-indexing-") as tmp:
        work = Path(tmp)
        source = limited_copy(args.input, args.limit, work) if args.limit else args.input
        records = list(iter_jsonl(source))
        chars = sum(len(r.get("title") or "") + len(r.get("text") or "") for r in records)
        print(f"{source.name}: {len(records):,} records, {chars:,} characters (title + text)", flush=True)

        builds = {}
        for system in SYSTEMS:
            print(f"{system}: building…", file=sys.stderr, flush=True)
            builds[system] = run_child(args, system, source, work / system)
            builds[system]["size"] = dir_size(work / system)
        if args.keep:  # for the latency and incremental benchmarks
            shutil.copytree(work / "vnsearch", args.keep)
        breakdown = None
        if not args.no_breakdown:
            print("breakdown: one process…", file=sys.stderr, flush=True)
            (work / "breakdown").mkdir()
            breakdown = run_child(args, "breakdown", source, work / "breakdown")

    body = report(args, source.name if not args.limit else f"{args.input.name} (first {args.limit})", chars, builds, breakdown)
    append_results(args.write, "Indexing (benchmarks/indexing.py)", body)


def field_table(fields: dict[str, dict[str, float]], documents: int) -> tuple[str, str]:
    """What each field costs: write CPU, postings a document, bytes (the terminal table, the
    Markdown one)."""
    headers = ["field", "terms", "postings/doc", "posting lists", "term table", "lengths",
               "total", "share", "write CPU s"]
    size = sum(row["pst"] + row["trm"] + row["other"] for row in fields.values())
    rows = []
    for field, row in sorted(fields.items(), key=lambda item: -(item[1]["pst"] + item[1]["trm"] + item[1]["other"])):
        bytes_ = row["pst"] + row["trm"] + row["other"]
        rows.append([field, int(row["terms"]), round(row["postings"] / documents, 1), human_bytes(row["pst"]),
                     human_bytes(row["trm"]), human_bytes(row["other"]), human_bytes(bytes_),
                     f"{100 * bytes_ / size:.1f} %", row["cpu"]])
    rows.append(["all", sum(int(r["terms"]) for r in fields.values()),
                 round(sum(r["postings"] for r in fields.values()) / documents, 1), "", "", "", human_bytes(size),
                 "100 %", sum(r["cpu"] for r in fields.values())])
    note = ("Write CPU: collecting the field's postings document by document, sorting and encoding them at commit "
            "(vnsearch's writer, one segment); the last row holds what is written per document and the terms file.")
    return (table(headers, rows) + "\n" + note, table(headers, rows, markdown=True) + "\n\n" + note)


def report(args: argparse.Namespace, name: str, chars: int, builds: dict, breakdown: dict | None) -> str:
    headers = ["system", "documents", "seconds", "docs/s", "chars/s", "index size", "peak RSS main", "peak RSS worker",
               "CPU s"]
    rows = []
    for system, b in builds.items():
        rows.append([system, b["documents"], b["seconds"], b["documents"] / b["seconds"], round(chars / b["seconds"]),
                     human_bytes(b["size"]), human_bytes(b["rss_main_kb"] * 1024),
                     human_bytes(b["rss_worker_kb"] * 1024) if b["rss_worker_kb"] else None, b["cpu_s"]])
    ratio = builds["vnsearch"]["seconds"] / builds["whoosh"]["seconds"]
    lines = [f"{name}; {provenance()}", table(headers, rows),
             f"vnsearch / stock Whoosh time: {ratio:.2f}x"]
    markdown = [f"Input: {name}, {chars:,} characters.", "", table(headers, rows, markdown=True), "",
                f"vnsearch / stock Whoosh time: {ratio:.2f}x"]

    if breakdown:
        steps = breakdown["steps"]
        rest = steps["analyze"] - steps["segment"]
        parts = [
            ("reading + normalisation (read_jsonl)", steps["read"]),
            ("CRF model load", steps["model"]),
            ("segmentation (vnsearch.segment.segment_words, titles + texts)", steps["segment"]),
            ("rest of analysis (analyze_document minus segmentation; GC off)", rest),
            ("Whoosh values (schema.whoosh_values)", steps["values"]),
            ("writing (vnsearch's Writer, one segment, one commit; GC off)", steps["write"]),
        ]
        total = sum(seconds for _, seconds in parts)
        step_rows = [[label, seconds, f"{100 * seconds / total:.0f} %"] for label, seconds in parts]
        step_rows.append(["total, one process", total, "100 %"])
        step_rows.append([f"actual build ({args.workers or 'default'} workers)", builds["vnsearch"]["seconds"], ""])
        step_headers = ["vnsearch step (one process)", "seconds", "share"]
        seg_rate = breakdown["chars"] / steps["segment"]
        lines += ["", table(step_headers, step_rows), f"segmentation: {seg_rate:,.0f} chars/s on one core"]
        markdown += ["", table(step_headers, step_rows, markdown=True), "",
                     f"Segmentation: {seg_rate:,.0f} chars/s on one core."]
        if "pyvi_sample" in steps:
            n, sample_chars = breakdown["sample_docs"], breakdown["sample_chars"]
            pyvi_rate, ours = sample_chars / steps["pyvi_sample"], sample_chars / steps["segment_sample"]
            line = (f"pyvi ViTokenizer.tokenize on the first {n} documents ({sample_chars:,} chars): "
                    f"{steps['pyvi_sample']:.2f} s = {pyvi_rate:,.0f} chars/s (import {steps['pyvi_import']:.2f} s); "
                    f"vnsearch.segment on the same: {ours:,.0f} chars/s = {ours / pyvi_rate:.2f}x pyvi; "
                    f"pyvi over all {breakdown['chars']:,} chars would take about {breakdown['chars'] / pyvi_rate:.0f} s")
            lines.append(line)
            markdown += ["", line + "."]
        field_lines = field_table(breakdown["fields"], breakdown["documents"])
        lines += ["", field_lines[0]]
        markdown += ["", field_lines[1]]
    print("\n".join(lines))
    return "\n".join(markdown)


if __name__ == "__main__":
    main()
