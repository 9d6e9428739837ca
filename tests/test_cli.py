from __future__ import annotations

import json
import random
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from provenance import Params, Store, cli
from provenance.cli import app
from provenance.extract import language

from .strategies import VOCABULARY

runner = CliRunner()


def test_ingest_samples_prints_the_report_and_exits_0(samples: str) -> None:
    result = runner.invoke(app, ["ingest", samples])
    assert result.exit_code == 0, result.output
    assert "samples/syndication/wire-original.txt" in result.stdout
    assert "coastdaily-tr" in result.stdout
    assert "000_a7592bb494e02b3e" not in result.stdout
    assert "8 read: 8 new, 0 updated, 0 unchanged, 0 skipped; 2 exact duplicates, 5 copies linked;" in result.stdout
    assert Path("provenance.db").exists()


def test_ingest_json_then_report_from_the_store(samples: str) -> None:
    first = runner.invoke(app, ["ingest", samples, "--db", "s.db", "--format", "json"])
    assert first.exit_code == 0
    data = json.loads(first.stdout)
    assert data["articles"] == 8
    assert next(m["key"] for m in data["stories"][0]["members"]) == "samples/syndication/wire-original.txt"
    again = runner.invoke(app, ["report", "--db", "s.db", "--format", "json"])
    assert again.exit_code == 0
    assert json.loads(again.stdout)["stories"] == data["stories"]


def test_report_csv(samples: str) -> None:
    runner.invoke(app, ["ingest", samples, "-q"])
    result = runner.invoke(app, ["report", "--format", "csv"])
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0].split(",") == [
        "story", "canonical", "origin", "key", "relation", "similarity", "containment", "reuse", "coverage",
        "paragraphs_added", "paragraphs_dropped", "headline_changed", "title", "publisher", "published", "credit",
        "authors", "location", "passages", "passage_words", "sentences", "via", "confidence",
    ]  # fmt: skip
    assert len(lines) == 7


def test_report_as_one_self_contained_html_file(samples: str) -> None:
    runner.invoke(app, ["ingest", samples, "-q"])
    result = runner.invoke(app, ["report", "--format", "html", "stories.html"])
    assert result.exit_code == 0, result.output
    size = Path("stories.html").stat().st_size
    assert result.stdout == f"Wrote the report to stories.html ({size:,} bytes).\n"
    page = Path("stories.html").read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>")
    assert "<title>provenance.db: 1 story and their copies</title>" in page
    assert page.count('<details class="copy"') == 4
    assert "<script" not in page
    assert "<link" not in page  # its styles are inline: nothing is fetched
    assert re.findall(r'\bsrc="', page) == []
    anchors = set(re.findall(r'id="([^"]+)"', page))
    targets = set(re.findall(r'href="#([^"]+)"', page))
    assert targets
    assert targets <= anchors  # every link inside the file lands
    assert "same headline; no word changed; paragraphs 6\u20139 dropped" in page
    assert '<svg class="timeline"' in page
    piped = runner.invoke(app, ["report", "-f", "html", "-n", "1"])
    assert piped.exit_code == 0
    assert piped.stdout.startswith("<!DOCTYPE html>")


