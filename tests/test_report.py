from __future__ import annotations

import csv
import io
import json

from rich.console import Console

from provenance import Store, build_report, ingest, to_csv, to_json
from provenance.report import render_table, summary


def test_json_report_shape(store: Store, samples: str) -> None:
    result = ingest(store, [samples])
    data = json.loads(to_json(build_report(store, result)))
    assert data["articles"] == 8
    (story,) = data["stories"]
    assert story["canonical"] == "samples/syndication/wire-original.txt"
    assert isinstance(story["story"], int)
    assert story["canonical_reason"] == "fullest text (409 words)"
    first, *copies = story["members"]
    assert first == {
        "key": "samples/syndication/wire-original.txt", "relation": "canonical", "similarity": 1.0,
        "containment": 1.0, "coverage": 1.0,
        "title": "Kestrel Bay port board approves $1.2 billion container terminal expansion",
        "publisher": "Northwind Wire Service", "published": "2026-03-04",
        "location": "samples/syndication/wire-original.txt", "credit": "Northwind",
        "authors": ["Maren Holt", "Tomas Ferreira"],
    }  # fmt: skip
    trimmed = next(m for m in copies if m["key"].endswith("coastdaily-trimmed.txt"))
    assert trimmed["relation"] == "wholly"
    assert trimmed["containment"] == 1.0
    assert 0.5 < trimmed["coverage"] < 0.6
    assert data["run"]["new"] == 8
    assert data["skipped"] == []


def test_csv_report_has_one_row_per_member(store: Store, samples: str) -> None:
    ingest(store, [samples])
    rows = list(csv.DictReader(io.StringIO(to_csv(build_report(store)))))
    assert len(rows) == 5
    assert {r["canonical"] for r in rows} == {"samples/syndication/wire-original.txt"}
    assert rows[0]["relation"] == "canonical"


def test_table_report_lists_stories_and_summary(store: Store, samples: str) -> None:
    result = ingest(store, [samples])
    out = io.StringIO()
    render_table(build_report(store, result), Console(file=out, width=200))
    text = out.getvalue()
    assert "samples/syndication/coastdaily-trimmed.txt" in text
    assert "wholly" in text
    assert "000_a7592bb494e02b3e" not in text
    assert text.rstrip().endswith(
        "8 read, 8 new, 0 updated, 0 unchanged, 2 exact duplicates, 4 copies linked, 0 skipped; "
        "8 articles in the store, 1 stories with copies."
    )


def test_summary_from_the_store_alone(store: Store, samples: str) -> None:
    ingest(store, [samples])
    assert summary(build_report(store)) == "8 articles in the store, 1 stories with copies, 4 copies linked."


def test_empty_store_reports_no_copies(store: Store) -> None:
    out = io.StringIO()
    render_table(build_report(store), Console(file=out, width=100))
    assert out.getvalue().startswith("No copies found.")
