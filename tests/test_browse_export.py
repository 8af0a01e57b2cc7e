"""Browsing without words, the timeline and taking results away: library and command line.

Expectations are computed from `support.dated_documents()` itself, never from the index."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from support import dated_documents
from vnsearch import Index, QueryError
from vnsearch.cli import main

DOCUMENTS: list[Any] = dated_documents()
THAM_NHUNG = [d for d in DOCUMENTS if "tham nhũng" in (d.title + " " + d.text).lower()]


def newest_first(documents: list[Any]) -> list[str]:
    """Ids by date, newest first, undated last, ties by id (the order of sort="date")."""
    dated = sorted((d for d in documents if d.date), key=lambda d: d.id)
    dated.sort(key=lambda d: d.date, reverse=True)
    return [d.id for d in dated] + sorted(d.id for d in documents if not d.date)


def run(index: Path, *args: str) -> Any:
    return CliRunner().invoke(main, ["search", *args, "--index", str(index)])


# -- the library ------------------------------------------------------------------------------


def test_filters_without_words_list_their_documents_newest_first_with_facets(dated_index_path: Path) -> None:
    expected = [d for d in DOCUMENTS if d.committee == "Quốc hội"]
    with Index.open(dated_index_path) as ix:
        for result in (ix.search("", committee="Quốc hội", limit=20), ix.search('committee:"Quốc hội"', limit=20)):
            assert result.total == len(expected) and result.sort == "date"
            assert [hit.id for hit in result.hits] == newest_first(expected)
            assert result.facets["doc_type"] == dict(Counter(d.doc_type for d in expected))


def test_browse_lists_the_whole_index_and_blank_text_alone_is_still_an_error(dated_index_path: Path) -> None:
    with Index.open(dated_index_path) as ix:
        result = ix.browse(limit=5, page=2)
        assert result.total == len(DOCUMENTS)
        assert [hit.id for hit in result.hits] == newest_first(DOCUMENTS)[5:10]
        assert result.facets["committee"] == dict(Counter(d.committee for d in DOCUMENTS if d.committee))
        with pytest.raises(QueryError, match="no words"):
            ix.search("  ")


def test_the_timeline_counts_the_matches_per_year_with_the_undated_apart(dated_index_path: Path) -> None:
    with Index.open(dated_index_path) as ix:
        result = ix.search("tham nhũng", timeline=True)
        assert ix.search("tham nhũng").timeline is None  # only when asked for
    assert result.total == len(THAM_NHUNG)
    timeline = result.timeline
    assert timeline is not None and timeline.unit == "year"
    years = Counter(d.date[:4] for d in THAM_NHUNG if d.date)
    assert {p.key: p.count for p in timeline.periods} == {str(y): years.get(str(y), 0) for y in range(2015, 2025)}
    assert timeline.undated == sum(1 for d in THAM_NHUNG if not d.date)
    assert result.to_dict()["timeline"]["periods"][0] == {"period": "2015", "count": 2, "from": "2015-01-01",
                                                          "to": "2015-12-31"}


def test_matches_within_two_years_are_counted_per_month(dated_index_path: Path) -> None:
    with Index.open(dated_index_path) as ix:
        timeline = ix.search("tham nhũng", committee="Quốc hội", timeline=True).timeline
    assert timeline is not None and timeline.unit == "month"
    months = Counter(d.date[:7] for d in THAM_NHUNG if d.committee == "Quốc hội")
    assert {p.key: p.count for p in timeline.periods} == {f"2023-{m:02d}": months.get(f"2023-{m:02d}", 0) for m in range(1, 12)}


def test_a_period_s_bounds_filter_to_exactly_its_count(dated_index_path: Path) -> None:
    with Index.open(dated_index_path) as ix:
        for period in ix.search("tham nhũng", timeline=True).timeline.periods:  # type: ignore[union-attr]
            narrowed = ix.search("tham nhũng", date_from=period.date_from, date_to=period.date_to)
            assert narrowed.total == period.count, period


# -- the command line -------------------------------------------------------------------------


def test_search_with_a_filter_and_no_query_lists_newest_first(dated_index_path: Path) -> None:
    done = run(dated_index_path, "--committee", "Bộ Chính trị", "--json")
    assert done.exit_code == 0, done.output
    data = json.loads(done.output)
    expected = [d for d in DOCUMENTS if d.committee == "Bộ Chính trị"]
    assert data["total"] == len(expected) and [h["id"] for h in data["hits"]] == newest_first(expected)[:10]
    assert sum(p["count"] for p in data["timeline"]["periods"]) == len(expected)


def test_search_with_neither_query_nor_filter_is_a_usage_error(dated_index_path: Path) -> None:
    done = run(dated_index_path)
    assert done.exit_code == 2 and "give words to look for, or a filter" in done.output


def test_timeline_prints_a_bar_per_period_longest_for_the_most(dated_index_path: Path) -> None:
    done = run(dated_index_path, "tham nhũng", "--timeline")
    assert done.exit_code == 0, done.output
    lines = done.output.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("matches per year"))
    assert lines[start] == "matches per year (2 undated matches not shown):"
    bars = {line.split()[0]: line for line in lines[start + 1:start + 11]}
    assert list(bars) == [str(y) for y in range(2015, 2025)]
    years = Counter(d.date[:4] for d in THAM_NHUNG if d.date)
    for year, line in bars.items():
        assert line.rstrip().endswith(f" {years.get(year, 0)}"), line
    peak = max(years, key=lambda year: years[year])
    assert "█" * 40 in bars[peak] and "█" * 40 not in bars[min(years)]  # the most, at full width
    assert bars["2017"].split()[1:] == ["0"]  # an empty year: no bar
    assert "█" not in run(dated_index_path, "tham nhũng").output  # only when asked for


def test_count_prints_only_the_total(dated_index_path: Path) -> None:
    done = run(dated_index_path, "tham nhũng", "--from", "2018", "--to", "2021", "--count")
    assert done.exit_code == 0 and done.output == f"{sum(1 for d in THAM_NHUNG if '2018' <= (d.date or '')[:4] <= '2021')}\n"


def test_count_and_rows_keep_stdout_data_and_say_on_stderr_why_nothing_matched(dated_index_path: Path) -> None:
    for args in (["--count"], ["--format", "csv"], ["--format", "jsonl", "--all"]):
        done = CliRunner().invoke(main, ["search", "tham nhũng", "--committee", "Không có cơ quan này",
                                         "--index", str(dated_index_path), *args])
        assert done.exit_code == 0, done.output
        assert "note: no document has committee" in done.stderr  # the why, as in the listing
        assert "note:" not in done.stdout


def _csv_rows(output: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(output)))


def test_all_streams_every_match_page_after_page_as_csv_and_jsonl(dated_index_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("vnsearch.export.PAGE_SIZE", 4)  # so that the matches take several pages
    done = run(dated_index_path, "tham nhũng", "--format", "csv", "--all", "--sort", "date")
    assert done.exit_code == 0, done.output
    rows = _csv_rows(done.output)
    assert [row["id"] for row in rows] == newest_first(THAM_NHUNG)
    assert list(rows[0]) == ["id", "title", "date", "committee", "type", "number", "url", "score", "snippet"]
    by_id = {d.id: d for d in DOCUMENTS}
    for row in rows:
        document = by_id[row["id"]]
        assert (row["date"], row["committee"], row["type"]) == (document.date or "", document.committee or "",
                                                                document.doc_type or "")
        assert "tham nhũng" in row["snippet"].lower() and "<mark" not in row["snippet"]
    assert next(row for row in rows if row["id"] == "formula")["title"].startswith("'=HYPERLINK")  # not a formula
    lines = run(dated_index_path, "tham nhũng", "--format", "jsonl", "--all", "--sort", "date").output.splitlines()
    records = [json.loads(line) for line in lines]
    assert [r["id"] for r in records] == [row["id"] for row in rows]
    assert next(r for r in records if r["id"] == "formula")["title"].startswith("=HYPERLINK")  # JSON: as it is


def test_format_without_all_writes_the_page_asked_for(dated_index_path: Path) -> None:
    done = run(dated_index_path, "tham nhũng", "--format", "jsonl", "--limit", "3", "--page", "2", "--sort", "date")
    assert [json.loads(line)["id"] for line in done.output.splitlines()] == newest_first(THAM_NHUNG)[3:6]


def test_all_without_a_format_is_a_usage_error(dated_index_path: Path) -> None:
    done = run(dated_index_path, "tham nhũng", "--all")
    assert done.exit_code == 2 and "--format csv" in done.output


def test_a_reader_that_goes_away_stops_the_export_quietly(dated_index_path: Path) -> None:
    process = subprocess.Popen([sys.executable, "-m", "vnsearch", "search", "tham nhũng", "--format", "csv", "--all",
                                "--index", str(dated_index_path)], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()  # as `| head` does once it has read enough: every write now fails
    errors = process.stderr.read().decode()
    assert process.wait(timeout=120) == 0, errors
    assert errors == ""


def test_browse_takes_the_filters_and_a_misspelled_one_is_a_type_error(dated_index_path: Path) -> None:
    expected = [d for d in DOCUMENTS if d.committee == "Quốc hội" and (d.date or "") >= "2023"]
    with Index.open(dated_index_path) as ix:
        result = ix.browse(committee="Quốc hội", date_from="2023", limit=20, timeline=True)
        assert [hit.id for hit in result.hits] == newest_first(expected)
        assert result.timeline is not None and result.timeline.unit == "month"
        with pytest.raises(TypeError, match="comittee"):
            ix.browse(comittee="Quốc hội")


class _PlanEngineWithoutDates:
    """A cluster engine's answers (engine/base.PlanEngine), for what plan_search makes of them."""

    def run(self, plan: Any, filters: Any, *, sort: str, offset: int, limit: int) -> Any:
        from vnsearch.engine import RunResult

        return RunResult(total=3, near_total=0, hits=(), facets={"year": {"2020": 3}})

    def stats(self) -> tuple[int, dict[str, dict[str, int]]]:
        return 3, {}

    def restorer(self) -> dict[str, str]:
        return {}


def test_a_cluster_says_it_counts_no_timeline_and_browses_newest_first() -> None:
    from vnsearch.engine.plan_search import search

    result = search(_PlanEngineWithoutDates(), "", committee="Quốc hội", timeline=True)  # type: ignore[arg-type]
    assert result.timeline is None and result.sort == "date"
    assert [notice.code for notice in result.notices] == ["cluster.no_timeline"]
    assert "does not count matches per year" in result.notices[0].text("en")
    assert search(_PlanEngineWithoutDates(), "tham nhũng").notices == ()  # type: ignore[arg-type]
