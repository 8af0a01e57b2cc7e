"""vnsearch: full-text search for Vietnamese political and legal documents.

    from vnsearch import Index
    with Index.open("indexes/default") as ix:
        result = ix.search("phòng chống tham nhũng", limit=10)

Importing this package is cheap: the embedded engine (Whoosh) is loaded, the word segmenter is not.
"""

from __future__ import annotations

from .documents import Document
from .errors import (
    DocumentError,
    IndexCorruptError,
    IndexExistsError,
    IndexingError,
    IndexLockedError,
    IndexNotFoundError,
    IndexVersionError,
    InvalidOptionError,
    QueryError,
    VnsearchError,
)
from .index import AddReport, Index, Stats
from .messages import Notice
from .text import fold, normalize

__all__ = [
    "AddReport",
    "Document",
    "DocumentError",
    "Index",
    "IndexCorruptError",
    "IndexExistsError",
    "IndexingError",
    "IndexLockedError",
    "IndexNotFoundError",
    "IndexVersionError",
    "InvalidOptionError",
    "Notice",
    "QueryError",
    "Stats",
    "VnsearchError",
    "fold",
    "normalize",
]
