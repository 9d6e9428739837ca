"""The SQLite store: opening and checking it, and every read and write the pipeline makes.

Writes happen in :meth:`Store.write` blocks (``BEGIN IMMEDIATE`` ... ``COMMIT``): a batch of
articles, their band keys, verified pairs and the stories they touch land together or
not at all.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import secrets
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np
import sqlite_utils

from ._exceptions import NewerStore, NotAStore, OlderStore, ParameterMismatch, StoreError
from .attribute import ArticleFacts, Node, Origin, Pair, StoryPlan, node_of
from .candidates import COMMON, PACKED, rows, word_keys
from .fingerprint import (
    DEFAULT_PARAMS,
    Fingerprint,
    Params,
    band_keys,
    signature,
)
from .match import DEFAULT_POLICY, MatchPolicy, content_bigrams, places
from .migrations import WORD_COUNTS, migration_names, migrations
from .models import Article, Skipped
from .passages import Alignment, Taken
from .presence import Presence

_CHUNK = 500  # values bound in one IN (...) query
# the articles table's columns after its id, in the order of article_values (after the key)
STORED_COLUMNS = ("key", "location", "title", "publisher", "published", "url", "text", "tokens",
                  "shingles", "content_hash", "ingested_at", "authors", "credit", "slug",
                  "dateline", "copyright", "language", "canonical_url", "original_source",
                  "trailer", "role", "raw_hash", "word_keys", "file", "template")  # fmt: skip
_SQLITE_MAGIC = b"SQLite format 3\x00"


def _key_arrays(articles: Sequence[tuple[int, Iterable[int]]]) -> tuple[np.ndarray, np.ndarray]:
    """The keys (signed 64-bit) of articles and the article of each, sorted by key then article."""
    keys = [np.asarray(list(its) if not isinstance(its, np.ndarray) else its, dtype=np.int64) for _, its in articles]
    if not keys:
        return np.empty(0, np.int64), np.empty(0, np.int64)
    ids = np.repeat(np.array([article for article, _ in articles], dtype=np.int64), [len(k) for k in keys])
    flat = np.concatenate(keys)
    order = np.lexsort((ids, flat))
    return flat[order], ids[order]


def unpack_postings(rows: Sequence[tuple[int, bytes]]) -> tuple[np.ndarray, np.ndarray]:
    """Rows of the ``postings`` table (a key, its articles' ids packed as
    :data:`~provenance.candidates.PACKED`) as two arrays: each key and an article filed under it."""
    if not rows:
        return np.empty(0, np.int64), np.empty(0, np.int64)
    articles = np.frombuffer(b"".join(packed for _, packed in rows), PACKED).astype(np.int64)
    keys = np.repeat(np.fromiter((key for key, _ in rows), np.int64, len(rows)), [len(p) // 4 for _, p in rows])
    return keys, articles


FOLD = 1 << 23  # key entries filed since the last fold that make the writer fold them into the key tables
FOLD_STEPS = 16  # batches a fold is made in, a part of the keys' range each (see Store.add_indexes)
UNFOLDED = FOLD // 2  # key entries an ingest may leave unfolded at its end (see Store.compact_keys)
_FOLD_ROWS = 50_000  # rows a fold hands SQLite at a time
_KEY = "<i8"  # how the keys of a filing are packed in ``recent_keys``
_PRESENCE_PART = 1 << 20  # bytes of a filter a row of ``key_presence`` holds
_KEY_TABLES = ("bands", "postings")
_KINDS = ("band", "word")  # the kinds of key (folded into bands and postings)
_NONE = (np.empty(0, np.int64), np.empty(0, np.int64))
# how the keys filed since the last fold are held in memory, by kind (word keys are 32-bit: see
# candidates.word_keys), each with its article as PACKED: 12 and 8 bytes an entry
_HELD: dict[str, np.dtype[Any]] = {"band": np.dtype(np.int64), "word": np.dtype(np.uint32)}


def _packed_rows(
    keys: np.ndarray, ids: np.ndarray, entries: int = _FOLD_ROWS, unwanted: Sequence[int] | np.ndarray = ()
) -> Iterator[tuple[int, bytes]]:
    """``(key, its articles packed)`` for each key of ``keys`` (sorted; ``ids``: the article of
    each) but the keys of ``unwanted``, made about ``entries`` entries at a time: a fold's millions
    of keys never stand in memory as Python rows, nor as more arrays than their own, at once (the
    unwanted keys are left out a slice at a time too: a copy of all the others took 8 bytes an
    entry held)."""
    dropped = _as_keys(keys, unwanted)
    at = 0
    while at < len(keys):
        end = min(at + entries, len(keys))
        if end < len(keys):  # a key's articles go in one row
            end = at + int(np.searchsorted(keys[at:], keys[end - 1], "right"))
        part, part_ids = _without(keys[at:end], ids[at:end], dropped)
        at = end
        if not len(part):
            continue
        starts = np.flatnonzero(np.append(True, part[1:] != part[:-1]))
        packed = part_ids.astype(PACKED).tobytes()
        bounds = zip(part[starts].tolist(), starts.tolist(), [*starts[1:].tolist(), len(part)], strict=True)
        yield from ((key, packed[start * 4 : stop * 4]) for key, start, stop in bounds)


def _as_keys(keys: np.ndarray, values: Sequence[int] | np.ndarray) -> np.ndarray:
    """``values`` (sorted, each once) in the type of ``keys``, those it cannot hold left out: a
    search of ``keys`` for values of another type would copy all of them into a common type."""
    found = np.unique(np.asarray(values, np.int64))
    if keys.dtype != found.dtype:
        bounds = np.iinfo(keys.dtype)
        found = found[(found >= bounds.min) & (found <= bounds.max)].astype(keys.dtype)
    return found


def _without(keys: np.ndarray, ids: np.ndarray, dropped: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The entries of sorted ``keys`` (and their ``ids``) whose key is not one of ``dropped`` (sorted,
    of the keys' type: :func:`_as_keys`): a search for each dropped key, where a set test of
    millions of keys sorted a copy of them."""
    if not len(keys) or not len(dropped):
        return keys, ids
    starts, ends = np.searchsorted(keys, dropped, "left"), np.searchsorted(keys, dropped, "right")
    found = ends > starts
    if not found.any():
        return keys, ids
    edges = np.zeros(len(keys) + 1, np.int32)
    np.add.at(edges, starts[found], 1)
    np.add.at(edges, ends[found], -1)
    keep = np.cumsum(edges[:-1], dtype=np.int32) == 0
    return keys[keep], ids[keep]


def recent_rows(conn: sqlite3.Connection, kind: str) -> tuple[np.ndarray, np.ndarray]:
    """The keys of ``kind`` (``band`` or ``word``) filed and not folded yet, and the article of
    each, as two arrays sorted by key then article (see :meth:`Store.fold_keys`)."""
    old, filed, folding = _recent_packed(conn, kind)
    keys, ids = _Recent(*filed, old, folding).all()
    return keys.astype(np.int64), ids.astype(np.int64)


_Run = tuple[np.ndarray, np.ndarray]  # keys sorted, then articles; and the article of each


def _recent_packed(conn: sqlite3.Connection, kind: str) -> tuple[_Run, _Run, tuple[int, int] | None]:
    """The keys of ``kind`` filed and not folded yet, as they are packed (keys :data:`_KEY`,
    articles :data:`PACKED`): those of a fold under way (the rows it takes, but their keys below
    the one it has reached), those filed since, and the fold's ``(last_row, below)`` (see
    ``folding``; None where none is under way). Read in one statement (one state of the store),
    read only: the one row an ingest leaves (:meth:`Store.compact_keys`) is taken as it is, not
    copied nor sorted (a trace of one article read 26 MB of rows at 20,000 articles)."""
    rows = conn.execute(
        """SELECT r.id, r.keys, r.articles, f.last_row, f.below FROM recent_keys AS r
           LEFT JOIN folding AS f ON f.kind = r.kind WHERE r.kind = ? ORDER BY r.id""",
        [kind],
    ).fetchall()
    folding = (rows[0][3], rows[0][4]) if rows and rows[0][3] is not None else None
    last = folding[0] if folding else -1
    taken = [row for row in rows if row[0] <= last]
    if folding:
        below = np.int64(folding[1])
        taken = [(row_id, keys, ids) for row_id, keys, ids, *_ in taken]
        cut = [int(np.searchsorted(np.frombuffer(keys, _KEY), below)) for _, keys, _ in taken]
        key_size, id_size = np.dtype(_KEY).itemsize, np.dtype(PACKED).itemsize
        taken = [(i, k[at * key_size :], a[at * id_size :]) for (i, k, a), at in zip(taken, cut, strict=True)]
    return _joined(taken), _joined([row for row in rows if row[0] > last]), folding