def test_an_html_report_has_the_largest_stories_unless_asked_for_all(
    samples: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from provenance import cli

    rng = random.Random(3)
    paragraphs = [" ".join(rng.choice(VOCABULARY) for _ in range(80)) + "." for _ in range(4)]
    texts = ["\n\n".join(paragraphs), "\n\n".join(paragraphs[:3])]  # a story and its trimmed copy
    feed = tmp_path / "second.jsonl"
    feed.write_text("".join(json.dumps({"id": f"second-{n}", "text": t}) + "\n" for n, t in enumerate(texts)))
    runner.invoke(app, ["ingest", samples, str(feed), "-q"])
    monkeypatch.setattr(cli, "HTML_SHOWS", 1)
    largest = runner.invoke(app, ["report", "-f", "html"])
    assert largest.stdout.count('<section class="story">') == 1
    every = runner.invoke(app, ["report", "-f", "html", "-n", "0"])
    assert every.stdout.count('<section class="story">') == 2
    assert len(json.loads(runner.invoke(app, ["report", "-f", "json"]).stdout)["stories"]) >= 2  # other formats: all


def test_report_to_a_file_in_any_format_and_not_to_a_folder(samples: str) -> None:
    runner.invoke(app, ["ingest", samples, "-q"])
    assert runner.invoke(app, ["report", "-f", "json", "r.json"]).exit_code == 0
    assert json.loads(Path("r.json").read_text(encoding="utf-8"))["stories"]
    assert runner.invoke(app, ["report", "r.txt"]).exit_code == 0
    assert "Stories and their copies" in Path("r.txt").read_text(encoding="utf-8")
    Path("folder").mkdir()
    refused = runner.invoke(app, ["report", "folder"])
    assert refused.exit_code == 2
    assert "folder is a directory: give the report a file name" in refused.output


def test_db_from_the_environment(samples: str) -> None:
    result = runner.invoke(app, ["ingest", samples], env={"PROVENANCE_DB": "env.db"})
    assert result.exit_code == 0
    assert Path("env.db").exists()
    assert not Path("provenance.db").exists()


def test_missing_input_is_a_usage_error(samples: str) -> None:
    result = runner.invoke(app, ["ingest", samples, "nope/"])
    assert result.exit_code == 2
    assert result.stderr == "Error: input not found: nope/\n"
    assert not Path("provenance.db").exists()


def test_skipped_inputs_are_listed_and_exit_1(samples: str) -> None:
    Path(samples, "picture.jpg").write_bytes(b"\xff\xd8\xff\xe0binary")
    result = runner.invoke(app, ["ingest", samples])
    assert result.exit_code == 1
    assert "Skipped inputs" in result.stdout
    assert "samples/picture.jpg" in result.stdout
    assert "binary file, not text" in result.stdout
    assert "1 skipped" in result.stdout


def test_store_with_other_parameters_is_refused_with_exit_3(samples: str) -> None:
    Store.open("other.db", Params(shingle_size=3)).close()
    result = runner.invoke(app, ["ingest", samples, "--db", "other.db"])
    assert result.exit_code == 3
    assert result.stderr.startswith("Error: other.db was fingerprinted with other parameters: shingle_size=3 (asked 5)")


def test_report_without_a_store_exits_3(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["report"])
    assert result.exit_code == 3
    assert result.stderr == "Error: no provenance store at provenance.db: run 'provenance ingest' first\n"


def test_standard_input(samples: str) -> None:
    feed = Path(samples, "syndication", "feed.jsonl").read_text()
    result = runner.invoke(app, ["ingest", "-", "--format", "json"], input=feed)
    assert result.exit_code == 0
    assert json.loads(result.stdout)["articles"] == 2


def test_no_arguments_shows_help() -> None:
    result = runner.invoke(app, [])
    assert result.exit_code == 2
    assert "Usage: provenance" in result.output


@pytest.mark.parametrize("command", [[], ["ingest"], ["report"], ["show"], ["trace"], ["eval"]])
def test_every_command_has_help(command: list[str]) -> None:
    result = runner.invoke(app, [*command, "--help"])
    assert result.exit_code == 0
    assert "Usage:" in result.stdout


def test_version() -> None:
    from provenance import __version__

    result = runner.invoke(app, ["--version"])
    assert (result.exit_code, result.stdout) == (0, f"provenance {__version__}\n")


def test_unknown_format_is_a_usage_error(samples: str) -> None:
    result = runner.invoke(app, ["ingest", samples, "--format", "xml"])
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == (
        "Error: Invalid value for '--format' / '-f': 'xml' is not one of 'table', 'json', 'csv'."
    )


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["-j", "-1"], "Invalid value for '--workers' / '-j': -1: must be at least 0"),
        (["-j", "two"], "Invalid value for '--workers' / '-j': 'two' is not a whole number"),
        (["--min-confidence", "5"], "Invalid value for '--min-confidence': 5: must be at most 1.0"),
        (["--min-confidence", "half"], "Invalid value for '--min-confidence': 'half' is not a number"),
    ],
)
def test_a_bad_value_is_said_in_the_tools_words(samples: str, args: list[str], said: str) -> None:
    result = runner.invoke(app, ["ingest", samples, *args])
    assert (result.exit_code, result.stderr.splitlines()[-1]) == (2, f"Error: {said}")
    assert "Input should" not in result.stderr
    assert "Value error" not in result.stderr


def test_store_in_a_missing_directory_is_a_clear_error(samples: str) -> None:
    result = runner.invoke(app, ["ingest", samples, "--db", "no/such/dir/s.db"])
    assert result.exit_code == 3
    assert result.stderr == "Error: cannot open a store at no/such/dir/s.db: unable to open database file\n"


