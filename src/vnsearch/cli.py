"""The command line: the commands themselves.

Only this module and its skins (cli_errors.py, cli_streams.py, cluster_cli.py, daemon_cli.py)
import click; library errors become one-line messages (cli_errors.py).
"""

from __future__ import annotations

import json
import shlex
import sys
import time
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

import click

from . import defaults
from .cli_errors import INDEX_ENVVAR, fail_cleanly
from .cli_streams import ReaderGone, emit, finish_output, stop_writing_stdout, tell
from .cluster_cli import cluster, engine_option
from .daemon_cli import daemon
from .documents import HTML_SUFFIXES, JSONL_SUFFIXES, MARKDOWN_SUFFIXES, TEXT_SUFFIXES
from .errors import VnsearchError
from .messages import render
from .terminal import count_of


class _EnvvarOption(click.Option):
    """An option that may come from an environment variable: an error blames the variable only
    when the value came from it. (click names the variable whenever `show_envvar` is on, even for
    `--index /etc/passwd` typed on the command line.)"""

    def get_error_hint(self, ctx: click.Context | None) -> str:
        from_envvar = ctx is not None and self.name is not None and \
            ctx.get_parameter_source(self.name) is click.core.ParameterSource.ENVIRONMENT
        return super().get_error_hint(ctx) if from_envvar else click.Parameter.get_error_hint(self, ctx)


index_option = click.option(
    "--index",
    "index_path",
    cls=_EnvvarOption,
    default=defaults.INDEX_PATH,
    envvar=INDEX_ENVVAR,
    show_default=True,
    show_envvar=True,
    type=click.Path(file_okay=False),
    help="Index folder.",
)


class _DateBound(click.ParamType):
    """A --from/--to value, checked by the library's own rule (the message names the wrong part)."""

    name = "date"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        from .errors import InvalidOptionError
        from .query import parse_bound

        try:
            parse_bound(str(value), upper=False)
        except InvalidOptionError as error:
            self.fail(error.message("en"), param, ctx)
        return str(value)  # the library rounds it (down for --from, up for --to)


DATE_BOUND = _DateBound()


class _NumberOption(click.ParamType):
    """--limit and --page, by the rule the API uses too, with the same message."""

    name = "integer"

    def __init__(self, option: str) -> None:
        self.option = option

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> int:
        from .errors import InvalidOptionError
        from .query import number_option

        try:
            return number_option(self.option, value)
        except InvalidOptionError as error:
            self.fail(error.message("en"), param, ctx)


def _shell_word(word: str) -> str:
    """The word as typed in a shell: quoted only where the shell needs it (not for "nhũng"; nor
    for spaces, since QUERY's words are joined with spaces anyway)."""
    return word if word and not any(c in "'\"\\$`!*?&|;<>()#~" for c in word) else shlex.quote(word)


class _QueryCommand(click.Command):
    """A command whose QUERY may start with "-": put it after "--", with options before or after.

    `vnsearch search -- -lãng phí tham nhũng --limit 5`: after "--", this command's long options
    (and their values) are still options, and the other words are the QUERY's.
    """

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if "--" in args:
            split = args.index("--")
            moved, words = self._options_and_words(ctx, args[split + 1:])
            args = args[:split] + moved + ["--", *words]
        given = list(args)  # click's parser consumes the list it is given
        try:
            return super().parse_args(ctx, args)
        except click.NoSuchOption as error:
            word = next((arg for arg in given if arg.startswith(error.option_name)), error.option_name)
            if word.startswith("--"):
                raise
            # "-tham": most likely a query word to exclude; the command line that says so
            _, words = self._options_and_words(ctx, given, strict=False)
            query = " ".join(map(_shell_word, words)) or word
            message = (f"No such option '{word}'. A query with a word that starts with '-' goes after '--': "
                       f"vnsearch {self.name} -- {query}")
            raise click.NoSuchOption(error.option_name, message=message, ctx=ctx) from None

    def _options_and_words(self, ctx: click.Context, args: list[str], *, strict: bool = True) -> tuple[list[str], list[str]]:
        """This command's long options with their values, and the other words, in order."""
        options = {name: param for param in self.get_params(ctx) if isinstance(param, click.Option)
                   for name in param.opts + param.secondary_opts if name.startswith("--")}
        moved: list[str] = []
        words: list[str] = []
        rest = iter(args)
        for arg in rest:
            name = arg.split("=", 1)[0]
            option = options.get(name)
            if option is None:
                if arg != "--":
                    words.append(arg)
                continue
            moved.append(arg)
            if "=" not in arg and not option.is_flag and not option.count:
                value = next(rest, None)
                if value is None:
                    if strict:
                        raise click.UsageError(f"Option '{name}' requires an argument.", ctx)
                    break
                moved.append(value)
        return moved, words


