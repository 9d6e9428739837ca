"""The store's schema, as numbered migrations. Never edit an applied one: add the next."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlite_utils import Database, Migrations

MIGRATION_SET = "provenance"
migrations = Migrations(MIGRATION_SET)


def migration_names() -> set[str]:
    """The names of the migrations this version knows (a store with others is from a newer one)."""
    return {migration.name for migration in migrations._migrations}


@migrations(name="0001_initial")
def initial(db: Database) -> None:
    db.table("parameters").create({"name": str, "value": str}, pk="name", not_null={"value"})
    db.table("articles").create(
        {
            "id": int,
            "key": str,
            "location": str,
            "title": str,
            "publisher": str,
            "published": str,
            "url": str,
            "text": str,
            "tokens": int,
            "shingles": int,
            "content_hash": str,
            "ingested_at": str,
        },
        pk="id",
        not_null={"key", "location", "text", "tokens", "shingles", "content_hash", "ingested_at"},
    )
    db.table("articles").create_index(["key"], unique=True)
    db.table("articles").create_index(["content_hash"])
    db.table("signatures").create(
        {"article_id": int, "signature": bytes},
        pk="article_id",
        not_null={"signature"},
        foreign_keys=[("article_id", "articles", "id")],
    )
    # One row per (LSH band key, article). WITHOUT ROWID: the primary key is the table.
    db.execute(
        """CREATE TABLE bands (
            key INTEGER NOT NULL,
            article_id INTEGER NOT NULL REFERENCES articles(id),
            PRIMARY KEY (key, article_id)
        ) WITHOUT ROWID"""
    )
    # Verified pairs, a_id < b_id. containment_a: the share of a's shingles found in b.
    db.execute(
        """CREATE TABLE matches (
            a_id INTEGER NOT NULL REFERENCES articles(id),
            b_id INTEGER NOT NULL REFERENCES articles(id),
            relation TEXT NOT NULL,
            similarity REAL NOT NULL,
            containment_a REAL NOT NULL,
            containment_b REAL NOT NULL,
            shared INTEGER NOT NULL,
            PRIMARY KEY (a_id, b_id),
            CHECK (a_id < b_id)
        ) WITHOUT ROWID"""
    )
    db.execute("CREATE INDEX matches_b_id ON matches(b_id)")
    db.table("stories").create(
        {"id": int, "canonical_id": int, "members": int, "canonical_reason": str},
        pk="id",
        not_null={"canonical_id", "members", "canonical_reason"},
        foreign_keys=[("canonical_id", "articles", "id")],
    )
    db.table("stories").create_index(["canonical_id"], unique=True)
    db.table("links").create(
        {
            "story_id": int,
            "article_id": int,
            "relation": str,
            "similarity": float,
            "containment": float,
            "coverage": float,
            "evidence": str,
        },
        pk=("story_id", "article_id"),
        not_null={"relation", "similarity", "containment", "coverage", "evidence"},
        foreign_keys=[("story_id", "stories", "id"), ("article_id", "articles", "id")],
    )
    db.table("links").create_index(["article_id"])
    db.table("skipped").create(
        {"location": str, "reason": str, "seen_at": str},
        pk="location",
        not_null={"reason", "seen_at"},
    )


@migrations(name="0002_article_metadata")
def article_metadata(db: Database) -> None:
    """The metadata of the extract stage: who wrote a story, for whom, where it came from."""
    articles = db.table("articles")
    for column in ("authors", "credit", "slug", "dateline", "copyright", "language",
                   "canonical_url", "original_source", "trailer"):  # fmt: skip
        articles.add_column(column, str)
    articles.create_index(["credit"])


@migrations(name="0003_rewrites")
def rewrites(db: Database) -> None:
    """Content-bigram containment on verified pairs; a full-text index of the articles (title and
    text, kept in sync by triggers) and its vocabulary, to find rewrites and to search."""
    matches = db.table("matches")
    matches.add_column("content_a", float, not_null_default=0.0)
    matches.add_column("content_b", float, not_null_default=0.0)
    db.table("articles").enable_fts(["title", "text"], create_triggers=True, fts_version="FTS5")
    db.execute("CREATE VIRTUAL TABLE articles_fts_vocab USING fts5vocab(articles_fts, 'row')")


@migrations(name="0004_role")
def role(db: Database) -> None:
    """The role an input states for an article ("wire", "newspaper", ...): evidence of the source."""
    db.table("articles").add_column("role", str)


@migrations(name="0005_origins_and_alignment")
def origins_and_alignment(db: Database) -> None:
    """Each story's origin with its evidence; each link's alignment with the canonical."""
    stories = db.table("stories")
    stories.add_column("canonical_present", int, not_null_default=1)
    stories.add_column("origin", str)  # JSON: source, title, authors, published, slug, evidence
    links = db.table("links")
    links.add_column("reuse", float, not_null_default=0.0)
    links.add_column("paragraphs_kept", int, not_null_default=0)
    links.add_column("paragraphs_added", int, not_null_default=0)
    links.add_column("paragraphs_dropped", int, not_null_default=0)
    links.add_column("headline_changed", int)


@migrations(name="0006_browse")
def browse(db: Database) -> None:
    """What datasette needs to show the store as links: a publishers table that articles point at,
    and each story's title and source, to label a story wherever it is referred to."""
    db.table("publishers").create({"name": str}, pk="name")
    db.execute("INSERT INTO publishers (name) SELECT DISTINCT publisher FROM articles WHERE publisher IS NOT NULL")
    # transform() rebuilds the table and drops its triggers, the full-text index's among them
    triggers = [trigger.sql for trigger in db.table("articles").triggers]
    db.table("articles").transform(add_foreign_keys=[("publisher", "publishers", "name")])
    for sql in triggers:
        db.execute(sql)
    db.table("articles").create_index(["publisher"])
    stories = db.table("stories")
    stories.add_column("title", str)
    stories.add_column("source", str)
    db.execute(
        """UPDATE stories SET
               title = coalesce(json_extract(origin, '$.title'),
                                (SELECT title FROM articles WHERE articles.id = stories.canonical_id)),
               source = json_extract(origin, '$.source')"""
    )
    stories.create_index(["source"])


