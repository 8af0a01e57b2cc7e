"""SphinxQL connections: one per node, opened lazily, every failure a vnsearch error.

SphinxQL speaks the MySQL protocol; pymysql talks to it with `autocommit=True` (an RT
index commits each statement). Values are quoted here rather than by pymysql: its escaping
sends Ctrl-Z as "\\Z", which Sphinx reads back as "Z".
"""

from __future__ import annotations

import re
from typing import Any

from ...errors import VnsearchError
from ..base import EngineUnavailableError
from .config import Node

CONNECT_TIMEOUT_S = 3
READ_TIMEOUT_S = 120
MAX_PACKET = 128 * 1024 * 1024  # searchd's max_packet_size in the generated configs
# pymysql's client-side codes for a node that is not there or went away mid-query.
UNREACHABLE = {2003, 2006, 2013, 2014, 2055}
AGENT_RE = re.compile(r"agent ([^:\s]+:\d+)")


def literal(value: Any) -> str:
    """A SphinxQL literal: integers as they are, text quoted ('\\' and "'" escaped, NUL dropped)."""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value)
    text = str(value).replace("\\", "\\\\").replace("'", "\\'").replace("\x00", "")
    return f"'{text}'"


class Connection:
    """A lazily opened SphinxQL connection to one node."""

    def __init__(self, node: Node) -> None:
        self.node = node
        self._conn: Any = None

    def _connect(self) -> Any:
        if self._conn is None:
            try:
                import pymysql
            except ImportError as error:
                raise VnsearchError("cluster.no_driver", hint="hint.install_cluster") from error
            try:
                self._conn = pymysql.connect(host=self.node.host, port=self.node.port, autocommit=True,
                                             charset="utf8mb4", connect_timeout=CONNECT_TIMEOUT_S,
                                             read_timeout=READ_TIMEOUT_S, write_timeout=READ_TIMEOUT_S,
                                             max_allowed_packet=MAX_PACKET)
            except Exception as error:  # pymysql raises OperationalError; sockets raise OSError
                raise EngineUnavailableError("cluster.node_down", node=self.node.address, error=_reason(error)) from error
        return self._conn

    def query(self, sql: str) -> list[tuple[Any, ...]]:
        """The rows of the first result set."""
        return self.query_sets(sql)[0][0]

    def query_sets(self, sql: str) -> tuple[list[list[tuple[Any, ...]]], list[str]]:
        """Every result set of `sql` (FACET gives several), and the nodes named in its warnings
        (a distributed query answers without the agents it could not reach)."""
        return self._retrying(lambda conn: self._run(conn, sql))

    def execute(self, sql: str) -> None:
        """One statement whose result is not needed (REPLACE, DELETE: safe to send twice)."""
        def run(conn: Any) -> None:
            with conn.cursor() as cursor:
                cursor.execute(sql)

        self._retrying(run)

    def _retrying(self, work: Any) -> Any:
        # A connection that sat idle may have been closed by searchd (client_timeout): the first
        # failure on a reused connection is retried once on a new one. A node that is really
        # down fails the second time too, or at connect.
        reused = self._conn is not None
        conn = self._connect()
        try:
            return work(conn)
        except Exception as error:
            translated = self._translate(error)
            if not (reused and isinstance(translated, EngineUnavailableError)):
                raise translated from error
        conn = self._connect()
        try:
            return work(conn)
        except Exception as error:
            raise self._translate(error) from error

    @staticmethod
    def _run(conn: Any, sql: str) -> tuple[list[list[tuple[Any, ...]]], list[str]]:
        with conn.cursor() as cursor:
            cursor.execute(sql)
            sets = [list(cursor.fetchall())]
            warnings = cursor._result.warning_count if cursor._result is not None else 0
            while cursor.nextset():
                sets.append(list(cursor.fetchall()))
        unanswered: list[str] = []
        if warnings:
            for _level, _code, message in conn.show_warnings():
                unanswered += AGENT_RE.findall(str(message)) or [str(message)]
        return sets, unanswered

    def _translate(self, error: Exception) -> Exception:
        if not (isinstance(error, OSError) or type(error).__module__.startswith("pymysql")):
            return error  # a bug here, not a node's answer: let it show as itself
        code = error.args[0] if error.args and isinstance(error.args[0], int) else None
        if code in UNREACHABLE or code in (None, 0) or isinstance(error, OSError):
            self.close(quietly=True)  # the next call reconnects
            return EngineUnavailableError("cluster.node_down", node=self.node.address, error=_reason(error))
        message = _reason(error)
        if "unknown local index" in message or "no such index" in message:
            # Not IndexNotFoundError: that one names a local folder (the CLI says where it looked).
            return VnsearchError("cluster.no_index", hint="hint.cluster_config", node=self.node.address, error=message)
        return VnsearchError("cluster.query_failed", node=self.node.address, error=message)

    def close(self, *, quietly: bool = False) -> None:
        if self._conn is not None:
            try:
                self._conn.close()
            except Exception:
                if not quietly:
                    raise
            finally:
                self._conn = None


def _reason(error: Exception) -> str:
    if len(error.args) >= 2:
        return str(error.args[1]).rstrip("\x00")
    return str(error).rstrip("\x00") or type(error).__name__
