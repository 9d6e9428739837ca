"""Score the links on a corpus in the development corpora's format (``corpora/FORMAT.md``).

The corpus's ``documents.jsonl`` is ingested into a temporary store with every pair above the
floor weighed; the *curve* is drawn from them (at each of :data:`THRESHOLDS`, the pairs kept and
what the corpus tells of them: precision and recall on its labelled pairs, pairs across its
groups, its newspapers with a pair to a wire of their group); then the store is linked again at
the policy's ``min_confidence`` (:func:`provenance.pipeline.relink`: what an ingest at that
confidence makes) and its links scored, by what the corpus labels (``compilation`` counts as
``partially``):

- labelled pairs (``labels.jsonl``: ``a``, ``b``, ``label`` of ``wholly``, ``partially``,
  ``non``): each pair's relation in the store (``exact`` counts as ``wholly``; no verified pair as
  ``non``) against its label: precision, recall and F1 of *derived* (wholly or partially) against
  non-derived, and the macro-F1 over the classes the labels hold (of the three); of the stories, how many pairs
  labelled ``wholly`` (republications) share a story, and how many labelled ``non`` do (two
  different stories merged), and the pairwise precision and recall of sharing a story; and of the
  story links (each member against its story's canonical, as the report shows them), the
  precision of each relation on the labelled ones, and precision, recall and F1 with every link
  outside the labelled pairs counted false (a stray link);
- groups (documents with ``group``, and ``role`` of ``wire`` or ``newspaper``, as in METER): the
  share of story links whose two articles are in the same group (a link across groups is wrong),
  and the share of newspaper articles in a story with a wire article;
- clusters (documents with ``cluster``): the adjusted Rand index of the stories (an article in
  no story is a cluster of its own) against the given clusters.
"""

from __future__ import annotations

import json
import tempfile
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from math import comb
from pathlib import Path
from typing import Any

from ._exceptions import ProvenanceError
from .match import DEFAULT_POLICY, MatchPolicy
from .pipeline import ingest, relink
from .store import Store

CLASSES = ("wholly", "partially", "non")
_AS_CLASS = {"exact": "wholly", "wholly": "wholly", "partially": "partially", "compilation": "partially",
             "version": "wholly"}  # fmt: skip


@dataclass(frozen=True)
class PairScores:
    pairs: int
    precision: float  # of derived against non-derived
    recall: float
    f1: float
    macro_f1: float  # over the classes the labels hold (a class no pair is labelled with has no F1)
    per_class: dict[str, float]  # F1 of each class the labels hold
    confusion: dict[str, dict[str, int]]  # label -> relation found -> count
    wholly_together: int = 0  # pairs labelled wholly whose two articles share a story
    wholly: int = 0
    non_together: int = 0  # pairs labelled non whose two articles share a story
    non: int = 0
    partially_together: int = 0  # pairs labelled partially whose two articles share a story
    links: dict[str, dict[str, int]] = field(default_factory=dict)  # link relation -> label (or "unlabelled") -> count
    link_precision: float = 0.0  # links whose pair is labelled derived, of all links (stray links false)
    link_recall: float = 0.0  # pairs labelled derived that are a link
    link_f1: float = 0.0

    @property
    def together_precision(self) -> float:
        """Of the labelled pairs in a common story, the share labelled derived."""
        derived = self.wholly_together + self.partially_together
        return derived / (derived + self.non_together) if derived + self.non_together else 0.0

    @property
    def together_recall(self) -> float:
        """Of the pairs labelled derived, the share in a common story."""
        derived = self.pairs - self.non
        return (self.wholly_together + self.partially_together) / derived if derived else 0.0

    def link_precision_of(self, relation: str) -> float | None:
        """Of the links of ``relation`` whose pair is labelled, the share labelled derived."""
        counts = self.links.get(relation, {})
        labelled = sum(n for label, n in counts.items() if label in CLASSES)
        return (counts.get("wholly", 0) + counts.get("partially", 0)) / labelled if labelled else None


