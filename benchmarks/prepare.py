"""What a worker does to each document, in one process: extract, fingerprint and profile.

    python -m benchmarks.prepare [--articles N] [--repeat R]

The documents are the first N records of a generated corpus (page dumps: the site's menus and
notices around the story, see :mod:`benchmarks.corpus`), prepared as ingest's workers prepare
them (:func:`provenance.pipeline.prepare`, the language identified, each read from a JSONL feed
as ingest reads it). Prints the best of ``--repeat`` runs in milliseconds a document.
Side by side with another version: ``PYTHONPATH=OTHER python /path/to/benchmarks/prepare.py``
run from OTHER's checkout."""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from benchmarks.corpus import Generator  # (absolute: the script also runs from another checkout)
from provenance.extract.language import load_language_model
from provenance.fingerprint import DEFAULT_PARAMS, load_compiled
from provenance.models import RawDocument
from provenance.pipeline import prepare
from provenance.sources import read_inputs


def documents(count: int) -> list[RawDocument]:
    """The first ``count`` records of the generated corpus, read as ingest reads a feed."""
    with tempfile.TemporaryDirectory() as tmp:
        feed = Generator(11).write(Path(tmp) / "corpus.jsonl", count)
        return [doc for doc in read_inputs([str(feed)]) if isinstance(doc, RawDocument)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=3000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print(f"$ python -m benchmarks.prepare --articles {args.articles} --repeat {args.repeat}")
    docs = documents(args.articles)
    load_compiled()
    load_language_model()
    for doc in docs[:50]:  # warm: compiled kernels, caches
        prepare(doc, DEFAULT_PARAMS)
    best = float("inf")
    for _ in range(args.repeat):
        start = time.perf_counter()
        for doc in docs:
            prepare(doc, DEFAULT_PARAMS)
        best = min(best, time.perf_counter() - start)
    print(f"prepare: {best / len(docs) * 1e3:.3f} ms a document (best of {args.repeat}, {len(docs)} documents)")


if __name__ == "__main__":
    main()
