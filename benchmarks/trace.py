"""``provenance trace`` against a store: per-article latency in a warm process, and the CLI's start-up.

    python -m benchmarks.trace --articles N [--probes M] [--workdir DIR]

Uses the store and corpus that ``python -m benchmarks.ingest --articles N`` left in DIR (and runs
that first where they are missing). The probes are M new articles made from the corpus: copies
of stored stories with their last paragraph cut and a new key, and unrelated texts of a generator
with another seed. 50 other articles of the same two kinds are traced first, to warm the process
(compiled kernels, those that verify and align sources included; the index's pages). Prints the
median, 99th percentile and maximum time per article, the CPU time of each stage of a trace (over
all probes, and over the slowest 2%), and the wall time of a whole ``provenance trace`` command
for one article (start-up included).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from provenance import Store
from provenance.fingerprint import load_compiled
from provenance.trace import Trace, trace

from .corpus import Generator
from .ingest import corpus_file, ingested_store
from .stages import TRACE_STAGES, Stages

_WARM_UP = 50  # probes traced before the clock starts (not counted)


def probes(corpus: Path, count: int, name: str = "probe", seed: int = 99, phase: int = 0) -> list[dict[str, str]]:
    """``count`` articles to trace: half of them copies of the corpus's lines ``phase`` modulo 7
    (their last paragraph cut, a new key), half new texts of a generator of ``seed``."""
    made: list[dict[str, str]] = []
    with corpus.open(encoding="utf-8") as lines:
        for n, line in enumerate(lines):
            if len(made) >= count // 2:
                break
            if n % 7 != phase:
                continue
            record = json.loads(line)
            paragraphs = record["text"].split("\n\n")
            record["text"] = "\n\n".join(paragraphs[:-1] if len(paragraphs) > 3 else paragraphs)
            record["id"] = f"{name}-{record['id']}"
            made.append(record)
    made += [{"id": f"{name}-new-{r.id}", "text": r.text} for r in Generator(seed).records(count - len(made))]
    return made


def where_the_time_goes(
    times: list[float], spent: list[dict[str, float]], sources: list[int], labels: list[str]
) -> list[str]:
    """Each stage's CPU time an article (from :class:`Stages`' running totals after each article),
    over all articles and over the slowest 2% (the p99's tail), with their sources shown."""
    each = [
        {k: v - (spent[i - 1].get(k, 0.0) if i else 0.0) for k, v in totals.items()} for i, totals in enumerate(spent)
    ]
    slowest = sorted(range(len(times)), key=times.__getitem__)[-max(1, len(times) // 50) :]
    lines = [f"  {'CPU an article (ms)':38s} {'all':>6s} {'slowest 2%':>11s}"]
    for label in labels:
        mean = sum(e.get(label, 0.0) for e in each) / max(len(each), 1)
        tail = sum(each[i].get(label, 0.0) for i in slowest) / len(slowest)
        lines.append(f"    {label:36s} {mean * 1e3:6.2f} {tail * 1e3:11.2f}")
    shown = sum(sources) / max(len(sources), 1), sum(sources[i] for i in slowest) / len(slowest)
    lines.append(f"    {'sources shown':36s} {shown[0]:6.1f} {shown[1]:11.1f}")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=5000)
    parser.add_argument("--probes", type=int, default=500)
    parser.add_argument("--workdir", type=Path, default=Path("benchmarks/.work"))
    args = parser.parse_args()
    print(f"$ python -m benchmarks.trace {' '.join(sys.argv[1:])}")
    store_path = ingested_store(args.workdir, args.articles)
    corpus = corpus_file(args.workdir, args.articles)
    with tempfile.TemporaryDirectory() as tmp:
        feed = Path(tmp) / "probes.jsonl"
        feed.write_text("".join(json.dumps(p) + "\n" for p in probes(corpus, args.probes)), encoding="utf-8")
        warm = Path(tmp) / "warm.jsonl"
        warm.write_text("".join(json.dumps(p) + "\n" for p in probes(corpus, _WARM_UP, "warm", 98, 3)))
        one = Path(tmp) / "one.jsonl"
        one.write_text(feed.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")
        with Store.open(store_path, create=False) as store:
            load_compiled()  # a warm process: it has traced enough articles to load them
            list(trace(store, [str(warm)]))  # warm: compiled kernels, the index's pages
            times, spent, sources = [], [], []
            with Stages(TRACE_STAGES) as stages:
                start = time.perf_counter()
                for item in trace(store, [str(feed)]):
                    now = time.perf_counter()
                    times.append(now - start)
                    spent.append(dict(stages.cpu))
                    sources.append(len(item.sources) if isinstance(item, Trace) else 0)
                    start = now
        ordered = sorted(times)
        p99 = ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))]
        print(
            f"trace of {len(times)} articles against {args.articles:,} stored, warm process: "
            f"median {statistics.median(times) * 1e3:.1f} ms, p99 {p99 * 1e3:.1f} ms, max {ordered[-1] * 1e3:.1f} ms"
        )
        found = sum(n > 0 for n in sources)
        print(f"  articles with a source found: {found} (about half the probes are copies of stored stories)")
        print("\n".join(where_the_time_goes(times, spent, sources, stages.labels())))
        walls = []
        for _ in range(3):
            start = time.perf_counter()
            subprocess.run(
                ["provenance", "trace", str(one), "--db", str(store_path)], check=True, stdout=subprocess.DEVNULL
            )
            walls.append(time.perf_counter() - start)
        begin = time.perf_counter()
        subprocess.run(["provenance", "--help"], check=True, stdout=subprocess.DEVNULL)
        help_wall = time.perf_counter() - begin
    print(
        f"CLI: 'provenance trace' of one article {statistics.median(walls):.2f} s wall (median of 3), "
        f"of which start-up ('provenance --help') {help_wall:.2f} s"
    )


if __name__ == "__main__":
    main()