@dataclass(frozen=True)
class GroupScores:
    links: int
    inside: int  # links whose two articles share a group
    newspapers: int
    newspapers_linked: int  # newspaper articles in a story with a wire article

    @property
    def inside_share(self) -> float:
        return self.inside / self.links if self.links else 1.0

    @property
    def linked_share(self) -> float:
        return self.newspapers_linked / self.newspapers if self.newspapers else 0.0


THRESHOLDS = (0.1, 0.3, 0.5, 0.7, 0.8, 0.9, 0.95)  # the confidences the curve is drawn at


@dataclass(frozen=True)
class CurvePoint:
    """What the store would hold with links made at one confidence (pair by pair)."""

    threshold: float
    pairs: int  # verified pairs kept (two identical texts always are)
    precision: float | None = None  # of the labelled pairs kept, the share labelled derived
    recall: float | None = None  # of the pairs labelled derived, the share kept
    across: int | None = None  # pairs kept whose two articles are in different groups (wrong)
    newspapers_linked: float | None = None  # share of newspaper articles with a pair kept to a wire of their group


@dataclass(frozen=True)
class Evaluation:
    corpus: str
    documents: int
    skipped: int
    stories: int
    links: int
    pairs: PairScores | None = None
    groups: GroupScores | None = None
    adjusted_rand: float | None = None
    notes: list[str] = field(default_factory=list)
    min_confidence: float = 0.0
    curve: list[CurvePoint] = field(default_factory=list)
    across_publishers: int | None = None  # links between two publishers, for a corpus with neither labels nor groups

    def as_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "corpus": self.corpus,
            "documents": self.documents,
            "skipped": self.skipped,
            "stories": self.stories,
            "links": self.links,
            "min_confidence": self.min_confidence,
            "curve": [point.__dict__ for point in self.curve],
        }
        if self.across_publishers is not None:
            data["across_publishers"] = self.across_publishers
        if self.pairs is not None:
            p = self.pairs
            data["pairs"] = {
                **p.__dict__,
                "together_precision": p.together_precision,
                "together_recall": p.together_recall,
                "link_precision_of": {r: p.link_precision_of(r) for r in p.links},
            }
        if self.groups is not None:
            data["groups"] = {
                **self.groups.__dict__,
                "inside_share": self.groups.inside_share,
                "linked_share": self.groups.linked_share,
            }
        if self.adjusted_rand is not None:
            data["adjusted_rand"] = self.adjusted_rand
        return data


def evaluate(corpus: str | Path, *, policy: MatchPolicy = DEFAULT_POLICY, workers: int = 1) -> Evaluation:
    """Ingest ``corpus`` into a temporary store and score the links made (see the module docstring)."""
    folder = Path(corpus)
    documents = folder / "documents.jsonl"
    if not documents.is_file():
        raise ProvenanceError(f"{folder} holds no documents.jsonl: not a corpus in the corpora format")
    meta = {}
    with documents.open(encoding="utf-8") as lines:
        for line in lines:
            try:
                record = json.loads(line)
            except ValueError:
                continue
            if isinstance(record, dict) and isinstance(record.get("id"), str):
                meta[record["id"]] = record
    with (
        tempfile.TemporaryDirectory(prefix="provenance-eval-") as tmp,
        Store.open(Path(tmp) / "eval.db", policy=replace(policy, min_confidence=0.0)) as store,
    ):
        result = ingest(store, [str(documents)], workers=workers)  # every pair weighed, to draw the curve
        keys = dict(store.db.execute("SELECT id, key FROM articles").fetchall())
        weighed = {
            frozenset((keys[a], keys[b])): 1.0 if confidence is None else confidence
            for a, b, confidence in store.db.execute("SELECT a_id, b_id, confidence FROM matches")
        }
        relink(store, policy.min_confidence)
        relations = {
            frozenset((keys[a], keys[b])): relation
            for a, b, relation in store.db.execute("SELECT a_id, b_id, relation FROM matches")
        }
        rows = store.db.execute("SELECT story_id, article_id, relation FROM links").fetchall()
        stories = store.count("stories")
    links = [(keys[s], keys[a]) for s, a, _ in rows]
    labels = folder / "labels.jsonl"
    curve = _curve(weighed, meta, _labelled(labels) if labels.is_file() else {})
    evaluation = Evaluation(str(folder), len(meta), len(result.skipped), stories, len(links),
                            min_confidence=policy.min_confidence, curve=curve)  # fmt: skip
    if labels.is_file():
        linked = [(keys[s], keys[a], relation) for s, a, relation in rows]
        evaluation = _with(evaluation, pairs=_pair_scores(labels, relations, _stories_of(links), linked))
    if any("group" in record for record in meta.values()):
        evaluation = _with(evaluation, groups=_group_scores(meta, links))
    if not labels.is_file() and not any("group" in record for record in meta.values()):
        publishers = [{meta[k].get("publisher") for k in pair} for pair in links]
        evaluation = _with(evaluation, across_publishers=sum(1 for found in publishers if len(found) > 1))
    if any("cluster" in record for record in meta.values()):
        evaluation = _with(evaluation, adjusted_rand=_adjusted_rand(meta, links))
    return evaluation


