from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from provenance.attribute import (
    ORIGINAL_UNKNOWN,
    ArticleFacts,
    Node,
    Pair,
    canonical_rank,
    find_origin,
    named_originals,
    node_of,
    plan_stories,
)
from provenance.passages import Alignment
from provenance.pipeline import plan_group


def pair(a: int, b: int, relation: str = "wholly") -> Pair:
    return Pair(min(a, b), max(a, b), relation, 0.9, 0.95, 0.92, 200)  # type: ignore[arg-type]


def node(i: int, published: str | None = None, tokens: int = 500) -> Node:
    return Node(i, f"key{i:03d}", published, tokens)


def test_canonical_rule_earliest_day_then_time_then_fullest_then_smallest_key() -> None:
    nodes = [node(1, "2020-01-02T06:00:00Z", 900), node(2, "2020-01-01T23:00:00Z", 100), node(3, None, 5000),
             node(4, "2020-01-02T18:00:00Z", 950), node(5, "2020-01-02", 950), node(6, "2020-01-02", 990)]  # fmt: skip
    # on one day, the stated times (a page that states only the day comes after), then the fullest
    assert [n.id for n in sorted(nodes, key=canonical_rank)] == [2, 1, 4, 6, 5, 3]


def test_a_copy_published_later_that_day_is_not_the_original_for_being_fuller() -> None:
    """The original at 09:20 New York time; a copy 40 minutes later, in UTC, with a paragraph added."""
    nodes = {
        1: Node(1, "copy", "2026-03-04T15:00:00+00:00", 800),
        2: Node(2, "original", "2026-03-04T09:20:00-05:00", 700),
    }
    (story,) = plan_stories(nodes, [pair(1, 2)])
    assert story.canonical == 2
    assert story.reason == "earliest published (2026-03-04T09:20:00-05:00)"


def test_an_archives_capture_is_never_the_original() -> None:
    page = Node(1, "https://example.org/story", "2026-03-04", 700)
    capture = Node(2, "https://web.archive.org/web/20260303/https://example.org/story", "2026-03-03", 760,
                   capture=True)  # fmt: skip
    (story,) = plan_stories({1: page, 2: capture}, [pair(1, 2, "exact")])
    assert story.canonical == 1
    assert story.reason == "the page itself, not an archive's capture of it"


def test_a_press_releases_page_on_its_wire_is_the_original_of_a_fuller_republication() -> None:
    """A release on PR Newswire's site and a site that republished it on the same day with a
    paragraph of its own: the release's page is the original, though the other text is fuller."""
    release = node_of(1, "https://www.prnewswire.com/news-releases/plant.html", "2026-01-05", 400, None,
                      "PR Newswire", "https://www.prnewswire.com/news-releases/plant.html")  # fmt: skip
    republished = node_of(2, "https://marketdaily.example/plant", "2026-01-05", 520, None, "Market Daily",
                          "https://marketdaily.example/plant")  # fmt: skip
    (story,) = plan_stories({1: release, 2: republished}, [pair(1, 2)])
    assert story.canonical == 1


def test_star_around_the_canonical_with_the_reason() -> None:
    nodes = {1: node(1, "2020-01-02"), 2: node(2, "2020-01-01"), 3: node(3)}
    (story,) = plan_stories(nodes, [pair(1, 2), pair(2, 3), pair(1, 3)])
    assert story.canonical == 2
    assert [m.article for m in story.members] == [1, 3]
    assert story.reason == "earliest published (2020-01-01)"


def test_a_chain_does_not_merge_two_stories() -> None:
    # A (1) and C (2) are different stories; B (3), published after both, takes half its words
    # from each; D (4) copies C. The chain A - B - C - D must not make one story.
    nodes = {i: node(i, f"2020-01-0{i}") for i in (1, 2, 3, 4)}
    halves = [
        Pair(1, 3, "partially", 0.3, 0.5, 0.5, 80, 0.5, 0.5),
        Pair(2, 3, "partially", 0.3, 0.5, 0.5, 80, 0.5, 0.5),
    ]
    stories = plan_stories(nodes, [*halves, pair(2, 4)])
    assert [(s.canonical, [m.article for m in s.members]) for s in stories] == [(1, [3]), (2, [3, 4])]
    for story in stories:  # A and C are never in one story: B is a partial member of both
        assert not {1, 2} <= {story.canonical, *(m.article for m in story.members)}


