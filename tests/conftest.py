"""Shared fixtures. Indexes are built once per session; ../shared data is optional."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from support import FIXTURES, SEED, dated_documents

# The `vnsearch` processes the tests start run their commands themselves: none may hand them to
# (or start) a resident searcher of the developer's. tests/test_resident.py opts in, in a folder of its own.
os.environ["VNSEARCH_DAEMON"] = "off"


@pytest.fixture(scope="session")
def small_index_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture corpus (tests/fixtures + the shipped seed) indexed once, read-only for tests."""
    from vnsearch import Index
    from vnsearch.indexer import index_paths

    path = tmp_path_factory.mktemp("small") / "index"
    with Index.create(path) as ix:
        index_paths(ix, [FIXTURES / "small.jsonl", SEED], workers=1)
    return path


@pytest.fixture(scope="session")
def dated_index_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`support.dated_documents()` indexed once, read-only for tests."""
    from vnsearch import Index

    path = tmp_path_factory.mktemp("dated") / "index"
    with Index.create(path) as ix:
        ix.add(dated_documents(), workers=1)
    return path
