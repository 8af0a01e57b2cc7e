"""Worker processes: how they start, how they end with their parent, and the allocator.

- Start method: `fork` where it is safe and available (Linux), so workers inherit the loaded
  CRF model; `spawn` elsewhere (Windows has no fork; macOS forks unsafely once threads exist),
  each spawned worker loading the model itself. `VNSEARCH_START_METHOD` (fork, spawn or
  forkserver) chooses explicitly, e.g. to run the test suite the way Windows would.
- Parent death: on Linux a worker asks the kernel for SIGKILL when its parent dies
  (prctl PR_SET_PDEATHSIG), so a `kill -9` of `vnsearch index` takes its workers with it at
  once. Everywhere, a watchdog thread in the worker ends it within a second of its parent's
  death, whatever the worker is waiting for: checking only between batches is not enough, since
  a parent killed while writing a batch to a worker's pipe leaves a half message there, which
  the worker would wait for forever (every worker holds the pipe's write end too).
- Allocator: zlib allocates about 300 KB of state for every `compress` call, and glibc returns
  that memory to the system at every free (the heap top is trimmed above 128 KB): each call
  then pays for fresh pages, 50-100 us for a block of a few dozen bytes instead of 4 us.
  Raising glibc's trim threshold and top pad keeps those pages; it is a per-process setting,
  made in writing processes only.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
import threading
from typing import Any

START_METHOD_VARIABLE = "VNSEARCH_START_METHOD"
START_METHODS = ("fork", "spawn", "forkserver")

PR_SET_PDEATHSIG = 1
M_TRIM_THRESHOLD, M_TOP_PAD = -1, -2
TRIM_THRESHOLD = 64 << 20
TOP_PAD = 16 << 20
WATCH_S = 0.5  # how often the watchdog looks at the parent

_tuned = False


def start_method() -> str:
    """The multiprocessing start method for indexing workers."""
    chosen = os.environ.get(START_METHOD_VARIABLE, "").strip().lower()
    available = multiprocessing.get_all_start_methods()
    if chosen:
        if chosen not in START_METHODS or chosen not in available:
            from ...errors import VnsearchError

            raise VnsearchError("index.start_method", value=chosen, variable=START_METHOD_VARIABLE,
                                choices=", ".join(m for m in START_METHODS if m in available))
        return chosen
    return "fork" if sys.platform.startswith("linux") and "fork" in available else "spawn"


def context() -> Any:
    return multiprocessing.get_context(start_method())


def _libc() -> Any:
    if not sys.platform.startswith("linux"):
        return None
    import ctypes  # here: only processes that write need it
    import ctypes.util

    try:
        return ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
    except OSError:
        return None


def die_with_parent(parent: int) -> None:
    """Make this (worker) process end when `parent` does: the kernel's parent-death signal on
    Linux, and an immediate check for a parent that died before the request took effect."""
    libc = _libc()
    if libc is not None:
        try:
            libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        except AttributeError:  # not glibc/musl: the polling in the worker still applies
            pass
    if not parent_alive(parent):
        os._exit(1)


def watch_parent(parent: int) -> threading.Thread:
    """Start a daemon thread that ends this process as soon as its parent is gone: through
    multiprocessing's parent sentinel (a pipe or handle that closes with the parent, on every
    platform) and, on POSIX, the parent id."""

    def watch() -> None:
        sentinel = multiprocessing.parent_process()
        while True:
            if sentinel is not None:
                sentinel.join(WATCH_S)  # returns at once when the parent ends
                gone = not sentinel.is_alive()
            else:
                threading.Event().wait(WATCH_S)
                gone = False
            if gone or not parent_alive(parent):
                os._exit(1)  # nothing of this worker's will be committed: no cleanup to do

    thread = threading.Thread(target=watch, name="vnsearch-parent-watch", daemon=True)
    thread.start()
    return thread


def parent_alive(parent: int) -> bool:
    """Is the process that started this worker still its parent? (An orphan is re-parented
    to init or a subreaper, so its parent id changes. Windows keeps the dead parent's id:
    there only the watchdog's sentinel tells.)"""
    return os.name != "posix" or os.getppid() == parent


def tune_allocator() -> None:
    """Keep freed heap memory in this process (see the module docstring); glibc only."""
    global _tuned
    if _tuned:
        return
    _tuned = True
    libc = _libc()
    if libc is None:
        return
    try:
        libc.mallopt(M_TRIM_THRESHOLD, TRIM_THRESHOLD)
        libc.mallopt(M_TOP_PAD, TOP_PAD)
    except AttributeError:  # a libc without mallopt (musl)
        pass
