"""vnsearch's own errors as the command line shows them: one line on stderr, exit status 1.

One decorator for every command group (cli.py, cluster_cli.py). An index that is not there is
told with the absolute path looked at and what chose it (--index, VNSEARCH_INDEX, the default).
"""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable
from typing import Any, TypeVar

import click

from .cli_streams import tell
from .errors import IndexNotFoundError, VnsearchError

F = TypeVar("F", bound=Callable[..., Any])

INDEX_ENVVAR = "VNSEARCH_INDEX"


def _where_the_index_was_looked_for(error: IndexNotFoundError) -> IndexNotFoundError:
    """The error again, with the absolute path and how it was chosen (--index, VNSEARCH_INDEX, the default)."""
    ctx = click.get_current_context(silent=True)
    if ctx is None or "index_path" not in ctx.params:
        return error
    given = ctx.params["index_path"]
    path = os.path.abspath(given)
    source = ctx.get_parameter_source("index_path")
    if source is click.core.ParameterSource.COMMANDLINE:
        return IndexNotFoundError("index.not_found_option", hint="hint.build_index_at", path=path, given=given)
    if source is click.core.ParameterSource.ENVIRONMENT:
        return IndexNotFoundError("index.not_found_env", path=path, envvar=INDEX_ENVVAR, given=given)
    return IndexNotFoundError("index.not_found_default", path=path, envvar=INDEX_ENVVAR)


def fail_cleanly(func: F) -> F:
    """Turn vnsearch's own errors into `Error: ...` (and `Hint: ...`) on stderr and exit status 1."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except VnsearchError as error:
            if isinstance(error, IndexNotFoundError):
                error = _where_the_index_was_looked_for(error)
            message = f"Error: {error.message('en')}"
            hint = error.hint_text("en")
            if hint:
                message += f"\nHint: {hint}"
            tell(message)
            sys.exit(1)

    return wrapper  # type: ignore[return-value]
