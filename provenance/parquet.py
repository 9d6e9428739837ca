"""Load the Parquet tables a Spark job wrote (:mod:`provenance.spark`) into a new store, so that
``report``, ``trace``, ``show`` and ``serve`` work on them. Needs pyarrow (``provenance[spark]``)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ._exceptions import StoreError
from .fingerprint import Params
from .match import MatchPolicy
from .migrations import pack_postings
from .models import Skipped
from .store import LINK_COLUMNS, MATCH_COLUMNS, STORED_COLUMNS, STORY_COLUMNS, Store, insert_sql

_BATCH = 5_000


@dataclass(frozen=True)
class Imported:
    articles: int
    pairs: int
    stories: int
    links: int
    skipped: int


def job_settings(folder: str | Path) -> tuple[Params, MatchPolicy]:
    """The fingerprint parameters and thresholds the job ran with (its ``parameters`` table)."""
    values = {row["name"]: row["value"] for row in _rows(Path(folder) / "parameters", ("name", "value"))}
    if not values:
        raise StoreError(f"{folder} holds no parameters table: not the output of 'provenance spark'")
    policy = {k.removeprefix("policy."): v for k, v in values.items() if k.startswith("policy.")}
    params = {k: v for k, v in values.items() if not k.startswith("policy.")}
    return Params.from_dict(params), MatchPolicy.from_dict(policy)


def import_tables(store: Store, folder: str | Path, progress: Callable[[str, int], None] | None = None) -> Imported:
    """Load a Spark job's tables from ``folder`` into ``store``, which must hold no article yet
    (the job's article ids are kept, and its stories and links refer to them)."""
    folder = Path(folder)
    if store.count("articles"):
        raise StoreError(f"{store.path} already holds articles: import a Spark job's output into a new store")
    counts = {}
    with store.write():
        db = store.db.conn
        n = 0
        for batch in _batches(folder / "articles", ("id", *STORED_COLUMNS)):
            db.executemany("INSERT OR IGNORE INTO publishers (name) VALUES (?)", [(row[4],) for row in batch if row[4]])
            db.executemany(insert_sql("articles", ("id", *STORED_COLUMNS)), batch)
            n += len(batch)
            if progress:
                progress("articles", n)
        counts["articles"] = n
        db.execute("INSERT INTO articles_fts (articles_fts) VALUES ('rebuild')")  # the store held none before
        tables: dict[str, tuple[tuple[str, ...], str | None]] = {
            "bands": (("key", "article_id"), "INSERT OR IGNORE INTO bands (key, article_id) VALUES (?, ?)"),
            "words": (("key", "article_id"), "INSERT OR IGNORE INTO temp.words (key, article_id) VALUES (?, ?)"),
            "matches": (MATCH_COLUMNS, insert_sql("matches", MATCH_COLUMNS)),
            "stories": (STORY_COLUMNS, insert_sql("stories", STORY_COLUMNS)),
            "links": (LINK_COLUMNS, insert_sql("links", LINK_COLUMNS)),
            "skipped": (("location", "reason"), None),  # with the time they were seen: now
        }
        db.execute("CREATE TEMP TABLE words (key INTEGER, article_id INTEGER, PRIMARY KEY (key, article_id))")
        for name, (columns, sql) in tables.items():
            n = 0
            for batch in _batches(folder / name, columns):
                if sql is None:
                    store.record_skipped(Skipped(location, reason) for location, reason in batch)
                else:
                    db.executemany(sql, batch)
                n += len(batch)
            counts[name] = n
        pack_postings(store.db, "SELECT key, article_id FROM temp.words ORDER BY key, article_id")
        db.execute("DROP TABLE temp.words")
        store.retire_common_words()  # as ingest would have, once they were filed under that many
        store.forget_presence()  # keys filed without a fold: all searched for until a fold makes the filters
    store.forget_cached()
    return Imported(counts["articles"], counts["matches"], counts["stories"], counts["links"], counts["skipped"])


def _rows(path: Path, columns: tuple[str, ...]) -> Iterator[dict[str, Any]]:
    for batch in _batches(path, columns):
        yield from (dict(zip(columns, row, strict=True)) for row in batch)


def _batches(path: Path, columns: tuple[str, ...]) -> Iterator[list[tuple[Any, ...]]]:
    import pyarrow.dataset as ds

    if not path.exists():
        raise StoreError(f"{path} is missing: not the output of 'provenance spark'")
    dataset = ds.dataset(str(path), format="parquet")
    for batch in dataset.to_batches(columns=list(columns), batch_size=_BATCH):  # ids are explicit: any order
        yield list(zip(*(batch.column(c).to_pylist() for c in columns), strict=True))
