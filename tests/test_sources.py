from __future__ import annotations

import gzip
import io
import json
import re
import sys
from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from provenance import InputNotFound, RawDocument, Skipped
from provenance.sources import NO_FILES, Progress, check_inputs, decode, has_files, read_inputs, total_bytes


def read(*inputs: str) -> list[RawDocument | Skipped]:
    return [item for item in read_inputs(inputs) if not isinstance(item, Progress)]


def test_directories_are_read_recursively_a_folder_at_a_time(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "z.txt").write_text("zed")
    (tmp_path / "b" / "a.txt").write_text("ay")
    (tmp_path / "c.txt").write_text("cee")
    docs = read(str(tmp_path))
    assert [d.key for d in docs] == [  # a folder's files, then its folders
        str(tmp_path / "c.txt"),
        str(tmp_path / "b" / "a.txt"),
        str(tmp_path / "b" / "z.txt"),
    ]


def test_key_of_a_file_is_its_path_as_given(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("story.txt").write_text("some text")
    (doc,) = read("story.txt")
    assert isinstance(doc, RawDocument)
    assert (doc.key, doc.location, doc.kind) == ("story.txt", "story.txt", "text")


def test_feed_records_are_keyed_by_id_and_a_bad_line_skips_only_itself(tmp_path: Path) -> None:
    feed = tmp_path / "feed.jsonl"
    feed.write_text(
        json.dumps({"id": "a", "text": "first", "publisher": "Daily", "language": "en", "extra": 1})
        + "\n{not json\n"
        + json.dumps({"id": "b", "html": "<p>second</p>", "url": "https://example.org/b"})
        + "\n"
        + json.dumps({"text": "no id"})
        + "\n"
        + json.dumps({"id": "c", "text": 5})
        + "\n"
        + json.dumps(["a list"])
        + "\n"
        + "\n"
    )
    items = read(str(feed))
    assert items == [
        RawDocument("a", f"{feed}:1", "text", "first", {"publisher": "Daily", "language": "en"}),
        Skipped(f"{feed}:2", "invalid JSON (expecting property name enclosed in double quotes at column 2)"),
        RawDocument("b", f"{feed}:3", "html", "<p>second</p>", {"url": "https://example.org/b"}),
        Skipped(f"{feed}:4", 'no "id" (a non-empty string)'),
        Skipped(f"{feed}:5", 'record \'c\' has no "text" or "html" string'),
        Skipped(f"{feed}:6", "not a JSON object"),
    ]


def test_gzipped_feed_and_page(tmp_path: Path) -> None:
    (tmp_path / "feed.jsonl.gz").write_bytes(gzip.compress(b'{"id": "x", "text": "hello"}\n'))
    (tmp_path / "page.html.gz").write_bytes(gzip.compress(b"<p>hello</p>"))
    items = read(str(tmp_path))
    assert [(i.key, i.kind) for i in items if isinstance(i, RawDocument)] == [
        ("x", "text"), (str(tmp_path / "page.html.gz"), "html")]  # fmt: skip


def test_truncated_gzip_is_skipped_with_its_reason(tmp_path: Path) -> None:
    path = tmp_path / "cut.txt.gz"
    path.write_bytes(gzip.compress(b"hello world " * 1000)[:40])
    (item,) = read(str(path))
    assert item == Skipped(str(path), "the gzip stream is cut short: what came before the cut was read")


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "empty"),
        (b"  \n\n ", "empty"),
        (b"%PDF-1.7\n...", "binary file, not text"),
        (b"\x89PNG\r\n\x1a\n....", "binary file, not text"),
        (b"abc\x00def", "binary file, not text"),
    ],
)
def test_empty_and_binary_files_are_skipped(tmp_path: Path, content: bytes, reason: str) -> None:
    path = tmp_path / "f.txt"
    path.write_bytes(content)
    assert read(str(path)) == [Skipped(str(path), reason)]


