"""`vnsearch serve --workers N`: waitress worker processes, each with the index open and warm
before it accepts, all stopped together."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from click.testing import CliRunner

from vnsearch import Document, Index
from vnsearch.cli import main
from vnsearch.web.server import CAN_FORK


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(child) for child in path.read_text().split()] if path.exists() else []


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    stat = Path(f"/proc/{pid}/stat")
    return not (stat.exists() and stat.read_text().split()[2] == "Z")  # a zombie is not running


@pytest.fixture(scope="module")
def index_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("serve") / "ix"
    with Index.create(path) as ix:
        ix.add([Document(id=f"d{n}", title=f"Tin {n}", text=f"Hội nghị lần {n} bàn phòng, chống tham nhũng.")
                for n in range(20)], workers=1)
    return path


def test_serve_help_offers_workers() -> None:
    result = CliRunner().invoke(main, ["serve", "--help"])
    assert result.exit_code == 0 and "--workers" in result.output and "waitress" in result.output


def test_serve_refuses_zero_workers(index_path: Path) -> None:
    result = CliRunner().invoke(main, ["serve", "--index", str(index_path), "--workers", "0"])
    assert result.exit_code == 2


@pytest.mark.skipif(not CAN_FORK, reason="worker processes need fork")
def test_workers_serve_together_and_stop_together(index_path: Path, tmp_path: Path) -> None:
    port = _free_port()
    url = f"http://127.0.0.1:{port}/"
    log = tmp_path / "serve.log"
    with open(log, "wb") as stderr:
        process = subprocess.Popen(
            [sys.executable, "-m", "vnsearch", "serve", "--index", str(index_path), "--port", str(port), "--workers", "2"],
            stdout=subprocess.DEVNULL, stderr=stderr,
        )
    try:
        deadline = time.monotonic() + 60
        while f"at {url}" not in log.read_text() and time.monotonic() < deadline:
            assert process.poll() is None, log.read_text()
            time.sleep(0.1)
        # Announced only once both workers have their index warm and accept.
        assert f"Serving {index_path} at {url} with 2 worker processes" in log.read_text()
        workers = _children(process.pid)
        if Path("/proc").exists():
            assert len(workers) == 2

        def search(n: int) -> int:
            with urllib.request.urlopen(f"{url}api/search?q=tham+nhung&page={1 + n % 2}", timeout=30) as response:
                return int(json.load(response)["total"])

        with ThreadPoolExecutor(8) as pool:
            assert set(pool.map(search, range(40))) == {20}
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=20)
    for pid in workers:
        deadline = time.monotonic() + 10
        while _alive(pid) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not _alive(pid), f"worker {pid} outlived the server"
