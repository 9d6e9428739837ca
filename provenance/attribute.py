"""Group verified pairs into stories: stars around a canonical article, never chains.

Star clustering over the verified pairs of a connected group, in two steps:

1. the canonicals: the articles are ranked by the canonical rule, and in that order an article
   with verified pairs becomes a canonical unless its pair with an earlier canonical is as
   strong as its strongest pair (exact, then wholly, then partially), or is wholly: it is then a
   copy of that story, not the source of its own (a trimmed copy republished verbatim elsewhere
   joins its source's story with its duplicates). Of an article linked to an earlier canonical,
   only the pairs with texts it is closer to than any earlier canonical is count (two copies of
   one source are alike for being its copies, not each other's);
2. every other article joins, among the canonicals ranked before it, the one it derives from
   most (exact, then wholly, then partially; then the larger share of its words found there),
   and is also a partial member of each other canonical that gave it at least 40% of its words
   (a story that combines two wire stories), unless that canonical is a version of the first
   (the same story, updated) or a later text derived from it (what the article shares with it
   is then the first's words); a canonical left without copies of its own that way is a copy of
   the earlier canonical it derives from;

A copy is always linked to a text it was measured against, and no chain of pairwise matches
can merge two stories: an article that quotes two stories is a partial member of both, and the
two stay apart. The result depends only on the set of articles and verified pairs, not on the
order of ingest.

Versions (a publisher's earlier or later text, an article at two URLs of one site, a gallery's
pages of one text) are not copies: they take no part in the stars. But a site's duplicate of its
own page is a member all the same, never hidden from someone cleaning a corpus: 3. an article in
no story that is wholly one with a canonical of the same site (a ``version`` pair each of whose
texts would be ``wholly`` derived from the other between two sites) joins that canonical's story
with the relation
``version``; where none of them is in a story, such versions make a story of their own around the
first of them by the canonical rule.

The canonical rule, each step deciding only where the ones before it tie: an article the input
itself names a source (``role`` of ``wire``, ``source``, ``original`` or ``agency``); a page
before a web archive's capture of a page (the capture is never the original); an article
published by a wire service itself (its publisher is a wire: AP, Reuters, PA, ...); the earliest
publication day; on that day, the earliest time where pages state one (in UTC where they state
their offset; a page that states only the day comes after those that state the minute: it gives
no evidence of being first); the fullest text (most words); the smallest key.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, replace
from functools import lru_cache

from .extract.credits import agency
from .match import DEFAULT_POLICY, STRENGTH, MatchPolicy, Measures, Relation
from .sites import captured_url, known_site, registered_domain


@dataclass(frozen=True)
class Node:
    """What the canonical rule needs to know of an article."""

    id: int
    key: str
    published: str | None
    tokens: int
    role: str | None = None  # the role the input states ("wire", "source", "original", ...)
    wire: bool = False  # published by a wire service itself (its publisher is a wire)
    capture: bool = False  # a web archive's capture of a page (web.archive.org/web/.../URL)
    named: bool = False  # another article names it as its original (rel=canonical, original-source)


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
    confidence: float | None = 1.0  # the decision's probability that one derives from the other (None: unknown)

    @classmethod
    def of(cls, a: int, b: int, relation: Relation, m: Measures, confidence: float | None = 1.0) -> Pair:
        return cls(a, b, relation, m.similarity, m.containment_a, m.containment_b, m.shared,
                   m.bigrams.containment_a, m.bigrams.containment_b, confidence)  # fmt: skip


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
    via: int | None = None  # the version of the canonical's text it was measured against, where not the canonical
    confidence: float | None = 1.0  # the decision's confidence in the pair it was placed by (None: unknown)


@dataclass(frozen=True)
class StoryPlan:
    canonical: int
    reason: str
    members: tuple[Member, ...]


def node_of(
    id_: int, key: str, published: str | None, tokens: int, role: str | None, publisher: str | None, url: str | None
) -> Node:
    """What the canonical rule needs of an article, from what is stored of it (the store's
    ``NODE_COLUMNS``): whether its publisher is a wire, whether it is an archive's capture."""
    return Node(id_, key, published, tokens, role, agency(publisher) is not None, captured_url(url) is not None)