def test_show_seed_metadata_as_the_issue_states(samples: str) -> None:
    runner.invoke(app, ["ingest", samples, "-q"])
    result = runner.invoke(
        app, ["show", "samples/004_034d8394e554abdd.txt", "samples/000_a7592bb494e02b3e.txt", "-f", "json", "--text"]
    )
    assert result.exit_code == 0
    bloomberg, other = json.loads(result.stdout)
    assert {k: bloomberg[k] for k in ("title", "authors", "published", "publisher", "credit", "slug", "copyright")} == {
        "title": "U.S., Russia Make Little Headway After Latest Talks Over Dispute",
        "authors": ["Nick Wadhams", "Ilya Arkhipov"],
        "published": "2017-09-13",
        "publisher": "MSN",
        "credit": "Bloomberg",
        "slug": "BC-US-RUSSIA-TALKS",
        "copyright": "©2017 Bloomberg L.P.",
    }
    assert bloomberg["language"] == "en"
    assert bloomberg["text"].startswith("(Bloomberg) -- The U.S. used a round of talks")
    for chrome in ("browser", "beacon", "To contact"):
        assert chrome not in bloomberg["text"]
    assert bloomberg["trailer"].startswith("To contact the reporters on this story: Nick Wadhams")
    assert other["published"] == "2021-10-12"
    assert other["text"].startswith("Russia and the United States failed")
    assert "Startups" not in other["text"]
    assert (other["title"], other["authors"], other["credit"]) == (None, [], None)


def test_show_all_as_jsonl_and_a_missing_key(samples: str) -> None:
    runner.invoke(app, ["ingest", samples, "-q"])
    lines = runner.invoke(app, ["show", "-f", "jsonl"]).stdout.splitlines()
    assert len(lines) == 8
    assert "text" not in json.loads(lines[0])
    result = runner.invoke(app, ["show", "nope", "samples/004_034d8394e554abdd.txt"])
    assert result.exit_code == 1
    assert "credit     Bloomberg" in result.stdout
    assert result.stderr == "Error: no article with key 'nope' in provenance.db\n"


def test_report_table_shows_the_origin_credit_and_byline(samples: str) -> None:
    result = runner.invoke(app, ["ingest", samples])
    assert "origin: Northwind · Maren Holt, Tomas" in result.stdout
    cells = re.sub(r"[│\s]+", " ", result.stdout)  # the cells' words, however a cell wraps
    assert "2017-09-13 (original" in cells
    assert "not in the store)" in cells


def test_trace_finds_the_sources_without_storing(samples: str) -> None:
    wire, copy = "samples/syndication/wire-original.txt", "samples/syndication/morningpost-new-headline.txt"
    runner.invoke(app, ["ingest", wire, "samples/000_a7592bb494e02b3e.txt", "-q"])
    with Store.open("provenance.db") as store:
        before = store.count("articles"), store.count("matches"), store.count("links")
    language._identifier.cache_clear()  # as in a new process
    result = runner.invoke(app, ["trace", copy, "--format", "json"])
    assert result.exit_code == 0, result.output
    assert language._identifier.cache_info().currsize == 0  # its 0.7 s load is no part of a trace
    (traced,) = json.loads(result.stdout)
    assert traced["key"] == copy
    (source,) = traced["sources"]
    assert (source["key"], source["relation"], source["earlier"]) == (wire, "wholly", True)
    assert (source["paragraphs_added"], source["paragraphs_dropped"], source["headline_changed"]) == (1, 1, True)
    assert source["reuse"] > 0.8
    assert source["confidence"] > 0.8
    with Store.open("provenance.db") as store:
        assert (store.count("articles"), store.count("matches"), store.count("links")) == before


def test_trace_table_fits_80_columns_with_every_figure(samples: str, monkeypatch: pytest.MonkeyPatch) -> None:
    runner.invoke(app, ["ingest", samples, "-q"])
    monkeypatch.setenv("COLUMNS", "80")
    result = runner.invoke(app, ["trace", "samples/syndication/coastdaily-trimmed.txt"])
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert max(len(line) for line in lines) <= 80
    header = next(line for line in lines if "relation" in line)
    assert [name.strip() for name in header.strip("┃").split("┃")] == ["source", "relation", "conf.", "reuse", "cover"]
    row = next(line for line in lines if "bayherald" in line)
    assert re.search(r"wholly\s+│\s+\d\.\d\d\s+│\s+1\.00\s+│\s+0\.52\s+│$", row)  # nothing cut off
    assert "Bay Herald · 2026-03-05" in result.stdout  # under the title, not "\\n" in a narrow column


