"""Score a store against a generated corpus's ground truth (``truth_story``, ``truth_kind``)."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Detection:
    copies: int  # known copies: (wire story, copy) pairs of the corpus
    found: int  # of those, the pairs that ended in one story
    links: int  # links stored
    right: int  # links between articles of one true story

    @property
    def recall(self) -> float:
        return self.found / self.copies if self.copies else 1.0

    @property
    def precision(self) -> float:
        return self.right / self.links if self.links else 1.0


def read_truth(corpus: Path) -> dict[str, tuple[str, str]]:
    """Article id -> (its true story, its kind)."""
    truth = {}
    with corpus.open(encoding="utf-8") as lines:
        for line in lines:
            record = json.loads(line)
            truth[record["id"]] = (record["truth_story"], record["truth_kind"])
    return truth


def score(store: Path, truth: dict[str, tuple[str, str]]) -> Detection:
    """Recall of the known copies (a copy and its wire story's text in one stored story) and
    precision of the stored links (the canonical and the copy of one true story).

    A wire's story and the story of its update are one story told twice (each copy is linked to
    the version it copied): stories whose canonicals are verified versions of each other count as
    one."""
    conn = sqlite3.connect(f"file:{store}?mode=ro", uri=True)
    try:
        key_of = dict(conn.execute("SELECT id, key FROM articles"))
        parent: dict[int, int] = {}

        def root(story: int) -> int:
            while parent.get(story, story) != story:
                story = parent[story]
            return story

        canonicals = dict(conn.execute("SELECT canonical_id, id FROM stories"))
        for a, b in conn.execute("SELECT a_id, b_id FROM matches WHERE relation = 'version'"):
            if a in canonicals and b in canonicals:
                parent[root(canonicals[a])] = root(canonicals[b])
        stories: dict[int, set[str]] = {}
        for canonical, story in canonicals.items():
            stories.setdefault(root(story), set()).add(key_of[canonical])
        right = links = 0
        for story, article in conn.execute("SELECT story_id, article_id FROM links"):
            canonical, copy = key_of[story], key_of[article]
            stories[root(story)].add(copy)
            links += 1
            right += truth[canonical][0] == truth[copy][0]
    finally:
        conn.close()
    story_of: dict[str, set[int]] = {}
    for story, keys in stories.items():
        for key in keys:
            story_of.setdefault(key, set()).add(story)
    wires = {story: key for key, (story, kind) in truth.items() if kind == "wire"}
    known = [(wires[story], key) for key, (story, kind) in truth.items() if kind == "copy" and story in wires]
    found = sum(bool(story_of.get(wire, set()) & story_of.get(copy, set())) for wire, copy in known)
    return Detection(len(known), found, links, right)
