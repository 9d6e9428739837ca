"""Aligning stored links again: milliseconds an alignment (passages, sentences, paragraphs).

    python -m benchmarks.align --db STORE [--links N]

Reads the first N links of a store (each copy with the text it was aligned with: its story's
canonical or the version it copies) and aligns each again with ``provenance.passages.align``,
as ingest does for a new link (a source's copies one after the other, as a story's are). One
alignment first, to load the compiled kernels, is not timed.
"""

from __future__ import annotations

import argparse
import sqlite3
import time

from provenance.passages import align


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", required=True)
    parser.add_argument("--links", type=int, default=1000)
    args = parser.parse_args()
    with sqlite3.connect(args.db) as conn:
        rows = conn.execute(
            """SELECT c.title, c.text, s.title, s.text FROM links l JOIN stories st ON st.id = l.story_id
               JOIN articles c ON c.id = l.article_id
               JOIN articles s ON s.id = coalesce(l.via, st.canonical_id)
               ORDER BY l.story_id, l.article_id LIMIT ?""",
            [args.links],
        ).fetchall()
    if not rows:
        raise SystemExit(f"{args.db} holds no links")
    align(rows[0][1], rows[0][3])
    start = time.perf_counter()
    for copy_title, copy, title, source in rows:
        align(copy, source, copy_title, title)
    spent = time.perf_counter() - start
    print(f"$ python -m benchmarks.align --db {args.db} --links {args.links}")
    print(f"{len(rows)} alignments: {spent / len(rows) * 1000:.2f} ms each")


if __name__ == "__main__":
    main()
