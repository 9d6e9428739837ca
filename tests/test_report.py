from __future__ import annotations

import csv
import io
import json
import re

from rich.console import Console

from provenance import Store, build_report, ingest, to_csv, to_json
from provenance.report import render_table, shorten_left, summary


def test_json_report_shape(store: Store, samples: str) -> None:
    result = ingest(store, [samples])
    data = json.loads(to_json(build_report(store, result)))
    assert data["articles"] == 8
    story, lone = data["stories"]
    assert story["canonical"] == "samples/syndication/wire-original.txt"
    assert lone["canonical"] is None
    assert lone["members"][0]["relation"] == "reference"
    assert {k: lone["origin"][k] for k in ("source", "canonical_present", "title", "authors", "published", "slug")} == {
        "source": "Bloomberg",
        "canonical_present": False,
        "title": "U.S., Russia Make Little Headway After Latest Talks Over Dispute",
        "authors": ["Nick Wadhams", "Ilya Arkhipov"],
        "published": "2017-09-13",
        "slug": "BC-US-RUSSIA-TALKS",
    }
    assert {e["kind"] for e in lone["origin"]["evidence"]} == {"credit line", "original not in the store"}
    assert story["origin"]["source"] == "Northwind"
    assert story["origin"]["canonical_present"] is True
    assert "published by the credited wire" in {e["kind"] for e in story["origin"]["evidence"]}
    assert isinstance(story["story"], int)
    assert story["canonical_reason"] == "published by the wire itself"  # the outlet its copies credit
    first, *copies = story["members"]
    assert first == {
        "key": "samples/syndication/wire-original.txt", "relation": "canonical", "similarity": 1.0,
        "containment": 1.0, "coverage": 1.0, "reuse": 1.0, "paragraphs_added": 0, "paragraphs_dropped": 0,
        "headline_changed": None,
        "title": "Kestrel Bay port board approves $1.2 billion container terminal expansion",
        "publisher": "Northwind Wire Service", "published": "2026-03-04",
        "location": "samples/syndication/wire-original.txt", "credit": "Northwind",
        "authors": ["Maren Holt", "Tomas Ferreira"], "passages": 0, "passage_words": 0, "sentences": 0,
        "via": None, "confidence": None,
    }  # fmt: skip
    trimmed = next(m for m in copies if m["key"].endswith("coastdaily-trimmed.txt"))
    assert trimmed["relation"] == "wholly"
    assert trimmed["confidence"] > 0.95
    assert (trimmed["passages"], trimmed["sentences"], trimmed["via"]) == (1, 0, None)  # one run of its source's words
    assert trimmed["passage_words"] > 200
    assert (trimmed["containment"], trimmed["reuse"]) == (1.0, 1.0)
    assert 0.5 < trimmed["coverage"] < 0.6
    assert (trimmed["paragraphs_added"], trimmed["paragraphs_dropped"], trimmed["headline_changed"]) == (0, 4, False)
    edited = next(m for m in copies if m["key"].endswith("morningpost-new-headline.txt"))
    assert (edited["paragraphs_added"], edited["paragraphs_dropped"], edited["headline_changed"]) == (1, 1, True)
    assert data["run"]["new"] == 8
    assert data["skipped"] == []


def test_csv_report_has_one_row_per_member(store: Store, samples: str) -> None:
    ingest(store, [samples])
    rows = list(csv.DictReader(io.StringIO(to_csv(build_report(store)))))
    assert len(rows) == 6  # five members of one story, and the lone Bloomberg copy
    assert {r["canonical"] for r in rows} == {"samples/syndication/wire-original.txt", ""}
    assert rows[0]["relation"] == "canonical"


def test_table_report_lists_stories_and_summary(store: Store, samples: str) -> None:
    result = ingest(store, [samples])
    out = io.StringIO()
    render_table(build_report(store, result), Console(file=out, width=200))
    text = out.getvalue()
    assert "coastdaily-trimmed" in text
    assert "wholly" in text
    assert "000_a7592bb494e02b3e" not in text
    assert text.rstrip().endswith(
        "8 read: 8 new, 0 updated, 0 unchanged, 0 skipped; 2 exact duplicates, 5 copies linked; "
        "8 articles in the store, 2 stories (1 without their original)."
    )


def test_summary_from_the_store_alone(store: Store, samples: str) -> None:
    ingest(store, [samples])
    assert summary(build_report(store)) == (
        "8 articles in the store, 2 stories (1 without their original), 5 copies linked."
    )


def test_empty_store_reports_no_copies(store: Store) -> None:
    out = io.StringIO()
    render_table(build_report(store), Console(file=out, width=100))
    assert out.getvalue().startswith("No copies found.")


def _table(store: Store, width: int) -> str:
    out = io.StringIO()
    render_table(build_report(store), Console(file=out, width=width, color_system=None, highlight=False))
    return out.getvalue()


def test_the_table_fits_80_columns_with_every_figure_readable(store: Store, samples: str) -> None:
    ingest(store, [samples])
    text = _table(store, 80)
    lines = text.splitlines()
    assert max(len(line) for line in lines) <= 80
    header = next(line for line in lines if "story" in line and "relation" in line)
    assert [name.strip() for name in header.strip("┃").split("┃")] == [
        "story", "article", "relation", "conf.", "reuse", "cover"]  # fmt: skip
    row = next(line for line in lines if "coastdaily-trimmed.txt" in line)
    assert "…/coastdaily-trimmed.txt" in row  # cut from the left, at a folder, so it can be copied
    assert re.search(r"wholly\s+│\s+1\.00\s+│\s+1\.00\s+│\s+0\.52\s+│$", row)  # figures whole
    assert "Coast Daily Media · 2026-03-04" in text  # publisher and date under the title


def test_from_120_columns_the_table_shows_more(store: Store, samples: str) -> None:
    ingest(store, [samples])
    lines = _table(store, 120).splitlines()
    assert max(len(line) for line in lines) <= 120
    header = next(line for line in lines if "story" in line and "relation" in line)
    assert [name.strip() for name in header.strip("┃").split("┃")] == [
        "story", "article", "publisher, date", "relation", "confidence", "reuse", "coverage"]  # fmt: skip
    assert any("samples/syndication/wire-original.txt" in line for line in lines)


def test_keys_are_shortened_from_the_left_at_a_folder() -> None:
    assert shorten_left("samples/syndication/coastdaily-trimmed.txt", 30) == "…/coastdaily-trimmed.txt"
    assert shorten_left("short.txt", 30) == "short.txt"
    assert shorten_left("bayherald-2026-03-05-port-expansion", 20) == "…3-05-port-expansion"
    assert len(shorten_left("a/" * 40 + "b", 16)) <= 16
