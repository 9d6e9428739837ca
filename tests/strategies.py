"""Hypothesis strategies for news-like articles, their copies and page boilerplate."""

from __future__ import annotations

import random

from hypothesis import strategies as st

_SYLLABLES = "ka lo mi ter son va ri den po ul bra ne sto gar fi mel tor an is quo zen har bel wic dro pa lu"
VOCABULARY = sorted({a + b + c for a in _SYLLABLES.split() for b in _SYLLABLES.split() for c in ("", "s", "ed", "ing")})

BOILERPLATE = [
    "Home News Sport Business Opinion Culture Weather Obituaries Puzzles Jobs Property Motors",
    "You are using an older browser version. Please use a supported version for the best experience.",
    "We use cookies to improve your experience. By continuing you accept our cookie policy.",
    "Share",
    "Tweet",
    "Advertisement",
    "Skip to main content",
    "Sign up for our newsletter and get the day's news before breakfast.",
    "image beaconimage beaconimage beacon",
    "Related: Council delays vote on the new library",
    "© 2026 The Daily Example. All rights reserved.",
    "Follow us",
    "Most read",
]


@st.composite
def sentences(draw: st.DrawFn) -> str:
    words = draw(st.lists(st.sampled_from(VOCABULARY), min_size=8, max_size=22))
    return " ".join(words).capitalize() + "."


@st.composite
def paragraphs(draw: st.DrawFn) -> str:
    return " ".join(draw(st.lists(sentences(), min_size=2, max_size=4)))


@st.composite
def articles(draw: st.DrawFn, min_paragraphs: int = 4, max_paragraphs: int = 9) -> list[str]:
    """An article as a list of paragraphs of pseudo-words, with enough different words to make
    the distinct shingles a story needs (a text of one word repeated is not an article)."""
    text = st.lists(paragraphs(), min_size=min_paragraphs, max_size=max_paragraphs)
    return draw(text.filter(lambda ps: len({w.strip(".").lower() for p in ps for w in p.split()}) >= 40))


@st.composite
def random_articles(draw: st.DrawFn) -> list[str]:
    """An article drawn by a seeded random generator, not by Hypothesis's search: two of these
    are independent texts over one vocabulary, as two unrelated stories are."""
    rnd = random.Random(draw(st.integers(0, 2**32 - 1)))
    return [
        " ".join(
            " ".join(rnd.choices(VOCABULARY, k=rnd.randint(8, 22))).capitalize() + "." for _ in range(rnd.randint(2, 4))
        )
        for _ in range(rnd.randint(4, 9))
    ]


@st.composite
def chrome(draw: st.DrawFn) -> tuple[list[str], list[str]]:
    """Page boilerplate to put before and after an article's paragraphs."""
    head = draw(st.lists(st.sampled_from(BOILERPLATE), min_size=1, max_size=5))
    tail = draw(st.lists(st.sampled_from(BOILERPLATE), min_size=0, max_size=5))
    return head, tail


def page(paragraphs: list[str], head: list[str] = (), tail: list[str] = ()) -> str:  # type: ignore[assignment]
    return "\n\n".join([*head, *paragraphs, *tail]) + "\n"
