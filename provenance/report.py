"""Read the store and render the duplicate report as a terminal table, JSON or CSV."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field, replace
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from .evaluate import Evaluation
from .models import Skipped
from .pipeline import IngestResult
from .store import Store, story_counts
from .trace import Trace

CSV_FIELDS = ("story", "canonical", "origin", "key", "relation", "similarity", "containment", "reuse", "coverage",
              "paragraphs_added", "paragraphs_dropped", "headline_changed", "title", "publisher", "published",
              "credit", "authors", "location", "passages", "passage_words", "sentences", "via",
              "confidence")  # fmt: skip


@dataclass(frozen=True)
class MemberRow:
    key: str
    relation: str  # "canonical" (or "reference" where the original is absent) for the story's first
    similarity: float  # Jaccard similarity of the 5-gram shingles with the canonical
    containment: float  # share of this article's 5-grams found in the canonical
    title: str | None
    publisher: str | None
    published: str | None
    location: str
    credit: str | None = None
    authors: tuple[str, ...] = ()
    reuse: float = 1.0  # share of this article's words (content bigrams) that come from the canonical
    coverage: float = 1.0  # share of the canonical's words that this article carries
    paragraphs_added: int = 0
    paragraphs_dropped: int = 0
    headline_changed: bool | None = None
    passages: int = 0  # verbatim passages of the canonical in this article (see provenance.passages)
    passage_words: int = 0  # this article's words inside them
    sentences: int = 0  # this article's other sentences that reword one of the canonical's
    via: str | None = None  # the key of the version of the canonical's text it copies, where not the canonical
    confidence: float | None = None  # the decision's probability that it derives (None: the canonical, or unknown)


@dataclass(frozen=True)
class OriginRow:
    source: str | None  # the wire or publisher that wrote the text first
    canonical_present: bool  # False: the original is not in the store, only copies of it
    title: str | None
    authors: tuple[str, ...]
    published: str | None
    slug: str | None
    evidence: list[dict[str, Any]]


@dataclass(frozen=True)
class StoryRow:
    story: int
    canonical: str | None  # None where the original is not in the store
    canonical_reason: str
    origin: OriginRow
    members: list[MemberRow]


@dataclass(frozen=True)
class Report:
    articles: int
    stories: list[StoryRow]
    skipped: list[Skipped] = field(default_factory=list)
    run: IngestResult | None = None
    story_count: int = 0  # stories in the store (``stories`` holds the largest of them where limited)
    copies: int = 0  # copies in the store (see store.StoryCounts: a story without its original is all copies)
    without_original: int = 0  # stories whose original is not in the store

    @property
    def more(self) -> int:
        """Stories of the store that the report leaves out (see ``limit`` of :func:`build_report`)."""
        return self.story_count - len(self.stories)


def build_report(store: Store, run: IngestResult | None = None, *, limit: int | None = None) -> Report:
    """The stories in ``store``: those with copies, largest first, and lone copies of an absent
    original (the first ``limit`` of them only, when given); with ``run``, that ingest's counts
    and skipped inputs, else the skipped inputs the store remembers."""
    with store.snapshot():  # an ingest may be writing: its stories are counted wholly or not at all
        return _read_report(store, run, limit)


def _read_report(store: Store, run: IngestResult | None, limit: int | None) -> Report:
    db = store.db
    stories: dict[int, StoryRow] = {}
    for row in db.query(
        f"""SELECT s.id, s.canonical_reason, s.canonical_present, s.origin, {_ARTICLE_FIELDS}
            FROM stories s JOIN articles a ON a.id = s.canonical_id
            ORDER BY s.members DESC, s.canonical_present DESC, a.key
            LIMIT ?""",
        [-1 if limit is None else limit],
    ):
        present = bool(row["canonical_present"])
        first = _member(row, "canonical" if present else "reference")
        origin = json.loads(row["origin"]) if row["origin"] else {}
        origin_row = OriginRow(
            origin.get("source"), present, origin.get("title"), tuple(origin.get("authors", ())),
            origin.get("published"), origin.get("slug"), origin.get("evidence", []),
        )  # fmt: skip
        key = row["key"] if present else None
        stories[row["id"]] = StoryRow(row["id"], key, row["canonical_reason"], origin_row, [first])
    shown = "" if limit is None else "WHERE l.story_id IN (SELECT value FROM json_each(?))"
    for row in db.query(
        f"""SELECT l.story_id, l.relation, l.similarity, l.containment, l.coverage, l.reuse,
                   l.paragraphs_added, l.paragraphs_dropped, l.headline_changed, l.passage_words,
                   json_array_length(l.passages) AS passage_count, json_array_length(l.sentences) AS sentence_count,
                   l.confidence, v.key AS via_key, {_ARTICLE_FIELDS}
            FROM links l JOIN articles a ON a.id = l.article_id LEFT JOIN articles v ON v.id = l.via {shown}
            ORDER BY l.story_id, l.similarity DESC, a.key""",
        [] if limit is None else [json.dumps(list(stories))],
    ):
        changed = None if row["headline_changed"] is None else bool(row["headline_changed"])
        member = replace(
            _member(row, row["relation"], row["similarity"], row["containment"], row["reuse"], row["coverage"],
                    row["paragraphs_added"], row["paragraphs_dropped"], changed),
            passages=row["passage_count"], passage_words=row["passage_words"], sentences=row["sentence_count"],
            via=row["via_key"], confidence=row["confidence"],
        )  # fmt: skip
        stories[row["story_id"]].members.append(member)
    if run is not None:
        skipped = run.skipped
    else:
        skipped = [Skipped(r["location"], r["reason"]) for r in db.query(
            "SELECT location, reason FROM skipped ORDER BY location")]  # fmt: skip
    counts = story_counts(db.conn)
    return Report(store.count("articles"), list(stories.values()), skipped, run,
                  counts.stories, counts.copies, counts.without_original)  # fmt: skip


_ARTICLE_FIELDS = "a.key, a.title, a.publisher, a.published, a.location, a.credit, a.authors"


def _member(row: dict[str, Any], relation: str, similarity: float = 1.0, containment: float = 1.0,
            reuse: float = 1.0, coverage: float = 1.0, added: int = 0, dropped: int = 0,
            changed: bool | None = None) -> MemberRow:  # fmt: skip
    authors = tuple(json.loads(row["authors"])) if row["authors"] else ()
    return MemberRow(row["key"], relation, similarity, containment, row["title"], row["publisher"],
                     row["published"], row["location"], row["credit"], authors, reuse, coverage, added,
                     dropped, changed)  # fmt: skip


def to_json(report: Report) -> str:
    """The report as one JSON object: its counts first (so that ``| head`` shows them), then what
    this run did (``run``, where the report follows an ingest, else null), the skipped inputs and
    the stories."""
    data: dict[str, Any] = {
        "articles": report.articles,
        "story_count": report.story_count,
        "copies": report.copies,
        "without_original": report.without_original,
        "run": None if report.run is None else {k: v for k, v in asdict(report.run).items() if k != "skipped"},
        "skipped": [skipped_record(s) for s in report.skipped],
        "stories": [
            {
                "story": s.story,
                "canonical": s.canonical,
                "canonical_reason": s.canonical_reason,
                "origin": asdict(s.origin),
                "members": [asdict(m) for m in s.members],
            }
            for s in report.stories
        ],
    }
    return json.dumps(data, ensure_ascii=False, indent=2)


def skipped_record(skipped: Skipped) -> dict[str, str]:
    """A skipped input as its location and reason, and what a library said where it said more."""
    record = {"location": skipped.location, "reason": skipped.reason}
    if skipped.detail:
        record["detail"] = skipped.detail
    return record


_MEASURES = ("similarity", "containment", "reuse", "coverage")


def to_csv(report: Report) -> str:
    """One row per member; every measure rounded to 4 decimals."""
    out = io.StringIO()
    # rows end in CRLF (RFC 4180): a carriage return inside a cell is then quoted, and never ends its row
    writer = csv.DictWriter(out, fieldnames=CSV_FIELDS, lineterminator="\r\n")
    writer.writeheader()
    for story in report.stories:
        for m in story.members:
            row = asdict(m)
            row.update(story=story.story, canonical=story.canonical, origin=story.origin.source,
                       authors="; ".join(m.authors))  # fmt: skip
            row.update({name: f"{row[name]:.4f}" for name in _MEASURES})
            row.update(confidence="" if m.confidence is None else f"{m.confidence:.4f}")
            writer.writerow({name: cell(row[name]) for name in CSV_FIELDS})
    return out.getvalue()


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_CONTROL_IN_LINE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def visible(value: object, *, lines: bool = False) -> str:
    """Data as a terminal may show it: every control character (an escape sequence's ESC, a bell,
    a carriage return; bidirectional overrides) as its escape ("\\x1b"), so that it is seen and
    never done; line breaks and tabs kept where ``lines`` (a text), else escaped too (a name)."""
    text = str(value)
    found = (_CONTROL if lines else _CONTROL_IN_LINE).search(text)
    if found is None:
        return text
    return (_CONTROL if lines else _CONTROL_IN_LINE).sub(lambda c: c[0].encode("unicode_escape").decode(), text)


def data(value: object, *, style: str = "", lines: bool = False) -> Text:
    """Data for a rich table or console: never read as markup ("[/bold]"), its control characters
    shown (:func:`visible`)."""
    return Text(visible(value, lines=lines), style=style)


_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def cell(value: object) -> object:
    """A CSV cell a spreadsheet shows as it is: text that a spreadsheet would read as a formula
    (it begins with = + - @, a tab or a carriage return) is written after a quote mark (OWASP's
    advice on CSV injection); numbers as they are."""
    if isinstance(value, str) and value.startswith(_FORMULA):
        return "'" + value
    return value


def plural(count: int, word: str, many: str | None = None) -> str:
    """ "1 article", "2 articles"; ``many`` where the plural is not ``word`` + s."""
    return f"{count} {word if count == 1 else many or word + 's'}"


def summary(report: Report) -> str:
    tail = f"{plural(report.articles, 'article')} in the store, {plural(report.story_count, 'story', 'stories')}"
    if report.without_original:
        tail += f" ({report.without_original} without their original)"
    run = report.run
    if run is None:
        return f"{tail}, {plural(report.copies, 'copy', 'copies')} linked."
    passed = f", {plural(run.passed_over, 'crawl record')} passed over" if run.passed_over else ""
    repeated = f", {run.repeated} repeated" if run.repeated else ""
    moved = f" ({run.moved} moved or renamed)" if run.moved else ""
    return (
        f"{run.read} read: {run.new} new, {run.updated} updated, {run.unchanged} unchanged{moved}{repeated}, "
        f"{len(run.skipped)} skipped; {plural(run.exact_duplicates, 'exact duplicate')}, "
        f"{plural(run.copies_linked, 'copy', 'copies')} linked{passed}; {tail}."
    )


def _origin_line(origin: OriginRow) -> str:
    parts = [f"origin: {origin.source or 'unknown'}", ", ".join(origin.authors), (origin.published or "")[:10]]
    line = " · ".join(p for p in parts if p)
    return line if origin.canonical_present else f"{line} (original not in the store)"


WIDE = 120  # columns from which the table shows publisher and date in a column of their own


def shorten_left(key: str, width: int) -> str:
    """A key cut from the left to fit ``width`` (``…/coastdaily-trimmed.txt``), at a ``/`` where
    one leaves a name whole, so that what is shown can still be told apart and found."""
    if len(key) <= width:
        return key
    if width <= 1:
        return "…"[:width]
    tail = key[-(width - 1) :]
    cut = tail.find("/")
    if 0 <= cut < len(tail) - 1:
        tail = tail[cut:]
    return "…" + tail


def render_table(report: Report, console: Console) -> None:
    """Stories with their canonical and copies, the skipped inputs, and a summary line. Every
    figure is shown whole whatever the width: on a narrow terminal (80 columns) the publisher and
    date go under the title and keys are shortened from the left; from 120 columns they have a
    column of their own."""
    wide = console.width >= WIDE
    if report.stories:
        table = Table(title="Stories and their copies", show_lines=False, expand=False)
        table.add_column("story", justify="right", no_wrap=True)
        table.add_column("article", overflow="fold", ratio=1)
        if wide:
            table.add_column("publisher, date", overflow="fold", max_width=24)
        table.add_column("relation", no_wrap=True)
        for name in ("confidence", "reuse", "coverage") if wide else ("conf.", "reuse", "cover"):
            table.add_column(name, justify="right", no_wrap=True, min_width=4)
        ids = max(len(str(s.story)) for s in report.stories)
        # what the fixed columns take, borders and padding included: the article column has the rest
        fixed = max(5, ids) + 9 + (10 + 5 + 8 if wide else 5 + 5 + 5) + (24 if wide else 0)
        room = max(16, console.width - fixed - 3 * (7 if wide else 6) - 1)
        for story in report.stories:
            for i, m in enumerate(story.members):
                label = data(shorten_left(visible(m.key), room))
                if m.title:
                    label.append(f"\n{visible(m.title)}", style="dim")
                where = " · ".join(filter(None, [visible(m.publisher or ""), visible(m.published or "")[:10]]))
                if where and not wide:
                    label.append(f"\n{where}")
                if i == 0:
                    label.append(f"\n{visible(_origin_line(story.origin))}", style="italic")
                cells: list[str | Text] = [str(story.story) if i == 0 else "", label]
                if wide:
                    cells.append(data("\n".join(filter(None, [m.publisher, (m.published or "")[:10]])), lines=True))
                confidence = "" if i == 0 or m.confidence is None else f"{m.confidence:.2f}"
                cells += [Text(m.relation, style="bold" if i == 0 else ""), confidence, f"{m.reuse:.2f}",
                          f"{m.coverage:.2f}"]  # fmt: skip
                table.add_row(*cells, end_section=i == len(story.members) - 1)
        console.print(table)
        if report.more:
            console.print(f"... and {plural(report.more, 'smaller story', 'smaller stories')}, not shown.")
    else:
        console.print("No copies found.")
    if report.skipped:
        skipped = Table(title="Skipped inputs", expand=False)
        room = max(20, console.width // 2)
        skipped.add_column("input", no_wrap=True, max_width=room)
        skipped.add_column("reason", overflow="fold")
        for s in report.skipped:  # a path shortened from the left at a "/", never broken inside a name
            skipped.add_row(data(shorten_left(visible(s.location), room)), data(s.reason))
        console.print(skipped)
    console.print(summary(report), highlight=False, soft_wrap=not console.is_terminal)  # one line for grep


SHOW_FIELDS = ("key", "title", "authors", "published", "publisher", "credit", "slug", "dateline",
               "copyright", "language", "url", "canonical_url", "original_source", "trailer",
               "location")  # fmt: skip


def article_records(store: Store, keys: list[str] | None = None, *, text: bool = False) -> Iterator[dict[str, Any]]:
    """The extracted metadata of the articles named (all, in key order, when ``keys`` is None),
    with their clean text when ``text``. Keys not in the store are not yielded."""
    columns = ", ".join(f"[{c}]" for c in SHOW_FIELDS + (("text",) if text else ()))
    if keys is None:
        rows: Iterable[dict[str, Any]] = store.db.query(f"SELECT {columns} FROM articles ORDER BY key")
    else:
        rows = (row for key in dict.fromkeys(keys) for row in store.db.query(
            f"SELECT {columns} FROM articles WHERE key = ?", [key]))  # fmt: skip
    for row in rows:
        record = dict(row)
        record["authors"] = json.loads(record["authors"]) if record["authors"] else []
        yield record


def render_records(records: Iterable[dict[str, Any]], console: Console) -> None:
    """Each article as a block of its fields, its text (when present) below them."""
    for record in records:
        grid = Table.grid(padding=(0, 2))
        grid.add_column(style="bold", no_wrap=True)
        grid.add_column(overflow="fold")
        for name in SHOW_FIELDS:
            value = record[name]
            if isinstance(value, list):
                value = ", ".join(value)
            if value:
                grid.add_row(name, data(value))
        console.print(grid)
        if record.get("text"):
            console.print(data(record["text"], lines=True))
        console.print()


def render_evaluation(evaluation: Evaluation, console: Console) -> None:
    """The scores of ``provenance eval`` as a table of figures."""
    table = Table(title=data(f"Evaluation of {evaluation.corpus}"), show_header=True)
    table.add_column("measure")
    table.add_column("value", justify="right")
    table.add_row("documents (skipped)", f"{evaluation.documents} ({evaluation.skipped})")
    table.add_row("stories / links", f"{evaluation.stories} / {evaluation.links}")
    if evaluation.pairs is not None:
        p = evaluation.pairs
        table.add_row("labelled pairs", str(p.pairs))
        table.add_row("derived vs non: precision / recall", f"{p.precision:.3f} / {p.recall:.3f}")
        table.add_row("derived vs non: F1", f"{p.f1:.3f}")
        table.add_row(f"macro-F1 over {', '.join(p.per_class)}", f"{p.macro_f1:.3f}")
        for name, f1 in p.per_class.items():
            table.add_row(f"  F1 {name}", f"{f1:.3f}")
        table.add_row("labelled wholly pairs in a common story", f"{p.wholly_together}/{p.wholly}")
        table.add_row("labelled non pairs in a common story", f"{p.non_together}/{p.non}")
        table.add_row("sharing a story: precision / recall", f"{p.together_precision:.3f} / {p.together_recall:.3f}")
        for relation in ("wholly", "partially", "compilation", "version"):
            counts = p.links.get(relation, {})
            share = p.link_precision_of(relation)
            if counts:
                right = counts.get("wholly", 0) + counts.get("partially", 0)
                wrong, unknown = counts.get("non", 0), counts.get("unlabelled", 0)
                shown = f"{right}/{right + wrong}" + (f" = {share:.2f}" if share is not None else "")
                table.add_row(f"{relation} links labelled derived (unlabelled)", f"{shown} ({unknown})")
        table.add_row(
            "links, stray ones false: P / R / F1",
            f"{p.link_precision:.3f} / {p.link_recall:.3f} / {p.link_f1:.3f}",
        )
    if evaluation.groups is not None:
        g = evaluation.groups
        table.add_row("links inside their group", f"{g.inside}/{g.links} = {g.inside_share:.1%}")
        table.add_row(
            "newspaper articles linked to a wire article",
            f"{g.newspapers_linked}/{g.newspapers} = {g.linked_share:.1%}",
        )
    if evaluation.across_publishers is not None:
        table.add_row("links between two publishers", str(evaluation.across_publishers))
    if evaluation.adjusted_rand is not None:
        table.add_row("adjusted Rand index", f"{evaluation.adjusted_rand:.3f}")
    table.add_row("links made at confidence", f"{evaluation.min_confidence:g}")
    console.print(table)
    if evaluation.curve:
        _render_curve(evaluation, console)
    if evaluation.pairs is not None:
        confusion = Table(title="labels (rows) against relations found (columns)")
        confusion.add_column("label")
        for name in ("wholly", "partially", "non"):
            confusion.add_column(name, justify="right")
        for label, found in evaluation.pairs.confusion.items():
            confusion.add_row(label, *(str(found.get(name, 0)) for name in ("wholly", "partially", "non")))
        console.print(confusion)


def _render_curve(evaluation: Evaluation, console: Console) -> None:
    """Pairs kept at each confidence, with what the corpus tells of them: pick a --min-confidence."""
    points = evaluation.curve
    curve = Table(title="pairs kept at each confidence")
    curve.add_column("confidence", justify="right")
    curve.add_column("pairs", justify="right")
    columns: list[tuple[str, str, Callable[[Any], str]]] = [
        ("precision", "precision", lambda v: f"{v:.3f}"),
        ("recall", "recall", lambda v: f"{v:.3f}"),
        ("across", "across groups", str),
        ("newspapers_linked", "newspapers linked", lambda v: f"{v:.1%}"),
    ]
    shown = [(name, show) for name, _, show in columns if any(getattr(p, name) is not None for p in points)]
    for name, title, _ in columns:
        if any(n == name for n, _ in shown):
            curve.add_column(title, justify="right")
    for point in points:
        cells = [f"{point.threshold:g}", str(point.pairs)]
        for name, show in shown:
            value = getattr(point, name)
            cells.append("-" if value is None else show(value))
        curve.add_row(*cells)
    console.print(curve)


def render_traces(traces: Iterable[Trace], console: Console) -> None:
    """For each traced article, its likely sources, strongest first."""
    for traced in traces:
        head = " · ".join(filter(None, [traced.key, traced.title, traced.credit and f"credits {traced.credit}"]))
        if not traced.sources:
            console.print(data(f"{head}: no source in the store."))
            continue
        wide = console.width >= WIDE
        table = Table(title=data(head), expand=False)
        table.add_column("source", overflow="fold", ratio=1)
        if wide:
            table.add_column("publisher, date", overflow="fold", max_width=20)
        table.add_column("relation", no_wrap=True)
        for name in ("confidence", "reuse", "coverage") if wide else ("conf.", "reuse", "cover"):
            table.add_column(name, justify="right", no_wrap=True)
        if wide:
            table.add_column("story", overflow="fold", max_width=30)
        for s in traced.sources:
            label = data(s.key)
            if s.title:
                label.append(f"\n{visible(s.title)}", style="dim")
            where = " · ".join(filter(None, [visible(s.publisher or ""), visible(s.published or "")[:10]]))
            if where and not wide:
                label.append(f"\n{where}")
            if s.canonical and not wide:
                label.append(f"\nstory: {visible(s.canonical)}")
            if not s.earlier:
                label.append("\n(comes after the traced article)", style="italic")
            cells: list[str | Text] = [label]
            if wide:
                cells.append(data("\n".join(filter(None, [s.publisher, (s.published or "")[:10]])), lines=True))
            cells += [s.relation, f"{s.confidence:.2f}", f"{s.reuse:.2f}", f"{s.coverage:.2f}"]
            if wide:
                cells.append(data(s.canonical or ""))
            table.add_row(*cells)
        console.print(table)
