"""The `vnsearch` entry point: hand a search to the resident searcher, else run it here.

Only reading commands go to the searcher (`search`, `show`, `stats`; not the exports, which
stream thousands of rows and would gain nothing), and only on the embedded engine. Anything
else, or no searcher answering, runs the click command in this process, exactly as before. When
run from a terminal (`VNSEARCH_DAEMON` not "off"), a missing searcher is started in the
background for the next calls, with the same arguments, so that it opens and warms the index
this user searches.
"""

from __future__ import annotations

import os
import socket
import sys

from . import wire

RELAYED = frozenset({"search", "show", "stats"})
LOCAL_OPTIONS = ("--engine", "--format", "--all")  # the cluster, and exports: run here
CONNECT_S = 1.0  # a searcher whose queue is full is as good as none: the command runs here
FIRST_ANSWER_S = 30.0  # nothing at all from the searcher this long: stuck; the command runs here
ANSWER_GAP_S = 300.0  # once it has started answering, the longest silence taken for work


class _OwnOutputFailed(Exception):
    """Writing to this process's own stdout or stderr failed (a full disk): not the searcher's fault."""


def main() -> None:
    argv = sys.argv[1:]
    streams = sys.stdout is not None and sys.stderr is not None  # `>&-` closes one: nothing to relay to
    if streams and wire.supported() and wire.mode() != "off" and relayed(argv):
        status = relay(argv)
        if status is not None:
            sys.exit(status)
        if sys.stdout.isatty() and sys.stderr.isatty():
            start_in_background(argv)
    from ..cli import main as run_here

    run_here(prog_name="vnsearch")


def relayed(argv: list[str]) -> bool:
    """Whether this command line may run in the resident searcher."""
    if not argv or argv[0] not in RELAYED or os.environ.get("VNSEARCH_ENGINE", "").strip():
        return False
    return not any(arg.split("=", 1)[0] in LOCAL_OPTIONS for arg in argv[1:])


def request(argv: list[str]) -> dict[str, object]:
    """Everything the command would read from this process: arguments, folder, environment
    (`--index` and VNSEARCH_INDEX may be relative; NO_COLOR), whether the output is a terminal
    (colours) and its width."""
    env = dict(os.environ)
    if sys.stdout.isatty():
        try:
            size = os.get_terminal_size(sys.stdout.fileno())
            env.setdefault("COLUMNS", str(size.columns))
            env.setdefault("LINES", str(size.lines))
        except OSError:
            pass
    return {
        "token": wire.code_token(), "argv": argv, "cwd": os.getcwd(), "env": env,
        "stdout_tty": sys.stdout.isatty(), "stderr_tty": sys.stderr.isatty(),
        "encoding": sys.stdout.encoding or "utf-8", "errors": sys.stdout.errors or "strict",
    }


def connect() -> socket.socket | None:
    path = wire.socket_path(create=False)
    if path is None:
        return None
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.settimeout(CONNECT_S)
    try:
        sock.connect(path)
    except OSError:  # none there, one that has died (its socket file left behind), or swamped
        sock.close()
        return None
    return sock


def relay(argv: list[str]) -> int | None:
    """Run the command in the searcher, its output here as it comes: the exit status, or None
    when no searcher could run it (nothing has been printed then)."""
    try:
        asked = request(argv)
    except OSError:  # a working folder deleted under the shell: the command here says what it can
        return None
    sock = connect()
    if sock is None:
        return None
    printed = False
    with sock:
        try:
            sock.settimeout(FIRST_ANSWER_S)
            wire.send_json(sock, wire.REQUEST, asked)
            while True:
                frame = wire.receive(sock)
                if frame is None:
                    break
                sock.settimeout(ANSWER_GAP_S)
                kind, payload = frame
                if kind == wire.EXIT:
                    return int(payload)
                if kind == wire.REFUSED:
                    return None
                _write(sys.stdout if kind == wire.STDOUT else sys.stderr, payload)
                printed = True
        except BrokenPipeError:  # our reader has gone (`| head`): what it read was what it wanted
            _quiet_stdout()
            return 0
        except _OwnOutputFailed as failure:
            print(f"Error: cannot write the output: {failure.__cause__}", file=sys.stderr)
            return 1
        except KeyboardInterrupt:  # Ctrl-C: as click says it in the command's own process
            print("\nAborted!", file=sys.stderr)
            return 1
        except OSError:  # the searcher's end: closed, reset, silent too long
            pass
    if not printed:
        return None
    print("Error: the resident searcher stopped while answering; run the command again "
          "(`vnsearch daemon stop` stops it).", file=sys.stderr)
    return 1