def _day(node: Node) -> str | None:
    return node.published[:10] if node.published else None


SOURCE_ROLES = frozenset({"wire", "source", "original", "agency"})


def _time(node: Node) -> str:
    """The moment a page states, as sortable text (UTC where it states its offset); "~", after
    every moment, where it states only the day."""
    if not node.published or len(node.published) <= 10:
        return "~"
    try:
        moment = dt.datetime.fromisoformat(node.published)
    except ValueError:
        return "~"
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S")


def canonical_rank(node: Node) -> tuple[bool, bool, bool, bool, bool, str, str, int, str]:
    """Sort key of the canonical rule: a source by the input's own word, then a page another names
    as its original, a page before an archive's capture, a text published by a wire itself, dated
    before undated, the earliest day, the earliest stated time that day, the fullest text, the
    smallest key."""
    day = _day(node)
    return (
        (node.role or "").casefold() not in SOURCE_ROLES,
        not node.named,
        node.capture,
        not node.wire,
        day is None,
        day or "",
        _time(node),
        -node.tokens,
        node.key,
    )


_SECOND_STORY = 0.4  # share of an article's words that a second story must have given it


def plan_stories(
    nodes: Mapping[int, Node], pairs: Iterable[Pair], policy: MatchPolicy = DEFAULT_POLICY, wire: Collection[Pair] = ()
) -> list[StoryPlan]:
    """Star stories over ``nodes`` from their verified ``pairs`` (see the module docstring);
    ``policy``: the thresholds that make a version whole (those of ``wholly``); ``wire``: pairs of
    two publishers that credit one wire, whose stories are one lineage where each text holds 40%
    of the other's words or more (an update of the wire's story and the text it updated)."""
    adjacent: dict[int, dict[int, Pair]] = {node: {} for node in nodes}
    versions: set[frozenset[int]] = set()
    versions_pairs: list[Pair] = []
    whole: dict[int, dict[int, Pair]] = {}  # versions wholly one with each other
    compilations: list[Pair] = []
    pairs = list(pairs)
    compiling = _compilations(nodes, pairs)
    for pair in pairs:
        if pair.relation == "compilation":  # a page of several stories is a member of each, never a centre
            if pair.a in compiling or pair.b in compiling:
                compilations.append(pair)
                continue
            pair = replace(pair, relation=_derived(pair, policy))  # a long story shown to come first: a trim's source
        if pair.relation == "version":  # a publisher's other version of its own text is not a copy
            versions.add(frozenset((pair.a, pair.b)))
            versions_pairs.append(pair)
            if pair.a in nodes and pair.b in nodes and _whole(pair, policy):
                whole.setdefault(pair.a, {})[pair.b] = pair
                whole.setdefault(pair.b, {})[pair.a] = pair
            continue
        if pair.a in adjacent and pair.b in adjacent:
            adjacent[pair.a][pair.b] = pair
            adjacent[pair.b][pair.a] = pair
    # 1. the canonicals: in rank order, an article with copies that is no copy of an earlier canonical
    centres: list[int] = []
    order = {node.id: i for i, node in enumerate(sorted(nodes.values(), key=canonical_rank))}
    centre_set: set[int] = set()

    def to_centres(article: int) -> int:
        """The strength of an article's strongest link to a canonical chosen so far."""
        return max((STRENGTH[p.relation] for c, p in adjacent[article].items() if c in centre_set), default=0)

    for node in sorted(nodes.values(), key=canonical_rank):
        links = adjacent[node.id]
        if not links:
            continue
        to_canonical = to_centres(node.id)
        # more a source of its own copies than a copy of an earlier story; but a text wholly one with
        # an earlier canonical is its copy, even where it has exact duplicates of its own (they join too).
        # A copy of an earlier story counts as its own copies only the texts it explains better than
        # the canonicals do (two copies of one source are alike for being copies of it)
        own = [
            STRENGTH[p.relation]
            for other, p in links.items()
            if other not in centre_set and (not to_canonical or STRENGTH[p.relation] > to_centres(other))
        ]
        if to_canonical < max(own, default=0) and to_canonical < STRENGTH["wholly"]:
            centres.append(node.id)
            centre_set.add(node.id)
    # 2. every other article joins the canonical it derives from most, and, as a partial member,
    #    any other canonical it partially derives from (a story that combines two wire stories)
    members: dict[int, list[Member]] = {c: [] for c in centres}
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
        best = _closest(linked, centres)
        for member in linked:
            # a second story only when it is another story: not a version of the first, nor a later
            # text derived from the first (what the copy shares with it is then the first's words;
            # an earlier one the first derives from is the source of both, and the copy is its too)
            other_story = (
                member.relation == "partially"
                and member.content >= _SECOND_STORY
                and frozenset((best.story, member.story)) not in versions
                and not (member.story in adjacent[best.story] and order[member.story] > order[best.story])
            )
            if member is best or other_story:
                members[member.story].append(member)
    # 2b. a canonical left without copies (those it shares most with are closer to an earlier
    #     story) is a copy itself where it derives from an earlier canonical
    for centre in list(centres):
        if members[centre]:
            continue
        earlier = [
            _member(adjacent[centre][c], centre, c)
            for c in centres
            if c in adjacent[centre] and order[c] < order[centre]
        ]
        if earlier:
            best = _closest(earlier, centres)
            members[best.story].append(best)
            centres.remove(centre)
            centre_set.discard(centre)
            del members[centre]
    # 3. a site's duplicates of its own page: members of the story of the text they duplicate
    placed = centre_set | {m.article for found in members.values() for m in found}
    for article in sorted((a for a in whole if a not in placed), key=lambda a: canonical_rank(nodes[a])):
        if article in placed:  # a version that joined the story of one met before it
            continue
        near = [c for c in whole[article] if c in centre_set]
        if not near:  # a story of versions alone, around the first of them by the canonical rule
            if not any(other not in placed for other in whole[article]):
                continue
            centres.append(article)
            centre_set.add(article)
            members[article] = []
            placed.add(article)
            near_members = [o for o in whole[article] if o not in placed]
            for other in sorted(near_members):
                members[article].append(_member(whole[article][other], other, article, "version"))
                placed.add(other)
            continue
        best_centre = max(near, key=lambda c: (whole[article][c].similarity, -centres.index(c)))
        members[best_centre].append(_member(whole[article][best_centre], article, best_centre, "version"))
        placed.add(article)
    # 4. a wire story's lineage: a canonical that is another version of an earlier canonical's
    #    text (an update, a write-through: one largely inside the other) joins its story with its
    #    copies, each saying which version it copies
    lineage = whole_versions(versions_pairs, policy)
    for pair in wire:  # two sites' texts of one wire's story, each holding much of the other
        if pair.a in nodes and pair.b in nodes and min(pair.content_a, pair.content_b) >= _SECOND_STORY:
            lineage.setdefault(pair.a, {})[pair.b] = pair
            lineage.setdefault(pair.b, {})[pair.a] = pair
    _join_lineages(centres, members, lineage, nodes)
    _add_compilations(compilations, centres, members, nodes)
    stories = []
    for centre in centres:
        if members[centre]:
            reason = _reason(nodes[centre], [nodes[m.article] for m in members[centre]])
            stories.append(StoryPlan(canonical=centre, reason=reason, members=tuple(members[centre])))
    return stories


