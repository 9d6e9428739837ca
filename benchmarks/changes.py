"""Word-level changes of a long copy: rapidfuzz (what :mod:`provenance.changes` uses) against
difflib and diff-match-patch, for speed and for how closely each finds the edits made.

    python -m benchmarks.changes [--words N] [--edits K] [--trials T]

Each trial joins generated paragraphs (benchmarks.corpus) into a source of about N words and makes
a copy of it with K single-word edits at random places (a third each replaced, deleted and
inserted), then asks each library for the runs of words by which the copy differs. Prints the
time per comparison and the words each marks as changed, against the K made: a diff that finds
more is splitting one edit into several, or taking unchanged words for changed.
diff-match-patch (``pip install diff-match-patch``) is compared where it is installed: it diffs
characters, so words are mapped to one character each first (its documented line mode).
"""

from __future__ import annotations

import argparse
import difflib
import random
import statistics
import sys
import time
from collections.abc import Callable

from rapidfuzz.distance import Levenshtein

from .corpus import Generator

Diff = Callable[[list[str], list[str]], int]  # the words marked changed


def with_rapidfuzz(a: list[str], b: list[str]) -> int:
    return sum(
        max(op.src_end - op.src_start, op.dest_end - op.dest_start)
        for op in Levenshtein.opcodes(a, b)
        if op.tag != "equal"
    )


def with_difflib(autojunk: bool) -> Diff:
    def diff(a: list[str], b: list[str]) -> int:
        matcher = difflib.SequenceMatcher(None, a, b, autojunk=autojunk)
        return sum(max(i2 - i1, j2 - j1) for tag, i1, i2, j1, j2 in matcher.get_opcodes() if tag != "equal")

    return diff


def with_diff_match_patch() -> Diff | None:
    try:
        from diff_match_patch import diff_match_patch
    except ImportError:
        return None
    dmp = diff_match_patch()
    dmp.Diff_Timeout = 0

    def diff(a: list[str], b: list[str]) -> int:
        codes: dict[str, str] = {}
        encode = lambda words: "".join(codes.setdefault(w, chr(0x100 + len(codes))) for w in words)  # noqa: E731
        ops = dmp.diff_main(encode(a), encode(b), False)
        changed = 0
        pending = {-1: 0, 1: 0}
        for op, text in [*ops, (0, "")]:
            if op == 0:
                changed += max(pending[-1], pending[1])
                pending = {-1: 0, 1: 0}
            else:
                pending[op] += len(text)
        return changed

    return diff


def trial(rng: random.Random, generator: Generator, words: int, edits: int) -> tuple[list[str], list[str]]:
    source: list[str] = []
    for record in generator.records(1_000):
        source += record.text.split()
        if len(source) >= words:
            break
    copy = list(source[:words])
    vocabulary = sorted(set(copy))
    for n in range(edits):
        at = rng.randrange(len(copy))
        if n % 3 == 0:
            copy[at] = rng.choice(vocabulary) + "x"
        elif n % 3 == 1:
            del copy[at]
        else:
            copy.insert(at, rng.choice(vocabulary) + "y")
    return source[:words], copy


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--words", type=int, default=1500)
    parser.add_argument("--edits", type=int, default=30)
    parser.add_argument("--trials", type=int, default=20)
    args = parser.parse_args()
    print(f"$ python -m benchmarks.changes {' '.join(sys.argv[1:])}")
    rng = random.Random(7)  # noqa: S311 (where the edits fall, not a secret)
    pairs = [trial(rng, Generator(seed), args.words, args.edits) for seed in range(args.trials)]
    libraries: list[tuple[str, Diff | None]] = [
        ("rapidfuzz Levenshtein.opcodes", with_rapidfuzz),
        ("difflib SequenceMatcher", with_difflib(True)),
        ("difflib, autojunk off", with_difflib(False)),
        ("diff-match-patch (words as chars)", with_diff_match_patch()),
    ]
    print(f"a copy of {args.words} words with {args.edits} one-word edits, {args.trials} trials:")
    for name, diff in libraries:
        if diff is None:
            print(f"  {name:34s} not installed")
            continue
        times, found = [], []
        for a, b in pairs:
            start = time.perf_counter()
            found.append(diff(a, b))
            times.append(time.perf_counter() - start)
        print(
            f"  {name:34s} {statistics.median(times) * 1e3:8.2f} ms a copy; "
            f"words marked changed {statistics.median(found):.0f} (edits made {args.edits})"
        )


if __name__ == "__main__":
    main()
