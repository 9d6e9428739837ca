"""``provenance trace`` against a store: per-article latency in a warm process, and the CLI's start-up.

    python -m benchmarks.trace --articles N [--probes M] [--workdir DIR]

Uses the store and corpus that ``python -m benchmarks.ingest --articles N`` left in DIR (and runs
that first where they are missing). The probes are M new articles made from the corpus: copies
of stored stories with their last paragraph cut and a new key, and unrelated texts of a generator
with another seed. 50 other articles are traced first, to
warm the process (compiled kernels, the index's pages). Prints the median, 99th percentile and maximum time per
article, and the
wall time of a whole ``provenance trace`` command for one article (start-up included).
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
from provenance.trace import Trace, trace

from .corpus import Generator
from .ingest import corpus_file, store_file

_WARM_UP = 50  # probes traced before the clock starts (not counted)


def probes(corpus: Path, count: int) -> list[dict[str, str]]:
    made = []
    with corpus.open(encoding="utf-8") as lines:
        for n, line in enumerate(lines):
            if len(made) >= count // 2:
                break
            if n % 7:
                continue
            record = json.loads(line)
            paragraphs = record["text"].split("\n\n")
            record["text"] = "\n\n".join(paragraphs[:-1] if len(paragraphs) > 3 else paragraphs)
            record["id"] = f"probe-{record['id']}"
            made.append(record)
    made += [{"id": f"probe-new-{r.id}", "text": r.text} for r in Generator(99).records(count - len(made))]
    return made


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=5000)
    parser.add_argument("--probes", type=int, default=500)
    parser.add_argument("--workdir", type=Path, default=Path("benchmarks/.work"))
    args = parser.parse_args()
    print(f"$ python -m benchmarks.trace {' '.join(sys.argv[1:])}")
    store_path = store_file(args.workdir, args.articles)
    if not store_path.exists():
        command = [sys.executable, "-m", "benchmarks.ingest", "--articles", str(args.articles)]
        subprocess.run([*command, "--workdir", str(args.workdir)], check=True, stdout=subprocess.DEVNULL)
    corpus = corpus_file(args.workdir, args.articles)
    with tempfile.TemporaryDirectory() as tmp:
        feed = Path(tmp) / "probes.jsonl"
        feed.write_text("".join(json.dumps(p) + "\n" for p in probes(corpus, args.probes)), encoding="utf-8")
        warm = Path(tmp) / "warm.jsonl"
        others = Generator(98).records(_WARM_UP)
        warm.write_text("".join(json.dumps({"id": f"warm-{r.id}", "text": r.text}) + "\n" for r in others))
        one = Path(tmp) / "one.jsonl"
        one.write_text(feed.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")
        with Store.open(store_path, create=False) as store:
            list(trace(store, [str(warm)]))  # warm: compiled kernels, the index's pages
            times, found = [], 0
            start = time.perf_counter()
            for item in trace(store, [str(feed)]):
                now = time.perf_counter()
                times.append(now - start)
                found += isinstance(item, Trace) and bool(item.sources)
                start = now
        times.sort()
        p99 = times[min(len(times) - 1, int(0.99 * len(times)))]
        print(
            f"trace of {len(times)} articles against {args.articles:,} stored, warm process: "
            f"median {statistics.median(times) * 1e3:.1f} ms, p99 {p99 * 1e3:.1f} ms, max {times[-1] * 1e3:.1f} ms"
        )
        print(f"  articles with a source found: {found} (about half the probes are copies of stored stories)")
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
