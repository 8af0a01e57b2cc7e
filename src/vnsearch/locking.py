"""One writer per index: an exclusive lock held for a whole indexing run.

Whoosh locks the index only while one of its writers is open, and `Index.add` closes its writer
at every commit. Two `vnsearch index` runs on one index could then take turns between commits,
each adding documents the other has not seen, and leave two documents with the same id. This
lock is taken before the index is created or opened and held until the run ends.

It is `fcntl.flock` on a file inside the index folder: the kernel releases it when the process
dies, however it dies (SIGKILL included), so a killed run never leaves a stale lock behind. The
lock file itself stays; deleting it would let a waiting process lock a file nobody else sees.
"""

from __future__ import annotations

import fcntl
import os
import socket
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from .errors import IndexLockedError

LOCK_FILE = "vnsearch-write.lock"
POLL_S = 0.1

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


os.register_at_fork(after_in_child=_forget_in_child)


def holder(index_path: str | os.PathLike[str]) -> str | None:
    """Who holds (or last held) the lock, as written in the lock file: "pid N on HOST since T"."""
    try:
        text = (Path(index_path) / LOCK_FILE).read_text(encoding="utf-8").strip()
    except OSError:
        return None
    return text or None


def _try_lock(fd: int) -> bool:
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


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

    fd = os.open(lock_path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
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
        os.ftruncate(fd, 0)
        stamp = time.strftime("%Y-%m-%d %H:%M:%S")
        os.pwrite(fd, f"pid {os.getpid()} on {socket.gethostname()} since {stamp}\n".encode(), 0)
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
            fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)
