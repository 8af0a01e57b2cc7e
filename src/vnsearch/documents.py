"""The Document model and the readers that turn corpus files into documents.

Readers never raise on bad input: each record comes back as a `Record` holding either a
`Document` or the problem that made it unusable, with the file and line to report.
"""

from __future__ import annotations

import codecs
import dataclasses
import datetime as dt
import gzip
import html.parser
import io
import json
import os
import re
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from .errors import DocumentError
from .text import collapse_spaces, find_numbers, normalize

if TYPE_CHECKING:  # the readers' helpers load with the first document read, not with `import vnsearch`
    from . import legacy

KNOWN_FIELDS = ("id", "title", "text", "date", "committee", "doc_type", "number", "url")
JSONL_SUFFIXES = (".jsonl", ".jsonl.gz", ".ndjson")
TEXT_SUFFIXES = (".txt", ".text")
MARKDOWN_SUFFIXES = (".md", ".markdown")
HTML_SUFFIXES = (".html", ".htm")
ACCEPTED_SUFFIXES = JSONL_SUFFIXES + TEXT_SUFFIXES + MARKDOWN_SUFFIXES + HTML_SUFFIXES
# Fields whose text may be in a legacy Vietnamese encoding (ids and urls are left as given).
LEGACY_FIELDS = ("title", "text", "date", "committee", "doc_type", "number")
# Extras nested deeper than this are dropped: storing and fingerprinting them recurses.
MAX_EXTRA_DEPTH = 32
SNIFF_BYTES = 4096  # how much of a file is read to tell text from binary
# Metadata a document may carry, and where each value came from: the record (or the caller) gave
# it, or it was inferred from the text. The inferred ones are listed in the extras under
# INFERRED_KEY (stored with the document as any extra is; Document's fields stay as they were).
METADATA_FIELDS = ("date", "committee", "doc_type", "number")
INFERRED_KEY = "_inferred"
RECORD, INFERRED = "record", "inferred"


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

    def __post_init__(self) -> None:
        # A date is a day, ISO-written: one given in another form the readers accept ("29/12/2012",
        # "ngày 29 tháng 12 năm 2012") is rewritten so; one that is no day is refused, as a
        # wrong date would sort, filter and facet wrongly ever after.
        if self.date is not None:
            object.__setattr__(self, "date", checked_date(self.date))

    @property
    def year(self) -> str | None:
        return self.date[:4] if self.date else None

    def source(self, name: str) -> str | None:
        """Where a metadata field's value came from: "record", "inferred" (from the text), or
        None when the field is empty."""
        if getattr(self, name) is None:
            return None
        inferred = self.extras.get(INFERRED_KEY)
        return INFERRED if isinstance(inferred, list | tuple) and name in inferred else RECORD

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": self.id,
            "title": self.title,
            "date": self.date,
            "committee": self.committee,
            "doc_type": self.doc_type,
            "number": self.number,
            "url": self.url,
        }
        data.update({f"{name}_source": self.source(name) for name in METADATA_FIELDS})
        data.update({
            "cited_numbers": list(self.cited_numbers),
            "extras": {key: value for key, value in self.extras.items() if key != INFERRED_KEY},
            "text": self.text,
        })
        return data


def checked_date(value: Any) -> str | None:
    """`value` as "YYYY-MM-DD" (None for an empty string), read as the readers read a record's
    date; raises DocumentError naming what is wrong when it is not a day."""
    from . import metadata
    if not isinstance(value, str):
        raise DocumentError("document.date_not_text", kind=_kind(value))
    if not value.strip():
        return None
    if _ISO_DAY_RE.fullmatch(value):
        try:  # the common case, quickly: stored and reader-made dates
            return dt.date.fromisoformat(value).isoformat()
        except ValueError:
            pass
    parsed = metadata.parse_date(normalize(value))
    if parsed is not None:
        return parsed
    from .errors import InvalidOptionError
    from .query import parse_bound  # the rule that names the wrong part ("13 is not a month")

    try:
        parse_bound(value, upper=False)
    except InvalidOptionError as error:
        if error.code != "date.invalid":  # "'2024-13-01' is not a date: 13 is not a month (1-12)"
            raise DocumentError(error.code, **error.params) from None
    raise DocumentError("document.bad_date", value=value)


_ISO_DAY_RE = re.compile(r"\d{4}-\d{2}-\d{2}")


