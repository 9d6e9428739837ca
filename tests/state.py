"""What a store holds, read as plain rows keyed by article keys (so that two stores filled in
different ways compare equal when they hold the same), and the checks a store must always pass."""

from __future__ import annotations

import sqlite3
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np

from provenance.store import recent_rows, unpack_postings

_TIMES = {"ingested_at", "seen_at"}  # when something happened, not what


def _rows(conn: sqlite3.Connection, sql: str) -> list[tuple[Any, ...]]:
    return sorted(conn.execute(sql).fetchall(), key=repr)


def filed(conn: sqlite3.Connection, kind: str) -> tuple[np.ndarray, np.ndarray]:
    """Every (key, article id) of ``kind`` (``band``, ``word``): in the key tables and filed since
    the last fold."""
    if kind == "band":
        rows = conn.execute("SELECT key, article_id FROM bands").fetchall()
        keys, ids = np.array([k for k, _ in rows], np.int64), np.array([i for _, i in rows], np.int64)
    else:
        keys, ids = unpack_postings(conn.execute("SELECT key, articles FROM postings").fetchall())
    recent_keys, recent_ids = recent_rows(conn, kind)
    if kind == "word":  # a key retired after it was filed is filed under none
        retired = np.array([k for (k,) in conn.execute("SELECT key FROM common_words")], np.int64)
        keep = ~np.isin(recent_keys, retired)
        recent_keys, recent_ids = recent_keys[keep], recent_ids[keep]
    return np.concatenate([keys, recent_keys]), np.concatenate([ids, recent_ids])


def _band_rows(conn: sqlite3.Connection) -> list[tuple[Any, ...]]:
    """(band key, article key) of every article filed under a band key."""
    keys, ids = filed(conn, "band")
    names = dict(conn.execute("SELECT id, key FROM articles"))
    return sorted(((key, names.get(i)) for key, i in zip(keys.tolist(), ids.tolist(), strict=True)), key=repr)


def _word_rows(conn: sqlite3.Connection) -> list[tuple[Any, ...]]:
    """(word key, article key) of every article filed under a word key."""
    keys, ids = filed(conn, "word")
    names = dict(conn.execute("SELECT id, key FROM articles"))
    return sorted(((key, names.get(i)) for key, i in zip(keys.tolist(), ids.tolist(), strict=True)), key=repr)


def _columns(conn: sqlite3.Connection, table: str, leave: set[str]) -> str:
    names = sorted(row[1] for row in conn.execute(f"PRAGMA table_info([{table}])"))  # a column added late is one too
    return ", ".join(f"t.[{name}]" for name in names if name not in leave | _TIMES)


_MATCHES = """
    SELECT a.key, b.key, relation, similarity, shared, containment_a, containment_b, content_a, content_b, confidence
    FROM matches t JOIN articles a ON a.id = t.a_id JOIN articles b ON b.id = t.b_id"""


def _by_key(row: tuple[Any, ...]) -> tuple[Any, ...]:
    """A verified pair with its two articles in key order (ids, and so the stored order, depend on
    which came first)."""
    a, b, relation, similarity, shared, containment_a, containment_b, content_a, content_b, confidence = row
    if a < b:
        return row
    return b, a, relation, similarity, shared, containment_b, containment_a, content_b, content_a, confidence