def test_trace_of_an_unrelated_article_and_from_standard_input(samples: str) -> None:
    runner.invoke(app, ["ingest", "samples/syndication/wire-original.txt", "-q"])
    text = Path("samples/004_034d8394e554abdd.txt").read_text()
    result = runner.invoke(app, ["trace", "-"], input=text)
    assert result.exit_code == 0
    assert result.stdout.strip().endswith("no source in the store.")


def test_trace_needs_a_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("a.txt").write_text("Some article text that is long enough to be traced, more or less.")
    result = runner.invoke(app, ["trace", "a.txt"])
    assert result.exit_code == 3
    assert result.stderr == "Error: no provenance store at provenance.db: run 'provenance ingest' first\n"


def test_min_confidence_from_the_command_line(samples: str) -> None:
    """At a confidence of 1 only identical texts are linked; the store keeps the confidence it was
    linked at and refuses another."""
    strict = runner.invoke(app, ["ingest", samples, "--db", "strict.db", "--min-confidence", "1", "-f", "json"])
    assert strict.exit_code == 0
    members = [m for s in json.loads(strict.stdout)["stories"] for m in s["members"][1:]]
    assert {m["relation"] for m in members} == {"exact"}
    assert {m["confidence"] for m in members} == {1.0}
    default = runner.invoke(app, ["ingest", samples, "--db", "default.db", "-f", "json"])
    relations = {m["key"]: m["relation"] for s in json.loads(default.stdout)["stories"] for m in s["members"][1:]}
    assert relations["samples/syndication/morningpost-new-headline.txt"] == "wholly"
    again = runner.invoke(app, ["ingest", samples, "--db", "strict.db", "--min-confidence", "0.5"])
    assert again.exit_code == 3
    assert "was linked with other thresholds: min_confidence=1.0 (asked 0.5)" in again.stderr