def normalized(document: Document) -> Document:
    """The document with every string normalised (a no-op for documents the readers made)."""
    from . import metadata
    changes: dict[str, Any] = {}
    for name in ("id", "title", "text", "date", "committee", "doc_type", "number", "url"):
        value = getattr(document, name)
        if isinstance(value, str):
            clean = normalize(value) if name == "text" else collapse_spaces(normalize(value))
            if clean != value:
                changes[name] = clean
    committee = changes.get("committee", document.committee)
    if committee:  # one name per body ("UBND TP. Hà Nội" -> "UBND thành phố Hà Nội")
        canonical = metadata.canonical_committee(committee)
        if canonical != document.committee:
            changes["committee"] = canonical
    numbers = tuple(normalize(n) for n in document.cited_numbers)
    if numbers != document.cited_numbers:
        changes["cited_numbers"] = numbers
    return dataclasses.replace(document, **changes) if changes else document


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


_CONTROLS = str.maketrans(
    {
        **{c: None for c in range(0x20) if chr(c) not in "\n\t\r\x0b\x0c"},
        **{c: None for c in range(0x7F, 0xA0) if c != 0x85},
        0x0B: "\n", 0x0C: "\n", 0x85: "\n",  # vertical tab, form feed (PDF page breaks), NEL
    }
)


# The characters _CONTROLS changes. Few texts hold one, and str.translate costs as much on a
# text it leaves alone (0.9 s for news-politics' 15.8 M characters): look first.
_CONTROL_RE = re.compile("[" + "".join(map(chr, sorted(_CONTROLS))) + "]")


def _drop_controls(text: str) -> str:
    """Control characters carry no text and upset terminals and HTML; line breaks are kept."""
    return text.translate(_CONTROLS) if _CONTROL_RE.search(text) else text


def _kind(value: Any) -> str:
    """The JSON name of a value's type, for messages."""
    kinds = {dict: "an object", list: "a list", bool: "a boolean", str: "a string", int: "a number", float: "a number"}
    return "null" if value is None else kinds.get(type(value), type(value).__name__)


def _field_text(raw: Mapping[str, Any], name: str, repairs: list[str]) -> str | None:
    """A metadata field as text: numbers are written out, lists and objects ignored with a note."""
    value = raw.get(name)
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    repairs.append(f'"{name}" is {_kind(value)}, not text: ignored')
    return None


def make_document(raw: Mapping[str, Any], *, default_id: str, from_web_page: bool = False,
                  markup: bool = True) -> tuple[Document, list[str]]:
    """Build a normalised Document from raw fields, filling missing metadata from the text.

    A text in Markdown (said by `"format": "markdown"`, or recognised: links, images, table rows)
    or in HTML (`"format": "html"`) becomes plain text first; `markup=False` says the text is
    plain already. Returns the document and notes on what was repaired. Raises DocumentError
    when the record holds no text at all.
    """
    from . import metadata
    repairs: list[str] = []
    raw_text = raw.get("text")
    if isinstance(raw_text, list) and all(isinstance(part, str) for part in raw_text):
        raw_text = "\n\n".join(raw_text)
        repairs.append('"text" is a list of strings: joined as paragraphs')
    if raw_text is not None and not isinstance(raw_text, str):
        raise DocumentError("document.text_not_string", kind=_kind(raw_text))
    links: list[str] = []
    given_format = raw.get("format")
    text_format = TEXT_FORMATS.get(given_format.strip().lower()) if isinstance(given_format, str) else None
    if markup and raw_text:
        if text_format is None and looks_like_markdown(raw_text):
            text_format = "markdown"
        if text_format in ("markdown", "html"):
            plain = markdown_to_plain(raw_text) if text_format == "markdown" else html_to_plain(raw_text)
            raw_text, links = plain.text, plain.links
    raw_title = _field_text(raw, "title", repairs)
    text = _drop_controls(normalize(raw_text or ""))
    title = collapse_spaces(_drop_controls(normalize(raw_title))) if raw_title else ""
    if not text.strip() and not title:
        raise DocumentError("document.empty")

    doc_id = raw.get("id")
    if isinstance(doc_id, dict | list | bool):
        repairs.append(f'"id" is {_kind(doc_id)}, not text: using {default_id!r}')
        doc_id = default_id
    elif doc_id is None or str(doc_id).strip() == "":
        doc_id = default_id
        repairs.append(f"no id: using {doc_id!r}")
    doc_id = normalize(str(doc_id)).strip()

    inferred: list[str] = []  # metadata fields read from the text, not given by the record

    def from_text(name: str, value: str | None) -> str | None:
        if value is not None:
            inferred.append(name)
        return value

    date = None
    raw_date = _field_text(raw, "date", repairs)
    if raw_date:
        date = metadata.parse_date(normalize(raw_date))
        if date is None:
            repairs.append(f"date {raw_date!r} is not a date: looked for one in the text")
    if date is None:
        date = from_text("date", metadata.find_date(text))

    head = text  # metadata is read before page furniture (datelines among it) is removed
    if from_web_page:
        text = metadata.strip_furniture(text)
    if not title:
        title = metadata.first_line(text)

    number = _optional_str(_field_text(raw, "number", repairs)) or from_text("number", metadata.find_own_number(text))
    given_committee = _optional_str(_field_text(raw, "committee", repairs))
    # Only where a text states its issuer (header, preamble, signature): a news story names many
    # bodies, none of which issued it.
    committee = metadata.canonical_committee(given_committee) if given_committee else \
        from_text("committee", metadata.infer_committee(head))
    given_type = _optional_str(_field_text(raw, "doc_type", repairs))
    doc_type = metadata.canonical_doc_type(given_type) if given_type else \
        from_text("doc_type", metadata.find_doc_type(title, head, number))
    extras = {k: v for k, v in raw.items() if k not in KNOWN_FIELDS and k != INFERRED_KEY}
    if text_format is not None and "format" in extras and extras["format"] == given_format:
        del extras["format"]  # an instruction to the reader, done
    if links and "links" not in extras:
        extras["links"] = links
    if inferred:
        extras[INFERRED_KEY] = inferred
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
        url=_optional_str(_field_text(raw, "url", repairs)),
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


