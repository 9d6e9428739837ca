"""Find inputs, detect their kind, decode them, and yield raw documents with stable keys.

Inputs are paths (files, directories searched recursively in name order), or ``-`` for standard
input. A file's kind comes from what it holds, as standard input's does (:func:`sniff`): gzip is
looked through whatever the name says; a WARC or ARC crawl, JSON objects a line (a feed), or an
HTML page are known by their first bytes; anything else is a plain-text page dump. The name only
settles what the bytes leave open: a ``.html`` fragment without ``<html>`` is still a page, and a
``.jsonl`` file a feed.

Nothing here raises for a bad single input: it yields a :class:`~provenance.models.Skipped`
saying why, and the batch goes on.
"""

from __future__ import annotations

import contextlib
import functools
import html
import io
import json
import os
import re
import sys
import zlib
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from typing import Any, BinaryIO, cast

import xxhash

from . import __version__
from ._exceptions import InputNotFound
from .models import RawDocument, Skipped

_FEED_SUFFIXES = {".jsonl", ".ndjson"}
_HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
_GZIP_MAGIC = b"\x1f\x8b"
# The first tag of an HTML document, as browsers sniff it (WHATWG MIME sniffing), and a few more
# that pages saved by hand or by a mirroring tool begin with.
_HTML_START = re.compile(
    rb"\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*"
    rb"<(?:!doctype\s+html|html|head|body|script|iframe|h1|div|font|table|a|style|title|b|br|p|meta|link"
    rb"|header|section|article|nav|main)[\s/>]",
    re.I | re.S,
)
_META_FIELDS = ("url", "publisher", "published", "title", "role", "language")
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


def raw_digest(raw: RawDocument) -> int:
    """A hash of a document as read (its kind, content, stated metadata, the lines and the template
    it shares with its folder) and of this version of provenance: equal hashes, equal articles. Kept with
    each article, so that an unchanged input is passed over before it is extracted again."""
    meta = json.dumps(raw.meta, sort_keys=True, ensure_ascii=False)
    digest = xxhash.xxh3_64(f"{__version__}\x00{raw.kind}\x00{meta}\x00".encode())
    digest.update(raw.content.encode("utf-8", "surrogatepass"))
    if raw.shared_lines:
        digest.update(_lines_digest(raw.shared_lines).to_bytes(8, "big"))
    if raw.template:
        digest.update(f"\x00template:{raw.template}".encode())
    return digest.intdigest() >> 1  # an SQLite integer is signed: 63 bits


