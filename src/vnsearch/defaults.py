"""Defaults in one place: paths, sizes, limits and field weights."""

from __future__ import annotations

import os

INDEX_PATH = "indexes/default"

# Indexing
WRITER_MEMORY_MB = 256
LOCK_TIMEOUT_S = 2.0


def analysis_workers() -> int:
    """Worker processes that analyse and write: one per core."""
    return max(1, os.cpu_count() or 1)


# Searching
PAGE_SIZE = 10
MAX_PAGE_SIZE = 100
MAX_PAGE = 1000  # deeper pages cost a full ranking each and nobody reads them
MAX_QUERY_CHARS = 1000
MAX_CSV_ROWS = 10_000  # rows of one CSV download from the web API: about 100 searches of a page of 100
