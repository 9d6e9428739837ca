"""Group verified pairs into stories: stars around a canonical article, never chains.

Star clustering over the verified pairs of a connected group, in two steps:

1. the canonicals: the articles are ranked by the canonical rule, and in that order an article
   with verified pairs becomes a canonical unless its pair with an earlier canonical is as
   strong as its strongest pair (exact, then wholly, then partially): it is then a copy of that
   story, not the source of its own;
2. every other article joins, among the canonicals ranked before it, the one it derives from
   most (exact, then wholly, then partially; then the larger share of its words found there),
   and is also a partial member of each other canonical that gave it at least 40% of its words
   (a story that combines two wire stories), unless that canonical is a version of the first
   (the same story, updated).

A copy is always linked to a text it was measured against, and no chain of pairwise matches
can merge two stories: an article that quotes two stories is a partial member of both, and the
two stay apart. The result depends only on the set of articles and verified pairs, not on the
order of ingest. Versions (a publisher's earlier or later text) are verified pairs but not copies:
they take no part in the stars.

The canonical rule, each step deciding only where the ones before it tie: an article the input
itself names a source (``role`` of ``wire``, ``source``, ``original`` or ``agency``); an article
published by a wire service itself (its publisher is a wire: AP, Reuters, PA, ...); the earliest
publication day; the fullest text (most words); the smallest key. Days, not times: a page that
gives only the date and one that gives the minute are compared on the day both state.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from .match import Measures, Relation


@dataclass(frozen=True)
class Node:
    """What the canonical rule needs to know of an article."""

    id: int
    key: str
    published: str | None
    tokens: int
    role: str | None = None  # the role the input states ("wire", "source", "original", ...)
    wire: bool = False  # published by a wire service itself (its publisher is a wire)


@dataclass(frozen=True)
class Pair:
    """A verified pair as stored: ``a < b``; ``containment_a`` is the share of a's 5-grams found in
    b, ``content_a`` the share of its content bigrams."""

    a: int
    b: int
    relation: Relation
    similarity: float
    containment_a: float
    containment_b: float
    shared: int
    content_a: float = 0.0
    content_b: float = 0.0

    @classmethod
    def of(cls, a: int, b: int, relation: Relation, m: Measures) -> Pair:
        return cls(a, b, relation, m.similarity, m.containment_a, m.containment_b, m.shared,
                   m.bigrams.containment_a, m.bigrams.containment_b)  # fmt: skip


@dataclass(frozen=True)
class Member:
    """A copy in a story, measured against the story's canonical."""

    article: int
    relation: Relation
    similarity: float
    containment: float  # share of the copy found in the canonical
    coverage: float  # share of the canonical found in the copy
    shared: int
    content: float = 0.0  # share of the copy's content bigrams found in the canonical
    story: int = 0  # the canonical's id


@dataclass(frozen=True)
class StoryPlan:
    canonical: int
    reason: str
    members: tuple[Member, ...]


def _day(node: Node) -> str | None:
    return node.published[:10] if node.published else None


SOURCE_ROLES = frozenset({"wire", "source", "original", "agency"})


def canonical_rank(node: Node) -> tuple[bool, bool, bool, str, int, str]:
    """Sort key of the canonical rule: a source by the input's own word, then a text published by
    a wire itself, then dated before undated, the earliest day, the fullest text, the smallest key."""
    day = _day(node)
    return (
        (node.role or "").casefold() not in SOURCE_ROLES,
        not node.wire,
        day is None,
        day or "",
        -node.tokens,
        node.key,
    )


_STRENGTH = {"exact": 3, "wholly": 2, "partially": 1}
_SECOND_STORY = 0.4  # share of an article's words that a second story must have given it


def plan_stories(nodes: Mapping[int, Node], pairs: Iterable[Pair]) -> list[StoryPlan]:
    """Star stories over ``nodes`` from their verified ``pairs`` (see the module docstring)."""
    adjacent: dict[int, dict[int, Pair]] = {node: {} for node in nodes}
    versions: set[frozenset[int]] = set()
    for pair in pairs:
        if pair.relation == "version":  # a publisher's other version of its own text is not a copy
            versions.add(frozenset((pair.a, pair.b)))
            continue
        if pair.a in adjacent and pair.b in adjacent:
            adjacent[pair.a][pair.b] = pair
            adjacent[pair.b][pair.a] = pair
    # 1. the canonicals: in rank order, an article with copies that is no copy of an earlier canonical
    centres: list[int] = []
    order = {node.id: i for i, node in enumerate(sorted(nodes.values(), key=canonical_rank))}
    for node in sorted(nodes.values(), key=canonical_rank):
        links = adjacent[node.id]
        if not links:
            continue
        strongest = max(_STRENGTH[p.relation] for p in links.values())
        to_canonical = max((_STRENGTH[links[c].relation] for c in centres if c in links), default=0)
        if to_canonical < strongest:  # more a source of its own copies than a copy of an earlier story
            centres.append(node.id)
    # 2. every other article joins the canonical it derives from most, and, as a partial member,
    #    any other canonical it partially derives from (a story that combines two wire stories)
    members: dict[int, list[Member]] = {c: [] for c in centres}
    centre_set = set(centres)
    for article in sorted(nodes):
        if article in centre_set:
            continue
        linked = [
            _member(adjacent[article][c], article, c)
            for c in centres
            if c in adjacent[article] and order[c] < order[article]  # a canonical comes first in its story
        ]
        if not linked:
            continue
        best = max(linked, key=lambda m: (_STRENGTH[m.relation], m.content, m.containment, -centres.index(m.story)))
        for member in linked:
            # a second story only when it is another story, not a version of the first
            other_story = (
                member.relation == "partially"
                and member.content >= _SECOND_STORY
                and frozenset((best.story, member.story)) not in versions
            )
            if member is best or other_story:
                members[member.story].append(member)
    stories = []
    for centre in centres:
        if members[centre]:
            reason = _reason(nodes[centre], [nodes[m.article] for m in members[centre]])
            stories.append(StoryPlan(canonical=centre, reason=reason, members=tuple(members[centre])))
    return stories


def _member(pair: Pair, copy: int, story: int) -> Member:
    if copy == pair.a:
        containment, coverage, content = pair.containment_a, pair.containment_b, pair.content_a
    else:
        containment, coverage, content = pair.containment_b, pair.containment_a, pair.content_b
    return Member(copy, pair.relation, pair.similarity, containment, coverage, pair.shared, content, story)


def _reason(canonical: Node, others: list[Node]) -> str:
    """Which step of the canonical rule decided, against the strongest other member."""
    runner_up = min(others, key=canonical_rank)
    mine, theirs = canonical_rank(canonical), canonical_rank(runner_up)
    if mine[0] != theirs[0]:
        return f"the source by the input's own word (role: {canonical.role})"
    if mine[1] != theirs[1]:
        return "published by the wire itself"
    day, other_day = _day(canonical), _day(runner_up)
    if day is not None and other_day is None:
        return f"the only dated text ({day})"
    if day != other_day:
        return f"earliest published ({day})"
    if canonical.tokens != runner_up.tokens:
        return f"fullest text ({canonical.tokens} words)"
    return "smallest key"
