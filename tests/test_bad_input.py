"""One batch of every kind of bad input a crawl holds: each is skipped with a reason naming it,
kept in the store's ``skipped`` table, and the good inputs beside it all go in."""

from __future__ import annotations

import gzip
import io
import json
import os
import random
import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from provenance.cli import app

from .strategies import VOCABULARY

runner = CliRunner()
_rnd = random.Random(3)


def article(seed: int) -> str:
    rnd = random.Random(seed)
    return "\n\n".join(
        " ".join(" ".join(rnd.choices(VOCABULARY, k=14)).capitalize() + "." for _ in range(3)) for _ in range(5)
    )


def truncated_warc() -> bytes:
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=False)
    for n in range(3):
        body = f"<html><body><article><p>{article(100 + n)}</p></article></body></html>".encode()
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.0")
        writer.write_record(writer.create_warc_record(f"https://example.org/{n}", "response", payload=io.BytesIO(body),
                                                      http_headers=headers))  # fmt: skip
    data = out.getvalue()
    return data[: len(data) - 200]  # the third record is cut short


def _entity(n: int) -> str:
    inner = "&a;" if n == 1 else f"&a{n - 1};"
    return f'<!ENTITY a{n} "{inner * 10}">'


_BOMB = (  # a billion "aaaaaaaaaa" were the entities expanded
    '<?xml version="1.0"?><!DOCTYPE page [<!ENTITY a "aaaaaaaaaa">'
    + "".join(_entity(n) for n in range(1, 10))
    + "]><html><body><p>&a9;</p><article><p>{text}</p></article></body></html>"
)


def feed() -> str:
    lines = [
        json.dumps({"id": "feed-good", "text": article(20)}),
        '{"id": "feed-broken", "text": "an unterminated',
        json.dumps({"text": article(21)}),
        json.dumps({"id": "feed-no-text"}),
        json.dumps({"id": "feed-list", "text": ["not", "a", "string"]}),
        json.dumps([1, 2, 3]),
        json.dumps({"id": 42, "text": article(22)}),  # a number is a usable id
        json.dumps({"id": "feed-after", "text": article(23)}),
    ]
    return "\n".join(lines) + "\n"


@pytest.fixture
def crawl(tmp_path: Path) -> Path:
    """A folder with the good and the bad inputs side by side."""
    folder = tmp_path / "crawl"
    folder.mkdir()
    good = {
        "plain.txt": article(1).encode(),
        "name with spaces é\nand a newline.txt": article(2).encode(),
        "utf16-bom.txt": article(3).encode("utf-16"),
        "utf16-no-bom.txt": article(4).encode("utf-16-le"),
        "latin1.txt": (article(5) + " Café au lait, naïve.").encode("latin-1"),
        "cp1252.txt": (article(6) + " \u201cQuoted\u201d \u2014 said.").encode("cp1252"),
        "invalid-utf8.txt": article(7).encode() + b" \xff\xfe\xc3( end.",
        "nested.html": ("<html><body>" + "<div>" * 50_000 + f"<p>{article(8)}</p></body></html>").encode(),
        "unclosed.html": f"<html><body><article><p>{article(9)}<div><span><b>".encode(),
        "entity-bomb.html": _BOMB.replace("{text}", article(10)).encode(),
        "feed.jsonl": feed().encode(),
        "crawl.warc": truncated_warc(),
    }
    bad = {
        "image.png": b"\x89PNG\r\n\x1a\n" + _rnd.randbytes(4000),
        "report.pdf": b"%PDF-1.4\n" + _rnd.randbytes(4000),
        "program": b"\x7fELF\x02\x01\x01" + _rnd.randbytes(4000),
        "empty.txt": b"",
        "chrome.txt": b"Home News Sport\nShare\nTweet\nAdvertisement\n",
        "truncated.txt.gz": gzip.compress(article(11).encode())[:200],
        "one-line.txt": b"word " * (2 * 2**20),
    }
    for name, data in {**good, **bad}.items():
        (folder / name).write_bytes(data)
    with (folder / "huge.txt").open("wb") as out:  # 100 MB: more than any page, never read whole
        chunk = (article(12) + "\n\n").encode()
        while out.tell() < 100 * 2**20:
            out.write(chunk)
    (folder / "loop").mkdir()
    (folder / "loop" / "inside.txt").write_text(article(13))
    os.symlink("..", folder / "loop" / "up")  # a folder that contains itself
    os.symlink("/proc/self/mem", folder / "unreadable.txt")  # a read error whoever runs the test
    return folder