def _joined(rows: Sequence[tuple[Any, ...]]) -> _Run:
    """The entries of rows ``(id, keys, articles, ...)`` of ``recent_keys`` as one run."""
    if not rows:
        return _NONE
    keys = np.frombuffer(rows[0][1] if len(rows) == 1 else b"".join(row[1] for row in rows), _KEY)
    ids = np.frombuffer(rows[0][2] if len(rows) == 1 else b"".join(row[2] for row in rows), PACKED)
    if _in_order(keys, ids):
        return keys, ids
    order = np.lexsort((ids, keys))
    return keys[order], ids[order]


def _in_order(keys: np.ndarray, ids: np.ndarray) -> bool:
    """Whether the entries are sorted by key, then article."""
    later, same = keys[1:] > keys[:-1], keys[1:] == keys[:-1]
    return bool(np.all(later | (same & (ids[1:] >= ids[:-1]))))


def _look_up(keys: np.ndarray, ids: np.ndarray, wanted: Sequence[int]) -> tuple[np.ndarray, np.ndarray]:
    """The entries of sorted ``keys`` (and their ``ids``) whose key is one of ``wanted``."""
    if not len(keys) or not len(wanted):
        return _NONE
    asked = _as_keys(keys, wanted)
    starts, ends = np.searchsorted(keys, asked, "left"), np.searchsorted(keys, asked, "right")
    lengths = ends - starts
    at = np.repeat(starts - (np.cumsum(lengths) - lengths), lengths) + np.arange(lengths.sum())
    return keys[at], ids[at]


class _Recent:
    """The keys of one kind filed and not folded yet, and the article of each, sorted by key (a
    key's articles in the order they were filed), held as runs: those of the fold under way that
    it has not reached (``old``), the earlier filings since, and the last few (at most an eighth of
    all entries), into which each filing is merged. A filing then copies the small run, not all of
    them (a one-off timing: a filing's 65,000 word keys merged into 6 million took 50 ms).
    Look-ups search every run."""

    __slots__ = ("folding", "fresh_ids", "fresh_keys", "ids", "keys", "old_ids", "old_keys")

    def __init__(
        self, keys: np.ndarray, ids: np.ndarray, old: _Run | None = None, folding: tuple[int, int] | None = None
    ) -> None:
        self.keys, self.ids = keys, ids
        self.fresh_keys, self.fresh_ids = keys[:0], ids[:0]
        self.old_keys, self.old_ids = old if old is not None else (keys[:0], ids[:0])
        self.folding = folding  # the fold under way: (the last row of recent_keys it takes, the key it has reached)

    def __len__(self) -> int:
        return len(self.old_keys) + len(self.keys) + len(self.fresh_keys)

    def add(self, keys: np.ndarray, ids: np.ndarray) -> None:
        """File entries (sorted by key) after those filed before."""
        self.fresh_keys, self.fresh_ids = _merged(self.fresh_keys, self.fresh_ids, keys, ids)
        if len(self.fresh_keys) * 8 > len(self):
            self.keys, self.ids = self.filed()
            self.fresh_keys, self.fresh_ids = self.keys[:0], self.ids[:0]

    def filed(self) -> _Run:
        """The entries filed since the fold under way began (all of them where none is), as one run."""
        return _merged(self.keys, self.ids, self.fresh_keys, self.fresh_ids)

    def all(self) -> _Run:
        """Every entry as one run."""
        return _merged(self.old_keys, self.old_ids, *self.filed())

    def look_up(self, wanted: Sequence[int]) -> _Run:
        """The entries whose key is one of ``wanted``, sorted by key (see :func:`_look_up`)."""
        found = _look_up(self.keys, self.ids, wanted)
        if len(self.fresh_keys):
            found = _merged(*found, *_look_up(self.fresh_keys, self.fresh_ids, wanted))
        if len(self.old_keys):
            found = _merged(*_look_up(self.old_keys, self.old_ids, wanted), *found)
        return found

    def begin_fold(self, last_row: int) -> None:
        """The entries filed so far (up to row ``last_row`` of recent_keys) are the next fold's."""
        self.old_keys, self.old_ids = self.filed()
        self.keys, self.ids = _emptied(self.old_keys), _emptied(self.old_ids)
        self.fresh_keys, self.fresh_ids = self.keys, self.ids
        self.folding = (last_row, _LOWEST)

    def fold_part(self, entries: int) -> tuple[_Run, int | None]:
        """The next ``entries`` or so of the fold under way (a key's entries are not parted), taken
        out, and the key the fold has reached after them (None: it is done)."""
        keys, ids = self.old_keys, self.old_ids
        end = len(keys)
        if entries < end:
            end = int(np.searchsorted(keys, keys[max(entries, 1) - 1], "right"))
        if end == len(keys):
            self.old_keys, self.old_ids = _emptied(keys), _emptied(ids)  # the fold's arrays let go
            self.folding = None
            return (keys, ids), None
        self.old_keys, self.old_ids = keys[end:], ids[end:]
        below = int(keys[end])
        self.folding = (self.folding[0] if self.folding else _LOWEST, below)
        return (keys[:end], ids[:end]), below

    def without(self, drop: Callable[[np.ndarray, np.ndarray], np.ndarray]) -> None:
        """Take out the entries ``drop(keys, ids)`` marks, in each run."""
        old = ~drop(self.old_keys, self.old_ids)
        filed_keys, filed_ids = self.filed()
        kept = ~drop(filed_keys, filed_ids)
        self.old_keys, self.old_ids = self.old_keys[old], self.old_ids[old]
        self.keys, self.ids = filed_keys[kept], filed_ids[kept]
        self.fresh_keys, self.fresh_ids = self.keys[:0], self.ids[:0]


_LOWEST = -(1 << 63)  # the key a fold begins at (below every key)


def _emptied(run: np.ndarray) -> np.ndarray:
    """An empty array of ``run``'s type that is no view of it (an empty view of a fold's arrays
    would hold them, 70 MB, until the next fold)."""
    return np.empty(0, run.dtype)


