"""Serving the app on waitress, a production WSGI server in pure Python, with worker processes.

`serve` binds the address first (so a busy port is a one-line error before any work), then each
worker opens the index once and warms it (`Index.warm`) before it starts listening, so the
first visitor does not wait for the columns every search needs. Workers are processes where
the platform can fork (Linux, macOS): each has its own index and its own share of the cores,
all accepting on the one socket. Without fork (Windows) there is one process, whose requests are
served by threads in turn (Whoosh searchers are not thread-safe: one search at a time).
"""

from __future__ import annotations

import errno
import os
import signal
import socket
import sys
import traceback
from collections.abc import Callable

from werkzeug.serving import select_address_family

from ..errors import VnsearchError

THREADS = 4  # connections a worker reads and writes at once; its searches still go one at a time
CAN_FORK = hasattr(os, "fork")


def serve(index_path: str, *, host: str, port: int, workers: int = 1,
          on_ready: Callable[[str], None] | None = None) -> None:
    """Serve the search page and API until interrupted (Ctrl+C, SIGTERM); `on_ready` gets the
    URL once every worker has its index warm and is accepting."""
    from ..index import Index

    Index.open(index_path).close()  # no index, or another format: the error, before anything else
    sock = _bind(host, port)
    shown_host = f"[{host}]" if ":" in host else host
    url = f"http://{shown_host}:{sock.getsockname()[1]}/"
    try:
        if workers > 1 and CAN_FORK:
            _serve_forked(index_path, sock, workers, lambda: on_ready(url) if on_ready else None)
        else:
            _serve_here(index_path, sock, lambda: on_ready(url) if on_ready else None)
    finally:
        sock.close()


def _serve_here(index_path: str, sock: socket.socket, ready: Callable[[], None]) -> None:
    from waitress.server import create_server

    from .app import _service, create_app

    app = create_app(index_path)
    try:
        _service(app).warm()
        server = create_server(app, sockets=[sock], threads=THREADS)
        ready()
        try:
            server.run()
        except KeyboardInterrupt:
            pass
        finally:
            server.close()
    finally:
        _service(app).close()


def _serve_forked(index_path: str, sock: socket.socket, workers: int, ready: Callable[[], None]) -> None:
    """Fork the workers; wait until each says it is ready, then until interrupted. A worker
    that dies stops the others: a server short of workers should not pass for a healthy one."""
    read_end, write_end = os.pipe()
    children: list[int] = []
    previous = signal.signal(signal.SIGTERM, _interrupt)  # `kill` stops the workers too
    try:
        for _ in range(workers):
            pid = os.fork()
            if pid == 0:  # pragma: no cover (runs in the child)
                os.close(read_end)
                _worker(index_path, sock, write_end)
            children.append(pid)
        os.close(write_end)
        started = 0
        while started < workers:
            chunk = os.read(read_end, workers - started)
            if not chunk:  # every write end closed: a worker died before it was ready
                raise VnsearchError("serve.worker_failed")
            started += len(chunk)
        ready()
        pid, _status = os.wait()  # returns when a worker ends: none should
        children.remove(pid)
        raise VnsearchError("serve.worker_died", pid=pid)
    except KeyboardInterrupt:
        pass
    finally:
        os.close(read_end)
        for pid in children:
            try:
                os.kill(pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
        for pid in children:
            try:
                os.waitpid(pid, 0)
            except ChildProcessError:
                pass
        signal.signal(signal.SIGTERM, previous)


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def _worker(index_path: str, sock: socket.socket, ready_pipe: int) -> None:  # pragma: no cover (child)
    """A worker process: its own index, warmed, then waitress on the shared socket; never returns."""
    code = 0
    try:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C reaches the whole group: the parent decides
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        from waitress.server import create_server

        from .app import _service, create_app

        app = create_app(index_path)
        _service(app).warm()
        server = create_server(app, sockets=[sock], threads=THREADS)
        os.write(ready_pipe, b"1")
        os.close(ready_pipe)
        server.run()
    except BaseException:
        traceback.print_exc(file=sys.stderr)
        code = 1
    finally:
        os._exit(code)


def _bind(host: str, port: int) -> socket.socket:
    """The address, bound but not yet listening: workers listen once their index is warm."""
    try:
        family = select_address_family(host, port)
        sock = socket.socket(family, socket.SOCK_STREAM)
        try:
            if os.name != "nt":  # on Windows SO_REUSEADDR would let two servers share a port
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            if family == socket.AF_INET6:
                sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
            sock.bind((host, port))
            sock.set_inheritable(True)
        except BaseException:
            sock.close()
            raise
        return sock
    except OSError as error:
        reason = (error.strerror or str(error)).split(" (while attempting")[0]
        hint = "hint.other_port" if error.errno == errno.EADDRINUSE else "hint.check_host_port"
        raise VnsearchError("serve.cannot_listen", hint=hint, host=host, port=port, reason=reason) from error
