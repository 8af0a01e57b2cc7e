"""Helpers shared by the benchmark scripts: data paths, raw records, machine facts, tables.

Benchmarks read the data in ../shared (next to the repository) and never copy it into the
repository; every script stops with one clear message when that folder is missing.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import json
import os
import platform
import shlex
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
REPO_ROOT = BENCH_DIR.parent
SHARED = REPO_ROOT.parent / "shared"
CORPUS = SHARED / "corpus"
EVAL = SHARED / "eval"
RESULTS_FILE = BENCH_DIR / "RESULTS.md"
WORK_DIR = BENCH_DIR / "work"  # throwaway venvs and indexes; ignored by git
# Taken when a script starts: other work on this 2-core machine skews wall-clock figures.
LOAD_AT_START = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")


@dataclass(frozen=True, slots=True)
class RawDoc:
    """A record as published (not normalised): what the stock peers index."""

    id: str
    title: str
    text: str


def require_paths(*paths: Path) -> None:
    """Exit with one line when the shared data (or a given file) is not there."""
    for path in paths:
        if not path.exists():
            hint = f" (expected the shared data folder at {SHARED})" if not SHARED.exists() else ""
            sys.exit(f"error: {path} not found{hint}; these benchmarks need ../shared next to the repository")


def iter_jsonl(path: Path, limit: int | None = None) -> Iterator[dict]:
    opener = gzip.open if path.name.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as handle:
        count = 0
        for line in handle:
            if not line.strip():
                continue
            if limit is not None and count >= limit:
                return
            count += 1
            yield json.loads(line)


def raw_docs(paths: Sequence[Path], limit: int | None = None) -> list[RawDoc]:
    """Records of the given JSONL files as RawDoc; later files win on duplicate ids, like the indexer."""
    docs: dict[str, RawDoc] = {}
    for path in paths:
        for raw in iter_jsonl(path, limit):
            doc_id = str(raw.get("id"))
            docs.pop(doc_id, None)  # re-insert so the order follows the last occurrence
            docs[doc_id] = RawDoc(doc_id, str(raw.get("title") or ""), str(raw.get("text") or ""))
    return list(docs.values())


def vnsearch_documents(paths: Sequence[Path], limit: int | None = None) -> list:
    """Normalised vnsearch Documents of the given JSONL files (ground truth uses these)."""
    from vnsearch.documents import read_jsonl

    docs: dict[str, object] = {}
    for path in paths:
        count = 0
        for record in read_jsonl(path):
            if limit is not None and count >= limit:
                break
            count += 1
            if record.document is not None:
                docs.pop(record.document.id, None)
                docs[record.document.id] = record.document
    return list(docs.values())


# -- machine and provenance -----------------------------------------------------------------


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def machine() -> str:
    return (f"{os.cpu_count()} cores (nproc), {cpu_model()}, Python {platform.python_version()}, "
            f"load average {LOAD_AT_START:.2f} at start")


def provenance() -> str:
    """One line for stdout: when, where, what was measured."""
    return f"{utc_now()}; {machine()}; revision {git_revision()}"


def utc_now() -> str:
    return dt.datetime.now(dt.UTC).strftime("%a %b %d %H:%M:%S UTC %Y")  # like `date -u`


def command_line() -> str:
    script = Path(sys.argv[0]).resolve()
    try:
        script = script.relative_to(REPO_ROOT)
    except ValueError:
        pass
    return shlex.join([".venv/bin/python", str(script), *sys.argv[1:]])


def git_revision(root: Path = REPO_ROOT) -> str:
    """The commit of the checkout at `root`, and the library files that differed from it
    (read-only git calls)."""

    def git(*args: str) -> str:
        return subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True, check=True).stdout

    try:
        revision = git("rev-parse", "--short", "HEAD").strip()
        # No optional locks: the checkout may be another engineer's (PYTHONPATH runs); status
        # must not rewrite its index file.
        changed = git("--no-optional-locks", "status", "--porcelain", "--", "src").splitlines()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    if changed:
        revision += " + uncommitted changes in " + ", ".join(line[3:] for line in changed)
    return revision


# -- output -------------------------------------------------------------------------------


def table(headers: Sequence[str], rows: Sequence[Sequence[object]], *, markdown: bool = False) -> str:
    """A plain aligned table for the terminal, or a Markdown one for RESULTS.md."""
    cells = [[str(h) for h in headers]] + [[_cell(v) for v in row] for row in rows]
    if markdown:
        lines = ["| " + " | ".join(cells[0]) + " |", "|" + "|".join("---" for _ in headers) + "|"]
        lines += ["| " + " | ".join(row) + " |" for row in cells[1:]]
        return "\n".join(lines)
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    lines = ["  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(row, widths, strict=True)))
             for row in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def _cell(value: object) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:.4f}" if abs(value) < 10 else f"{value:,.1f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def add_write_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--write", nargs="?", const=str(RESULTS_FILE), metavar="FILE",
        help=f"append the results as Markdown, with date, machine and command, to FILE (default {RESULTS_FILE.name})",
    )


def append_results(path: str | None, heading: str, body: str) -> None:
    """Append one dated section to a Markdown results file."""
    if not path:
        return
    section = (
        f"\n## {heading}\n\n"
        f"- date: {utc_now()}\n- machine: {machine()}\n- revision: {git_revision()}\n"
        f"- command: `{command_line()}`\n\n{body.rstrip()}\n"
    )
    with open(path, "a", encoding="utf-8") as handle:
        handle.write(section)
    print(f"appended to {path}", file=sys.stderr)


def report(heading: str, main: tuple[Sequence[str], Sequence[Sequence[object]]], legend: str,
           extra: tuple[Sequence[str], Sequence[Sequence[object]]] | None, notes: Sequence[str],
           write: str | None) -> None:
    """Print the main table, its legend, an optional second table and notes; append the same
    as Markdown to the results file when asked."""
    print(table(*main))
    print(legend)
    if extra and extra[1]:
        print()
        print(table(*extra))
    for note in notes:
        print(note)
    body = table(*main, markdown=True) + f"\n\n{legend}\n"
    if extra and extra[1]:
        body += "\n" + table(*extra, markdown=True) + "\n"
    body += "".join(f"\n{note}\n" for note in notes)
    append_results(write, heading, body)


# -- measuring ------------------------------------------------------------------------------


@contextmanager
def timed(into: dict[str, float], name: str) -> Iterator[None]:
    start = time.perf_counter()
    try:
        yield
    finally:
        into[name] = time.perf_counter() - start


def dir_size(path: Path) -> int:
    return sum(p.stat().st_size for p in Path(path).rglob("*") if p.is_file())


def human_bytes(size: float) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{size:.1f} GB"


def percentile(values: Sequence[float], q: float) -> float:
    """Linear interpolation between closest ranks (numpy's default), q in [0, 100]."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    k = (len(ordered) - 1) * q / 100
    low = int(k)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (k - low)