@migrations(name="0007_no_signatures")
def no_signatures(db: Database) -> None:
    """Signatures are not kept: only their band keys are ever read, and an article's signature is
    computed again from its stored text when the text changes. Halves the index's size."""
    db.execute("DROP TABLE signatures")


@migrations(name="0008_inputs_and_origins")
def inputs_and_origins(db: Database) -> None:
    """The hash of each article's input as read (so an unchanged input is known before it is
    extracted again); what a library said of a skipped input; a story's origin date as a column."""
    db.table("articles").add_column("raw_hash", int)
    db.table("skipped").add_column("detail", str)
    db.execute(
        "ALTER TABLE stories ADD COLUMN published TEXT"
        " GENERATED ALWAYS AS (json_extract(origin, '$.published')) VIRTUAL"
    )


@migrations(name="0009_word_keys_and_passages")
def word_keys_and_passages(db: Database) -> None:
    """Word keys (see :mod:`provenance.candidates`), looked up by equality to find rewrites, in
    place of a full-text search of each article's rarest words (the full-text index stays, for
    searching); filed for the articles already stored. The index's vocabulary table goes: nothing
    reads it now. Each link's passages and reworded sentences (see :mod:`provenance.passages`),
    found for the links already stored."""
    from .candidates import COMMON, rows
    from .candidates import word_keys as keys_of
    from .match import content_bigrams

    db.execute(
        """CREATE TABLE words (
            key INTEGER NOT NULL,
            article_id INTEGER NOT NULL REFERENCES articles(id),
            PRIMARY KEY (key, article_id)
        ) WITHOUT ROWID"""
    )
    db.execute("CREATE TABLE common_words (key INTEGER PRIMARY KEY)")  # retired word keys
    db.table("articles").add_column("word_keys", int, not_null_default=0)  # filed or retired
    for article_id, text in _in_chunks(db, "SELECT id, text FROM articles WHERE id > ? ORDER BY id LIMIT 1000"):
        keys = keys_of(content_bigrams(text))
        db.conn.executemany("INSERT OR IGNORE INTO words (key, article_id) VALUES (?, ?)", rows(article_id, keys))
        db.execute("UPDATE articles SET word_keys = ? WHERE id = ?", [len(keys), article_id])
    db.execute("INSERT INTO common_words (key) SELECT key FROM words GROUP BY key HAVING count(*) >= ?", [COMMON])
    db.execute("DELETE FROM words WHERE key IN (SELECT key FROM common_words)")
    db.execute("DROP TABLE IF EXISTS articles_fts_vocab")
    from .passages import taken

    links = db.table("links")
    links.add_column("passages", str, not_null_default="[]")
    links.add_column("sentences", str, not_null_default="[]")
    links.add_column("passage_words", int, not_null_default=0)
    links.add_column("in_order", int, not_null_default=0)
    # the version of the canonical's text a member copies, where not the canonical itself (a wire
    # story's lineage: see provenance.attribute)
    links.add_column("via", int, fk="articles", fk_col="id")
    sql = """SELECT links.rowid, links.story_id, links.article_id, copy.text, source.text FROM links
             JOIN stories ON stories.id = links.story_id
             JOIN articles AS copy ON copy.id = links.article_id
             JOIN articles AS source ON source.id = stories.canonical_id
             WHERE links.rowid > ? ORDER BY links.rowid LIMIT 1000"""
    for _, story_id, article_id, copy, source in _in_chunks(db, sql):
        found = taken(copy, source)
        db.execute(
            "UPDATE links SET passages = ?, sentences = ?, passage_words = ?, in_order = ?"
            " WHERE story_id = ? AND article_id = ?",
            [*found.to_json(), found.words, found.in_order, story_id, article_id],
        )