# How the reading commands open an index: afresh, closed at the end of the command, unless a
# resident searcher (resident/server.py) keeps its indexes open between commands.
_keeper: Callable[[str], AbstractContextManager[Any]] | None = None


def keep_indexes_open(keeper: Callable[[str], AbstractContextManager[Any]] | None) -> None:
    """From now on, `keeper(path)` gives the reading commands their index (None: open afresh)."""
    global _keeper
    _keeper = keeper


def _opened(index_path: str) -> AbstractContextManager[Any]:
    if _keeper is not None:
        return _keeper(index_path)
    from .index import Index

    return Index.open(index_path)


def _summary_line(summary: Any) -> str:
    """One file's (or the run's) line: "N records: A added, R replaced, U unchanged, S skipped, P repaired"."""
    if summary.not_modified:
        then = f", {count_of(summary.skipped, 'record')} skipped then" if summary.skipped else ""
        return f"{summary.source}: not modified since last indexed ({count_of(summary.indexed, 'document')}{then}); not read"
    counts = ", ".join(f"{getattr(summary, name):,} {name}" for name in ("added", "replaced", "unchanged", "skipped", "repaired"))
    return f"{summary.source}: {count_of(summary.records, 'record')}: {counts}"


def _emit_json(data: Any) -> None:
    emit(json.dumps(data, ensure_ascii=False, indent=2))


