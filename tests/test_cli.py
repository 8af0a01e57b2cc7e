"""The command line through click's CliRunner: exit codes, JSON output, messages."""

import json
import re
import shlex
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from support import FIXTURES, SEED, write_jsonl
from vnsearch.cli import main
from vnsearch.errors import InvalidOptionError
from vnsearch.web.app import parse_params


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def test_help_lists_commands() -> None:
    result = run("--help")
    assert result.exit_code == 0
    for command in ("index", "stats", "tokenize"):
        assert command in result.output


def test_index_then_stats_json(tmp_path: Path) -> None:
    index = str(tmp_path / "ix")
    result = run("index", str(FIXTURES / "small.jsonl"), str(SEED), "--index", index, "--workers", "1", "-q")
    assert result.exit_code == 0, result.output
    assert "small.jsonl: 4 records: 4 added" in result.stderr
    stats = json.loads(run("stats", "--index", index, "--json").stdout)
    assert stats["documents"] == 5
    assert set(stats["facets"]) == {"committee", "doc_type", "year"}
    rerun = run("index", str(FIXTURES / "small.jsonl"), "--index", index, "--workers", "1", "-q")
    assert "small.jsonl: not modified since last indexed (4 documents); not read" in rerun.stderr


def test_malformed_record_reported_with_file_and_line(tmp_path: Path) -> None:
    corpus = tmp_path / "c.jsonl"
    corpus.write_text('{"id": "1", "text": "một"}\n{oops\n{"id": "2", "text": "hai"}\n', encoding="utf-8")
    result = run("index", str(corpus), "--index", str(tmp_path / "ix"), "--workers", "1", "-q")
    assert result.exit_code == 3
    assert f"{corpus}:2: not valid JSON" in result.stderr
    assert "2 added, 0 replaced, 0 unchanged, 1 skipped" in result.stderr


def test_stats_without_index_is_one_line_error(tmp_path: Path) -> None:
    result = run("stats", "--index", str(tmp_path / "none"))
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: no index at")
    assert "Traceback" not in result.output


def test_tokenize_json() -> None:
    result = run("tokenize", "--json", "Tỉnh uỷ chống tham nhũng theo 21-NQ/TW")
    data = json.loads(result.stdout)
    assert data["normalized"].startswith("Tỉnh ủy")
    assert "tham_nhũng" in data["words"]
    assert data["numbers"] == {"21-NQ/TW": "21-nq/tw"}


def _small_index(tmp_path: Path) -> str:
    index = str(tmp_path / "ix")
    run("index", str(FIXTURES / "small.jsonl"), str(SEED), "--index", index, "--workers", "1", "-q")
    return index


def test_search_json_parses(tmp_path: Path) -> None:
    index = _small_index(tmp_path)
    result = run("search", "phong chong tham nhung", "--index", index, "--json", "--limit", "1")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["total"] == 2 and data["hits"][0]["id"] == "nq-21"
    assert "<mark>" in data["hits"][0]["snippets"][0]
    assert set(data["facets"]) == {"committee", "doc_type", "year"}


def test_search_listing_and_filters(tmp_path: Path) -> None:
    index = _small_index(tmp_path)
    result = run("search", "tham nhũng", "--index", index, "--committee", "Bộ Chính trị", "--from", "2020")
    assert result.exit_code == 0
    assert "1 document matches" in result.stdout and "nq-21" in result.stdout
    assert "«tham nhũng»" in result.stdout  # the match, marked without colour when not a terminal


def test_search_no_hits_exit_zero(tmp_path: Path) -> None:
    result = run("search", '"không có cụm từ này"', "--index", _small_index(tmp_path))
    assert result.exit_code == 0 and result.stdout.startswith("No documents match.")


def test_bad_query_is_one_line_message(tmp_path: Path) -> None:
    result = run("search", "--index", _small_index(tmp_path), "--", "-tham")
    assert result.exit_code == 1
    assert result.stderr.strip().count("\n") == 0 and result.stderr.startswith("Error: ")


def test_bad_date_option_is_a_usage_error_naming_the_option(tmp_path: Path) -> None:
    result = run("search", "tham", "--index", _small_index(tmp_path), "--from", "hôm qua")
    assert result.exit_code == 2
    assert "Invalid value for '--from': 'hôm qua' is not a date (use YYYY, YYYY-MM, YYYY-MM-DD" in result.stderr


