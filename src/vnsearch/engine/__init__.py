"""The engine boundary (`base`) and its implementations; `whoosh`, embedded, is the default.

`create` and `open_engine` choose the engine for an index: the embedded Whoosh index in the
folder `path`, unless an engine URL is given (argument, `use()` as the CLI's --engine does, or
the VNSEARCH_ENGINE environment variable, in that order): ``sphinxql://host:9306/vnsearch``
puts the index on a Sphinx/Manticore cluster (`engine/sphinx/`), and `path` then only holds
the local write lock and the record of indexed files.
"""

from __future__ import annotations

import os
from pathlib import Path

from .base import Engine, EngineUnavailableError, PlanEngine, RunHit, RunResult, Snapshot
from .whoosh import WhooshEngine
from .whoosh.store import FORMAT_FILE

__all__ = ["ENGINE_ENVVAR", "FORMAT_FILE", "Engine", "EngineUnavailableError", "PlanEngine", "RunHit", "RunResult", "Snapshot",
           "create", "engine_url", "exists", "open_engine", "use"]

ENGINE_ENVVAR = "VNSEARCH_ENGINE"
_chosen: str | None = None


def use(url: str | None) -> None:
    """Make `url` this process's engine (None: back to VNSEARCH_ENGINE, else embedded)."""
    global _chosen
    _chosen = url or None


def engine_url(url: str | None = None) -> str | None:
    """The engine URL in force, or None for the embedded engine."""
    chosen = url or _chosen or os.environ.get(ENGINE_ENVVAR, "").strip() or None
    if chosen is not None and chosen.lower() in ("whoosh", "embedded"):
        return None
    return chosen


def exists(path: Path, url: str | None = None) -> bool:
    chosen = engine_url(url)
    if chosen is not None:
        from .sphinx import SphinxEngine

        return SphinxEngine.exists(path, chosen)
    return WhooshEngine.exists(path)


def create(path: Path, url: str | None = None) -> Engine:
    chosen = engine_url(url)
    if chosen is not None:
        from .sphinx import SphinxEngine

        return SphinxEngine.create(path, chosen)  # type: ignore[return-value]
    return WhooshEngine.create(path)


def open_engine(path: Path, url: str | None = None) -> Engine:
    chosen = engine_url(url)
    if chosen is not None:
        from .sphinx import SphinxEngine

        return SphinxEngine.open(path, chosen)  # type: ignore[return-value]
    return WhooshEngine.open(path)