@migrations(name="0010_full_text_by_batch")
def full_text_by_batch(db: Database) -> None:
    """New articles go into the full-text index once a transaction, in one statement (see
    ``Store.write``), not by a trigger an article; a change of an article's other columns (the
    hash of its input) no longer takes its text out of the index and puts it back."""
    db.execute('DROP TRIGGER IF EXISTS "articles_ai"')
    db.execute('DROP TRIGGER IF EXISTS "articles_au"')
    db.execute(
        """CREATE TRIGGER "articles_au" AFTER UPDATE OF "title", "text" ON "articles" BEGIN
          INSERT INTO "articles_fts" ("articles_fts", rowid, "title", "text")
            VALUES ('delete', old.rowid, old."title", old."text");
          INSERT INTO "articles_fts" (rowid, "title", "text") VALUES (new.rowid, new."title", new."text");
        END"""
    )


@migrations(name="0011_packed_postings")
def packed_postings(db: Database) -> None:
    """A word key's postings in one row, its articles' ids packed (``postings``: key, articles as
    little-endian 32-bit integers), in place of a row a key and article (``words``): a batch's
    look-up reads a row a key, not one an article filed under it (up to 255 a key)."""
    db.execute("CREATE TABLE postings (key INTEGER PRIMARY KEY, articles BLOB NOT NULL)")
    pack_postings(db, "SELECT key, article_id FROM words ORDER BY key, article_id")
    db.execute("DROP TABLE words")


@migrations(name="0012_recent_keys")
def recent_keys(db: Database) -> None:
    """The keys filed since the last fold into ``bands`` and ``postings``: a row a filing (a batch),
    its keys (little-endian signed 64-bit, sorted) and the article of each (as ``postings``)."""
    db.execute(
        """CREATE TABLE recent_keys (
            id INTEGER PRIMARY KEY,
            kind TEXT NOT NULL CHECK (kind IN ('band', 'word')),
            keys BLOB NOT NULL,
            articles BLOB NOT NULL
        )"""
    )


@migrations(name="0013_files_and_templates")
def files_and_templates(db: Database) -> None:
    """The file an article was read from whole, its path resolved (absolute, symbolic links
    followed): the same file reached by another path is the same article. Unknown for the
    articles stored before (their paths were given from a folder no longer known); each gets it
    when it is read again. And the template a page shares with other pages of its folder (see
    ``sources.templates``): pages of one site, known without their addresses."""
    db.table("articles").add_column("file", str)
    db.table("articles").add_column("template", str)
    db.table("articles").create_index(["file"])


@migrations(name="0014_confidence")
def confidence(db: Database) -> None:
    """The decision's confidence of each verified pair and link (NULL for those decided before
    there was one, by thresholds on shares), and the settings of that decision in place of the
    old thresholds (the store takes the defaults, or those asked, when it is opened)."""
    db.table("matches").add_column("confidence", float)
    db.table("links").add_column("confidence", float)
    db.execute("DELETE FROM parameters WHERE name LIKE 'policy.%'")


