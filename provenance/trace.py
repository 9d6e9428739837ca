"""Trace one new article to its likely sources in the store, without storing it."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from . import candidates
from .attribute import Node, canonical_rank
from .match import STRENGTH, MatchPolicy, verify, weighed
from .models import RawDocument, Skipped
from .passages import align
from .pipeline import Prepared, ProfileCache, prepare, probe_of
from .sites import captured_url
from .sources import check_inputs, read_inputs
from .store import Store

_PROBE = -1  # the id the traced article stands under: no stored article has it


@dataclass(frozen=True)
class Source:
    """A stored article the traced one derives from (or is derived by), with the evidence."""

    key: str
    relation: str
    similarity: float  # Jaccard similarity of the 5-gram shingles
    containment: float  # share of the traced article's 5-grams found in the source
    reuse: float  # share of the traced article's words (content bigrams) found in the source
    coverage: float  # share of the source's words that the traced article carries
    paragraphs_added: int
    paragraphs_dropped: int
    headline_changed: bool | None
    title: str | None
    publisher: str | None
    published: str | None
    credit: str | None
    story: int | None  # the story the source belongs to
    canonical: str | None  # that story's canonical
    earlier: bool  # the source comes first by the canonical rule: it can be the traced article's source
    confidence: float = 1.0  # the decision's probability that one derives from the other


@dataclass(frozen=True)
class Trace:
    key: str
    location: str
    title: str | None
    publisher: str | None
    published: str | None
    credit: str | None
    sources: list[Source] = field(default_factory=list)


def trace(
    store: Store, inputs: Iterable[str], *, policy: MatchPolicy | None = None, limit: int = 10
) -> Iterator[Trace | Skipped]:
    """For each document of ``inputs``, the stored articles it derives from, strongest first.

    Nothing is written: the store is read only.
    """
    policy = policy or store.policy
    cache = ProfileCache(store)
    for item in read_inputs(check_inputs(inputs)):
        if isinstance(item, RawDocument):
            prepared = prepare(item, store.params, language=False)  # a trace never shows it
            yield prepared if isinstance(prepared, Skipped) else _trace_one(store, prepared, cache, policy, limit)
        elif isinstance(item, Skipped):
            yield item


def _trace_one(store: Store, prepared: Prepared, cache: ProfileCache, policy: MatchPolicy, limit: int) -> Trace:
    article, fp = prepared.article, prepared.fp
    with store.snapshot():  # the keys as one commit left them: an ingest may be folding them
        found = candidates.find([probe_of(_PROBE, prepared, store.params)], store).candidates[_PROBE]
    verified = []
    known = cache.get_many(found)  # most candidates are ruled out without their ordered evidence
    past = {i: theirs for i, theirs in known.items() if weighed(prepared.profile, theirs, policy)}
    for other, theirs in cache.complete(past).items():
        verdict = verify(prepared.profile, theirs, policy)
        if verdict is not None:
            verified.append((other, verdict.relation, verdict.measures, verdict.confidence))
    verified.sort(key=lambda v: (-STRENGTH[v[1]], -v[3], -v[2].bigrams.containment_a, v[0]))
    verified = verified[:limit]
    facts = store.facts(v[0] for v in verified)
    texts = store.titled_texts(v[0] for v in verified)
    stories = store.stories_of(v[0] for v in verified)
    probe = Node(_PROBE, article.key, article.published, fp.tokens, article.role,
                 capture=captured_url(article.url) is not None)  # fmt: skip
    nodes = store.nodes(v[0] for v in verified)
    sources = []
    for other, relation, m, confidence in verified:
        title, text = texts[other]
        stored = cache.get(other)
        bigrams = (prepared.profile.bigrams, stored.bigrams) if stored is not None else None
        aligned = align(article.text, text, article.title, title, bigrams=bigrams, evidence=False)  # shares only
        f = facts[other]
        story, canonical = stories.get(other, (None, None))
        sources.append(
            Source(
                f.key,
                relation,
                m.similarity,
                m.shingles.containment_a,
                aligned.reuse,
                aligned.coverage,
                aligned.added,
                aligned.dropped,
                aligned.headline_changed,
                f.title,
                f.publisher,
                f.published,
                f.credit,
                story,
                canonical,
                canonical_rank(nodes[other]) < canonical_rank(probe),
                confidence,
            )
        )
    return Trace(article.key, article.location, article.title, article.publisher, article.published,
                 article.credit, sources)  # fmt: skip
