"""Safety: ingest never opens the network, hostile text is data (never SQL or a search query),
stores it must not touch are left byte for byte, and the extractors survive fuzzing."""

from __future__ import annotations

import json
import random
import sqlite3
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from provenance import RawDocument, Skipped, Store, ingest
from provenance.cli import app
from provenance.fingerprint import DEFAULT_PARAMS
from provenance.pipeline import prepare
from provenance.sources import read_inputs

from .strategies import VOCABULARY, articles, page

runner = CliRunner()
FUZZ_EXAMPLES = 1500  # per fuzzing test; three of them

_NETWORK = ("socket.connect", "socket.getaddrinfo", "socket.gethostbyname", "urllib.Request", "http.client.connect")
_watching: list[list[str]] = []  # while a test watches, the network events seen


def _audit(event: str, args: tuple[Any, ...]) -> None:
    if _watching and event in _NETWORK:
        _watching[-1].append(f"{event} {args!r}"[:200])


sys.addaudithook(_audit)  # an audit hook cannot be removed: it records only while a test watches


@pytest.fixture
def network() -> Iterator[list[str]]:
    """The network events (socket connects, name look-ups, URL requests) made during a test."""
    seen: list[str] = []
    _watching.append(seen)
    yield seen
    _watching.remove(seen)


def test_ingest_never_opens_the_network(network: list[str], samples: str, tmp_path: Path) -> None:
    links = "https://example.com/story https://cdn.example.net/a.js http://198.51.100.7/x"
    html = (
        "<html><head><title>Linked page</title><link rel='canonical' href='https://example.com/story'>"
        "<script src='https://cdn.example.net/a.js'></script><meta http-equiv='refresh' content='0; url=http://x.test'>"
        "<link rel='stylesheet' href='https://cdn.example.net/s.css'></head><body><article>"
        "<img src='http://198.51.100.7/pixel.gif'><iframe src='https://ads.example.org/'></iframe>"
        f"<p>{page(['Read more at https://example.com/story and http://198.51.100.7/x today. ' * 8])}</p>"
        "</article></body></html>"
    )
    (tmp_path / "page.html").write_text(html)
    (tmp_path / "feed.jsonl").write_text(json.dumps({"id": "https://example.com/story", "url": links, "html": html}))
    with Store.open(tmp_path / "s.db") as store:
        result = ingest(store, [samples, str(tmp_path / "page.html"), str(tmp_path / "feed.jsonl")], workers=1)
    assert result.new > 2
    assert network == []


_HOSTILE = [
    "'); DROP TABLE articles; --",
    '" OR 1=1 --',
    "Robert'); DELETE FROM links; --",
    'title: "NEAR(a b) * ^start OR AND NOT',
    "[brackets] {braces} ;semicolons; \\backslash\\ %percent% _under_",
]


def test_hostile_strings_are_stored_as_data(tmp_path: Path) -> None:
    """Keys, titles and publishers with SQL in them, and texts full of full-text query syntax, go in
    verbatim and are searched without error (the rewrite search quotes every word it asks for)."""
    rnd = random.Random(4)
    lines = []
    for hostile in _HOSTILE:
        words = " ".join(rnd.choices(VOCABULARY, k=300))
        text = f'{hostile}\n\n{words} "quoted" NEAR(x y) col:umn * ^ {hostile}\n\n{words[::-1]}'
        for copy in ("", " copy"):
            record = {"id": f"{hostile}{copy}", "title": hostile, "publisher": f"{hostile}{copy}", "text": text}
            lines.append(json.dumps(record) + "\n")
    feed = tmp_path / "hostile.jsonl"
    feed.write_text("".join(lines))
    result = runner.invoke(app, ["ingest", str(feed), "--db", str(tmp_path / "s.db"), "-f", "json"])
    assert result.exit_code == 0, result.output
    with Store.open(tmp_path / "s.db", create=False) as store:
        keys = {row[0] for row in store.db.execute("SELECT key FROM articles")}
        titles = {row[0] for row in store.db.execute("SELECT DISTINCT title FROM articles")}
        assert keys == {f"{h}{c}" for h in _HOSTILE for c in ("", " copy")}
        assert titles == set(_HOSTILE)
        assert store.count("links") == len(_HOSTILE)  # each copy linked to its original
        assert set(store.db.table_names()) >= {"articles", "links", "stories", "matches", "bands"}


def _refused(args: list[str], path: Path) -> None:
    before = {p.name: p.read_bytes() for p in path.parent.iterdir() if p.name.startswith(path.name)}
    result = runner.invoke(app, args)
    assert result.exit_code == 3, result.output
    after = {p.name: p.read_bytes() for p in path.parent.iterdir() if p.name.startswith(path.name)}
    assert after == before


def test_stores_that_cannot_be_used_are_refused_and_left_byte_for_byte(samples: str, tmp_path: Path) -> None:
    newer = tmp_path / "newer.db"
    with Store.open(newer) as store:
        store.db["_sqlite_migrations"].insert({"migration_set": "provenance", "name": "0099_future", "applied_at": "x"})
        store.checkpoint()
    _refused(["ingest", samples, "--db", str(newer)], newer)
    linked = tmp_path / "linked.db"
    with Store.open(linked) as store:
        store.checkpoint()
    _refused(["ingest", samples, "--db", str(linked), "--min-confidence", "0.3"], linked)
    other = tmp_path / "other.db"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE notes (body TEXT)")
    _refused(["ingest", samples, "--db", str(other)], other)
    _refused(["report", "--db", str(other)], other)
    plain = tmp_path / "notes.txt"
    plain.write_text("not a database")
    _refused(["ingest", samples, "--db", str(plain)], plain)