@functools.lru_cache(maxsize=16)
def _lines_digest(lines: frozenset[str]) -> int:
    return xxhash.xxh3_64("\n".join(sorted(lines)).encode("utf-8", "surrogatepass")).intdigest()


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
    page dumps of one folder carry the lines they share with each other, and its pages the template
    they share with others (:func:`folder_profile`). Every string is one a store can hold
    (:func:`storable`).
    """
    return map(storable, _read_all(inputs, exclude))


_SURROGATE = re.compile("[\ud800-\udfff]")


def storable(item: _Read) -> _Read:
    """An item whose strings a store can hold: a lone surrogate (an undecodable byte of a file's
    name, a JSON ``"\\ud800"``) cannot be encoded, and would fail the batch it is written in. In a
    name or a key it is shown as its escape ("caf\\xe9.txt"), so that each stays its own; in a
    text it becomes the replacement character."""
    if isinstance(item, RawDocument):
        strings = [item.key, item.location, item.content, item.file or "", *item.meta.values()]
        if all(_encodes(s) for s in strings):
            return item
        return replace(item, key=_shown(item.key), location=_shown(item.location), content=_text(item.content),
                       meta={k: _text(v) for k, v in item.meta.items()},
                       file=None if item.file is None else _shown(item.file))  # fmt: skip
    if isinstance(item, Skipped) and not all(_encodes(s) for s in (item.location, item.reason, item.detail or "")):
        return Skipped(_shown(item.location), _text(item.reason), None if item.detail is None else _text(item.detail))
    if isinstance(item, PassedOver) and not _encodes(item.location):
        return PassedOver(_shown(item.location), item.count)
    return item


def _encodes(text: str) -> bool:
    """Whether ``text`` holds no surrogate (what UTF-8 cannot encode): an encode, five times as
    fast as searching a page's text for one with :data:`_SURROGATE` (the writer asks it of every
    document it reads)."""
    if text.isascii():
        return True
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _shown(name: str) -> str:
    """A name with its undecodable bytes as escapes ("caf\\xe9.txt"), other lone surrogates as theirs."""
    try:
        return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    except UnicodeEncodeError:
        return _SURROGATE.sub(lambda found: f"\\u{ord(found[0]):04x}", name)


def _text(text: str) -> str:
    return _SURROGATE.sub("\ufffd", text)


_Read = RawDocument | Skipped | Progress | PassedOver


def _read_all(inputs: Iterable[str], exclude: Iterable[str]) -> Iterator[_Read]:
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
            folder = folder_profile(paths)
            for path in paths:
                try:
                    size = os.path.getsize(path)
                except OSError as err:
                    yield Skipped(path, f"cannot read: {err.strerror or err}")
                    continue
                yield from _read_file(path, folder.shared_lines, folder.templates.get(path))
                done += size
                yield Progress(done)


_PROFILE_FILES = 2000  # page dumps and pages of a folder read to find what they share
_PROFILE_BYTES = 256 * 1024
_SHARED_IN = 3  # a line in this many page dumps of a folder is the site's, not a story's
_TEMPLATE_ITEMS = 10  # short items (a menu's links, a footer's lines) two pages of one template share at least
_SHORT_ITEM = 8  # words of a short item


@dataclass(frozen=True)
class Folder:
    """What the pages of one folder share: the lines that stand in three or more of its page dumps
    (the menus, notices and footers of the site or crawl they come from), and the template each
    page shares with others of the folder, where it does (an id: see :func:`templates`)."""

    shared_lines: frozenset[str] = frozenset()
    templates: dict[str, str] = field(default_factory=dict)


def folder_profile(paths: Iterable[str]) -> Folder:
    """What the files of one folder share (the first 2,000 page dumps and HTML pages among them
    are read, 256 KB of each)."""
    counts: Counter[str] = Counter()
    items: dict[str, set[int]] = {}
    for path in paths:
        if len(items) == _PROFILE_FILES:
            break
        try:
            with open(path, "rb") as handle:
                head = handle.read(_PROFILE_BYTES)
        except OSError:
            continue
        if head.startswith(_GZIP_MAGIC) or _looks_binary(head):
            continue
        kind = sniff(head, path)
        if kind == "text":
            lines = {line.strip() for line in decode(head).splitlines() if 0 < len(line.strip()) <= 400}
            counts.update(lines)
            items[path] = {_item_hash(line) for line in lines if len(line.split()) <= _SHORT_ITEM}
        elif kind == "html":
            items[path] = {
                _item_hash(item) for item in page_items(decode_html(head)) if len(item.split()) <= _SHORT_ITEM
            }
    return Folder(frozenset(line for line, count in counts.items() if count >= _SHARED_IN), templates(items))


def _item_hash(item: str) -> int:
    return xxhash.xxh3_64_intdigest(item.casefold().encode("utf-8", "surrogatepass"))


_UNSEEN = re.compile(r"<(script|style|noscript|template|svg)\b.*?</\1\s*>|<!--.*?-->", re.S | re.I)
_BREAKS = re.compile(
    r"</?(?:p|div|li|td|th|tr|h[1-6]|br|ul|ol|nav|header|footer|section|article|aside|table|form|option"
    r"|dt|dd|blockquote|a|button|span|title)\b[^>]*>",
    re.I,
)
_TAG = re.compile(r"<[^>]*>")


def page_items(page: str) -> set[str]:
    """The bits of text an HTML page shows between its blocks and links (a menu's entries, a
    footer's lines, a paragraph), whitespace folded: what pages of one template share, read with
    regular expressions (a fast look, not an extraction)."""
    text = _TAG.sub(" ", _BREAKS.sub("\n", _UNSEEN.sub(" ", page)))
    return {folded for line in html.unescape(text).split("\n") if len(folded := " ".join(line.split())) > 1}


def templates(items: Mapping[str, set[int]]) -> dict[str, str]:
    """Which pages share a template: two pages whose short items (menu entries, footer lines) that
    other pages of the folder have too number ten or more, and half of either's, are of one
    template, and so, through them, are all pages of one group. Each page of a group is given
    the group's id: a hash of the items all its first pages share, so that the same site's pages
    read in another run get the same id. Copies of one story on two sites share their headline
    and byline, not a template."""
    counts = Counter(item for found in items.values() for item in found)
    shared = {path: {item for item in found if counts[item] >= 2} for path, found in items.items()}
    groups: list[tuple[set[int], list[str]]] = []  # (the items of a group's first page, its pages)
    by_item: dict[int, set[int]] = {}  # an item -> the groups whose first page has it
    for path, mine in shared.items():
        if len(mine) < _TEMPLATE_ITEMS:
            continue
        near = Counter(group for item in mine for group in by_item.get(item, ()))
        joined = next(
            (
                g
                for g, common in near.most_common()
                if common >= _TEMPLATE_ITEMS and 2 * common >= min(len(mine), len(groups[g][0]))
            ),
            None,
        )
        if joined is None:
            for item in mine:
                by_item.setdefault(item, set()).add(len(groups))
            groups.append((mine, [path]))
        else:
            groups[joined][1].append(path)
    found: dict[str, str] = {}
    for first, pages in groups:
        if len(pages) < 2:
            continue
        common = set(first).intersection(*(shared[page] for page in pages[:3]))
        name = f"{xxhash.xxh3_64_intdigest(repr(sorted(common)[:8]).encode()):016x}"
        found |= {page: name for page in pages}
    return found


def sniff(head: bytes, name: str = "") -> str:
    """The kind of a document from its first bytes (after any gzip is taken off), its name
    settling only what they leave open: ``warc``, ``arc``, ``feed`` (JSON objects a line),
    ``json`` (one JSON document over many lines), ``html`` or ``text`` (a page dump)."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or (b"\x00" in head[:_SNIFF] and _utf16(head[:_SNIFF])):
        head = decode(head).encode("utf-8")
    start = head.removeprefix(b"\xef\xbb\xbf").lstrip()
    if start.startswith(b"WARC/"):
        return "warc"
    if start.startswith(b"filedesc://"):
        return "arc"
    suffix = os.path.splitext(name.lower().removesuffix(".gz"))[1]
    if suffix in _FEED_SUFFIXES:
        return "feed"
    if start[:1] in (b"{", b"["):
        line, newline, _ = start.partition(b"\n")
        if not newline:  # the first line is longer than the head: a feed's record, or one document
            return "feed" if start.startswith(b'{"') else "json"
        try:
            first = json.loads(line)
        except ValueError:
            return "json"
        return "feed" if isinstance(first, dict) else "json"
    if suffix in _HTML_SUFFIXES or _HTML_START.match(start):
        return "html"
    return "text"


def _gunzip_head(head: bytes) -> bytes:
    """The first bytes of what a gzip stream holds (as much as ``head`` decompresses to)."""
    try:
        return zlib.decompressobj(wbits=31).decompress(head, _SNIFF)
    except zlib.error:
        return b""


def walk(item: str) -> Iterator[list[str] | Skipped]:
    """The files under ``item``, a folder at a time: its files in name order, then its folders,
    depth first. Hidden entries (".git") are passed over; symbolic links to folders are followed
    once (a link back up the tree is not a loop). A folder with no file at all is a Skipped."""
    if not os.path.isdir(item):
        yield [item]
        return
    seen: set[str] = set()
    found = False

    def visit(directory: str) -> Iterator[list[str] | Skipped]:
        nonlocal found
        real = os.path.realpath(directory)
        if real in seen:
            return
        seen.add(real)
        try:
            entries = sorted(os.scandir(directory), key=lambda entry: entry.name)
        except OSError as err:
            found = True  # said already
            yield Skipped(directory, f"cannot read directory: {err.strerror or err}")
            return
        entries = [entry for entry in entries if not entry.name.startswith(".")]
        kinds = {entry.name: _entry_kind(entry) for entry in entries}
        files = [os.path.join(directory, e.name) for e in entries if kinds[e.name] == "file"]
        if files:
            found = True
            yield files
        for entry in entries:
            path = os.path.join(directory, entry.name)
            if kinds[entry.name] == "folder":
                yield from visit(path)
            elif kinds[entry.name] != "file":
                found = True  # said: a thing that is not a file to read
                yield Skipped(path, kinds[entry.name])

    yield from visit(item)
    if not found:
        yield Skipped(item, NO_FILES)


NO_FILES = "no files in this folder (hidden files are passed over)"


def _entry_kind(entry: os.DirEntry[str]) -> str:
    """``folder`` or ``file`` (a regular file: what is read), else why it is passed over: a FIFO,
    a socket or a device would block a read or never end, and a symbolic link may go round."""
    try:
        if entry.is_dir():
            return "folder"
        if entry.is_file():
            return "file"
        if entry.is_symlink() and not os.path.exists(entry.path):
            return "a symbolic link to nothing: passed over"
    except OSError as err:
        return f"cannot follow: {err.strerror or err}"
    return "not a regular file (a FIFO, socket or device): passed over"


def has_files(item: str) -> bool:
    """Whether an input holds anything to read: a file, standard input, or a folder with a file in it
    (or a folder it cannot read, which the ingest reports). Stops at the first: a folder's
    "no files" comes only after all of it was walked."""
    return any(not (isinstance(group, Skipped) and group.reason == NO_FILES) for group in walk(item))


def _read_file(
    path: str, shared: frozenset[str] = frozenset(), template: str | None = None
) -> Iterator[RawDocument | Skipped | PassedOver]:
    """The documents of one file, read for what it holds (:func:`sniff`); a page dump carries
    ``shared``, the lines it shares with its folder, and a page the ``template`` it shares with
    other pages of its folder (see :func:`templates`)."""
    try:
        with open(path, "rb") as raw:
            head = raw.read(_SNIFF)
            compressed = head.startswith(_GZIP_MAGIC)
            kind = sniff(_gunzip_head(head) if compressed else head, path)
            raw.seek(0)
            if kind in ("warc", "arc"):
                yield from warc_records(raw, path)
                return
            stream, inflated = gunzip(raw) if compressed else (raw, None)
            if kind == "feed":
                yield from _feed_lines(path, _bounded_lines(stream))
                if inflated is not None and (problem := inflated.problem(path)):
                    yield problem
                return
            data = stream.read(MAX_DOCUMENT + 1)
            if inflated is not None and (problem := inflated.problem(path)):
                yield problem
                return
    except (OSError, EOFError, zlib.error) as err:
        yield Skipped(path, f"cannot read: {getattr(err, 'strerror', None) or err}")
        return
    if len(data) > MAX_DOCUMENT:
        yield Skipped(path, _too_large())
        return
    if kind == "json" and (records := _json_document(path, data)) is not None:
        yield from records
        return
    real = os.path.realpath(path)
    for doc in _read_stream(path, data, guess=False, html=kind == "html"):
        yield replace(doc, shared_lines=shared, file=real, template=template) if isinstance(doc, RawDocument) else doc


def _json_document(path: str, data: bytes) -> list[RawDocument | Skipped] | None:
    """The records of a file holding one JSON document: an object is one record, an array one a
    member. None where it is not JSON after all (it is read as a page dump then)."""
    try:
        document = json.loads(decode(data), parse_int=json_int)
    except (ValueError, RecursionError):
        return None
    if isinstance(document, list):
        return [record_document(f"{path}:{number}", record) for number, record in enumerate(document, start=1)]
    return [record_document(path, document)]


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
    yield from _read_stream("-", data, guess=True)


BOMB_RATIO = 200  # times its size a gzip stream holds at most: text holds 3-10, a decompression bomb thousands
BOMB_BYTES = 64 * _MB  # what a stream may inflate to before its ratio is looked at


class Gunzip(io.RawIOBase):
    """A gzip stream (members one after another, as a gzipped crawl or feed has them) inflated as
    far as it goes: a stream cut short ends where its data does (``cut``), with everything before
    the cut read, where ``gzip`` would raise and lose the last block read; and a stream that
    inflates over :data:`BOMB_RATIO` times its size past :data:`BOMB_BYTES` ends there (``bomb``)."""

    def __init__(self, raw: BinaryIO) -> None:
        self.raw = raw
        self.inflate = zlib.decompressobj(wbits=31)
        self.tail = b""  # compressed bytes read and not yet inflated
        self.taken = 0  # compressed bytes read
        self.given = 0  # inflated bytes given
        self.member = False  # inside a member (its header read, its end not yet)
        self.cut = False
        self.bomb = False
        self.ended = False

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        view = memoryview(buffer).cast("B")
        while not self.ended:
            if not self.tail:
                self.tail = self.raw.read(64 * 1024)
                self.taken += len(self.tail)
                if not self.tail:
                    self.cut = self.member
                    self.ended = True
                    break
            try:
                data = self.inflate.decompress(self.tail, len(view))
            except zlib.error:  # not gzip (any more): what came before is what there is
                self.cut = self.member
                self.ended = True
                break
            self.member = not self.inflate.eof
            self.tail = self.inflate.unconsumed_tail
            if self.inflate.eof:  # the next member, if another follows
                self.tail = self.inflate.unused_data + self.tail
                self.inflate = zlib.decompressobj(wbits=31)
            if data:
                self.given += len(data)
                if self.given > BOMB_BYTES and self.given > BOMB_RATIO * self.taken:
                    self.bomb = self.ended = True
                    return 0
                view[: len(data)] = data
                return len(data)
        return 0

    def problem(self, path: str) -> Skipped | None:
        """Why the stream ended before its end, where it did."""
        if self.bomb:
            return Skipped(
                path,
                f"stopped reading after {self.given // _MB:,} MB inflated from {self.taken // 1024:,} KB: "
                f"over {BOMB_RATIO} times its size, as a decompression bomb",
            )
        if self.cut:
            return Skipped(path, "the gzip stream is cut short: what came before the cut was read")
        return None


def gunzip(raw: BinaryIO) -> tuple[BinaryIO, Gunzip]:
    """A gzip stream, buffered, and the reader that says how it ended."""
    inflated = Gunzip(raw)
    return cast(BinaryIO, io.BufferedReader(inflated, 256 * 1024)), inflated


def _bounded_lines(stream: BinaryIO) -> Iterator[bytes | int | None]:
    """The lines of a stream, None for a line longer than :data:`MAX_DOCUMENT` (read through, not
    kept); a run of blank lines as their number, read a buffer at a time (a line at a time, a
    gigabyte of newlines would take minutes)."""
    peek = getattr(stream, "peek", None)
    while line := stream.readline(MAX_DOCUMENT + 1):
        if len(line) > MAX_DOCUMENT and not line.endswith(b"\n"):
            while (rest := stream.readline(_MB)) and not rest.endswith(b"\n"):
                pass
            yield None
        elif line.strip() or peek is None:
            yield line
        else:
            blank = 1
            while (ahead := peek(64 * 1024)) and (run := len(ahead) - len(ahead.lstrip(b"\r\n \t"))):
                blank += ahead[:run].count(b"\n")
                stream.read(run)
                if run < len(ahead):
                    break
            yield blank


def warc_records(stream: BinaryIO, path: str) -> Iterator[RawDocument | Skipped | PassedOver]:
    """Each HTML response of a WARC or ARC crawl (read from ``stream``), keyed by its target URI;
    the other records counted. A crawl gzipped whole rather than record by record is read too,
    when ``stream`` can be read again from its start. What warcio would print (a record whose
    length is wrong) becomes a Skipped of one line, warcio's own words its ``detail``."""
    from warcio.exceptions import ArchiveLoadFailed

    counts = [0, 0]  # HTML responses read, other records passed over
    try:
        yield from _records(stream, path, counts, skip=0)
    except ArchiveLoadFailed as err:
        message = str(err)
        if "non-chunked gzip" in message and stream.seekable():
            stream.seek(0)
            inflated, reader = gunzip(stream)
            try:
                yield from _records(inflated, path, counts, skip=sum(counts))
            except Exception as again:
                if not reader.cut:  # a cut is said below, with what was read before it
                    yield _crawl_failed(path, sum(counts), again)
            if problem := reader.problem(path):
                yield replace(problem, reason=f"{problem.reason} ({counts[0]} pages read)")
        else:
            yield _crawl_failed(path, sum(counts), err)
    except Exception as err:
        yield _crawl_failed(path, sum(counts), err)
    if counts[1]:
        yield PassedOver(path, counts[1])


def _crawl_failed(path: str, records: int, err: BaseException) -> Skipped:
    detail = " ".join(str(err).split())
    first = next((line.strip() for line in str(err).splitlines() if line.strip()), type(err).__name__)
    first = first.removeprefix("ERROR:").strip().rstrip(".")
    if "non-chunked gzip" in first:
        first = "gzipped whole, not record by record"
    elif isinstance(err, OverflowError):
        first = "a record's length (Content-Length) is larger than any file"
    elif isinstance(err, (AttributeError, TypeError, KeyError, IndexError)):  # warcio's, on headers it needs
        first = "a record lacks a header a crawl record has (WARC-Target-URI, WARC-Type)"
    read = f"{records} record" if records == 1 else f"{records} records"
    return Skipped(path, f"cannot read the crawl after {read}: {first}", detail)


def _records(stream: BinaryIO, path: str, counts: list[int], *, skip: int) -> Iterator[RawDocument | Skipped]:
    from warcio.archiveiterator import ArchiveIterator

    records = ArchiveIterator(stream, arc2warc=True)
    number = 0
    while True:
        said = io.StringIO()
        with contextlib.redirect_stderr(said):  # only while warcio reads: the progress bar prints between
            record = next(records, None)
            if record is None:
                break
            number += 1
            uri = record.rec_headers.get_header("WARC-Target-URI")
            kind = record.http_headers.get_header("Content-Type", "") if record.http_headers else ""
            wanted = record.rec_type == "response" and uri and "html" in kind.lower() and number > skip
            data = record.content_stream().read(MAX_DOCUMENT + 1) if wanted else b""
            while record.raw_stream.read(_MB):  # the rest of the record, not kept
                pass
        heard = "\n".join(line for line in said.getvalue().splitlines() if not line.startswith(_MENDED))
        if heard.strip():
            yield _warcio_warning(path, uri, heard)
        if getattr(record.raw_stream, "limit", 0) > 0:  # the file ends inside this record
            raise EOFError(f"the record of {uri or 'an unnamed target'} is cut short")
        if number <= skip:
            continue
        if record.rec_type not in _RECORD_TYPES:  # its offset is known once it is read (as it is here)
            where = f"{path}@{records.get_record_offset()}"
            yield Skipped(where, "not a crawl record: its headers name none of the WARC record types")
            continue
        if not wanted:
            counts[1] += 1
            continue
        counts[0] += 1
        where = f"{path}#{uri}"
        if len(data) > MAX_DOCUMENT:
            yield Skipped(where, _too_large())
            continue
        if not data.strip():
            yield Skipped(where, "empty response")
            continue
        yield RawDocument(uri, where, "html", decode_html(data, kind), {"url": uri})


_RECORD_TYPES = frozenset(
    ("warcinfo", "response", "resource", "request", "metadata", "revisit", "conversion", "continuation")
)  # WARC 1.1; warcio reads an ARC's records as these

# what warcio says when it has mended a record itself (the record is read as it should be)
_MENDED = ("Replacing spaces in invalid WARC-Target-URI",)


def _warcio_warning(path: str, uri: str | None, said: str) -> Skipped:
    """What warcio printed while reading a record, as a Skipped of one line located by the byte
    offset warcio names (the record itself, where it was read, is stored under its own name)."""
    detail = " ".join(said.split())
    offset = re.search(r"Offset: (\d+)", said)
    where = f"{path}@{offset[1]}" if offset else f"{path}#{uri or 'a record'}"
    if "Content-Length" in said:
        reason = "a crawl record's length (Content-Length) is wrong: the record before this offset may be cut short"
    else:
        reason = "warcio could not read part of a crawl record"
    return Skipped(where, reason, detail)


def _read_stream(location: str, data: bytes, *, guess: bool, html: bool = False) -> Iterator[RawDocument | Skipped]:
    if not data.strip():
        yield Skipped(location, "empty")
        return
    if _looks_binary(data):
        yield Skipped(location, "binary file, not text")
        return
    text = decode(data)
    if guess and sniff(data[:_SNIFF]) == "html":
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


def _feed_lines(location: str, lines: Iterable[bytes | int | None]) -> Iterator[RawDocument | Skipped]:
    """The records of a JSON-lines feed (``None``: a line too long to read; a number: that many
    blank lines), each located by its line."""
    number = 0
    for line in lines:
        if isinstance(line, int):
            number += line
            continue
        number += 1
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
        record = json.loads(decode(line).rstrip("\r\n"), parse_int=json_int)
    except json.JSONDecodeError as err:
        return Skipped(where, f"invalid JSON ({err.msg.removesuffix(' at').lower()} at column {err.colno})")
    except RecursionError:
        return Skipped(where, "invalid JSON: nested too deeply")
    return record_document(where, record)


_MOST_DIGITS = 4000  # of an integer Python converts (it refuses over 4,300): a longer one is kept as its digits


def json_int(digits: str) -> int | str:
    """A JSON integer: its value, or its digits where it is too long to convert (nothing in a
    record needs its value, and an id keeps its digits either way)."""
    return int(digits) if len(digits) <= _MOST_DIGITS else digits


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