def start_in_background(argv: list[str]) -> None:
    """Start a searcher for the next calls; it first runs these arguments, silently, to warm up."""
    import json

    if wire.socket_path(create=True) is None:  # no private folder, or a path too long for a socket
        return
    first_start = not os.path.exists(os.path.join(wire.runtime_dir(), wire.LOG_NAME))
    try:
        # On its stdin, not its command line: the environment is nobody else's to read in `ps`.
        _detached(["--warm"], json.dumps(request(argv)).encode("utf-8"))
    except OSError:
        return
    if first_start:
        print(f"vnsearch: started the resident searcher, which keeps indexes open so that the next "
              f"searches answer at once; it stops after {wire.IDLE_S / 60:g} idle minutes "
              f"(`vnsearch daemon --help`; {wire.MODE_VARIABLE}=off to never start it).", file=sys.stderr)


def _write(stream: object, payload: bytes) -> None:
    try:
        stream.flush()  # type: ignore[attr-defined]
        stream.buffer.write(payload)  # type: ignore[attr-defined]
        stream.buffer.flush()  # type: ignore[attr-defined]
    except BrokenPipeError:
        raise
    except OSError as error:
        raise _OwnOutputFailed from error


def _quiet_stdout() -> None:
    """Point stdout at the null device, so that the flush at exit does not fail again."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, sys.stdout.fileno())
    finally:
        os.close(devnull)


NOT_ANSWERING = (-1, b"")  # what `ask` returns when a searcher took the connection but said nothing


def ask(op: str, timeout: float = 10.0) -> tuple[int, bytes] | None:
    """Send `op` ("status", "stop") to the searcher: its exit status and output; None when
    there is none, NOT_ANSWERING when one is there but does not answer (busy or stuck)."""
    sock = connect()
    if sock is None:
        return None
    output = b""
    with sock:
        try:
            sock.settimeout(timeout)
            wire.send_json(sock, wire.REQUEST, {"op": op, "token": wire.code_token()})
            while (frame := wire.receive(sock)) is not None:
                kind, payload = frame
                if kind == wire.EXIT:
                    return int(payload), output
                output += payload
        except TimeoutError:
            return NOT_ANSWERING
        except OSError:
            return None
    return None


def start_detached(idle_s: float) -> None:
    """`vnsearch daemon start`: a searcher with this idle timeout."""
    _detached(["--idle", repr(idle_s)])


def _detached(arguments: list[str], given: bytes = b"") -> None:
    """A searcher process in its own session (no terminal, no signal from this one's), reading
    `given` from its stdin."""
    import subprocess

    env = dict(os.environ)
    if env.get("PYTHONPATH"):  # it runs from "/" (holding no folder busy): the same modules, found from there
        env["PYTHONPATH"] = os.pathsep.join(os.path.abspath(entry) for entry in env["PYTHONPATH"].split(os.pathsep) if entry)
    process = subprocess.Popen([sys.executable, "-m", "vnsearch.resident.server", *arguments],
                               stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               start_new_session=True, close_fds=True, cwd="/", env=env)
    assert process.stdin is not None
    with process.stdin:
        process.stdin.write(given)