@pytest.mark.parametrize(
    ("data", "text"),
    [
        ("café".encode(), "café"),
        (b"\xef\xbb\xbfcaf\xc3\xa9", "café"),
        ("café — “quoted”".encode("cp1252"), "café — “quoted”"),
        ("café".encode("latin-1"), "café"),
        ("café".encode("utf-16"), "café"),
        (b"\xfe\xff" + "café".encode("utf-16-be"), "café"),
    ],
)
def test_text_that_is_not_utf8_is_decoded_not_dropped(data: bytes, text: str) -> None:
    assert decode(data) == text


def test_utf16_file_is_not_taken_for_binary(tmp_path: Path) -> None:
    path = tmp_path / "u16.txt"
    path.write_bytes("An article in UTF-16.".encode("utf-16"))
    (doc,) = read(str(path))
    assert isinstance(doc, RawDocument)
    assert doc.content == "An article in UTF-16."


def test_standard_input_is_sniffed(monkeypatch: pytest.MonkeyPatch) -> None:
    feed = b'{"id": "s1", "text": "from a pipe"}\n{"id": "s2", "text": "another"}\n'
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(feed)))
    assert [d.key for d in read("-")] == ["s1", "s2"]
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"Plain text from a pipe.")))
    (doc,) = read("-")
    assert isinstance(doc, RawDocument)
    assert (doc.key, doc.kind) == ("-", "text")


def test_missing_input_raises_before_anything_is_read(tmp_path: Path) -> None:
    with pytest.raises(InputNotFound, match=r"input not found: nope\.txt"):
        check_inputs([str(tmp_path), "nope.txt"])


def test_progress_counts_bytes_of_files(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("x" * 10)
    (tmp_path / "b.txt").write_text("y" * 5)
    marks = [i.done for i in read_inputs([str(tmp_path)]) if isinstance(i, Progress)]
    assert marks == [10, 15]
    assert total_bytes([str(tmp_path)]) == 15
    assert total_bytes(["-"]) is None


def test_symlink_loop_and_hidden_entries(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "story.txt").write_text("text")
    (tmp_path / "a" / "loop").symlink_to(tmp_path)
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "HEAD").write_text("ref")
    (tmp_path / ".DS_Store").write_bytes(b"\x00\x01")
    assert [d.key for d in read(str(tmp_path))] == [str(tmp_path / "a" / "story.txt")]


def test_odd_file_names_are_read(tmp_path: Path) -> None:
    name = tmp_path / "a story\nwith newline é.txt"
    name.write_text("text")
    assert [d.key for d in read(str(tmp_path))] == [str(name)]


def test_unreadable_file_is_skipped_with_its_reason(tmp_path: Path) -> None:
    (tmp_path / "gone.txt").symlink_to(tmp_path / "missing-target.txt")
    (tmp_path / "ok.txt").write_text("text")
    items = read(str(tmp_path))
    assert isinstance(items[0], RawDocument)  # the folder's files first, then what is passed over
    assert items[1] == Skipped(str(tmp_path / "gone.txt"), "a symbolic link to nothing: passed over")


def test_lines_shared_by_three_page_dumps_of_a_folder(tmp_path: Path) -> None:
    for i in range(3):
        (tmp_path / f"{i}.txt").write_text(f"Site line\nStory {i} text\n")
    (tmp_path / "feed.jsonl").write_text('{"id": "x", "text": "Site line"}\n')
    docs = read(str(tmp_path))
    assert [d.shared_lines for d in docs if isinstance(d, RawDocument)] == [frozenset({"Site line"})] * 3 + [
        frozenset()
    ]


# -- a file is read for what it holds, whatever its name ---------------------------------------

PAGE = (
    b"<!DOCTYPE html>\n<html><head><title>Harbour ferry fares rise</title>"
    b'<link rel="stylesheet" href="site.css"></head><body><article><p>Fares rise.</p></article></body></html>'
)


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        ("mirror/news/ferry-fares", PAGE, "html"),  # a page wget saved without an extension
        ("page.txt", PAGE, "html"),
        ("fragment", b'<link rel="stylesheet" href="a.css">\n<div><p>Fares rise.</p></div>', "html"),
        ("page.html", b"Fares rise, says the operator.", "html"),  # the name settles what the bytes leave open
        ("notes.txt", b"Fares rise, says the operator.\n<p> is a tag.", "text"),
    ],
)
def test_files_are_sniffed_like_standard_input(tmp_path: Path, name: str, content: bytes, kind: str) -> None:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    (doc,) = read(str(path))
    assert isinstance(doc, RawDocument)
    assert doc.kind == kind