OnBytes = Callable[[int], None]


def _no_bytes(position: int) -> None:
    pass


def read_path(path: Path, id_base: str, *, on_bytes: OnBytes = _no_bytes) -> Iterator[Record]:
    """Records of one file, whatever its format. `on_bytes(position)` is told how far into the
    file (in bytes as stored, compressed or not) reading has come, before each record."""
    name = path.name.lower()
    source = str(path)
    if not path.exists():  # removed since it was given (index_paths checks the paths first)
        yield Record(source, None, None, (Problem(source, None, "no such file", True),))
    elif name.endswith(JSONL_SUFFIXES):
        yield from read_jsonl(path, id_base, on_bytes=on_bytes)
    elif name.endswith(ACCEPTED_SUFFIXES):
        record = read_single_file(path, id_base)
        on_bytes(_size(path))
        yield record
    else:
        message = f"not a corpus file (accepted: {', '.join(ACCEPTED_SUFFIXES)}); skipped"
        yield Record(source, None, None, (Problem(source, None, message, True),))


def _notice(source: str, message: str, *, skipped: bool = False) -> Record:
    """A record that only reports something about a whole file."""
    return Record(source, None, None, (Problem(source, None, message, skipped),))


_GZIP_MAGIC = b"\x1f\x8b"
_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _open_binary(path: Path, compressed: bool) -> tuple[BinaryIO, BinaryIO]:
    """The file to read lines from, and the file as stored (whose position is the progress)."""
    raw = open(path, "rb")
    return (gzip.GzipFile(fileobj=raw, mode="rb") if compressed else raw), raw  # type: ignore[return-value]


