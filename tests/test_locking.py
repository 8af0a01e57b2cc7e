"""The index write lock on Windows' msvcrt path, run here with a stand-in for msvcrt (the POSIX
path is tested for real in test_faults.py: dies with its process, re-entrant, kept by forks)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import fake_msvcrt
from vnsearch import IndexLockedError, locking
from vnsearch.locking import LOCK_FILE, holder, write_lock

TESTS = Path(__file__).resolve().parent

pytestmark = pytest.mark.skipif(locking.fcntl is None, reason="the stand-in for msvcrt is built on fcntl")


@pytest.fixture
def windows_locking(monkeypatch) -> None:
    monkeypatch.setattr(locking, "fcntl", None)
    monkeypatch.setattr(locking, "msvcrt", fake_msvcrt, raising=False)


def _other_process_locks(index: Path) -> subprocess.CompletedProcess[str]:
    script = (
        f"import sys; sys.path.insert(0, {str(TESTS)!r})\n"
        "import fake_msvcrt\nfrom vnsearch import locking\n"
        "locking.fcntl = None\nlocking.msvcrt = fake_msvcrt\n"
        f"with locking.write_lock({str(index)!r}):\n    print('locked')\n"
    )
    return subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)


def test_windows_lock_excludes_other_processes_and_says_who_holds_it(tmp_path: Path, windows_locking) -> None:
    index = tmp_path / "ix"
    with write_lock(index):
        with write_lock(index):  # re-entrant
            pass
        other = _other_process_locks(index)
        assert other.returncode == 1 and "IndexLockedError" in other.stderr
        # the description stays readable: the locked byte lies far past it
        assert (holder(index) or "").startswith("pid ") and (index / LOCK_FILE).read_text().startswith("pid ")
    other = _other_process_locks(index)
    assert other.returncode == 0 and other.stdout.strip() == "locked"


def test_windows_lock_waits_with_a_timeout(tmp_path: Path, windows_locking) -> None:
    index = tmp_path / "ix"
    script = (
        f"import sys, time; sys.path.insert(0, {str(TESTS)!r})\n"
        "import fake_msvcrt\nfrom vnsearch import locking\n"
        "locking.fcntl = None\nlocking.msvcrt = fake_msvcrt\n"
        f"with locking.write_lock({str(index)!r}):\n    print('locked', flush=True)\n    time.sleep(60)\n"
    )
    other = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    try:
        assert other.stdout is not None and other.stdout.readline().strip() == "locked"
        with pytest.raises(IndexLockedError) as caught:
            with write_lock(index, timeout=0.3):
                pass
        assert caught.value.code == "lock.timeout"
        other.kill()  # the lock dies with its process
        other.wait()
        with write_lock(index, timeout=5):
            pass
    finally:
        if other.poll() is None:
            other.kill()
            other.wait()
