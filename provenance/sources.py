"""Find inputs, detect their kind, decode them, and yield raw documents with stable keys.

Inputs are paths (files, directories searched recursively in name order), or ``-`` for standard
input. A file's kind comes from its name (``.jsonl``/``.ndjson``: a feed; ``.html``/``.htm``: a
page; anything else: a plain-text page dump), after a ``.gz`` suffix is looked through. Standard
input is sniffed: JSON objects a line make a feed.

Nothing here raises for a bad single input: it yields a :class:`~provenance.models.Skipped`
saying why, and the batch goes on.
"""

from __future__ import annotations

import gzip
import io
import json
import os
import re
import sys
import zlib
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from itertools import islice
from typing import BinaryIO

from ._exceptions import InputNotFound
from .models import RawDocument, Skipped

_FEED_SUFFIXES = {".jsonl", ".ndjson"}
_WARC_SUFFIXES = (".warc", ".warc.gz", ".arc", ".arc.gz")
_HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
_META_FIELDS = ("url", "publisher", "published", "title", "role")
# Signatures of common binary formats that a text sniff could mistake for text.
_BINARY_MAGIC = (b"%PDF", b"\x89PNG", b"GIF8", b"\xff\xd8\xff", b"PK\x03\x04", b"\x7fELF", b"MZ")
_SNIFF = 8192
MAX_DOCUMENT = 16 * 2**20  # bytes of one document (file, feed line, crawl record): no page is larger
_MB = 2**20


@dataclass(frozen=True)
class Progress:
    """Bytes read so far, reported as reading goes."""

    done: int


@dataclass(frozen=True)
class PassedOver:
    """Records of a crawl that are not articles (requests, metadata, images, redirects)."""

    location: str
    count: int


def check_inputs(inputs: Iterable[str]) -> list[str]:
    """The inputs as given, after checking that each exists (``-`` is standard input)."""
    checked = list(inputs)
    for item in checked:
        if item != "-" and not os.path.lexists(item):
            raise InputNotFound(item)
    return checked


def total_bytes(inputs: Iterable[str]) -> int | None:
    """The size of all input files, for a progress bar; None when standard input is read."""
    total = 0
    for item in inputs:
        if item == "-":
            return None
        for group in walk(item):
            if not isinstance(group, Skipped):
                total += sum(os.path.getsize(path) for path in group if os.path.isfile(path))
    return total


def read_inputs(
    inputs: Iterable[str], *, exclude: Iterable[str] = ()
) -> Iterator[RawDocument | Skipped | Progress | PassedOver]:
    """Every document of every input, in a stable order, with Progress markers between files.

    Files in ``exclude`` (the store itself and its journal files) are passed over silently. The
    page dumps of one folder carry the lines they share with each other (:func:`shared_lines`).
    """
    excluded = {os.path.realpath(path) for path in exclude}
    done = 0
    for item in inputs:
        if item == "-":
            yield from _read_stdin(sys.stdin.buffer)
            continue
        for group in walk(item):
            if isinstance(group, Skipped):
                yield group
                continue
            paths = [p for p in group if not (excluded and os.path.realpath(p) in excluded)]
            shared = shared_lines(p for p in paths if _is_page_dump(p))
            for path in paths:
                try:
                    size = os.path.getsize(path)
                except OSError as err:
                    yield Skipped(path, f"cannot read: {err.strerror or err}")
                    continue
                dump = bool(shared) and _is_page_dump(path)
                for doc in _read_file(path):
                    if dump and isinstance(doc, RawDocument) and doc.kind == "text":
                        doc = replace(doc, shared_lines=shared)
                    yield doc
                done += size
                yield Progress(done)


_PROFILE_FILES = 2000  # page dumps of a folder read to find the lines they share
_PROFILE_BYTES = 256 * 1024
_SHARED_IN = 3  # a line in this many page dumps of a folder is the site's, not a story's


def shared_lines(paths: Iterable[str]) -> frozenset[str]:
    """The lines that stand in at least three of these page dumps (read up to 2,000 of them):
    the menus, notices and footers of the site or crawl they come from."""
    counts: Counter[str] = Counter()
    for path in islice(paths, _PROFILE_FILES):
        try:
            with open(path, "rb") as handle:
                head = handle.read(_PROFILE_BYTES)
        except OSError:
            continue
        if _looks_binary(head):
            continue
        counts.update({line.strip() for line in decode(head).splitlines() if 0 < len(line.strip()) <= 400})
    return frozenset(line for line, count in counts.items() if count >= _SHARED_IN)


def _is_page_dump(path: str) -> bool:
    name = path.lower().removesuffix(".gz")
    return not name.endswith(_WARC_SUFFIXES) and os.path.splitext(name)[1] not in _FEED_SUFFIXES | _HTML_SUFFIXES


