"""A cluster of `searchd` processes on this machine: for tests, benchmarks and trying it out.

Each node gets free loopback ports, a configuration written by `config.write_configs` and its
own data folder; `searchd --nodetach` runs in the foreground as our child, so it is stopped by
its own pid, whatever happens to the caller (use it as a context manager).
"""

from __future__ import annotations

import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path
from types import TracebackType

from ...errors import VnsearchError
from .config import Node, write_configs

START_TIMEOUT_S = 20.0


def searchd_path() -> str | None:
    return shutil.which("searchd")


def free_ports(count: int) -> list[int]:
    """`count` distinct free loopback ports. The probes stay bound until all are chosen: probing
    one port at a time, the system may hand the same freed port out twice (two nodes were once
    given one API port, and the second searchd died at its bind)."""
    probes = [socket.socket() for _ in range(count)]
    try:
        for probe in probes:
            probe.bind(("127.0.0.1", 0))
        return [int(probe.getsockname()[1]) for probe in probes]
    finally:
        for probe in probes:
            probe.close()


class LocalCluster:
    """`nodes` searchd processes on 127.0.0.1, configured in `folder`."""

    def __init__(self, folder: Path, nodes: int = 2, name: str = "vnsearch") -> None:
        self.folder = folder
        self.name = name
        ports = free_ports(2 * nodes)
        self.nodes = tuple(Node("127.0.0.1", ports[2 * i], ports[2 * i + 1]) for i in range(nodes))
        self.configs = write_configs(self.nodes, folder, name)
        self.processes: list[subprocess.Popen[bytes] | None] = [None] * nodes

    @property
    def url(self) -> str:
        return f"sphinxql://{','.join(node.address for node in self.nodes)}/{self.name}"

    def start(self, index: int | None = None) -> None:
        binary = searchd_path()
        if binary is None:
            raise VnsearchError("cluster.no_searchd")
        for i in range(len(self.nodes)) if index is None else [index]:
            if self.processes[i] is None or self.processes[i].poll() is not None:  # type: ignore[union-attr]
                log = (self.folder / f"node-{i + 1}.out").open("ab")
                self.processes[i] = subprocess.Popen([binary, "--config", str(self.configs[i]), "--nodetach"],
                                                     stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
                log.close()
        for i in range(len(self.nodes)) if index is None else [index]:
            self._wait_ready(i)

    def _wait_ready(self, index: int) -> None:
        node, process = self.nodes[index], self.processes[index]
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            if process is not None and process.poll() is not None:
                break
            try:
                with socket.create_connection((node.host, node.port), timeout=0.5):
                    return
            except OSError:
                time.sleep(0.1)
        self.stop()
        tail = (self.folder / f"node-{index + 1}.out").read_text(encoding="utf-8", errors="replace")[-800:]
        raise VnsearchError("cluster.start_failed", node=node.address, output=tail.strip())

    def stop(self, index: int | None = None) -> None:
        """Stop nodes (all by default) by their own pids: SIGTERM, then SIGKILL after 10 s."""
        for i in range(len(self.nodes)) if index is None else [index]:
            process = self.processes[i]
            if process is None:
                continue
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait(timeout=10)
            self.processes[i] = None

    def __enter__(self) -> LocalCluster:
        self.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None) -> None:
        self.stop()
