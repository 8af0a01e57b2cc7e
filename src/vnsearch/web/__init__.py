"""The embedded search page and its JSON API (Flask), read-only over one index."""

from __future__ import annotations

from .app import create_app, serve

__all__ = ["create_app", "serve"]
