"""Where a cluster is (engine URLs, node addresses) and the `searchd` configuration of its nodes.

A cluster of N nodes: every node holds one shard, an RT index `<name>_rt`, of the documents
whose id hashes to it (`schema.shard_of`), a small RT index `<name>_meta` (the layout and the
commit counter, on the first node), and a distributed index `<name>` over its own shard and
every other node's (`agent` lines). Any node can answer a query over the whole collection; the
first node of the URL does.

Engine URL: ``sphinxql://HOST:PORT[,HOST:PORT...]/NAME`` (PORT: the node's SphinxQL port). The
full list of nodes is needed once, when the index is created: it is recorded in the first
node's `<name>_meta`, and later URLs may name that node alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from ...errors import VnsearchError
from .schema import CHARSET_TABLE, FIELDS, LENGTH_ATTRS, STRING_ATTRS, UINT_ATTRS

SCHEME = "sphinxql"
DEFAULT_SQL_PORT = 9306
API_PORT_OFFSET = 6  # 9306 (SphinxQL) -> 9312 (the agents' binary protocol): Sphinx's own defaults
DEFAULT_NAME = "vnsearch"
NAME_RE = re.compile(r"^[a-z][a-z0-9_]{0,40}$")
RT_MEM_LIMIT = "2047M"  # see the shard's configuration: the RAM chunk is where Sphinx 2.2 ranks


@dataclass(frozen=True)
class Node:
    host: str
    port: int  # SphinxQL (mysql41) port
    api_port: int  # binary protocol port, for the other nodes' agents

    @property
    def address(self) -> str:
        return f"{self.host}:{self.port}"


@dataclass(frozen=True)
class Location:
    """A parsed engine URL."""

    nodes: tuple[Node, ...]
    name: str

    @property
    def url(self) -> str:
        return f"{SCHEME}://{','.join(node.address for node in self.nodes)}/{self.name}"


def parse_node(spec: str) -> Node:
    """"host:port" or "host:port:api_port" (api_port defaults to port + 6: 9306 -> 9312)."""
    parts = spec.strip().split(":")
    if len(parts) == 1:
        parts.append(str(DEFAULT_SQL_PORT))
    if len(parts) not in (2, 3) or not parts[0] or not all(p.isdigit() for p in parts[1:]):
        raise VnsearchError("cluster.bad_node", spec=spec)
    port = int(parts[1])
    api = int(parts[2]) if len(parts) == 3 else port + API_PORT_OFFSET
    if not (0 < port < 65536 and 0 < api < 65536) or port == api:
        raise VnsearchError("cluster.bad_node", spec=spec)
    return Node(parts[0], port, api)


def is_url(text: str | None) -> bool:
    return bool(text) and str(text).startswith(SCHEME + "://")


def parse_url(url: str) -> Location:
    """``sphinxql://h1:9306,h2:9306/vnsearch`` -> its nodes and index name."""
    split = urlsplit(url)
    name = split.path.strip("/") or DEFAULT_NAME
    if split.scheme != SCHEME or not split.netloc or not NAME_RE.match(name):
        raise VnsearchError("cluster.bad_url", url=url)
    return Location(tuple(parse_node(spec) for spec in split.netloc.split(",")), name)


def node_config(nodes: tuple[Node, ...], index: int, name: str, data: Path) -> str:
    """The searchd configuration of node `index` (0-based) of the cluster."""
    me = nodes[index]
    fields = "\n".join(f"    rt_field = {field}" for field in FIELDS)
    strings = "\n".join(f"    rt_attr_string = {attr}" for attr in STRING_ATTRS)
    uints = "\n".join(f"    rt_attr_uint = {attr}" for attr in (*UINT_ATTRS, *LENGTH_ATTRS.values()))
    agents = "\n".join(f"    agent = {node.host}:{node.api_port}:{name}_rt"
                       for i, node in enumerate(nodes) if i != index)
    return f"""# vnsearch cluster node {index + 1} of {len(nodes)} ({me.address}), written by `vnsearch cluster config`.
# Start: searchd --config THIS_FILE   Stop: searchd --config THIS_FILE --stopwait
# Engine URL: sphinxql://{','.join(node.address for node in nodes)}/{name}

# This node's shard: the documents whose id hashes to shard {index}. vnsearch sends analysed
# token streams; the charset table keeps each token whole.
index {name}_rt
{{
    type = rt
    path = {data}/{name}_rt
{fields}
{strings}
{uints}
    charset_table = {CHARSET_TABLE}
    min_word_len = 1
    index_field_lengths = 1
    # Sphinx 2.2 ranks (bm25a/bm25f) only the documents of an RT index's RAM chunk: those it has
    # moved to disk chunks (past rt_mem_limit) all score 0. Keep the shard in its RAM chunk:
    # about 100,000 news articles a node at this limit; beyond, add nodes.
    rt_mem_limit = {RT_MEM_LIMIT}
}}

# The layout and the commit counter (read on the first node).
index {name}_meta
{{
    type = rt
    path = {data}/{name}_meta
    rt_field = key
    rt_attr_string = value
    charset_table = {CHARSET_TABLE}
}}

# Every shard: queries go here.
index {name}
{{
    type = distributed
    local = {name}_rt
{agents}
    agent_connect_timeout = 1000
    agent_query_timeout = 60000
}}

searchd
{{
    listen = {me.host}:{me.port}:mysql41
    listen = {me.host}:{me.api_port}
    log = {data}/searchd.log
    pid_file = {data}/searchd.pid
    binlog_path = {data}
    collation_server = binary
    workers = threads
    max_packet_size = 128M
    read_timeout = 30
    client_timeout = 600
}}
"""


def write_configs(nodes: tuple[Node, ...], out: Path, name: str = DEFAULT_NAME,
                  data: Path | None = None) -> list[Path]:
    """One `node-N.conf` per node in `out`; each node's data in `data/node-N` (default: `out/node-N`)."""
    if not NAME_RE.match(name):
        raise VnsearchError("cluster.bad_url", url=name)
    out.mkdir(parents=True, exist_ok=True)
    root = (data or out).resolve()
    written = []
    for index in range(len(nodes)):
        folder = root / f"node-{index + 1}"
        folder.mkdir(parents=True, exist_ok=True)
        path = out / f"node-{index + 1}.conf"
        path.write_text(node_config(nodes, index, name, folder), encoding="utf-8")
        written.append(path)
    return written