def read_jsonl(path: Path, id_base: str | None = None, *, on_bytes: OnBytes = _no_bytes) -> Iterator[Record]:
    """One record per non-blank line. Missing ids become "ID_BASE:LINE" (the file's path below the
    folder given, so that two folders' "data.jsonl" do not share ids)."""
    from . import legacy
    source = str(path)
    base = id_base or path.name
    try:
        with open(path, "rb") as first:
            magic = first.read(2)
        compressed = path.name.lower().endswith(".gz") or magic == _GZIP_MAGIC
        if magic == _GZIP_MAGIC and not path.name.lower().endswith(".gz"):
            yield _notice(source, "compressed with gzip although its name does not end in .gz: read decompressed")
        handle, raw = _open_binary(path, compressed)
        with raw, handle:
            head = handle.read(SNIFF_BYTES)
        if head.startswith(_UTF16_BOMS):
            handle, raw = _open_binary(path, compressed)
            with raw, handle:
                text = io.TextIOWrapper(handle, encoding="utf-16", errors="replace", newline="")
                for number, line in enumerate(text, start=1):
                    if line.strip():
                        on_bytes(raw.tell())
                        yield _jsonl_record(source, number, line, default_id=f"{base}:{number}")
            return
        if b"\x00" in head:
            yield _notice(source, "binary file, not JSON Lines text; skipped", skipped=True)
            return
        if _looks_like_json_array(head):
            handle, raw = _open_binary(path, compressed)
            with raw, handle:
                data = handle.read()
            on_bytes(_size(path))  # read whole: a JSON array cannot be taken line by line
            yield from _read_json_array(source, base, data)
            return
        handle, raw = _open_binary(path, compressed)
        with raw, handle:
            for number, data in enumerate(handle, start=1):
                if number == 1 and data.startswith(codecs.BOM_UTF8):
                    data = data[len(codecs.BOM_UTF8) :]  # Windows editors start UTF-8 files with one
                if not data.strip():
                    continue
                on_bytes(raw.tell())
                decoded = legacy.decode(data)
                yield _jsonl_record(
                    source, number, decoded.text, default_id=f"{base}:{number}", notes=_decoding_notes(decoded)
                )
    except (OSError, EOFError, zlib.error) as error:  # truncated gzip, unreadable file
        yield _notice(source, f"cannot read further: {error}; the rest of the file is skipped", skipped=True)


def _looks_like_json_array(head: bytes) -> bool:
    """Whether the file is one JSON array of records (`[ {...}, {...} ]`, pretty-printed as
    editors and `json.dump(indent=2)` write it) rather than JSON Lines: it starts with "[" and its
    first line is not a whole JSON value (a JSON Lines file of arrays is read line by line, each
    array line reported as not an object)."""
    text = head.removeprefix(codecs.BOM_UTF8).lstrip()
    if not text.startswith(b"["):
        return False
    first_line = text.split(b"\n", 1)[0]
    try:
        json.loads(first_line)
    except ValueError:  # JSONDecodeError, or bytes that are not UTF-8
        return True
    # One line holding the whole file's array ("[{...}, {...}]" and nothing after it) is an array too.
    return not text[len(first_line):].strip()


_ARRAY_GAP_RE = re.compile(r"\s*")


def _read_json_array(source: str, base: str, data: bytes) -> Iterator[Record]:
    """The records of a file holding one JSON array, each numbered by the line its element
    starts on (ids "BASE:LINE", as in JSON Lines). Nothing is dropped silently: an element that
    is not a record is reported and skipped as a bad line would be, and where the array stops
    being valid JSON the rest of the file is reported as skipped."""
    from . import legacy
    decoded = legacy.decode(data.removeprefix(codecs.BOM_UTF8))
    text = decoded.text
    yield _notice(source, "a JSON array, not JSON Lines (one object per line): its elements read as records")
    notes = _decoding_notes(decoded)
    decoder = json.JSONDecoder()

    def after_gap(position: int) -> int:
        return _ARRAY_GAP_RE.match(text, position).end()  # type: ignore[union-attr]  # \s* always matches

    counted = [0, 1]  # up to which position lines are counted, and the line there: positions only grow

    def line_at(position: int) -> int:
        counted[1] += text.count("\n", counted[0], position)
        counted[0] = position
        return counted[1]

    position = after_gap(text.index("[") + 1)
    if text.startswith("]", position):  # an empty array
        return
    previous_line, on_line = 0, 0  # elements on one line ("[{...}, {...}]") need ids of their own
    while True:
        line = line_at(position)
        on_line = on_line + 1 if line == previous_line else 1
        previous_line = line
        default_id = f"{base}:{line}" if on_line == 1 else f"{base}:{line}:{on_line}"
        try:
            element, end = decoder.raw_decode(text, position)
        except json.JSONDecodeError:
            break
        except RecursionError:
            message = "not usable JSON (nested too deeply); the rest of the file is skipped"
            yield Record(source, line, None, (Problem(source, line, message, True),))
            return
        yield _json_record(source, line, element, text[position:end], default_id=default_id, notes=notes)
        position = after_gap(end)
        if text.startswith(",", position):
            position = after_gap(position + 1)
            continue
        if text.startswith("]", position):
            if text[position + 1 :].strip():
                line = line_at(position)
                message = "text after the array's closing ]: ignored"
                yield Record(source, line, None, (Problem(source, line, message, True),))
            return
        break
    line = line_at(position)
    message = "the JSON array stops being valid JSON here; the rest of the file is skipped"
    yield Record(source, line, None, (Problem(source, line, message, True),))


