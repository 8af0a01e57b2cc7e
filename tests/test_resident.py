"""The resident searcher: `vnsearch search|show|stats` handed to a process that keeps the index open.

Real processes throughout: a searcher started by `vnsearch daemon start` in a private runtime
folder, and `python -m vnsearch` commands that relay to it, compared with the same commands run
in their own process (VNSEARCH_DAEMON=off).
"""

from __future__ import annotations

import json
import os
import pty
import select
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from vnsearch.resident import client, wire

pytestmark = pytest.mark.skipif(not wire.supported(), reason="the resident searcher needs Unix sockets")


def _env(runtime: Path, **extra: str) -> dict[str, str]:
    env = {**os.environ, wire.DIR_VARIABLE: str(runtime), wire.MODE_VARIABLE: "auto", **extra}
    env.pop("VNSEARCH_ENGINE", None)
    env.pop("VNSEARCH_INDEX", None)
    return env


def _vnsearch(env: dict[str, str], *args: str, cwd: Path | None = None, **options: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "vnsearch", *args], env=env, cwd=cwd, capture_output=True, text=True,
                          timeout=60, **options)  # type: ignore[call-overload]


def _status(env: dict[str, str]) -> dict[str, object]:
    done = _vnsearch(env, "daemon", "status", "--json")
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def _wait_until_stopped(env: dict[str, str], timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while _status(env)["running"]:
        assert time.monotonic() < deadline, "the searcher did not stop"
        time.sleep(0.2)


@pytest.fixture()
def runtime(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A private runtime folder (short: a socket path has about 100 bytes); any searcher left in it is stopped."""
    folder = Path(tmp_path_factory.mktemp("rt"))
    yield folder
    _vnsearch(_env(folder), "daemon", "stop")


@pytest.fixture()
def started(runtime: Path) -> dict[str, str]:
    env = _env(runtime)
    done = _vnsearch(env, "daemon", "start", "--idle", "2")
    assert done.returncode == 0 and "Started" in done.stdout, done.stdout + done.stderr
    return env


def test_the_entry_point_imports_nothing_heavy() -> None:
    code = ("import sys, vnsearch, vnsearch.resident.client; "
            "print(sorted({m.split('.')[0] for m in sys.modules} & {'whoosh', 'numpy', 'click'}))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_reading_commands_are_relayed_exports_and_clusters_are_not(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("VNSEARCH_ENGINE", raising=False)
    assert client.relayed(["search", "tham nhũng", "--limit", "3"])
    assert client.relayed(["show", "nq-21", "--json"]) and client.relayed(["stats"])
    assert not client.relayed([]) and not client.relayed(["index", "corpus/"]) and not client.relayed(["serve"])
    assert not client.relayed(["search", "x", "--format", "csv"]) and not client.relayed(["search", "x", "--format=jsonl"])
    assert not client.relayed(["search", "x", "--engine", "sphinxql://h:9306/v"])
    monkeypatch.setenv("VNSEARCH_ENGINE", "sphinxql://h:9306/v")
    assert not client.relayed(["search", "x"])


def test_relayed_commands_print_what_they_print_in_their_own_process(started: dict[str, str], small_index_path: Path,
                                                                       tmp_path: Path) -> None:
    index = str(small_index_path)
    commands = [
        ["search", "tham nhũng", "--index", index],
        ["search", "phong chong tham nhung", "--index", index, "--json", "--explain"],
        ["search", "--committee", "Bộ Chính trị", "--index", index, "--timeline"],
        ["search", "thamm nhũng", "--index", index],  # did you mean, on stderr
        ["show", "nq-21", "--index", index, "--citations"],
        ["stats", "--index", index, "--json"],
        ["search", "x", "--limit", "0", "--index", index],  # usage error: exit 2
        ["show", "no-such-id", "--index", index],  # error: exit 1
        ["search", "x", "--index", "missing-index"],  # relative: resolved in the caller's folder
        ["search", "--help"],
    ]
    local = {**started, wire.MODE_VARIABLE: "off"}
    printed = {}
    for command in commands:
        relayed = _vnsearch(started, *command, cwd=tmp_path)
        own = _vnsearch(local, *command, cwd=tmp_path)
        assert (relayed.returncode, relayed.stdout, relayed.stderr) == (own.returncode, own.stdout, own.stderr), command
        printed[command[1]] = relayed
    assert printed["thamm nhũng"].stderr.startswith("Did you mean")
    assert printed["x"].returncode == 1 and str(tmp_path / "missing-index") in printed["x"].stderr
    assert _status(started)["requests"] == len(commands)  # every one answered by the searcher, none run locally


def test_the_callers_folder_and_environment_apply(started: dict[str, str], small_index_path: Path) -> None:
    relative = _vnsearch(started, "search", "tham nhũng", "--index", small_index_path.name, cwd=small_index_path.parent)
    from_env = _vnsearch({**started, "VNSEARCH_INDEX": small_index_path.name}, "search", "tham nhũng",
                         cwd=small_index_path.parent)
    assert relative.returncode == 0 and "nq-21" in relative.stdout
    assert from_env.stdout == relative.stdout
    status = _status(started)
    assert status["requests"] == 2
    assert [kept["path"] for kept in status["indexes"]] == [str(small_index_path.resolve())]  # opened once, kept


def test_a_relayed_search_sees_every_commit_and_a_rebuilt_index(started: dict[str, str], small_index_path: Path,
                                                                  tmp_path: Path) -> None:
    index = tmp_path / "index"
    shutil.copytree(small_index_path, index)
    query = ("search", "tham nhũng", "--index", str(index), "--json")

    def ids() -> list[str]:
        done = _vnsearch(started, *query)
        assert done.returncode == 0, done.stderr
        return [hit["id"] for hit in json.loads(done.stdout)["hits"]]

    assert "nq-21" in ids()
    deleted = _vnsearch({**started, wire.MODE_VARIABLE: "off"}, "delete", "nq-21", "--index", str(index))
    assert deleted.returncode == 0, deleted.stderr
    assert "nq-21" not in ids()
    shutil.rmtree(index)
    assert _vnsearch(started, *query).returncode == 1  # gone: the error a fresh process gives
    shutil.copytree(small_index_path, index)
    assert "nq-21" in ids()


def test_a_searcher_running_other_code_makes_way(started: dict[str, str], runtime: Path) -> None:
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        sock.settimeout(10)
        sock.connect(str(runtime / wire.socket_name()))
        wire.send_json(sock, wire.REQUEST, {"token": "older code", "argv": ["stats"], "cwd": "/", "env": {},
                                            "stdout_tty": False, "stderr_tty": False, "encoding": "utf-8", "errors": "strict"})
        frame = wire.receive(sock)
    assert frame is not None and frame[0] == wire.REFUSED
    _wait_until_stopped(started)
    assert not (runtime / wire.socket_name()).exists()


def test_an_idle_searcher_stops_and_a_script_does_not_start_one(runtime: Path, small_index_path: Path) -> None:
    env = _env(runtime)
    assert _vnsearch(env, "daemon", "start", "--idle", "0.02").returncode == 0  # 1.2 seconds
    _wait_until_stopped(env)
    assert not (runtime / wire.socket_name()).exists()
    done = _vnsearch(env, "search", "tham nhũng", "--index", str(small_index_path))  # not a terminal: runs here
    assert done.returncode == 0 and "nq-21" in done.stdout
    time.sleep(0.5)
    assert not _status(env)["running"]


def test_a_closed_pipe_ends_the_relay_quietly(started: dict[str, str], small_index_path: Path) -> None:
    process = subprocess.Popen([sys.executable, "-m", "vnsearch", "search", "tham nhũng", "--index", str(small_index_path)],
                               env=started, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert process.stdout is not None and process.stderr is not None
    process.stdout.read(10)
    process.stdout.close()
    process.wait(timeout=30)
    assert b"Traceback" not in process.stderr.read()
    assert _status(started)["running"]


def test_a_folder_others_can_write_to_is_not_used(runtime: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(wire.DIR_VARIABLE, str(runtime))
    assert wire.private_dir(create=False) == str(runtime)
    runtime.chmod(0o777)
    try:
        assert wire.private_dir(create=False) is None
        assert client.connect() is None
    finally:
        runtime.chmod(0o700)


def _on_a_terminal(env: dict[str, str], *args: str) -> tuple[int, bytes]:
    """Run `vnsearch ARGS` with stdout and stderr on a pseudo-terminal: its exit status and output."""
    leader, follower = pty.openpty()
    process = subprocess.Popen([sys.executable, "-m", "vnsearch", *args], env={**env, "COLUMNS": "100"},
                               stdin=subprocess.DEVNULL, stdout=follower, stderr=follower)
    os.close(follower)
    output = b""
    while True:
        ready, _, _ = select.select([leader], [], [], 30)
        if not ready:
            break
        try:
            chunk = os.read(leader, 1 << 16)
        except OSError:  # the terminal's other end is closed: the process has exited
            break
        if not chunk:
            break
        output += chunk
    os.close(leader)
    return process.wait(timeout=30), output


def test_on_a_terminal_the_first_search_starts_it_and_the_next_prints_the_same(runtime: Path,
                                                                              small_index_path: Path) -> None:
    env = _env(runtime)
    command = ("search", "tham nhũng", "--index", str(small_index_path))
    status, first = _on_a_terminal(env, *command)
    assert status == 0 and b"\x1b[" in first  # colour: a terminal
    notice, listing = first.split(b"\r\n", 1)
    assert notice.startswith(b"vnsearch: started the resident searcher")  # said once, the first time
    deadline = time.monotonic() + 15
    while not _status(env)["running"]:
        assert time.monotonic() < deadline, "no searcher started"
        time.sleep(0.1)
    status, second = _on_a_terminal(env, *command)
    assert status == 0
    assert second == listing  # colours, width and all
    assert _status(env)["requests"] == 1


def test_a_killed_searcher_leaves_commands_working_and_a_new_one_can_start(started: dict[str, str], runtime: Path,
                                                                           small_index_path: Path) -> None:
    pid = int(_status(started)["pid"])  # type: ignore[call-overload]
    os.kill(pid, 9)
    deadline = time.monotonic() + 10
    while _alive(pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert (runtime / wire.socket_name()).exists()  # left behind by the killed process
    done = _vnsearch(started, "search", "tham nhũng", "--index", str(small_index_path))
    assert done.returncode == 0 and "nq-21" in done.stdout  # answered here, not lost
    again = _vnsearch(started, "daemon", "start", "--idle", "2")
    assert again.returncode == 0 and "Started" in again.stdout, again.stdout + again.stderr
    assert _vnsearch(started, "search", "tham nhũng", "--index", str(small_index_path)).stdout == done.stdout
    assert _status(started)["requests"] == 1


def test_a_working_folder_deleted_under_the_shell_runs_the_command_here(started: dict[str, str], tmp_path: Path,
                                                                         small_index_path: Path) -> None:
    folder = tmp_path / "gone"
    folder.mkdir()
    script = f'rmdir "$PWD" && exec "{sys.executable}" -m vnsearch search "tham nhũng" --index "{small_index_path}"'
    done = subprocess.run(["sh", "-c", script], cwd=folder, env=started, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and "nq-21" in done.stdout, done.stderr
    assert _status(started)["requests"] == 0


def test_sigterm_during_a_command_stops_the_searcher_not_just_the_command(monkeypatch: pytest.MonkeyPatch) -> None:
    from vnsearch import cli
    from vnsearch.resident import server

    def terminated(**_: object) -> None:
        server._terminate()  # what the SIGTERM handler does, here in the middle of a command

    monkeypatch.setattr(cli.main, "main", terminated)
    with pytest.raises(server._Terminated):  # not a command's end with status 0
        server._run_click(["stats"])


def test_a_deleted_index_is_let_go_without_waiting_for_a_request(small_index_path: Path, tmp_path: Path) -> None:
    from vnsearch.resident.keeper import Keeper

    index = tmp_path / "index"
    shutil.copytree(small_index_path, index)
    keeper = Keeper()
    with keeper(str(index)):
        pass
    assert [kept["path"] for kept in keeper.describe()] == [str(index.resolve())]
    keeper.release_gone()
    assert len(keeper.describe()) == 1  # unchanged: kept
    shutil.rmtree(index)
    keeper.release_gone()
    assert keeper.describe() == []


def test_the_runtime_folder_is_absolute_and_a_too_long_socket_path_is_refused(tmp_path: Path,
                                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv(wire.DIR_VARIABLE, "rt")
    assert wire.runtime_dir() == str(tmp_path / "rt")  # the searcher runs from "/": the same folder for both
    deep = tmp_path / ("d" * 60) / ("e" * 60)
    done = _vnsearch(_env(deep), "daemon", "start")
    assert done.returncode == 1 and "longer than a socket address" in done.stderr and wire.DIR_VARIABLE in done.stderr


def test_idle_minutes_must_be_a_finite_number(runtime: Path) -> None:
    for value in ("inf", "nan", "-1"):
        done = _vnsearch(_env(runtime), "daemon", "start", "--idle", value)
        assert done.returncode == 2 and "--idle" in done.stderr, value
    assert not _status(_env(runtime))["running"]


def test_a_searcher_whose_socket_file_is_removed_stops(started: dict[str, str], runtime: Path) -> None:
    pid = int(_status(started)["pid"])  # type: ignore[call-overload]
    (runtime / wire.socket_name()).unlink()
    deadline = time.monotonic() + 15
    while _alive(pid):
        assert time.monotonic() < deadline, "an unreachable searcher kept running"
        time.sleep(0.2)
