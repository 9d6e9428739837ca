"""Ingest: read -> extract -> fingerprint -> index -> match -> attribute -> store, in batches.

Each batch is one transaction: its articles, their band keys, the verified pairs
they make and the stories those pairs change are written together, so an interrupted ingest
leaves a consistent store and running it again completes it.
"""

from __future__ import annotations

import ctypes
import gc
import multiprocessing
import os
import signal
import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from concurrent.futures import CancelledError, Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from functools import partial
from itertools import chain, islice

import xxhash

from . import candidates
from .attribute import (
    ORIGINAL_UNKNOWN,
    ArticleFacts,
    Node,
    Origin,
    Pair,
    StoryPlan,
    find_origin,
    named_originals,
    plan_stories,
    published_by,
)
from .candidates import Probe, word_keys
from .extract import extract
from .extract.language import detect_language, load_language_model
from .fingerprint import U32, Fingerprint, Params, band_keys, fingerprint, load_compiled, shingle_set
from .match import (
    DEFAULT_POLICY,
    MatchPolicy,
    Profile,
    Reading,
    places,
    profile,
    read_story,
    story_text,
    verify,
    weighed,
    with_order,
)
from .models import Article, RawDocument, Skipped
from .passages import Alignment, align
from .sources import PassedOver, Progress, check_inputs, raw_digest, read_inputs
from .store import Store

ProgressCallback = Callable[[int], None]


@dataclass
class IngestResult:
    """What one ingest did."""

    # every document read is counted once: read = new + updated + unchanged + repeated + skipped
    read: int = 0  # documents read (articles and skipped records)
    new: int = 0  # articles stored for the first time
    updated: int = 0  # articles whose key was stored with another text
    unchanged: int = 0  # articles already stored from the same input or with the same text
    repeated: int = 0  # documents whose key came earlier in this run (the last text wins)
    exact_duplicates: int = 0  # new or updated articles whose normalised text was already stored
    copies_linked: int = 0  # new or updated articles that ended up as a copy in a story
    skipped: list[Skipped] = field(default_factory=list)
    passed_over: int = 0  # crawl records that are not HTML responses
    moved: int = 0  # of the unchanged, files moved or renamed since they were read (their articles follow them)


@dataclass(frozen=True)
class Prepared:
    """A document extracted, fingerprinted and profiled: ready to be stored or traced."""

    article: Article
    fp: Fingerprint
    profile: Profile
    raw_hash: int | None = None  # the hash of the input as read (see sources.raw_digest)


@dataclass(frozen=True)
class Unchanged:
    """A document whose stored article was read from the very same input: not extracted again."""

    key: str
    location: str


@dataclass(frozen=True)
class Repeated:
    """Marks the next document: its key came earlier in this run."""


_READINGS = 256  # stories read that a ProfileCache keeps for the profiles it read without their ordered evidence


