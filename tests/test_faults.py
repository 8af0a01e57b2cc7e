"""Nothing lost, nothing crashes: killed runs, concurrent runs, bad input, hostile queries and
damaged indexes.

Each fault is tried for real: a `python -m vnsearch index` subprocess killed with SIGKILL, a
second indexer racing the first, corpus files with every kind of bad record, queries from
hypothesis, index files truncated or deleted.
"""

from __future__ import annotations

import gzip
import json
import os
import random
import re
import select
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from support import FIXTURES, SEED, write_jsonl
from vnsearch import Document, Index, IndexCorruptError, IndexLockedError, IndexNotFoundError, VnsearchError
from vnsearch.cli import main
from vnsearch.engine.whoosh.store import FORMAT_FILE
from vnsearch.locking import LOCK_FILE, write_lock

PYTHON = sys.executable


def cli(*args: str):
    return CliRunner().invoke(main, list(args))


def index_command(corpus: Path | str, index: Path, *extra: str) -> list[str]:
    return [PYTHON, "-m", "vnsearch", "index", str(corpus), "--index", str(index), "--workers", "1", "-q", *extra]


# -- a synthetic corpus big enough to take a few seconds ------------------------------------

WORDS = (
    "Ban Thường vụ Tỉnh ủy họp bàn về công tác phòng chống tham nhũng lãng phí cán bộ đảng viên nghị quyết "
    "chỉ thị kết luận thông báo quyết định kiểm tra giám sát kỷ luật tổ chức xây dựng chỉnh đốn Đảng nhân dân "
    "Ủy ban Hội đồng Mặt trận Tổ quốc kinh tế xã hội quốc phòng an ninh đối ngoại phát triển bền vững chuyển đổi "
    "số thực hiện nhiệm vụ năm"
).split()
FILES, PER_FILE = 6, 300  # about 0.7 s a file with one worker; index_paths commits after each file