class _Commands(click.Group):
    """The vnsearch group: every command ends quietly, with status 0, when its stdout's reader
    goes away (`vnsearch stats | head -1`), as `head` expects of any command (cli_streams.py)."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            result = super().invoke(ctx)
            finish_output()
            return result
        except ReaderGone:
            stop_writing_stdout()
            ctx.exit(0)


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="vnsearch")
def main() -> None:
    """Full-text search for Vietnamese political and legal documents.

    \b
    Typical use:
      vnsearch index corpus/                 build or update indexes/default
      vnsearch search "phòng chống tham nhũng"
      vnsearch serve                         the search page on http://127.0.0.1:8000

    \b
    Exit status: 0 done, 1 an error (Error: ...), 2 a usage error,
                 3 'index' skipped some records.
    """


class _Progress:
    """Indexing progress on stderr: the share of the corpus read, documents, ETA.

    The share is bytes read of the files' total bytes (known from their sizes before reading);
    the ETA comes from the byte rate over the last WINDOW_S seconds. A rate averaged since the
    start, as shown before, kept falling for reasons unrelated to what is left: reading stops
    while the writer commits (every few thousand documents, longer as segments grow), the first
    documents wait for the worker processes to start, and unchanged documents fly by where
    changed ones are analysed. Once everything is read the line says the index is being written
    (the last commit), instead of a frozen counter.

    On a terminal the line is redrawn at most every half second; otherwise (a log file) a line
    is written every 15 s. Nothing at all with --quiet.
    """

    WINDOW_S = 20.0
    TTY_INTERVAL_S = 0.5
    LOG_INTERVAL_S = 15.0

    def __init__(self, enabled: bool, *, tty: bool | None = None, clock: Callable[[], float] = time.monotonic) -> None:
        self.enabled = enabled
        self.count = 0
        self.done = 0
        self.total = 0
        self._clock = clock
        self._tty = sys.stderr.isatty() if tty is None else tty
        self._drawn = clock()
        self._samples: list[tuple[float, int]] = [(self._drawn, 0)]
        self._width = 0

    def document(self, *_: object) -> None:
        self.count += 1
        self._maybe_draw()

    def bytes(self, done: int, total: int) -> None:
        self.done, self.total = done, total
        now = self._clock()
        self._samples.append((now, done))
        while len(self._samples) > 2 and now - self._samples[1][0] > self.WINDOW_S:
            self._samples.pop(0)
        self._maybe_draw()

    def line(self) -> str:
        documents = count_of(self.count, "document")
        total = _megabytes(self.total)
        if self.total and self.done >= self.total:
            return render("progress.writing", {"total": total, "documents": documents})
        percent = 100.0 * self.done / self.total if self.total else 0.0
        start, first = self._samples[0]
        now, last = self._samples[-1]
        rate = (last - first) / (now - start) if now - start >= 1.0 else 0.0
        eta = _duration((self.total - self.done) / rate) if rate > 0 else "…"
        return render("progress.reading", {"percent": percent, "done": _megabytes(self.done), "total": total,
                                           "documents": documents, "eta": eta})

    def _maybe_draw(self) -> None:
        now = self._clock()
        if self.enabled and now - self._drawn >= (self.TTY_INTERVAL_S if self._tty else self.LOG_INTERVAL_S):
            self._drawn = now
            text = "  " + self.line()
            if self._tty:
                tell(text.ljust(self._width) + "\r", nl=False)
                self._width = len(text)
            else:
                tell(text)

    def done_drawing(self) -> None:
        if self.enabled and self._tty and self._width:
            tell(" " * self._width + "\r", nl=False)


def _megabytes(size: int) -> str:
    return f"{size / 1e6:,.1f} MB"


def _duration(seconds: float) -> str:
    """"0:42", "12:05", "1:02:03"."""
    whole = int(seconds + 0.5)
    hours, rest = divmod(whole, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}" if hours else f"{rest // 60}:{rest % 60:02d}"


# What `index` reads, said from the readers' own lists (documents.py): the help cannot fall behind.
_INDEX_HELP = """Add or update documents from corpus files.

PATHS are files, or folders of them: JSON Lines ({jsonl}: one object a line with id,
title, text, date, committee, doc_type, number, url), or one document a file: plain text
({text}), Markdown ({markdown}) or HTML ({html}). Documents are added or replaced by id;
unchanged ones are skipped, so re-running on the same files is quick.

Bad input is reported as FILE:LINE: what was wrong and what was done, and the run goes on:
a record that cannot be used (not JSON, neither title nor text, a binary file) is skipped; one that can be
mended (text in the old TCVN3, VNI or Windows-1258 encodings, bytes that are not UTF-8, a bad
date, a missing or repeated id) is repaired and indexed. Each file's summary reads "N records: A added,
R replaced, U unchanged, S skipped, P repaired" (the repaired ones are among those indexed).

One run at a time per index: a second 'vnsearch index' on the same index refuses at once,
or with --wait starts when the first is done. A run that is killed leaves the index as it
was at its last commit; run it again to finish.

\b
Exit status: 0 when every record was indexed (some perhaps repaired),
             1 on an error (what was committed before it stays),
             2 on a usage error (nothing done),
             3 when this run skipped some records (each reported).

\b
Examples:
  vnsearch index corpus/
  vnsearch index news.jsonl.gz laws/ --index indexes/mine --wait
