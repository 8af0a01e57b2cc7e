"""The Document model and the readers that turn corpus files into documents.

Readers never raise on bad input: each record comes back as a `Record` holding either a
`Document` or the problem that made it unusable, with the file and line to report.
"""

from __future__ import annotations

import gzip
import html.parser
import io
import json
import os
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import metadata
from .errors import DocumentError
from .text import collapse_spaces, find_numbers, normalize

KNOWN_FIELDS = ("id", "title", "text", "date", "committee", "doc_type", "number", "url")
JSONL_SUFFIXES = (".jsonl", ".jsonl.gz", ".ndjson")
TEXT_SUFFIXES = (".txt", ".text")
MARKDOWN_SUFFIXES = (".md", ".markdown")
HTML_SUFFIXES = (".html", ".htm")
ACCEPTED_SUFFIXES = JSONL_SUFFIXES + TEXT_SUFFIXES + MARKDOWN_SUFFIXES + HTML_SUFFIXES


@dataclass(frozen=True)
class Document:
    """One searchable document, every string already normalised."""

    id: str
    title: str
    text: str
    date: str | None = None  # ISO "YYYY-MM-DD"
    committee: str | None = None
    doc_type: str | None = None
    number: str | None = None
    url: str | None = None
    cited_numbers: tuple[str, ...] = ()
    extras: Mapping[str, Any] = field(default_factory=dict)

    @property
    def year(self) -> str | None:
        return self.date[:4] if self.date else None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "date": self.date,
            "committee": self.committee,
            "doc_type": self.doc_type,
            "number": self.number,
            "url": self.url,
            "cited_numbers": list(self.cited_numbers),
            "extras": dict(self.extras),
            "text": self.text,
        }


@dataclass(frozen=True)
class Problem:
    """Something wrong with one record, and what was done about it."""

    source: str
    line: int | None
    message: str
    skipped: bool  # False: the record was repaired and indexed

    def __str__(self) -> str:
        where = f"{self.source}:{self.line}" if self.line is not None else self.source
        return f"{where}: {self.message}"


@dataclass(frozen=True)
class Record:
    source: str
    line: int | None
    document: Document | None
    problems: tuple[Problem, ...] = ()


def _optional_str(value: Any) -> str | None:
    if value is None:
        return None
    text = collapse_spaces(normalize(str(value)))
    return text or None


def make_document(raw: Mapping[str, Any], *, default_id: str, from_web_page: bool = False) -> tuple[Document, list[str]]:
    """Build a normalised Document from raw fields, filling missing metadata from the text.

    Returns the document and notes on what was repaired. Raises DocumentError when the record
    holds no text at all.
    """
    repairs: list[str] = []
    raw_text = raw.get("text")
    raw_title = raw.get("title")
    if raw_text is not None and not isinstance(raw_text, str):
        raise DocumentError(f'"text" must be a string, not {type(raw_text).__name__}')
    text = normalize(raw_text or "")
    title = collapse_spaces(normalize(str(raw_title))) if raw_title else ""
    if not text.strip() and not title:
        raise DocumentError("no text and no title")

    doc_id = raw.get("id")
    if doc_id is None or str(doc_id).strip() == "":
        doc_id = default_id
        repairs.append(f"no id: using {doc_id!r}")
    doc_id = normalize(str(doc_id)).strip()

    date = None
    if raw.get("date"):
        date = metadata.parse_date(normalize(str(raw["date"])))
        if date is None:
            repairs.append(f"date {raw['date']!r} is not a date: looked for one in the text")
    if date is None:
        date = metadata.find_date(text)

    head = text  # metadata is read before page furniture (datelines among it) is removed
    if from_web_page:
        text = metadata.strip_furniture(text)
    if not title:
        title = metadata.first_line(text)

    number = _optional_str(raw.get("number")) or metadata.find_own_number(text)
    committee = _optional_str(raw.get("committee")) or metadata.find_committee(title, text)
    given_type = _optional_str(raw.get("doc_type"))
    doc_type = metadata.canonical_doc_type(given_type) if given_type else metadata.find_doc_type(title, head, number)
    extras = {k: v for k, v in raw.items() if k not in KNOWN_FIELDS}
    cited = extras.pop("cited_numbers", None)
    numbers = list(cited) if isinstance(cited, list) else []
    numbers += find_numbers(title) + find_numbers(text)
    cited_numbers = tuple(dict.fromkeys(normalize(str(n)) for n in numbers if n))
    document = Document(
        id=doc_id,
        title=title,
        text=text,
        date=date,
        committee=committee,
        doc_type=doc_type,
        number=number,
        url=_optional_str(raw.get("url")),
        cited_numbers=cited_numbers,
        extras=extras,
    )
    return document, repairs


# -- readers --------------------------------------------------------------------------------


def iter_paths(paths: Iterable[str | os.PathLike[str]]) -> Iterator[tuple[Path, str]]:
    """Files to read, each with the id prefix its documents get; folders are walked in order."""
    for given in paths:
        path = Path(given)
        if path.is_dir():
            for file in sorted(p for p in path.rglob("*") if p.is_file()):
                if file.name.startswith(".") or file.name == "README.md":
                    continue  # hidden files and the folder's own documentation
                yield file, file.relative_to(path).as_posix()
        else:
            yield path, path.name


