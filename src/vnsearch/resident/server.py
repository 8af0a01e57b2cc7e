"""The resident searcher's process: one Unix socket, one command at a time, gone when idle.

Started by the `vnsearch` command (client.py) or `vnsearch daemon start`, detached from any
terminal. A folder lock makes it the only one for this user and runtime folder. Each request
runs the click command the user typed, with the caller's arguments, working folder and
environment, its stdout and stderr streamed back as frames; indexes stay open between requests
(keeper.py). Commands run one after another in this one thread: the process-wide state they
read (folder, environment, standard streams) is swapped in for each and restored after.

`python -m vnsearch.resident.server [--idle SECONDS] [--warm < REQUEST_JSON]`
"""

from __future__ import annotations

import fcntl
import io
import json
import os
import signal
import socket
import struct
import sys
import time
import traceback
from typing import Any

from . import wire
from .keeper import Keeper

MAX_LOG = 1 << 20  # a log above this is emptied at start
LOOK_AROUND_S = 5.0  # between requests, how often to check the socket file and the indexes kept
REQUEST_S = 2.0  # to send the request once connected: a client that stalls holds everyone up


class _ClientGone(Exception):
    pass


class _Terminated(BaseException):
    """SIGTERM: not an Exception, and not SystemExit, so that no command's handler (click's,
    `_run_click`'s) takes it for the command's own end: the searcher stops, the client whose
    command was cut runs it itself or says so."""


class _Frames(io.RawIOBase):
    """A writable stream whose every write is one frame to the client (None: to nowhere)."""

    def __init__(self, conn: socket.socket | None, kind: bytes, tty: bool) -> None:
        super().__init__()
        self._conn, self._kind, self._tty = conn, kind, tty

    def writable(self) -> bool:
        return True

    def isatty(self) -> bool:
        return self._tty

    def write(self, data: Any) -> int:
        data = bytes(data)
        if self._conn is not None and data:
            wire.send(self._conn, self._kind, data)
        return len(data)


def _text_stream(conn: socket.socket | None, kind: bytes, tty: bool, encoding: str, errors: str) -> io.TextIOWrapper:
    """Like the caller's own stream: its encoding, whether it is a terminal; a frame per flush."""
    return io.TextIOWrapper(io.BufferedWriter(_Frames(conn, kind, tty)), encoding=encoding, errors=errors,
                            line_buffering=False)


class Searcher:
    def __init__(self, sock: socket.socket, idle_s: float, log: Any) -> None:
        self.sock, self.idle_s, self.log = sock, idle_s, log
        self.token = wire.code_token()
        self.keeper = Keeper()
        self.started = time.time()
        self.requests = 0
        self.last_command = time.monotonic()
        self.stopping = False

    def serve(self, socket_path: str, inode: int) -> None:
        while not self.stopping:
            # Idle means no command: asking for the status does not keep a searcher alive.
            left = self.idle_s - (time.monotonic() - self.last_command)
            if left <= 0:
                self.log(f"no command for {self.idle_s:g} s: stopping")
                return
            self.sock.settimeout(min(left, LOOK_AROUND_S))
            try:
                conn, _ = self.sock.accept()
            except TimeoutError:
                if not _still_ours(socket_path, inode):  # removed or replaced: nobody can reach us
                    self.log("the socket file is gone: stopping")
                    return
                self.keeper.release_gone()  # a deleted index: its files' space back now
                continue
            with conn:
                try:
                    self.answer(conn)
                except (_ClientGone, ConnectionError, TimeoutError) as error:
                    self.log(f"request dropped: {error!r}")
                except Exception:  # a malformed request, or a bug here: this request only
                    self.log("request failed:\n" + traceback.format_exc())

    def answer(self, conn: socket.socket) -> None:
        conn.settimeout(REQUEST_S)  # to receive the request; a command then takes the time it takes
        if not _same_user(conn):
            return
        frame = wire.receive(conn, limit=wire.MAX_REQUEST)
        if frame is None or frame[0] != wire.REQUEST:
            return
        request = json.loads(frame[1])
        op = request.get("op", "run")
        if op == "status":
            wire.send_json(conn, wire.STDOUT, self.status(request.get("token")))
            wire.send_json(conn, wire.EXIT, 0)
        elif op == "stop":
            self.stopping = True
            wire.send_json(conn, wire.EXIT, 0)
            self.log("stopped on request")
        elif request["token"] != self.token:
            # The command was upgraded or edited since this searcher started: it must not run
            # old code for it. It runs the command itself; this searcher makes way.
            wire.send_json(conn, wire.REFUSED, "another version of vnsearch")
            self.stopping = True
            self.log("a newer vnsearch asked: stopping")
        else:
            conn.settimeout(None)
            self.requests += 1
            self.keeper.release_gone()
            try:
                status = self.run(request, conn)
            finally:
                self.last_command = time.monotonic()
            wire.send_json(conn, wire.EXIT, status)

    def status(self, token: str | None) -> dict[str, Any]:
        return {"pid": os.getpid(), "started": self.started, "requests": self.requests,
                "idle_timeout_s": self.idle_s, "same_version": token == self.token,
                "indexes": self.keeper.describe()}

    def run(self, request: dict[str, Any], conn: socket.socket | None) -> int:
        """Run one command line as the caller would have run it; its exit status."""
        out = _text_stream(conn, wire.STDOUT, bool(request["stdout_tty"]), request["encoding"], request["errors"])
        err = _text_stream(conn, wire.STDERR, bool(request["stderr_tty"]), request["encoding"], "backslashreplace")
        saved_streams = sys.stdout, sys.stderr, sys.stdin
        saved_env, saved_cwd = dict(os.environ), os.getcwd()
        try:
            os.chdir(request["cwd"])
            os.environ.clear()
            os.environ.update(request["env"])
            with open(os.devnull, encoding="utf-8") as nothing:
                sys.stdout, sys.stderr, sys.stdin = out, err, nothing
                status = _run_click(list(request["argv"]))
                out.flush()
                err.flush()
        except OSError as error:
            if conn is not None and _gone(error):
                raise _ClientGone(str(error)) from error
            raise
        finally:
            sys.stdout, sys.stderr, sys.stdin = saved_streams
            os.environ.clear()
            os.environ.update(saved_env)
            os.chdir(saved_cwd)
        return status

    def close(self) -> None:
        self.keeper.close()


