"""What the filters of the keys the key tables hold save the writer, against none and against
an exact set of the keys held, measured side by side.

    python -m benchmarks.presence --articles N --more M [--rounds R] [--workdir DIR]

Every batch looks up its articles' band keys and word keys in the key tables (``bands``,
``postings``); most band keys and many word keys are under no stored article, and each of those
searches costs what a search that finds something does (a page of the table read). The filters
(:mod:`provenance.presence`, table ``key_presence``) spare most of them. The store that
``python -m benchmarks.ingest --articles N`` left takes the next M articles of the generated
corpus, in each round three times, from a copy of it each time, in a process of its own: without
the filters (every key searched for), as ingest is (the filters), and with an exact set of the
keys the tables hold in place of the filters (read before the clock starts; what a fold adds
joins it: its upkeep, a union of all keys at each fold, costs more than the searches it spares,
so its times are no bound on a filter's; it is there to count the keys each table holds). It
prints the share of looked-up keys each table holds, the share the filters let through, and
side by side the wall time, the writer's and the workers' CPU an article, and the
copies linked (the same in all three: the searches left out find nothing).
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from itertools import islice
from pathlib import Path
from typing import Any

import numpy as np

from provenance import Store, ingest
from provenance import store as stored

from .corpus import VERSION, Generator
from .ingest import ingested_store
from .stages import STAGES, Stages


def _present(store: Store) -> dict[str, np.ndarray]:
    """The keys each key table holds, sorted."""
    return {
        table: np.fromiter((k for (k,) in store.db.execute(f"SELECT DISTINCT key FROM {table} ORDER BY key")), np.int64)
        for table in ("bands", "postings")
    }


def _held(present: np.ndarray, keys: Sequence[int]) -> list[int]:
    asked = np.asarray(list(keys), np.int64)
    if not len(asked) or not len(present):
        return []
    at = np.minimum(np.searchsorted(present, asked), len(present) - 1)
    return asked[present[at] == asked].tolist()


def _exact(counts: dict[str, list[int]], present: dict[str, np.ndarray]) -> None:
    """Patch :class:`~provenance.store.Store` so that the key tables are searched only for the keys
    of ``present`` (the keys they hold), counting the keys asked for and those held."""
    select_in = stored.Store._select_in
    begin_fold = stored.Store._begin_fold

    def _select_in(self: Store, sql: str, values: Any) -> Any:
        for table in ("bands", "postings"):
            if f"FROM {table} WHERE key IN" in sql:
                values = list(dict.fromkeys(values))
                counts[table][0] += len(values)
                values = _held(present[table], values)
                counts[table][1] += len(values)
        return select_in(self, sql, values)

    def _fold(self: Store) -> None:  # the keys a fold begun will move (as the filters take them)
        recent = self._recent_all()
        present["bands"] = np.union1d(present["bands"], recent["band"].all()[0].astype(np.int64))
        present["postings"] = np.union1d(present["postings"], recent["word"].all()[0].astype(np.int64))
        begin_fold(self)

    stored.Store._select_in = _select_in  # type: ignore[method-assign]
    stored.Store._begin_fold = _fold  # type: ignore[method-assign]


def _through_filters(counts: dict[str, list[int]]) -> None:
    """Patch :class:`~provenance.store.Store` to count the keys asked for and those the filters let
    through to a search."""
    maybe_held = stored.Store._maybe_held

    def _maybe_held(self: Store, kind: str, keys: Sequence[int]) -> Sequence[int]:
        searched = maybe_held(self, kind, keys)
        table = "bands" if kind == "band" else "postings"
        counts[table][0] += len(set(keys))
        counts[table][2] += len(searched)
        return searched

    stored.Store._maybe_held = _maybe_held  # type: ignore[method-assign]


def _without_filters() -> None:
    stored.Store._presence_of = lambda self, kind: None  # type: ignore[method-assign]
    stored.Store._file_presence = lambda self, kind, table, keys: None  # type: ignore[method-assign]


def one(store_path: Path, feed: Path, how: str) -> dict[str, Any]:
    """One ingest of ``feed`` into the store at ``store_path``, in this process (``how``: without
    the filters, as ingest is, or with the exact set)."""
    counts = {"bands": [0, 0, 0], "postings": [0, 0, 0]}  # keys asked for, held, searched for
    with Store.open(store_path, create=False) as store:
        if how != "filters":  # every key searched for, or those of the exact set
            _without_filters()
        if how == "exact":
            _exact(counts, _present(store))
        elif how == "filters":
            _through_filters(counts)
        before = resource.getrusage(resource.RUSAGE_SELF)
        start = time.perf_counter()
        with Stages(_STAGES) as stages:
            result = ingest(store, [str(feed)], workers=0)
        wall = time.perf_counter() - start
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return {
        "wall": wall,
        "writer": own.ru_utime + own.ru_stime - before.ru_utime - before.ru_stime,
        "workers": children.ru_utime + children.ru_stime,
        "linked": result.copies_linked,
        "new": result.new,
        "counts": counts,
        "stages": {label: stages.cpu.get(label, 0.0) for _, _, label in _STAGES},
    }


def _further(workdir: Path, start: int, count: int, path: Path) -> Path:
    """The ``count`` records of the generated corpus after its first ``start``, written at ``path``:
    lines of a longer corpus in ``workdir`` where there is one, else made again (the generator's
    records do not depend on how many are asked for)."""
    longer = sorted(
        (int(found.name.split("-")[2]), found)
        for found in workdir.glob(f"corpus-v{VERSION}-*-11.jsonl")
        if found.name.split("-")[2].isdigit() and int(found.name.split("-")[2]) >= start + count
    )
    with path.open("w", encoding="utf-8") as out:
        if longer:
            with longer[0][1].open(encoding="utf-8") as lines:
                out.writelines(islice(lines, start, start + count))
        else:
            out.writelines(r.json() + "\n" for r in islice(Generator(11).records(start + count), start, None))
    return path


_STAGES = tuple(stage for stage in STAGES if stage[1] in ("find", "word_postings", "band_lookup", "_fold_part"))
_HOW = {"no filters": "none", "as ingest is": "filters", "an exact set": "exact"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=20000)
    parser.add_argument("--more", type=int, default=5000)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--workdir", type=Path, default=Path("benchmarks/.work"))
    parser.add_argument("--one", nargs=3, metavar=("STORE", "FEED", "HOW"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        store_path, feed, how = args.one
        print(json.dumps(one(Path(store_path), Path(feed), how)))
        return
    print(f"$ python -m benchmarks.presence {' '.join(sys.argv[1:])}", flush=True)
    with tempfile.TemporaryDirectory(dir=args.workdir) as tmp:
        source = Path(tmp) / "source.db"
        shutil.copyfile(ingested_store(args.workdir, args.articles), source)
        with Store.open(source) as store, store.write():  # a store made before the filters: made now
            start = time.perf_counter()
            for kind, table in (("band", "bands"), ("word", "postings")):
                store._file_presence(kind, table, np.empty(0, np.int64))
            made = time.perf_counter() - start
            sizes = dict(store.db.execute("SELECT kind, sum(length(bits)) FROM key_presence GROUP BY kind"))
        print(f"  the filters made from the tables of {args.articles:,} articles in {made:.1f} s: "
              f"{sizes['band'] / 2**20:.1f} MB (bands) and {sizes['word'] / 2**20:.1f} MB (word keys)")  # fmt: skip
        feed = _further(args.workdir, args.articles, args.more, Path(tmp) / "more.jsonl")
        runs: dict[str, list[dict[str, Any]]] = {label: [] for label in _HOW}
        for _ in range(args.rounds):
            for label, how in _HOW.items():
                copy = Path(tmp) / "store.db"
                shutil.copyfile(source, copy)
                command = [sys.executable, "-m", "benchmarks.presence", "--one", str(copy), str(feed), how]
                done = subprocess.run(command, check=True, capture_output=True, text=True)
                runs[label].append(json.loads(done.stdout.splitlines()[-1]))
                for leftover in Path(tmp).glob("store.db*"):
                    leftover.unlink()
    exact, filtered = runs["an exact set"][0]["counts"], runs["as ingest is"][0]["counts"]
    for table in ("bands", "postings"):
        asked, held, _ = exact[table]
        through = filtered[table][2] / max(filtered[table][0], 1)
        print(f"  {table}: of {asked:,} keys looked up, {held:,} held ({held / max(asked, 1):.0%}); "
              f"the filter let {through:.0%} through to a search")  # fmt: skip
    stages = [label for _, _, label in _STAGES]
    short = {"find candidates": "search", "of which word postings": "words", "of which band keys": "bands"}
    names = [short.get(label.strip(), "fold") for label in stages]
    print(f"  {'':14s} {'wall':>6s} {'writer':>6s} {'workers':>7s} {'linked':>7s}  " + "  ".join(names))
    print(f"  {'':14s} {'s':>6s}  CPU, ms an article: all, and the writer's by stage")
    for label, done in runs.items():
        for run in done:
            new = max(run["new"], 1)
            spent = "  ".join(f"{run['stages'][s] / new * 1e3:{len(n)}.2f}" for s, n in zip(stages, names, strict=True))
            print(
                f"  {label:14s} {run['wall']:6.1f} {run['writer'] / new * 1e3:6.2f} "
                f"{run['workers'] / new * 1e3:7.2f} {run['linked']:7,d}  {spent}"
            )


if __name__ == "__main__":
    main()
