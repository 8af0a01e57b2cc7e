"""The terminal listing of `vnsearch search`: colour, NO_COLOR, and match markers without colour."""

from __future__ import annotations

import re
from pathlib import Path

import click.testing
import pytest
from click.testing import CliRunner

from support import FIXTURES
from vnsearch.cli import main
from vnsearch.results import Hit, SearchResult
from vnsearch.terminal import count_of, render_result

RESULT = SearchResult(
    query="tham nhũng",
    total=1,
    hits=(Hit(id="a", score=1.0, title="Luật [sửa đổi]", date=None, committee=None, doc_type=None, number=None, url=None,
              snippets=("Điều [5]: chống <mark>tham nhũng</mark> &amp; lãng phí",)),),
)


def test_without_colour_matches_are_in_guillemets_not_markdown_brackets() -> None:
    text = render_result(RESULT, color=False)
    assert "Điều [5]: chống «tham nhũng» & lãng phí" in text
    assert "\033" not in text


@pytest.mark.parametrize("value,coloured", [(None, True), ("", True), ("1", False), ("yes", False), ("0", False)])
def test_no_color_with_any_non_empty_value_turns_colour_off(monkeypatch: pytest.MonkeyPatch, value: str | None,
                                                           coloured: bool) -> None:
    if value is None:
        monkeypatch.delenv("NO_COLOR", raising=False)
    else:
        monkeypatch.setenv("NO_COLOR", value)
    text = render_result(RESULT, color=True)
    assert ("\033[" in text) is coloured
    assert ("«tham nhũng»" in text) is not coloured


def test_search_on_a_terminal_honours_no_color(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    index = str(tmp_path / "ix")
    CliRunner().invoke(main, ["index", str(FIXTURES / "small.jsonl"), "--index", index, "--workers", "1", "-q"])
    # CliRunner's stdout is no terminal: pretend it is one (color=True keeps click from stripping ANSI codes).
    monkeypatch.setattr(click.testing._NamedTextIOWrapper, "isatty", lambda self: True, raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)
    coloured = CliRunner().invoke(main, ["search", "tham nhũng", "--index", index], color=True)
    assert coloured.exit_code == 0 and "\033[" in coloured.stdout
    plain = CliRunner().invoke(main, ["search", "tham nhũng", "--index", index], env={"NO_COLOR": "1"}, color=True)
    assert plain.exit_code == 0 and "\033[" not in plain.stdout and "«tham nhũng»" in plain.stdout


@pytest.mark.parametrize("count,said", [(0, "0 documents"), (1, "1 document"), (2, "2 documents"), (1514, "1,514 documents"),
                                        (1_000_000, "1,000,000 documents")])
def test_counts_agree_and_group_thousands(count: int, said: str) -> None:
    assert count_of(count, "document") == said


def test_the_listing_groups_thousands_and_agrees() -> None:
    many = SearchResult(query="x", total=1514, hits=(), facets={"year": {"2020": 1200, "2021": 314}})
    text = render_result(many)
    assert text.startswith("1,514 documents match;") and "2020 (1,200), 2021 (314)" in text
    assert render_result(RESULT).startswith("1 document matches;")


def test_stats_and_index_lines_agree_with_their_counts(tmp_path: Path) -> None:
    corpus = tmp_path / "one.jsonl"
    corpus.write_text('{"id": "1", "text": "một", "committee": "Quốc hội"}\n', encoding="utf-8")
    index = str(tmp_path / "ix")
    first = CliRunner().invoke(main, ["index", str(corpus), "--index", index, "--workers", "1", "-q"])
    assert f"{corpus}: 1 record: 1 added, 0 replaced" in first.stderr and f"{index}: 1 document (" in first.stderr
    again = CliRunner().invoke(main, ["index", str(corpus), "--index", index, "--workers", "1", "-q"])
    assert "not modified since last indexed (1 document); not read" in again.stderr
    stats = CliRunner().invoke(main, ["stats", "--index", index]).stdout
    assert stats.startswith(f"1 document in {index}") and "committee (1 value)" in stats and "year (0 values)" in stats
    deleted = CliRunner().invoke(main, ["delete", "1", "--index", index])
    assert f"{index}: 1 document deleted" in deleted.stderr


def _result(total: int, hits: int = 0, **kwargs: object) -> SearchResult:
    hit = RESULT.hits[0]
    return SearchResult(query="tham nhũng", total=total, hits=(hit,) * hits, **kwargs)  # type: ignore[arg-type]


def test_no_match_says_so_plainly_and_keeps_the_notices() -> None:
    from vnsearch.messages import Notice

    notice = Notice("filter.no_values", {"name": "committee", "value": "x"})
    text = render_result(_result(0, notices=(notice,)))
    assert text.splitlines()[0] == "No documents match."
    assert text.splitlines()[1:] == [f"note: {notice.text('en')}"]


def test_a_page_past_the_last_says_which_is_the_last() -> None:
    text = render_result(_result(178, page=50, limit=10))
    assert text.splitlines()[0] == "178 documents match."  # which page is last: the library's notice (test_cli)


def test_a_timeline_of_undated_matches_only_says_why_there_are_no_bars() -> None:
    from vnsearch.timeline import YEAR, Timeline

    text = render_result(_result(22, 1, timeline=Timeline(YEAR, (), undated=22)))
    assert "22 matches have no date" in text.splitlines()[1]


def test_explain_prints_its_signals_in_columns(small_index_path: Path) -> None:
    # Typed without diacritics: "folded title syllable" beside "pair", the longest kind beside a short one
    output = CliRunner().invoke(main, ["search", "tham nhung", "--explain", "--limit", "2",
                                       "--index", str(small_index_path)]).stdout
    plan = output.split("rank: the sum of\n", 1)[1].split("\n\n", 1)[0].splitlines()
    hits = [line for line in output.splitlines() if re.match(r"^\s+\d+\.\d{4}  ", line)]
    assert len(plan) > 3 and len(hits) > 3 and any("folded title syllable" in line for line in plan + hits)
    for lines in (plan, hits):
        assert len({line.index(" x ") for line in lines}) == 1, "\n".join(lines)