def test_a_batch_of_bad_inputs_skips_each_with_its_reason_and_stores_the_rest(crawl: Path, tmp_path: Path) -> None:
    db = tmp_path / "store.db"
    result = runner.invoke(app, ["ingest", str(crawl), "--db", str(db), "-f", "json"])
    assert result.exit_code == 1, result.output
    c = str(crawl)
    reasons = {
        f"{c}/image.png": "binary file, not text",
        f"{c}/report.pdf": "binary file, not text",
        f"{c}/program": "binary file, not text",
        f"{c}/empty.txt": "empty",
        f"{c}/chrome.txt": "no article text found (only page boilerplate)",
        f"{c}/truncated.txt.gz": "the gzip stream is cut short: what came before the cut was read",
        f"{c}/one-line.txt": "text too long for one article: 10,485,759 characters (at most 1,000,000)",
        f"{c}/huge.txt": "too large for one article: over 16 MB (a feed of many articles is a .jsonl file)",
        f"{c}/unreadable.txt": "cannot read: Input/output error",
        f"{c}/crawl.warc": "cannot read the crawl after 2 records: the record of https://example.org/2 is cut short",
        f"{c}/feed.jsonl:2": "invalid JSON (unterminated string starting at column 31)",
        f"{c}/feed.jsonl:3": 'no "id" (a non-empty string)',
        f"{c}/feed.jsonl:4": 'record \'feed-no-text\' has no "text" or "html" string',
        f"{c}/feed.jsonl:5": 'record \'feed-list\' has no "text" or "html" string',
        f"{c}/feed.jsonl:6": "not a JSON object",
    }
    report = json.loads(result.stdout)
    assert {s["location"]: s["reason"] for s in report["skipped"]} == reasons
    with sqlite3.connect(db) as conn:
        kept = {row[0]: row[1] for row in conn.execute("SELECT location, reason FROM skipped")}
        seen = conn.execute("SELECT count(*) FROM skipped WHERE seen_at IS NOT NULL").fetchone()[0]
        texts = dict(conn.execute("SELECT key, text FROM articles"))
    assert (kept, seen) == (reasons, len(reasons))
    assert set(texts) == {
        f"{c}/plain.txt", f"{c}/name with spaces é\nand a newline.txt", f"{c}/utf16-bom.txt", f"{c}/utf16-no-bom.txt",
        f"{c}/latin1.txt", f"{c}/cp1252.txt", f"{c}/invalid-utf8.txt", f"{c}/nested.html", f"{c}/unclosed.html",
        f"{c}/entity-bomb.html", "feed-good", "42", "feed-after", "https://example.org/0", "https://example.org/1",
        f"{c}/loop/inside.txt",
    }  # fmt: skip
    assert report["run"] == {"read": 31, "new": 16, "updated": 0, "unchanged": 0, "repeated": 0, "exact_duplicates": 0,
                             "copies_linked": 0, "passed_over": 0, "moved": 0}  # fmt: skip
    assert texts[f"{c}/utf16-no-bom.txt"].split()[:5] == article(4).split()[:5]
    assert texts[f"{c}/latin1.txt"].endswith("Café au lait, naïve.")
    assert texts[f"{c}/cp1252.txt"].endswith("\u201cQuoted\u201d \u2014 said.")
    assert "aaaaaaaaaa" not in texts[f"{c}/entity-bomb.html"]  # entities are not expanded
    assert texts[f"{c}/nested.html"].split()[:5] == article(8).split()[:5]