def walk(item: str) -> Iterator[list[str] | Skipped]:
    """The files under ``item``, a folder at a time: its files in name order, then its folders,
    depth first. Hidden entries (".git") are passed over; symbolic links to folders are followed
    once (a link back up the tree is not a loop)."""
    if not os.path.isdir(item):
        yield [item]
        return
    seen: set[str] = set()

    def visit(directory: str) -> Iterator[list[str] | Skipped]:
        real = os.path.realpath(directory)
        if real in seen:
            return
        seen.add(real)
        try:
            entries = sorted(os.scandir(directory), key=lambda entry: entry.name)
        except OSError as err:
            yield Skipped(directory, f"cannot read directory: {err.strerror or err}")
            return
        entries = [entry for entry in entries if not entry.name.startswith(".")]
        files = [os.path.join(directory, e.name) for e in entries if not e.is_dir()]
        if files:
            yield files
        for entry in entries:
            if entry.is_dir():
                yield from visit(os.path.join(directory, entry.name))

    yield from visit(item)


def _read_file(path: str) -> Iterator[RawDocument | Skipped | PassedOver]:
    name = path.lower()
    if name.endswith(_WARC_SUFFIXES):
        yield from _read_warc(path)
        return
    compressed = name.endswith(".gz")
    if compressed:
        name = name[:-3]
    suffix = os.path.splitext(name)[1]
    try:
        with open(path, "rb") as raw:
            stream: BinaryIO = gzip.GzipFile(fileobj=raw) if compressed else raw  # type: ignore[assignment]
            if suffix in _FEED_SUFFIXES:
                yield from _feed_lines(path, _bounded_lines(stream))
                return
            data = stream.read(MAX_DOCUMENT + 1)
    except (OSError, EOFError, zlib.error) as err:
        yield Skipped(path, f"cannot read: {getattr(err, 'strerror', None) or err}")
        return
    if len(data) > MAX_DOCUMENT:
        yield Skipped(path, _too_large())
        return
    yield from _read_stream(path, data, sniff=False, html=suffix in _HTML_SUFFIXES)


def _too_large() -> str:
    return f"too large for one article: over {MAX_DOCUMENT // _MB} MB (a feed of many articles is a .jsonl file)"


def _read_stdin(stream: BinaryIO) -> Iterator[RawDocument | Skipped]:
    """Standard input: a feed (its first character a ``{``) read line by line, else one document."""
    buffered = stream if hasattr(stream, "peek") else io.BufferedReader(stream)  # type: ignore[type-var]
    if buffered.peek(_SNIFF)[:_SNIFF].lstrip()[:1] == b"{":
        yield from _feed_lines("-", _bounded_lines(buffered))
        return
    data = buffered.read(MAX_DOCUMENT + 1)
    if len(data) > MAX_DOCUMENT:
        yield Skipped("-", _too_large())
        return
    yield from _read_stream("-", data, sniff=True)


def _bounded_lines(stream: BinaryIO) -> Iterator[bytes | None]:
    """The lines of a stream, None for a line longer than :data:`MAX_DOCUMENT` (read through, not kept)."""
    while line := stream.readline(MAX_DOCUMENT + 1):
        if len(line) > MAX_DOCUMENT and not line.endswith(b"\n"):
            while (rest := stream.readline(_MB)) and not rest.endswith(b"\n"):
                pass
            yield None
        else:
            yield line


def _read_warc(path: str) -> Iterator[RawDocument | Skipped | PassedOver]:
    try:
        with open(path, "rb") as stream:
            yield from warc_records(stream, path)
    except OSError as err:
        yield Skipped(path, f"cannot read: {err.strerror or err}")


