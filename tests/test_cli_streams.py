"""When a command's readers go away: stdout's ends the command quietly (status 0), stderr's
changes nothing (an indexing run goes on and commits)."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from support import write_jsonl
from vnsearch import Index
from vnsearch.cli import main


def _vnsearch(*args: str, close: str) -> tuple[int, str]:
    """Run `vnsearch ARGS` with the reader of its stdout or stderr gone before it writes (as
    `| head -1` is once it has its line): the exit status and what the other stream said."""
    process = subprocess.Popen([sys.executable, "-m", "vnsearch", *args],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert process.stdout is not None and process.stderr is not None
    closed, kept = (process.stdout, process.stderr) if close == "stdout" else (process.stderr, process.stdout)
    closed.close()
    said = kept.read().decode()
    return process.wait(timeout=180), said


def test_an_index_run_whose_stderr_reader_has_gone_indexes_and_commits_everything(tmp_path: Path) -> None:
    records: list[object] = []
    for n in range(6):
        records.append({"id": f"d{n}", "title": f"Tin {n}", "text": "Bàn về chống tham nhũng."})
        records.append("not a JSON object")  # a skipped record: reported on the closed stderr
    corpus = write_jsonl(tmp_path / "bad.jsonl", records)
    index = tmp_path / "ix"
    status, _ = _vnsearch("index", str(corpus), "--index", str(index), close="stderr")
    assert status == 3  # records were skipped, as with a reader
    with Index.open(index) as ix:
        assert len(ix) == 6


@pytest.mark.parametrize("args", [
    ["stats"],
    ["stats", "--json"],
    ["show", "bct-01"],
    ["search", "tham nhũng"],
    ["search", "tham nhũng", "--format", "csv", "--all"],
    ["search", "tham nhũng", "--count"],
], ids=" ".join)
def test_every_command_ends_quietly_when_its_stdout_reader_goes_away(dated_index_path: Path, args: list[str]) -> None:
    status, said = _vnsearch(*args, "--index", str(dated_index_path), close="stdout")
    assert (status, said) == (0, "")


def test_tokenize_ends_quietly_when_its_stdout_reader_goes_away() -> None:
    assert _vnsearch("tokenize", "Tỉnh uỷ chống tham nhũng", close="stdout") == (0, "")


class _GonePipe(io.RawIOBase):
    """A stream without a file descriptor whose reader has gone, as the resident searcher's can be."""

    def __init__(self) -> None:
        super().__init__()
        self.gone = True

    def writable(self) -> bool:
        return True

    def write(self, data: object) -> int:
        if self.gone:
            raise BrokenPipeError(32, "Broken pipe")
        return len(bytes(data))  # type: ignore[call-overload]


def _run_in_process(args: list[str], monkeypatch: pytest.MonkeyPatch, stream: str) -> int:
    raw = _GonePipe()
    monkeypatch.setattr(sys, stream, io.TextIOWrapper(io.BufferedWriter(raw), encoding="utf-8"))
    try:
        with pytest.raises(SystemExit) as exit_:
            main.main(args=args, prog_name="vnsearch", standalone_mode=True)
    finally:
        raw.gone = False  # what is still buffered may go now (to nowhere), as the test ends
    return exit_.value.code or 0  # type: ignore[return-value]


def test_a_stdout_without_a_file_descriptor_also_ends_quietly(dated_index_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    assert _run_in_process(["stats", "--index", str(dated_index_path)], monkeypatch, "stdout") == 0


def test_a_stderr_without_a_file_descriptor_is_left_and_the_run_goes_on(tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    corpus = tmp_path / "c.jsonl"
    corpus.write_text(json.dumps({"id": "a", "text": "một"}) + "\nnot json\n", encoding="utf-8")
    args = ["index", str(corpus), "--index", str(tmp_path / "ix"), "--workers", "1"]
    assert _run_in_process(args, monkeypatch, "stderr") == 3
    with Index.open(tmp_path / "ix") as ix:
        assert len(ix) == 1