class ProfileCache:
    """Profiles of stored articles, recomputed from their text on demand and kept while they
    are hot (the copies of a popular story are compared again and again), up to ``budget``
    bytes (a profile with its ordered evidence is about 15 KB: some 13,000 of them; see :func:`_held`)."""

    def __init__(self, store: Store, budget: int = 192 << 20) -> None:
        self.store = store
        self.budget = budget
        self.used = 0
        self.profiles: OrderedDict[int, Profile] = OrderedDict()
        # the stories read, and the texts, of the last profiles read without their shingles and
        # ordered evidence (most candidates are ruled out on their content bigrams, without
        # them): most that pass the floor are completed right after (a trace's tail, 10 sources
        # and more, spent half its time reading each one's text a second time)
        self.readings: OrderedDict[int, tuple[Reading, str]] = OrderedDict()
        self.generation = store.generation

    def check(self) -> None:
        """Forget every profile if another process has written the store since they were read
        (it may have given an article a new text). Call it inside the write transaction."""
        if self.store.generation != self.generation:
            self.profiles.clear()
            self.readings.clear()
            self.used = 0
            self.generation = self.store.generation

    def put(self, article_id: int, profile: Profile) -> None:
        earlier = self.profiles.get(article_id)
        if earlier is not None:
            self.used -= _held(earlier)
        self.profiles[article_id] = profile
        self.profiles.move_to_end(article_id)
        self.used += _held(profile)
        while self.used > self.budget and self.profiles:
            self.used -= _held(self.profiles.popitem(last=False)[1])

    def get(self, article_id: int) -> Profile | None:
        """The profile of an article where it is at hand (nothing is computed)."""
        return self.profiles.get(article_id)

    def get_many(self, ids: Iterable[int], *, ordered: bool = False) -> dict[int, Profile]:
        """The profiles of stored articles; ``ordered``: with their shingles and ordered evidence
        (else read only where they are kept: most candidates are ruled out on their content
        bigrams without them, see :meth:`complete`)."""
        wanted = list(ids)
        at_hand = {i: kept for i in wanted if (kept := self.profiles.get(i)) is not None}
        stored = self.store.hashed_texts([i for i in wanted if i not in at_hand])
        for article_id, (text, where, content) in stored.items():
            reading = read_story(story_text(text))
            at_hand[article_id] = Profile(content, None, reading.bigrams, where)
            self.put(article_id, at_hand[article_id])  # kept while hot; returned whether kept or not
            self.readings[article_id] = reading, text
            while len(self.readings) > _READINGS:
                self.readings.popitem(last=False)
        profiles = {i: at_hand[i] for i in wanted if i in at_hand}
        return self.complete(profiles) if ordered else profiles

    def complete(self, profiles: Mapping[int, Profile]) -> dict[int, Profile]:
        """``profiles`` (of stored articles, by id), each with its shingles and ordered evidence,
        from their text and story read when their profile was (kept for the last
        :data:`_READINGS`), else from the stored text."""
        found = dict(profiles)
        lacking = [i for i, p in found.items() if not p.read]
        readings = {i: kept for i in lacking if (kept := self.readings.pop(i, None)) is not None}
        stored = self.store.texts([i for i in lacking if i not in readings])
        readings.update((i, (read_story(story_text(text)), text)) for i, (text, _) in stored.items())
        for article_id, (reading, text) in readings.items():
            shingles = None if found[article_id].shingles is not None else shingle_set(text, self.store.params)[1]
            found[article_id] = with_order(found[article_id], reading, shingles)  # no signature: not needed
            self.put(article_id, found[article_id])
        return found


_OBJECTS = 1024  # bytes of a profile besides its arrays (its objects, hash and places: about 700 measured)


def _held(profile: Profile) -> int:
    """The bytes a profile holds, its arrays and :data:`_OBJECTS` (what :class:`ProfileCache`
    counts: a profile read without its shingles and ordered evidence holds a sixth of the arrays
    of a whole one, and the objects of six times as many would go uncounted)."""
    held = _OBJECTS + profile.bigrams.nbytes + (0 if profile.shingles is None else profile.shingles.nbytes)
    if profile.ordered is not None:
        found = profile.ordered
        held += found.first.nbytes + found.hashes.nbytes + found.owners.nbytes + found.sizes.nbytes
    return held


def ingest(
    store: Store,
    inputs: Iterable[str],
    *,
    progress: ProgressCallback | None = None,
    batch_size: int = 500,
    workers: int = 1,
) -> IngestResult:
    """Ingest files, directories (recursively) and ``-`` (standard input) into ``store``.

    Extraction and fingerprinting run in ``workers`` processes (0: one per core); this process
    is the one writer. Raises :class:`~provenance.InputNotFound` before reading anything if a
    path does not exist.
    """
    policy = store.policy  # the thresholds are the store's own (see Store.open)
    paths = check_inputs(inputs)
    result = IngestResult()
    cache = ProfileCache(store)
    store.shrink_memory()  # before the workers fork (see release_free_memory)
    batch: dict[str, Prepared] = {}
    skipped: list[Skipped] = []
    own_files = [store.path + suffix for suffix in ("", "-wal", "-shm", "-journal")]
    items = _mark_known(read_inputs(paths, exclude=own_files), store)
    carried: set[str] = set()  # keys of the batch whose first document was counted before it
    repeat = False
    started = _Workers()
    align_all = partial(started.align, meanwhile=store.index_new_texts)  # indexed while the workers align
    # the log is checkpointed beside the writer, not by its commits; and garbage collected per batch
    with store.checkpoints_behind(), collecting_per_batch():
        for item in _prepare_all(items, store.params, workers or os.cpu_count() or 1, started):
            if isinstance(item, Progress):
                if progress is not None:
                    progress(item.done)
                continue
            if isinstance(item, PassedOver):
                result.passed_over += item.count
                continue
            if isinstance(item, Repeated):
                repeat = True
                continue
            result.read += 1
            if isinstance(item, Unchanged):
                result.unchanged += 1
                continue
            if isinstance(item, Skipped):
                result.skipped.append(item)
                skipped.append(item)
                repeat = False
                continue
            key = item.article.key
            if repeat:
                result.repeated += 1
                if key not in batch:
                    carried.add(key)
                repeat = False
            # a key given twice: its last text wins, in the place of its first (as across batches,
            # where the stored article is updated); the same text again changes nothing
            earlier = batch.get(key)
            if earlier is None or earlier.fp.content_hash != item.fp.content_hash:
                batch[key] = item
            if len(batch) >= batch_size:
                _store_batch(store, list(batch.values()), skipped, result, cache, policy, carried, align_all)
                batch.clear()
                skipped.clear()
                carried.clear()
        if batch or skipped:
            _store_batch(store, list(batch.values()), skipped, result, cache, policy, carried, align_all)
        with store.write():  # the keys filed since the last fold wait for the next, in one row a kind
            store.compact_keys()
    return result


