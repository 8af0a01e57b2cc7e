"""Durable commits: a commit's files and folder are synced before its table of contents, the
table of contents is synced before it is renamed into place, and the folder after."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from vnsearch import Document, Index
from vnsearch.engine.whoosh import durable
from vnsearch.engine.whoosh.store import PARALLEL_FROM

pytestmark = pytest.mark.skipif(not Path("/proc/self/fd").exists(), reason="names synced descriptors through /proc")

TOC = re.compile(r"_MAIN_(\d+)\.toc")


@pytest.fixture
def calls(monkeypatch) -> list[tuple[str, str]]:
    """Every fsync (of which path) and every rename, in order."""
    recorded: list[tuple[str, str]] = []
    real_fsync, real_replace = os.fsync, os.replace

    def fsync(fd: int) -> None:
        recorded.append(("fsync", os.readlink(f"/proc/self/fd/{fd}")))
        real_fsync(fd)

    def replace(source, target) -> None:  # type: ignore[no-untyped-def]
        recorded.append(("rename", f"{os.fspath(source)} -> {os.fspath(target)}"))
        real_replace(source, target)

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(os, "replace", replace)
    return recorded


def _documents(prefix: str, count: int) -> list[Document]:
    return [Document(id=f"{prefix}{i}", title=f"Tiêu đề {i}", text=f"Phòng, chống tham nhũng, văn bản số {i}.")
            for i in range(count)]


def _check_commit_order(calls: list[tuple[str, str]], folder: Path, new_segments: set[str]) -> None:
    folder_path = str(folder.resolve())
    renames = [i for i, (kind, what) in enumerate(calls) if kind == "rename" and TOC.search(what.split(" -> ")[1])]
    assert len(renames) == 1, calls
    rename = renames[0]
    source = calls[rename][1].split(" -> ")[0]
    before, after = calls[:rename], calls[rename + 1:]
    synced_files = [what for kind, what in before if kind == "fsync" and what != folder_path]
    # 1. every file of every new segment, then the folder, before anything of the TOC
    segment_files = {str(p.resolve()) for p in folder.iterdir() if p.name.split(".")[0] in new_segments}
    assert segment_files and segment_files <= set(synced_files)
    last_segment_sync = max(i for i, (kind, what) in enumerate(before) if what in segment_files)
    first_folder_sync = min(i for i, (kind, what) in enumerate(before) if what == folder_path)
    toc_sync = [i for i, (kind, what) in enumerate(before) if what == str(Path(source).resolve())]
    assert last_segment_sync < first_folder_sync < toc_sync[0], before
    # 2. the temporary TOC synced, then 3. renamed, then the folder synced
    assert toc_sync and toc_sync[-1] == len(before) - 1
    assert after[:1] == [("fsync", folder_path)]


def _segments(folder: Path) -> set[str]:
    return {p.name.split(".")[0] for p in folder.iterdir() if p.name.startswith("MAIN_") and "." in p.name}


def test_a_commit_syncs_segments_then_folder_then_toc_then_renames_then_folder(tmp_path: Path, calls) -> None:
    folder = tmp_path / "ix"
    with Index.create(folder) as ix:
        ix.add(_documents("a", 5), workers=1)
        old = _segments(folder)
        calls.clear()
        ix.add(_documents("b", 5), workers=1)
        new = _segments(folder) - old
    assert len(new) == 1
    _check_commit_order(calls, folder, new)


def test_a_parallel_commit_syncs_every_worker_segment_first(tmp_path: Path, calls) -> None:
    folder = tmp_path / "ix"
    with Index.create(folder) as ix:
        calls.clear()
        ix.add(_documents("p", PARALLEL_FROM + 60), workers=2)
        new = _segments(folder)
    assert len(new) == 2  # one per worker, synced by the parent before it commits them
    _check_commit_order(calls, folder, new)


def test_a_deletion_commit_syncs_its_toc_before_the_rename(tmp_path: Path, calls) -> None:
    folder = tmp_path / "ix"
    with Index.create(folder) as ix:
        ix.add(_documents("d", 5), workers=1)
        calls.clear()
        assert ix.delete(["d1"]) == 1
    kinds = [kind for kind, _ in calls]
    assert kinds == ["fsync", "fsync", "rename", "fsync"], calls  # folder, new TOC, rename, folder


def test_creating_an_index_syncs_what_it_writes(tmp_path: Path, calls) -> None:
    Index.create(tmp_path / "ix").close()
    synced = {what for kind, what in calls if kind == "fsync"}
    assert {str((tmp_path / "ix").resolve()), str(tmp_path.resolve())} <= synced
    assert any(TOC.search(what) for what in synced)
    assert durable.SYNC["files"] > 0 and durable.SYNC["folders"] > 0
