"""Typed exceptions: the library raises these, the CLI and web page translate them.

Each error carries a message code from the catalogue (messages.py) and its parameters, and
optionally a hint code (what to do about it). `str(error)` is the English sentence; the web
page asks for `error.message("vi")` and `error.hint_text("vi")`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .messages import render


class VnsearchError(Exception):
    """Base class of every error vnsearch raises on purpose."""

    default_hint: str | None = None  # a catalogue code; subclasses set the usual fix

    def __init__(self, code: str, /, *, hint: str | None = None, **params: Any) -> None:
        self.code = code
        self.params: Mapping[str, Any] = params
        self.hint = hint if hint is not None else self.default_hint
        super().__init__(render(code, params))  # fails here, at the raise, on an unknown code

    def message(self, lang: str = "en") -> str:
        return render(self.code, self.params, lang)

    def hint_text(self, lang: str = "en") -> str | None:
        return render(self.hint, self.params, lang) if self.hint else None

    def to_dict(self) -> dict[str, Any]:
        """The JSON form (English), as the web API reports it."""
        data: dict[str, Any] = {"code": self.code, "error": self.message("en")}
        if self.hint:
            data["hint"] = self.hint_text("en")
        return data

    def __reduce__(self) -> tuple[Any, ...]:
        # Exceptions pickle as cls(*args), and args holds the English text, not the code.
        return (_rebuild, (type(self), self.code, self.hint, dict(self.params)))


def _rebuild(cls: type[VnsearchError], code: str, hint: str | None, params: dict[str, Any]) -> VnsearchError:
    return cls(code, hint=hint, **params)


class IndexNotFoundError(VnsearchError):
    """No index at the given path."""

    default_hint = "hint.build_index"


class IndexVersionError(VnsearchError):
    """The index was written by another, incompatible format version."""

    default_hint = "hint.rebuild_index"


class IndexCorruptError(VnsearchError):
    """The index exists but cannot be read."""

    default_hint = "hint.rebuild_index"


class IndexLockedError(VnsearchError):
    """Another process is writing to the same index."""


class QueryError(VnsearchError):
    """The query cannot be understood."""


class InvalidOptionError(QueryError):
    """A search option (limit, page, sort, a date bound) has a value that cannot be used."""


class OptionTypeError(InvalidOptionError, TypeError):
    """A search option given to the library as the wrong kind of Python value (`limit="5"`,
    `doc_type=123`): a caller's slip, like a misspelled option, so it is also a TypeError; and
    an InvalidOptionError, so the surfaces that translate those say it the same way."""


class DocumentError(VnsearchError):
    """A corpus record cannot be turned into a document."""


class IndexExistsError(VnsearchError):
    """`Index.create` found an index already there."""

    default_hint = "hint.open_existing"


class IndexingError(VnsearchError):
    """Indexing stopped for a reason other than the input: a worker process failed or died.
    What was committed before stays; a worker's traceback is in `params["traceback"]`."""
