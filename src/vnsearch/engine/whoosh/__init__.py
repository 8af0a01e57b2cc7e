"""The embedded engine: everything in vnsearch that knows Whoosh lives in this package."""

from .store import WhooshEngine

__all__ = ["WhooshEngine"]