def test_skipped_inputs_that_go_in_later_leave_the_skipped_table(crawl: Path, tmp_path: Path) -> None:
    db = str(tmp_path / "store.db")
    runner.invoke(app, ["ingest", str(crawl / "empty.txt"), "--db", db])
    (crawl / "empty.txt").write_text(article(30))
    result = runner.invoke(app, ["ingest", str(crawl / "empty.txt"), "--db", db])
    assert result.exit_code == 0
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM skipped").fetchone()[0] == 0


def test_a_feed_line_longer_than_any_article_is_skipped_and_the_next_lines_go_in(tmp_path: Path) -> None:
    feed_file = tmp_path / "feed.jsonl"
    with feed_file.open("w") as out:
        out.write(json.dumps({"id": "before", "text": article(40)}) + "\n")
        out.write('{"id": "giant", "text": "' + "x" * (17 * 2**20) + '"}\n')
        out.write(json.dumps({"id": "after", "text": article(41)}) + "\n")
    result = runner.invoke(app, ["ingest", str(feed_file), "--db", str(tmp_path / "s.db"), "-f", "json"])
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["skipped"] == [{"location": f"{feed_file}:2", "reason": "line too long for one article: over 16 MB"}]
    assert report["run"]["new"] == 2


def test_a_feed_on_standard_input_is_read_line_by_line(tmp_path: Path) -> None:
    lines = "".join(json.dumps({"id": f"in{n}", "text": article(50 + n)}) + "\n" for n in range(3)) + "{oops\n"
    result = runner.invoke(app, ["ingest", "-", "--db", str(tmp_path / "s.db"), "-f", "json"], input=lines)
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["run"]["new"] == 3
    assert report["skipped"] == [{"location": "-:4", "reason": "invalid JSON (expecting property name enclosed in "
                                  "double quotes at column 2)"}]  # fmt: skip


def test_a_record_no_encoding_can_store_loses_nothing_beside_it(tmp_path: Path) -> None:
    """Lone surrogates (valid JSON) in a record's id, title and text, and an integer of 5,000
    digits: every record is stored, the others of the batch with them; with two workers too."""
    lines = [
        json.dumps({"id": "good-1", "text": article(1)}),
        json.dumps({"id": "bad-\ud800", "title": "T\ud800", "publisher": "P\udfff", "text": article(2) + " \udc80"}),
        '{"id": "big", "n": ' + "9" * 5000 + f", {json.dumps('text')}: {json.dumps(article(3))}}}",
        *(json.dumps({"id": f"good-{n}", "text": article(n)}) for n in range(4, 700)),
    ]
    (tmp_path / "feed.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8", errors="surrogatepass")
    for workers in ("1", "2"):
        db = tmp_path / f"w{workers}.db"
        result = runner.invoke(app, ["ingest", str(tmp_path / "feed.jsonl"), "--db", str(db), "-q", "-j", workers])
        assert result.exit_code == 0, result.output
        with sqlite3.connect(db) as conn:
            keys = {key for (key,) in conn.execute("SELECT key FROM articles")}
            title = conn.execute("SELECT title FROM articles WHERE key = ?", ["bad-\\ud800"]).fetchone()
        assert len(keys) == len(lines)
        assert {"bad-\\ud800", "big", "good-1", "good-699"} <= keys
        assert title == ("T\ufffd",)


