"""A deterministic news-like text generator for benchmarks: Zipf-distributed vocabulary,
articles of 300-1,200 words in paragraphs."""

from __future__ import annotations

import numpy as np

_LETTERS = np.array(list("etaoinshrdlcumwfgypbvkjxqz"))


def vocabulary(size: int = 50_000, seed: int = 7) -> list[str]:
    rng = np.random.default_rng(seed)
    words: set[str] = set()
    while len(words) < size:
        length = int(rng.integers(2, 11))
        words.add("".join(rng.choice(_LETTERS, length)))
    return sorted(words)


def articles(count: int, seed: int = 11, vocab_size: int = 50_000) -> list[str]:
    """``count`` articles of 300-1,200 words, paragraphs of 40-120 words, Zipf word frequencies."""
    rng = np.random.default_rng(seed)
    words = np.array(vocabulary(vocab_size))
    texts = []
    for _ in range(count):
        n = int(rng.integers(300, 1201))
        ranks = np.minimum(rng.zipf(1.1, n), vocab_size) - 1
        tokens = words[ranks].tolist()
        paragraphs, start = [], 0
        while start < n:
            size = int(rng.integers(40, 121))
            paragraphs.append(" ".join(tokens[start : start + size]).capitalize() + ".")
            start += size
        texts.append("\n\n".join(paragraphs))
    return texts


def main() -> None:
    """Write generated articles as JSONL (the corpora format) on standard output."""
    import argparse
    import json
    import sys

    parser = argparse.ArgumentParser(description="Write generated news-like articles as JSONL.")
    parser.add_argument("--articles", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()
    for i, text in enumerate(articles(args.articles, seed=args.seed)):
        sys.stdout.write(json.dumps({"id": f"a{i}", "text": text}) + "\n")


if __name__ == "__main__":
    main()