def test_json_files_are_read_as_feeds_or_documents(tmp_path: Path) -> None:
    lines = tmp_path / "lines.json"
    lines.write_text('{"id": "a", "text": "first"}\n{"id": "b", "text": "second"}\n')
    one = tmp_path / "one.json"
    one.write_text(json.dumps({"id": "c", "text": "third"}, indent=2))
    many = tmp_path / "many.json"
    many.write_text(json.dumps([{"id": "d", "text": "fourth"}, {"id": "e"}], indent=2))
    docs = read(str(lines), str(one), str(many))
    assert [(d.key, d.location) if isinstance(d, RawDocument) else d for d in docs] == [
        ("a", f"{lines}:1"), ("b", f"{lines}:2"), ("c", str(one)), ("d", f"{many}:1"),
        Skipped(f"{many}:2", 'record \'e\' has no "text" or "html" string'),
    ]  # fmt: skip


def test_gzip_is_looked_through_whatever_the_name(tmp_path: Path) -> None:
    (tmp_path / "feed.dat").write_bytes(gzip.compress(b'{"id": "x", "text": "hello"}\n'))
    (tmp_path / "page.bin").write_bytes(gzip.compress(PAGE))
    (tmp_path / "dump").write_bytes(gzip.compress(b"Plain text of a story."))
    docs = read(str(tmp_path))
    assert [(d.key, d.kind) for d in docs if isinstance(d, RawDocument)] == [
        (str(tmp_path / "dump"), "text"), ("x", "text"), (str(tmp_path / "page.bin"), "html")]  # fmt: skip


def arc_file(records: list[tuple[str, bytes]]) -> bytes:
    """An ARC (version 1) crawl, as the Internet Archive wrote them before WARC."""
    header = b"1 0 Example crawl\nURL IP-address Archive-date Content-type Archive-length\n"
    out = b"filedesc://crawl.arc 0.0.0.0 20260301000000 text/plain %d\n%s\n" % (len(header), header)
    for url, html in records:
        payload = b"HTTP/1.0 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n" + html
        out += b"%s 127.0.0.1 20260301000000 text/html %d\n%s\n" % (url.encode(), len(payload), payload)
    return out


def test_arc_crawls_are_read_record_by_record(tmp_path: Path) -> None:
    data = arc_file([("https://example.org/a", PAGE), ("https://example.org/b", b"<html><p>Two.</p></html>")])
    (tmp_path / "crawl.arc").write_bytes(data)
    (tmp_path / "crawl.arc.gz").write_bytes(gzip.compress(data))
    items = [i for i in read_inputs([str(tmp_path / "crawl.arc"), str(tmp_path / "crawl.arc.gz")])]
    docs = [i for i in items if isinstance(i, RawDocument)]
    assert [(d.key, d.kind) for d in docs] == [("https://example.org/a", "html"), ("https://example.org/b", "html")] * 2
    assert docs[0].content == PAGE.decode()
    assert not [i for i in items if isinstance(i, Skipped)]


def _warc(records: int, *, compress: bool) -> bytes:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    out = io.BytesIO()
    writer = WARCWriter(out, gzip=compress)
    for n in range(records):
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.0")
        page = io.BytesIO(f"<html><body><p>Page {n} of the crawl.</p></body></html>".encode())
        writer.write_record(writer.create_warc_record(f"https://example.org/{n}", "response", payload=page,
                                                      http_headers=headers))  # fmt: skip
    return out.getvalue()


def test_a_warc_gzipped_whole_is_read(tmp_path: Path) -> None:
    path = tmp_path / "crawl.warc.gz"
    path.write_bytes(gzip.compress(_warc(3, compress=False)))  # one gzip member, not one a record
    assert [d.key for d in read(str(path))] == [f"https://example.org/{n}" for n in range(3)]