def test_names_and_things_that_are_no_files_to_read_are_passed_over_with_a_reason(tmp_path: Path) -> None:
    folder = tmp_path / "pages"
    folder.mkdir()
    (folder / "good.txt").write_text(article(7), encoding="utf-8")
    (folder / os.fsdecode(b"caf\xe9.txt")).write_text(article(8), encoding="utf-8")  # a name that is not UTF-8
    (folder / os.fsdecode(b"empty-\xff.txt")).write_bytes(b"")
    (folder / "self").symlink_to("self")
    (folder / "a").symlink_to("b")
    (folder / "b").symlink_to("a")
    (folder / "gone").symlink_to("nowhere")
    os.mkfifo(folder / "fifo")  # a read of it would wait for ever: so the run is a process of its own
    import subprocess
    import sys

    command = [sys.executable, "-m", "provenance", "ingest", str(folder), "--db", str(tmp_path / "s.db"), "-f", "json"]
    done = subprocess.run(command, capture_output=True, timeout=600, check=False)
    assert done.returncode == 1, done.stderr
    assert done.stderr == b""  # no traceback
    report = json.loads(done.stdout)
    reasons = {Path(s["location"]).name: s["reason"] for s in report["skipped"]}
    assert reasons == {
        "empty-\\xff.txt": "empty",
        "self": "cannot follow: Too many levels of symbolic links",
        "a": "cannot follow: Too many levels of symbolic links",
        "b": "cannot follow: Too many levels of symbolic links",
        "gone": "a symbolic link to nothing: passed over",
        "fifo": "not a regular file (a FIFO, socket or device): passed over",
    }
    with sqlite3.connect(tmp_path / "s.db") as conn:
        keys = {Path(key).name for (key,) in conn.execute("SELECT key FROM articles")}
    assert keys == {"good.txt", "caf\\xe9.txt"}


def _warc(pages: list[tuple[str, str]]) -> bytes:
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=False)
    for uri, text in pages:
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
        body = f"<html><body><p>{text}</p></body></html>".encode()
        writer.write_record(writer.create_warc_record(uri, "response", payload=io.BytesIO(body), http_headers=headers))
    return out.getvalue()


def _ingested(path: Path, tmp_path: Path) -> tuple[int, set[str], list[tuple[str, str]]]:
    result = runner.invoke(app, ["ingest", str(path), "--db", str(tmp_path / f"{path.name}.db"), "-q", "-f", "json"])
    report = json.loads(result.stdout)
    with sqlite3.connect(tmp_path / f"{path.name}.db") as conn:
        keys = {key for (key,) in conn.execute("SELECT key FROM articles")}
    return result.exit_code, keys, [(Path(s["location"]).name, s["reason"]) for s in report["skipped"]]


def test_a_crawl_keeps_what_it_read_before_a_record_it_cannot_read(tmp_path: Path) -> None:
    good = _warc([(f"https://example.org/{n}", article(n)) for n in range(3)])
    no_uri = _warc([("https://example.org/x", article(9))]).replace(b"WARC-Target-URI: https://example.org/x\r\n", b"")
    (tmp_path / "no-uri.warc").write_bytes(_warc([("https://example.org/first", article(8))]) + no_uri + good)
    huge = _warc([("https://example.org/huge", article(7))]).replace(
        b"Content-Length: ", b"Content-Length: " + b"9" * 20, 1
    )
    (tmp_path / "huge.warc").write_bytes(good + huge)
    (tmp_path / "cut.warc.gz").write_bytes(gzip.compress(good)[:-80])  # gzipped whole, its end cut off
    (tmp_path / "noise.warc").write_bytes(b"WARC/1.0\r\n" + random.Random(1).randbytes(3000))
    assert _ingested(tmp_path / "no-uri.warc", tmp_path) == (1, {"https://example.org/first"}, [(
        "no-uri.warc", "cannot read the crawl after 1 record: a record lacks a header a crawl record has "
        "(WARC-Target-URI, WARC-Type)")])  # fmt: skip
    three = {f"https://example.org/{n}" for n in range(3)}
    assert _ingested(tmp_path / "huge.warc", tmp_path) == (1, three, [(
        "huge.warc", "cannot read the crawl after 3 records: a record's length (Content-Length) is larger than any "
        "file")])  # fmt: skip
    assert _ingested(tmp_path / "cut.warc.gz", tmp_path) == (1, three - {"https://example.org/2"}, [(
        "cut.warc.gz", "the gzip stream is cut short: what came before the cut was read (2 pages read)")])  # fmt: skip
    assert _ingested(tmp_path / "noise.warc", tmp_path) == (1, set(), [(
        "noise.warc@0", "not a crawl record: its headers name none of the WARC record types")])  # fmt: skip