def _decoding_notes(decoded: legacy.Decoded) -> list[str]:
    if decoded.encoding != "UTF-8":
        detail = f" ({decoded.guess.describe()})" if decoded.guess else ""
        return [f"text in the {decoded.encoding} encoding{detail}: converted to Unicode"]
    if not decoded.replaced:
        return []
    where = f" (the first at byte {decoded.first_bad + 1})" if decoded.first_bad is not None else ""
    note = f"{decoded.replaced} byte sequence(s) that are not UTF-8{where} replaced by U+FFFD"
    if decoded.guess is not None and decoded.guess.plausible:
        note += f"; it may be {decoded.guess.encoding} ({decoded.guess.describe()}), too unsure to convert"
    return [note]


def _legacy_notes(found: legacy.Guess | None, converted: bool) -> list[str]:
    if found is None:
        return []
    if converted:
        return [f"text in the {found.encoding} encoding ({found.describe()}): converted to Unicode"]
    if found.plausible:
        return [f"text may be in the {found.encoding} encoding ({found.describe()}): too unsure to convert, left as it is"]
    return []


def _repair_legacy(raw: dict[str, Any]) -> list[str]:
    """Convert TCVN3/VNI font text in the text fields, judged on all of them together (a title
    alone is too short to judge). Fields already holding Unicode Vietnamese are left alone."""
    from . import legacy
    names = [n for n in LEGACY_FIELDS if isinstance(raw.get(n), str) and not legacy.looks_unicode_vietnamese(raw[n])]
    if not names:
        return []
    found = legacy.guess("\n".join(raw[n] for n in names))
    if found is None or not found.confident:
        return _legacy_notes(found, False)
    for name in names:
        raw[name] = legacy.convert(raw[name], found.encoding)
    return _legacy_notes(found, True)


def _scrub_surrogates(raw: dict[str, Any]) -> bool:
    """Replace lone UTF-16 surrogates (JSON escapes such as "\\ud800") by U+FFFD, everywhere in
    the record: they cannot be written as UTF-8. Iterative, as records may nest deeply."""
    found = False
    stack: list[Any] = [raw]
    while stack:
        container = stack.pop()
        items = container.items() if isinstance(container, dict) else enumerate(container)
        for key, value in list(items):
            if isinstance(value, str) and _SURROGATE_RE.search(value):
                container[key] = _SURROGATE_RE.sub("\ufffd", value)
                found = True
            elif isinstance(value, dict | list):
                stack.append(value)
            if isinstance(key, str) and _SURROGATE_RE.search(key):
                container[_SURROGATE_RE.sub("\ufffd", key)] = container.pop(key)
                found = True
    return found


_SURROGATE_RE = re.compile("[\ud800-\udfff]")