def test_what_warcio_prints_becomes_one_line_with_the_detail_kept(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    data = _warc(3, compress=False)
    length = re.search(rb"Content-Length: (\d+)", data)
    assert length is not None
    data = data[: length.start(1)] + str(int(length[1]) - 10).encode() + data[length.end(1) :]  # the first cut short
    path = tmp_path / "crawl.warc"
    path.write_bytes(data)
    items = read(str(path))
    (warning,) = [i for i in items if isinstance(i, Skipped)]
    assert re.fullmatch(rf"{re.escape(str(path))}@\d+", warning.location)
    assert warning.reason == (
        "a crawl record's length (Content-Length) is wrong: the record before this offset may be cut short"
    )
    assert warning.detail is not None
    assert warning.detail.startswith("WARNING: Record not followed by newline")
    assert [d.key for d in items if isinstance(d, RawDocument)] == [f"https://example.org/{n}" for n in range(3)]
    assert capfd.readouterr().err == ""


def test_a_folder_with_no_files_says_so(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    (tmp_path / "hidden").mkdir()
    (tmp_path / "hidden" / ".draft.txt").write_text("not for ingest")
    assert read(str(tmp_path / "empty"), str(tmp_path / "hidden")) == [
        Skipped(str(tmp_path / "empty"), NO_FILES), Skipped(str(tmp_path / "hidden"), NO_FILES)]  # fmt: skip
    assert not has_files(str(tmp_path / "empty"))
    (tmp_path / "hidden" / "story.txt").write_text("text")
    assert has_files(str(tmp_path / "hidden"))
    assert has_files("-")


def test_what_warcio_mends_itself_is_no_skip(tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    out = io.BytesIO()
    writer = WARCWriter(out, gzip=False)
    headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.0")
    writer.write_record(writer.create_warc_record("https://example.org/a b", "response", http_headers=headers,
                                                  payload=io.BytesIO(b"<html><p>A page.</p></html>")))  # fmt: skip
    (tmp_path / "crawl.warc").write_bytes(out.getvalue())
    (doc,) = read(str(tmp_path / "crawl.warc"))  # the space in its address replaced by warcio, nothing to say
    assert isinstance(doc, RawDocument)
    assert capfd.readouterr().err == ""


def test_pages_sharing_a_menu_share_a_template_and_copies_of_a_story_do_not() -> None:
    from provenance.sources import page_items, templates

    menu = "".join(f"<li><a href='/{n}'>Section {n}</a></li>" for n in range(14))
    other = "".join(f"<li><a href='/{n}'>Rubric {n}</a></li>" for n in range(14))
    story = "<h1>Ferry fares to rise</h1><p>By Ruth Okafor</p><p>HARBOUR (Northwind) - Fares will rise.</p>"

    def items(page: str) -> set[int]:
        return {hash(item) for item in page_items(page) if len(item.split()) <= 8}

    pages = {
        "a.html": items(f"<ul>{menu}</ul><p>The first story of the site.</p>"),
        "b.html": items(f"<ul>{menu}</ul><p>The second story of the site.</p>"),
        "c.html": items(f"<ul>{other}</ul>{story}"),
        "d.html": items(f"<nav>{''.join(f'<a>Link {n}</a>' for n in range(14))}</nav>{story}"),
    }
    found = templates(pages)
    assert found["a.html"] == found["b.html"]
    assert "c.html" not in found  # the headline and byline alone are no template
    assert "d.html" not in found
    assert templates(dict(reversed(list(pages.items())))) == found  # an id that does not hang on the order


@given(st.text(st.characters() | st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF, exclude_categories=())))
@example("caf\udce9.txt")  # an undecodable byte of a file's name
@example("\ud83d\ude00")  # a JSON string's escaped pair: two surrogates, not one character
@example("curly \u201cquotes\u201d")
def test_a_string_encodes_where_it_holds_no_surrogate(text: str) -> None:
    # what decides whether a read document is stored as it is or escaped (sources.storable)
    from provenance import sources

    assert sources._encodes(text) is (re.search("[\ud800-\udfff]", text) is None)
