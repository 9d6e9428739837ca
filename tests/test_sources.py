from __future__ import annotations

import gzip
import io
import json
import sys
from pathlib import Path

import pytest

from provenance import InputNotFound, RawDocument, Skipped
from provenance.sources import Progress, check_inputs, decode, read_inputs, total_bytes


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
        json.dumps({"id": "a", "text": "first", "publisher": "Daily", "published": "2020-01-02", "extra": 1})
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
        RawDocument("a", f"{feed}:1", "text", "first", {"publisher": "Daily", "published": "2020-01-02"}),
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
    assert isinstance(item, Skipped)
    assert item.reason.startswith("cannot read: ")


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
    assert items[0] == Skipped(str(tmp_path / "gone.txt"), "cannot read: No such file or directory")
    assert isinstance(items[1], RawDocument)


def test_lines_shared_by_three_page_dumps_of_a_folder(tmp_path: Path) -> None:
    for i in range(3):
        (tmp_path / f"{i}.txt").write_text(f"Site line\nStory {i} text\n")
    (tmp_path / "feed.jsonl").write_text('{"id": "x", "text": "Site line"}\n')
    docs = read(str(tmp_path))
    assert [d.shared_lines for d in docs if isinstance(d, RawDocument)] == [frozenset({"Site line"})] * 3 + [
        frozenset()
    ]
