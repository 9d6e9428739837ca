"""Fit the link decision on labelled corpora, leaving one corpus out at a time.

    python -m provenance.calibrate ../shared/corpora/* --out provenance/data/decision.json

Each corpus (in the format of ``corpora/FORMAT.md``) is ingested into a temporary store with every
pair that passes the cheap floor kept (``min_confidence`` 0), and each pair that is not two
identical texts (those need no decision) is read as :class:`~provenance.evidence.Features` with a
label, where the corpus gives one:

- ``labels.jsonl``: a pair labelled ``wholly`` or ``partially`` derives, ``non`` does not;
- ``group`` (an event, a topic, METER's catchline): a pair across groups does not derive; inside
  a group, a wire (``role`` ``wire``) and a newspaper's story derive (METER: "a link inside the
  group is very probably right"); other pairs inside a group are not labelled;
- neither (a corpus of independent outlets): a pair of two publishers does not derive, unless half
  of the shorter story text stands in the other in runs of 12 words (the few real copies such a
  corpus holds); two pages of one publisher are not labelled.

A logistic regression (L2-penalised, Newton's method) is fitted on the features, standardised,
with each corpus weighing the same in all. Leaving each corpus out in turn, the regression fitted
on the others scores it: its log loss and the precision and recall of "derives" at several
confidences, printed as a table. The weights fitted on all corpora are written as JSON.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np

from .evidence import Decision, Features
from .match import DEFAULT_POLICY, features, story_text, story_words
from .pipeline import ProfileCache, ingest
from .store import Store

THRESHOLDS = (0.3, 0.5, 0.7, 0.8, 0.9, 0.95)
TARGET_PRECISION = 0.95  # the default operating point: the lowest confidence that keeps pairs this precise
_COPY_RUN = 12  # words of the runs that make a real copy in an unlabelled corpus of outlets
_L2 = 30.0
# what the decision weighs (of Features): evidence a reader can check, each pulling one way
WEIGHED = ("sentences", "sentences_in_order", "support", "in_order", "ratio")


@dataclass(frozen=True)
class Example:
    corpus: str
    a: str
    b: str
    features: Features
    label: int


def _documents(folder: Path) -> dict[str, dict[str, Any]]:
    found = {}
    with (folder / "documents.jsonl").open(encoding="utf-8") as lines:
        for line in lines:
            record = json.loads(line)
            found[record["id"]] = {k: v for k, v in record.items() if k not in ("text", "html", "gold_text")}
    return found


def _labels(folder: Path) -> dict[frozenset[str], int]:
    path = folder / "labels.jsonl"
    if not path.is_file():
        return {}
    found = {}
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            record = json.loads(line)
            if record.get("label") in ("wholly", "partially", "non"):
                found[frozenset((record["a"], record["b"]))] = int(record["label"] != "non")
    return found


def gather(folder: str | Path, workers: int = 1) -> list[Example]:
    """The labelled pairs of one corpus with their features (see the module docstring)."""
    folder = Path(folder)
    meta, labels = _documents(folder), _labels(folder)
    grouped = any("group" in record for record in meta.values())
    examples = []
    policy = replace(DEFAULT_POLICY, min_confidence=0.0)
    with (
        tempfile.TemporaryDirectory(prefix="provenance-fit-") as tmp,
        Store.open(Path(tmp) / "fit.db", policy=policy) as store,
    ):
        ingest(store, [str(folder / "documents.jsonl")], workers=workers)
        keys = dict(store.db.execute("SELECT id, key FROM articles").fetchall())
        pairs = store.db.execute("SELECT a_id, b_id, relation FROM matches WHERE relation NOT IN ('exact')").fetchall()
        hashes = dict(store.db.execute("SELECT id, content_hash FROM articles").fetchall())
        cache = ProfileCache(store)
        for a, b, relation in pairs:
            if hashes[a] == hashes[b]:
                continue
            first, second = cache.get_many([a, b], ordered=True).values()
            found, _ = features(first, second)
            ka, kb = keys[a], keys[b]
            label = labels.get(frozenset((ka, kb)))
            if label is None and relation != "version" and (not labels or grouped):
                texts = store.texts([a, b])
                words = [story_words(story_text(texts[i][0]))[0] for i in (a, b)]
                label = _label_by_group(meta[ka], meta[kb], grouped, *words)
            if label is not None:
                examples.append(Example(folder.name, ka, kb, found, label))
    return examples


def _label_by_group(a: dict[str, Any], b: dict[str, Any], grouped: bool, words_a: Any, words_b: Any) -> int | None:
    if grouped:
        if a.get("group") != b.get("group"):
            return 0
        roles = {a.get("role"), b.get("role")}
        return 1 if roles == {"wire", "newspaper"} else None
    if (a.get("publisher") or "") == (b.get("publisher") or ""):
        return None
    short, long_ = sorted((words_a, words_b), key=len)
    return None if _in_runs(short, long_) * 2 >= len(short) else 0


def _grams(words: np.ndarray, n: int) -> np.ndarray:
    """A hash of each run of ``n`` words (``words``: their 32-bit hashes, in order)."""
    count = len(words) - n + 1
    found = np.zeros(max(count, 0), np.uint64)
    with np.errstate(over="ignore"):
        for k in range(n if count > 0 else 0):
            found = found * np.uint64(0x100000001B3) + words[k : k + count].astype(np.uint64)
    return found


def _in_runs(text: np.ndarray, other: np.ndarray, n: int = _COPY_RUN) -> int:
    """The words of ``text`` inside a run of ``n`` words that ``other`` holds too."""
    hit = np.isin(_grams(text, n), _grams(other, n))
    inside = np.zeros(len(text) + 1, np.int64)
    np.add.at(inside, np.flatnonzero(hit), 1)
    np.add.at(inside, np.flatnonzero(hit) + n, -1)
    return int((np.cumsum(inside[:-1]) > 0).sum())


def read_examples(path: str | Path) -> list[Example]:
    """Examples as ``--examples`` writes them (gathered once, fitted again without ingesting)."""
    found = []
    with open(path, encoding="utf-8") as lines:
        for line in lines:
            record = json.loads(line)
            values = Features(*(float(record[name]) for name in Features.names()))
            found.append(Example(record["corpus"], record["a"], record["b"], values, int(record["label"])))
    return found


def _matrix(examples: Sequence[Example]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    x = np.array([[getattr(e.features, name) for name in WEIGHED] for e in examples], float)
    y = np.array([e.label for e in examples], float)
    corpora = sorted({e.corpus for e in examples})
    size = {c: sum(1 for e in examples if e.corpus == c) for c in corpora}
    w = np.array([len(examples) / (len(corpora) * size[e.corpus]) for e in examples], float)
    return x, y, w


def fit(examples: Sequence[Example], l2: float = _L2) -> Decision:
    """An L2-penalised logistic regression on the examples' standardised features."""
    x, y, w = _matrix(examples)
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale == 0] = 1.0
    z = np.hstack([np.ones((len(x), 1)), (x - mean) / scale])
    beta = np.zeros(z.shape[1])
    penalty = np.full(z.shape[1], l2)
    penalty[0] = 0.0
    for _ in range(100):
        p = 1 / (1 + np.exp(-np.clip(z @ beta, -30, 30)))
        gradient = z.T @ (w * (p - y)) + penalty * beta
        hessian = (z * (w * p * (1 - p))[:, None]).T @ z + np.diag(penalty)
        step = np.linalg.solve(hessian, gradient)
        beta -= step
        if np.abs(step).max() < 1e-9:
            break
    return Decision(
        WEIGHED,
        tuple(round(float(v), 6) for v in mean),
        tuple(round(float(v), 6) for v in scale),
        tuple(round(float(v), 6) for v in beta[1:]),
        round(float(beta[0]), 6),
        {},
    )