def test_a_text_is_never_the_copy_of_a_later_one() -> None:
    nodes = {1: node(1, "2020-01-01"), 2: node(2, "2020-01-02"), 3: node(3, "2020-01-03")}
    half = Pair(1, 2, "partially", 0.3, 0.5, 0.5, 80, 0.5, 0.5)
    stories = plan_stories(nodes, [half, Pair(2, 3, "partially", 0.3, 0.5, 0.5, 80, 0.5, 0.5)])
    assert [(s.canonical, [m.article for m in s.members]) for s in stories] == [(1, [2])]


def test_a_weak_second_source_does_not_make_a_second_membership() -> None:
    nodes = {i: node(i, f"2020-01-0{i}") for i in (1, 2, 3)}
    pairs = [Pair(1, 2, "partially", 0.2, 0.3, 0.3, 60, 0.3, 0.2), Pair(2, 3, "wholly", 0.8, 0.9, 0.9, 300, 0.9, 0.9)]
    assert [(s.canonical, [m.article for m in s.members]) for s in plan_stories(nodes, pairs)] == [(2, [3])]


def test_a_second_story_derived_from_the_first_gives_no_second_membership() -> None:
    """A source (1) and four students' answers made from it: 2 took part of it, 3, 4 and 5 most of
    it. 2 is wholly like 5 and shares much with 3 and 4, but those are the source's words: 3, 4
    and 5 are the source's copies only, and 2, left without copies of its own, joins the source."""
    nodes = {i: node(i, f"2020-01-0{i}") for i in (1, 2, 3, 4, 5)}
    pairs = [
        Pair(1, 2, "partially", 0.2, 0.3, 0.3, 60, 0.45, 0.45),
        *(Pair(1, i, "wholly", 0.8, 0.9, 0.9, 200, 0.9, 0.9) for i in (3, 4, 5)),
        Pair(2, 5, "wholly", 0.5, 0.6, 0.6, 150, 0.65, 0.65),
        *(Pair(2, i, "partially", 0.3, 0.4, 0.4, 90, 0.5, 0.5) for i in (3, 4)),
    ]
    stories = plan_stories(nodes, pairs)
    assert [(s.canonical, sorted(m.article for m in s.members)) for s in stories] == [(1, [2, 3, 4, 5])]


def test_a_copy_is_not_a_canonical_for_being_like_other_copies_of_its_source() -> None:
    """2 took part of the source (1); 3 took most of it, and 4 part of it again. 2 is wholly like
    3 and much like 4, but for being copies of one source: 2 is no canonical, all three are the
    source's copies."""
    nodes = {i: node(i, f"2020-01-0{i}") for i in (1, 2, 3, 4)}
    pairs = [
        Pair(1, 2, "partially", 0.2, 0.3, 0.3, 60, 0.43, 0.43),
        Pair(1, 3, "wholly", 0.8, 0.9, 0.9, 200, 0.9, 0.9),
        Pair(1, 4, "partially", 0.2, 0.3, 0.3, 60, 0.3, 0.3),
        Pair(2, 3, "wholly", 0.5, 0.6, 0.6, 150, 0.65, 0.65),
        Pair(2, 4, "partially", 0.3, 0.4, 0.4, 90, 0.5, 0.5),
    ]
    stories = plan_stories(nodes, pairs)
    assert [(s.canonical, sorted(m.article for m in s.members)) for s in stories] == [(1, [2, 3, 4])]


def test_a_copy_of_a_rewrite_is_a_partial_member_of_the_rewrites_source() -> None:
    """A rewrite (2) of a source (1) and an exact copy of the rewrite (3): the copy is in the
    rewrite's story and, through it, a partial member of the source's."""
    nodes = {i: node(i, f"2020-01-0{i}") for i in (1, 2, 3)}
    rewrite = Pair(1, 2, "partially", 0.1, 0.1, 0.1, 40, 0.5, 0.5)
    copy_of_source = Pair(1, 3, "partially", 0.1, 0.1, 0.1, 40, 0.5, 0.5)
    stories = plan_stories(nodes, [rewrite, copy_of_source, pair(2, 3, "exact")])
    assert [(s.canonical, sorted(m.article for m in s.members)) for s in stories] == [(1, [3]), (2, [3])]


