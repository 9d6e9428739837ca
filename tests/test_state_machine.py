"""Random sequences of ingests against a model of what the store must hold (hypothesis stateful
testing): new stories, their copies, unrelated texts, the same files again, changed texts. After
every step: every article is there by its key with its latest text, every link is verified
again from the two texts, stories are stars, and the report's counts are the tables'."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import Bundle, RuleBasedStateMachine, consumes, invariant, rule

from provenance import RawDocument, Store, build_report, ingest
from provenance.extract import extract
from provenance.fingerprint import fingerprint
from provenance.match import places, profile, relate

from .state import problems
from .strategies import articles, chrome, page, random_articles


class Ingests(RuleBasedStateMachine):
    sources = Bundle("sources")

    def __init__(self) -> None:
        super().__init__()
        self.folder = Path(tempfile.mkdtemp())
        self.store = Store.open(self.folder / "store.db")
        self.texts: dict[str, list[str]] = {}  # key -> the paragraphs it was last ingested with
        self.pages: dict[str, str] = {}  # key -> the page they were in
        self.copies: dict[str, str] = {}  # copy key -> source key, while neither has changed since
        self.files = 0

    def teardown(self) -> None:
        self.store.close()
        shutil.rmtree(self.folder)

    def _ingest(self, key: str, paragraphs: list[str], head: list[str] = (), tail: list[str] = ()) -> int:  # type: ignore[assignment]
        path = self.folder / key
        self.pages[key] = page(paragraphs, head, tail)
        path.write_text(self.pages[key])
        result = ingest(self.store, [str(path)])
        changed = self.texts.get(key) not in (None, paragraphs)
        self.texts[key] = paragraphs
        if changed:  # links to or from a changed text are decided anew
            self.copies = {c: s for c, s in self.copies.items() if key not in (c, s)}
        return result.new + result.updated

    def _new_key(self) -> str:
        self.files += 1
        return f"{self.files:03}.txt"

    @rule(target=sources, paragraphs=articles(min_paragraphs=5))
    def new_story(self, paragraphs: list[str]) -> str:
        key = self._new_key()
        assert self._ingest(key, paragraphs) == 1
        return key

    @rule(source=sources, garnish=chrome(), cut=st.integers(0, 2))
    def copy_of_a_story(self, source: str, garnish: tuple[list[str], list[str]], cut: int) -> None:
        paragraphs = self.texts[source]
        key = self._new_key()
        self._ingest(key, paragraphs[: len(paragraphs) - cut], *garnish)
        self.copies[key] = source

    @rule(paragraphs=random_articles())
    def unrelated_text(self, paragraphs: list[str]) -> None:
        self._ingest(self._new_key(), paragraphs)

    @rule(source=sources)
    def same_file_again(self, source: str) -> None:
        assert ingest(self.store, [str(self.folder / source)]).unchanged == 1

    @rule(source=consumes(sources), paragraphs=random_articles())
    def story_given_a_new_text(self, source: str, paragraphs: list[str]) -> None:
        assert self._ingest(source, paragraphs) == 1

    @invariant()
    def every_article_is_there_with_its_latest_text(self) -> None:
        stored = dict(self.store.db.execute("SELECT key, content_hash FROM articles").fetchall())
        pages = {str(self.folder / key): text for key, text in self.pages.items()}
        assert set(stored) == set(pages)
        for key, text in pages.items():  # the text as extracted from the page last ingested
            raw = RawDocument(key, key, "text", text)
            assert stored[key] == fingerprint(extract(raw).text, self.store.params).content_hash

    @invariant()
    def the_store_is_sound_and_stories_are_stars(self) -> None:
        assert problems(self.store.path) == []

    @invariant()
    def every_link_is_verified_again_from_the_two_texts(self) -> None:
        rows = self.store.db.execute(
            """SELECT c.text, c.publisher, c.url, c.canonical_url, a.text, a.publisher, a.url, a.canonical_url
               FROM links l JOIN stories s ON s.id = l.story_id
               JOIN articles c ON c.id = s.canonical_id JOIN articles a ON a.id = l.article_id"""
        ).fetchall()
        for row in rows:
            canonical, copy = row[0], row[4]
            first = profile(canonical, fingerprint(canonical, self.store.params), places(*row[1:4]))
            second = profile(copy, fingerprint(copy, self.store.params), places(*row[5:8]))
            relation, _ = relate(first, second, self.store.policy)
            assert relation is not None

    @invariant()
    def copies_share_their_sources_story(self) -> None:
        story_of: dict[str, set[str]] = {}
        for story in build_report(self.store).stories:
            keys = {m.key for m in story.members}
            for key in keys:
                story_of.setdefault(key, set()).update(keys)
        for copy, source in self.copies.items():
            assert str(self.folder / source) in story_of.get(str(self.folder / copy), set())

    @invariant()
    def report_counts_are_the_tables(self) -> None:
        report = build_report(self.store)
        count = self.store.count
        assert report.articles == count("articles") == len(self.texts)
        assert report.story_count == len(report.stories) == count("stories")
        assert sum(len(s.members) - 1 for s in report.stories) == count("links")
        # a story without its original is all copies (see store.StoryCounts)
        assert report.copies == count("links") + report.without_original
        assert report.without_original == sum(not s.origin.canonical_present for s in report.stories)


Ingests.TestCase.settings = settings(max_examples=60, stateful_step_count=12, deadline=None)
test_random_ingests_keep_the_store_true = Ingests.TestCase
