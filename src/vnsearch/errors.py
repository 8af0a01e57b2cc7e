"""Typed exceptions: the library raises these, the CLI and web page translate them."""

from __future__ import annotations


class VnsearchError(Exception):
    """Base class of every error vnsearch raises on purpose."""

    hint: str | None = None

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        if hint is not None:
            self.hint = hint


class IndexNotFoundError(VnsearchError):
    """No index at the given path."""

    hint = "build one first with: vnsearch index corpus/"


class IndexVersionError(VnsearchError):
    """The index was written by another, incompatible format version."""

    hint = "rebuild it: delete the index folder and run vnsearch index again"


class IndexCorruptError(VnsearchError):
    """The index exists but cannot be read."""

    hint = "rebuild it: delete the index folder and run vnsearch index again"


class IndexLockedError(VnsearchError):
    """Another process is writing to the same index."""


class QueryError(VnsearchError):
    """The query cannot be understood."""


class DocumentError(VnsearchError):
    """A corpus record cannot be turned into a document."""


class IndexExistsError(VnsearchError):
    """`Index.create` found an index already there."""

    hint = "open it with Index.open, or pass exist_ok=True"


class IndexingError(VnsearchError):
    """Indexing stopped for a reason other than the input: a worker process failed or died.
    What was committed before stays; `detail` holds the worker's traceback, for a bug report."""

    def __init__(self, message: str, *, hint: str | None = None, detail: str | None = None) -> None:
        super().__init__(message, hint=hint)
        self.detail = detail