def test_versions_are_not_copies() -> None:
    nodes = {1: node(1, "2020-01-01"), 2: node(2, "2020-01-02"), 3: node(3, "2020-01-02")}
    stories = plan_stories(nodes, [pair(1, 2, "version"), pair(2, 3)])
    assert [(s.canonical, [m.article for m in s.members]) for s in stories] == [(2, [3])]


def test_member_measures_are_oriented_towards_the_canonical() -> None:
    nodes = {1: node(1, "2020-01-02"), 2: node(2, "2020-01-01")}
    (story,) = plan_stories(nodes, [Pair(1, 2, "wholly", 0.5, 1.0, 0.5, 100)])
    (member,) = story.members
    assert (member.article, member.containment, member.coverage) == (1, 1.0, 0.5)


@st.composite
def graphs(draw: st.DrawFn) -> tuple[dict[int, Node], list[Pair]]:
    n = draw(st.integers(2, 12))
    dates = st.one_of(st.none(), st.sampled_from(["2020-01-01", "2020-01-02", "2020-01-03"]))
    nodes = {i: node(i, draw(dates), draw(st.integers(50, 60))) for i in range(n)}
    edges = draw(st.sets(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)).filter(lambda e: e[0] != e[1])))
    return nodes, [pair(a, b) for a, b in {(min(e), max(e)) for e in edges}]


@given(graphs(), st.randoms())
def test_stories_are_stars_and_independent_of_order(graph: tuple[dict[int, Node], list[Pair]], rnd: object) -> None:
    nodes, pairs = graph
    stories = plan_stories(nodes, pairs)
    shuffled_nodes = list(nodes.items())
    rnd.shuffle(shuffled_nodes)  # type: ignore[attr-defined]
    shuffled_pairs = list(pairs)
    rnd.shuffle(shuffled_pairs)  # type: ignore[attr-defined]
    assert plan_stories(dict(shuffled_nodes), shuffled_pairs) == stories
    edges = {(p.a, p.b) for p in pairs}
    seen: set[int] = set()
    for story in stories:
        for member in story.members:
            assert (min(member.article, story.canonical), max(member.article, story.canonical)) in edges
        ids = {story.canonical, *(m.article for m in story.members)}
        assert not ids & seen  # an article is in one story at most
        seen |= ids
        assert all(canonical_rank(nodes[story.canonical]) < canonical_rank(nodes[i]) for i in ids - {story.canonical})


def test_a_trimmed_copy_republished_verbatim_joins_its_source_with_its_duplicate() -> None:
    nodes = {1: node(1, tokens=600), 2: node(2, tokens=500), 3: node(3, tokens=500)}
    (story,) = plan_stories(nodes, [pair(1, 2), pair(1, 3), pair(2, 3, "exact")])
    assert story.canonical == 1
    assert [(m.article, m.relation) for m in story.members] == [(2, "wholly"), (3, "wholly")]


def whole_version(a: int, b: int) -> Pair:
    """A site's one text at two places: a version pair that would be wholly between two sites."""
    return Pair(min(a, b), max(a, b), "version", 0.95, 0.97, 0.97, 300, 0.98, 0.98)


def test_a_sites_duplicate_of_its_canonical_is_a_version_member() -> None:
    nodes = {1: node(1, "2020-01-01"), 2: node(2, "2020-01-02"), 3: node(3, "2020-01-02")}
    (story,) = plan_stories(nodes, [pair(1, 2), whole_version(1, 3)])
    assert story.canonical == 1
    assert [(m.article, m.relation) for m in story.members] == [(2, "wholly"), (3, "version")]


def test_a_sites_duplicates_alone_make_a_story() -> None:
    """A gallery's pages of one text, an article at two URLs: someone cleaning a corpus needs them."""
    nodes = {1: node(1, "2020-01-02"), 2: node(2, "2020-01-01"), 3: node(3, "2020-01-03")}
    (story,) = plan_stories(nodes, [whole_version(1, 2), whole_version(2, 3)])
    assert story.canonical == 2  # the first of them by the canonical rule
    assert [(m.article, m.relation) for m in story.members] == [(1, "version"), (3, "version")]