def state(path: str | Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every table of the store as sorted rows, article ids replaced by article keys."""
    with sqlite3.connect(path) as conn:
        link_columns = _columns(conn, "links", {"story_id", "article_id", "via"})
        story_columns = _columns(conn, "stories", {"id", "canonical_id"})
        return {
            "articles": _rows(conn, f"SELECT {_columns(conn, 'articles', {'id'})} FROM articles t"),
            "bands": _band_rows(conn),
            "words": _word_rows(conn),
            "common_words": _rows(conn, "SELECT key FROM common_words"),
            "matches": sorted(map(_by_key, conn.execute(_MATCHES))),
            "stories": _rows(
                conn, f"SELECT c.key, {story_columns} FROM stories t JOIN articles c ON c.id = t.canonical_id"
            ),
            "links": _rows(
                conn,
                f"""SELECT c.key, a.key, v.key, {link_columns} FROM links t JOIN stories s ON s.id = t.story_id
                    JOIN articles c ON c.id = s.canonical_id JOIN articles a ON a.id = t.article_id
                    LEFT JOIN articles v ON v.id = t.via""",
            ),
            "publishers": _rows(conn, "SELECT name FROM publishers"),
            "skipped": _rows(conn, "SELECT location, reason FROM skipped"),
        }


def problems(path: str | Path) -> list[str]:
    """What is wrong with a store: an empty list for a sound one."""
    found: list[str] = []
    with sqlite3.connect(path) as conn:
        if not conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]:
            return []  # stopped while it was being created: nothing was committed, and a rerun creates it
        if (check := conn.execute("PRAGMA integrity_check").fetchall()) != [("ok",)]:
            found.append(f"integrity_check: {check}")
        if check := conn.execute("PRAGMA foreign_key_check").fetchall():
            found.append(f"foreign_key_check: {check}")
        try:
            conn.execute("INSERT INTO articles_fts(articles_fts) VALUES ('integrity-check')")
        except sqlite3.DatabaseError as err:
            found.append(f"full-text index: {err}")
        queries = {
            "articles without a fingerprint": """SELECT count(*) FROM articles
                WHERE content_hash IS NULL OR shingles = 0""",
            "retired word keys still filed": """SELECT count(*) FROM postings
                WHERE key IN (SELECT key FROM common_words)""",
            "word keys filed under no article": "SELECT count(*) FROM postings WHERE length(articles) = 0",
            "links whose passages are not in their texts": """SELECT count(*) FROM links l
                JOIN articles a ON a.id = l.article_id, json_each(l.passages) p
                WHERE json_extract(p.value, '$[1]') > length(a.text)""",
            "links to a lost article": "SELECT count(*) FROM links WHERE article_id NOT IN (SELECT id FROM articles)",
            "links to a missing story": "SELECT count(*) FROM links WHERE story_id NOT IN (SELECT id FROM stories)",
            "links without a verified pair": """SELECT count(*) FROM links l JOIN stories s ON s.id = l.story_id
                WHERE NOT EXISTS (SELECT 1 FROM matches m
                                  WHERE m.a_id = min(coalesce(l.via, s.canonical_id), l.article_id)
                                  AND m.b_id = max(coalesce(l.via, s.canonical_id), l.article_id))""",
            "links via an article outside their story": """SELECT count(*) FROM links l
                JOIN stories s ON s.id = l.story_id WHERE l.via IS NOT NULL AND l.via != s.canonical_id
                AND l.via NOT IN (SELECT article_id FROM links WHERE story_id = l.story_id)""",
            "articles wholly in two stories": """SELECT count(*) FROM (SELECT article_id FROM links
                WHERE relation NOT IN ('partially', 'compilation') GROUP BY article_id HAVING count(*) > 1)""",
            "canonicals that are copies": """SELECT count(*) FROM stories s
                WHERE s.canonical_id IN (SELECT article_id FROM links WHERE relation != 'compilation')""",
            "stories whose member count is wrong": """SELECT count(*) FROM stories s
                WHERE s.members != 1 + (SELECT count(*) FROM links l WHERE l.story_id = s.id)""",
        }
        for what, sql in queries.items():
            if n := conn.execute(sql).fetchone()[0]:
                found.append(f"{n} {what}")
        band_keys, band_ids = filed(conn, "band")
        stored = {i for (i,) in conn.execute("SELECT id FROM articles")}
        if unbanded := stored - set(band_ids.tolist()):
            found.append(f"{len(unbanded)} articles without bands")
        for kind, (keys, ids) in (("band", (band_keys, band_ids)), ("word", filed(conn, "word"))):
            if len(set(zip(keys.tolist(), ids.tolist(), strict=True))) != len(keys):
                found.append(f"an article filed twice under a {kind} key")
        keys, ids = filed(conn, "word")
        under = Counter(ids.tolist())
        counted = dict(conn.execute("SELECT id, word_keys FROM articles"))
        if lost := [i for i in under if i not in counted]:
            found.append(f"{len(lost)} word keys filed under a lost article")
        if wrong := [i for i, n in under.items() if n > counted.get(i, 0)]:
            found.append(f"{len(wrong)} articles filed under the wrong number of word keys")
    return found
