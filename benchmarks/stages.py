"""Where the time goes: the CPU time of each stage of storing a batch (the writer's) or of tracing
an article, measured by wrapping the functions that do them (the wrappers cost about a
microsecond a call).

    with Stages() as stages:  # or Stages(TRACE_STAGES)
        ingest(...)
    print(stages.report(articles))
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from provenance import candidates, pipeline, store
from provenance import trace as tracing

# (owner, attribute, what it does): the stages of _store_batch, outermost first
STAGES: tuple[tuple[Any, str, str], ...] = (
    (pipeline, "_store_batch", "a batch in all"),
    (store.Store, "insert_article", "insert the articles"),
    (store.Store, "add_indexes", "file the keys"),
    (store.Store, "_fold_part", "fold keys into the key tables"),
    (store.Store, "_begin_fold", "begin a fold (the filters written)"),
    (store.Store, "compact_keys", "the keys left for the next fold"),
    (candidates, "find", "find candidates"),
    (store.Store, "word_postings", "  of which word postings"),
    (store.Store, "band_lookup", "  of which band keys"),
    (pipeline, "_verified", "verify candidates"),
    (pipeline, "restructure", "plan stories (alignments too)"),
    (pipeline, "align_here", "  of which the writer's alignments"),
    (store.Store, "replace_stories", "  of which writing them"),
    (store.Store, "index_new_texts", "full-text index"),
    (store, "_commit", "commit"),
)

# the stages of tracing one article (provenance.trace._trace_one)
TRACE_STAGES: tuple[tuple[Any, str, str], ...] = (
    (tracing, "prepare", "extract and fingerprint it"),
    (candidates, "find", "find candidates"),
    (store.Store, "word_postings", "  of which word postings"),
    (store.Store, "band_lookup", "  of which band keys"),
    (pipeline.ProfileCache, "get_many", "candidates' profiles from their text"),
    (pipeline.ProfileCache, "complete", "ordered evidence of the likely ones"),
    (tracing, "verify", "verify candidates"),
    (tracing, "align", "align the sources"),
)


class Stages:
    """Patches the stage functions while it is entered; :meth:`report` says what each took."""

    def __init__(self, stages: tuple[tuple[Any, str, str], ...] = STAGES) -> None:
        self.stages = stages
        self.cpu: dict[str, float] = {}
        self.calls: dict[str, int] = {}
        self._undo: list[Callable[[], None]] = []

    def _wrap(self, owner: Any, name: str, label: str) -> None:
        original = getattr(owner, name)

        @functools.wraps(original)
        def timed(*args: Any, **kwargs: Any) -> Any:
            start = time.thread_time()
            try:
                return original(*args, **kwargs)
            finally:
                self.cpu[label] = self.cpu.get(label, 0.0) + time.thread_time() - start
                self.calls[label] = self.calls.get(label, 0) + 1

        setattr(owner, name, timed)
        self._undo.append(lambda: setattr(owner, name, original))

    def __enter__(self) -> Stages:
        for owner, name, label in self.stages:
            if name == "_commit":
                self._wrap_commit(label)
            else:
                self._wrap(owner, name, label)
        return self

    def _wrap_commit(self, label: str) -> None:
        original = store._immediate

        @contextmanager
        def timed(conn: Any) -> Iterator[None]:
            with original(conn):
                yield
                start = time.thread_time()  # what follows the block is the COMMIT
            self.cpu[label] = self.cpu.get(label, 0.0) + time.thread_time() - start
            self.calls[label] = self.calls.get(label, 0) + 1

        store._immediate = timed
        self._undo.append(lambda: setattr(store, "_immediate", original))

    def __exit__(self, *exc: object) -> None:
        for undo in reversed(self._undo):
            undo()
        self._undo.clear()

    def report(self, articles: int) -> list[str]:
        """A line a stage: its CPU time and ms an article."""
        lines = []
        for _, _, label in self.stages:
            if label in self.cpu:
                spent = self.cpu[label]
                lines.append(f"    {label:36s} {spent:7.1f} s  {spent / max(articles, 1) * 1000:5.2f} ms an article")
        return lines

    def labels(self) -> list[str]:
        return [label for _, _, label in self.stages]