def scores(decision: Decision, examples: Iterable[Example]) -> dict[str, Any]:
    """Log loss, and precision and recall of "derives" at each of :data:`THRESHOLDS`."""
    found = [(decision.confidence(e.features), e.label) for e in examples]
    loss = -sum(math.log(max(p if y else 1 - p, 1e-12)) for p, y in found) / max(len(found), 1)
    curve = {}
    for t in THRESHOLDS:
        tp = sum(1 for p, y in found if p >= t and y)
        fp = sum(1 for p, y in found if p >= t and not y)
        fn = sum(1 for p, y in found if p < t and y)
        curve[str(t)] = {
            "precision": round(tp / (tp + fp), 3) if tp + fp else None,
            "recall": round(tp / (tp + fn), 3) if tp + fn else None,
            "kept": tp + fp,
        }
    return {
        "pairs": len(found),
        "derived": sum(y for _, y in found),
        "log_loss": round(loss, 4),
        "curve": curve,
    }


def operating_point(decision: Decision, examples: Sequence[Example], target: float = TARGET_PRECISION) -> float:
    """The lowest confidence (in steps of 0.05) at which the pairs kept, pooled over the corpora,
    are ``target`` precise: the default ``--min-confidence``."""
    found = [(decision.confidence(e.features), e.label) for e in examples]
    for step in range(1, 20):
        threshold = step / 20
        kept = [label for p, label in found if p >= threshold]
        if kept and sum(kept) >= target * len(kept):
            return threshold
    return 0.95