def _compilations(nodes: Mapping[int, Node], pairs: Iterable[Pair]) -> set[int]:
    """The compilations of a group: the longer text of a ``compilation`` pair, unless the evidence
    of the canonical rule (a role, a page named as the original, a wire's or credited outlet's
    own page, an earlier date) puts it before the shorter text: then the shorter was cut from it
    (a trim, a student's answer from its source), and the longer is a story, not a page of them."""
    found = set()
    for pair in pairs:
        if pair.relation != "compilation" or pair.a not in nodes or pair.b not in nodes:
            continue
        a, b = nodes[pair.a], nodes[pair.b]
        longer, shorter = (a, b) if a.tokens >= b.tokens else (b, a)
        if not canonical_rank(longer)[:_EVIDENCE] < canonical_rank(shorter)[:_EVIDENCE]:
            found.add(longer.id)
    return found


_EVIDENCE = 7  # the parts of canonical_rank that are evidence of coming first (not length, not key)


def _derived(pair: Pair, policy: MatchPolicy) -> Relation:
    """``wholly`` or ``partially``, by the shares of a kept pair (as :func:`provenance.match.classify` names them)."""
    whole = max(pair.content_a, pair.content_b) >= policy.wholly
    verbatim = max(pair.containment_a, pair.containment_b) >= policy.wholly_verbatim
    return "wholly" if whole and verbatim else "partially"


