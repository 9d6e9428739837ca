from __future__ import annotations

import contextlib
import re
import sqlite3
import tempfile
import weakref
from pathlib import Path

import numpy as np
import pytest
import sqlite_utils
from hypothesis import example, given, settings
from hypothesis import strategies as st

from provenance import NewerStore, NotAStore, ParameterMismatch, Params, Store
from provenance import store as store_module
from provenance.evidence import shipped_decision
from provenance.fingerprint import DEFAULT_PARAMS
from provenance.match import DEFAULT_POLICY, MatchPolicy
from provenance.models import Skipped
from provenance.store import unpack_postings

from .state import problems, state


def test_a_new_store_holds_its_parameters_and_schema(tmp_path: Path) -> None:
    with Store.open(tmp_path / "s.db") as store:
        stored = {r["name"]: r["value"] for r in store.db["parameters"].rows}
        assert {k: v for k, v in stored.items() if not k.startswith("policy.")} == DEFAULT_PARAMS.as_dict()
        assert stored["policy.min_confidence"] == str(shipped_decision().min_confidence)
        assert store.policy == DEFAULT_POLICY
        assert stored["scheme"] == "affine32"
        assert stored["hashfunc"] == "xxh32_intdigest"
        assert {"articles", "bands", "matches", "stories", "links", "skipped"} <= set(store.db.table_names())
        assert store.db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        fks = {(fk.column, fk.other_table) for fk in store.db["links"].foreign_keys}
        assert fks == {("story_id", "stories"), ("article_id", "articles"), ("via", "articles")}


def test_reopening_with_the_same_parameters_works(tmp_path: Path) -> None:
    Store.open(tmp_path / "s.db").close()
    Store.open(tmp_path / "s.db", Params()).close()


