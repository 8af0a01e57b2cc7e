"""The engine boundary (`base`) and its implementations; `whoosh`, embedded, is the default.

`create` and `open` choose the engine for an index location: today every location is a folder
holding an embedded Whoosh index.
"""

from __future__ import annotations

from pathlib import Path

from .base import Engine, Snapshot
from .whoosh import WhooshEngine

__all__ = ["Engine", "Snapshot", "create", "exists", "open_engine"]


def exists(path: Path) -> bool:
    return WhooshEngine.exists(path)


def create(path: Path) -> Engine:
    return WhooshEngine.create(path)


def open_engine(path: Path) -> Engine:
    return WhooshEngine.open(path)