def _add_compilations(
    pairs: list[Pair], centres: list[int], members: dict[int, list[Member]], nodes: Mapping[int, Node]
) -> None:
    """5. a compilation (a live blog, a digest, a gallery: see :func:`_compilations`) joins the
    story of each text it carries, measured against that text; a carried text in no story becomes
    the canonical of its own, with the compilation its member. A compilation is never a canonical
    of the stories it carries, nor a bridge between them."""
    story_of: dict[int, int] = {c: c for c in centres}
    for centre, found in members.items():
        for member in found:
            story_of.setdefault(member.article, centre)
    for pair in sorted(pairs, key=lambda p: (p.a, p.b)):
        longer, carried = (pair.a, pair.b) if nodes[pair.a].tokens >= nodes[pair.b].tokens else (pair.b, pair.a)
        story = story_of.get(carried)
        if story is None:
            story = story_of[carried] = carried
            centres.append(carried)
            members[carried] = []
        if longer == story or any(m.article == longer for m in members[story]):
            continue
        member = _member(pair, longer, story, "compilation")
        members[story].append(member if carried == story else replace(member, via=carried))


def whole_versions(pairs: Iterable[Pair], policy: MatchPolicy) -> dict[int, dict[int, Pair]]:
    """The version pairs of one lineage: one text largely inside the other (it would be ``wholly``
    derived from the other between two publishers, in one direction at least). Two stories that
    share a background paragraph are not."""
    found: dict[int, dict[int, Pair]] = {}
    for pair in pairs:
        if _derived(pair, policy) == "wholly":
            found.setdefault(pair.a, {})[pair.b] = pair
            found.setdefault(pair.b, {})[pair.a] = pair
    return found


def _join_lineages(
    centres: list[int], members: dict[int, list[Member]], lineage: Mapping[int, Mapping[int, Pair]],
    nodes: Mapping[int, Node],
) -> None:  # fmt: skip
    """Merge the stories of canonicals that are versions of one text, in place: each joins the
    story of the first of them by the canonical rule, reached through versions in rank order, and
    a version in no story joins too (an update nobody copied is still part of the lineage)."""
    ranked = sorted(centres, key=lambda c: canonical_rank(nodes[c]))
    placed = {m.article for found in members.values() for m in found}
    root: dict[int, int] = {}
    for centre in ranked:
        if centre in root:
            continue
        root[centre] = centre
        frontier = [centre]
        while frontier:  # the versions reached from this canonical, breadth first, in rank order
            here = frontier.pop(0)
            for other in sorted(lineage.get(here, {}), key=lambda o: canonical_rank(nodes[o])):
                if other in root or (other in placed and other not in members) or other not in nodes:
                    continue
                root[other] = centre
                via = None if here == centre else here
                members[centre].append(replace(_member(lineage[here][other], other, centre), via=via))
                placed.add(other)
                frontier.append(other)
    for centre in ranked:
        first = root[centre]
        if first == centre:
            continue
        present = {m.article: i for i, m in enumerate(members[first])}
        for member in members.pop(centre):
            moved = replace(member, story=first, via=member.via or centre)
            if member.article == first:
                continue
            if member.article not in present:
                present[member.article] = len(members[first])
                members[first].append(moved)
            elif STRENGTH[member.relation] > STRENGTH[members[first][present[member.article]].relation]:
                members[first][present[member.article]] = moved  # its stronger link, to the version it copies
        centres.remove(centre)


def _closest(linked: list[Member], centres: list[int]) -> Member:
    """The story an article derives from most: the strongest relation, then the larger share of
    its words found there, then the earlier canonical."""
    return max(linked, key=lambda m: (STRENGTH[m.relation], m.content, m.containment, -centres.index(m.story)))