def test_other_parameters_are_refused_before_anything_is_written(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    Store.open(path, Params(num_perm=64, bands=32, rows=2)).close()
    before = path.read_bytes()
    with pytest.raises(ParameterMismatch, match=r"num_perm=64 \(asked 128\)"):
        Store.open(path)
    assert path.read_bytes() == before


def test_a_file_that_is_not_sqlite_is_refused_and_left_untouched(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_text("my notes")
    with pytest.raises(NotAStore, match="is not a SQLite database, so not a provenance store"):
        Store.open(path)
    assert path.read_text() == "my notes"


def test_another_sqlite_database_is_refused_and_left_untouched(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    with pytest.raises(NotAStore, match="is a SQLite database but not a provenance store"):
        Store.open(path)
    assert path.read_bytes() == before


def test_a_store_from_a_newer_provenance_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    with Store.open(path) as store:
        store.db["_sqlite_migrations"].insert(
            {"migration_set": "provenance", "name": "0099_future", "applied_at": "2030-01-01"}
        )
    with pytest.raises(NewerStore, match=r"written by a newer provenance \(schema 0099_future\)"):
        Store.open(path)


def test_reading_a_missing_store_is_refused(tmp_path: Path) -> None:
    with pytest.raises(NotAStore, match="no provenance store at"):
        Store.open(tmp_path / "missing.db", create=False)
    assert not (tmp_path / "missing.db").exists()


def test_thresholds_are_the_stores_own(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    Store.open(path, policy=MatchPolicy(min_confidence=0.3)).close()
    with Store.open(path) as store:  # no thresholds asked: the store's own
        assert store.policy == MatchPolicy(min_confidence=0.3)
    before = path.read_bytes()
    default = shipped_decision().min_confidence
    refused = rf"was linked with other thresholds: min_confidence=0\.3 \(asked {default}\)"
    with pytest.raises(ParameterMismatch, match=refused):
        Store.open(path, policy=MatchPolicy())
    assert path.read_bytes() == before


def test_a_store_of_the_previous_schema_is_upgraded_with_nothing_lost(tmp_path: Path) -> None:
    """0006 rebuilds the articles table (to point it at publishers): rows, search and stories survive."""
    from provenance import ingest
    from provenance.migrations import migrations

    from .conftest import SAMPLES

    path = tmp_path / "old.db"
    with Store.open(path) as store:
        ingest(store, [str(SAMPLES)])
        before = store.db.execute("SELECT id, key, publisher, text FROM articles ORDER BY id").fetchall()
        stories = store.db.execute("SELECT id, origin FROM stories ORDER BY id").fetchall()
    # take the store back to the schema before 0006, as an older provenance left it
    conn = sqlite3.connect(path)
    conn.executescript(
        """PRAGMA foreign_keys = OFF;
           DROP INDEX idx_articles_publisher; DROP INDEX idx_stories_source;
           ALTER TABLE stories DROP COLUMN title; ALTER TABLE stories DROP COLUMN source;
           DROP TABLE publishers;
           DELETE FROM _sqlite_migrations WHERE name = '0006_browse';"""
    )
    conn.close()
    with Store.open(path) as store:
        assert {m.name for m in migrations.applied(store.db)} >= {"0006_browse"}
        assert store.db.execute("SELECT id, key, publisher, text FROM articles ORDER BY id").fetchall() == before
        assert store.db.execute("SELECT id, origin FROM stories ORDER BY id").fetchall() == stories
        assert store.db.execute("PRAGMA foreign_key_check").fetchall() == []
        assert store.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert {fk.column: fk.other_table for fk in store.db["articles"].foreign_keys} == {"publisher": "publishers"}
        names = {r[0] for r in store.db.execute("SELECT name FROM publishers")}
        assert names == {p for _, _, p, _ in before if p}
        titles = dict(store.db.execute("SELECT source, title FROM stories").fetchall())
        assert titles["Bloomberg"] == "U.S., Russia Make Little Headway After Latest Talks Over Dispute"
        # the full-text index is still kept in sync by its triggers
        store.db.execute("UPDATE articles SET title = 'Zanzibar clove harvest' WHERE id = ?", [before[0][0]])
        hits = store.db.execute("SELECT rowid FROM articles_fts WHERE articles_fts MATCH 'zanzibar'").fetchall()
        assert hits == [(before[0][0],)]


def test_checkpoint_moves_the_log_into_the_file(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    with Store.open(path) as store:
        store.db["skipped"].insert({"location": "x", "reason": "y", "seen_at": "z"})
        assert Path(f"{path}-wal").stat().st_size > 0
        assert store.checkpoint()
        assert Path(f"{path}-wal").stat().st_size == 0
    immutable = sqlite3.connect(f"file:{path}?immutable=1", uri=True)
    assert immutable.execute("SELECT location FROM skipped").fetchall() == [("x",)]
    immutable.close()


def _in_the_file(path: Path) -> list[str]:
    """The skipped inputs the database file itself holds (its log left unread)."""
    immutable = sqlite3.connect(f"file:{path}?immutable=1", uri=True)
    try:
        return [location for (location,) in immutable.execute("SELECT location FROM skipped ORDER BY location")]
    finally:
        immutable.close()


def test_the_log_is_checkpointed_beside_the_writer_not_by_its_commits(tmp_path: Path) -> None:
    # a commit that fills the log copied it into the file itself, and the writer waited for it a
    # batch at a time: a thread of its own does it after each commit; its checkpoints are not
    # another process's writes (nothing the store keeps in memory is read again); after, the
    # commits checkpoint the log as they did
    path = tmp_path / "s.db"
    with Store.open(path) as store:
        with store.checkpoints_behind() as checkpoints:
            assert store.db.execute("PRAGMA wal_autocheckpoint").fetchone() == (0,)
            for n in range(3):
                with store.write():
                    store.record_skipped([Skipped(f"feed.jsonl:{n}", "too short for an article")])
                checkpoints.settle()
                assert _in_the_file(path) == [f"feed.jsonl:{k}" for k in range(n + 1)]
            assert (checkpoints.asked, checkpoints.done) == (3, 3)
            assert checkpoints.moved > 0
            assert store.generation == 0
        assert store.db.execute("PRAGMA wal_autocheckpoint").fetchone() == (1000,)


def test_a_log_grown_past_its_bound_is_checkpointed_whole_and_begun_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the log starts again from its beginning only where it is wholly checkpointed when a write
    # begins, which checkpoints beside a busy writer never are: a commit past the bound waits
    # for its checkpoint, and the log stops growing (bound at a page here: every commit)
    monkeypatch.setattr(store_module, "_LOG_PAGES", 1)
    path = tmp_path / "s.db"
    wal = Path(f"{path}-wal")
    with Store.open(path) as store, store.checkpoints_behind() as checkpoints:
        sizes = []
        for n in range(12):
            with store.write():
                store.record_skipped([Skipped(f"feed.jsonl:{n}:{k}", "x" * 4000) for k in range(10)])
            if n == 0:
                checkpoints.settle()  # the thread has seen the log: each commit after waits
            assert checkpoints.done == checkpoints.asked
            sizes.append(wal.stat().st_size)
        assert sizes[-1] == sizes[2]  # each commit writes the log from its start again
        assert store.db.execute("SELECT count(*) FROM skipped").fetchone() == (120,)


def test_a_checkpoint_thread_that_fails_hands_the_checkpoints_back_to_the_commits(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the log is never left to grow without end: the next commit after the thread stops takes
    # the checkpoints over again, and writing goes on
    def fails(self: store_module.Checkpoints) -> None:
        self._fail(sqlite3.OperationalError("disk I/O error"))

    monkeypatch.setattr(store_module.Checkpoints, "_run", fails)
    path = tmp_path / "s.db"
    with Store.open(path) as store, store.checkpoints_behind() as checkpoints:
        with store.write():
            store.record_skipped([Skipped("feed.jsonl:1", "too short for an article")])
        checkpoints.settle()  # told of that commit or not, the thread has failed by now
        assert isinstance(checkpoints.failed, sqlite3.OperationalError)
        with store.write():
            store.record_skipped([Skipped("feed.jsonl:2", "too short for an article")])
        assert store.db.execute("PRAGMA wal_autocheckpoint").fetchone() == (1000,)
        assert store.db.execute("SELECT count(*) FROM skipped").fetchone() == (2,)


def test_the_key_tables_are_not_searched_for_keys_their_filters_know_absent_and_the_filters_grow(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rng = np.random.default_rng(3)
    monkeypatch.setattr(store_module, "_PRESENCE_PART", 1024)  # each filter in rows of a kilobyte
    with Store.open(tmp_path / "s.db") as store:
        with store.write():  # a first fold: each table's filter made from what it holds
            store.add_indexes([(1, [5, 6], [8, 12])])
            store.fold_keys()
        sizes = "SELECT kind, sum(length(bits)) FROM key_presence GROUP BY kind"
        small = dict(store.db.execute(sizes).fetchall())
        bands = rng.integers(-(2**63), 2**63 - 1, (500, 40), dtype=np.int64)
        words = rng.integers(0, 2**30, (500, 40), dtype=np.int64) * 4
        with store.write():  # a fold of more keys than it was made for: made again, larger
            store.add_indexes([(n, bands[n - 2], words[n - 2]) for n in range(2, 502)])
            store.fold_keys()
        assert dict(store.db.execute(sizes).fetchall())["band"] > small["band"]
        parts = "SELECT count(*), count(DISTINCT stamp), max(length(bits)) FROM key_presence WHERE kind = 'word'"
        assert store.db.execute(parts).fetchone() == (small["word"] // 1024 * 4, 1, 1024)
        asked: list[int] = []
        store.db.conn.set_trace_callback(  # the statements as run, their values bound in (IN (...))
            lambda sql: asked.extend(v for found in re.findall(r"key IN \(([^)]*)\)", sql) for v in found.split(","))
        )
        found = store.band_lookup([5, *bands[:, 0].tolist()])
        assert found[5] == [1]
        assert all(found[key] == [n + 2] for n, key in enumerate(bands[:, 0].tolist()))
        assert len(asked) == 501  # each key held, searched for
        asked.clear()
        absent = rng.integers(-(2**63), 2**63 - 1, 1000, dtype=np.int64).tolist()
        assert store.band_lookup(absent) == {}
        words_found = store.word_postings((rng.integers(0, 2**30, 1000) * 4).tolist())
        assert len(words_found[0]) == 0
        assert len(asked) < 200  # of 2,000 keys no table holds, about 5% or fewer are searched for
    with Store.open(tmp_path / "s.db") as again:  # read back a part at a time
        assert sorted(again.word_postings(words[:, 0].tolist())[1].tolist()) == list(range(2, 502))


def test_a_new_stores_first_fold_makes_the_filters_that_reading_its_key_tables_makes(tmp_path: Path) -> None:
    """The first fold into empty key tables makes each filter from the keys at hand; they are
    the filters made from what the tables hold (a retired word key left out of both)."""
    rng = np.random.default_rng(5)
    bands = rng.integers(-(2**63), 2**63 - 1, (300, 20), dtype=np.int64)
    words = rng.integers(0, 2**30, (300, 30), dtype=np.int64) * 4
    with Store.open(tmp_path / "s.db") as store:
        with store.write():
            store.add_indexes([(n + 1, bands[n], words[n]) for n in range(300)])
            store.retire_words([int(words[0, 0])])  # after it was filed, before the fold
            read: list[str] = []
            store.db.conn.set_trace_callback(read.append)
            store.fold_keys()
            store.db.conn.set_trace_callback(None)
        assert not [sql for sql in read if sql.startswith(("SELECT key FROM bands", "SELECT key FROM postings"))]
        filters = "SELECT kind, part, bits FROM key_presence ORDER BY kind, part"
        folded = store.db.execute(filters).fetchall()
        with store.write():
            store.forget_presence()
            store._file_presence("band", "bands", np.empty(0, np.int64))  # made from the table
            store._file_presence("word", "postings", np.empty(0, np.int64))
        assert [row[:2] for row in folded] == [("band", 0), ("word", 0)]
        assert store.db.execute(filters).fetchall() == folded


def test_word_keys_filed_looked_up_and_retired(tmp_path: Path) -> None:
    """Each article is filed under its word keys, counted in ``articles.word_keys``; a key retired
    as too common loses its postings and files no article again; a new text replaces the keys."""
    from provenance import ingest
    from provenance.candidates import word_keys
    from provenance.match import content_bigrams

    from .conftest import SAMPLES

    path = tmp_path / "s.db"
    with Store.open(path) as store:
        ingest(store, [str(SAMPLES)])
        texts = dict(store.db.execute("SELECT id, text FROM articles"))
        expected = {i: set(word_keys(content_bigrams(t)).tolist()) for i, t in texts.items()}
        filed: dict[int, set[int]] = {}
        for key, article in zip(*store.word_postings(sorted(set().union(*expected.values()))), strict=True):
            filed.setdefault(int(article), set()).add(int(key))
        assert filed == {i: keys for i, keys in expected.items() if keys}
        assert store.word_counts(list(texts)) == {i: len(keys) for i, keys in expected.items()}
        some = min(expected, key=lambda i: -len(expected[i]))
        key = min(expected[some])
        holders = {i for i, keys in expected.items() if key in keys}
        keys, articles = store.word_postings([key])
        assert (set(keys.tolist()), set(articles.tolist())) == ({key}, holders)
        with store.write():
            store.retire_words([key])
            store.add_index(some, [], [key])
        assert [len(a) for a in store.word_postings([key])] == [0, 0]


def test_a_store_of_schema_0008_gets_its_word_keys_and_its_links_evidence(tmp_path: Path) -> None:
    """0009 files the word keys of stored articles and finds the passages of stored links."""
    from provenance import ingest

    from .conftest import SAMPLES

    path = tmp_path / "old.db"
    with Store.open(path) as store:
        ingest(store, [str(SAMPLES)])
        with store.write():  # a store of 0008 held its keys in its key tables
            store.fold_keys()
    expected = state(path)
    db = sqlite_utils.Database(sqlite3.connect(path))
    db.execute("DROP TABLE postings")
    db.execute("DROP TABLE common_words")
    db["links"].transform(drop={"passages", "sentences", "passage_words", "in_order", "via"})
    db.execute("DROP INDEX idx_articles_word_keys")
    db.execute("ALTER TABLE articles DROP COLUMN word_keys")
    db.execute("CREATE VIRTUAL TABLE articles_fts_vocab USING fts5vocab(articles_fts, 'row')")
    db.execute(
        "DELETE FROM _sqlite_migrations WHERE name IN "
        "('0009_word_keys_and_passages', '0011_packed_postings', '0016_word_counts_index')"
    )
    db.conn.commit()
    db.conn.close()
    with Store.open(path):
        pass
    upgraded = state(path)
    for table in ("words", "links", "stories", "matches", "bands"):
        assert upgraded[table] == expected[table], table
    assert problems(path) == []
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT count(*) FROM links WHERE passages != '[]'").fetchone()[0] >= 3


def test_a_store_of_schema_0014_keeps_its_band_keys_without_checking_each_against_its_article(tmp_path: Path) -> None:
    """0015 rebuilds ``bands`` without its foreign key (a check a row filed, the larger part of a
    fold's band keys at a million articles) and merges the full-text index's segments less often."""
    from provenance import ingest

    from .conftest import SAMPLES

    path = tmp_path / "old.db"
    with Store.open(path) as store:
        ingest(store, [str(SAMPLES)])
        assert store.db["bands"].foreign_keys == []
    expected = state(path)
    conn = sqlite3.connect(path)
    conn.executescript(
        """CREATE TABLE bands_old (key INTEGER NOT NULL, article_id INTEGER NOT NULL REFERENCES articles(id),
                                   PRIMARY KEY (key, article_id)) WITHOUT ROWID;
           INSERT INTO bands_old SELECT key, article_id FROM bands;
           DROP TABLE bands; ALTER TABLE bands_old RENAME TO bands;
           DELETE FROM articles_fts_config WHERE k = 'automerge';
           DELETE FROM _sqlite_migrations WHERE name = '0015_lean_key_tables';"""
    )
    conn.close()
    with Store.open(path) as store:
        assert store.db["bands"].foreign_keys == []
        merge = store.db.execute("SELECT v FROM articles_fts_config WHERE k = 'automerge'").fetchone()
        assert merge == (16,)
        assert store.db.execute(
            "SELECT sql LIKE '%WITHOUT ROWID' FROM sqlite_master WHERE name = 'bands'"
        ).fetchone() == (1,)
        assert _search(store, "bloomberg")
    upgraded = state(path)
    for table in ("bands", "words", "links", "stories", "matches"):
        assert upgraded[table] == expected[table], table
    assert problems(path) == []


def test_a_store_of_schema_0015_gets_its_word_key_counts_indexed(tmp_path: Path) -> None:
    """0016 indexes each article's number of word keys, read by candidate search for every article
    sharing keys with a new one (from the row, it was read from the text's overflow pages)."""
    from provenance import ingest
    from provenance.migrations import WORD_COUNTS

    from .conftest import SAMPLES

    path = tmp_path / "old.db"
    with Store.open(path) as store:
        ingest(store, [str(SAMPLES)])
        ids = [i for (i,) in store.db.execute("SELECT id FROM articles")]
        counts = store.word_counts(ids)
    expected = state(path)
    conn = sqlite3.connect(path)
    conn.executescript(
        f"DROP INDEX {WORD_COUNTS}; DELETE FROM _sqlite_migrations WHERE name = '0016_word_counts_index';"
    )
    conn.close()
    with Store.open(path) as store:
        assert {index.name: index.columns for index in store.db["articles"].indexes}[WORD_COUNTS] == ["id", "word_keys"]
        assert store.word_counts(ids) == counts
        assert sum(counts.values()) > 0
    assert state(path) == expected
    assert problems(path) == []


def test_word_keys_outside_32_bits_are_refused_before_anything_is_filed(tmp_path: Path) -> None:
    # word keys are 32-bit hashes (candidates.word_keys), held so until they are folded
    with Store.open(tmp_path / "s.db") as store:
        with pytest.raises(ValueError, match=r"word keys are 32-bit unsigned: -1\.\.7"), store.write():
            store.add_index(1, [5], [7, -1])
        assert store.db.execute("SELECT count(*) FROM recent_keys").fetchone() == (0,)
        assert [len(found) for found in store.word_postings([7])] == [0, 0]


@given(
    st.lists(st.lists(st.tuples(st.integers(0, 30), st.integers(1, 99)), max_size=25), max_size=12),
    st.lists(st.integers(-3, 35), max_size=10),
)
@example([[(5, 1), (5, 2)], [(5, 3)], [(4, 4), (5, 5)], [(5, 6)]], [5])
def test_keys_held_in_two_runs_read_as_one_filed_in_order(
    filings: list[list[tuple[int, int]]], wanted: list[int]
) -> None:
    # the keys filed since the last fold, held as a large run and a small one: read whole or
    # looked up, they are those filed, sorted by key, a key's articles in the order they came
    from provenance.store import _look_up, _Recent

    held = _Recent(np.empty(0, np.uint32), np.empty(0, np.uint32))
    filed: list[tuple[int, int]] = []
    for filing in filings:
        filing = sorted(filing, key=lambda entry: entry[0])
        held.add(np.array([k for k, _ in filing], np.uint32), np.array([i for _, i in filing], np.uint32))
        filed += filing
        assert len(held.fresh_keys) * 8 <= len(held)  # the run each filing copies stays small
        expected = sorted(filed, key=lambda entry: entry[0])  # (a stable sort)
        keys, ids = held.all()
        assert list(zip(keys.tolist(), ids.tolist(), strict=True)) == expected
        found_keys, found_ids = held.look_up(wanted)
        found = list(zip(found_keys.tolist(), found_ids.tolist(), strict=True))
        assert found == [entry for entry in expected if entry[0] in wanted]
        assert [a.tolist() for a in _look_up(keys, ids, wanted)] == [found_keys.tolist(), found_ids.tolist()]
    assert len(held) == len(filed)


@given(
    st.lists(st.tuples(st.integers(0, 40), st.integers(1, 9)), max_size=60),
    st.lists(st.integers(-3, 45), max_size=8),
    st.integers(1, 7),
)
def test_a_folds_rows_are_each_keys_articles_whole_and_its_retired_keys_none_and_look_ups_find_their_keys(
    entries: list[tuple[int, int]], retired: list[int], at_a_time: int
) -> None:
    # made a slice at a time, a key's articles are never split between two rows
    from provenance.store import _look_up, _packed_rows

    entries.sort(key=lambda entry: entry[0])  # sorted by key, each key's articles as filed
    keys = np.array([k for k, _ in entries], np.uint32)
    ids = np.array([i for _, i in entries], np.uint32)
    found_keys, found_ids = _look_up(keys, ids, retired)  # a look-up of keys no 32-bit key can be finds none
    found = list(zip(found_keys.tolist(), found_ids.tolist(), strict=True))
    assert found == [e for e in entries if e[0] in retired]
    expected: dict[int, list[int]] = {}
    for key, article in entries:
        if key not in retired:
            expected.setdefault(key, []).append(article)
    rows = _packed_rows(keys, ids, at_a_time, unwanted=retired)
    made = [(key, np.frombuffer(packed, "<u4").tolist()) for key, packed in rows]
    assert made == list(expected.items())


def _search(store: Store, word: str) -> list[str]:
    sql = "SELECT a.key FROM articles_fts f JOIN articles a ON a.id = f.rowid WHERE articles_fts MATCH ? ORDER BY a.key"
    return [key for (key,) in store.db.execute(sql, [word])]


def test_articles_are_searchable_once_their_transaction_commits_and_never_twice(tmp_path: Path) -> None:
    from provenance.fingerprint import fingerprint
    from provenance.models import Article

    def new(key: str, text: str) -> Article:
        return Article(key=key, location=key, text=text, title=f"On {key}")

    with Store.open(tmp_path / "s.db") as store:
        first = new("a", "The harbour of Kestrel Bay reopened after the storm.")

        def stopped_halfway() -> None:
            with store.write():
                store.insert_article(first, fingerprint(first.text))
                raise RuntimeError("stopped")  # rolled back: nothing of it is stored, or indexed later

        with pytest.raises(RuntimeError, match="stopped"):
            stopped_halfway()
        with store.write():
            second = new("b", "The harbour of Kestrel Bay closed again on Friday.")
            article_id = store.insert_article(second, fingerprint(second.text))
            assert _search(store, "harbour") == []  # indexed as the transaction commits
        assert _search(store, "harbour") == ["b"]
        assert store.db.execute("SELECT count(*) FROM articles_fts").fetchone()[0] == 1
        store.set_raw_hash(article_id, 7)  # another column changed: the index is left alone
        store.db.execute("UPDATE articles SET text = 'A new text about the lighthouse.' WHERE id = ?", [article_id])
        assert _search(store, "harbour") == []
        assert _search(store, "lighthouse") == ["b"]
        store.db.execute("INSERT INTO articles_fts (articles_fts) VALUES ('integrity-check')")  # raises if not


class _Undone(Exception):
    """Raised in a transaction to roll it back."""


_STEPS = (
    "file",
    "unfile",
    "fold",
    "retire",
    "retire elsewhere",
    "retire undone",
    "fold elsewhere",
    "fold undone",
    "filters dropped",
    "compact",
    "compact elsewhere",
    "fold begun",
    "fold part",
    "fold part elsewhere",
    "fold part undone",
)


def _band(key: int) -> int:
    """A band key made of a small test key: band keys are signed 64-bit hashes."""
    return key * 2**59 - 2**62 + key


def _found(looking: Store) -> tuple[dict[int, set[int]], dict[int, set[int]]]:
    """What a look-up of the test keys finds: word keys' articles (each once), band keys' articles."""
    words: dict[int, list[int]] = {}
    for key, article in zip(*looking.word_postings(list(range(13))), strict=True):
        words.setdefault(int(key), []).append(int(article))
    if any(len(ids) != len(set(ids)) for ids in words.values()):
        raise AssertionError(f"an article twice under a key: {words}")
    bands = looking.band_lookup([_band(key) for key in range(13)])
    return {k: set(v) for k, v in words.items()}, {k: set(v) for k, v in bands.items()}


def test_a_fold_done_lets_its_keys_go(tmp_path: Path) -> None:
    # a fold's keys are millions of entries (70 MB at the size a fold is made): once they are in
    # the key tables, nothing the store holds keeps them, an empty view of them included
    with Store.open(tmp_path / "s.db") as store, store.write():
        for article in range(1, 40):
            store.add_index(article, [_band(article % 13)], [article % 13, 13 + article])
        store._begin_fold()
        held = {kind: weakref.ref(store._recent_all()[kind].old_keys) for kind in ("band", "word")}
        store._fold_part(20)
        store._fold_part(None)
        assert [ref() for ref in held.values()] == [None, None]


def test_a_row_filed_while_a_fold_is_under_way_is_read_whole_after_the_folds_last_row_was_emptied(
    tmp_path: Path,
) -> None:
    # the rows of recent_keys a fold takes are those up to its last row, whose number a row filed
    # later must not take again (SQLite numbers a row after the largest there is)
    with Store.open(tmp_path / "s.db") as store:
        with store.write():
            store.add_index(1, [_band(0)], [1, 9])
            store._begin_fold()
            store._fold_part(1)  # the band key folded, and word key 1; 9 not yet
            store._unfile_words(1, [1, 9])  # the fold's one row of word keys emptied
            store.add_index(2, [], [5])
        with Store.open(tmp_path / "s.db") as other:
            for looking in (store, other):
                assert [a.tolist() for a in looking.word_postings([1, 5, 9])] == [[5], [2]]


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(_STEPS),
            st.integers(1, 6),
            st.sets(st.integers(0, 12), max_size=6),
        ),
        max_size=16,
    )
)
@example(steps=[("file", 1, {0}), ("retire", 1, {0}), ("file", 2, {0})])  # held keys retired as they go
@example(steps=[("file", 1, {1}), ("retire elsewhere", 1, {0}), ("file", 2, {0})])  # read again after another wrote
@example(steps=[("retire undone", 1, {0}), ("file", 1, {0})])  # and forgotten with their transaction
@example(steps=[("file", 1, {1}), ("fold", 1, set()), ("file", 2, {2}), ("fold elsewhere", 1, set())])
@example(steps=[("file", 1, {1}), ("fold", 1, set()), ("file", 2, {2}), ("fold undone", 1, set())])
@example(steps=[("file", 1, {1}), ("fold", 1, set()), ("filters dropped", 1, set()), ("file", 2, {2}),
                ("fold", 1, set())])  # fmt: skip
@example(steps=[("file", 2, {3}), ("file", 1, {3, 4}), ("compact", 1, set()), ("unfile", 1, {3}),
                ("file", 3, {4}), ("compact elsewhere", 1, set()), ("retire", 1, {4})])  # fmt: skip
@example(steps=[("file", 1, {1, 2, 3, 4, 5}), ("file", 2, {1, 2, 3, 6}), ("fold begun", 1, set()),
                ("fold part", 1, set()), ("file", 3, {1, 2}), ("unfile", 2, {1, 2}), ("fold part elsewhere", 2, set()),
                ("file", 4, {2, 5}), ("fold part", 2, set()), ("compact", 1, set())])  # fmt: skip
@example(steps=[("file", 1, {1, 2, 3, 4}), ("file", 2, {2, 3}), ("fold begun", 1, set()), ("fold part", 2, set()),
                ("fold part undone", 1, set()), ("file", 3, {3, 4}), ("fold begun", 1, set()),
                ("fold part", 1, set()), ("fold", 1, set())])  # fmt: skip
def test_a_keys_postings_are_the_articles_filed_under_it(steps: list[tuple[str, int, set[int]]]) -> None:
    # filed a batch at a time, folded into one packed row a key now and then (by this connection
    # or another; in a transaction rolled back), taken out and retired (the same): a look-up after
    # each step, here and from another connection, finds what one row a filing would, with the
    # filters of the keys each table holds read and made again as they are written
    with (
        tempfile.TemporaryDirectory() as folder,
        Store.open(Path(folder) / "s.db") as store,
        Store.open(Path(folder) / "s.db") as elsewhere,
    ):
        model: dict[int, set[int]] = {}
        banded: dict[int, set[int]] = {}
        retired: set[int] = set()
        for action, article, keys in steps:
            if action == "retire elsewhere":
                if keys:
                    with elsewhere.write():
                        elsewhere.retire_words([min(keys)])
                    retired.add(min(keys))
                    model.pop(min(keys), None)
            elif action == "fold elsewhere":
                with elsewhere.write():
                    elsewhere.fold_keys()
            elif action == "compact elsewhere":  # as another ingest ends
                with elsewhere.write():
                    elsewhere.compact_keys()
            elif action == "fold part elsewhere":  # a fold under way, taken on by another writer
                with elsewhere.write():
                    elsewhere._fold_part(article)
            elif action in ("retire undone", "fold undone", "fold part undone"):
                with contextlib.suppress(_Undone), store.write():
                    if action == "fold undone":
                        store.fold_keys()
                    elif action == "fold part undone":
                        store._begin_fold()
                        store._fold_part(article)
                    else:
                        store.retire_words(sorted(keys))
                    raise _Undone
            else:
                with store.write():
                    if action == "file":  # an article is filed once: after it is inserted, or unfiled
                        keys = {k for k in keys if article not in model.get(k, set())}
                        store.add_index(article, [_band(k) for k in sorted(keys)], sorted(keys))
                        for key in keys - retired:
                            model.setdefault(key, set()).add(article)
                        for key in keys:
                            banded.setdefault(_band(key), set()).add(article)
                    elif action == "unfile":
                        store._unfile_words(article, sorted(keys))
                        for key in keys:
                            model.get(key, set()).discard(article)
                    elif action == "fold":
                        store.fold_keys()
                    elif action == "fold begun":  # the keys filed so far are folded a part at a time
                        store._begin_fold()
                    elif action == "fold part":  # of ``article`` entries of each kind or so
                        store._fold_part(article)
                    elif action == "compact":
                        store.compact_keys()
                        held = "SELECT kind, count(*) FROM recent_keys GROUP BY kind HAVING count(*) > 1"
                        assert not store.db.execute(held).fetchall()  # one row a kind, or none
                    elif action == "filters dropped":
                        store.forget_presence()
                    elif keys:
                        key = min(keys)
                        store.retire_words([key])
                        retired.add(key)
                        model.pop(key, None)
            assert _found(store) == ({key: ids for key, ids in model.items() if ids}, banded), action
            assert _found(elsewhere) == _found(store), action  # another process reads what is folded and not
        expected = {key: ids for key, ids in model.items() if ids}
        with Store.open(Path(folder) / "s.db") as other:
            assert _found(store) == _found(other) == (expected, banded)
        with store.write():
            store.fold_keys()
        assert store.db.execute("SELECT count(*) FROM recent_keys").fetchone()[0] == 0
        assert store.db.execute("SELECT count(*) FROM postings WHERE length(articles) = 0").fetchone()[0] == 0
        table: dict[int, set[int]] = {}  # folded: the key table alone holds them
        rows = store.db.execute("SELECT key, articles FROM postings").fetchall()
        for key, article in zip(*unpack_postings(rows), strict=True):
            table.setdefault(int(key), set()).add(int(article))
        assert table == expected