_LOOK_UP = 256  # documents whose stored input hashes are read in one query
_YOUNG_OBJECTS = 50_000  # objects made and kept between two collections of the youngest: a batch's (see below)


@contextmanager
def collecting_per_batch() -> Iterator[None]:
    """Collect cyclic garbage about once a batch rather than every 700 objects made (Python's
    default), while this process writes. A batch's rows, pairs and plans live until it is
    written: collected every 700, each was traversed again and again and moved into the oldest
    generation, whose every collection traverses all of the store's caches too (1.5 of the
    writer's 31 s of CPU at 20,000 generated articles, 0.1 with this; see docs/speed.md).
    Reference counting frees the rest as ever. Ingests in two threads of one process: the
    threshold is set back when the last one ends."""
    global _writing
    with _threshold_lock:
        if _writing == 0:
            _threshold_before[:] = gc.get_threshold()
            gc.set_threshold(max(_threshold_before[0], _YOUNG_OBJECTS), *_threshold_before[1:])
        _writing += 1
    try:
        yield
    finally:
        with _threshold_lock:
            _writing -= 1
            if _writing == 0:
                gc.set_threshold(*_threshold_before)


_threshold_lock = threading.Lock()
_threshold_before: list[int] = []  # the collector's thresholds before the first ingest running began
_writing = 0  # ingests running in this process


def _keyed_as_before(item: _Item, files: dict[str, str]) -> _Item:
    """A whole file's document under the key its file was first read with (kept in ``files``)."""
    if not isinstance(item, RawDocument) or item.file is None:
        return item
    key = files.setdefault(item.file, item.key)
    return item if key == item.key else replace(item, key=key)


def _mark_known(items: Iterable[_Item], store: Store) -> Iterator[_Item | Unchanged | Repeated]:
    """The documents read, with those whose stored article came from the same input replaced by
    :class:`Unchanged` (nothing to extract), and a :class:`Repeated` before each document whose
    key came earlier in this run (its text may differ: it is extracted, and the last one wins).
    A file is keyed as it was first named, in the store or in this run, whatever path names it now."""
    seen: set[int] = set()  # keys met so far, hashed (8 bytes of hash a key, not the key)
    files: dict[str, str] = {}  # the key of each file met in this run
    items = iter(items)
    while chunk := list(islice(items, _LOOK_UP)):
        named = [item.file for item in chunk if isinstance(item, RawDocument) and item.file]
        files = {**store.keys_of_files([f for f in named if f not in files]), **files}
        chunk = [_keyed_as_before(item, files) for item in chunk]
        docs = [item for item in chunk if isinstance(item, RawDocument)]
        stored = store.raw_hashes([doc.key for doc in docs]) if docs else {}
        for item in chunk:
            if not isinstance(item, RawDocument):
                yield item
                continue
            key = xxhash.xxh3_64_intdigest(item.key.encode("utf-8", "surrogatepass"))
            if key in seen:
                yield Repeated()
                yield item
                continue
            seen.add(key)
            known = stored.get(item.key)
            if known is not None and known == raw_digest(item):
                yield Unchanged(item.key, item.location)
            else:
                yield item


