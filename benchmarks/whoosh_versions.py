"""Evidence for the Whoosh pin: whoosh 2.7.4 against the forks whoosh-reloaded and whoosh3.

All three install the same `whoosh` package, so each gets its own throwaway venv under
benchmarks/work/ (ignored by git). In each, whoosh_worker.py indexes the first N news-politics
records with stock Whoosh and times phrase and OR queries. Versions alternate over several
rounds; the table shows the median of each figure.

    .venv/bin/python benchmarks/whoosh_versions.py
    .venv/bin/python benchmarks/whoosh_versions.py --docs 4168 --rounds 5 --write
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import subprocess
import sys
from pathlib import Path

from bench_common import (
    BENCH_DIR,
    CORPUS,
    WORK_DIR,
    add_write_option,
    append_results,
    human_bytes,
    provenance,
    require_paths,
    table,
)

DEFAULT_SPECS = ("whoosh==2.7.4", "whoosh-reloaded", "whoosh3")
WORKER = BENCH_DIR / "whoosh_worker.py"


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--input", type=Path, default=CORPUS / "news-politics.jsonl.gz", help="default: %(default)s")
    parser.add_argument("--docs", type=int, default=2000, help="records to index (default: %(default)s)")
    parser.add_argument("--repeat", type=int, default=5, help="passes over the query set per run (default: %(default)s)")
    parser.add_argument("--rounds", type=int, default=3, help="runs per version, alternating (default: %(default)s)")
    parser.add_argument("--versions", default=",".join(DEFAULT_SPECS), help="pip requirement specs (default: %(default)s)")
    add_write_option(parser)
    return parser.parse_args()


def venv_for(spec: str) -> Path:
    """A venv with only `spec` installed (created once, reused on later runs)."""
    folder = WORK_DIR / "whoosh-venvs" / re.sub(r"[^\w.-]+", "_", spec)
    python = folder / "bin" / "python"
    if not python.exists():
        print(f"{spec}: creating {folder}…", file=sys.stderr, flush=True)
        subprocess.run([sys.executable, "-m", "venv", "--clear", str(folder)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check", spec], check=True)
    return python


def run_worker(python: Path, args: argparse.Namespace, limit: int) -> dict:
    command = [str(python), str(WORKER), "--input", str(args.input), "--limit", str(limit), "--repeat", str(args.repeat)]
    done = subprocess.run(command, stdout=subprocess.PIPE, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    args = parse_args()
    require_paths(args.input)
    specs = [s.strip() for s in args.versions.split(",") if s.strip()]
    pythons = {}
    for spec in specs:
        try:
            pythons[spec] = venv_for(spec)
        except subprocess.CalledProcessError as error:
            print(f"{spec}: could not be installed ({error}); left out", file=sys.stderr)
    for python in pythons.values():
        run_worker(python, args, 20)  # warm-up: compiles the package's .pyc files outside the timing

    runs: dict[str, list[dict]] = {spec: [] for spec in pythons}
    for round_number in range(1, args.rounds + 1):
        for spec, python in pythons.items():
            print(f"round {round_number}/{args.rounds}: {spec}…", file=sys.stderr, flush=True)
            runs[spec].append(run_worker(python, args, args.docs))

    headers = ["distribution", "version", "index s", "index CPU s", "phrase ms/q", "phrase CPU ms/q", "OR ms/q",
               "OR CPU ms/q", "index size", "top-10 digest"]
    rows = []
    for results in runs.values():
        def median(key: str, per: str | None = None, results: list[dict] = results) -> float:
            # per: divide by that count and show milliseconds (per query)
            return statistics.median(r[key] * (1000 / r[per] if per else 1) for r in results)

        first = results[0]
        rows.append([first["distribution"], first["version"], median("index_wall"), median("index_cpu"),
                     median("phrase_wall", "phrase_queries"), median("phrase_cpu", "phrase_queries"),
                     median("or_wall", "or_queries"), median("or_cpu", "or_queries"), human_bytes(first["size"]),
                     first["digest"]])
    first = next(iter(runs.values()))[0] if runs else {}
    legend = (f"{first.get('documents', 0)} documents of {args.input.name}; {first.get('phrase_queries', 0)} phrase and "
              f"{first.get('or_queries', 0)} OR queries per run (top 10); median of {args.rounds} alternating runs; "
              "same digest = same top 10s")
    print(provenance())
    print(table(headers, rows))
    print(legend)
    append_results(args.write, "Whoosh distributions (benchmarks/whoosh_versions.py)",
                   table(headers, rows, markdown=True) + f"\n\n{legend}\n")


if __name__ == "__main__":
    main()
