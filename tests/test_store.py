from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from provenance import NewerStore, NotAStore, ParameterMismatch, Params, Store
from provenance.fingerprint import DEFAULT_PARAMS
from provenance.match import DEFAULT_POLICY, MatchPolicy


def test_a_new_store_holds_its_parameters_and_schema(tmp_path: Path) -> None:
    with Store.open(tmp_path / "s.db") as store:
        stored = {r["name"]: r["value"] for r in store.db["parameters"].rows}
        assert {k: v for k, v in stored.items() if not k.startswith("policy.")} == DEFAULT_PARAMS.as_dict()
        assert stored["policy.partially"] == "0.2"
        assert store.policy == DEFAULT_POLICY
        assert stored["scheme"] == "affine32"
        assert stored["hashfunc"] == "xxh32_intdigest"
        assert {"articles", "signatures", "bands", "matches", "stories", "links", "skipped"} <= set(
            store.db.table_names()
        )
        assert store.db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        fks = {(fk.column, fk.other_table) for fk in store.db["links"].foreign_keys}
        assert fks == {("story_id", "stories"), ("article_id", "articles")}


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
    Store.open(path, policy=MatchPolicy(partially=0.3)).close()
    with Store.open(path) as store:  # no thresholds asked: the store's own
        assert store.policy == MatchPolicy(partially=0.3)
    before = path.read_bytes()
    with pytest.raises(ParameterMismatch, match=r"was linked with other thresholds: partially=0\.3 \(asked 0\.2\)"):
        Store.open(path, policy=MatchPolicy())
    assert path.read_bytes() == before
