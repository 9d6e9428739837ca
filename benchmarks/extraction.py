"""Extraction measured on the development corpora, side by side with trafilatura alone.

    python -m benchmarks.extraction quality [--corpus DIR] [--limit N]
    python -m benchmarks.extraction speed   [--corpus DIR] [--limit N] [--repeat R]
    python -m benchmarks.extraction meter   [--corpus DIR]

quality: token-level precision, recall and F1 of the extracted headline and body against the
  hand-marked ``gold_text`` of an extraction corpus (l3s-gn1), for provenance's extract stage and
  for trafilatura alone (``bare_extraction`` with metadata: its title and text). Tokens are
  lower-case ASCII words; non-ASCII characters are dropped on both sides (the gold text has them
  replaced by '?').
speed: pages per second of each on the same pages, one process, median of ``--repeat`` runs, and
  the overhead of ours above trafilatura.
meter: on METER's PA wire stories, the share whose date (from the wire header "16:54 01/03/00")
  equals the corpus's ``published`` date, and the share whose byline ("By NAME, PA News", read by a
  strict pattern of its own) comes out as the article's first author, with PA as the credit.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import trafilatura

from provenance import RawDocument, extract

CORPORA = Path(__file__).resolve().parent.parent.parent / "shared" / "corpora"
_TOKEN = re.compile(r"[a-z0-9]+")


def tokens(text: str) -> Counter[str]:
    return Counter(_TOKEN.findall(text.encode("ascii", "ignore").decode().lower()))


def prf(predicted: str, gold: str) -> tuple[float, float, float]:
    p, g = tokens(predicted), tokens(gold)
    shared = sum((p & g).values())
    precision = shared / sum(p.values()) if p else 0.0
    recall = shared / sum(g.values()) if g else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def load(corpus: Path, limit: int | None) -> list[dict[str, Any]]:
    docs = []
    with (corpus / "documents.jsonl").open() as lines:
        for line in lines:
            docs.append(json.loads(line))
            if limit and len(docs) >= limit:
                break
    return docs


def ours(doc: dict[str, Any]) -> str:
    article = extract(RawDocument(doc["id"], doc["id"], "html", doc["html"], {"url": doc.get("url", "")}))
    return "\n".join(filter(None, [article.title, article.text]))


def trafilatura_alone(doc: dict[str, Any]) -> str:
    result = trafilatura.bare_extraction(doc["html"], url=doc.get("url"), with_metadata=True)
    if result is None:
        return ""
    return "\n".join(filter(None, [result.title, result.text]))  # type: ignore[union-attr]


def quality(args: argparse.Namespace) -> None:
    docs = load(args.corpus, args.limit)
    print(f"corpus: {args.corpus} ({len(docs)} pages with gold text)")
    for name, fn in (("trafilatura alone", trafilatura_alone), ("provenance extract", ours)):
        scores = [prf(fn(doc), doc["gold_text"]) for doc in docs]
        mean = [statistics.fmean(s[i] for s in scores) for i in range(3)]
        print(f"{name:20s} precision {mean[0]:.3f}  recall {mean[1]:.3f}  F1 {mean[2]:.3f}")


def speed(args: argparse.Namespace) -> None:
    docs = load(args.corpus, args.limit)
    ours(docs[0])  # load the language model once, outside the timing
    timings = {}
    for name, fn in (("trafilatura alone", trafilatura_alone), ("provenance extract", ours)):
        runs = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            for doc in docs:
                fn(doc)
            runs.append(time.perf_counter() - start)
        timings[name] = statistics.median(runs)
        print(f"{name:20s} {len(docs) / timings[name]:7.1f} pages/s (one process)")
    overhead = timings["provenance extract"] / timings["trafilatura alone"] - 1
    print(f"overhead of provenance above trafilatura: {overhead:+.1%} (median of {args.repeat} runs)")
    workers = os.cpu_count() or 1
    with ProcessPoolExecutor(workers) as pool:
        list(pool.map(ours, docs[:workers]))  # start the workers
        start = time.perf_counter()
        list(pool.map(ours, docs, chunksize=4))
        elapsed = time.perf_counter() - start
    print(f"provenance extract   {len(docs) / elapsed:7.1f} pages/s ({workers} processes)")


_PA_BYLINE = re.compile(r"^\W*By ([A-Z][\w'.-]+(?: [A-Z][\w'.-]+)+),[^<\n]*PA News", re.M)


def meter(args: argparse.Namespace) -> None:
    docs = [d for d in load(args.corpus, None) if d.get("role") == "wire"]
    dates = bylines = credited = with_byline = 0
    for doc in docs:
        article = extract(RawDocument(doc["id"], doc["id"], "text", doc["text"]))
        dates += (article.published or "")[:10] == doc.get("published")
        credited += article.credit == "PA"
        expected = _PA_BYLINE.search(doc["text"])
        if expected:
            with_byline += 1
            bylines += bool(article.authors) and article.authors[0] == expected.group(1)
    print(f"corpus: {args.corpus} ({len(docs)} PA wire stories)")
    print(f"dates right:   {dates}/{len(docs)} = {dates / len(docs):.1%}")
    print(f"bylines right: {bylines}/{with_byline} = {bylines / with_byline:.1%} (stories with a PA News byline)")
    print(f"credit PA:     {credited}/{len(docs)} = {credited / len(docs):.1%}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("measure", choices=["quality", "speed", "meter"])
    parser.add_argument("--corpus", type=Path)
    parser.add_argument("--limit", type=int)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    if args.corpus is None:
        args.corpus = CORPORA / ("meter-dev" if args.measure == "meter" else "l3s-gn1")
    {"quality": quality, "speed": speed, "meter": meter}[args.measure](args)


if __name__ == "__main__":
    main()