def _depth(value: Any) -> int:
    """How deeply lists and objects nest in `value` (iteratively: it may be very deep)."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, dict | list):
            deepest = max(deepest, level)
            stack.extend((child, level + 1) for child in (item.values() if isinstance(item, dict) else item))
    return deepest


def _jsonl_record(source: str, number: int, line: str, *, default_id: str, notes: Iterable[str] = ()) -> Record:
    def skipped(message: str) -> Record:
        return Record(source, number, None, (Problem(source, number, message + "; skipped", True),))

    try:
        raw = json.loads(line.rstrip("\r\n"))  # without its line end, an error's column is on this line
    except json.JSONDecodeError as error:
        return skipped(f"not valid JSON ({error.msg} at column {error.colno})")
    except RecursionError:
        return skipped("not usable JSON (nested too deeply)")
    return _json_record(source, number, raw, line, default_id=default_id, notes=notes)


def _json_record(source: str, number: int, raw: Any, line: str, *, default_id: str, notes: Iterable[str] = ()) -> Record:
    """A record from one parsed JSON value (`line`: its text, to look for escapes)."""
    def skipped(message: str) -> Record:
        return Record(source, number, None, (Problem(source, number, message + "; skipped", True),))

    if not isinstance(raw, dict):
        return skipped(f"not a JSON object but {_kind(raw)}")
    repairs = list(notes)
    if "\\u" in line and _scrub_surrogates(raw):
        repairs.append("lone UTF-16 surrogate escapes replaced by U+FFFD")
    for key in [k for k in raw if k not in KNOWN_FIELDS and _depth(raw[k]) > MAX_EXTRA_DEPTH]:
        del raw[key]
        repairs.append(f'field "{key}" nests more than {MAX_EXTRA_DEPTH} levels deep: dropped')
    repairs += _repair_legacy(raw)
    try:
        document, made = make_document(raw, default_id=default_id)
    except DocumentError as error:
        return skipped(str(error))
    problems = tuple(Problem(source, number, note, False) for note in repairs + made)
    return Record(source, number, document, problems)


def read_single_file(path: Path, doc_id: str) -> Record:
    """A .txt, .md or .html file is one document."""
    from . import legacy
    source = str(path)
    try:
        data = path.read_bytes()
    except OSError as error:
        return Record(source, None, None, (Problem(source, None, f"cannot read: {error.strerror}; skipped", True),))
    repairs: list[str] = []
    if data.startswith(_UTF16_BOMS):
        content = data.decode("utf-16", errors="replace")
    elif b"\x00" in data[:SNIFF_BYTES]:
        return Record(source, None, None, (Problem(source, None, "binary file, not text; skipped", True),))
    else:
        decoded = legacy.decode(data)
        content = decoded.text
        repairs += _decoding_notes(decoded)
        if decoded.encoding == "UTF-8" and not decoded.replaced:
            content, found = legacy.repair(content)
            repairs += _legacy_notes(found, found is not None and found.confident)
    name = path.name.lower()
    title = None
    links: list[str] = []
    if name.endswith(HTML_SUFFIXES):
        page = html_to_plain(content)
        title, content, links = page.title, page.text, page.links
    elif name.endswith(MARKDOWN_SUFFIXES):
        plain = markdown_to_plain(content)
        title, content = _text_title(plain.text)
        links = plain.links
    else:
        title, content = _text_title(content)
    raw: dict[str, Any] = {"id": doc_id, "title": title, "text": content}
    if links:
        raw["links"] = links
    try:
        document, notes = make_document(raw, default_id=doc_id, from_web_page=True, markup=False)
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


# -- Markdown and HTML to plain text ----------------------------------------------------------
# What is indexed, stored and highlighted is the plain text: link text without its URL, no
# images, table rows as lines of cells. Offsets are computed on this stored text, so they stay
# exact. Links' http(s) URLs are kept as the document's "links" extra.

MAX_LINKS = 100  # URLs kept per document
CELL_SEPARATOR = " | "  # between the cells of a flattened table row


@dataclass(frozen=True)
class PlainText:
    text: str
    links: list[str]
    title: str | None = None  # HTML: the <h1>, else the <title>


def _keep_link(links: list[str], url: str | None) -> None:
    if url and url.lower().startswith(("http://", "https://")) and url not in links and len(links) < MAX_LINKS:
        links.append(url)


def markdown_to_plain(content: str) -> PlainText:
    """Markdown (CommonMark with tables) -> plain text, by markdown-it-py's parser."""
    from markdown_it import MarkdownIt  # only Markdown sources need it

    tokens = MarkdownIt("commonmark").enable("table").parse(content)
    parts: list[str] = []
    links: list[str] = []
    cells: list[str] | None = None  # the row being flattened
    for token in tokens:
        kind = token.type
        if kind == "inline":
            text = _markdown_inline(token.children or [], links)
            if cells is not None:
                cells.append(text.strip())
            else:
                parts.append(text)
        elif kind == "tr_open":
            cells = []
        elif kind == "tr_close":
            parts.append(CELL_SEPARATOR.join(cells or []) + "\n")
            cells = None
        elif kind == "list_item_open" and token.info:  # an ordered item keeps its number
            parts.append(f"{token.info}{token.markup or '.'} ")
        elif kind in ("paragraph_close", "heading_close"):
            parts.append("\n" if token.hidden else "\n\n")  # hidden: a tight list's item
        elif kind in ("fence", "code_block"):
            parts.append(token.content + "\n")
        elif kind == "html_block":
            parts.append(html_to_plain(token.content).text + "\n")
        elif kind in ("hr", "table_close", "bullet_list_close", "ordered_list_close"):
            parts.append("\n")
    text = re.sub(r"[ \t]+\n", "\n", "".join(parts))
    return PlainText(re.sub(r"\n{3,}", "\n\n", text).strip("\n"), links)


