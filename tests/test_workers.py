"""Indexing worker processes: they end with their parent, and start by fork or by spawn."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from support import write_jsonl
from vnsearch import Document, Index, VnsearchError
from vnsearch.engine.whoosh import process
from vnsearch.engine.whoosh.store import PARALLEL_FROM

WORDS = ("Ban Thường vụ Tỉnh ủy họp bàn về công tác phòng chống tham nhũng lãng phí cán bộ đảng viên nghị quyết "
         "chỉ thị kết luận kiểm tra giám sát kỷ luật tổ chức xây dựng Đảng nhân dân kinh tế xã hội").split()


def _documents(count: int, seed: int = 3) -> list[dict[str, str]]:
    rng = random.Random(seed)
    return [{"id": f"w{i}", "title": f"Văn bản {i}",
             "text": ". ".join(" ".join(rng.choice(WORDS) for _ in range(15)) for _ in range(30))}
            for i in range(count)]


def _children(pid: int) -> list[int]:
    """Live (not zombie) processes whose parent is `pid`, from /proc."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            state = _stat(int(entry.name))
            if state is not None and state[1] == pid and state[0] != "Z":
                found.append(int(entry.name))
    return found


def _stat(pid: int) -> tuple[str, int] | None:
    """(state, parent pid) of a process, or None when it is gone."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = text[text.rindex(")") + 2:].split()  # the command name may hold spaces
    return fields[0], int(fields[1])


def _alive(pid: int) -> bool:
    state = _stat(pid)
    return state is not None and state[0] != "Z"  # a zombie has ended; only its entry is left


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="finds the workers through /proc (Linux)")
@pytest.mark.parametrize("method", ["fork", "spawn"])
def test_workers_end_when_vnsearch_index_is_killed(tmp_path: Path, method: str) -> None:
    corpus = write_jsonl(tmp_path / "corpus.jsonl", _documents(3000))
    env = {**os.environ, process.START_METHOD_VARIABLE: method}
    command = [sys.executable, "-m", "vnsearch", "index", str(corpus), "--index", str(tmp_path / "ix"),
               "--workers", "2", "-q"]
    parent = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        workers: list[int] = []
        while len(workers) < 2:
            assert parent.poll() is None, "the run ended before its workers were seen"
            assert time.monotonic() < deadline, "the workers never started"
            time.sleep(0.05)
            workers = _children(parent.pid)
        time.sleep(0.5)  # at work: analysing, not waiting
        parent.send_signal(signal.SIGKILL)
        parent.wait(timeout=30)
        deadline = time.monotonic() + 5
        while any(map(_alive, workers)) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert [pid for pid in workers if _alive(pid)] == [], "workers outlived their killed parent"
    finally:
        if parent.poll() is None:
            parent.kill()
            parent.wait()


WATCHED_CHILD = """
import multiprocessing, os, sys, time
from vnsearch.engine.whoosh import process

def child(parent):
    process.watch_parent(parent)  # the watchdog alone: no parent-death signal asked for
    time.sleep(120)

if __name__ == "__main__":
    worker = multiprocessing.get_context(sys.argv[1]).Process(target=child, args=(os.getpid(),))
    worker.start()
    print(worker.pid, flush=True)
    time.sleep(120)
"""


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="watches the child through /proc (Linux)")
@pytest.mark.parametrize("method", ["fork", "spawn"])
def test_the_watchdog_alone_ends_a_worker_whose_parent_died(tmp_path: Path, method: str) -> None:
    # Where there is no parent-death signal (macOS, Windows), the watchdog thread is what ends
    # a worker, even one blocked for good (here: asleep).
    script = tmp_path / "parent.py"
    script.write_text(WATCHED_CHILD, encoding="utf-8")
    parent = subprocess.Popen([sys.executable, str(script), method], stdout=subprocess.PIPE, text=True)
    assert parent.stdout is not None
    child = int(parent.stdout.readline())
    try:
        assert _alive(child)
        parent.kill()
        parent.wait(timeout=30)
        deadline = time.monotonic() + 5
        while _alive(child) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not _alive(child), "the worker outlived its parent"
    finally:
        if _alive(child):
            os.kill(child, signal.SIGKILL)


def test_start_method_is_fork_on_linux_spawn_elsewhere_or_as_the_environment_says(monkeypatch) -> None:
    monkeypatch.delenv(process.START_METHOD_VARIABLE, raising=False)
    assert process.start_method() == ("fork" if sys.platform.startswith("linux") else "spawn")
    monkeypatch.setenv(process.START_METHOD_VARIABLE, "Spawn")
    assert process.start_method() == "spawn"
    monkeypatch.setenv(process.START_METHOD_VARIABLE, "threads")
    with pytest.raises(VnsearchError) as caught:
        process.start_method()
    assert caught.value.code == "index.start_method" and "spawn" in str(caught.value)


def test_spawned_workers_index_the_same_as_forked_ones(tmp_path: Path, monkeypatch) -> None:
    # Spawned workers import vnsearch and load the CRF model themselves.
    documents = [Document(id=d["id"], title=d["title"], text=d["text"]) for d in _documents(PARALLEL_FROM + 40)]
    found = {}
    for method in ("fork", "spawn") if sys.platform.startswith("linux") else ("spawn",):
        monkeypatch.setenv(process.START_METHOD_VARIABLE, method)
        with Index.create(tmp_path / method) as ix:
            assert ix.add(documents, workers=2).added == len(documents)
            assert ix.search("văn bản", limit=1).total == len(documents)
            found[method] = [(hit.id, round(hit.score, 4)) for query in ("tham nhũng", "kiểm tra giám sát")
                             for hit in ix.search(query, limit=20).hits]
    assert len(set(map(tuple, found.values()))) == 1


def _die_at_once(*args: object) -> None:
    os._exit(3)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the replaced worker reaches the child by fork")
def test_a_dead_worker_stops_the_run_with_an_error_not_a_hang(tmp_path: Path, monkeypatch) -> None:
    # The parent waits for room in a dead worker's full inbox, then for its segment: both waits
    # look at the worker and give up with IndexingError.
    from vnsearch.engine.whoosh import bulk
    from vnsearch.errors import IndexingError

    monkeypatch.setenv(process.START_METHOD_VARIABLE, "fork")
    monkeypatch.setattr(bulk, "_worker_main", _die_at_once)
    documents = [Document(id=f"x{i}", title="", text=f"văn bản {i}") for i in range(PARALLEL_FROM + 400)]
    started = time.monotonic()
    with Index.create(tmp_path / "ix") as ix:
        with pytest.raises(IndexingError) as caught:
            ix.add(documents, workers=2)
        assert caught.value.code == "index.worker_died"
        assert len(ix) == 0  # nothing half-committed
    assert time.monotonic() - started < 60