FULL_TEXT_MERGE = 16  # segments of one size the full-text index merges at once (FTS5's automerge)
WORD_COUNTS = "idx_articles_word_keys"  # the index candidate search reads word key counts from


@migrations(name="0015_lean_key_tables")
def lean_key_tables(db: Database) -> None:
    """``bands`` without its foreign key to ``articles``: a key table is an index, filed only from
    articles just stored, and the check cost a look-up in ``articles`` a row (at a million
    articles, about as long as filing the keys: ``python -m benchmarks.fold``). The full-text
    index merges its segments sixteen at a time rather than four (see docs/speed.md)."""
    db.execute(
        """CREATE TABLE bands_lean (
            key INTEGER NOT NULL,
            article_id INTEGER NOT NULL,
            PRIMARY KEY (key, article_id)
        ) WITHOUT ROWID"""
    )
    db.execute("INSERT INTO bands_lean (key, article_id) SELECT key, article_id FROM bands ORDER BY key, article_id")
    db.execute("DROP TABLE bands")
    db.execute("ALTER TABLE bands_lean RENAME TO bands")
    db.execute(f"INSERT INTO articles_fts (articles_fts, rank) VALUES ('automerge', {FULL_TEXT_MERGE})")


@migrations(name="0016_word_counts_index")
def word_counts_index(db: Database) -> None:
    """An index of each article's number of word keys, which candidate search reads for
    every article sharing two word keys with a new one (about 30 an article): read from the
    article's row, it sat after the text, in the row's overflow pages."""
    db.execute(f"CREATE INDEX {WORD_COUNTS} ON articles (id, word_keys)")


@migrations(name="0017_key_presence")
def key_presence(db: Database) -> None:
    """A filter of the keys each key table holds (``kind``: band or word; ``bits``: a
    :class:`~provenance.presence.Presence`, a megabyte a row, ``part`` its place), written with
    each fold, so that searches for keys the table does not hold are spared; ``stamp`` changes with
    each writing. A table without its rows is searched for every key (its filter is made at the
    next fold)."""
    db.execute(
        """CREATE TABLE key_presence (
            kind TEXT NOT NULL, part INTEGER NOT NULL, bits BLOB NOT NULL, stamp INTEGER NOT NULL,
            PRIMARY KEY (kind, part)
        )"""
    )


@migrations(name="0018_folding")
def folding(db: Database) -> None:
    """A fold made a part at a time (see ``Store.add_indexes``): for each kind of key being folded,
    the last row of ``recent_keys`` the fold takes (``last_row``) and the key it has reached
    (``below``): the keys below it of those rows are in the key tables already, the others not
    yet. No row: no fold under way."""
    db.execute(
        """CREATE TABLE folding (
            kind TEXT PRIMARY KEY CHECK (kind IN ('band', 'word')),
            last_row INTEGER NOT NULL,
            below INTEGER NOT NULL
        )"""
    )


def pack_postings(db: Database, sql: str) -> None:
    """Fill ``postings`` from the (key, article id) rows of ``sql``, ordered by key."""
    import numpy as np

    from .candidates import PACKED

    cursor = db.execute(sql)
    key: int | None = None  # the key being read
    ids: list[int] = []  # and its articles
    packed: list[tuple[int | None, bytes]] = []
    while rows := cursor.fetchmany(10_000):
        for row_key, article in rows:
            if row_key != key:
                if ids:
                    packed.append((key, np.array(ids, PACKED).tobytes()))
                key, ids = row_key, []
            ids.append(article)
        if len(packed) >= 10_000:
            db.conn.executemany("INSERT INTO postings (key, articles) VALUES (?, ?)", packed)
            packed = []
    if ids:
        packed.append((key, np.array(ids, PACKED).tobytes()))
    db.conn.executemany("INSERT INTO postings (key, articles) VALUES (?, ?)", packed)


def _in_chunks(db: Database, sql: str) -> Iterator[tuple[Any, ...]]:
    """The rows of ``sql`` (whose first column is a row id, bound as ``?`` after the last one
    read), a thousand at a time: a large store's texts are never all in memory."""
    last = -1
    while rows := db.execute(sql, [last]).fetchall():
        yield from rows
        last = rows[-1][0]