def warc_records(stream: BinaryIO, path: str) -> Iterator[RawDocument | Skipped | PassedOver]:
    """Each HTML response of a WARC file (read from ``stream``), keyed by its target URI; the
    other records counted."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    passed = read = 0
    try:
        for record in ArchiveIterator(stream):
            uri = record.rec_headers.get_header("WARC-Target-URI")
            kind = record.http_headers.get_header("Content-Type", "") if record.http_headers else ""
            wanted = record.rec_type == "response" and uri and "html" in kind.lower()
            data = record.content_stream().read(MAX_DOCUMENT + 1) if wanted else b""
            while record.raw_stream.read(_MB):  # the rest of the record, not kept
                pass
            if getattr(record.raw_stream, "limit", 0) > 0:  # the file ends inside this record
                raise EOFError(f"the record of {uri or 'an unnamed target'} is cut short")
            if not wanted:
                passed += 1
                continue
            read += 1
            where = f"{path}#{uri}"
            if len(data) > MAX_DOCUMENT:
                yield Skipped(where, _too_large())
                continue
            if not data.strip():
                yield Skipped(where, "empty response")
                continue
            yield RawDocument(uri, where, "html", decode_html(data, kind), {"url": uri})
    except (ArchiveLoadFailed, OSError, EOFError, zlib.error, ValueError) as err:
        yield Skipped(path, f"cannot read WARC after {read + passed} records: {err}")
    if passed:
        yield PassedOver(path, passed)


def _read_stream(location: str, data: bytes, *, sniff: bool, html: bool = False) -> Iterator[RawDocument | Skipped]:
    if not data.strip():
        yield Skipped(location, "empty")
        return
    if _looks_binary(data):
        yield Skipped(location, "binary file, not text")
        return
    text = decode(data)
    if sniff and text.lstrip()[:15].lower().startswith(("<!doctype html", "<html")):
        html = True
    if html:
        text = decode_html(data)
    yield RawDocument(key=location, location=location, kind="html" if html else "text", content=text)


def _looks_binary(data: bytes) -> bool:
    head = data[:_SNIFF]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or _utf16(head):  # UTF-16, with a byte-order mark or not
        return False
    return head.startswith(_BINARY_MAGIC) or b"\x00" in head


def _utf16(head: bytes) -> str | None:
    """The codec of UTF-16 text without a byte-order mark: Latin-script text has a zero byte in
    every other place (the high byte of each character), and none in the others."""
    pairs = len(head) // 2
    if pairs < 8:
        return None
    even, odd = head[0 : 2 * pairs : 2], head[1 : 2 * pairs : 2]
    for codec, high, low in (("utf-16-le", odd, even), ("utf-16-be", even, odd)):
        if high.count(0) >= 0.9 * pairs and low.count(0) == 0:
            return codec
    return None


def decode(data: bytes) -> str:
    """Text from bytes: UTF-8 (with or without BOM), UTF-16 (with a BOM, or Latin-script text
    without one), else cp1252, else latin-1."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    if b"\x00" in data[:_SNIFF] and (codec := _utf16(data[:_SNIFF])):
        return data.decode(codec, errors="replace")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        return data.decode("latin-1")


_WINDOWS_1252 = {"iso-8859-1", "iso8859-1", "latin-1", "latin1", "us-ascii", "ascii", "windows-1252"}
_CHARSET = re.compile(rb"""<meta[^>]+charset=["']?([\w.:-]+)""", re.I)


def decode_html(data: bytes, content_type: str = "") -> str:
    """Text of an HTML page: its byte-order mark, else the charset its HTTP header or its own
    ``<meta>`` declares, else as :func:`decode` guesses."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff", b"\xef\xbb\xbf")):
        return decode(data)
    declared = None
    if "charset=" in content_type.lower():
        declared = content_type.lower().split("charset=", 1)[1].split(";")[0].strip(" \"'")
    else:
        found = _CHARSET.search(data[:4096])
        declared = found.group(1).decode("ascii", "replace").lower() if found else None
    if declared in _WINDOWS_1252:  # as browsers read them (WHATWG encoding standard)
        declared = "cp1252"
    if declared:
        try:
            return data.decode(declared)
        except (LookupError, UnicodeDecodeError):
            pass
    return decode(data)


def _feed_lines(location: str, lines: Iterable[bytes | None]) -> Iterator[RawDocument | Skipped]:
    """The records of a JSON-lines feed (``None``: a line too long to read), each located by its line."""
    for number, line in enumerate(lines, start=1):
        found = feed_record(f"{location}:{number}", line)
        if found is not None:
            yield found


def feed_record(where: str, line: bytes | None) -> RawDocument | Skipped | None:
    """The record of one line of a JSON-lines feed (``None``: a line too long to read); None for
    a blank line."""
    if line is None:
        return Skipped(where, f"line too long for one article: over {MAX_DOCUMENT // _MB} MB")
    if not line.strip():
        return None
    try:
        record = json.loads(decode(line).rstrip("\r\n"))
    except json.JSONDecodeError as err:
        return Skipped(where, f"invalid JSON ({err.msg.removesuffix(' at').lower()} at column {err.colno})")
    except RecursionError:
        return Skipped(where, "invalid JSON: nested too deeply")
    return record_document(where, record)


def record_document(where: str, record: object) -> RawDocument | Skipped:
    """The document of one feed record (a JSON object with ``id`` and ``text`` or ``html``)."""
    if not isinstance(record, dict):
        return Skipped(where, "not a JSON object")
    key = record.get("id")
    if isinstance(key, int) and not isinstance(key, bool):
        key = str(key)
    if not isinstance(key, str) or not key:
        return Skipped(where, 'no "id" (a non-empty string)')
    meta = {name: value for name in _META_FIELDS if isinstance(value := record.get(name), str)}
    for kind in ("text", "html"):
        content = record.get(kind)
        if isinstance(content, str) and content.strip():
            return RawDocument(key=key, location=where, kind=kind, content=content, meta=meta)
    return Skipped(where, f'record {key!r} has no "text" or "html" string')