def _terminate(*_: object) -> None:
    raise _Terminated


def _run_click(argv: list[str]) -> int:
    from ..cli import main

    try:
        main.main(args=argv, prog_name="vnsearch", standalone_mode=True)
    except SystemExit as exit_:
        code = exit_.code
        if code is None or isinstance(code, int):
            return code or 0
        print(code, file=sys.stderr)
        return 1
    except OSError as error:
        if _gone(error):
            raise
        traceback.print_exc()
        return 1
    except Exception:  # a bug: what Python would print in the command's own process
        traceback.print_exc()
        return 1
    return 0


def _still_ours(path: str, inode: int) -> bool:
    try:
        return os.stat(path).st_ino == inode
    except OSError:
        return False


def _gone(error: OSError) -> bool:
    return isinstance(error, (BrokenPipeError, ConnectionResetError))


def _same_user(conn: socket.socket) -> bool:
    """Linux says who connected; elsewhere the folder's permissions (0700) are the guard."""
    if not hasattr(socket, "SO_PEERCRED"):
        return True
    credentials = conn.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, struct.calcsize("3i"))
    return struct.unpack("3i", credentials)[1] == os.getuid()


def main(argv: list[str]) -> int:
    idle_s, warm = wire.IDLE_S, None
    args = iter(argv)
    for arg in args:
        if arg == "--idle":
            idle_s = float(next(args))
        elif arg == "--warm":  # a first request to run silently, on stdin
            warm = json.loads(sys.stdin.buffer.read() or b"null")
        else:
            print(f"unknown argument {arg!r}", file=sys.stderr)
            return 2
    folder = wire.private_dir(create=True)
    if folder is None:
        return 1
    lock = os.open(os.path.join(folder, wire.socket_name("lock")), os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return 0  # another searcher serves this folder
    os.ftruncate(lock, 0)
    os.write(lock, f"{os.getpid()}\n".encode())  # who holds it: `daemon stop` can signal a searcher that does not answer
    log_path = os.path.join(folder, wire.LOG_NAME)
    if os.path.exists(log_path) and os.path.getsize(log_path) > MAX_LOG:
        os.truncate(log_path, 0)

    def log(line: str) -> None:
        with open(log_path, "a", encoding="utf-8") as handle:
            handle.write(f"{time.strftime('%Y-%m-%d %H:%M:%S')} [{os.getpid()}] {line}\n")

    path = os.path.join(folder, wire.socket_name())
    if os.path.lexists(path):
        os.unlink(path)  # a dead searcher's: we hold the lock
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    umask = os.umask(0o177)
    try:
        sock.bind(path)
    except OSError as error:  # e.g. a path longer than the system's limit for socket addresses
        log(f"cannot listen on {path}: {error}")
        return 1
    finally:
        os.umask(umask)
    inode = os.stat(path).st_ino
    sock.listen(16)
    signal.signal(signal.SIGTERM, _terminate)
    signal.signal(signal.SIGHUP, signal.SIG_IGN)  # detached: a closing terminal is not a reason to stop
    from ..cli import keep_indexes_open

    searcher = Searcher(sock, idle_s, log)
    keep_indexes_open(searcher.keeper)
    log(f"started, idle timeout {idle_s:g} s")
    try:
        if warm is not None and warm.get("token") == searcher.token:
            searcher.run(warm, None)
        searcher.serve(path, inode)
    except _Terminated:
        log("stopped by SIGTERM")
    except BaseException as error:
        if not isinstance(error, SystemExit):  # a bug of the searcher's own: say where
            log("stopped by an error:\n" + traceback.format_exc())
        raise
    finally:
        if _still_ours(path, inode):
            os.unlink(path)
        sock.close()
        searcher.close()
        os.close(lock)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