# -- fuzzing -----------------------------------------------------------------------------------

_MARKUP = st.sampled_from([
    "<html>", "</html>", "<body>", "<div>", "</div>", "<p>", "</p>", "<article>", "<script>", "</script>", "<style>",
    "<!--", "-->", "<![CDATA[", "]]>", "&amp;", "&#0;", "&#x110000;", "&nbsp;", "<table><tr><td>", "<br/>",
    "<meta charset='utf-16'>", "<meta property='og:title' content='", "'>", "<title>", "</title>", '<a href="',
    '">', "<h1>", "By ", "(Reuters) -", "©", "\x00", "\ufeff", "\r\n", "\n\n", " ", "<?xml version='1.0'?>",
    "<!DOCTYPE x [<!ENTITY e 'boom'>]>", "&e;", '<script type="application/ld+json">{"@type": "NewsArticle", ',
    '"datePublished": "', '"author": [{"name": 1}]', "}</script>",
])  # fmt: skip
_SOUP = st.lists(st.one_of(_MARKUP, st.text(max_size=30), st.sampled_from(VOCABULARY)), max_size=80).map("".join)


def _survives(raw: RawDocument) -> None:
    prepared = prepare(raw, DEFAULT_PARAMS)  # an exception here fails the test
    if not isinstance(prepared, Skipped):
        assert prepared.article.key == raw.key


@settings(max_examples=FUZZ_EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(markup=_SOUP)
def test_html_extraction_survives_any_markup(markup: str) -> None:
    _survives(RawDocument("k", "k", "html", markup))


@settings(max_examples=FUZZ_EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=st.one_of(_SOUP, articles(max_paragraphs=4).map(page), st.text()))
def test_text_extraction_survives_any_text(text: str) -> None:
    _survives(RawDocument("k", "k", "text", text))


@settings(max_examples=FUZZ_EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.one_of(st.binary(max_size=400), _SOUP.map(lambda s: s.encode("utf-8", "surrogatepass"))),
       suffix=st.sampled_from([".txt", ".html", ".jsonl", ".txt.gz", ".warc"]))  # fmt: skip
def test_reading_survives_any_bytes(data: bytes, suffix: str, tmp_path_factory: pytest.TempPathFactory) -> None:
    path = tmp_path_factory.getbasetemp() / f"fuzz{suffix}"
    path.write_bytes(data)
    for item in read_inputs([str(path)]):
        if isinstance(item, RawDocument):
            _survives(item)


def _hostile_feed(folder: Path) -> Path:
    rnd = random.Random(5)
    text = " ".join(" ".join(rnd.choices(VOCABULARY, k=12)).capitalize() + "." for _ in range(8))
    records = [
        {"id": "a\x1b]0;owned\x07\x1b]8;;http://x.example/\x1b\\link\x1b]8;;\x1b\\", "title": "T\x1b[2J",
         "publisher": "[/bold]x", "text": text},
        {"id": '=HYPERLINK("http://x.example")', "title": "+cmd|' /C calc'!A0", "publisher": "@SUM(1)",
         "text": text + " An added line.", "url": "-2+3"},
        {"id": "cr", "title": "one\rtwo\rthree", "publisher": "\tTab", "text": text + " Another added line."},
    ]  # fmt: skip
    feed = folder / "hostile.jsonl"
    feed.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return feed


@pytest.mark.parametrize("columns", ["80", "120"])
def test_data_is_never_markup_nor_a_terminal_command(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                    columns: str) -> None:  # fmt: skip
    monkeypatch.setenv("COLUMNS", columns)
    db = str(tmp_path / "h.db")
    ingested = runner.invoke(app, ["ingest", str(_hostile_feed(tmp_path)), "--db", db])
    assert ingested.exit_code == 0, ingested.output
    for command in (["report"], ["show"], ["show", "--text"]):
        result = runner.invoke(app, [*command, "--db", db])
        assert result.exit_code == 0, result.output
        assert "\x1b" not in result.stdout
        assert "\x07" not in result.stdout
        assert "\r" not in result.stdout
        assert "[/bold]x" in result.stdout
        if command[0] == "show":  # the key whole, its escapes seen
            assert "\\x1b]0;owned\\x07" in result.stdout


def test_csv_cells_are_never_formulas_and_a_carriage_return_never_splits_a_row(tmp_path: Path) -> None:
    import csv
    import io

    db = str(tmp_path / "h.db")
    runner.invoke(app, ["ingest", str(_hostile_feed(tmp_path)), "--db", db, "-q"])
    result = runner.invoke(app, ["report", "--db", db, "-f", "csv"])
    rows = list(csv.DictReader(io.StringIO(result.stdout, newline="")))
    assert len(rows) == 3  # a row a member, whatever the cells hold
    cells = [value for row in rows for value in row.values() if value]
    assert not [value for value in cells if value.startswith(("=", "+", "-", "@", "\t", "\r"))]
    assert {row["title"] for row in rows} >= {"'+cmd|' /C calc'!A0", "one\rtwo\rthree"}
    assert {row["key"] for row in rows} >= {'\'=HYPERLINK("http://x.example")'}