def read_path(path: Path, id_base: str) -> Iterator[Record]:
    """Records of one file, whatever its format."""
    name = path.name.lower()
    source = str(path)
    if not path.exists():
        yield Record(source, None, None, (Problem(source, None, "no such file", True),))
    elif name.endswith(JSONL_SUFFIXES):
        yield from read_jsonl(path)
    elif name.endswith(ACCEPTED_SUFFIXES):
        yield read_single_file(path, id_base)
    else:
        message = f"not a corpus file (accepted: {', '.join(ACCEPTED_SUFFIXES)})"
        yield Record(source, None, None, (Problem(source, None, message, True),))


def _open_text(path: Path) -> io.TextIOBase:
    raw = gzip.open(path, "rb") if path.name.lower().endswith(".gz") else open(path, "rb")
    # Bytes that are not UTF-8 are replaced rather than fatal; the record notes it.
    return io.TextIOWrapper(raw, encoding="utf-8", errors="replace", newline="")  # type: ignore[arg-type]


def read_jsonl(path: Path) -> Iterator[Record]:
    source = str(path)
    try:
        handle = _open_text(path)
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            yield _jsonl_record(source, number, line, default_id=f"{path.name}:{number}")
    except (OSError, EOFError) as error:  # truncated gzip, unreadable file
        yield Record(source, None, None, (Problem(source, None, f"cannot read further: {error}", True),))


def _jsonl_record(source: str, number: int, line: str, *, default_id: str) -> Record:
    def skipped(message: str) -> Record:
        return Record(source, number, None, (Problem(source, number, message + "; skipped", True),))

    try:
        raw = json.loads(line)
    except json.JSONDecodeError as error:
        return skipped(f"not valid JSON ({error.msg} at column {error.colno})")
    if not isinstance(raw, dict):
        return skipped(f"not a JSON object but {type(raw).__name__}")
    try:
        document, repairs = make_document(raw, default_id=default_id)
    except DocumentError as error:
        return skipped(str(error))
    if "\ufffd" in line:
        repairs.append("bytes that are not UTF-8 were replaced by U+FFFD")
    problems = tuple(Problem(source, number, note, False) for note in repairs)
    return Record(source, number, document, problems)


def read_single_file(path: Path, doc_id: str) -> Record:
    """A .txt, .md or .html file is one document."""
    source = str(path)
    try:
        data = path.read_bytes()
    except OSError as error:
        return Record(source, None, None, (Problem(source, None, f"cannot read: {error.strerror}; skipped", True),))
    if b"\x00" in data[:4096]:
        return Record(source, None, None, (Problem(source, None, "binary file; skipped", True),))
    content = data.decode("utf-8", errors="replace")
    repairs = ["bytes that are not UTF-8 were replaced by U+FFFD"] if "\ufffd" in content else []
    name = path.name.lower()
    title = None
    if name.endswith(HTML_SUFFIXES):
        title, content = html_to_text(content)
    elif name.endswith(MARKDOWN_SUFFIXES):
        title, content = _markdown_title(content)
    else:
        title, content = _text_title(content)
    try:
        document, notes = make_document(
            {"id": doc_id, "title": title, "text": content}, default_id=doc_id, from_web_page=True
        )
    except DocumentError as error:
        return Record(source, None, None, (Problem(source, None, f"{error}; skipped", True),))
    problems = tuple(Problem(source, None, note, False) for note in repairs + notes)
    return Record(source, None, document, problems)


def _text_title(content: str) -> tuple[str | None, str]:
    """The first non-empty line is the title; the rest is the text."""
    lines = normalize(content).split("\n")
    for i, line in enumerate(lines):
        if line.strip():
            return line.strip(), "\n".join(lines[i + 1 :])
    return None, ""


def _markdown_title(content: str) -> tuple[str | None, str]:
    title, rest = _text_title(content)
    if title is not None:
        title = title.lstrip("#").strip()
    return title, rest


class _HTMLText(html.parser.HTMLParser):
    _SKIP = {"script", "style", "noscript", "template", "head"}
    _BLOCK = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article", "table"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.title: list[str] = []
        self.h1: list[str] = []
        self._stack: list[str] = []

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        self._stack.append(tag)
        if tag in self._BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        while self._stack:
            if self._stack.pop() == tag:
                break
        if tag in self._BLOCK:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if "title" in self._stack:
            self.title.append(data)
        elif any(tag in self._SKIP for tag in self._stack):
            return
        else:
            if "h1" in self._stack:
                self.h1.append(data)
            self.parts.append(data)


def html_to_text(content: str) -> tuple[str | None, str]:
    parser = _HTMLText()
    parser.feed(content)
    parser.close()
    title = collapse_spaces("".join(parser.h1) or "".join(parser.title)) or None
    return title, "".join(parser.parts)
