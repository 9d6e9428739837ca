"""A deterministic generator of news-like corpora with a known ground truth, for benchmarks.

    python -m benchmarks.corpus --articles N [--seed S] > corpus.jsonl

Text: sentences of English function words and made-up content words drawn from a Zipf
vocabulary, with each story's own names and places; paragraphs of 40-120 words, articles of
300-1,200 words. The corpus mixes, in fixed proportions:

- wire stories (a wire's own text with its credit and slug) and their syndicated copies on
  other sites: each copy adds the site's page boilerplate (menus, notices, footer), may change the
  headline, drops paragraphs (keeping at least half), edits about 2% of the words, and may add a
  paragraph of its own;
- versions: a wire's update of its own story later in the day (a paragraph added, a sentence
  changed), under the same publisher;
- independent stories;
- same-event stories: a third of all stories, wire or independent, report the event of the story
  before (the same names and places, other text) and print the same quotations from it (what was
  said at the press conference, in curly quotes): close to copies on every shallow measure, and
  not copies.

Each JSONL record has ``id``, ``text``, ``title``, ``publisher``, ``published``, ``url`` and the
ground truth in ``truth_story`` (records of one story share it) and ``truth_kind`` (``wire``,
``copy``, ``version``, ``independent``). ingest ignores the ``truth_`` fields.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

_LETTERS = np.array(list("etaoinshrdlcumwfgypbvkjxqz"))
# English function words with rough relative frequencies: they make up about half of news text
_FUNCTION = (  # noqa: SIM905 - word and weight pairs, read as a table
    "the 60 of 30 and 28 to 27 a 23 in 21 that 11 is 10 for 9 on 8 it 7 with 7 as 6 was 6 he 6 said 6 "
    "be 5 by 5 at 5 from 4 his 4 an 4 have 4 has 4 are 4 but 4 not 3 they 3 this 3 were 3 which 3 or 3 "
    "had 3 its 3 their 3 will 3 been 2 would 2 who 2 more 2 after 2 also 2 than 2 there 2 one 2 about 2 "
    "into 2 when 2 we 2 could 2 other 2 over 2 last 2 new 2 two 2 year 2 all 2 up 1 out 1 she 1 her 1 "
    "them 1 can 1 some 1 what 1 if 1 so 1 no 1 most 1 before 1 while 1 where 1 those 1 these 1 only 1"
).split()
FUNCTION_WORDS = np.array(_FUNCTION[0::2])
_FUNCTION_P = np.array([float(w) for w in _FUNCTION[1::2]])
_FUNCTION_CDF = np.cumsum(_FUNCTION_P / _FUNCTION_P.sum())
_FUNCTION_CDF[-1] = 1.0
WIRES = (("AP", "Associated Press"), ("Reuters", "Reuters"), ("AFP", "Agence France-Presse"), ("PA", "PA Media"))
_MENU = ("Home", "News", "Sport", "Business", "Opinion", "Culture", "Weather", "Video", "Local", "Obituaries")


def vocabulary(size: int, seed: int = 7) -> list[str]:
    """``size`` made-up lower-case words of 3-11 letters, in a fixed order (their Zipf ranks)."""
    rng = np.random.default_rng(seed)
    letters = np.frombuffer("".join(_LETTERS.tolist()).encode(), dtype=np.uint8)
    words: dict[str, None] = {}
    function = set(FUNCTION_WORDS.tolist())
    while len(words) < size:
        draw = size - len(words) + 1000
        lengths = rng.integers(3, 12, draw)
        codes = letters[rng.integers(0, len(letters), (draw, 11))]
        for row, length in zip(codes, lengths.tolist(), strict=True):
            word = row[:length].tobytes().decode()
            if word not in function:
                words[word] = None
    return list(words)[:size]


@dataclass(frozen=True)
class Record:
    id: str
    title: str
    text: str
    publisher: str
    published: str
    url: str
    truth_story: str
    truth_kind: str

    def json(self) -> str:
        return json.dumps(self.__dict__, ensure_ascii=False)


VERSION = 2  # of the text it writes: a corpus cached under another version is written again


class Generator:
    """Writes a corpus story by story; the same seed gives the same corpus."""

    def __init__(self, seed: int = 11, vocab_size: int = 400_000, sites: int = 400) -> None:
        self.rng = np.random.default_rng(seed)
        self.words = np.array(vocabulary(vocab_size))
        # Zipf-Mandelbrot ranks: p(r) ~ 1 / (r + 10): the commonest content word is about 1% of them
        weights = 1.0 / (np.arange(vocab_size) + 10.0)
        self.cdf = np.cumsum(weights / weights.sum())
        self.cdf[-1] = 1.0
        self.names = np.array([w.capitalize() for w in vocabulary(100_000, seed=seed + 1)])
        self.sites = [
            f"{self.names[i]} {('Herald', 'Gazette', 'Times', 'Post', 'Courier')[i % 5]}" for i in range(sites)
        ]
        self.stories = 0

    # -- text --------------------------------------------------------------------------------

    def _words(self, n: int, topic: np.ndarray) -> list[str]:
        """``n`` words of running text: function words, content words, the story's names."""
        rng = self.rng
        kinds = rng.random(n)
        function = FUNCTION_WORDS[np.searchsorted(_FUNCTION_CDF, rng.random(n))]
        content = self.words[np.searchsorted(self.cdf, rng.random(n))]
        names = topic[rng.integers(0, len(topic), n)]
        tokens: list[str] = np.where(kinds < 0.48, function, np.where(kinds < 0.93, content, names)).tolist()
        return tokens

    def _sentences(self, words: int, topic: np.ndarray) -> list[str]:
        """Sentences of 8-28 words, about ``words`` words in all."""
        lengths = self.rng.integers(8, 29, words // 8 + 1)
        cut = int(np.searchsorted(np.cumsum(lengths), words)) + 1
        lengths = lengths[:cut]
        tokens = self._words(int(lengths.sum()), topic)
        sentences, at = [], 0
        for length in lengths.tolist():
            sentence = " ".join(tokens[at : at + length])
            sentences.append(sentence[0].upper() + sentence[1:] + ".")
            at += length
        return sentences

    def _paragraph(self, topic: np.ndarray) -> str:
        return " ".join(self._sentences(int(self.rng.integers(40, 121)), topic))

    def quotations(self, topic: np.ndarray) -> list[str]:
        """What was said at a topic's event: three sentences, the same in every story on it."""
        rng = np.random.default_rng(int.from_bytes(" ".join(topic.tolist()).encode()[:16], "little"))
        said = []
        for _ in range(3):
            n = int(rng.integers(12, 26))
            words = np.where(
                rng.random(n) < 0.5,
                FUNCTION_WORDS[np.searchsorted(_FUNCTION_CDF, rng.random(n))],
                self.words[np.searchsorted(self.cdf, rng.random(n))],
            ).tolist()
            said.append(" ".join(words).capitalize())
        return said

    def _quoting(self, topic: np.ndarray) -> str:
        """A paragraph of the event's quotations, with who said them."""
        first, second, third = self.quotations(topic)
        speaker = f"{topic[4]} {topic[5]}"
        return f"\u201c{first}.\u201d {speaker} said. \u201c{second}, {third.lower()}.\u201d"

    def _body(self, topic: np.ndarray) -> list[str]:
        """Paragraphs of 40-120 words, 300-1,200 words in all, the event's quotations the second."""
        sentences = self._sentences(int(self.rng.integers(300, 1201)), topic)
        paragraphs, current, words = [], [], 0
        target = int(self.rng.integers(40, 121))
        for sentence in sentences:
            current.append(sentence)
            words += sentence.count(" ") + 1
            if words >= target:
                paragraphs.append(" ".join(current))
                current, words, target = [], 0, int(self.rng.integers(40, 121))
        if current:
            paragraphs.append(" ".join(current))
        paragraphs.insert(1, self._quoting(topic))
        return paragraphs

    def _title(self, topic: np.ndarray) -> str:
        return self._sentences(8, topic)[0].rstrip(".")[:90]

    def _topic(self) -> np.ndarray:
        return self.names[self.rng.integers(0, len(self.names), 6)]

    def _edit(self, paragraph: str, share: float) -> str:
        """Replace about ``share`` of the words of a paragraph with other words."""
        tokens = paragraph.split(" ")
        for i in np.flatnonzero(self.rng.random(len(tokens)) < share):
            tokens[i] = str(self.words[int(self.rng.integers(0, 5000))])
        return " ".join(tokens)

    def _page(self, site: str, title: str, body: list[str]) -> str:
        """A copy as a page dump: the site's menus and notices around the article."""
        menu = " | ".join(_MENU[: 5 + len(site) % 5])
        head = [site, menu, "Subscribe for full access | Sign in", title]
        foot = [
            "Share this article: Facebook | X | Email",
            f"Related: {self._title(self._topic())}",
            "We use cookies to improve your experience. Accept | Manage settings",
            f"© 2026 {site}. All rights reserved.",
        ]
        return "\n\n".join([*head, *body, *foot])

    # -- stories -----------------------------------------------------------------------------

    def _day(self) -> str:
        return f"2026-{1 + self.stories % 12:02d}-{1 + self.stories % 28:02d}"

    def wire_story(self, topic: np.ndarray) -> Iterator[Record]:
        rng = self.rng
        self.stories += 1
        story = f"s{self.stories}"
        short, wire = WIRES[int(rng.integers(0, len(WIRES)))]
        title = self._title(topic)
        body = self._body(topic)
        body[0] = f"{str(topic[0]).upper()} ({short}) — {body[0]}"
        day = self._day()
        slug = f"{short}-{str(topic[1]).upper()}-{self.stories}"
        text = "\n\n".join([title, f"By {topic[2]} {topic[3]}", *body, f"Slug: {slug}"])
        url = f"https://{short.lower()}.example/{story}"
        yield Record(f"{story}-wire", title, text, wire, day, url, story, "wire")
        if rng.random() < 0.1:  # the wire's update later in the day
            updated = [*body[:-1], self._edit(body[-1], 0.1), self._paragraph(topic)]
            text = "\n\n".join([title, f"By {topic[2]} {topic[3]}", *updated, f"Slug: {slug}"])
            yield Record(f"{story}-update", title, text, wire, day, f"{url}?update=1", story, "version")
        copies = min(50, int(rng.geometric(0.3)))
        for n in range(copies):
            site = self.sites[int(rng.integers(0, len(self.sites)))]
            headline = title if rng.random() < 0.5 else self._title(topic)
            keep = [0, *[i for i in range(1, len(body)) if rng.random() >= 0.25]]
            while len(keep) < (len(body) + 1) // 2:  # at least half of the paragraphs stay
                keep = sorted({*keep, int(rng.integers(1, len(body)))})
            kept = [self._edit(body[i], 0.02) for i in keep]
            if rng.random() < 0.3:
                kept.append(self._paragraph(topic))
            host = site.lower().replace(" ", "")
            yield Record(f"{story}-copy{n}", headline, self._page(site, headline, kept), site, day,
                         f"https://{host}.example/{story}", story, "copy")  # fmt: skip

    def independent_story(self, topic: np.ndarray) -> Record:
        self.stories += 1
        story = f"s{self.stories}"
        site = self.sites[int(self.rng.integers(0, len(self.sites)))]
        title = self._title(topic)
        body = self._body(topic)
        host = site.lower().replace(" ", "")
        return Record(f"{story}-own", title, self._page(site, title, body), site, self._day(),
                      f"https://{host}.example/{story}", story, "independent")  # fmt: skip

    def records(self, count: int) -> Iterator[Record]:
        """``count`` records: about a quarter of the stories are wire stories with their copies, and a
        third of all stories report the event of the story before."""
        made = 0
        topic = self._topic()
        while made < count:
            if self.rng.random() >= 1 / 3:
                topic = self._topic()
            if self.rng.random() < 0.25:
                batch: list[Record] = list(self.wire_story(topic))
            else:
                batch = [self.independent_story(topic)]
            yield from batch[: count - made]
            made += len(batch)

    def write(self, path: Path, count: int) -> Path:
        """:meth:`records` as a JSONL file at ``path`` (a record a line)."""
        with path.open("w", encoding="utf-8") as out:
            for record in self.records(count):
                out.write(record.json() + "\n")
        return path


def articles(count: int, seed: int = 11) -> list[str]:
    """The texts of the first ``count`` records of a generated corpus."""
    return [record.text for record in Generator(seed).records(count)]


def main() -> None:
    import argparse
    import sys

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()
    out = sys.stdout
    for record in Generator(args.seed).records(args.articles):
        out.write(record.json() + "\n")


if __name__ == "__main__":
    main()
