"""Turn files into cable texts: ``.txt``, Cablegate ``.html``, ``cables.csv``, ``.zip``, folders.

Readers never raise for a single bad file inside a batch: ``read_path`` yields a
:class:`ParseError` in its place and goes on, so one unreadable file never stops the
others. Texts are decoded as UTF-8, then Windows-1252, then Latin-1, so no text file
is rejected for its encoding.
"""

import csv
import html
import io
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .archives import CABLE_SUFFIXES, MAX_ZIP_DEPTH, read_zip
from .errors import ParseError

CSV_COLUMNS = (
    "id",
    "date",
    "reference_id",
    "origin",
    "classification",
    "references",
    "header",
    "content",
)


@dataclass
class SourceText:
    """One cable's text as read from a file, with the metadata the file published beside it."""

    name: str  # file path, ``archive.zip:member.txt`` or ``cables.csv:row 12``
    text: str
    format: str  # "txt", "html" or "csv"
    metadata: dict[str, str] = field(default_factory=dict)


def decode(data: bytes, source: str) -> str:
    """Bytes to text: UTF-8 (with or without BOM), else Windows-1252, else Latin-1."""
    if not data.strip():
        raise ParseError("empty file", source)
    if b"\x00" in data[:8192]:
        raise ParseError("binary file, not text (NUL bytes)", source)
    for encoding in ("utf-8-sig", "cp1252", "latin-1"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise AssertionError("latin-1 decodes every byte string")  # pragma: no cover


# --- Cablegate HTML pages ----------------------------------------------------------

PRE_BLOCK = re.compile(r"<pre[^>]*>(.*?)</pre>", re.DOTALL | re.IGNORECASE)
METADATA_TABLE = re.compile(
    r"<table class=['\"]cable['\"]>(.*?)</table>", re.DOTALL | re.IGNORECASE
)
TABLE_CELL = re.compile(r"<td[^>]*>(.*?)</td>", re.DOTALL | re.IGNORECASE)
TAG_ANCHOR = re.compile(r"<a href=['\"]/tag/[^'\"]*['\"][^>]*>(.*?)</a>", re.DOTALL | re.IGNORECASE)
ANY_TAG = re.compile(r"<[^>]+>")
METADATA_FIELDS = ("reference_id", "created", "released", "classification", "origin")


def html_to_text(fragment: str) -> str:
    """Strip tags and unescape, keeping tag links as ``[PREL](#)`` like the text rendering."""
    fragment = TAG_ANCHOR.sub(
        lambda match: f"[{ANY_TAG.sub('', match.group(1)).strip()}](#)", fragment
    )
    return html.unescape(ANY_TAG.sub("", fragment))


def read_html(data: bytes, source: str) -> SourceText:
    page = decode(data, source)
    blocks = PRE_BLOCK.findall(page)
    if not blocks:
        raise ParseError("HTML page with no cable in it (no <pre> block)", source)
    metadata: dict[str, str] = {}
    if table := METADATA_TABLE.search(page):
        cells = [html_to_text(cell).strip() for cell in TABLE_CELL.findall(table.group(1))]
        metadata = dict(zip(METADATA_FIELDS, cells[: len(METADATA_FIELDS)], strict=False))
    text = "\n\n".join(html_to_text(block) for block in blocks)
    return SourceText(name=source, text=text, format="html", metadata=metadata)


# --- cables.csv --------------------------------------------------------------------


def read_csv(stream: io.TextIOBase, source: str) -> Iterator[SourceText | ParseError]:
    """Read the release's ``cables.csv`` as a stream: no header, eight columns, ``\\"`` quotes."""
    csv.field_size_limit(64 * 1024**2)
    reader = csv.reader(stream, escapechar="\\", doublequote=False, strict=False)
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            yield ParseError(f"unreadable CSV: {error}", source, reader.line_num)
            return
        if not row or row == [""]:
            continue
        if len(row) != len(CSV_COLUMNS):
            yield ParseError(
                f"CSV row has {len(row)} columns, expected {len(CSV_COLUMNS)}",
                source,
                reader.line_num,
            )
            continue
        values = dict(zip(CSV_COLUMNS, row, strict=True))
        metadata = {
            key: values[key] for key in ("reference_id", "classification", "origin", "references")
        }
        metadata["created"] = values["date"]
        text = f"{values['header'].strip()}\n\n{values['content']}"
        yield SourceText(
            name=f"{source}:row {reader.line_num}", text=text, format="csv", metadata=metadata
        )


# --- files and folders -------------------------------------------------------------


def read_bytes(data: bytes, source: str, depth: int = 0) -> Iterator[SourceText | ParseError]:
    """Read one file's bytes by its name's suffix."""
    suffix = os.path.splitext(source)[1].lower()
    try:
        if suffix == ".zip":
            if depth > MAX_ZIP_DEPTH:
                yield ParseError("zip nested too deeply", source)
                return
            yield from read_zip(data, source, depth, read_bytes)
        elif suffix == ".csv":
            yield from read_csv(io.StringIO(decode(data, source), newline=""), source)
        elif suffix in (".html", ".htm"):
            yield read_html(data, source)
        elif suffix == ".txt":
            yield SourceText(name=source, text=decode(data, source), format="txt")
        else:
            yield ParseError(
                f"not a cable file (expected one of {', '.join(CABLE_SUFFIXES)})", source
            )
    except ParseError as error:
        yield error.with_source(source)


def read_path(path: str | os.PathLike) -> Iterator[SourceText | ParseError]:
    """Every cable under ``path`` (a file, a zip or a folder), in a stable order."""
    path = Path(path)
    if path.is_dir():
        for child in sorted(path.rglob("*")):
            if (
                child.is_file()
                and child.suffix.lower() in CABLE_SUFFIXES
                and child.name != "MANIFEST.tsv"
            ):
                yield from read_file(child)
        return
    if not path.exists():
        yield ParseError("no such file or folder", str(path))
        return
    yield from read_file(path)


def read_file(path: Path) -> Iterator[SourceText | ParseError]:
    source = str(path)
    try:
        if path.suffix.lower() == ".csv":
            # Streamed: the release's cables.csv is 1.7 GB.
            with open(path, encoding="utf-8", errors="replace", newline="") as stream:
                yield from read_csv(stream, source)
        elif path.suffix.lower() == ".zip":
            with open(path, "rb") as stream:
                yield from read_zip(stream, source, 0, read_bytes)
        else:
            yield from read_bytes(path.read_bytes(), source)
    except OSError as error:
        yield ParseError(f"cannot read file: {error.strerror or error}", source)


def read_paths(paths: Iterable[str | os.PathLike]) -> Iterator[SourceText | ParseError]:
    for path in paths:
        yield from read_path(path)
