"""Group verified pairs into stories: stars around a canonical article, never chains.

Star clustering over the verified pairs of a connected group: the articles are ranked by the
canonical rule, and in that order each article not yet placed becomes the canonical of a story
holding every unplaced article verified *directly* against it. A copy is therefore always linked
to a text it was measured against, and an article that quotes two stories cannot chain them
together. The result depends only on the set of articles and verified pairs, not on the order of
ingest.

The canonical rule: the earliest publication day, then the fullest text (most words), then the
smallest key. Days, not times: a page that gives only the date and one that gives the minute are
compared on the day both state.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from .match import Relation


@dataclass(frozen=True)
class Node:
    """What the canonical rule needs to know of an article."""

    id: int
    key: str
    published: str | None
    tokens: int


@dataclass(frozen=True)
class Pair:
    """A verified pair as stored: ``a < b``; ``containment_a`` is the share of a found in b."""

    a: int
    b: int
    relation: Relation
    similarity: float
    containment_a: float
    containment_b: float
    shared: int


@dataclass(frozen=True)
class Member:
    """A copy in a story, measured against the story's canonical."""

    article: int
    relation: Relation
    similarity: float
    containment: float  # share of the copy found in the canonical
    coverage: float  # share of the canonical found in the copy
    shared: int


@dataclass(frozen=True)
class StoryPlan:
    canonical: int
    reason: str
    members: tuple[Member, ...]


def _day(node: Node) -> str | None:
    return node.published[:10] if node.published else None


def canonical_rank(node: Node) -> tuple[bool, str, int, str]:
    """Sort key of the canonical rule: dated before undated, earliest day, fullest, smallest key."""
    day = _day(node)
    return (day is None, day or "", -node.tokens, node.key)


def plan_stories(nodes: Mapping[int, Node], pairs: Iterable[Pair]) -> list[StoryPlan]:
    """Star stories over ``nodes`` from their verified ``pairs`` (see the module docstring)."""
    adjacent: dict[int, dict[int, Pair]] = {node: {} for node in nodes}
    for pair in pairs:
        if pair.a in adjacent and pair.b in adjacent:
            adjacent[pair.a][pair.b] = pair
            adjacent[pair.b][pair.a] = pair
    placed: set[int] = set()
    stories = []
    for node in sorted(nodes.values(), key=canonical_rank):
        if node.id in placed:
            continue
        copies = sorted(other for other in adjacent[node.id] if other not in placed)
        if not copies:
            continue
        placed.add(node.id)
        placed.update(copies)
        members = tuple(_member(adjacent[node.id][other], other) for other in copies)
        reason = _reason(node, [nodes[other] for other in copies])
        stories.append(StoryPlan(canonical=node.id, reason=reason, members=members))
    return stories


def _member(pair: Pair, copy: int) -> Member:
    if copy == pair.a:
        containment, coverage = pair.containment_a, pair.containment_b
    else:
        containment, coverage = pair.containment_b, pair.containment_a
    return Member(copy, pair.relation, pair.similarity, containment, coverage, pair.shared)


def _reason(canonical: Node, others: list[Node]) -> str:
    """Which step of the canonical rule decided, against the strongest other member."""
    runner_up = min(others, key=canonical_rank)
    day, other_day = _day(canonical), _day(runner_up)
    if day is not None and other_day is None:
        return f"the only dated text ({day})"
    if day != other_day:
        return f"earliest published ({day})"
    if canonical.tokens != runner_up.tokens:
        return f"fullest text ({canonical.tokens} words)"
    return "smallest key"