def _markdown_inline(children: Iterable[Any], links: list[str]) -> str:
    out: list[str] = []
    for child in children:
        kind = child.type
        if kind in ("text", "code_inline"):
            out.append(child.content)
        elif kind in ("softbreak", "hardbreak"):
            out.append("\n")
        elif kind == "link_open":
            _keep_link(links, child.attrGet("href"))
        elif kind == "html_inline" and child.content.lower().startswith("<br"):
            out.append("\n")
        # images, other inline HTML and emphasis marks carry no text of their own
    return "".join(out)


_MARKDOWN_LINK_RE = re.compile(r"!?\[[^\]\n]*\]\((?:https?:|/|www\.)[^)\s]*(?:\s+\"[^\"]*\")?\)")
_MARKDOWN_TABLE_ROW_RE = re.compile(r"^[ \t]*\|.*\|[ \t]*$", re.MULTILINE)
_MARKDOWN_MARKS_RE = re.compile(r"^#{1,6}[ \t]+\S|\*\*[^*\n]+\*\*", re.MULTILINE)
_MARKDOWN_HEAD = 20000  # characters in which table rows and marks are looked for
TEXT_FORMATS = {"markdown": "markdown", "md": "markdown", "html": "html", "text": "text", "plain": "text"}


def looks_like_markdown(text: str) -> bool:
    """True for text written in Markdown: a link or image to a URL, table rows, or several
    headings / bold runs. Plain text quoting one "**" or "#" is left alone."""
    # Each regex is tried only where the characters it needs are there: scanning every plain
    # text with all three was a tenth of reading news-politics. A link needs "](", two table
    # rows need two "|" each, a heading or bold run needs "#" or "**".
    if "](" in text and _MARKDOWN_LINK_RE.search(text):
        return True
    if text.count("|", 0, _MARKDOWN_HEAD) >= 4 and len(_MARKDOWN_TABLE_ROW_RE.findall(text, 0, _MARKDOWN_HEAD)) >= 2:
        return True
    if text.find("#", 0, _MARKDOWN_HEAD) < 0 and text.find("**", 0, _MARKDOWN_HEAD) < 0:
        return False
    return len(_MARKDOWN_MARKS_RE.findall(text, 0, _MARKDOWN_HEAD)) >= 2


class _HTMLText(html.parser.HTMLParser):
    _SKIP = {"script", "style", "noscript", "template", "head"}
    _BLOCK = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article", "table",
              "ul", "ol", "dl", "dt", "dd", "blockquote", "pre", "header", "footer", "nav", "aside", "main",
              "figure", "figcaption", "hr", "caption", "thead", "tbody", "tfoot"}
    _CELLS = {"td", "th"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.title: list[str] = []
        self.h1: list[str] = []
        self.links: list[str] = []
        self._stack: list[str] = []
        self._cell_in_row = 0

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        if tag not in _VOID_TAGS:
            self._stack.append(tag)
        if tag == "a":
            _keep_link(self.links, dict(attrs).get("href"))
        if tag == "tr":
            self._cell_in_row = 0
        if tag in self._CELLS:
            if self._cell_in_row:
                self.parts.append(CELL_SEPARATOR)
            self._cell_in_row += 1
        elif tag in self._BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _VOID_TAGS:
            return
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


# Elements without an end tag: they must not stay open on the stack ("<img>" inside a <p>).
_VOID_TAGS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


def html_to_plain(content: str) -> PlainText:
    """HTML -> plain text by the standard library's parser: scripts, styles and images dropped,
    link text kept (URLs as `links`), table cells separated, blocks on their own lines."""
    parser = _HTMLText()
    parser.feed(content)
    parser.close()
    title = collapse_spaces("".join(parser.h1) or "".join(parser.title)) or None
    text = re.sub(r"[ \t]+\n", "\n", "".join(parser.parts))
    return PlainText(re.sub(r"\n{3,}", "\n\n", text), parser.links, title)


def html_to_text(content: str) -> tuple[str | None, str]:
    """The title (<h1>, else <title>) and the plain text of an HTML page."""
    page = html_to_plain(content)
    return page.title, page.text
