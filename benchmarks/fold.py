"""What a fold's statements cost in an existing store, each run in a transaction rolled back.

    python -m benchmarks.fold --db STORE [--bands N] [--words N] [--repeat R]

A fold moves the keys filed since the last one into the key tables (see
:meth:`provenance.store.Store.fold_keys`): band keys into ``bands``, one row a key and article,
and word keys appended to their rows of ``postings``. This times those statements against a
store as large as you have (the figures grow with it) on made-up entries shaped as a fold's
are: N band keys, random, and N word keys, half of them keys ``postings`` has already, each
filed under one of the store's latest 35,000 articles. Each variant runs in a transaction that
is rolled back, so the store is left as it was:

- band keys filed, and apart the look-up in ``articles`` that the foreign key ``bands`` had
  before schema 0015 made for each of them;
- word keys joined by ``INSERT OR REPLACE`` with a sub-select of the old row (as before) and
  by an upsert (as now).

Prints the best of ``--repeat`` runs of each, in seconds. The first run reads the store's pages
from disk: run it twice, or with ``--repeat`` 2 or more."""

from __future__ import annotations

import argparse
import sqlite3
import time
from collections.abc import Callable

import numpy as np

from provenance.store import _packed_rows  # the rows a fold makes

_BANDS = "INSERT OR IGNORE INTO bands (key, article_id) VALUES (?, ?)"
_CHECK = "SELECT count(*) FROM filed CROSS JOIN articles ON articles.id = filed.article_id"
_REPLACE = """INSERT OR REPLACE INTO postings (key, articles) VALUES (?1,
              CAST(coalesce((SELECT articles FROM postings WHERE key = ?1), x'') || ?2 AS BLOB))"""
_UPSERT = """INSERT INTO postings (key, articles) VALUES (?, ?)
             ON CONFLICT (key) DO UPDATE SET articles = CAST(articles || excluded.articles AS BLOB)"""


def _joining(conn: sqlite3.Connection, sql: str, keys: np.ndarray, ids: np.ndarray) -> Callable[[], object]:
    """Word keys joined to their rows of ``postings`` by ``sql``, the rows made anew each run."""
    return lambda: conn.executemany(sql, _packed_rows(keys, ids))


def _timed(conn: sqlite3.Connection, work: Callable[[], object], repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        conn.execute("BEGIN IMMEDIATE")
        started = time.perf_counter()
        try:
            work()
            best = min(best, time.perf_counter() - started)
        finally:
            conn.execute("ROLLBACK")
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", required=True, help="a provenance store (left as it was)")
    parser.add_argument("--bands", type=int, default=1_400_000, help="band key entries (a fold of 4M entries: 1.4M)")
    parser.add_argument("--words", type=int, default=2_600_000, help="word key entries (a fold of 4M entries: 2.6M)")
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    print(f"$ python -m benchmarks.fold --db {args.db} --bands {args.bands} --words {args.words}", end="")
    print(f" --repeat {args.repeat}")
    conn = sqlite3.connect(args.db, isolation_level=None)
    conn.execute("PRAGMA cache_size = -65536")  # as the store opens itself
    latest = conn.execute("SELECT coalesce(max(id), 1) FROM articles").fetchone()[0]
    stored = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    rng = np.random.default_rng(1)
    band_keys = np.sort(rng.integers(-(2**63), 2**63 - 1, args.bands, dtype=np.int64))
    band_ids = rng.integers(max(1, latest - 35_000), latest + 1, args.bands)
    held = [k for (k,) in conn.execute("SELECT key FROM postings ORDER BY random() LIMIT ?", [args.words // 2])]
    word_keys = np.sort(np.concatenate([rng.integers(0, 2**32, args.words - len(held)), np.array(held, np.int64)]))
    word_ids = rng.integers(max(1, latest - 35_000), latest + 1, len(word_keys))
    band_rows = list(zip(band_keys.tolist(), band_ids.tolist(), strict=True))
    print(f"a store of {stored:,} articles; a fold of {args.bands:,} band and {len(word_keys):,} word key entries")
    filed = _timed(conn, lambda: conn.executemany(_BANDS, band_rows), args.repeat)
    # what a foreign key on bands.article_id did for each row filed: find its article by its id
    conn.execute("CREATE TEMP TABLE filed (article_id INTEGER NOT NULL)")
    conn.executemany("INSERT INTO filed VALUES (?)", [(i,) for i in band_ids.tolist()])
    checked = _timed(conn, lambda: conn.execute(_CHECK).fetchone(), args.repeat)
    conn.execute("DROP TABLE filed")
    print(f"  band keys filed:                                {filed:.2f} s")
    print(f"  their check against articles (before 0015):     {checked:.2f} s more")
    for label, sql in (("joined by INSERT OR REPLACE (before)", _REPLACE), ("joined by an upsert (now)", _UPSERT)):
        spent = _timed(conn, _joining(conn, sql, word_keys, word_ids), args.repeat)
        print(f"  word keys {label + ':':<38}{spent:.2f} s")
    conn.close()


if __name__ == "__main__":
    main()