def _member(pair: Pair, copy: int, story: int, relation: Relation | None = None) -> Member:
    if copy == pair.a:
        containment, coverage, content = pair.containment_a, pair.containment_b, pair.content_a
    else:
        containment, coverage, content = pair.containment_b, pair.containment_a, pair.content_b
    return Member(copy, relation or pair.relation, pair.similarity, containment, coverage, pair.shared, content, story,
                  confidence=pair.confidence)  # fmt: skip


def _whole(pair: Pair, policy: MatchPolicy) -> bool:
    """Whether a version pair is one text at two places: each would be ``wholly`` derived from
    the other between two publishers (a short take inside a longer one, or an update that added
    much, is a version but not a duplicate)."""
    return (
        min(pair.content_a, pair.content_b) >= policy.wholly
        and min(pair.containment_a, pair.containment_b) >= policy.wholly_verbatim
    )


def _reason(canonical: Node, others: list[Node]) -> str:
    """Which step of the canonical rule decided, against the strongest other member."""
    runner_up = min(others, key=canonical_rank)
    mine, theirs = canonical_rank(canonical), canonical_rank(runner_up)
    if mine[0] != theirs[0]:
        return f"the source by the input's own word (role: {canonical.role})"
    if mine[1] != theirs[1]:
        return "named as the original by another article (its rel=canonical or original-source)"
    if mine[2] != theirs[2]:
        return "the page itself, not an archive's capture of it"
    if mine[3] != theirs[3]:
        return "published by the wire itself"
    day, other_day = _day(canonical), _day(runner_up)
    if day is not None and other_day is None:
        return f"the only dated text ({day})"
    if day != other_day:
        return f"earliest published ({day})"
    if mine[6] != theirs[6] and mine[6] != "~":
        return f"earliest published ({canonical.published})"
    if canonical.tokens != runner_up.tokens:
        return f"the fullest text ({canonical.tokens} words), none dated before it"
    return ORIGINAL_UNKNOWN


ORIGINAL_UNKNOWN = (
    "original unknown: no article states a source, a date or a wire that tells which came first (listed first by key)"
)


def named_originals(facts: Iterable[ArticleFacts]) -> set[int]:
    """The articles another article names as its original: its rel=canonical or original-source is
    their address."""
    everyone = list(facts)
    at = by_address(everyone)
    return {
        target.id
        for a in everyone
        for pointer in (a.canonical_url, a.original_source)
        if pointer and (target := at.get(pointer, a)) is not a
    }


def by_address(facts: list[ArticleFacts]) -> dict[str, ArticleFacts]:
    """The articles by their addresses: where each was found, and the address it calls its own
    (rel=canonical) where no article was found there (a copy's rel=canonical is its original's
    address: the address is the original's, not the copy's)."""
    found = {a.url: a for a in facts if a.url}
    return {**{a.canonical_url: a for a in facts if a.canonical_url}, **found}


@dataclass(frozen=True)
class ArticleFacts:
    """What the origin of a story is read from: each member's own statements."""

    id: int
    key: str
    title: str | None = None
    authors: tuple[str, ...] = ()
    published: str | None = None
    publisher: str | None = None
    credit: str | None = None
    slug: str | None = None
    url: str | None = None
    canonical_url: str | None = None
    original_source: str | None = None
    role: str | None = None


@dataclass(frozen=True)
class Evidence:
    kind: str
    detail: str
    confidence: float


@dataclass(frozen=True)
class Origin:
    """Who wrote a story first, and what the original said of itself.

    ``canonical_present`` is False where the members credit a wire that did not publish any of
    them (only the MSN copy of a Bloomberg story is at hand): the origin is then the wire, with
    the original metadata gathered from its copies.
    """

    source: str | None  # the wire or publisher that wrote the text first
    canonical_present: bool
    title: str | None
    authors: tuple[str, ...]
    published: str | None
    slug: str | None
    evidence: tuple[Evidence, ...]