def _labelled(labels: Path) -> dict[frozenset[str], bool]:
    """Each labelled pair: whether it is labelled derived."""
    found = {}
    with labels.open(encoding="utf-8") as lines:
        for line in lines:
            record = json.loads(line)
            if record.get("label") in CLASSES:
                found[frozenset((record["a"], record["b"]))] = record["label"] != "non"
    return found


def _curve(
    weighed: dict[frozenset[str], float], meta: dict[str, dict[str, Any]], labelled: dict[frozenset[str], bool]
) -> list[CurvePoint]:
    """Precision and recall of the pairs kept at each of :data:`THRESHOLDS`, as the corpus can
    tell them: on its labelled pairs, its groups, its newspapers."""
    grouped = any("group" in record for record in meta.values())
    newspapers = [key for key, record in meta.items() if record.get("role") == "newspaper"]
    points = []
    for threshold in THRESHOLDS:
        kept = [pair for pair, confidence in weighed.items() if confidence >= threshold]
        point = CurvePoint(threshold, len(kept))
        if labelled:
            found = [labelled[pair] for pair in kept if pair in labelled]
            derived = sum(labelled.values())
            point = replace(point, precision=sum(found) / len(found) if found else None,
                            recall=sum(found) / derived if derived else None)  # fmt: skip
        if grouped:
            groups = [tuple(meta[k].get("group") for k in pair) for pair in kept]
            point = replace(point, across=sum(1 for g in groups if len(set(g)) > 1))
        if newspapers:
            linked = set()
            for pair in kept:
                first, second = sorted(pair, key=lambda k: meta[k].get("role") != "wire")
                if (meta[first].get("role"), meta[second].get("role")) == ("wire", "newspaper") and (
                    meta[first].get("group") == meta[second].get("group")
                ):
                    linked.add(second)
            point = replace(point, newspapers_linked=len(linked) / len(newspapers))
        points.append(point)
    return points


def _with(evaluation: Evaluation, **changes: Any) -> Evaluation:
    return Evaluation(**{**evaluation.__dict__, **changes})


def _stories_of(links: list[tuple[str, str]]) -> dict[str, set[str]]:
    """Each article's stories, named by their canonicals (a canonical is in its own)."""
    found: dict[str, set[str]] = {}
    for story, article in links:
        found.setdefault(story, set()).add(story)
        found.setdefault(article, set()).add(story)
    return found


