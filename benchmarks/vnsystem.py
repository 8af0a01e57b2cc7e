"""vnsearch behind the same small interface as the peers, built the way the CLI builds.

`ix.search` lives in src/vnsearch/search.py; until that module exists the benchmarks say so and
skip vnsearch instead of failing.
"""

from __future__ import annotations

import importlib.util
import shutil
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

SEARCH_MISSING = "vnsearch.search is not there yet (src/vnsearch/search.py): vnsearch search skipped"


def search_available() -> bool:
    return importlib.util.find_spec("vnsearch.search") is not None


def foreign_source() -> str | None:
    """Where vnsearch is imported from, when that is not this repository's src/ (PYTHONPATH
    pointing at another checkout): the figures then belong to that checkout's revision."""
    from bench_common import REPO_ROOT, git_revision

    spec = importlib.util.find_spec("vnsearch")
    if spec is None or spec.origin is None:
        return None
    package = Path(spec.origin).resolve().parent
    if package == (REPO_ROOT / "src" / "vnsearch").resolve():
        return None
    checkout = package.parent.parent if package.parent.name == "src" else package.parent
    return f"vnsearch imported from {package} (revision {git_revision(checkout)})"


def build_index(path: Path, jsonl_paths: Sequence[Path], *, workers: int | None = None) -> int:
    """Index the files into a new index at `path` with `index_paths`, as `vnsearch index` does."""
    from vnsearch import Index
    from vnsearch.indexer import index_paths

    problems: list[Any] = []
    with Index.create(path) as ix:
        index_paths(ix, [str(p) for p in jsonl_paths], on_problem=problems.append, workers=workers)
        count = len(ix)
    skipped = sum(1 for problem in problems if problem.skipped)
    if skipped:
        print(f"note: vnsearch skipped {skipped} malformed records", flush=True)
    return count


class VnsearchSystem:
    """A vnsearch index, temporary (built from JSONL) or given; search returns ids like a peer."""

    name = "vnsearch"

    def __init__(self, path: str | Path | None = None) -> None:
        self._owned = path is None
        self.path = Path(tempfile.mkdtemp(prefix="bench-vnsearch-")) / "index" if path is None else Path(path)
        self._ix: Any = None

    def build(self, jsonl_paths: Sequence[Path], *, workers: int | None = None) -> int:
        return build_index(self.path, jsonl_paths, workers=workers)

    @property
    def ix(self) -> Any:
        if self._ix is None:
            from vnsearch import Index, IndexVersionError

            try:
                self._ix = Index.open(self.path)
            except IndexVersionError as error:
                raise SystemExit(f"error: {error}\nhint: delete {self.path} and run again to rebuild it") from error
        return self._ix

    def reopened(self) -> VnsearchSystem:
        """The same index opened anew, nothing loaded yet (cold latency)."""
        return VnsearchSystem(self.path)  # a given path: close() leaves it in place

    def result(self, query: str, **options: Any) -> Any:
        return self.ix.search(query, **options)

    def search(self, query: str, k: int, **options: Any) -> list[str]:
        return [hit.id for hit in self.ix.search(query, limit=k, **options).hits]

    def all_ids(self, query: str, **options: Any) -> list[str]:
        """Every hit's id, page by page (the library caps the page size)."""
        from vnsearch import defaults

        size = defaults.MAX_PAGE_SIZE
        first = self.ix.search(query, limit=size, page=1, **options)
        ids = [hit.id for hit in first.hits]
        for page in range(2, first.pages + 1):
            ids += [hit.id for hit in self.ix.search(query, limit=size, page=page, **options).hits]
        return ids

    def close(self) -> None:
        if self._ix is not None:
            self._ix.close()
            self._ix = None
        if self._owned:
            shutil.rmtree(self.path.parent, ignore_errors=True)
