"""Where the commands write, and what happens when a reader goes away.

stdout carries data: when its reader goes (`vnsearch stats | head -1`), what it read was what it
wanted, so the command stops at once, quietly, with exit status 0 (`ReaderGone`, caught once for
every command in cli.py). stderr carries words for people (progress, bad records, summaries):
when nobody reads them any more (`2>&1 | head -1`), the command goes on without them. An
indexing run must never stop, or lose what it read, because its messages had no reader.

A stream may have no file descriptor (the resident searcher's, resident/server.py): then it is
simply no longer written to, and its owner finds the client gone on its own.
"""

from __future__ import annotations

import os
import sys
import weakref
from typing import Any

import click


class ReaderGone(Exception):
    """stdout's reader has gone: stop, quietly, successfully."""


# stderr streams found closed by their reader: not written to again. Weak: the resident
# searcher makes a stream per command.
_silent: weakref.WeakSet[Any] = weakref.WeakSet()


def emit(text: str, *, nl: bool = True) -> None:
    """Data on stdout; ReaderGone when nobody reads it any more."""
    try:
        click.echo(text, nl=nl)
    except BrokenPipeError as error:
        raise ReaderGone from error


def finish_output() -> None:
    """Flush stdout now, so that a reader gone before the last block is found here, not as an
    "Exception ignored" at exit."""
    try:
        sys.stdout.flush()
    except BrokenPipeError as error:
        raise ReaderGone from error


def tell(text: str, *, nl: bool = True) -> None:
    """Words for people on stderr; nothing (and no error) once nobody reads them."""
    stream = sys.stderr
    try:
        if stream in _silent:
            return
    except TypeError:  # a stream that cannot be weakly referenced: never silenced
        pass
    try:
        click.echo(text, err=True, nl=nl)
    except BrokenPipeError:
        _silence(stream)


def stop_writing_stdout() -> None:
    """After ReaderGone: point stdout at the null device, so that the flush at exit of what is
    still buffered does not fail again ("Exception ignored ... BrokenPipeError")."""
    _to_null(sys.stdout)


def _silence(stream: Any) -> None:
    if not _to_null(stream):
        try:
            _silent.add(stream)
        except TypeError:
            pass


def _to_null(stream: Any) -> bool:
    """Point the stream's file descriptor at the null device; False when it has none."""
    try:
        descriptor = stream.fileno()
    except (AttributeError, OSError, ValueError):  # io.UnsupportedOperation is both of the last two
        return False
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, descriptor)
    finally:
        os.close(devnull)
    return True