def _merged(keys: np.ndarray, ids: np.ndarray, more: np.ndarray, more_ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Two runs sorted by key as one, ``more``'s entries after those of ``keys`` with the same key."""
    if not len(more):
        return keys, ids
    if not len(keys):
        return more, more_ids
    at = np.searchsorted(keys, more, "right")
    return np.insert(keys, at, more), np.insert(ids, at, more_ids)


def _held(kind: str, keys: np.ndarray, ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Keys of ``kind`` and their articles as they are held in memory (:data:`_HELD`)."""
    held = _HELD[kind]
    if held.kind == "u" and len(keys) and (keys.min() < 0 or keys.max() > np.iinfo(held).max):
        raise ValueError(f"{kind} keys are {held.itemsize * 8}-bit unsigned: {keys.min()}..{keys.max()} given")
    return keys.astype(held, copy=False), ids.astype(PACKED, copy=False)  # (none is changed in place)


_AUTOCHECKPOINT = 1000  # pages of log after which a commit checkpoints it (SQLite's default)
_LOG_PAGES = 16_384  # pages of log (64 MB) after which a commit waits for it to be checkpointed whole


class Checkpoints:
    """A thread that checkpoints a store's write-ahead log (PASSIVE: it never waits for a lock,
    nor makes a writer or a reader wait) after each commit it is told of, on a connection of its
    own.

    A commit that fills the log past :data:`_AUTOCHECKPOINT` pages checkpoints it itself: every
    batch of an ingest did, copying its pages into the database file and syncing it while the
    writer, the one serial stage, waited (42 ms a batch at 20,000 generated articles). SQLite
    does that work without Python's lock, so here it runs beside the writer's next batch.

    The log is written from its start again only where it is wholly checkpointed when a write
    begins, which checkpoints beside a busy writer may never be (in a loop of quick commits it
    grew by each one). So a commit after which the log holds
    :data:`_LOG_PAGES` pages or more waits for the thread to catch up with it (it and the next,
    every few dozen batches of an ingest)."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.asked = 0  # commits told of
        self.done = 0  # of those, the commits whose log has been checkpointed since
        self.log = 0  # pages the log held at the last checkpoint
        self.moved = 0  # of those, the pages in the database file after it
        self.failed: sqlite3.Error | None = None  # what stopped the thread, if anything did
        self._stopping = False
        self._changed = threading.Condition()
        self._thread = threading.Thread(target=self._run, name="checkpoints", daemon=True)
        self._thread.start()

    def committed(self) -> bool:
        """Say that a commit was made, and wait for its checkpoint where the log has grown to
        :data:`_LOG_PAGES` pages (the next write then begins it again); False where the thread
        has stopped on an error."""
        with self._changed:
            if self.failed is not None:
                return False
            self.asked += 1
            self._changed.notify_all()
            if self.log >= _LOG_PAGES:  # (as the last checkpoint found it: the next commit waits too)
                self._settled()
            return self.failed is None

    def settle(self) -> None:
        """Wait until the log of every commit told of so far has been checkpointed (or the thread
        has stopped)."""
        with self._changed:
            self._settled()

    def _settled(self) -> None:
        asked = self.asked
        self._changed.wait_for(lambda: self.done >= asked or self.failed is not None or self._stopping)

    def stop(self) -> None:
        """Stop the thread (a checkpoint under way is finished first)."""
        with self._changed:
            self._stopping = True
            self._changed.notify_all()
        self._thread.join()

    def _run(self) -> None:
        try:
            conn = sqlite3.connect(self.path, isolation_level=None, timeout=60.0)
        except sqlite3.Error as err:
            self._fail(err)
            return
        try:
            while True:
                with self._changed:
                    self._changed.wait_for(lambda: self.asked > self.done or self._stopping)
                    if self._stopping:
                        return
                    asked = self.asked
                ((_, log, moved),) = conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
                with self._changed:
                    self.log, self.moved = max(log, 0), max(moved, 0)
                    self.done = asked
                    self._changed.notify_all()
        except sqlite3.Error as err:
            self._fail(err)
        finally:
            conn.close()

    def _fail(self, err: sqlite3.Error) -> None:
        with self._changed:
            self.failed = err
            self._changed.notify_all()


@dataclass(frozen=True)
class StoredArticle:
    id: int
    key: str
    content_hash: str
    raw_hash: int | None = None


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def article_values(article: Article, fp: Fingerprint, raw_hash: int | None, words: int) -> list[object]:
    """The values of :data:`STORED_COLUMNS` after ``key``, for an article, its fingerprint, the
    hash of its input as read (:func:`provenance.sources.raw_digest`) and its number of word keys."""
    return [article.location, article.title, article.publisher, article.published, article.url,
            article.text, fp.tokens, len(fp.shingles), fp.content_hash, _now(),
            json.dumps(list(article.authors), ensure_ascii=False) if article.authors else None,
            article.credit, article.slug, article.dateline, article.copyright, article.language,
            article.canonical_url, article.original_source, article.trailer, article.role,
            raw_hash, words, article.file, article.template]  # fmt: skip


def policy_dict(policy: MatchPolicy) -> dict[str, str]:
    """Thresholds as the parameters table holds them (``policy.wholly`` -> ``"0.6"``)."""
    return {f"policy.{name}": str(value) for name, value in asdict(policy).items()}


def _recorded_policy(db: sqlite_utils.Database) -> MatchPolicy | None:
    values = {
        r["name"].removeprefix("policy."): r["value"] for r in db["parameters"].rows if r["name"].startswith("policy.")
    }
    return MatchPolicy.from_dict(values) if values else None


def _chunks(values: Sequence[Any], size: int = _CHUNK) -> Iterator[Sequence[Any]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


class Store:
    """A provenance store in one SQLite file. Open it with :meth:`Store.open`."""

    def __init__(
        self, db: sqlite_utils.Database, params: Params, path: str, policy: MatchPolicy = DEFAULT_POLICY
    ) -> None:
        self.db = db
        self._data_version = self._current_version()
        self.generation = 0  # counts the times another process was found to have written the store
        self._unindexed: list[int] = []  # articles inserted in this transaction, not yet in the full-text index
        # the keys filed since the last fold, by kind (read from recent_keys when the store changes)
        self._recent: dict[str, _Recent] | None = None
        self._recent_version = -1
        self._common: np.ndarray | None = None  # the retired word keys (see _retired)
        self._common_version = -1
        # each key table's filter of the keys it holds, with its stamp, as last read (_presence_of)
        self._presence: dict[str, tuple[Presence, int]] = {}
        self.params = params
        self.path = path
        self.policy = policy
        self.upgraded_from: str | None = None  # the schema the store had before this open upgraded it
        self._checkpoints: Checkpoints | None = None  # the thread that checkpoints the log (checkpoints_behind)

    # -- opening -------------------------------------------------------------------------------

    @classmethod
    def open(
        cls,
        path: str | Path,
        params: Params | None = None,
        *,
        policy: MatchPolicy | None = None,
        create: bool = True,
        upgrade: bool = True,
    ) -> Store:
        """Open (or create) the store at ``path``.

        Refuses, before writing anything, a file that is not a provenance store, a store written
        by a newer provenance, a store fingerprinted with other parameters than ``params``, and a
        store linked with other thresholds than ``policy`` (None: the store's own, or the defaults
        for a new store). A store written by an older provenance is upgraded where ``upgrade``
        (its old schema is then :attr:`upgraded_from`), else refused with :class:`OlderStore`:
        an older provenance cannot read it once upgraded, so only a writer upgrades it.
        """
        params = params or DEFAULT_PARAMS
        where = str(path)
        file = Path(path)
        if file.exists():
            if file.is_dir():
                raise NotAStore(f"{where} is a directory, not a provenance store")
            with file.open("rb") as handle:
                head = handle.read(len(_SQLITE_MAGIC))
            if head and head != _SQLITE_MAGIC:
                raise NotAStore(f"{where} is not a SQLite database, so not a provenance store")
        elif not create:
            raise NotAStore(f"no provenance store at {where}: run 'provenance ingest' first")
        try:
            conn = sqlite3.connect(where, isolation_level=None, timeout=60.0)
        except sqlite3.Error as err:
            raise StoreError(f"cannot open a store at {where}: {err}") from err
        try:
            db = sqlite_utils.Database(conn)
            cls._check(db, where, params)
            cls._check_policy(db, where, policy)
            before = _schema(db)
            if not upgrade and before is None:
                raise NotAStore(f"{where} is an empty file, not a provenance store: run 'provenance ingest' first")
            if not upgrade and list(migrations.pending(db)):
                raise OlderStore(
                    f"{where} was written by an older provenance (schema {before}): run 'provenance upgrade "
                    f"--db {where}' to upgrade it (an older provenance cannot open it afterwards)",
                    before or "",
                )
            _write_ahead_log(conn)
            conn.execute("PRAGMA synchronous = NORMAL")
            conn.execute("PRAGMA foreign_keys = ON")
            conn.execute("PRAGMA cache_size = -65536")
            chosen = _recorded_policy(db) if "parameters" in db.table_names() else None
            upgraded = None
            if chosen is None or list(migrations.pending(db)):
                with _immediate(conn):  # two processes creating or upgrading one store take turns
                    cls._check(db, where, params)  # as it is now the store is locked
                    before = _schema(db)
                    pending = bool(list(migrations.pending(db)))
                    chosen = cls._set_up(db, params, policy)
                    upgraded = before if before is not None and pending else None
        except BaseException:
            conn.close()
            raise
        store = cls(db, params, where, chosen)
        store.upgraded_from = upgraded
        return store

    @property
    def schema(self) -> str | None:
        """The store's last migration ("0013_files_and_templates")."""
        return _schema(self.db)

    @staticmethod
    def _set_up(db: sqlite_utils.Database, params: Params, policy: MatchPolicy | None) -> MatchPolicy:
        """Create or upgrade the store's tables and record its parameters; the thresholds it links with."""
        migrations.apply(db)
        if not db["parameters"].count:
            db.table("parameters").insert_all([{"name": k, "value": v} for k, v in params.as_dict().items()])
        recorded = _recorded_policy(db)
        if recorded is not None:
            return recorded
        chosen = policy or DEFAULT_POLICY
        db.table("parameters").insert_all([{"name": k, "value": v} for k, v in policy_dict(chosen).items()])
        return chosen

    @staticmethod
    def _check_policy(db: sqlite_utils.Database, where: str, policy: MatchPolicy | None) -> None:
        if policy is None or "parameters" not in db.table_names():
            return
        recorded = _recorded_policy(db)
        if recorded is not None and recorded != policy:
            mine, theirs = policy_dict(policy), policy_dict(recorded)
            differ = [f"{k.removeprefix('policy.')}={theirs[k]} (asked {v})" for k, v in mine.items() if theirs[k] != v]
            raise ParameterMismatch(
                f"{where} was linked with other thresholds: {', '.join(differ)}; links decided with "
                "other thresholds would not agree with its own: use the same thresholds, or another store"
            )

    @staticmethod
    def _check(db: sqlite_utils.Database, where: str, params: Params) -> None:
        try:
            tables = set(db.table_names())
        except sqlite3.OperationalError as err:  # the file is a database, but cannot be opened as asked
            raise StoreError(
                f"cannot open {where} ({err}): SQLite makes its -wal and -shm files beside the store"
            ) from err
        except sqlite3.DatabaseError as err:
            raise NotAStore(f"{where} cannot be read as a SQLite database: {err}") from err
        if not tables:
            return
        applied = {m.name for m in migrations.applied(db)}
        if not applied:
            raise NotAStore(f"{where} is a SQLite database but not a provenance store")
        known = migration_names()
        unknown = sorted(applied - known)
        if unknown:
            raise NewerStore(f"{where} was written by a newer provenance (schema {unknown[-1]}): upgrade provenance")
        if "parameters" in tables:
            stored = {row["name"]: row["value"] for row in db["parameters"].rows}
            wanted = params.as_dict()
            differ = [f"{k}={stored.get(k)} (asked {v})" for k, v in wanted.items() if stored.get(k) != v]
            if stored and differ:
                raise ParameterMismatch(
                    f"{where} was fingerprinted with other parameters: {', '.join(differ)}; "
                    "its signatures cannot be compared with new ones: use another store"
                )

    def close(self) -> None:
        self.db.conn.close()

    def forget_cached(self) -> None:
        """Say that rows were written into the store by other means than this class's methods
        (what callers keep of its texts is stale)."""
        self.generation += 1

    def checkpoint(self) -> bool:
        """Move the write-ahead log into the database file and empty it, so that the file alone holds
        the whole store (what a reader that opens it immutably sees). False where another
        connection kept the checkpoint from completing."""
        busy, _, _ = self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        return bool(busy == 0)

    @contextmanager
    def checkpoints_behind(self) -> Iterator[Checkpoints]:
        """Inside, the write-ahead log is moved into the database file by a thread of its own
        after each commit (see :class:`Checkpoints`), rather than by the commit that fills it."""
        (before,) = self.db.execute("PRAGMA wal_autocheckpoint").fetchone()
        checkpoints = Checkpoints(self.path)
        self.db.execute("PRAGMA wal_autocheckpoint = 0")
        self._checkpoints = checkpoints
        try:
            yield checkpoints
        finally:
            self._checkpoints = None
            checkpoints.stop()
            self.db.execute(f"PRAGMA wal_autocheckpoint = {int(before)}")

    def _committed(self) -> None:
        """Tell the thread that checkpoints the log of a commit (where there is one); where it has
        failed, the commits checkpoint the log themselves again."""
        checkpoints = self._checkpoints
        if checkpoints is not None and not checkpoints.committed():
            self._checkpoints = None
            self.db.execute(f"PRAGMA wal_autocheckpoint = {_AUTOCHECKPOINT}")

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def write(self) -> Iterator[None]:
        """One transaction, taken with BEGIN IMMEDIATE so that writers queue rather than fail."""
        with _immediate(self.db.conn):
            version = self._current_version()  # no other process can commit while we hold the lock
            if version != self._data_version:  # another process wrote since our last transaction
                self.generation += 1  # and may have changed any text: what is kept of them is stale
                self._data_version = version
            try:
                yield
            except BaseException:
                self._unindexed.clear()  # rolled back: they were never stored
                self._recent = None  # nor were the keys filed in it
                self._common = None  # nor the word keys retired in it
                raise
            self.index_new_texts()
        self._committed()

    @contextmanager
    def snapshot(self) -> Iterator[None]:
        """Read in one transaction: what an ingest commits meanwhile is seen wholly or not at all."""
        conn = self.db.conn
        if conn.in_transaction:
            yield
            return
        conn.execute("BEGIN")
        try:
            yield
        finally:
            conn.execute("ROLLBACK")  # nothing was written: only the read lock is let go

    def shrink_memory(self) -> None:
        """Free the pages SQLite keeps of the store (they are read again as needed): called before
        workers are forked, which would otherwise keep a copy of them for as long as they run."""
        self.db.execute("PRAGMA shrink_memory")

    def _current_version(self) -> int:
        """SQLite's count of the commits other connections made to the store (``PRAGMA data_version``)."""
        return int(self.db.execute("PRAGMA data_version").fetchone()[0])

    # -- articles ------------------------------------------------------------------------------

    def _select_in(self, sql: str, values: Iterable[Any]) -> Iterator[tuple[Any, ...]]:
        """Rows of ``sql`` for each chunk of ``values`` bound where ``{marks}`` stands (as often as it does)."""
        unique = list(dict.fromkeys(values))
        times = sql.count("{marks}")
        for chunk in _chunks(unique):
            marks = ",".join("?" * len(chunk))
            yield from self.db.execute(sql.format(marks=marks), list(chunk) * times)

    def find_keys(self, keys: Sequence[str]) -> dict[str, StoredArticle]:
        rows = self._select_in("SELECT id, key, content_hash, raw_hash FROM articles WHERE key IN ({marks})", keys)
        return {row[1]: StoredArticle(*row) for row in rows}

    def raw_hashes(self, keys: Sequence[str]) -> dict[str, int]:
        """Key -> the hash of the input its stored article was read from (where it is known)."""
        sql = "SELECT key, raw_hash FROM articles WHERE raw_hash IS NOT NULL AND key IN ({marks})"
        return dict(self._select_in(sql, keys))

    def set_raw_hash(self, article_id: int, raw_hash: int, file: str | None = None) -> None:
        """Record the hash of the input an article was read from again (and the file it is, where
        it is one)."""
        self.db.execute(
            "UPDATE articles SET raw_hash = ?, file = coalesce(?, file) WHERE id = ?", [raw_hash, file, article_id]
        )

    def keys_of_files(self, files: Sequence[str]) -> dict[str, str]:
        """Resolved file path -> the key of the article read from it."""
        return dict(self._select_in("SELECT file, key FROM articles WHERE file IN ({marks})", files))

    def moved_file(self, content_hash: str, file: str) -> StoredArticle | None:
        """The article of a file that is no longer where it was read, whose text is ``content_hash``:
        the file now at ``file`` is that file, moved or renamed (the first such, by id)."""
        rows = self.db.execute(
            "SELECT id, key, content_hash, raw_hash, file FROM articles"
            " WHERE content_hash = ? AND file IS NOT NULL AND file != ? ORDER BY id",
            [content_hash, file],
        ).fetchall()
        for *stored, old in rows:
            if not os.path.lexists(old):
                return StoredArticle(*stored)
        return None

    def move(self, article_id: int, key: str, location: str, file: str, raw_hash: int | None) -> None:
        """Give a stored article the key, location and file of where its file is now."""
        self.db.execute(
            "UPDATE articles SET key = ?, location = ?, file = ?, raw_hash = ? WHERE id = ?",
            [key, location, file, raw_hash, article_id],
        )

    def _add_publisher(self, article: Article) -> None:
        if article.publisher:
            self.db.execute("INSERT OR IGNORE INTO publishers (name) VALUES (?)", [article.publisher])

    def insert_article(self, article: Article, fp: Fingerprint, raw_hash: int | None = None, words: int = 0) -> int:
        """Store a new article, inside :meth:`write` (its text is indexed for search as the transaction
        commits); ``words``: the number of its word keys (they are filed by :meth:`add_index`)."""
        self._add_publisher(article)
        cursor = self.db.execute(
            f"INSERT INTO articles ({', '.join(STORED_COLUMNS)}) VALUES ({', '.join('?' * len(STORED_COLUMNS))})",
            [article.key, *article_values(article, fp, raw_hash, words)],
        )
        if cursor.lastrowid is None:  # pragma: no cover - sqlite3 always sets it for INSERT
            raise RuntimeError("SQLite returned no row id for an inserted article")
        self._unindexed.append(cursor.lastrowid)
        return cursor.lastrowid

    def index_new_texts(self) -> None:
        """Put the articles inserted in this transaction into the full-text index, in one statement
        a chunk (an index kept by a trigger took a statement an article; readers see only committed
        transactions, so the index is as current for them). Done as the transaction ends; a writer
        with time to spare before then may do it earlier (ingest, while the workers align)."""
        pending, self._unindexed = self._unindexed, []
        for chunk in _chunks(pending):
            self.db.execute(
                "INSERT INTO articles_fts (rowid, title, text) SELECT id, title, text FROM articles"
                f" WHERE id IN ({','.join('?' * len(chunk))})",
                list(chunk),
            )

    def replace_article(
        self, article_id: int, article: Article, fp: Fingerprint, raw_hash: int | None = None, words: int = 0
    ) -> set[int]:
        """Give an article new text; forget its index entries and pairs. Returns its old neighbours."""
        neighbours = self.neighbours([article_id])
        self.db.execute("DELETE FROM links WHERE article_id = ?", [article_id])
        self.db.execute(
            "DELETE FROM links WHERE story_id IN (SELECT id FROM stories WHERE canonical_id = ?)",
            [article_id],
        )
        self.db.execute("DELETE FROM stories WHERE canonical_id = ?", [article_id])
        self.db.execute("DELETE FROM matches WHERE a_id = ? OR b_id = ?", [article_id, article_id])
        old_text = self.db.execute("SELECT text FROM articles WHERE id = ?", [article_id]).fetchone()[0]
        self.db.conn.executemany(
            "DELETE FROM bands WHERE key = ? AND article_id = ?",
            rows(article_id, band_keys(signature(old_text, self.params), self.params)),
        )
        self._unfile_recent("band", article_id)
        self._unfile_words(article_id, word_keys(content_bigrams(old_text)).tolist())
        self._add_publisher(article)
        assignments = ", ".join(f"{column} = ?" for column in STORED_COLUMNS[1:])
        self.db.execute(
            f"UPDATE articles SET {assignments} WHERE id = ?",
            [*article_values(article, fp, raw_hash, words), article_id],
        )
        return neighbours

    def add_index(self, article_id: int, bands: Iterable[int], words: Iterable[int] = ()) -> None:
        """File an article under its LSH band keys and its word keys (see :mod:`provenance.candidates`;
        a retired word key files nothing)."""
        self.add_indexes([(article_id, bands, words)])

    def add_indexes(self, articles: Iterable[tuple[int, Iterable[int], Iterable[int]]]) -> None:
        """File articles (id, band keys, word keys) under their keys, as :meth:`add_index` files one
        (an article is filed once, after it is inserted or given a new text).

        A batch's keys fall all over the key tables, whose every page a batch would then rewrite
        (at 100,000 articles, 270 MB written a batch); so they are filed as one row a batch in
        ``recent_keys``, which look-ups read too, and folded into the key tables in key order once
        :data:`FOLD` entries are there: a part of the keys' range with each of the next
        :data:`FOLD_STEPS` batches (:meth:`_fold_part`), each page of the tables written once for
        all of them, while the workers go on preparing the documents ahead (a fold made at once
        left them idle: 12 s at a million articles); and at the end of an ingest (:meth:`compact_keys`)."""
        filed = list(articles)
        self._file_recent("band", *_key_arrays([(i, b) for i, b, _ in filed]))
        keys, ids = _key_arrays([(i, w) for i, _, w in filed])
        keys, ids = _without(keys, ids, self._retired())  # a retired key files nothing
        self._file_recent("word", keys, ids)
        recent = self._recent_all()
        waiting = sum(len(held.keys) + len(held.fresh_keys) for held in recent.values())
        if waiting >= FOLD:  # (a fold still under way is finished first)
            self._begin_fold()
        if self._under_way():
            self._fold_part(FOLD // FOLD_STEPS)

    def _retired(self) -> np.ndarray:
        """The retired word keys, sorted (held in memory: every batch's keys are checked against
        them, a search of the table each took 3% of the writer's time at 300,000 articles), read
        again when another process wrote."""
        version = self._current_version()
        if self._common is None or version != self._common_version:
            found = self.db.execute("SELECT key FROM common_words ORDER BY key").fetchall()
            self._common = np.fromiter((key for (key,) in found), np.int64, len(found))
            self._common_version = version
        return self._common

    def _recent_all(self) -> dict[str, _Recent]:
        """The keys filed and not folded yet, by kind, read again when another process wrote."""
        version = self._current_version()
        if self._recent is None or version != self._recent_version:
            self._recent = {}
            for kind in _KINDS:
                old, filed, folding = _recent_packed(self.db.conn, kind)
                self._recent[kind] = _Recent(*_held(kind, *filed), _held(kind, *old), folding)
            self._recent_version = version
        return self._recent

    def _file_recent(self, kind: str, keys: np.ndarray, ids: np.ndarray) -> None:
        """One filing's keys (sorted) and articles, as a row of ``recent_keys`` and in memory."""
        if not len(keys):
            return
        keys, ids = _held(kind, keys, ids)
        recent = self._recent_all()  # as it was before this filing
        self.db.execute(
            "INSERT INTO recent_keys (kind, keys, articles) VALUES (?, ?, ?)",
            [kind, keys.astype(_KEY).tobytes(), ids.astype(PACKED).tobytes()],
        )
        recent[kind].add(keys, ids)

    def _unfile_recent(self, kind: str, article_id: int, keys: Sequence[int] | None = None) -> None:
        """Take an article out of the recent filings of ``kind`` (under ``keys``; None: all)."""
        recent = self._recent_all()
        rows = self.db.execute("SELECT id, keys, articles FROM recent_keys WHERE kind = ?", [kind]).fetchall()
        unwanted = None if keys is None else np.asarray(list(keys), np.int64)

        def drop(row_keys: np.ndarray, row_ids: np.ndarray) -> np.ndarray:
            dropped: np.ndarray = row_ids == article_id
            if unwanted is not None:
                dropped &= np.isin(row_keys, unwanted)
            return dropped

        for row_id, packed_keys, packed_ids in rows:
            row_keys = np.frombuffer(packed_keys, _KEY)
            row_ids = np.frombuffer(packed_ids, PACKED)
            dropped = drop(row_keys, row_ids)
            if not dropped.any():
                continue
            self.db.execute(
                "UPDATE recent_keys SET keys = ?, articles = ? WHERE id = ?",
                [row_keys[~dropped].tobytes(), row_ids[~dropped].tobytes(), row_id],
            )
        # (the last row a fold takes stays, emptied: a row filed later must not take its number)
        self.db.execute("DELETE FROM recent_keys WHERE length(keys) = 0 AND id NOT IN (SELECT last_row FROM folding)")
        recent[kind].without(drop)

    def fold_keys(self) -> None:
        """Move every key filed and not folded yet into the key tables (inside :meth:`write`), in key
        order: each page of the tables is written once for all of them (twice where a fold was under
        way: it is finished first)."""
        self._begin_fold()
        self._fold_part(None)

    def _begin_fold(self) -> None:
        """Make the keys filed so far the next fold's (inside :meth:`write`; a fold under way is
        finished first), and add them to the key tables' filters now: a key a filter holds and its
        table not yet is searched for and not found, but a key the table holds and its filter not
        would never be found."""
        if self._under_way():
            self._fold_part(None)
        recent = self._recent_all()
        last_rows = dict(self.db.execute("SELECT kind, max(id) FROM recent_keys GROUP BY kind").fetchall())
        for kind, table in zip(_KINDS, _KEY_TABLES, strict=True):
            held = recent[kind]
            if not len(held) or kind not in last_rows:
                continue
            held.begin_fold(last_rows[kind])
            self.db.execute(
                "INSERT OR REPLACE INTO folding (kind, last_row, below) VALUES (?, ?, ?)",
                [kind, last_rows[kind], _LOWEST],
            )
            keys = held.old_keys if kind == "band" else _without(held.old_keys, held.old_ids, self._retired())[0]
            self._file_presence(kind, table, keys)

    def _under_way(self) -> bool:
        """Whether a fold is under way (begun and not finished)."""
        return any(held.folding for held in self._recent_all().values())

    def _fold_part(self, entries: int | None) -> None:
        """Move the next part of the fold under way into the key tables (inside :meth:`write`):
        ``entries`` of each kind or so, shared between the kinds as their entries are (None: all
        that is left)."""
        recent = self._recent_all()
        left = {kind: len(recent[kind].old_keys) for kind in _KINDS if recent[kind].folding}
        total = sum(left.values())
        for kind, count in left.items():
            share = count if entries is None or not total else -(-entries * count // total)
            folding = recent[kind].folding
            last_row = folding[0] if folding else -1  # (each kind of ``left`` has a fold under way)
            (keys, ids), below = recent[kind].fold_part(share)
            if kind == "band":
                for at in range(0, len(keys), _FOLD_ROWS):  # rows made a slice at a time: memory stays flat
                    self.db.conn.executemany(
                        "INSERT OR IGNORE INTO bands (key, article_id) VALUES (?, ?)",
                        zip(keys[at : at + _FOLD_ROWS].tolist(), ids[at : at + _FOLD_ROWS].tolist(), strict=True),
                    )
            elif len(keys):
                # a key's new articles after those it has (SQLite joins the two blobs' bytes, in one
                # search of the table a key); not the keys retired since they were filed
                self.db.conn.executemany(
                    """INSERT INTO postings (key, articles) VALUES (?, ?)
                       ON CONFLICT (key) DO UPDATE SET articles = CAST(articles || excluded.articles AS BLOB)""",
                    _packed_rows(keys, ids, unwanted=self._retired()),
                )
            if below is None:
                self.db.execute("DELETE FROM recent_keys WHERE kind = ? AND id <= ?", [kind, last_row])
                self.db.execute("DELETE FROM folding WHERE kind = ?", [kind])
            else:
                self.db.execute("UPDATE folding SET below = ? WHERE kind = ?", [below, kind])

    def compact_keys(self) -> None:
        """What an ingest ends with (inside :meth:`write`): the fold under way finished, and the
        keys filed since left as one row of ``recent_keys`` a kind, sorted, for the next fold;
        folded now where they are more than :data:`UNFOLDED`. The fold that ended every ingest
        wrote each page of the key tables its keys fall on, however few the keys (a tenth of an
        ingest of 20,000 articles, with the workers idle); the next fold writes them with those of
        later ingests, and a reader takes the row as it is (:func:`recent_rows`), at about 30 ms
        and 30 MB a million entries for a process that looks keys up (``provenance trace`` of one
        article)."""
        if self._under_way():
            self._fold_part(None)
        recent = self._recent_all()
        if sum(map(len, recent.values())) > UNFOLDED:
            self.fold_keys()
            return
        rows = dict(self.db.execute("SELECT kind, count(*) FROM recent_keys GROUP BY kind").fetchall())
        for kind, held in recent.items():
            keys, ids = held.all()
            in_order = _in_order(keys, ids)
            if rows.get(kind, 0) < 2 and in_order:
                continue
            if not in_order:
                order = np.lexsort((ids, keys))
                keys, ids = keys[order], ids[order]
            recent[kind] = _Recent(keys, ids)
            self.db.execute("DELETE FROM recent_keys WHERE kind = ?", [kind])
            if len(keys):
                self.db.execute(
                    "INSERT INTO recent_keys (kind, keys, articles) VALUES (?, ?, ?)",
                    [kind, keys.astype(_KEY).tobytes(), ids.astype(PACKED).tobytes()],
                )

    def _write_postings(self, keys: np.ndarray, ids: np.ndarray) -> None:
        """Write the postings of each key in ``keys`` whole, as the articles (``ids``) paired with it
        there (each once); a key not among them is left as it is."""
        if not len(keys):
            return
        order = np.lexsort((ids, keys))
        keys, ids = keys[order], ids[order]
        fresh = np.ones(len(keys), bool)
        fresh[1:] = (keys[1:] != keys[:-1]) | (ids[1:] != ids[:-1])  # each article once a key
        self.db.conn.executemany(
            "INSERT OR REPLACE INTO postings (key, articles) VALUES (?, ?)", _packed_rows(keys[fresh], ids[fresh])
        )

    def _unfile_words(self, article_id: int, keys: Sequence[int]) -> None:
        """Take an article out of the postings of ``keys``."""
        self._unfile_recent("word", article_id, keys)
        old_keys, old_ids = self._filed_words(list(keys))
        emptied = set(old_keys[old_ids == article_id].tolist()) - set(old_keys[old_ids != article_id].tolist())
        self.db.conn.executemany("DELETE FROM postings WHERE key = ?", [(key,) for key in sorted(emptied)])
        others = old_ids != article_id
        self._write_postings(old_keys[others], old_ids[others])

    def retire_words(self, keys: Iterable[int]) -> None:
        """Word keys filed under too many articles to say anything of a copy: their postings go,
        and they are filed under no article again."""
        retired = [(int(key),) for key in keys]
        self.db.conn.executemany("INSERT OR IGNORE INTO common_words (key) VALUES (?)", retired)
        self.db.conn.executemany("DELETE FROM postings WHERE key = ?", retired)
        if retired:
            held = self._retired()  # as held (read now, these are among them: a union either way)
            self._common = np.union1d(held, np.fromiter((key for (key,) in retired), np.int64, len(retired)))

    def record_skipped(self, skipped: Iterable[Skipped]) -> None:
        self.db.conn.executemany(
            "INSERT OR REPLACE INTO skipped (location, reason, detail, seen_at) VALUES (?, ?, ?, ?)",
            [(s.location, s.reason, s.detail, _now()) for s in skipped],
        )

    def forget_skipped(self, locations: Iterable[str]) -> None:
        """An input that went in this time is no longer listed as skipped."""
        self.db.conn.executemany("DELETE FROM skipped WHERE location = ?", [(location,) for location in locations])

    # -- candidates ----------------------------------------------------------------------------

    def band_lookup(self, keys: Sequence[int]) -> dict[int, list[int]]:
        """Band key -> the articles filed under it."""
        found: dict[int, list[int]] = {}
        sql = "SELECT key, article_id FROM bands WHERE key IN ({marks})"
        for key, article_id in self._select_in(sql, self._maybe_held("band", keys)):
            found.setdefault(key, []).append(article_id)
        recent_keys, recent_ids = self._recent_all()["band"].look_up(keys)
        for key, article_id in zip(recent_keys.tolist(), recent_ids.tolist(), strict=True):
            found.setdefault(key, []).append(article_id)
        return found

    def retire_common_words(self) -> None:
        """Retire every word key filed under :data:`~provenance.candidates.COMMON` articles or more
        (after rows were loaded by other means than :meth:`add_index`)."""
        common = self.db.execute("SELECT key FROM postings WHERE length(articles) >= ?", [4 * COMMON]).fetchall()
        self.retire_words(key for (key,) in common)

    def word_postings(self, keys: Sequence[int]) -> tuple[np.ndarray, np.ndarray]:
        """The postings of word keys: each key and an article filed under it, as two arrays."""
        filed_keys, filed_ids = self._filed_words(keys)
        recent_keys, recent_ids = (found.astype(np.int64) for found in self._recent_all()["word"].look_up(keys))
        recent_keys, recent_ids = _without(recent_keys, recent_ids, self._retired())  # retired since filed
        return np.concatenate([filed_keys, recent_keys]), np.concatenate([filed_ids, recent_ids])

    def _filed_words(self, keys: Sequence[int]) -> tuple[np.ndarray, np.ndarray]:
        """The postings of word keys in the key table (those folded into it)."""
        sql = "SELECT key, articles FROM postings WHERE key IN ({marks})"
        return unpack_postings(list(self._select_in(sql, self._maybe_held("word", keys))))

    # -- the filters of the keys each key table holds -----------------------------------------

    def _maybe_held(self, kind: str, keys: Sequence[int]) -> Sequence[int]:
        """``keys`` but those the key table of ``kind`` is known not to hold (by its filter)."""
        presence = self._presence_of(kind)
        if presence is None or not len(keys):
            return keys
        asked = np.asarray(keys, np.int64)
        held: list[int] = asked[presence.may_hold(asked)].tolist()
        return held

    def _presence_of(self, kind: str) -> Presence | None:
        """The filter of the key table of ``kind`` as the store holds it now: its stamp is read at
        each look-up (one row), so that a filter another process wrote since, or one of a
        transaction rolled back, is never taken for the one that goes with the table."""
        with self.snapshot():  # its rows as one writing left them (a reader runs beside the writer)
            sql = "SELECT stamp, sum(length(bits)) FROM key_presence WHERE kind = ?"
            stamp, size = self.db.execute(sql, [kind]).fetchone()
            if stamp is None:
                self._presence.pop(kind, None)
                return None
            kept = self._presence.get(kind)
            if kept is None or kept[1] != stamp:
                self._presence.pop(kind, None)  # not held twice while the new one is read
                bits = np.empty(size, np.uint8)
                at = 0
                for (part,) in self.db.execute("SELECT bits FROM key_presence WHERE kind = ? ORDER BY part", [kind]):
                    bits[at : at + len(part)] = np.frombuffer(part, np.uint8)
                    at += len(part)
                kept = self._presence[kind] = (Presence(bits), stamp)
        return kept[0]

    def _file_presence(self, kind: str, table: str, keys: np.ndarray) -> None:
        """Add the keys a fold will move into ``table`` (sorted) to its filter and write the
        filter: made from the table's keys and these where it has none, or is too full to tell
        most absent keys; from these alone where the table holds none yet (a new store's first
        fold read them back from the table, a fifth of its time)."""
        distinct = int(np.count_nonzero(keys[1:] != keys[:-1])) + 1 if len(keys) else 0
        presence = self._presence_of(kind)
        if presence is not None:
            presence.add(keys)
        elif self.db.execute(f"SELECT 1 FROM {table} LIMIT 1").fetchone() is None:  # these are all it will hold
            presence = Presence.for_keys(distinct)
            presence.add(keys)
        if presence is None or presence.full():  # every key the table holds, a slice at a time
            self._presence.pop(kind, None)
            presence = None  # the one too full let go before the new one is made
            count = self.db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            presence = Presence.for_keys(count + distinct)
            cursor = self.db.execute(f"SELECT key FROM {table}")
            while rows := cursor.fetchmany(_FOLD_ROWS):
                presence.add(np.fromiter((key for (key,) in rows), np.int64, len(rows)))
            presence.add(keys)
        stamp = secrets.randbits(62)
        self.db.execute("DELETE FROM key_presence WHERE kind = ?", [kind])
        view = presence.bits.data  # written a part at a time: no copy of the whole is made
        parts = enumerate(range(0, len(view), _PRESENCE_PART))
        self.db.conn.executemany(
            "INSERT INTO key_presence (kind, part, bits, stamp) VALUES (?, ?, ?, ?)",
            ((kind, n, view[at : at + _PRESENCE_PART], stamp) for n, at in parts),
        )
        self._presence[kind] = (presence, stamp)

    def forget_presence(self) -> None:
        """Drop the key tables' filters (inside :meth:`write`), after keys were filed in the tables
        by other means than a fold: the tables are searched for every key until the next fold
        makes them again."""
        self.db.execute("DELETE FROM key_presence")
        self._presence.clear()

    def word_counts(self, ids: Sequence[int]) -> dict[int, int]:
        """Article id -> the number of its word keys."""
        sql = f"SELECT id, word_keys FROM articles INDEXED BY {WORD_COUNTS} WHERE id IN ({{marks}})"
        return dict(self._select_in(sql, ids))

    def hash_lookup(self, hashes: Sequence[str]) -> dict[str, list[int]]:
        found: dict[str, list[int]] = {}
        sql = "SELECT content_hash, id FROM articles WHERE content_hash IN ({marks})"
        for content_hash, article_id in self._select_in(sql, hashes):
            found.setdefault(content_hash, []).append(article_id)
        return found

    def texts(self, ids: Sequence[int]) -> dict[int, tuple[str, frozenset[str]]]:
        """Article id -> (clean text, where it was published: see :func:`provenance.match.places`)."""
        return {i: (text, where) for i, (text, where, _) in self.hashed_texts(ids).items()}

    def hashed_texts(self, ids: Sequence[int]) -> dict[int, tuple[str, frozenset[str], str]]:
        """Article id -> (clean text, where it was published, the content hash of its text)."""
        sql = (
            "SELECT id, text, publisher, url, canonical_url, template, content_hash FROM articles WHERE id IN ({marks})"
        )
        return {row[0]: (row[1], places(*row[2:5], template=row[5]), row[6]) for row in self._select_in(sql, ids)}

    # -- pairs and stories ---------------------------------------------------------------------

    def add_pairs(self, pairs: Iterable[Pair]) -> None:
        sql = insert_sql("matches", MATCH_COLUMNS).replace("INSERT", "INSERT OR REPLACE", 1)
        self.db.conn.executemany(sql, [pair_row(p) for p in pairs])

    def matched(self, ids: Iterable[int]) -> dict[int, set[int]]:
        """For each of ``ids``, the articles it has a verified pair with."""
        found: dict[int, set[int]] = {}
        sql = (
            "SELECT a_id, b_id FROM matches WHERE a_id IN ({marks}) "
            "UNION SELECT a_id, b_id FROM matches WHERE b_id IN ({marks})"
        )
        for a, b in self._select_in(sql, ids):
            found.setdefault(a, set()).add(b)
            found.setdefault(b, set()).add(a)
        return found

    def neighbours(self, ids: Iterable[int]) -> set[int]:
        """Every article of a verified pair with one of ``ids`` (those of ``ids`` that have one included)."""
        return set(self.matched(ids))

    def component(self, seeds: Iterable[int]) -> set[int]:
        """Every article connected to ``seeds`` through verified pairs (seeds included)."""
        seen = set(seeds)
        frontier = set(seen)
        while frontier:
            frontier = self.neighbours(frontier) - seen
            seen |= frontier
        return seen

    def groups(self) -> list[set[int]]:
        """The connected groups of articles through verified pairs; an article in no pair is a group
        of its own."""
        parent: dict[int, int] = {i: i for (i,) in self.db.execute("SELECT id FROM articles")}

        def root(i: int) -> int:
            while parent.setdefault(i, i) != i:
                parent[i] = parent[parent[i]]
                i = parent[i]
            return i

        for a, b in self.db.execute("SELECT a_id, b_id FROM matches").fetchall():
            parent[root(a)] = root(b)
        found: dict[int, set[int]] = {}
        for i in list(parent):
            found.setdefault(root(i), set()).add(i)
        return sorted(found.values(), key=min)

    def set_policy(self, policy: MatchPolicy) -> None:
        """Record the settings the store's links are now decided with (inside a write)."""
        self.db.execute("DELETE FROM parameters WHERE name LIKE 'policy.%'")
        self.db.table("parameters").insert_all([{"name": k, "value": v} for k, v in policy_dict(policy).items()])
        self.policy = policy

    def pairs_among(self, ids: set[int]) -> list[Pair]:
        sql = """SELECT a_id, b_id, relation, similarity, containment_a, containment_b, shared, content_a, content_b,
                        confidence FROM matches WHERE a_id IN ({marks})"""
        return [Pair(*row) for row in self._select_in(sql, sorted(ids)) if row[1] in ids]

    def nodes(self, ids: Iterable[int]) -> dict[int, Node]:
        sql = f"SELECT {', '.join(NODE_COLUMNS)} FROM articles WHERE id IN ({{marks}})"
        return {row[0]: node_of(*row) for row in self._select_in(sql, sorted(ids))}

    def replace_stories(
        self,
        ids: set[int],
        plans: Iterable[StoryPlan],
        origins: Mapping[int, Origin],
        alignments: Mapping[tuple[int, int], Alignment],
    ) -> None:
        """Drop the stories and links of the articles ``ids`` and write ``plans`` instead, with
        each story's origin and each link's alignment.

        A story's id is its canonical article's id, so an unchanged story keeps its id.
        """
        for chunk in _chunks(sorted(ids)):
            marks = ",".join("?" * len(chunk))
            self.db.execute(
                f"DELETE FROM links WHERE article_id IN ({marks}) OR story_id IN ({marks})",
                list(chunk) * 2,
            )
            self.db.execute(f"DELETE FROM stories WHERE canonical_id IN ({marks})", list(chunk))
        plans = list(plans)
        titles = dict(
            self._select_in("SELECT id, title FROM articles WHERE id IN ({marks})", [p.canonical for p in plans])
        )
        stories, links = story_rows(plans, origins, alignments, titles)
        self.db.conn.executemany(insert_sql("stories", STORY_COLUMNS), stories)
        self.db.conn.executemany(insert_sql("links", LINK_COLUMNS), links)

    def alignments(self, ids: Iterable[int]) -> dict[tuple[int, int], Alignment]:
        """The stored alignment of each link whose copy is one of ``ids``, by (the text it was aligned
        with: its story's canonical or the version it copies, the copy)."""
        sql = """SELECT coalesce(via, story_id), article_id, reuse, coverage, paragraphs_kept, paragraphs_added,
                        paragraphs_dropped, headline_changed, passages, sentences, passage_words, in_order
                 FROM links WHERE article_id IN ({marks})"""
        return {
            (row[0], row[1]): Alignment(
                row[2],
                row[3],
                row[4],
                row[5],
                row[6],
                None if row[7] is None else bool(row[7]),
                Taken.from_json(*row[8:]),
            )
            for row in self._select_in(sql, ids)
        }

    def facts(self, ids: Iterable[int]) -> dict[int, ArticleFacts]:
        """What each article states of itself, as the origin of its story is read from."""
        sql = f"SELECT {', '.join(FACT_COLUMNS)} FROM articles WHERE id IN ({{marks}})"
        return {row[0]: facts_of(*row) for row in self._select_in(sql, ids)}

    def stories_of(self, ids: Iterable[int]) -> dict[int, tuple[int, str]]:
        """Article id -> (its story, that story's canonical key), as a canonical or as a copy."""
        wanted = list(ids)
        found: dict[int, tuple[int, str]] = {}
        sql = """SELECT l.article_id, l.story_id, a.key FROM links l JOIN articles a ON a.id = l.story_id
                 WHERE l.article_id IN ({marks})"""
        for article, story, key in self._select_in(sql, wanted):
            found.setdefault(article, (story, key))
        sql = "SELECT s.id, s.id, a.key FROM stories s JOIN articles a ON a.id = s.id WHERE s.id IN ({marks})"
        for article, story, key in self._select_in(sql, wanted):
            found[article] = (story, key)
        return found

    def titled_texts(self, ids: Iterable[int]) -> dict[int, tuple[str | None, str]]:
        sql = "SELECT id, title, text FROM articles WHERE id IN ({marks})"
        return {row[0]: (row[1], row[2]) for row in self._select_in(sql, ids)}

    def count(self, table: str) -> int:
        return int(self.db.execute(f"SELECT count(*) FROM [{table}]").fetchone()[0])


@dataclass(frozen=True)
class StoryCounts:
    """The store's stories and copies, as the report, the overview and a story page all count them.

    A story is a text and its copies: every row of ``stories``. Its copies are its members but its
    original; where the original is not in the store (only copies of an agency's story are at
    hand), every member is a copy, the first of them standing in for the original."""

    stories: int
    without_original: int
    copies: int


def story_counts(conn: sqlite3.Connection) -> StoryCounts:
    """The counts of :class:`StoryCounts`, read in one statement."""
    stories, absent, copies = conn.execute(
        "SELECT count(*), coalesce(sum(NOT canonical_present), 0), coalesce(sum(members - canonical_present), 0)"
        " FROM stories"
    ).fetchone()
    return StoryCounts(stories, absent, copies)


def copies_of(members: int, canonical_present: bool) -> int:
    """The copies of one story of ``members`` articles (see :class:`StoryCounts`)."""
    return members - int(canonical_present)


MATCH_COLUMNS = ("a_id", "b_id", "relation", "similarity", "containment_a", "containment_b", "shared", "content_a",
                 "content_b", "confidence")  # fmt: skip


def pair_row(p: Pair) -> tuple[Any, ...]:
    """A verified pair as a row of the matches table (:data:`MATCH_COLUMNS`), measures to 4 places."""
    return (p.a, p.b, p.relation, round(p.similarity, 4), round(p.containment_a, 4), round(p.containment_b, 4),
            p.shared, round(p.content_a, 4), round(p.content_b, 4),
            None if p.confidence is None else round(p.confidence, 4))  # fmt: skip


NODE_COLUMNS = ("id", "key", "published", "tokens", "role", "publisher", "url")
FACT_COLUMNS = ("id", "key", "title", "authors", "published", "publisher", "credit", "slug", "url", "canonical_url",
                "original_source", "role")  # fmt: skip


def facts_of(id_: int, key: str, title: str | None, authors: str | None, *rest: str | None) -> ArticleFacts:
    """What an article states of itself, from its :data:`FACT_COLUMNS` (``authors`` as stored: JSON)."""
    return ArticleFacts(id_, key, title, tuple(json.loads(authors)) if authors else (), *rest)


STORY_COLUMNS = ("id", "canonical_id", "members", "canonical_reason", "canonical_present", "origin", "title", "source")
LINK_COLUMNS = ("story_id", "article_id", "relation", "similarity", "containment", "coverage", "evidence", "reuse",
                "paragraphs_kept", "paragraphs_added", "paragraphs_dropped", "headline_changed",
                "passages", "sentences", "passage_words", "in_order", "via", "confidence")  # fmt: skip


def insert_sql(table: str, columns: Sequence[str]) -> str:
    """``INSERT INTO table (columns) VALUES (?, ...)``: the names are the code's own, never data."""
    return f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"


def story_rows(
    plans: Iterable[StoryPlan],
    origins: Mapping[int, Origin],
    alignments: Mapping[tuple[int, int], Alignment],
    titles: Mapping[int, str | None],
) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """The rows of the stories and links tables (:data:`STORY_COLUMNS`, :data:`LINK_COLUMNS`) for
    planned stories, with their origins, alignments and canonicals' ``titles``. A story's id is its
    canonical article's id."""
    stories, links = [], []
    for plan in plans:
        origin = origins[plan.canonical]
        stories.append((plan.canonical, plan.canonical, len(plan.members) + 1, plan.reason,
                        int(origin.canonical_present), json.dumps(_origin(origin), ensure_ascii=False, sort_keys=True),
                        origin.title or titles.get(plan.canonical), origin.source))  # fmt: skip
        for m in plan.members:
            aligned = alignments[(m.via or plan.canonical, m.article)]
            changed = None if aligned.headline_changed is None else int(aligned.headline_changed)
            taken = aligned.taken
            links.append((plan.canonical, m.article, m.relation, m.similarity, m.containment, aligned.coverage,
                          json.dumps(_evidence(m, plan), sort_keys=True), aligned.reuse, aligned.kept,
                          aligned.added, aligned.dropped, changed, *taken.to_json(), taken.words,
                          taken.in_order, m.via, None if m.confidence is None else round(m.confidence, 4)))  # fmt: skip
    return stories, links


def _schema(db: sqlite_utils.Database) -> str | None:
    """The last migration a store has had (None for a file with no tables yet)."""
    applied = sorted(m.name for m in migrations.applied(db)) if db.table_names() else []
    return applied[-1] if applied else None


def _write_ahead_log(conn: sqlite3.Connection, within: float = 60.0) -> None:
    """Put the store in WAL mode. The switch needs the file to itself, and SQLite answers "database
    is locked" at once, without waiting, while another process opens a new store too: try again."""
    deadline = time.monotonic() + within
    while True:
        try:
            if conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                conn.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as err:
            if "locked" not in str(err) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)


@contextmanager
def _immediate(conn: sqlite3.Connection) -> Iterator[None]:
    """A write transaction taken at once (BEGIN IMMEDIATE): other writers wait for it (up to the
    connection's timeout) instead of failing with "database is locked" halfway through."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def _origin(origin: Origin) -> dict[str, Any]:
    return {
        "source": origin.source,
        "canonical_present": origin.canonical_present,
        "title": origin.title,
        "authors": list(origin.authors),
        "published": origin.published,
        "slug": origin.slug,
        "evidence": [{"kind": e.kind, "detail": e.detail, "confidence": e.confidence} for e in origin.evidence],
    }


def _evidence(member: Any, plan: StoryPlan) -> dict[str, Any]:
    return {
        "verified": "5-gram shingles and content bigrams of both texts",
        "shared_shingles": member.shared,
        "content": member.content,
        "similarity": member.similarity,
        "containment": member.containment,
        "coverage": member.coverage,
        "canonical": plan.reason,
    }