def synthetic_corpus(folder: Path, files: int = FILES, per_file: int = PER_FILE, seed: int = 7) -> Path:
    """Vietnamese-looking documents, every title starting "Văn bản", one JSONL file per commit."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    for f in range(files):
        records = []
        for i in range(per_file):
            sentences = (" ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 20))) for _ in range(8))
            records.append({
                "id": f"f{f}-d{i}",
                "title": f"Văn bản {f}-{i} về " + " ".join(rng.choice(WORDS) for _ in range(5)),
                "text": ". ".join(s.capitalize() for s in sentences) + ".",
                "date": f"20{10 + f}-0{1 + i % 9}-1{i % 10}",
            })
        write_jsonl(folder / f"part{f}.jsonl", records)
    return folder


def generation(index: Path) -> int:
    """The latest committed generation (Whoosh's _MAIN_N.toc); -1 before the index exists."""
    found = [int(m.group(1)) for p in index.glob("_MAIN_*.toc") if (m := re.fullmatch(r"_MAIN_(\d+)\.toc", p.name))]
    return max(found, default=-1)


def wait_for(condition, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.02)


@pytest.fixture
def running() -> Iterator[list[subprocess.Popen[bytes]]]:
    """Subprocesses a test starts; killed at the end whatever happened."""
    procs: list[subprocess.Popen[bytes]] = []
    yield procs
    for proc in procs:
        if proc.poll() is None:
            proc.kill()
        proc.wait(timeout=30)


# -- crash safety ---------------------------------------------------------------------------


def test_sigkill_mid_run_keeps_the_last_commit_and_a_rerun_completes(tmp_path: Path, running) -> None:
    corpus, index = synthetic_corpus(tmp_path / "corpus"), tmp_path / "ix"
    proc = subprocess.Popen(index_command(corpus, index), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    running.append(proc)
    # Generation 0 is the empty index; each finished file is one more commit.
    wait_for(lambda: generation(index) >= 1 or proc.poll() is not None, 60, "the first commit")
    time.sleep(0.3)  # into the next file, between commits
    proc.send_signal(signal.SIGKILL)
    assert proc.wait(timeout=30) == -signal.SIGKILL
    committed = generation(index)
    assert 1 <= committed < FILES, "the run was not killed in the middle: make the corpus bigger"

    with Index.open(index) as ix:  # openable, searchable, holding exactly the committed files
        assert len(ix) == committed * PER_FILE
        result = ix.search("văn bản", limit=5)
        assert result.total == committed * PER_FILE
        assert ix.get("f0-d0") is not None and ix.get(f"f{FILES - 1}-d0") is None

    # The kernel released the write lock with the process: the re-run starts at once, skips
    # what was committed and finishes the job.
    rerun = subprocess.run(index_command(corpus, index), capture_output=True, text=True, timeout=120)
    assert rerun.returncode == 0, rerun.stderr
    assert f"{PER_FILE} records: 0 added, 0 replaced, {PER_FILE} unchanged" in rerun.stderr
    with Index.open(index) as ix:
        assert len(ix) == FILES * PER_FILE
        assert ix.search("văn bản").total == FILES * PER_FILE


def test_searches_during_indexing_see_only_whole_commits(tmp_path: Path, running) -> None:
    files, per_file = 4, 200
    corpus, index = synthetic_corpus(tmp_path / "corpus", files, per_file), tmp_path / "ix"
    proc = subprocess.Popen(index_command(corpus, index), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    running.append(proc)
    wait_for(lambda: _opens(index), 60, "the index to be created")
    seen: set[int] = set()
    with Index.open(index) as ix:  # one long-lived reader, refreshed as commits land
        while proc.poll() is None:
            total = ix.search("văn bản", limit=3).total
            assert total % per_file == 0, f"a search saw {total} documents: part of a commit"
            seen.add(total)
            with Index.open(index) as fresh:  # and a reader opened mid-run
                assert len(fresh) % per_file == 0
    assert proc.returncode == 0
    assert len(seen) >= 2, f"searches only saw {seen}: the indexer was too quick to overlap"
    with Index.open(index) as ix:
        assert len(ix) == files * per_file


def _opens(index: Path) -> bool:
    try:
        Index.open(index).close()
    except VnsearchError:  # not there yet, or its format file half-written
        return False
    return True


# -- one writer at a time -------------------------------------------------------------------


def test_second_indexer_is_refused_with_a_hint(tmp_path: Path) -> None:
    index = tmp_path / "ix"
    with write_lock(index):  # this process plays the first indexer
        other = subprocess.run(index_command(FIXTURES / "small.jsonl", index), capture_output=True, text=True,
                               timeout=60)
    assert other.returncode == 1
    assert other.stderr.startswith(f"Error: another 'vnsearch index' is writing to the index at {index} (pid {os.getpid()}")
    assert "Hint:" in other.stderr and "--wait" in other.stderr and "Traceback" not in other.stderr
    assert not (index / FORMAT_FILE).exists()  # refused before touching anything


def test_second_indexer_with_wait_runs_after_the_first(tmp_path: Path, running) -> None:
    index = tmp_path / "ix"
    with write_lock(index):
        proc = subprocess.Popen(index_command(FIXTURES / "small.jsonl", index, "--wait"), stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)
        running.append(proc)
        # Its first line says it waits (read before the lock is released: on a loaded machine
        # the process may take seconds just to start).
        assert proc.stderr is not None
        ready, _, _ = select.select([proc.stderr], [], [], 60)
        assert ready, "no word from the waiting indexer in 60 s"
        first = proc.stderr.readline()
        assert first.startswith("waiting for the other 'vnsearch index'"), first
        assert proc.poll() is None, "it should be waiting for the lock"
    _out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    assert "4 records: 4 added" in err


def test_library_indexing_takes_the_same_lock(tmp_path: Path) -> None:
    from vnsearch.indexer import index_paths

    index = tmp_path / "ix"
    holder = subprocess.Popen(
        [PYTHON, "-c", "import sys, time; from vnsearch.locking import write_lock\n"
                       f"with write_lock({str(index)!r}):\n    print('locked', flush=True); time.sleep(60)"],
        stdout=subprocess.PIPE, text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        with Index.create(index) as ix, pytest.raises(IndexLockedError, match="another 'vnsearch index'"):
            index_paths(ix, [FIXTURES / "small.jsonl"], workers=1)
    finally:
        holder.kill()
        holder.wait()
    with Index.open(index) as ix:  # released with the holder's death
        index_paths(ix, [FIXTURES / "small.jsonl"], workers=1)
        assert len(ix) == 4


def test_lock_dies_with_its_process_even_if_a_forked_worker_lives_on(tmp_path: Path) -> None:
    # Analysis workers are forked while the lock is held: a SIGKILLed parent must not leave a
    # surviving child holding it.
    index = tmp_path / "ix"
    script = (
        "import os, sys, time\nfrom vnsearch.locking import write_lock\n"
        f"with write_lock({str(index)!r}):\n"
        "    if os.fork() == 0:  # the child: past os.fork(), so past the at-fork hooks\n"
        "        print(os.getpid(), flush=True)\n        time.sleep(60)\n        os._exit(0)\n"
        "    time.sleep(60)\n"
    )
    parent = subprocess.Popen([PYTHON, "-c", script], stdout=subprocess.PIPE, text=True)
    assert parent.stdout is not None
    child = int(parent.stdout.readline())
    try:
        with pytest.raises(IndexLockedError):
            with write_lock(index):
                pass
        parent.kill()
        parent.wait()
        os.kill(child, 0)  # the child is still alive ...
        with write_lock(index):  # ... and the lock is free
            assert (index / LOCK_FILE).read_text().startswith(f"pid {os.getpid()} ")
    finally:
        os.kill(child, signal.SIGKILL)


def _fork_in_lock(index: Path) -> int:
    with write_lock(index):
        return os.fork()  # parent and child both leave this block


def _locked_elsewhere(index: Path) -> bool:
    script = f"from vnsearch.locking import write_lock\nwith write_lock({str(index)!r}): pass"
    probe = subprocess.run([PYTHON, "-c", script], capture_output=True, text=True, timeout=60)
    return "IndexLockedError" in probe.stderr


def test_lock_is_reentrant_and_a_forked_child_leaving_the_block_keeps_it_held(tmp_path: Path) -> None:
    index = tmp_path / "ix"
    with write_lock(index):
        with write_lock(index):  # the CLI locks, then index_paths locks again
            pass
        child = _fork_in_lock(index)
        if child == 0:
            os._exit(0)
        os.waitpid(child, 0)
        assert _locked_elsewhere(index)  # neither the inner block nor the child released it
    assert not _locked_elsewhere(index)


# -- bad input, reported and survived -------------------------------------------------------

GOOD_BEFORE = '{"id": "ok-1", "title": "Thông báo", "text": "Ban Thường vụ Tỉnh ủy họp bàn."}'
GOOD_AFTER = '{"id": "ok-2", "title": "Kết luận", "text": "Phòng, chống tham nhũng, lãng phí."}'

# name: (line 2 of the file, what the report says, skipped?)
BAD_LINES: dict[str, tuple[bytes, str, bool]] = {
    "not_json": (b'{"id": "x", "text": ', "not valid JSON (Expecting value at column 21); skipped", True),
    "not_an_object": (b'["a", "list"]', "not a JSON object but a list; skipped", True),
    "nested_too_deep": (b"[" * 100_000 + b"]" * 100_000, "not usable JSON (nested too deeply); skipped", True),
    "empty_document": (b'{"id": "e", "title": "", "text": "   "}', "no text and no title; skipped", True),
    "invisible_only": ('{"id": "e", "text": "\u200b\u00ad\ufeff"}'.encode(), "no text and no title; skipped", True),
    "text_not_a_string": (b'{"id": "n", "text": 42}', '"text" must be a string, not a number; skipped', True),
    "missing_id": ('{"text": "Văn bản không có mã"}'.encode(), "no id: using 'c.jsonl:2'", False),
    "id_is_an_object": (b'{"id": {"so": 1}, "text": "x"}', "\"id\" is an object, not text: using 'c.jsonl:2'", False),
    "date_not_a_date": ('{"id": "d", "text": "x", "date": "hôm qua"}'.encode(),
                        "date 'hôm qua' is not a date: looked for one in the text", False),
    "title_is_a_list": (b'{"id": "t", "title": ["a", "b"], "text": "x"}', '"title" is a list, not text: ignored', False),
    "text_is_paragraphs": (b'{"id": "p", "text": ["Mot.", "Hai."]}', '"text" is a list of strings: joined as paragraphs',
                           False),
    "lone_surrogate": (b'{"id": "s", "text": "tham nh\\ud800ng"}', "lone UTF-16 surrogate escapes replaced by U+FFFD",
                       False),
    "extra_nested_deep": (b'{"id": "x", "text": "y", "tree": ' + b"[" * 40 + b"]" * 40 + b"}",
                          'field "tree" nests more than 32 levels deep: dropped', False),
    "bytes_not_utf8": (b'{"id": "b", "text": "ph\xc3\xb2ng caf\xe9 \xff"}',
                       "2 byte sequence(s) that are not UTF-8 (the first at byte 32) replaced by U+FFFD", False),
    # Latin-1 "phòng chóng" reads as TCVN3 "phũng chúng": too little to be sure, so named, not converted.
    "bytes_maybe_tcvn3": (b'{"id": "b", "text": "ph\xf2ng ch\xf3ng \xff"}',
                          "3 byte sequence(s) that are not UTF-8 (the first at byte 24) replaced by U+FFFD; it may be "
                          "TCVN3 (ABC) (100% of 3 changed words became Vietnamese syllables), too unsure to convert", False),
    "tcvn3_bytes": (b'{"id": "v", "text": "C\xe9ng ho\xb5 x\xb7 h\xe9i ch\xf1 ngh\xdca Vi\xd6t Nam"}',
                    "text in the TCVN3 (ABC) encoding (100% of 7 changed words became Vietnamese syllables): "
                    "converted to Unicode", False),
    "vni_font_text": ('{"id": "v", "text": "Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam"}'.encode(),
                      "text in the VNI encoding (100% of 7 changed words became Vietnamese syllables): "
                      "converted to Unicode", False),
}


@pytest.mark.parametrize("line,message,skipped", BAD_LINES.values(), ids=BAD_LINES.keys())
def test_bad_record_is_reported_once_and_the_run_goes_on(tmp_path: Path, line: bytes, message: str,
                                                          skipped: bool) -> None:
    corpus = tmp_path / "c.jsonl"
    corpus.write_bytes(GOOD_BEFORE.encode() + b"\n" + line + b"\n" + GOOD_AFTER.encode() + b"\n")
    result = cli("index", str(corpus), "--index", str(tmp_path / "ix"), "--workers", "1", "-q")
    assert result.exit_code == (3 if skipped else 0), result.output
    assert "Traceback" not in result.output
    reports = [line for line in result.stderr.splitlines() if line.startswith(f"{corpus}:2: ")]
    assert reports == [f"{corpus}:2: {message}"]
    added = 2 if skipped else 3
    assert f"3 records: {added} added, 0 replaced, 0 unchanged, {int(skipped)} skipped, {int(not skipped)} repaired" \
        in result.stderr
    assert json.loads(cli("stats", "--index", str(tmp_path / "ix"), "--json").stdout)["documents"] == added


def test_repaired_records_are_searchable_as_repaired(tmp_path: Path) -> None:
    lines = [BAD_LINES[name][0] for name in ("tcvn3_bytes", "vni_font_text", "lone_surrogate", "bytes_not_utf8")]
    corpus = tmp_path / "c.jsonl"
    corpus.write_bytes(b"\n".join(lines[:1] + [lines[1].replace(b'"v"', b'"w"')] + lines[2:]) + b"\n")
    with Index.create(tmp_path / "ix") as ix:
        from vnsearch.indexer import index_paths

        index_paths(ix, [corpus], workers=1)
        assert ix.get("v").text == "Cộng hòa xã hội chủ nghĩa Việt Nam"  # type: ignore[union-attr]
        assert ix.get("w").text == "Cộng hòa xã hội chủ nghĩa Việt Nam"  # type: ignore[union-attr]
        assert ix.get("s").text == "tham nh\ufffdng"  # type: ignore[union-attr]
        assert ix.search("cộng hòa xã hội").total == 2
        assert ix.get("b").text == "phòng caf\ufffd \ufffd"  # type: ignore[union-attr]


def test_control_characters_are_dropped_silently(tmp_path: Path) -> None:
    corpus = write_jsonl(tmp_path / "c.jsonl", [{"id": "c", "title": "Tiêu\x07 đề", "text": "một\x00hai\x0cba\x1b[31m"}])
    result = cli("index", str(corpus), "--index", str(tmp_path / "ix"), "--workers", "1", "-q")
    assert result.exit_code == 0 and "c.jsonl:1" not in result.stderr
    shown = json.loads(cli("show", "c", "--index", str(tmp_path / "ix"), "--json").stdout)
    assert (shown["title"], shown["text"]) == ("Tiêu đề", "mộthai\nba[31m")


def test_unknown_fields_are_kept_as_extras(tmp_path: Path) -> None:
    corpus = write_jsonl(tmp_path / "c.jsonl", [{"id": "u", "text": "x", "trạng_thái": "Còn hiệu lực", "score": 3}])
    result = cli("index", str(corpus), "--index", str(tmp_path / "ix"), "--workers", "1", "-q")
    assert result.exit_code == 0 and "c.jsonl:1" not in result.stderr
    shown = json.loads(cli("show", "u", "--index", str(tmp_path / "ix"), "--json").stdout)
    assert shown["extras"] == {"trạng_thái": "Còn hiệu lực", "score": 3}


def test_duplicate_ids_in_one_run_leave_one_document(tmp_path: Path) -> None:
    first = write_jsonl(tmp_path / "a.jsonl", [{"id": "dup", "text": "bản một"}, {"id": "dup", "text": "bản hai"}])
    second = write_jsonl(tmp_path / "b.jsonl", [{"id": "dup", "text": "bản ba"}])
    result = cli("index", str(first), str(second), "--index", str(tmp_path / "ix"), "--workers", "1", "-q")
    assert result.exit_code == 0
    assert f"{first}:2: duplicate id 'dup' (first at {first}:1): this record replaces it" in result.stderr
    assert f"{second}:1: duplicate id 'dup' (first at {first}:1): this record replaces it" in result.stderr
    with Index.open(tmp_path / "ix") as ix:
        assert len(ix) == 1 and ix.get("dup").text == "bản ba"  # type: ignore[union-attr]
        assert ix.search("bản").total == 1


def test_missing_ids_are_stable_and_distinct_across_folders(tmp_path: Path) -> None:
    for sub in ("a", "b"):
        (tmp_path / "corpus" / sub).mkdir(parents=True)
        write_jsonl(tmp_path / "corpus" / sub / "data.jsonl", [{"text": f"văn bản {sub}"}])
    args = ["index", str(tmp_path / "corpus"), "--index", str(tmp_path / "ix"), "--workers", "1", "-q"]
    assert cli(*args).exit_code == 0
    for sub in ("a", "b"):  # touched, so the re-run reads them again instead of skipping them
        path = tmp_path / "corpus" / sub / "data.jsonl"
        os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 1_000_000))
    rerun = cli(*args)
    assert "1 record: 0 added, 0 replaced, 1 unchanged" in rerun.stderr  # the same ids again
    with Index.open(tmp_path / "ix") as ix:
        assert len(ix) == 2 and ix.get("a/data.jsonl:1") and ix.get("b/data.jsonl:1")


def test_folder_with_binary_and_odd_files(tmp_path: Path) -> None:
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "scan.pdf").write_bytes(b"%PDF-1.4\x00\x01\x02" * 100)
    (folder / "photo.txt").write_bytes(bytes(range(256)) * 40)  # binary under a text name
    (folder / "dump.jsonl").write_bytes(bytes(range(256)) * 400)  # one report, not one a line
    (folder / "zipped.jsonl").write_bytes(gzip.compress(GOOD_BEFORE.encode() + b"\n"))  # gzip without .gz
    (folder / "bom.jsonl").write_bytes(b"\xef\xbb\xbf" + GOOD_AFTER.encode() + b"\n")  # Notepad's UTF-8
    (folder / "utf16.txt").write_bytes("Tiêu đề\nNội dung tiếng Việt".encode("utf-16"))
    (folder / "empty.jsonl").write_bytes(b"")
    result = cli("index", str(folder), "--index", str(tmp_path / "ix"), "--workers", "1", "-q")
    assert result.exit_code == 3 and "Traceback" not in result.output
    err = result.stderr
    assert err.count(f"{folder / 'scan.pdf'}: not a corpus file") == 1
    assert err.count(f"{folder / 'photo.txt'}: binary file, not text; skipped") == 1
    assert err.count(f"{folder / 'dump.jsonl'}: binary file, not JSON Lines text; skipped") == 1
    assert f"{folder / 'zipped.jsonl'}: compressed with gzip although its name does not end in .gz" in err
    assert f"{folder / 'bom.jsonl'}: 1 record: 1 added" in err and "bom.jsonl:1" not in err
    assert f"{folder / 'utf16.txt'}: 1 record: 1 added" in err
    assert f"{folder / 'empty.jsonl'}: 0 records" in err
    assert "7 files: 6 records: 3 added, 0 replaced, 0 unchanged, 3 skipped, 0 repaired" in err
    with Index.open(tmp_path / "ix") as ix:
        assert {ix.get(i) is not None for i in ("ok-1", "ok-2", "utf16.txt")} == {True}


def test_truncated_gzip_keeps_what_was_read(tmp_path: Path) -> None:
    records = [{"id": f"g{i}", "text": f"văn bản số {i} " * 50} for i in range(200)]
    data = gzip.compress("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records).encode())
    corpus = tmp_path / "cut.jsonl.gz"
    corpus.write_bytes(data[: len(data) * 2 // 3])
    result = cli("index", str(corpus), "--index", str(tmp_path / "ix"), "--workers", "1", "-q")
    assert result.exit_code == 3
    assert re.search(rf"{re.escape(str(corpus))}: cannot read further: .*; the rest of the file is skipped", result.stderr)
    with Index.open(tmp_path / "ix") as ix:
        assert 0 < len(ix) < 200


def test_document_over_a_million_characters(tmp_path: Path) -> None:
    rng = random.Random(3)
    sentences = [" ".join(rng.choice(WORDS) for _ in range(15)).capitalize() + "." for _ in range(20_000)]
    text = " ".join(sentences) + " Điều khoản cuối cùng về hiệu lực thi hành."
    assert len(text) > 1_000_000
    corpus = write_jsonl(tmp_path / "big.jsonl", [{"id": "big", "title": "Bộ luật rất dài", "text": text}])
    started = time.monotonic()
    result = cli("index", str(corpus), "--index", str(tmp_path / "ix"), "--workers", "1", "-q")
    indexing = time.monotonic() - started
    assert result.exit_code == 0, result.output
    assert indexing < 40, f"indexing one 1M-character document took {indexing:.1f} s"
    with Index.open(tmp_path / "ix") as ix:
        assert len(ix.get("big").text) == len(text)  # type: ignore[union-attr]
        # A phrase only at the very end, and words on every line.
        for query in ('"hiệu lực thi hành"', "tham nhũng", "phòng"):
            started = time.monotonic()
            result = ix.search(query)
            assert time.monotonic() - started < 5, f"searching {query!r} in a 1M-character document is too slow"
            assert [hit.id for hit in result.hits] == ["big"] and result.hits[0].snippets
        # Snippets are cut from the first 300,000 characters (highlight.SCAN_CHARS): a match
        # beyond them is found, and shown with the document's opening instead.
        assert "<mark>" in ix.search("tham nhũng").hits[0].snippets[0]


# -- hostile queries ------------------------------------------------------------------------

SYNTAX = ['"', "-", "OR", "AND", "(", ")", ":", "..", "*", "committee:", "type:", "number:", "date:", "year:",
          "21-NQ/TW", "tham", "nhũng", "phòng", "chống", "Tỉnh", "uỷ", "UBND", "\u0300", "\x00", "\ud800", " "]
MATCHING = ["tham nhũng", "phòng, chống", "Tỉnh uỷ", "nghị quyết", "21-NQ/TW", '"tham nhũng"', "phong chong", "UBND"]
QUERIES = st.one_of(
    st.text(st.characters(blacklist_categories=()), max_size=60),  # any code point, surrogates included
    st.lists(st.sampled_from(SYNTAX), max_size=12).map("".join),
    st.lists(st.one_of(st.sampled_from(SYNTAX), st.text(max_size=5)), max_size=10).map(" ".join),
    # Words that match, among syntax and junk: the whole pipeline runs, snippets included.
    st.lists(st.one_of(st.sampled_from(MATCHING), st.sampled_from(SYNTAX), st.text(max_size=3)), min_size=1,
             max_size=8).map(" ".join),
)
_DATES = st.one_of(st.none(), st.sampled_from(["2012", "2012-06", "2020-01-31", ""]), st.text(max_size=12))
_FACET = st.one_of(st.none(), st.sampled_from(["Bộ Chính trị", "Quốc hội", "Nghị quyết", "Luật"]), st.text(max_size=10))
# Mostly valid options, so that most queries run the whole way; now and then an invalid one.
OPTIONS = st.fixed_dictionaries({}, optional={
    "limit": st.one_of(st.integers(1, 100), st.integers(-2, 120)),
    "page": st.one_of(st.integers(1, 3), st.integers(-1, 1002)),
    "sort": st.sampled_from(["relevance", "date", "relevance", "date", "x"]),
    "committee": _FACET, "doc_type": _FACET, "date_from": _DATES, "date_to": _DATES,
})


@pytest.fixture(scope="module")
def small_index(small_index_path: Path) -> Iterator[Index]:
    with Index.open(small_index_path) as ix:
        yield ix


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(query=QUERIES, options=OPTIONS)
def test_any_query_raises_only_vnsearch_errors(small_index: Index, query: str, options: dict) -> None:
    try:
        result = small_index.search(query, **options)
    except IndexCorruptError as error:  # a healthy index must not be blamed for a query's sake
        pytest.fail(f"IndexCorruptError for {query!r}: {error}")
    except VnsearchError:
        return
    assert 0 <= len(result.hits) <= result.limit and result.total + result.near_total >= len(result.hits)
    assert len({hit.id for hit in result.hits}) == len(result.hits)
    assert all(small_index.get(hit.id) is not None for hit in result.hits)
    assert set(result.facets) == {"committee", "doc_type", "year"}
    json.dumps(result.to_dict(), ensure_ascii=False).encode("utf-8")  # printable as --json


NASTY_QUERIES = {
    "lone_surrogate": "tham \ud800 nhũng",
    "control_characters": "\x00\x01\x1b[31m tham",
    "unbalanced_quotes": '"tham nhũng "phòng',
    "operators_only": '- OR "" -"" ( ) * :',
    "combining_marks_only": "\u0300\u0301\u0323",
    "right_to_left_override": "\u202etham",
    "empty": "",
    "huge": "tham nhũng " * 10_000,
}


@pytest.mark.parametrize("query", NASTY_QUERIES.values(), ids=NASTY_QUERIES.keys())
def test_cli_search_prints_one_line_never_a_traceback(small_index_path: Path, query: str) -> None:
    for extra in ([], ["--json"]):
        result = cli("search", "--index", str(small_index_path), *extra, "--", query)
        assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
        assert result.exit_code in (0, 1) and "Traceback" not in result.output
        if result.exit_code == 1:
            assert result.stderr.startswith("Error: ") and len(result.stderr.strip().splitlines()) <= 2
        elif extra:
            json.loads(result.stdout)


def test_undecodable_command_line_bytes(small_index_path: Path) -> None:
    # A terminal in another encoding passes bytes that are not UTF-8: Python hands them over as
    # lone surrogates, and the JSON printed must still be UTF-8.
    command = [PYTHON.encode(), b"-m", b"vnsearch", b"search", b"tham \xff\xfe", b"--index", bytes(small_index_path),
               b"--json"]
    result = subprocess.run(command, capture_output=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.decode("utf-8"))["query"] == "tham \ufffd\ufffd"


PATHOLOGICAL = {
    "100k_characters": "phòng chống tham nhũng lãng phí " * 3200,
    "many_distinct_words": " ".join(f"từ{i}" for i in range(20_000)),
    "many_or": " OR ".join(WORDS * 40),
    "many_phrases": " ".join(f'"{a} {b}"' for a, b in zip(WORDS, WORDS[1:], strict=False)) * 20,
    "many_exclusions": "tham " + " ".join(f"-{w}" for w in WORDS * 40),
    "many_numbers": " ".join(f"{i}/2024/NĐ-CP" for i in range(5000)),
    "one_huge_word": "a" * 100_000,
    "no_diacritics_long": "phong chong tham nhung lang phi can bo dang vien " * 2000,
}


@pytest.mark.parametrize("query", PATHOLOGICAL.values(), ids=PATHOLOGICAL.keys())
def test_pathological_query_is_bounded_in_time(small_index: Index, query: str) -> None:
    started = time.monotonic()
    try:
        small_index.search(query)
    except VnsearchError:
        pass
    elapsed = time.monotonic() - started
    assert elapsed < 5, f"{elapsed:.1f} s"


# -- index version, damage ------------------------------------------------------------------


def _fresh_index(tmp_path: Path) -> Path:
    index = tmp_path / "ix"
    with Index.create(index) as ix:
        from vnsearch.indexer import index_paths

        index_paths(ix, [FIXTURES / "small.jsonl", SEED], workers=1)  # two commits: two segments
    return index


def test_other_format_version_is_refused_through_the_cli(tmp_path: Path) -> None:
    index = _fresh_index(tmp_path)
    (index / FORMAT_FILE).write_text(json.dumps({"format": 0}))
    for args in (["stats"], ["search", "tham"], ["show", "nq-21"], ["index", str(FIXTURES / "small.jsonl")]):
        result = cli(*args, "--index", str(index))
        assert result.exit_code == 1 and "Traceback" not in result.output
        assert result.stderr.startswith(f"Error: {index} was built with index format 0")
        assert "Hint: rebuild it: delete the index folder and run vnsearch index again" in result.stderr


def _truncate(path: Path) -> None:
    os.truncate(path, path.stat().st_size // 2)


# Segments are written as plain files (terms .trm, postings .pst, columns .col), not compound .seg.
DAMAGE = {
    "terms_truncated": ("MAIN_*.trm", _truncate),
    "terms_emptied": ("MAIN_*.trm", lambda p: os.truncate(p, 0)),
    "terms_deleted": ("MAIN_*.trm", os.remove),
    "postings_emptied": ("MAIN_*.pst", lambda p: os.truncate(p, 0)),
    "stored_fields_deleted": ("MAIN_*._stored.col", os.remove),
    "toc_truncated": ("_MAIN_*.toc", _truncate),
    "toc_garbage": ("_MAIN_*.toc", lambda p: p.write_bytes(os.urandom(300))),
    "toc_deleted": ("_MAIN_*.toc", os.remove),
    "format_file_garbage": (FORMAT_FILE, lambda p: p.write_text("{not json")),
}


@pytest.mark.parametrize("pattern,damage", DAMAGE.values(), ids=DAMAGE.keys())
def test_damaged_index_is_index_corrupt_error_with_hint(tmp_path: Path, pattern: str, damage) -> None:
    index = _fresh_index(tmp_path)
    for path in sorted(index.glob(pattern))[:1]:
        damage(path)
    with pytest.raises(IndexCorruptError) as caught:
        with Index.open(index) as ix:
            ix.search("tham nhũng")
    assert "rebuild" in (caught.value.hint_text() or "")
    result = cli("search", "tham", "--index", str(index))
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert result.stderr.startswith("Error: ") and "Hint: rebuild it" in result.stderr


def test_damage_in_the_middle_of_segments(tmp_path: Path) -> None:
    """Random bytes overwritten inside the segment files: whatever Whoosh trips on, the caller
    sees IndexCorruptError (or correct-looking results when the damage missed what was read)."""
    base = _fresh_index(tmp_path)
    rng = random.Random(11)
    originals = {p: p.read_bytes() for pattern in ("MAIN_*.trm", "MAIN_*.pst") for p in base.glob(pattern)}
    assert originals
    corrupt = 0
    for _ in range(25):
        for path, data in originals.items():
            damaged = bytearray(data)
            for _ in range(rng.choice([1, 5, 20])):
                at = rng.randrange(len(damaged) - 40)
                damaged[at : at + 30] = os.urandom(30)
            path.write_bytes(bytes(damaged))
        try:
            with Index.open(base) as ix:
                for query in ("tham nhũng", "phong chong", '"Bộ Chính trị"', "21-NQ/TW"):
                    ix.search(query)
                    ix.search(query, sort="date")
                ix.stats()
                ix.get("nq-21")
        except IndexCorruptError:
            corrupt += 1
    assert corrupt > 0


def test_missing_index_folder(tmp_path: Path) -> None:
    with pytest.raises(IndexNotFoundError):
        Index.open(tmp_path / "nowhere")
    result = cli("search", "tham", "--index", str(tmp_path / "nowhere"))
    assert result.exit_code == 1 and result.stderr.startswith("Error: no index at")
    assert "Hint: build one first" in result.stderr


def test_documents_with_lone_surrogates_through_the_library(tmp_path: Path) -> None:
    # The readers scrub them; a Document built by hand goes straight to Index.add.
    with Index.create(tmp_path / "ix") as ix:
        ix.add([Document(id="s", title="x", text="tham nh\ud800ng")], workers=1)
        assert ix.get("s").text == "tham nh\ufffdng"  # normalised like any text read from a file