@pytest.mark.parametrize("option,value,said", [
    ("--from", "2025-13", "'2025-13' is not a date: 13 is not a month (1-12)"),
    ("--to", "2024-02-30", "'2024-02-30' is not a date: 2024-02 has no day 30"),
])
def test_a_wrong_date_option_says_which_part_is_wrong(tmp_path: Path, option: str, value: str, said: str) -> None:
    result = run("search", "tham", "--index", str(tmp_path / "none"), option, value)
    assert result.exit_code == 2 and said in result.stderr


@pytest.mark.parametrize("start,end", [("2020", "2024"), ("2020-01", "2024-12"), ("2020-01-01", "2024-12-31")])
def test_date_options_take_a_year_a_month_or_a_day(tmp_path: Path, start: str, end: str) -> None:
    result = run("search", "tham nhũng", "--index", _small_index(tmp_path), "--from", start, "--to", end, "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["filters"] == {"date_from": "2020-01-01", "date_to": "2024-12-31"}


def test_a_wrong_date_in_the_query_says_which_part_is_wrong(tmp_path: Path) -> None:
    result = run("search", "date:2025-13-45", "--index", _small_index(tmp_path))
    assert result.exit_code == 1
    assert result.stderr.strip() == "Error: '2025-13-45' is not a date: 13 is not a month (1-12)"


def test_show(tmp_path: Path) -> None:
    index = _small_index(tmp_path)
    shown = run("show", "tin-1", "--index", index, "--json")
    assert json.loads(shown.stdout)["title"] == "Tỉnh ủy họp bàn về tinh gọn bộ máy"
    missing = run("show", "nope", "--index", index)
    assert missing.exit_code == 1 and "no document with id 'nope'" in missing.stderr


def test_rerun_on_unmodified_files_does_not_read_them(tmp_path: Path) -> None:
    corpus = tmp_path / "c.jsonl"
    corpus.write_text('{"id": "1", "text": "một"}\n{"id": "2", "text": "hai"}\n', encoding="utf-8")
    index = str(tmp_path / "ix")
    run("index", str(corpus), "--index", index, "--workers", "1", "-q")
    again = run("index", str(corpus), "--index", index, "--workers", "1", "-q")
    assert "not modified since last indexed (2 documents); not read" in again.stderr
    corpus.write_text('{"id": "1", "text": "một"}\n{"id": "2", "text": "hai, đã sửa"}\n', encoding="utf-8")
    changed = run("index", str(corpus), "--index", index, "--workers", "1", "-q")
    assert "2 records: 0 added, 1 replaced, 1 unchanged" in changed.stderr


def test_exit_status_3_is_for_records_this_run_skipped(tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "1", "text": "một"}\nnot json\n', encoding="utf-8")
    good = write_jsonl(tmp_path / "good.jsonl", [{"id": "2", "text": "hai"}])
    index = str(tmp_path / "ix")
    assert run("index", str(bad), "--index", index, "--workers", "1", "-q").exit_code == 3
    again = run("index", str(bad), "--index", index, "--workers", "1", "-q")
    assert "not modified since last indexed (1 document, 1 record skipped then); not read" in again.stderr
    assert again.exit_code == 0  # nothing skipped, nothing reported this time
    assert run("index", str(bad), str(good), "--index", index, "--workers", "1", "-q").exit_code == 0
    bad.write_text('{"id": "1", "text": "một"}\nnot json\nnor this\n', encoding="utf-8")
    assert run("index", str(bad), "--index", index, "--workers", "1", "-q").exit_code == 3  # read again: reported


def test_delete_then_reindex_brings_the_document_back(tmp_path: Path) -> None:
    corpus = tmp_path / "c.jsonl"
    corpus.write_text('{"id": "1", "text": "một"}\n{"id": "2", "text": "hai"}\n', encoding="utf-8")
    index = str(tmp_path / "ix")
    run("index", str(corpus), "--index", index, "--workers", "1", "-q")
    deleted = run("delete", "1", "nope", "--index", index)
    assert deleted.exit_code == 1 and "1 document deleted" in deleted.stderr and "not in the index: nope" in deleted.stderr
    assert json.loads(run("stats", "--index", index, "--json").stdout)["documents"] == 1
    # the deletion changed the index, so the unmodified file is read again and "1" comes back
    again = run("index", str(corpus), "--index", index, "--workers", "1", "-q")
    assert "1 added, 0 replaced, 1 unchanged" in again.stderr


def test_search_explain_prints_the_plan_and_each_hits_signals(small_index_path: Path) -> None:
    result = run("search", "tham nhũng", "--explain", "--index", str(small_index_path))
    assert result.exit_code == 0, result.output
    assert "plan:" in result.stdout and "match: all 1 unit" in result.stdout
    assert "word" in result.stdout and "body_words:'tham_nhũng'" in result.stdout
    assert "= sum of:" in result.stdout
    data = json.loads(run("search", "tham nhũng", "--explain", "--json", "--index", str(small_index_path)).stdout)
    assert data["explain"]["units"] and "explain" in data["hits"][0]


def test_cli_speaks_english_notices_errors_and_hints(tmp_path: Path) -> None:
    index = _small_index(tmp_path)
    result = run("search", 'tham nhũng "!!!"', "--index", index)
    assert result.exit_code == 0
    assert "note: '!!!' has no letters or digits and was ignored" in result.stdout
    missing = run("stats", "--index", str(tmp_path / "none"))
    assert missing.stderr.splitlines() == [
        f"Error: no index at {tmp_path / 'none'} (the folder given with --index {tmp_path / 'none'})",
        f"Hint: build one first with: vnsearch index corpus/ --index {tmp_path / 'none'}",
    ]


@pytest.mark.parametrize("option,value,said", [
    ("--limit", "101", "limit must be between 1 and 100"),
    ("--limit", "0", "limit must be between 1 and 100"),
    ("--limit", "ten", "limit must be a whole number, not 'ten'"),
    ("--page", "1001", "page must be between 1 and 1000"),
    ("--page", "-1", "page must be between 1 and 1000"),
    ("--limit", "-5", "limit must be between 1 and 100"),
])
def test_limit_and_page_follow_the_api_rule_with_its_message(tmp_path: Path, option: str, value: str, said: str) -> None:
    result = run("search", "tham", "--index", str(tmp_path / "none"), option, value)
    assert result.exit_code == 2 and f"Invalid value for '{option}': {said}" in result.stderr
    with pytest.raises(InvalidOptionError) as caught:  # what the API answers for the same value
        parse_params({"q": "tham", option.lstrip("-"): value})
    assert str(caught.value) == said


def test_a_date_range_whose_start_is_after_its_end_is_an_error_not_zero_results(tmp_path: Path) -> None:
    index = _small_index(tmp_path)
    result = run("search", "tham", "--index", index, "--from", "2025", "--to", "2024")
    # The library's InvalidOptionError (exit 1 through the CLI's error path; a check in cli.py
    # before searching would make it a usage error, exit 2, as --from 2025-13 is).
    assert result.exit_code != 0
    assert "the start date 2025-01-01 is after the end date 2024-12-31" in result.stderr


def test_readme_states_the_exit_statuses_that_are_true(tmp_path: Path) -> None:
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    table = dict(re.findall(r"^\| ([0-3]) \| (.+) \|$", readme, flags=re.MULTILINE))
    assert set(table) == {"0", "1", "2", "3"}
    index = _small_index(tmp_path)
    assert run("stats", "--index", index).exit_code == 0
    # 1: errors from vnsearch, one "Error:" line (and a hint)
    assert "no index" in table["1"]
    missing = run("stats", "--index", str(tmp_path / "none"))
    assert missing.exit_code == 1 and missing.stderr.startswith("Error: ")
    assert "nothing to look for" in table["1"] and run("search", "--index", index, "--", "-tham").exit_code == 1
    assert "`delete`" in table["1"] and run("delete", "nope", "--index", index).exit_code == 1
    # 2: usage errors, including option values the option parser refuses
    for args in (["search", "tham", "--bogus"], ["search"], ["search", "tham", "--limit", "101"],
                 ["search", "tham", "--from", "2025-13"]):
        result = run(*args, "--index", index)
        assert result.exit_code == 2 and result.stderr.startswith("Usage: "), args
    assert all(word in table["2"] for word in ("unknown option", "missing argument", "--limit 101", "--from 2025-13"))
    # 3: index with skipped records
    corpus = tmp_path / "bad.jsonl"
    corpus.write_text('{"id": "1", "text": "một"}\n{oops\n', encoding="utf-8")
    assert run("index", str(corpus), "--index", str(tmp_path / "ix3"), "--workers", "1", "-q").exit_code == 3
    assert table["3"].startswith("`index` only")


def test_tokenize_shows_the_spelling_repairs() -> None:
    result = run("tokenize", "Hòan thành Qũy đầu tư", "--json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["repairs"] == {"Hòan": "Hoàn", "Qũy": "Quỹ"} and data["normalized"] == "Hoàn thành Quỹ đầu tư"


@pytest.mark.parametrize("args", [
    ["--", "-lãng", "phí", "tham", "nhũng", "--limit", "1", "--json"],  # options after "--"
    ["--limit", "1", "--json", "--", "-lãng phí tham nhũng"],  # options before it
    ["--limit=1", "--", "-lãng phí", "--json", "tham nhũng"],  # both, and --name=value
])
def test_a_query_starting_with_a_dash_goes_after_double_dash(tmp_path: Path, args: list[str]) -> None:
    result = run("search", "--index", _small_index(tmp_path), *args)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["query"] == "-lãng phí tham nhũng" and data["limit"] == 1


def test_double_dash_then_an_exclusion_only_query_is_that_querys_error(tmp_path: Path) -> None:
    result = run("search", "--", "-tham", "--index", _small_index(tmp_path))
    assert result.exit_code == 1  # understood as the query, not as an option
    assert result.stderr == "Error: the query only excludes words: add at least one word to look for\n"


def test_a_dash_query_without_double_dash_says_where_it_goes(tmp_path: Path) -> None:
    result = run("search", "-tham nhũng", "--index", str(tmp_path))
    assert result.exit_code == 2
    assert "A query with a word that starts with '-' goes after '--': vnsearch search -- -tham nhũng" in result.stderr
    assert "vnsearch search -- -lãng phí tham nhũng --limit 5" in run("search", "--help").output


def test_a_dash_word_inside_the_query_gives_the_whole_query_after_double_dash(tmp_path: Path) -> None:
    result = run("search", "phòng chống", "-tham", "--limit", "5", "-\"lãng phí\"", "--index", str(tmp_path))
    assert result.exit_code == 2
    assert "goes after '--': vnsearch search -- phòng chống -tham '-\"lãng phí\"'\n" in result.stderr


def test_query_words_need_no_quotes(tmp_path: Path) -> None:
    index = _small_index(tmp_path)
    unquoted = run("search", "tham", "nhũng", "--json", "--index", index)
    assert unquoted.exit_code == 0, unquoted.output
    assert json.loads(unquoted.stdout) == json.loads(run("search", "tham nhũng", "--json", "--index", index).stdout)
    assert run("search", "tham", "nhũng", "--count", "--index", index).stdout == \
        run("search", "tham nhũng", "--count", "--index", index).stdout


def test_an_empty_query_is_the_librarys_error_and_no_query_without_a_filter_a_usage_error(tmp_path: Path) -> None:
    index = _small_index(tmp_path)
    assert run("search", "", "--index", index).exit_code == 1
    assert run("search", "--index", index).exit_code == 2
    assert run("search", "--type", "Nghị quyết", "--index", index).exit_code == 0


def test_vnsearch_index_sets_the_default_index_of_every_command(tmp_path: Path) -> None:
    index = _small_index(tmp_path)
    env = {"VNSEARCH_INDEX": index}
    runner = CliRunner(env=env)
    assert json.loads(runner.invoke(main, ["stats", "--json"]).stdout)["documents"] == 5
    searched = json.loads(runner.invoke(main, ["search", "tham nhũng", "--json"]).stdout)
    assert searched == json.loads(run("search", "tham nhũng", "--json", "--index", index).stdout)
    assert json.loads(runner.invoke(main, ["show", "tin-1", "--json"]).stdout)["id"] == "tin-1"
    assert runner.invoke(main, ["delete", "tin-1"]).exit_code == 0
    corpus = write_jsonl(tmp_path / "more.jsonl", [{"id": "x", "text": "thêm một văn bản"}])
    assert runner.invoke(main, ["index", str(corpus), "--workers", "1", "-q"]).exit_code == 0
    assert json.loads(runner.invoke(main, ["stats", "--json"]).stdout)["documents"] == 5
    # --index still wins over the environment
    other = runner.invoke(main, ["stats", "--index", str(tmp_path / "other")])
    assert other.exit_code == 1 and "--index" in other.stderr
    assert "env var: VNSEARCH_INDEX" in runner.invoke(main, ["serve", "--help"]).output


@pytest.mark.parametrize("how", ["option", "env", "default"])
def test_a_missing_index_says_the_absolute_path_and_how_it_was_chosen(tmp_path: Path, how: str,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("VNSEARCH_INDEX", raising=False)
    args, env = ["stats"], {}
    if how == "option":
        args += ["--index", "nowhere"]
    elif how == "env":
        env = {"VNSEARCH_INDEX": "nowhere"}
    result = CliRunner(env=env).invoke(main, args)
    assert result.exit_code == 1
    first = result.stderr.splitlines()[0]
    looked = tmp_path / ("indexes/default" if how == "default" else "nowhere")
    assert first.startswith(f"Error: no index at {looked} (")
    assert {"option": "given with --index nowhere", "env": "VNSEARCH_INDEX=nowhere",
            "default": "the default folder; --index or VNSEARCH_INDEX choose another"}[how] in first


def test_delete_on_a_missing_index_leaves_no_folder_behind(tmp_path: Path) -> None:
    result = run("delete", "x", "--index", str(tmp_path / "none"))
    assert result.exit_code == 1 and not (tmp_path / "none").exists()


@pytest.mark.parametrize("name", sorted(main.commands))
def test_every_command_has_a_whole_summary_and_working_examples(name: str) -> None:
    command = main.commands[name]
    summary = command.get_short_help_str(limit=45)  # the width `vnsearch --help` gives it
    assert summary and not summary.endswith(("...", "…")), summary
    assert summary in run("--help").output
    help_text = run(name, "--help").output
    examples = re.findall(r"^\s+(vnsearch \S.*)$", help_text.split("Example", 1)[1], flags=re.MULTILINE)
    assert examples, f"no example in 'vnsearch {name} --help'"
    for example in examples:
        words = shlex.split(example)[1:]
        assert words[0] == name
        main.commands[name].make_context(name, words[1:])  # parses, options and values valid


@pytest.mark.parametrize("name", sorted(main.commands))
def test_every_commands_examples_come_before_its_options(name: str) -> None:
    help_text = run(name, "--help").output
    assert help_text.index("Example") < help_text.index("Options:")


def test_index_help_names_every_file_suffix_it_reads() -> None:
    from vnsearch.documents import ACCEPTED_SUFFIXES

    help_text = " ".join(run("index", "--help").output.split())  # rewrapped: a suffix may end a line
    listed = set(re.findall(r"(\.[a-z.]+)[,:)]", help_text))
    assert set(ACCEPTED_SUFFIXES) <= listed, help_text


def test_every_search_option_says_what_it_does() -> None:
    for param in main.commands["search"].params:
        if isinstance(param, click.Option):
            assert param.help, param.name


def test_a_missing_path_is_an_error_and_nothing_is_indexed(tmp_path: Path) -> None:
    index = tmp_path / "ix"
    corpus = write_jsonl(tmp_path / "ok.jsonl", [{"id": "a", "text": "một"}])
    result = run("index", str(corpus), str(tmp_path / "nonexistent.jsonl"), "--index", str(index), "-q")
    assert result.exit_code == 1
    missing = tmp_path / "nonexistent.jsonl"
    assert result.stderr.strip().splitlines() == [f"Error: no such file or folder: '{missing}'; nothing was indexed"]
    assert not index.exists()  # checked before the index folder is made


def test_a_record_with_a_title_and_no_text_is_a_document(tmp_path: Path) -> None:
    index = str(tmp_path / "ix")
    corpus = write_jsonl(tmp_path / "c.jsonl", [{"id": "t", "title": "Quyết định về công tác cán bộ"}, {"id": "e", "text": " "}])
    result = run("index", str(corpus), "--index", index, "-q")
    assert result.exit_code == 3  # the record with neither title nor text is skipped
    assert "c.jsonl:2: no text and no title; skipped" in result.stderr
    shown = json.loads(run("show", "t", "--index", index, "--json").stdout)
    assert shown["title"] == "Quyết định về công tác cán bộ" and shown["text"] == ""
    found = json.loads(run("search", "cong tac can bo", "--index", index, "--json").stdout)
    assert [hit["id"] for hit in found["hits"]] == ["t"]


def test_index_progress_shows_a_share_of_the_bytes_and_an_eta(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from vnsearch import cli

    records = [{"id": f"d{n}", "text": f"Văn bản số {n} về công tác cán bộ."} for n in range(30)]
    corpus = write_jsonl(tmp_path / "c.jsonl", records)
    monkeypatch.setattr(cli._Progress, "LOG_INTERVAL_S", 0.0)  # stderr is no terminal here: a line each time
    result = run("index", str(corpus), "--index", str(tmp_path / "ix"), "--workers", "1")
    assert result.exit_code == 0, result.output
    lines = [line.strip() for line in result.stderr.splitlines() if "read" in line and "c.jsonl" not in line]
    assert lines and "% read (" in lines[0] and "MB)" in lines[0] and "left" in lines[0]
    assert lines[-1].startswith("all 0.0 MB read, 30 documents; writing the index")
    assert result.stdout == ""
    quiet = run("index", str(corpus), "--index", str(tmp_path / "ix2"), "--workers", "1", "-q")
    assert "% read" not in quiet.stderr and "writing the index" not in quiet.stderr


def test_progress_eta_comes_from_the_recent_byte_rate() -> None:
    from vnsearch.cli import _Progress

    now = [0.0]
    progress = _Progress(True, tty=False, clock=lambda: now[0])
    for second in range(1, 61):  # 1 MB a second for a minute, of 100 MB
        now[0] = float(second)
        progress.bytes(second * 1_000_000, 100_000_000)
    assert progress.line().startswith("60% read (60.0 MB of 100.0 MB), 0 documents, about 0:40 left")
    now[0] += 30.0  # a long commit: nothing read for 30 s
    progress.bytes(60_000_000, 100_000_000)
    line = progress.line()
    assert "60% read" in line and "left" in line
    progress.bytes(100_000_000, 100_000_000)
    assert progress.line() == "all 100.0 MB read, 0 documents; writing the index…"


@pytest.mark.parametrize("first, second", [
    ("--count", "--format csv"), ("--count", "--timeline"), ("--count", "--explain"),
    ("--format jsonl", "--json"), ("--format csv", "--timeline"), ("--format csv", "--explain"),
])
def test_outputs_that_do_not_mix_are_a_usage_error_naming_both(dated_index_path: Path, first: str, second: str) -> None:
    result = run("search", "tham", "nhũng", *first.split(), *second.split(), "--index", str(dated_index_path))
    assert result.exit_code == 2
    assert f"{first.split()[0]} cannot be combined with {second.split()[0]}" in result.stderr


def test_count_with_json_prints_the_total_as_json(dated_index_path: Path) -> None:
    result = run("search", "tham nhũng", "--count", "--json", "--index", str(dated_index_path))
    total = json.loads(run("search", "tham nhũng", "--json", "--index", str(dated_index_path)).stdout)["total"]
    assert result.exit_code == 0 and json.loads(result.stdout) == {"total": total} and total > 0


@pytest.mark.parametrize("others", [["--json", "--timeline"], ["--json", "--explain"], ["--timeline", "--explain"]])
def test_the_listings_own_options_go_together(dated_index_path: Path, others: list[str]) -> None:
    assert run("search", "tham nhũng", *others, "--index", str(dated_index_path)).exit_code == 0


def test_a_bad_index_value_blames_the_environment_variable_only_when_it_came_from_it(tmp_path: Path) -> None:
    a_file = tmp_path / "file"
    a_file.write_text("not a folder", encoding="utf-8")
    typed = run("stats", "--index", str(a_file))
    assert typed.exit_code == 2
    assert "Invalid value for '--index': " in typed.stderr and "VNSEARCH_INDEX" not in typed.stderr
    from_env = CliRunner(env={"VNSEARCH_INDEX": str(a_file)}).invoke(main, ["stats"])
    assert from_env.exit_code == 2 and "Invalid value for '--index' (env var: 'VNSEARCH_INDEX'): " in from_env.stderr


def test_a_page_past_the_last_is_said_once_and_reversed_dates_are_a_usage_error(small_index_path: Path) -> None:
    past = run("search", "tham nhũng", "--page", "5", "--index", str(small_index_path))
    assert past.exit_code == 0
    assert (past.output + past.stderr).count("past the last page") == 1
    reversed_dates = run("search", "tham nhũng", "--from", "2025", "--to", "2024", "--index", str(small_index_path))
    assert reversed_dates.exit_code == 2 and "after the end date" in reversed_dates.stderr