""".format(
    jsonl=", ".join(JSONL_SUFFIXES), text=", ".join(TEXT_SUFFIXES), markdown=", ".join(MARKDOWN_SUFFIXES),
    html=", ".join(HTML_SUFFIXES))


@main.command("index", help=_INDEX_HELP)
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@index_option
@engine_option
@click.option("--workers", type=click.IntRange(min=1), default=None, help="Segmentation processes [default: one per core].")
@click.option("--wait", is_flag=True,
              help="If another 'vnsearch index' is writing to the index, wait for it instead of refusing.")
@click.option("-q", "--quiet", is_flag=True, help="No progress, summary only.")
@fail_cleanly
def index_command(paths: tuple[str, ...], index_path: str, workers: int | None, wait: bool, quiet: bool) -> None:
    from .index import Index
    from .indexer import FileSummary, check_paths, index_paths
    from .locking import write_lock

    check_paths(paths)  # before the index folder is made: a typo leaves nothing behind
    progress = _Progress(enabled=not quiet)

    def report(problem: Any) -> None:
        tell(f"{problem}")

    def waiting(holder: str | None) -> None:
        by = f" ({holder})" if holder else ""
        tell(f"waiting for the other 'vnsearch index' on {index_path} to finish{by}…")

    started = time.monotonic()
    # Locked before the index is created: two first runs must not both create it.
    with write_lock(index_path, timeout=None if wait else 0, on_wait=waiting):
        with Index.create(index_path, exist_ok=True) as ix:
            summaries = index_paths(ix, paths, on_problem=report, on_document=progress.document,
                                    on_progress=progress.bytes, workers=workers)
            # Build now what the first search would otherwise build (the spelling table of
            # queries without diacritics, kept in the index's cache folder for every process).
            ix.warm()
            total = len(ix)
    progress.done_drawing()
    elapsed = time.monotonic() - started
    for summary in summaries:
        tell(_summary_line(summary))
    overall = FileSummary(count_of(len(summaries), "file"))
    for summary in summaries:
        for name in ("added", "replaced", "unchanged", "skipped", "repaired"):
            setattr(overall, name, getattr(overall, name) + getattr(summary, name))
    if len(summaries) > 1:
        tell(_summary_line(overall))
    tell(f"{index_path}: {count_of(total, 'document')} ({elapsed:.1f} s)")
    # Only what this run skipped, and so reported: a file not read again (not modified since)
    # reports nothing, and its earlier skips were that earlier run's exit status.
    if any(summary.skipped for summary in summaries if not summary.not_modified):
        sys.exit(3)


@main.command("stats")
@index_option
@engine_option
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@fail_cleanly
def stats_command(index_path: str, as_json: bool) -> None:
    """Document count, facets, most cited documents.

    The facets are committee (issuing body), doc_type and year; --json gives every value. The
    most cited documents are those of the index whose number the most other documents cite.

    \b
    Example:
      vnsearch stats --index indexes/mine
    """
    with _opened(index_path) as ix:
        stats = ix.stats()
        most_cited = ix.most_cited()
    if as_json:
        _emit_json({**stats.to_dict(), "most_cited": [item.to_dict() for item in most_cited]})
        return
    emit(f"{count_of(stats.documents, 'document')} in {index_path}")
    for name, counts in stats.facets.items():
        emit(f"\n{name} ({count_of(len(counts), 'value')})")
        for value, count in list(counts.items())[:20]:
            emit(f"  {count:>9,}  {value}")
        if len(counts) > 20:
            emit(f"  … and {len(counts) - 20:,} more (see --json)")
    if most_cited:
        from .terminal_citations import render_most_cited

        emit("\n" + render_most_cited(most_cited))


_QUERY_HELP = """QUERY is words, as typed, with or without diacritics; several words need no quotes
(they are joined with single spaces), only an exact phrase does:

\b
  phòng chống tham nhũng      ranked; short queries need every word
  "phòng chống tham nhũng"    exact phrase (punctuation between words ignored)
  -"lãng phí"  -word          exclude
  "Bộ Chính trị" OR "Ban Bí thư"
  21-NQ/TW                    a document number: that document first, then those citing it
  committee:"Bộ Chính trị"  type:"Nghị quyết"  number:21-NQ/TW
  cites:21-NQ/TW              the documents citing that number
  date:2012-01-01..2012-12-31  year:2024
  số: 21-NQ/TW                a space after a filter's colon is allowed