def test_serve_checkpoints_the_store_then_starts_datasette(samples: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from datasette.cli import cli as datasette_cli

    runner.invoke(app, ["ingest", samples, "-q", "--db", "s.db"])
    started: list[list[str]] = []

    def serve(args: list[str], **_: object) -> None:
        started.append(args)
        wal = Path("s.db-wal")
        assert not wal.exists() or wal.stat().st_size == 0  # the log is in the file before datasette opens it

    monkeypatch.setattr(datasette_cli, "main", serve)
    monkeypatch.setattr(cli, "cannot_listen", lambda host, port: None)  # the ports may be taken on this machine
    result = runner.invoke(app, ["serve", "--db", "s.db", "--port", "8123", "--immutable"])
    assert result.exit_code == 0, result.output
    off = ["--setting", "default_allow_sql", "off"]  # visitors run no SQL of their own unless allowed
    assert started == [["serve", "--host", "127.0.0.1", "--port", "8123", *off, "--immutable", "s.db"]]
    result = runner.invoke(app, ["serve", "--db", "s.db", "-m", "mine.json"])
    assert started[-1] == ["serve", "--host", "127.0.0.1", "--port", "8001", *off, "s.db", "--metadata", "mine.json"]
    result = runner.invoke(app, ["serve", "--db", "s.db", "--allow-sql"])
    assert started[-1][5:8] == ["--setting", "default_allow_sql", "on"]


def test_serve_on_a_port_in_use_says_so_in_one_line(samples: str, monkeypatch: pytest.MonkeyPatch) -> None:
    import socket

    from datasette.cli import cli as datasette_cli

    runner.invoke(app, ["ingest", samples, "-q", "--db", "s.db"])
    monkeypatch.setattr(datasette_cli, "main", lambda *a, **k: pytest.fail("datasette started"))
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = runner.invoke(app, ["serve", "--db", "s.db", "--port", str(port)])
    assert (result.exit_code, result.stderr) == (
        2, f"Error: port {port} is in use: serve on another with --port N (0: any free port)\n")  # fmt: skip


def test_serve_refuses_what_is_not_a_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    missing = runner.invoke(app, ["serve", "--db", "none.db"])
    assert missing.exit_code == 3
    assert "Error: no provenance store at none.db: run 'provenance ingest' first" in missing.output
    assert not Path("none.db").exists()
    Path("notes.db").write_text("shopping list")
    other = runner.invoke(app, ["serve", "--db", "notes.db"])
    assert other.exit_code == 3
    assert "notes.db is not a SQLite database, so not a provenance store" in other.output


def test_the_command_starts_without_numba_or_trafilatura() -> None:
    """They take most of a second to load: `--help`, `report`, `show` and `serve` need neither."""
    import subprocess
    import sys

    probe = "import sys, provenance.cli; print(sorted(m for m in ('numba', 'trafilatura') if m in sys.modules))"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def _many_stories(folder: Path, stories: int) -> None:
    """``stories`` unrelated texts, each with a copy under another name (stories of two articles)."""
    rnd = random.Random(7)
    folder.mkdir()
    for n in range(stories):
        text = "\n\n".join(
            " ".join(" ".join(rnd.choices(VOCABULARY, k=15)).capitalize() + "." for _ in range(3)) for _ in range(5)
        )
        (folder / f"story{n:02}.txt").write_text(text, encoding="utf-8")
        (folder / f"story{n:02}-copy.txt").write_text(text, encoding="utf-8")


def test_ingest_prints_the_largest_stories_and_report_every_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    _many_stories(tmp_path / "in", 25)
    ingested = runner.invoke(app, ["ingest", str(tmp_path / "in"), "--db", "many.db", "-f", "json"])
    assert ingested.exit_code == 0, ingested.output
    data = json.loads(ingested.stdout)
    assert (len(data["stories"]), data["story_count"], data["copies"]) == (20, 25, 25)
    table = runner.invoke(app, ["report", "--db", "many.db", "--limit", "3"])
    assert table.exit_code == 0
    assert "... and 22 smaller stories, not shown." in table.stdout
    assert table.stdout.rstrip().endswith("50 articles in the store, 25 stories, 25 copies linked.")
    every = runner.invoke(app, ["report", "--db", "many.db", "-f", "csv"])
    assert len(every.stdout.splitlines()) == 1 + 50
    assert runner.invoke(app, ["report", "--db", "many.db", "-n", "-1"]).exit_code == 2


# -- what a new user meets in the first hour ------------------------------------------------------


def test_a_folder_with_nothing_to_ingest_is_an_error_and_makes_no_store(tmp_path: Path) -> None:
    (tmp_path / "crawl").mkdir()
    (tmp_path / "crawl" / ".partial").write_text("hidden")
    result = runner.invoke(app, ["ingest", str(tmp_path / "crawl"), "--db", str(tmp_path / "s.db")])
    assert result.exit_code == 1
    assert (
        result.stderr == f"Error: nothing to ingest: no files in {tmp_path / 'crawl'} (hidden files are passed over)\n"
    )
    assert not (tmp_path / "s.db").exists()


def test_every_document_read_is_counted_once(tmp_path: Path) -> None:
    """read = new + updated + unchanged + repeated + skipped, a key given twice in one run included."""
    first, second = (" ".join(random.Random(n).choices(VOCABULARY, k=60)) for n in (1, 2))
    feed = tmp_path / "feed.jsonl"
    feed.write_text(json.dumps({"id": "a", "text": first}) + "\n" + json.dumps({"id": "b", "text": second}) + "\n")
    again = tmp_path / "again.jsonl"
    again.write_text(json.dumps({"id": "a", "text": first}) + "\n{broken\n")
    db = str(tmp_path / "s.db")
    result = runner.invoke(app, ["ingest", str(feed), str(again), "--db", db, "-f", "json"])
    run = json.loads(result.stdout)["run"]
    assert (run["read"], run["new"], run["updated"], run["unchanged"], run["repeated"]) == (4, 2, 0, 0, 1)
    table = runner.invoke(app, ["ingest", str(feed), "--db", db])
    assert "2 read: 0 new, 0 updated, 2 unchanged, 0 skipped; " in table.stdout


def test_an_unchanged_input_is_not_extracted_again(samples: str, monkeypatch: pytest.MonkeyPatch) -> None:
    import provenance.pipeline

    assert runner.invoke(app, ["ingest", samples, "-q", "-j", "1"]).exit_code == 0

    def never(raw: object, **options: object) -> object:
        raise AssertionError(f"extracted again: {raw}")

    monkeypatch.setattr(provenance.pipeline, "extract", never)
    again = runner.invoke(app, ["ingest", samples, "-q", "-j", "1", "-f", "json"])
    assert again.exit_code == 0, again.output
    assert json.loads(again.stdout)["run"]["unchanged"] == 8
    feed = Path(samples, "syndication", "feed.jsonl")
    records = [json.loads(line) for line in feed.read_text().splitlines()]
    records[1]["title"] = "A new headline for the preview"
    feed.write_text("".join(json.dumps(r) + "\n" for r in records))
    changed = runner.invoke(app, ["ingest", samples, "-q", "-j", "1"])
    assert isinstance(changed.exception, AssertionError)  # the changed record, and only it, is extracted
    assert str(changed.exception).startswith("extracted again: RawDocument(key='bayherald-2026-03-02-port-vote")


def test_json_puts_the_counts_first_and_always_has_a_run(samples: str) -> None:
    ingested = runner.invoke(app, ["ingest", samples, "-f", "json"])
    assert list(json.loads(ingested.stdout))[:4] == ["articles", "story_count", "copies", "without_original"]
    assert ingested.stdout.splitlines()[1:4] == ['  "articles": 8,', '  "story_count": 2,', '  "copies": 5,']
    assert json.loads(ingested.stdout)["run"]["read"] == 8
    reported = runner.invoke(app, ["report", "-f", "json"])
    assert json.loads(reported.stdout)["run"] is None  # the report of a store alone: no run


def test_csv_rounds_every_measure_to_four_decimals(samples: str) -> None:
    runner.invoke(app, ["ingest", samples, "-q"])
    rows = list(__import__("csv").DictReader(runner.invoke(app, ["report", "-f", "csv"]).stdout.splitlines()))
    for row in rows:
        for measure in ("similarity", "containment", "reuse", "coverage"):
            assert re.fullmatch(r"\d\.\d{4}", row[measure]), (measure, row[measure])


def test_counts_of_one_are_singular(tmp_path: Path) -> None:
    (tmp_path / "one.txt").write_text(" ".join(random.Random(3).choices(VOCABULARY, k=40)))
    result = runner.invoke(app, ["ingest", str(tmp_path / "one.txt"), "--db", str(tmp_path / "s.db")])
    assert result.stdout.rstrip().endswith(
        "1 read: 1 new, 0 updated, 0 unchanged, 0 skipped; 0 exact duplicates, 0 copies linked; "
        "1 article in the store, 0 stories."
    )


@pytest.mark.parametrize("fmt", ["table", "json", "csv"])
def test_a_closed_pipe_ends_quietly_with_the_usual_status(samples: str, fmt: str) -> None:
    """`provenance report | head`: the reader is gone before the report is written."""
    import os
    import subprocess
    import sys

    runner.invoke(app, ["ingest", samples, "-q"])
    read_end, write_end = os.pipe()
    os.close(read_end)  # nobody reads: the first write meets a closed pipe
    try:
        done = subprocess.run([sys.executable, "-m", "provenance", "report", "-f", fmt], stdout=write_end,
                              stderr=subprocess.PIPE, timeout=120)  # fmt: skip
    finally:
        os.close(write_end)
    assert (done.returncode, done.stderr) == (141, b"")


@pytest.mark.parametrize(("command", "module"), [(["spark", "feed.jsonl", "-o", "out"], "pyspark"),
                                                 (["import", "out"], "pyarrow")])  # fmt: skip
def test_spark_commands_without_the_extra_say_what_to_install(
    samples: str, monkeypatch: pytest.MonkeyPatch, command: list[str], module: str
) -> None:
    import sys

    monkeypatch.setitem(sys.modules, module, None)  # as if it were not installed
    result = runner.invoke(app, command)
    assert result.exit_code == 2
    assert result.stderr.endswith(f"needs {module}: pip install 'provenance[spark]'\n")
    assert result.stderr.count("\n") == 1


def test_ingest_help_names_every_input_kind_in_plain_words() -> None:
    result = runner.invoke(app, ["ingest", "--help"], terminal_width=80)
    assert result.stdout.startswith("Usage: provenance ingest [OPTIONS] INPUT...\n")
    for kind in ("page dumps", "HTML pages", "JSON-lines feeds", "JSON files", "WARC and ARC", "gzipped"):
        assert kind in " ".join(result.stdout.split())
    for typer_words in ("{", "<list[str]>", "<path>", "<int range>", "<float range>"):
        assert typer_words not in result.stdout
    assert all(len(line) <= 80 for line in result.stdout.splitlines())


@pytest.mark.parametrize("command", ["ingest", "report", "show", "trace", "serve", "spark", "import", "eval"])
def test_every_commands_help_reads_as_words(command: str) -> None:
    result = runner.invoke(app, [command, "--help"], terminal_width=80)
    assert result.exit_code == 0
    for typer_words in ("{", "<list[", "<path>", "<int range>", "<float range>", "<str>", "<table|"):
        assert typer_words not in result.stdout, (command, typer_words)


def test_an_explicit_columns_is_honoured_into_a_file_or_pipe(samples: str, monkeypatch: pytest.MonkeyPatch) -> None:
    runner.invoke(app, ["ingest", samples, "-q"])
    wide = runner.invoke(app, ["report"])  # into a pipe: 120 columns
    assert max(len(line) for line in wide.stdout.splitlines()[:-1]) == 120
    monkeypatch.setenv("COLUMNS", "80")
    narrow = runner.invoke(app, ["report"])
    assert narrow.exit_code == 0
    assert max(len(line) for line in narrow.stdout.splitlines()[:-1]) <= 80  # the summary is one line for grep
    assert "conf." in narrow.stdout  # the narrow table's headings


def test_skipped_inputs_are_shortened_from_the_left_at_a_slash(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "a-long-folder-name-of-saved-pages" / "another-long-folder-name-inside-it"
    folder.mkdir(parents=True)
    (folder / "a-binary-file-with-a-long-name.bin").write_bytes(b"\x00\x01\x02 not text")
    (folder / "story.txt").write_text(" ".join(["A story of enough words to be stored."] * 3), encoding="utf-8")
    monkeypatch.setenv("COLUMNS", "80")
    result = runner.invoke(app, ["ingest", str(tmp_path), "--db", str(tmp_path / "s.db"), "-q"])
    assert result.exit_code == 1
    row = next(line for line in result.stdout.splitlines() if "binary file" in line)
    assert row.startswith("│ …/a-binary-file-with-a-long-name.bin │ binary file, not text")


def _older_store(path: Path) -> None:
    """A store as the previous version left it: every migration but the newest."""
    import sqlite_utils

    from provenance.fingerprint import DEFAULT_PARAMS
    from provenance.migrations import migration_names, migrations

    db = sqlite_utils.Database(path)
    migrations.apply(db, stop_before=max(migration_names()))
    db.table("parameters").insert_all([{"name": k, "value": v} for k, v in DEFAULT_PARAMS.as_dict().items()])
    db.close()


@pytest.mark.parametrize("command", [["report"], ["show"], ["serve"], ["trace", "x.txt"]])
def test_a_read_only_command_never_upgrades_an_older_store(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: list[str]
) -> None:
    from datasette.cli import cli as datasette_cli

    from provenance.migrations import migration_names

    monkeypatch.setattr(datasette_cli, "main", lambda *a, **k: pytest.fail("datasette started"))
    monkeypatch.chdir(tmp_path)
    Path("x.txt").write_text("A story of enough words to be traced against the store.", encoding="utf-8")
    _older_store(tmp_path / "old.db")
    before = (tmp_path / "old.db").read_bytes()
    previous = sorted(migration_names())[-2]
    result = runner.invoke(app, [*command, "--db", "old.db"])
    assert (result.exit_code, result.stderr) == (3, (
        f"Error: old.db was written by an older provenance (schema {previous}): run 'provenance upgrade "
        "--db old.db' to upgrade it (an older provenance cannot open it afterwards)\n"))  # fmt: skip
    assert (tmp_path / "old.db").read_bytes() == before


def test_ingest_and_upgrade_upgrade_an_older_store_and_say_so(samples: str, tmp_path: Path) -> None:
    from provenance.migrations import migration_names

    newest, previous = sorted(migration_names())[-1], sorted(migration_names())[-2]
    said = f"Upgraded {{}} from schema {previous} to {newest}: an older provenance cannot open it any more.\n"
    _older_store(tmp_path / "a.db")
    upgraded = runner.invoke(app, ["upgrade", "--db", str(tmp_path / "a.db")])
    assert (upgraded.exit_code, upgraded.stderr) == (0, said.format(tmp_path / "a.db"))
    again = runner.invoke(app, ["upgrade", "--db", str(tmp_path / "a.db")])
    assert (again.exit_code, again.stdout) == (0, f"{tmp_path / 'a.db'} is up to date (schema {newest}).\n")
    assert runner.invoke(app, ["report", "--db", str(tmp_path / "a.db")]).exit_code == 0
    _older_store(tmp_path / "b.db")
    ingested = runner.invoke(app, ["ingest", samples, "-q", "--db", str(tmp_path / "b.db")])
    assert (ingested.exit_code, ingested.stderr) == (0, said.format(tmp_path / "b.db"))
    missing = runner.invoke(app, ["upgrade", "--db", str(tmp_path / "none.db")])
    assert (missing.exit_code, missing.stderr) == (3, f"Error: no provenance store at {tmp_path / 'none.db'}\n")


def test_the_readme_shows_what_ingest_of_the_samples_prints(samples: str, monkeypatch: pytest.MonkeyPatch) -> None:
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    shown = readme.split("$ provenance ingest samples/          # on an 80-column terminal\n", 1)[1].split("```")[0]
    monkeypatch.setenv("COLUMNS", "80")
    printed = runner.invoke(app, ["ingest", "samples/"]).stdout
    *table, summary = printed.rstrip("\n").split("\n")
    lines = shown.rstrip("\n").split("\n")
    assert lines[: len(table)] == table
    assert " ".join(lines[len(table) :]) == summary  # the summary as a terminal wraps it


def test_a_damaged_store_is_one_line_and_exit_3(samples: str) -> None:
    import sqlite3

    runner.invoke(app, ["ingest", samples, "-q", "--db", "d.db"])
    with sqlite3.connect("d.db") as conn:  # the articles table's first page, damaged
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        (root,) = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'articles'").fetchone()
        size = conn.execute("PRAGMA page_size").fetchone()[0]
    data = bytearray(Path("d.db").read_bytes())
    data[(root - 1) * size : (root - 1) * size + 100] = b"\xff" * 100
    Path("d.db").write_bytes(bytes(data))
    said = "Error: d.db is damaged (database disk image is malformed): see what SQLite finds with: sqlite3 d.db " \
        "'PRAGMA integrity_check'\n"  # fmt: skip
    for command in (["report"], ["show"], ["trace", f"{samples}/000_a7592bb494e02b3e.txt"], ["ingest", samples, "-q"]):
        result = runner.invoke(app, [*command, "--db", "d.db"])
        assert (result.exit_code, result.stderr) == (3, said), command


@pytest.mark.parametrize(
    ("said", "expected"),
    [
        ("attempt to write a readonly database",
         "Error: r.db cannot be written (attempt to write a readonly database): the file is read-only, or its folder "
         "is, where SQLite keeps its -wal and -shm files beside it"),
        ("database or disk is full",
         "Error: the disk of r.db is full (database or disk is full): the store keeps every batch committed before (it "
         "holds 8 articles); free some space and run the same ingest again to complete it"),
    ],
)  # fmt: skip
def test_a_store_that_cannot_be_written_is_one_line_and_exit_3(
    samples: str, monkeypatch: pytest.MonkeyPatch, said: str, expected: str
) -> None:
    import sqlite3

    runner.invoke(app, ["ingest", samples, "-q", "--db", "r.db"])
    Path("more.txt").write_text((Path(samples) / "syndication" / "wire-original.txt").read_text() + "\n\nMore.")

    def refuse(*args: object, **kwargs: object) -> int:
        raise sqlite3.OperationalError(said)

    monkeypatch.setattr(Store, "insert_article", refuse)
    result = runner.invoke(app, ["ingest", "more.txt", "--db", "r.db", "-q"])
    assert (result.exit_code, result.stderr) == (3, expected + "\n")


def test_a_store_its_folder_keeps_sqlite_from_opening_is_not_called_no_database(
    samples: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As in a read-only folder, where SQLite cannot make the -shm file a store in WAL mode needs
    (simulated: the suite runs as root, whom no folder refuses)."""
    import sqlite3

    import sqlite_utils

    runner.invoke(app, ["ingest", samples, "-q", "--db", "s.db"])

    def unable(self: object) -> list[str]:
        raise sqlite3.OperationalError("unable to open database file")

    monkeypatch.setattr(sqlite_utils.Database, "table_names", unable)
    said = (
        "Error: cannot open s.db (unable to open database file): SQLite makes its -wal and -shm files beside the store"
    )
    for command in ("report", "show"):
        result = runner.invoke(app, [command, "--db", "s.db"])
        assert (result.exit_code, result.stderr) == (3, said + "\n")
