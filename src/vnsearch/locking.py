"""One writer per index: an exclusive lock held for a whole indexing run.

Whoosh locks the index only while one of its writers is open, and `Index.add` closes its writer
at every commit. Two `vnsearch index` runs on one index could then take turns between commits,
each adding documents the other has not seen, and leave two documents with the same id. This
lock is taken before the index is created or opened and held until the run ends.

It is an operating-system lock on a file inside the index folder (`fcntl.flock` on POSIX,
`msvcrt.locking` on Windows): the kernel releases it when the process dies, however it dies
(SIGKILL included), so a killed run never leaves a stale lock behind. The lock file itself
stays; deleting it would let a waiting process lock a file nobody else sees. Windows locks are
mandatory over the bytes they cover, so there the lock is on one byte far past the holder's
description, which other processes can still read.
"""

from __future__ import annotations

import os
import socket
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from .errors import IndexLockedError

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None  # type: ignore[assignment]
    import msvcrt

LOCK_FILE = "vnsearch-write.lock"
POLL_S = 0.1
WINDOWS_LOCK_OFFSET = 1 << 30  # the byte msvcrt locks: past any holder description

# Locks this process holds: real path of the lock file -> [descriptor, depth]. Re-entrant, so
# that the CLI can lock before creating the index and `index_paths` can lock again inside.
_held: dict[str, list[int]] = {}


def _forget_in_child() -> None:
    """A forked child (an analysis worker) must not keep the lock alive if its parent is killed.
    Closing the inherited descriptor leaves the parent's lock in place (flock belongs to the
    open file, which the parent still has open); unlocking here would release it."""
    for fd, _depth in _held.values():
        try:
            os.close(fd)
        except OSError:
            pass
    _held.clear()


if hasattr(os, "register_at_fork"):  # POSIX: Windows has no fork
    os.register_at_fork(after_in_child=_forget_in_child)


def holder(index_path: str | os.PathLike[str]) -> str | None:
    """Who holds (or last held) the lock, as written in the lock file: "pid N on HOST since T"."""
    try:
        text = (Path(index_path) / LOCK_FILE).read_text(encoding="utf-8").strip()
    except OSError:
        return None
    return text or None


def _try_lock(fd: int) -> bool:
    if fcntl is not None:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True
    os.lseek(fd, WINDOWS_LOCK_OFFSET, os.SEEK_SET)
    try:
        msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
    except OSError:  # held by another process
        return False
    return True


def _unlock(fd: int) -> None:
    if fcntl is not None:
        fcntl.flock(fd, fcntl.LOCK_UN)
    else:
        os.lseek(fd, WINDOWS_LOCK_OFFSET, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)


def _describe_holder(fd: int) -> None:
    """Write "pid N on HOST since T" at the start of the lock file (seek + write: Windows has no
    pwrite)."""
    os.ftruncate(fd, 0)
    stamp = time.strftime("%Y-%m-%d %H:%M:%S")
    os.lseek(fd, 0, os.SEEK_SET)
    os.write(fd, f"pid {os.getpid()} on {socket.gethostname()} since {stamp}\n".encode())


@contextmanager
def write_lock(
    index_path: str | os.PathLike[str],
    *,
    timeout: float | None = 0,
    on_wait: Callable[[str | None], None] | None = None,
) -> Iterator[None]:
    """Hold the index's write lock for the `with` block.

    timeout=0 (the default) refuses at once with IndexLockedError when another process holds
    it; a number of seconds waits that long; None waits until the other process is done.
    `on_wait` is called once, with the holder's description, when waiting starts.
    """
    folder = Path(index_path)
    folder.mkdir(parents=True, exist_ok=True)
    lock_path = folder / LOCK_FILE
    key = os.path.realpath(lock_path)
    if key in _held:
        _held[key][1] += 1
        try:
            yield
        finally:
            if key in _held:  # not in a child forked inside the block: it forgot the lock
                _held[key][1] -= 1
        return

    fd = os.open(lock_path, os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0), 0o644)
    try:
        if not _try_lock(fd):
            other = holder(folder)
            if timeout == 0:
                raise IndexLockedError(
                    "lock.busy_by" if other else "lock.busy", hint="hint.wait_or_use_wait", path=folder, holder=other
                )
            if on_wait is not None:
                on_wait(other)
            deadline = None if timeout is None else time.monotonic() + timeout
            while not _try_lock(fd):
                if deadline is not None and time.monotonic() >= deadline:
                    raise IndexLockedError("lock.timeout", hint="hint.try_later", path=folder, seconds=timeout)
                time.sleep(POLL_S)
        _describe_holder(fd)
    except BaseException:
        os.close(fd)
        raise
    _held[key] = [fd, 1]
    try:
        yield
    finally:
        # A child forked inside the block has closed its copy already (and must not unlock:
        # the lock is shared with the parent's open file).
        if _held.pop(key, None) is not None:
            _unlock(fd)
            os.close(fd)