def test_blank_lines_cost_nothing_and_a_decompression_bomb_is_stopped(tmp_path: Path) -> None:
    lines = [
        json.dumps({"id": "first", "text": article(1)}),
        "\n" * 5_000_000,
        json.dumps({"id": "last", "text": article(2)}),
    ]
    (tmp_path / "blank.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, keys, skipped = _ingested(tmp_path / "blank.jsonl", tmp_path)
    assert (code, keys, skipped) == (0, {"first", "last"}, [])
    bomb = tmp_path / "bomb.jsonl.gz"
    bomb.write_bytes(gzip.compress(b"\n" * (100 * 2**20) + json.dumps({"id": "late", "text": article(3)}).encode()))
    assert _ingested(bomb, tmp_path) == (1, set(), [(
        "bomb.jsonl.gz", "stopped reading after 64 MB inflated from 64 KB: over 200 times its size, as a "
        "decompression bomb")])  # fmt: skip


def test_a_feed_line_after_many_blank_lines_is_located_by_its_line(tmp_path: Path) -> None:
    (tmp_path / "f.jsonl").write_text("\n\n\n" + "\n" * 70_000 + "{not json}\n", encoding="utf-8")
    code, _, skipped = _ingested(tmp_path / "f.jsonl", tmp_path)
    assert (code, [where for where, _ in skipped]) == (1, ["f.jsonl:70004"])


def test_a_hostile_folder_stores_every_good_file_and_skips_every_bad_one_without_a_traceback(tmp_path: Path) -> None:
    import subprocess
    import sys

    folder = tmp_path / "hostile"
    folder.mkdir()
    good = {f"good-{n}.txt": article(100 + n) for n in range(3)}
    for name, text in good.items():
        (folder / name).write_text(text, encoding="utf-8")
    feed = [json.dumps({"id": "feed-good", "text": article(200)}),
            json.dumps({"id": "feed-\ud800", "title": "\udfff", "text": article(201)}),
            '{"id": "feed-big", "n": ' + "7" * 5000 + f', "text": {json.dumps(article(202))}}}']  # fmt: skip
    (folder / "feed.jsonl").write_text("\n".join(feed) + "\n", encoding="utf-8", errors="surrogatepass")
    (folder / os.fsdecode(b"caf\xe9.txt")).write_text(article(300), encoding="utf-8")
    (folder / "self").symlink_to("self")
    os.mkfifo(folder / "fifo")
    pages = _warc([(f"https://example.org/h{n}", article(400 + n)) for n in range(2)])
    (folder / "cut.warc.gz").write_bytes(gzip.compress(pages)[:-80])
    (folder / "noise.warc").write_bytes(b"WARC/1.0\r\n" + random.Random(2).randbytes(2000))
    (folder / "bomb.jsonl.gz").write_bytes(gzip.compress(b"\n" * (80 * 2**20)))
    command = [sys.executable, "-m", "provenance", "ingest", str(folder), "--db", str(tmp_path / "h.db"), "-f", "json"]
    done = subprocess.run(command, capture_output=True, timeout=600, check=False)
    assert (done.returncode, done.stderr) == (1, b"")
    report = json.loads(done.stdout)
    skipped = sorted(Path(s["location"]).name for s in report["skipped"])
    assert skipped == ["bomb.jsonl.gz", "cut.warc.gz", "fifo", "noise.warc@0", "self"]
    with sqlite3.connect(tmp_path / "h.db") as conn:
        keys = {
            Path(key).name if "/" in key and "://" not in key else key
            for (key,) in conn.execute("SELECT key FROM articles")
        }
    assert keys == {*good, "caf\\xe9.txt", "feed-good", "feed-\\ud800", "feed-big", "https://example.org/h0"}