MAX_TEXT = 1_000_000  # characters of clean text: a long feature has 100,000, a novel 3 million
MIN_WORDS = 8  # a news brief has 15 or more; fewer is a page's leftover, not an article
_Item = RawDocument | Skipped | Progress | PassedOver
_In = _Item | Unchanged | Repeated
_Out = Prepared | Skipped | Progress | PassedOver | Unchanged | Repeated
_WINDOW = 512  # documents read before a pool is started: a smaller input is prepared here
_AHEAD = 1024  # documents read ahead for the workers and not yet given back: memory stays flat
_CHUNK = 16  # documents a worker takes at a time
_QUEUED = 2  # chunks of documents in the pool's queue a worker, at most (see _Feed)
WORKER_NICENESS = 5  # workers yield a core to the writer, the one process that cannot be shared out


AlignJob = tuple[str, str, str | None, str | None, tuple[U32, U32] | None]  # copy, source, titles, bigrams


def align_job(job: AlignJob) -> Alignment:
    """:func:`provenance.passages.align` of one (copy, source) job, as the workers run it."""
    copy_text, text, copy_title, title, both = job
    return align(copy_text, text, copy_title, title, bigrams=both)


def align_here(jobs: list[AlignJob]) -> list[Alignment]:
    """The jobs aligned in this process, in order."""
    return [align_job(job) for job in jobs]


@dataclass
class _Workers:
    """The worker processes of an ingest, once started: they prepare documents and make the
    writer's alignments (which need only the two texts)."""

    pool: ProcessPoolExecutor | None = None

    def align(self, jobs: list[AlignJob], meanwhile: Callable[[], object] = lambda: None) -> list[Alignment]:
        """Each job's alignment, in order, made by the workers (the copies of one source go
        together, so that each process reads a source once for all of them) while this process
        does ``meanwhile``, work of its own that the alignments do not wait on; made here where
        there are no workers or too few jobs to share. The writer takes no share of its own: it
        is the one process that cannot be shared out, and at 100,000 generated articles a share
        cost it more than its wait for the workers (557 against 586 articles/s side by side)."""
        if self.pool is None or len(jobs) < 2 * _ALIGN_CHUNK:
            meanwhile()
            return align_here(jobs)
        groups = _by_source(jobs)
        theirs = self.pool.map(align_here, [[jobs[k] for k in group] for group in groups])
        meanwhile()
        found: dict[int, Alignment] = {}
        for group, alignments in zip(groups, theirs, strict=True):
            found.update(zip(group, alignments, strict=True))
        return [found[k] for k in range(len(jobs))]


_ALIGN_CHUNK = 8  # alignments of one source a process takes at a time


def _by_source(jobs: list[AlignJob]) -> list[list[int]]:
    """The jobs' places, those of one source together, in runs of :data:`_ALIGN_CHUNK` at most."""
    sources: dict[str, list[int]] = {}
    for k, job in enumerate(jobs):
        sources.setdefault(job[1], []).append(k)
    return [places[at : at + _ALIGN_CHUNK] for places in sources.values() for at in range(0, len(places), _ALIGN_CHUNK)]


def _prepare_all(
    items: Iterable[_Item | Unchanged | Repeated], params: Params, workers: int, started: _Workers | None = None
) -> Iterator[_Out]:
    """Extract and fingerprint every raw document, in input order, in ``workers`` processes
    (``started``: where the pool is made known to the writer while it runs).

    :data:`_AHEAD` documents are read ahead for the workers at all times: each chunk given back is
    replaced by the next before its results are, so that the workers have a batch's worth of
    work while the writer stores the last one (given one window at a time, they ran out of it
    and waited, a quarter of their time). They go into the pool a few chunks at a time
    (:class:`_Feed`), so that the alignments the writer hands the pool wait behind those only."""
    prepare_one = partial(prepare, params=params)
    items = iter(items)
    first = list(islice(items, _WINDOW))
    if workers <= 1 or len(first) < _WINDOW:  # a small input is done before a pool would start
        for item in chain(first, items):
            yield prepare_one(item) if isinstance(item, RawDocument) else item
        return
    _warm_up(params)
    release_free_memory()
    pool = ProcessPoolExecutor(max_workers=workers, initializer=_worker_started)
    widen_pipes(pool)
    feed = _Feed(pool, partial(_prepare_chunk, prepare_one), _QUEUED * workers)
    items = chain(first, items)
    handed: deque[tuple[list[_In], Future[list[Prepared | Skipped]] | None]] = deque()
    ahead = 0  # the items of the chunks handed

    def hand_on() -> None:
        nonlocal ahead
        while ahead < _AHEAD and (chunk := list(islice(items, _CHUNK))):
            docs = [item for item in chunk if isinstance(item, RawDocument)]
            handed.append((chunk, feed.add(docs) if docs else None))
            ahead += len(chunk)

    try:
        with _interrupts_to_this_thread():  # the pool's threads start on the first submission
            hand_on()
        if started is not None:
            started.pool = pool
        while handed:
            chunk, future = handed.popleft()
            ahead -= len(chunk)
            hand_on()
            results = iter(future.result() if future is not None else ())
            for item in chunk:
                yield next(results) if isinstance(item, RawDocument) else item
    finally:  # on an interrupt, the documents not yet begun are not prepared
        if started is not None:
            started.pool = None
        feed.close()
        pool.shutdown(wait=True, cancel_futures=True)