def cross_validate(examples: Sequence[Example]) -> dict[str, dict[str, Any]]:
    """Each corpus scored by the regression fitted on the others."""
    corpora = sorted({e.corpus for e in examples})
    return {
        held: scores(fit([e for e in examples if e.corpus != held]), [e for e in examples if e.corpus == held])
        for held in corpora
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m provenance.calibrate", description=__doc__.split("\n\n")[0])
    parser.add_argument("corpora", nargs="+", help="corpus folders (documents.jsonl, labels.jsonl)")
    parser.add_argument("--out", default=None, help="where to write the fitted decision (JSON)")
    parser.add_argument("--examples", default=None, help="write the labelled pairs' features here (JSONL)")
    parser.add_argument("--workers", "-j", type=int, default=1)
    args = parser.parse_args(argv)
    examples: list[Example] = []
    for folder in args.corpora:
        found = read_examples(folder) if folder.endswith(".jsonl") else gather(folder, args.workers)
        print(
            f"{Path(folder).name}: {len(found)} labelled pairs, {sum(e.label for e in found)} derived", file=sys.stderr
        )
        examples.extend(found)
    if args.examples:
        with open(args.examples, "w", encoding="utf-8") as out:
            for e in examples:
                values = dict(zip(Features.names(), e.features.values(), strict=True))
                out.write(json.dumps({"corpus": e.corpus, "a": e.a, "b": e.b, "label": e.label, **values}) + "\n")
    validated = cross_validate(examples)
    print(f"{'left out':<18} {'pairs':>6} {'derived':>7} {'log loss':>8}  " + "  ".join(f"{t:>9}" for t in THRESHOLDS))
    for corpus, s in validated.items():
        cells = [_point(s["curve"][str(t)], bool(s["derived"])) for t in THRESHOLDS]
        print(f"{corpus:<18} {s['pairs']:>6} {s['derived']:>7} {s['log_loss']:>8.3f}  " + "  ".join(cells))
    decision = fit(examples)
    point = operating_point(decision, examples)
    fitted = Decision(decision.names, decision.mean, decision.scale, decision.weights, decision.intercept, {
        "corpora": {c: sum(1 for e in examples if e.corpus == c) for c in sorted({e.corpus for e in examples})},
        "l2": _L2,
        "target_precision": TARGET_PRECISION,
        "leave_one_corpus_out": validated,
    }, point)  # fmt: skip
    for name, weight in zip(decision.names, decision.weights, strict=True):
        print(f"  {name:<16} {weight:+.3f}")
    print(f"  {'intercept':<16} {decision.intercept:+.3f}")
    print(f"default --min-confidence {point} (pooled precision >= {TARGET_PRECISION} on these corpora)")
    if args.out:
        Path(args.out).write_text(json.dumps(fitted.to_dict(), indent=1) + "\n", encoding="utf-8")
    return 0


def _point(point: dict[str, Any], derived: bool) -> str:
    """Precision/recall at one threshold; for a corpus with nothing derived, the pairs kept (all false)."""
    if not derived:
        return f"{point['kept']} kept".rjust(9)
    cells = ["-" if point[k] is None else f"{point[k]:.2f}" for k in ("precision", "recall")]
    return "/".join(cells).rjust(9)


if __name__ == "__main__":
    sys.exit(main())
