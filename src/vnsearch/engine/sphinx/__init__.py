"""The cluster engine: vnsearch's analysis and plans over Sphinx (2.2) / Manticore RT indexes.

Everything in vnsearch that speaks SphinxQL lives in this package; it is imported only when an
engine URL (``sphinxql://host:9306/vnsearch``) is given.
"""

from .config import Location, Node, is_url, parse_node, parse_url, write_configs
from .engine import SphinxEngine

__all__ = ["Location", "Node", "SphinxEngine", "is_url", "parse_node", "parse_url", "write_configs"]