def _pair_scores(
    labels: Path,
    relations: dict[frozenset[str], str],
    stories: dict[str, set[str]] | None = None,
    links: Sequence[tuple[str, str, str]] = (),
) -> PairScores:
    confusion: dict[str, Counter[str]] = {label: Counter() for label in CLASSES}
    together: Counter[str] = Counter()
    labelled: dict[frozenset[str], str] = {}
    pairs = 0
    with labels.open(encoding="utf-8") as lines:
        for line in lines:
            record = json.loads(line)
            label = record.get("label")
            if label not in confusion:
                continue
            labelled[frozenset((record["a"], record["b"]))] = label
            found = _AS_CLASS.get(relations.get(frozenset((record["a"], record["b"])), ""), "non")
            confusion[label][found] += 1
            pairs += 1
            if stories is not None and stories.get(record["a"], set()) & stories.get(record["b"], set()):
                together[label] += 1
    derived = ("wholly", "partially")
    tp = sum(confusion[label][found] for label in derived for found in derived)
    fp = sum(confusion["non"][found] for found in derived)
    fn = sum(confusion[label]["non"] for label in derived)
    precision, recall, f1 = _prf(tp, fp, fn)
    per_class = {}
    for name in (label for label in CLASSES if confusion[label].total()):
        hits = confusion[name][name]
        wrong = sum(confusion[label][name] for label in CLASSES if label != name)
        missed = sum(confusion[name][found] for found in CLASSES if found != name)
        per_class[name] = _prf(hits, wrong, missed)[2]
    macro = sum(per_class.values()) / len(per_class) if per_class else 0.0
    table = {label: dict(counts) for label, counts in confusion.items()}
    by_relation: dict[str, Counter[str]] = {}
    linked_derived = set()
    for story, article, relation in links:
        label = labelled.get(frozenset((story, article)), "unlabelled")
        by_relation.setdefault("wholly" if relation == "exact" else relation, Counter())[label] += 1
        if label in derived:
            linked_derived.add(frozenset((story, article)))
    link_tp = len(linked_derived)
    labelled_derived = sum(sum(confusion[label].values()) for label in derived)
    link_p, link_r, link_f1 = _prf(link_tp, len(links) - link_tp, labelled_derived - link_tp)
    return PairScores(pairs, precision, recall, f1, macro, per_class, table, together["wholly"],
                      sum(confusion["wholly"].values()), together["non"], sum(confusion["non"].values()),
                      together["partially"], {r: dict(c) for r, c in by_relation.items()},
                      link_p, link_r, link_f1)  # fmt: skip


def _prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def _group_scores(meta: dict[str, dict[str, Any]], links: list[tuple[str, str]]) -> GroupScores:
    inside = sum(1 for story, article in links if meta[story].get("group") == meta[article].get("group"))
    members: dict[str, set[str]] = {}
    for story, article in links:
        members.setdefault(story, {story}).add(article)
    with_wire = {
        key for group in members.values() if any(meta[k].get("role") == "wire" for k in group) for key in group
    }
    newspapers = [key for key, record in meta.items() if record.get("role") == "newspaper"]
    linked = sum(1 for key in newspapers if key in with_wire)
    return GroupScores(len(links), inside, len(newspapers), linked)


def _adjusted_rand(meta: dict[str, dict[str, Any]], links: list[tuple[str, str]]) -> float:
    story_of = {article: story for story, article in links} | {story: story for story, _ in links}
    keys = [key for key, record in meta.items() if "cluster" in record]
    found = [story_of.get(key, key) for key in keys]
    given = [str(meta[key]["cluster"]) for key in keys]
    return adjusted_rand_index(given, found)


def adjusted_rand_index(a: list[str], b: list[str]) -> float:
    """The adjusted Rand index of two labellings of the same items (1: identical, ~0: chance)."""
    n = len(a)
    if n < 2:
        return 1.0
    pairs_a = sum(comb(c, 2) for c in Counter(a).values())
    pairs_b = sum(comb(c, 2) for c in Counter(b).values())
    pairs_both = sum(comb(c, 2) for c in Counter(zip(a, b, strict=True)).values())
    expected = pairs_a * pairs_b / comb(n, 2)
    best = (pairs_a + pairs_b) / 2
    if best == expected:
        return 1.0
    return (pairs_both - expected) / (best - expected)