A query that starts with "-" goes after "--" (options may come before or after it):

\b
  vnsearch search -- -lãng phí tham nhũng --limit 5

With no QUERY but a filter, the documents within the filters are listed, newest first.

--count and --format print data instead of the listing: neither goes with the other, nor with
--timeline or --explain (a usage error, exit status 2); --count --json prints {"total": N}.

\b
Examples:
  vnsearch search "phòng chống tham nhũng" --from 2020 --to 2023-06
  vnsearch search 21-NQ/TW --committee "Bộ Chính trị" --json
  vnsearch search "tham nhũng" --sort date --limit 20 --page 2
  vnsearch search "tham nhũng" --timeline
  vnsearch search --committee "Bộ Chính trị"
  vnsearch search "tinh gọn bộ máy" --format csv --all
  vnsearch search "tham nhũng" --from 2024 --count
"""


def _refuse_reversed_dates(date_from: str | None, date_to: str | None) -> None:
    """--from after --to is a usage error (exit 2), as a wrong date is, before any index is opened."""
    from .errors import InvalidOptionError
    from .query import date_range

    try:
        date_range(date_from, date_to)
    except InvalidOptionError as error:
        raise click.UsageError(error.message("en")) from None


@main.command("search", cls=_QueryCommand, help="Search the index.\n\n" + _QUERY_HELP)
@click.argument("query_words", nargs=-1, metavar="[QUERY]...")
@index_option
@engine_option
@click.option("--limit", type=_NumberOption("limit"), default=defaults.PAGE_SIZE, show_default=True,
              help=f"Hits per page, 1 to {defaults.MAX_PAGE_SIZE}.")
@click.option("--page", type=_NumberOption("page"), default=1, show_default=True,
              help=f"Which page of hits, 1 to {defaults.MAX_PAGE}: page P shows hits (P-1)*limit+1 to P*limit.")
@click.option("--committee", help='Only this issuing body, e.g. "Bộ Chính trị".')
@click.option("--type", "doc_type", help='Only this document type, e.g. "Nghị quyết".')
@click.option("--from", "date_from", type=DATE_BOUND, metavar="DATE",
              help="Dated on or after: YYYY, YYYY-MM or YYYY-MM-DD (also DD/MM/YYYY).")
@click.option("--to", "date_to", type=DATE_BOUND, metavar="DATE", help="Dated on or before (a year or month counts whole).")
@click.option("--sort", type=click.Choice(["relevance", "date"]), default="relevance", show_default=True,
              help="relevance: best matches first; date: newest first.")
@click.option("--explain", is_flag=True,
              help="Also show how the query was understood (the plan) and the signals behind each hit's score "
                   "(with --json: as \"explain\").")
@click.option("--json", "as_json", is_flag=True,
              help="Print one JSON object (with the matches per period); with --count: {\"total\": N}.")
@click.option("--timeline", is_flag=True, help="Also chart the matches per year (per month within two years).")
@click.option("--format", "export_format", type=click.Choice(["csv", "jsonl"]),
              help="Print rows (id, title, date, committee, type, number, url, score, snippet) instead of the listing; "
                   "not with --json, --count, --timeline or --explain.")
@click.option("--all", "every_match", is_flag=True, help="With --format: every match, not one page (--limit and --page ignored).")
@click.option("--count", "count_only", is_flag=True,
              help="Print only the number of matching documents; not with --format, --timeline or --explain.")
@fail_cleanly
def search_command(query_words: tuple[str, ...], index_path: str, limit: int, page: int, committee: str | None,
                   doc_type: str | None, date_from: str | None, date_to: str | None, sort: str, explain: bool, as_json: bool,
                   timeline: bool, export_format: str | None, every_match: bool, count_only: bool) -> None:
    # `search tham nhũng` is the query "tham nhũng". No QUERY at all: filters alone browse (an
    # empty one, `search ""`, is the library's to refuse).
    query = " ".join(query_words)
    if not query_words and not any((committee, doc_type, date_from, date_to)):
        raise click.UsageError(render("cli.query_or_filter"))
    if every_match and not export_format:
        raise click.UsageError(render("cli.all_needs_format"))
    _refuse_mixed_outputs(count_only=count_only, export_format=export_format, as_json=as_json, timeline=timeline,
                          explain=explain)
    _refuse_reversed_dates(date_from, date_to)
    if export_format or count_only:
        from .cli_export import print_count, print_rows

        options = {"committee": committee, "doc_type": doc_type, "date_from": date_from, "date_to": date_to, "sort": sort}
        with _opened(index_path) as ix:
            if count_only:
                print_count(ix, query, options, as_json=as_json)
            else:
                print_rows(ix, query, options, export_format or "csv", limit=limit, page=page, every_match=every_match)
        return
    with _opened(index_path) as ix:
        result = ix.search(query, limit=limit, page=page, committee=committee, doc_type=doc_type,
                           date_from=date_from, date_to=date_to, sort=sort, explain=explain,
                           timeline=timeline or as_json)
    if as_json:
        _emit_json(result.to_dict())
        return
    from .terminal import render_result

    emit(render_result(result, color=sys.stdout.isatty()))
    if result.suggestion:  # for people, beside the data: stderr
        tell(f"Did you mean: {result.suggestion}")


# --count and --format print data instead of the listing: each refuses what only the listing
# (or the JSON object) shows, and the other. Refused rather than ignored, so that nobody reads
# a count believing it charted or explained. (--json goes with --count: {"total": N}.)
_MIXED_OUTPUTS = (("--count", "--format"), ("--count", "--timeline"), ("--count", "--explain"),
                  ("--format", "--json"), ("--format", "--timeline"), ("--format", "--explain"))


def _refuse_mixed_outputs(**given: object) -> None:
    names = {"--count": "count_only", "--format": "export_format", "--json": "as_json", "--timeline": "timeline",
             "--explain": "explain"}
    for first, second in _MIXED_OUTPUTS:
        if given[names[first]] and given[names[second]]:
            raise click.UsageError(render("cli.options_exclusive", {"first": first, "second": second}))


@main.command("show")
@click.argument("doc_id")
@index_option
@engine_option
@click.option("--citations", is_flag=True,
              help="Instead of the text: the documents it cites and those citing it (newest first).")
@click.option("--related", is_flag=True, help="Instead of the text: the documents closest to it by content and citations.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@fail_cleanly
def show_command(doc_id: str, index_path: str, citations: bool, related: bool, as_json: bool) -> None:
    """Print one document: metadata and full text.

    DOC_ID is the id `vnsearch search` shows. The text is as indexed (normalised). With
    --citations or --related, those follow the metadata instead of the text (--json: as
    "cites", "cited_by", "cited_by_total" and "related" beside the document's fields).

    \b
    Examples:
      vnsearch show nq-21 --json
      vnsearch show nq-21 --citations --related
    """
    with _opened(index_path) as ix:
        document = ix.get(doc_id)
        if document is None:
            raise VnsearchError("document.not_found", hint="hint.ids_from_search", id=doc_id)
        links = ix.citations(doc_id) if citations else None
        close = ix.related(doc_id) if related else None
    if as_json:
        data = document.to_dict()
        if links is not None:
            data.update(links.to_dict())
        if close is not None:
            data["related"] = [item.to_dict() for item in close]
        _emit_json(data)
        return
    from .documents import INFERRED, INFERRED_KEY

    for name in ("id", "title", "date", "committee", "doc_type", "number", "url"):
        value = getattr(document, name)
        if value:
            inferred = f" ({render('document.inferred')})" if document.source(name) == INFERRED else ""
            emit(f"{name:>10}: {value}{inferred}")
    if document.cited_numbers:
        emit(f"{'cites':>10}: {', '.join(document.cited_numbers)}")
    for key, value in document.extras.items():
        if key != INFERRED_KEY:
            emit(f"{key:>10}: {value}")
    if citations or related:
        from .terminal_citations import render_citations, render_related

        if links is not None:
            emit("\n" + render_citations(links))
        if close is not None:
            emit("\n" + render_related(close))
        return
    emit("")
    emit(document.text)


@main.command("delete")
@click.argument("doc_ids", nargs=-1, required=True, metavar="ID...")
@index_option
@engine_option
@fail_cleanly
def delete_command(doc_ids: tuple[str, ...], index_path: str) -> None:
    """Remove documents from the index by id.

    A later 'vnsearch index' of a file that still holds them adds them back. Exit status 1 when
    some ids were not in the index (the others are deleted).

    \b
    Example:
      vnsearch delete tin-1 tin-2
    """
    from .index import Index
    from .locking import write_lock

    Index.open(index_path).close()  # a missing index is an error, before the lock makes its folder
    with write_lock(index_path), Index.open(index_path) as ix:
        present = set(ix.fingerprints())  # live ids from columns: no stored document read per id
        missing = [doc_id for doc_id in doc_ids if doc_id not in present]
        deleted = ix.delete([doc_id for doc_id in doc_ids if doc_id not in missing])
    tell(f"{index_path}: {count_of(deleted, 'document')} deleted")
    if missing:
        tell(f"Error: {render('cli.not_in_index', {'ids': ', '.join(missing)})}")
        sys.exit(1)


@main.command("tokenize", short_help="How TEXT is normalised, split and folded.")
@click.argument("text")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def tokenize_command(text: str, as_json: bool) -> None:
    """Show how TEXT is normalised, split and folded: the debugging tool for Vietnamese.

    \b
    Example:
      vnsearch tokenize "Tỉnh uỷ chống tham nhũng theo 21-NQ/TW"
    """
    from .analysis import analyze_text
    from .text import find_numbers, fold, normalize, number_key, spelling_repairs

    normal = normalize(text)
    terms = analyze_text(normal)
    result = {
        "normalized": normal,
        "repairs": {written: canonical for written, canonical in spelling_repairs(text)},
        "syllables": list(terms.syllables),
        "words": list(terms.words),
        "folded_syllables": list(terms.folded),
        "folded_words": [fold(w) for w in terms.words],
        "pairs": list(terms.pairs),
        "numbers": {n: number_key(n) for n in find_numbers(normal)},
    }
    if as_json:
        _emit_json(result)
        return
    for key, value in result.items():
        shown = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
        emit(f"{key:>17}: {shown}")


@main.command("serve")
@index_option
@engine_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on (0.0.0.0: the whole network).")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535), help="Port to listen on.")
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1, 64),
              help="Server processes, each with the index open and warm (one per core is a good start).")
@fail_cleanly
def serve_command(index_path: str, host: str, port: int, workers: int) -> None:
    """The search page and its JSON API.

    Serves the index read-only until Ctrl+C, on waitress (a production WSGI server): the page
    at /, the API at /api/search and /api/doc/<id>. Each of the --workers processes opens the
    index once and warms it before it takes requests. On Windows, which cannot fork, one
    process serves whatever --workers says.

    \b
    Examples:
      vnsearch serve
      vnsearch serve --index indexes/mine --workers 2 --host 0.0.0.0 --port 8080
    """
    from .web import serve
    from .web.server import CAN_FORK

    if workers > 1 and not CAN_FORK:
        tell(render("serve.threads_only", {"workers": workers}))

    def announce(url: str) -> None:
        processes = count_of(workers if CAN_FORK else 1, "worker process", "worker processes")
        tell(render("serve.ready", {"path": index_path, "url": url, "workers": processes}))

    serve(index_path, host=host, port=port, workers=workers, on_ready=announce)


main.add_command(cluster)
main.add_command(daemon)

if __name__ == "__main__":  # pragma: no cover
    main()
