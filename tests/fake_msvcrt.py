"""A stand-in for Windows' msvcrt.locking on Linux, so the tests run locking.py's Windows path:
a non-blocking exclusive lock on `nbytes` bytes at the descriptor's current offset (POSIX
record locks, which, like Windows' byte-range locks, belong to the process and die with it)."""

from __future__ import annotations

import fcntl
import os

LK_UNLCK, LK_NBLCK = 0, 2


def locking(fd: int, mode: int, nbytes: int) -> None:
    offset = os.lseek(fd, 0, os.SEEK_CUR)
    if mode == LK_NBLCK:
        try:
            fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB, nbytes, offset, os.SEEK_SET)
        except OSError as error:  # msvcrt raises OSError (EACCES) when the bytes are locked
            raise PermissionError(13, "Permission denied") from error
    elif mode == LK_UNLCK:
        fcntl.lockf(fd, fcntl.LOCK_UN, nbytes, offset, os.SEEK_SET)
    else:
        raise ValueError(mode)