PIPE_BYTES = 1 << 20  # what a pool's pipes hold (Linux's most for a process without privileges)


def widen_pipes(pool: ProcessPoolExecutor, size: int = PIPE_BYTES) -> list[int]:
    """Let the pipes between ``pool`` and its workers hold ``size`` bytes (Linux; elsewhere, or
    where the system refuses, they stay as they are). Returns what each holds now.

    A worker's chunk of prepared documents is about 270 KB pickled; through a pipe of 64 KB (the
    default) the worker waited for the writer's receiving thread, which waits for Python's lock
    while the writer works, to take each 64 KB before it could write the next (10% of the
    workers' samples in a profile of 20,000 articles were sending results). The chunks of
    documents handed to the pool go through the other pipe."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not on Windows
        return []
    resize, read = getattr(fcntl, "F_SETPIPE_SZ", None), getattr(fcntl, "F_GETPIPE_SZ", None)
    if resize is None or read is None:  # not Linux
        return []
    held = []
    for queue in (getattr(pool, "_call_queue", None), getattr(pool, "_result_queue", None)):
        end = getattr(queue, "_writer", None)
        if end is None:  # a Python whose pool names its queues otherwise
            continue
        try:
            fcntl.fcntl(end.fileno(), resize, size)
            held.append(fcntl.fcntl(end.fileno(), read))
        except OSError:  # a smaller limit, or the user's pipes hold all the system allows them
            continue
    return held


class _Feed:
    """Chunks of documents handed to a pool ``depth`` at a time, the next as each is done.

    A pool takes its tasks in the order they come: with all the documents read ahead in its
    queue, the alignments the writer hands it (and waits for) came after them, and the writer
    spent a quarter of its time waiting (8 of 31 s at 20,000 generated articles). Held here
    instead, the documents go into the pool from its own thread as it gives chunks back, and an
    alignment waits behind ``depth`` chunks at most."""

    def __init__(
        self, pool: ProcessPoolExecutor, work: Callable[[list[RawDocument]], list[Prepared | Skipped]], depth: int
    ) -> None:
        self.pool, self.work, self.depth = pool, work, depth
        self.waiting: deque[tuple[list[RawDocument], Future[list[Prepared | Skipped]]]] = deque()
        self.queued = 0  # chunks in the pool, not yet given back
        self.closed = False
        self.lock = threading.RLock()  # a chunk done at once calls back in the thread that handed it

    def add(self, docs: list[RawDocument]) -> Future[list[Prepared | Skipped]]:
        """The future of ``docs`` prepared, handed to the pool now or when it has room."""
        future: Future[list[Prepared | Skipped]] = Future()
        with self.lock:
            if self.closed:
                future.cancel()
                return future
            self.waiting.append((docs, future))
            self._top_up()
        return future

    def close(self) -> None:
        """Hand the pool nothing more (before it is shut down); the chunks held are cancelled."""
        with self.lock:
            self.closed = True
            for _, future in self.waiting:
                future.cancel()
            self.waiting.clear()

    def _top_up(self) -> None:
        while not self.closed and self.queued < self.depth and self.waiting:
            docs, future = self.waiting.popleft()
            if not future.set_running_or_notify_cancel():
                continue
            try:
                inner = self.pool.submit(self.work, docs)
            except (BrokenProcessPool, RuntimeError) as failed:  # a worker died, or the pool shut down
                future.set_exception(failed)
                continue
            self.queued += 1
            inner.add_done_callback(partial(self._done, future))

    def _done(self, future: Future[list[Prepared | Skipped]], inner: Future[list[Prepared | Skipped]]) -> None:
        with self.lock:
            self.queued -= 1
            self._top_up()
        if inner.cancelled():
            future.set_exception(CancelledError())
        elif (failed := inner.exception()) is not None:
            future.set_exception(failed)
        else:
            future.set_result(inner.result())


@contextmanager
def _interrupts_to_this_thread() -> Iterator[None]:
    """Threads started inside block SIGINT, so that the kernel delivers Ctrl-C to this one: one of
    the pool's threads taking it would leave this thread asleep in a read of standard input, and
    the interrupt unanswered until more input came. (Python runs the handler here either way.)"""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    before = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, before)


def _warm_up(params: Params) -> None:
    """Load here what every worker loads before its first document (the language model, 0.34 s
    where its tables were not kept before; the compiled kernels, 0.6 s, and those an alignment
    uses): workers forked from this process start with them, once for all of them and for every
    later pool of this process. (Workers started afresh load their own.)"""
    if multiprocessing.get_start_method() != "fork":
        return
    load_language_model()
    load_compiled()  # an input that needs a pool is large enough for them to pay
    text = "Kernels compiled once, before the workers start, and shared with them. " * 2
    profile(text, fingerprint(text, params))
    align(text, text)  # its kernels too: each worker would compile its own at its first alignment
    detect_language(text)


def release_free_memory() -> bool:
    """Hand the memory this process has freed back to the system (glibc's ``malloc_trim``), before
    workers are forked from it: a forked worker keeps every page it was given, and the pages the
    writer freed (a previous ingest's profiles and rows, in a process that ingests again) would
    otherwise stay resident in the workers for as long as they run, 400 MB at 100,000 articles.
    Returns whether the system's allocator could be asked."""
    gc.collect()
    try:
        trim = ctypes.CDLL(None).malloc_trim
    except (AttributeError, OSError):  # not glibc (macOS, musl): its allocator keeps what it keeps
        return False
    trim(0)
    return True


def _worker_started() -> None:
    """A worker leaves Ctrl-C to the writer (which stops the pool), and exits when the writer does:
    a writer killed outright (SIGKILL) cannot stop its pool, and the workers, each holding its end
    of the task queue, would wait on it for ever."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if hasattr(os, "nice"):  # the writer is the pipeline's one serial stage: it goes first
        os.nice(WORKER_NICENESS)
    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.2)
        os._exit(1)

    threading.Thread(target=watch, name="exit-with-parent", daemon=True).start()


def _prepare_chunk(
    prepare: Callable[[RawDocument], Prepared | Skipped], docs: list[RawDocument]
) -> list[Prepared | Skipped]:
    """A chunk of documents prepared in a worker, in order."""
    return [prepare(doc) for doc in docs]


def prepare(raw: RawDocument, params: Params, *, language: bool = True) -> Prepared | Skipped:
    """Extract, fingerprint and profile one document (in a worker process when there are many);
    ``language``: whether to identify its language (see :func:`provenance.extract.extract`)."""
    try:
        article = extract(raw, language=language)
    except RecursionError:
        return Skipped(raw.location, "markup nested too deeply to extract")
    if len(article.text) > MAX_TEXT:
        return Skipped(
            raw.location, f"text too long for one article: {len(article.text):,} characters (at most {MAX_TEXT:,})"
        )
    fp = fingerprint(article.text, params)
    if fp.empty:
        return Skipped(raw.location, "no article text found (only page boilerplate)")
    if fp.tokens < MIN_WORDS:
        return Skipped(raw.location, f"too short for an article: fewer than {MIN_WORDS} words")
    where = places(article.publisher, article.url, article.canonical_url, template=article.template)
    return Prepared(article, fp, profile(article.text, fp, where), raw_digest(raw))


def probe_of(article_id: int, prepared: Prepared, params: Params) -> Probe:
    """A prepared article's keys, for candidate search (see :mod:`provenance.candidates`)."""
    fp = prepared.fp
    return Probe(article_id, band_keys(fp.signature, params), fp.content_hash, word_keys(prepared.profile.bigrams))


def _store_batch(
    store: Store,
    batch: list[Prepared],
    skipped: list[Skipped],
    result: IngestResult,
    cache: ProfileCache,
    policy: MatchPolicy,
    carried: Collection[str] = (),
    align_all: Callable[[list[AlignJob]], list[Alignment]] = align_here,
) -> None:
    """Store a batch in one transaction; ``carried``: keys counted already in this run (a key
    given again), which are stored but not counted again; ``align_all``: what aligns the new
    links (here, or shared with the workers)."""
    params = store.params
    with store.write():
        cache.check()
        store.record_skipped(skipped)
        store.forget_skipped(p.article.location for p in batch)
        stored = store.find_keys([p.article.key for p in batch])
        fresh: dict[int, Prepared] = {}
        touched: set[int] = set()
        for prepared in batch:
            article, fp = prepared.article, prepared.fp
            old = stored.get(article.key)
            counted = article.key not in carried
            if old is not None and old.content_hash == fp.content_hash:
                result.unchanged += counted
                if prepared.raw_hash is not None and old.raw_hash != prepared.raw_hash:
                    store.set_raw_hash(old.id, prepared.raw_hash, article.file)  # known before extraction next time
                continue
            moved = store.moved_file(fp.content_hash, article.file) if old is None and article.file else None
            if moved is not None and article.file:  # the same file, moved or renamed: its article follows it
                store.move(moved.id, article.key, article.location, article.file, prepared.raw_hash)
                result.unchanged += counted
                result.moved += counted
                continue
            words = len(word_keys(prepared.profile.bigrams))
            if old is not None:
                touched |= store.replace_article(old.id, article, fp, prepared.raw_hash, words)
                article_id = old.id
                result.updated += counted
            else:
                article_id = store.insert_article(article, fp, prepared.raw_hash, words)
                result.new += counted
            fresh[article_id] = prepared
            cache.put(article_id, prepared.profile)
        if not fresh:
            return
        probes = [probe_of(i, p, params) for i, p in fresh.items()]
        store.add_indexes((probe.id, probe.bands, probe.words) for probe in probes)
        pairs = _verify(store, probes, cache, policy)
        store.add_pairs(pairs)
        # a duplicate repeats a text stored before it (earlier, or earlier in this batch)
        identical = {(p.a, p.b) for p in pairs if p.similarity == 1.0 and p.relation in ("exact", "version")}
        result.exact_duplicates += len({b if b in fresh else a for a, b in identical})
        copies = restructure(store, store.component(touched | fresh.keys()), cache, align_all)
        result.copies_linked += len(copies & fresh.keys())


def restructure(
    store: Store,
    group: set[int],
    cache: ProfileCache,
    align_all: Callable[[list[AlignJob]], list[Alignment]] = align_here,
) -> set[int]:
    """Plan the stories of a connected group of articles anew, with their origins and alignments,
    and write them in place of the old ones (``cache``: profiles at hand, to align with). Returns
    the copies among them (see :class:`~provenance.store.StoryCounts`)."""

    def bigrams(article: int) -> U32 | None:
        found = cache.get(article)
        return None if found is None else found.bigrams

    plans, origins, alignments = plan_group(
        store.nodes(group), store.pairs_among(group), store.facts(group), store.titled_texts,
        store.alignments(group), bigrams, store.policy, align_all,
    )  # fmt: skip
    store.replace_stories(group, plans, origins, alignments)
    return {m.article for plan in plans for m in plan.members} | {
        plan.canonical for plan in plans if not origins[plan.canonical].canonical_present
    }


def plan_group(
    nodes: Mapping[int, Node],
    pairs: Iterable[Pair],
    facts: Mapping[int, ArticleFacts],
    titled_texts: Callable[[set[int]], Mapping[int, tuple[str | None, str]]],
    known: Mapping[tuple[int, int], Alignment] | None = None,
    bigrams: Callable[[int], U32 | None] = lambda article: None,
    policy: MatchPolicy = DEFAULT_POLICY,
    align_all: Callable[[list[AlignJob]], list[Alignment]] = align_here,
) -> tuple[list[StoryPlan], dict[int, Origin], dict[tuple[int, int], Alignment]]:
    """The stories of a connected group of articles (its ``nodes`` and verified ``pairs``), each
    story's origin and each link's alignment: what ingest stores, and the Spark job writes.

    ``titled_texts`` reads (title, text) of the articles to align; ``known``: alignments kept from
    before; ``bigrams``: an article's content bigrams where they are at hand; ``policy``: the
    store's thresholds."""
    named = named_originals(facts[i] for i in nodes if i in facts)  # a page another names as its original
    nodes = {i: replace(node, named=True) if i in named else node for i, node in nodes.items()}
    # a page of the outlet its copies credit ("(CNN) -") ranks as the wire's own: before any date or key
    credited = {f.credit for i in nodes if i in facts and (f := facts[i]).credit}
    nodes = {
        i: replace(node, wire=True)
        if i in facts and any(published_by(facts[i].publisher, c, facts[i].url) for c in credited)
        else node
        for i, node in nodes.items()
    }
    pairs = list(pairs)
    # a wire's story through the day: the pairs of two sites' texts that credit one wire, which
    # plan_stories joins where each holds much of the other (an update and the text it updated)
    wire = [
        p for p in pairs
        if p.relation in ("wholly", "partially") and p.a in facts and p.b in facts
        and facts[p.a].credit and facts[p.a].credit == facts[p.b].credit
    ]  # fmt: skip
    plans = plan_stories(nodes, pairs, policy, wire)
    placed = {p.canonical for p in plans} | {m.article for p in plans for m in p.members}
    for article in sorted(set(nodes) - placed):  # a lone copy of a wire story whose original is absent
        credit, publisher = facts[article].credit, facts[article].publisher
        if credit and not published_by(publisher, credit):
            plans.append(StoryPlan(article, "the only copy at hand of an absent original", ()))
    alignments = dict(known or {})
    # each copy is aligned with the text it was measured against: its story's canonical, or the
    # version of it that it copies (see attribute.Member.via)
    wanted = [(m.via or p.canonical, m.article) for p in plans for m in p.members]
    needed = [pair for pair in dict.fromkeys(wanted) if pair not in alignments]
    texts = titled_texts({i for pair in needed for i in pair})
    jobs: list[AlignJob] = []
    for canonical, copy in needed:
        (copy_title, copy_text), (title, text) = texts[copy], texts[canonical]
        mine, theirs = bigrams(copy), bigrams(canonical)
        both = (mine, theirs) if mine is not None and theirs is not None else None
        jobs.append((copy_text, text, copy_title, title, both))
    alignments.update(zip(needed, align_all(jobs), strict=True))
    origins = {
        p.canonical: find_origin(
            facts[p.canonical],
            [facts[m.article] for m in p.members],
            {m.article: alignments[(m.via or p.canonical, m.article)].reuse for m in p.members},
            known=p.reason != ORIGINAL_UNKNOWN,
        )
        for p in plans
    }
    return plans, origins, alignments


def relink(
    store: Store, min_confidence: float, align_all: Callable[[list[AlignJob]], list[Alignment]] = align_here
) -> None:
    """Drop the verified pairs below ``min_confidence`` and plan every story again from those left:
    the store as an ingest at that confidence would have made it (the stories depend only on the
    articles and their pairs). The store keeps the new confidence as its own."""
    with store.write():
        store.db.execute("DELETE FROM matches WHERE confidence < ?", [min_confidence])
        store.db.execute("DELETE FROM links")
        store.db.execute("DELETE FROM stories")
        store.set_policy(replace(store.policy, min_confidence=min_confidence))
        cache = ProfileCache(store)
        for group in store.groups():
            restructure(store, group, cache, align_all)


def _verify(store: Store, probes: list[Probe], cache: ProfileCache, policy: MatchPolicy) -> list[Pair]:
    """The candidates of the fresh articles (see :mod:`provenance.candidates`), each verified on
    the two texts; word keys found too common to tell anything are retired."""
    found = candidates.find(probes, store)
    store.retire_words(found.common)
    return _verified(found.pairs(), cache, policy)


def _verified(candidates: set[tuple[int, int]], cache: ProfileCache, policy: MatchPolicy) -> list[Pair]:
    known = cache.get_many({i for pair in candidates for i in pair})
    kept = [(a, b) for a, b in sorted(candidates) if a in known and b in known and weighed(known[a], known[b], policy)]
    known.update(cache.complete({i: known[i] for pair in kept for i in pair}))  # most candidates never need it
    pairs = []
    for a, b in kept:
        found = verify(known[a], known[b], policy)
        if found is not None:
            pairs.append(Pair.of(a, b, found.relation, found.measures, found.confidence))
    return pairs