def test_an_update_that_added_much_is_a_version_member_of_the_lineage() -> None:
    nodes = {1: node(1, "2020-01-01"), 2: node(2, "2020-01-02"), 3: node(3, "2020-01-02")}
    update = Pair(1, 3, "version", 0.5, 0.9, 0.5, 150, 0.95, 0.55)  # an update that added as much again
    (story,) = plan_stories(nodes, [pair(1, 2), update])
    assert [(m.article, m.relation, m.via) for m in story.members] == [(2, "wholly", None), (3, "version", None)]


def test_a_wire_storys_versions_and_their_copies_are_one_story_each_copy_saying_which_version() -> None:
    """A wire's story at 09:00 (1), its update at 12:00 (2: the first inside it) and the write-through
    at 16:00 (3: the update inside it); each copied by another site (11, 12, 13)."""
    nodes = {
        1: node(1, "2026-03-04T09:00:00Z", 300), 2: node(2, "2026-03-04T12:00:00Z", 600),
        3: node(3, "2026-03-04T16:00:00Z", 900), 11: node(11, "2026-03-04T09:30:00Z", 300),
        12: node(12, "2026-03-04T12:30:00Z", 600), 13: node(13, "2026-03-04T16:30:00Z", 900),
    }  # fmt: skip
    grew = [
        Pair(1, 2, "version", 0.45, 0.95, 0.47, 250, 0.96, 0.5),
        Pair(2, 3, "version", 0.6, 0.97, 0.64, 500, 0.97, 0.66),
    ]
    copies = [pair(1, 11), pair(2, 12), pair(3, 13)]
    (story,) = plan_stories(nodes, [*grew, *copies])
    assert story.canonical == 1
    assert sorted((m.article, m.relation, m.via) for m in story.members) == [
        (2, "version", None), (3, "version", 2), (11, "wholly", None), (12, "wholly", 2), (13, "wholly", 3),
    ]  # fmt: skip


def test_two_stories_of_one_publisher_that_share_a_background_paragraph_stay_apart() -> None:
    nodes = {1: node(1, "2026-03-04"), 2: node(2, "2026-03-05"), 11: node(11, "2026-03-04"), 12: node(12, "2026-03-05")}
    background = Pair(1, 2, "version", 0.08, 0.25, 0.2, 40, 0.3, 0.25)  # one paragraph of each
    stories = plan_stories(nodes, [background, pair(1, 11), pair(2, 12)])
    assert [(s.canonical, [m.article for m in s.members]) for s in stories] == [(1, [11]), (2, [12])]


def test_a_canonical_chosen_by_its_key_alone_has_an_unknown_original() -> None:
    nodes = {1: node(1), 2: node(2)}
    (story,) = plan_stories(nodes, [pair(1, 2)])
    assert (story.canonical, story.reason) == (1, ORIGINAL_UNKNOWN)
    assert story.reason.startswith("original unknown:")
    facts = [ArticleFacts(1, "key001", publisher="Harbour Times"), ArticleFacts(2, "key002", publisher="Coast Daily")]
    assert find_origin(facts[0], facts[1:], {2: 0.9}, known=False).source is None
    assert find_origin(facts[0], facts[1:], {2: 0.9}).source == "Harbour Times"


def _aligned(jobs: list[object]) -> list[Alignment]:
    return [Alignment(0.9, 0.9, 1, 0, 0, None) for _ in jobs]


def test_the_page_another_names_as_its_original_is_the_canonical_and_the_evidence_says_so() -> None:
    """A syndicating site's copy, dated a day earlier by its own page, whose rel=canonical is the
    original's address: the original is the page it names, and the evidence points from the copy
    at it."""
    nodes = {1: node(1, "2026-03-03"), 2: node(2, "2026-03-04")}
    facts = {
        1: ArticleFacts(1, "copy", publisher="Aggregator", url="https://agg.example/1",
                        canonical_url="https://wire.example/story"),
        2: ArticleFacts(2, "original", publisher="Wire Daily", url="https://wire.example/story"),
    }  # fmt: skip
    assert named_originals(facts.values()) == {2}
    plans, origins, _ = plan_group(nodes, [pair(1, 2)], facts, lambda ids: {i: ("t", "text") for i in ids},
                                   align_all=_aligned)  # fmt: skip
    (story,) = plans
    assert (story.canonical, [m.article for m in story.members]) == (2, [1])
    assert story.reason == "named as the original by another article (its rel=canonical or original-source)"
    evidence = [e.detail for e in origins[2].evidence if e.kind == "named as the original"]
    assert evidence == ["copy names original as its original (rel=canonical)"]
