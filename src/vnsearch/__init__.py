"""vnsearch: full-text search for Vietnamese political and legal documents.

    from vnsearch import Index
    with Index.open("indexes/default") as ix:
        result = ix.search("phòng chống tham nhũng", limit=10)

Importing this package costs nothing: each name below is imported on first use (PEP 562), so
the `vnsearch` command can hand a search to the resident searcher (launcher.py) without loading
Whoosh and numpy first. `from vnsearch import Index` loads the embedded engine (Whoosh), not
the word segmenter.
"""

from __future__ import annotations

import importlib

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (13 ms): mypy reads this name the same way

# Where each public name lives.
_HOMES = {
    "Document": "documents",
    "AddReport": "index",
    "Index": "index",
    "Stats": "index",
    "Notice": "messages",
    "fold": "text",
    "normalize": "text",
    **dict.fromkeys((
        "DocumentError", "IndexCorruptError", "IndexExistsError", "IndexingError", "IndexLockedError",
        "IndexNotFoundError", "IndexVersionError", "InvalidOptionError", "OptionTypeError", "QueryError",
        "VnsearchError",
    ), "errors"),
}

__all__ = [
    "AddReport", "Document", "DocumentError", "Index", "IndexCorruptError", "IndexExistsError",
    "IndexLockedError", "IndexNotFoundError", "IndexVersionError", "IndexingError",
    "InvalidOptionError", "Notice", "OptionTypeError", "QueryError", "Stats", "VnsearchError", "fold", "normalize",
]


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'vnsearch' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{home}", __name__), name)
    globals()[name] = value  # once imported, a plain attribute
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


if TYPE_CHECKING:  # what type checkers and editors see
    from typing import Any

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
        OptionTypeError,
        QueryError,
        VnsearchError,
    )
    from .index import AddReport, Index, Stats
    from .messages import Notice
    from .text import fold, normalize