def find_origin(
    canonical: ArticleFacts, members: list[ArticleFacts], reuse: dict[int, float], *, known: bool = True
) -> Origin:
    """The origin of the story of ``canonical`` and its copies ``members``, with the evidence.

    ``reuse`` holds, for each member, the share of its words found in the canonical; ``known``:
    whether anything but the key order chose the canonical (else, where no wire is credited,
    the origin is unknown rather than the canonical's publisher).
    """
    everyone = [canonical, *members]
    credits = Counter(a.credit for a in everyone if a.credit)
    wire = max(credits, key=lambda c: (credits[c], c == canonical.credit)) if credits else None
    evidence: list[Evidence] = []
    if wire:
        count = credits[wire]
        evidence.append(Evidence("credit line", f"{count} of {len(everyone)} articles credit {wire}",
                                 min(0.95, 0.6 + 0.1 * (count - 1))))  # fmt: skip
    by_wire = [a for a in everyone if wire and published_by(a.publisher, wire, a.url)]
    if by_wire:
        evidence.append(Evidence("published by the credited wire", by_wire[0].key, 0.95))
    if (canonical.role or "").casefold() in SOURCE_ROLES:
        evidence.append(Evidence("role given in the input", f"{canonical.key}: {canonical.role}", 0.99))
    urls = by_address(everyone)
    for article in everyone:
        for pointer, how in ((article.canonical_url, "rel=canonical"), (article.original_source, "original-source")):
            target = urls.get(pointer or "")
            if target is not None and target is not article:
                detail = f"{article.key} names {target.key} as its original ({how})"
                evidence.append(Evidence("named as the original", detail, 0.9))
    days = sorted(d for a in everyone if (d := (a.published or "")[:10]))
    if members and days and (canonical.published or "")[:10] == days[0]:
        evidence.append(Evidence("earliest published", f"{canonical.key}: {days[0]}", 0.6))
    if reuse and (mean := sum(reuse.values()) / len(reuse)) >= 0.6:
        detail = f"{mean:.0%} of the copies' words are the canonical's, on average"
        evidence.append(Evidence("copies contained in the canonical", detail, 0.5))
    present = (
        not wire
        or bool(by_wire)
        or published_by(canonical.publisher, wire, canonical.url)
        or (canonical.role or "").casefold() in SOURCE_ROLES
    )
    if not present:
        evidence.append(Evidence("original not in the store", f"no article published by {wire}", 0.8))
    original = by_wire[0] if by_wire else canonical
    crediting = [a for a in everyone if a.credit == wire] if wire else everyone
    return Origin(
        source=wire or (canonical.publisher if known or by_wire else None),
        canonical_present=present,
        title=original.title if present else _first(a.title for a in crediting),
        authors=original.authors
        if present and original.authors
        else next((a.authors for a in crediting if a.authors), ()),
        published=original.published
        if present
        else (min((a.published for a in crediting if a.published), default=None)),
        slug=original.slug or _first(a.slug for a in crediting),
        evidence=tuple(evidence),
    )


def published_by(publisher: str | None, wire: str, url: str | None = None) -> bool:
    """Whether a page is the wire's or outlet's own: its publisher is the wire ("PA" for PA,
    "Northwind Wire Service" for Northwind), or its address is on the outlet's site (a page of
    apnews.com for AP, of edition.cnn.com for CNN). Asked of each page of a group, for each wire
    its pages credit, each time the group is planned again: what it reads of a name and of an
    address is remembered apart (a group's publishers and sites are few, its addresses many)."""
    if _names(publisher, wire):
        return True
    if not url:
        return False
    known, site = _sites(url)
    return _names(known, wire) or (site is not None and _names(site, wire))


@lru_cache(maxsize=1 << 16)
def _sites(url: str) -> tuple[str | None, str | None]:
    """The known site an address is on (see :func:`~provenance.sites.known_site`) and its
    registered domain."""
    return known_site(url), registered_domain(url)


@lru_cache(maxsize=1 << 12)
def _names(publisher: str | None, wire: str) -> bool:
    if not publisher:
        return False
    if agency(publisher) is not None:
        return agency(publisher) == (agency(wire) or wire)
    host = re.fullmatch(r"(?:www\.)?([\w-]+)\.[a-z.]{2,}", publisher.casefold())  # "cnn.com" is CNN's
    if host is not None:
        return host[1] == re.sub(r"\W", "", wire.casefold())
    return set(wire.casefold().split()) <= set(publisher.casefold().split())


def _first(values: Iterable[str | None]) -> str | None:
    return next((v for v in values if v), None)
