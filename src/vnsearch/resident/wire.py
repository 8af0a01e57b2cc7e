"""What the `vnsearch` command and the resident searcher share: where the socket lives, who may
use it, which code both must be running, and the frames they exchange.

Standard library only, and nothing heavy: the command imports this before anything else.
"""

from __future__ import annotations

import json
import os
import socket
import stat
import struct
import sys
import zlib

MODE_VARIABLE = "VNSEARCH_DAEMON"  # "auto" (the default) or "off"
DIR_VARIABLE = "VNSEARCH_RUNTIME_DIR"  # where the socket lives (tests, several users of one account)
IDLE_S = 600.0  # a searcher with nothing to do for this long exits
LOG_NAME = "searcher.log"

# Frame kinds: one byte, then the payload's length (4 bytes, big-endian), then the payload.
REQUEST = b"q"  # client -> searcher: JSON
STDOUT = b"o"
STDERR = b"e"
EXIT = b"x"  # JSON: the exit status, the last frame of an answer
REFUSED = b"r"  # JSON: why the searcher will not run this request (another code version)
_HEADER = struct.Struct("!cI")
MAX_REQUEST = 4 << 20  # argv and environment: anything bigger is not a request


class BrokenFrame(ConnectionError):
    """A frame cut short, or longer than the receiver accepts (args: the bytes expected)."""


def supported() -> bool:
    """Unix sockets and POSIX permissions: Linux, macOS, the BSDs."""
    return os.name == "posix" and hasattr(socket, "AF_UNIX")


def mode() -> str:
    return "off" if os.environ.get(MODE_VARIABLE, "").strip().lower() in ("off", "0", "no", "false") else "auto"


def runtime_dir() -> str:
    given = os.environ.get(DIR_VARIABLE)
    if given:
        return os.path.abspath(given)  # the searcher runs from "/": a relative folder would be another
    base = os.environ.get("XDG_RUNTIME_DIR")  # per user, mode 0700, emptied at logout
    if base:
        return os.path.join(base, "vnsearch")
    return os.path.join(os.environ.get("TMPDIR") or "/tmp", f"vnsearch-{os.getuid()}")


def private_dir(*, create: bool) -> str | None:
    """The runtime folder, if it is this user's own and nobody else's to read or write: a socket
    in a folder others can write to could be replaced by theirs. None otherwise."""
    path = runtime_dir()
    if create:
        try:
            os.makedirs(path, mode=0o700, exist_ok=True)
        except OSError:
            return None
    try:
        info = os.lstat(path)
    except OSError:
        return None
    if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.getuid() or info.st_mode & 0o077:
        return None
    return path


def _package() -> str:
    return os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def socket_name(suffix: str = "sock") -> str:
    """One searcher per installation (`sys.prefix` and package folder): two virtualenvs used in
    turn each keep their own instead of making the other's way at every call."""
    return f"searcher-{zlib.crc32(f'{sys.prefix}|{_package()}'.encode()):08x}.{suffix}"


MAX_SOCKET_PATH = 103  # bytes: sockaddr_un holds 104 on macOS and the BSDs, 108 on Linux, with its NUL


def socket_path(*, create: bool) -> str | None:
    """Where the socket is: None without a private folder, or when its path is too long for a
    socket address (a deep VNSEARCH_RUNTIME_DIR)."""
    folder = private_dir(create=create)
    if folder is None:
        return None
    path = os.path.join(folder, socket_name())
    return path if len(os.fsencode(path)) <= MAX_SOCKET_PATH else None


def lock_pid() -> int | None:
    """The pid the running searcher wrote in its lock file, if any."""
    try:
        with open(os.path.join(runtime_dir(), socket_name("lock")), encoding="ascii") as handle:
            return int(handle.read().strip() or 0) or None
    except (OSError, ValueError):
        return None


def code_token() -> str:
    """Which code is running: the environment (`sys.prefix`: a virtualenv's libraries, whatever
    name the interpreter was started by), the package's folder and its newest source file. A
    searcher started before an upgrade (or an edit of an editable install) refuses requests
    from newer code, and exits."""
    package = _package()
    newest, count = 0, 0
    for folder, subfolders, files in os.walk(package):
        subfolders[:] = [name for name in subfolders if name != "__pycache__"]
        for name in files:
            if name.endswith(".py"):
                newest = max(newest, os.stat(os.path.join(folder, name)).st_mtime_ns)
                count += 1
    # What pip changes when it installs or upgrades a library (Whoosh, numpy, click) beside it.
    libraries = [os.stat(entry).st_mtime_ns for entry in sys.path
                 if entry.endswith(("site-packages", "dist-packages")) and os.path.isdir(entry)]
    return f"{sys.prefix}|{sys.version_info[:3]}|{package}|{count}|{newest}|{libraries}"


def send(sock: socket.socket, kind: bytes, payload: bytes) -> None:
    sock.sendall(_HEADER.pack(kind, len(payload)) + payload)


def send_json(sock: socket.socket, kind: bytes, value: object) -> None:
    send(sock, kind, json.dumps(value).encode("utf-8"))


def receive(sock: socket.socket, *, limit: int | None = None) -> tuple[bytes, bytes] | None:
    """The next frame, or None when the other side has closed the connection between frames."""
    header = _read_exactly(sock, _HEADER.size)
    if header is None:
        return None
    kind, length = _HEADER.unpack(header)
    if limit is not None and length > limit:
        raise BrokenFrame(length)
    payload = _read_exactly(sock, length) if length else b""
    if payload is None:
        raise BrokenFrame(length)
    return kind, payload


def _read_exactly(sock: socket.socket, size: int) -> bytes | None:
    chunks, left = [], size
    while left:
        chunk = sock.recv(min(left, 1 << 16))
        if not chunk:
            if left == size:
                return None
            raise BrokenFrame(size)
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)
