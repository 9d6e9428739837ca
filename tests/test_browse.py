"""The datasette plugin: a provenance store read in datasette, in process."""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path

import pytest
import sqlite_utils
from datasette.app import Datasette
from markupsafe import escape

from provenance import Store, ingest
from provenance.browse import is_store

from .conftest import SAMPLES

HOSTILE_TITLE = 'Harbour <img src=x onerror="alert(1)"> ferry fares rise'
HOSTILE_SCRIPT = '<script>alert("copied")</script>'


HOSTILE_PUBLISHER = "Gull <b>Island</b> Gazette & Co / 2"  # markup, an ampersand, a slash


def hostile_feed(path: Path) -> Path:
    """Two publishers' copies of one story whose title and text carry markup."""
    paragraphs = [
        f"The harbour ferry company said on Monday that fares on its three island routes will rise by "
        f"eight percent from April, the first increase since the service was taken over by the council. "
        f"{HOSTILE_SCRIPT}",
        "Commuters who cross to Gull Island every morning will pay four dollars and twenty cents a trip, "
        "while a monthly pass goes up to one hundred and twelve dollars, according to the new timetable.",
        "Operators blamed the cost of diesel and of the mechanics needed to keep two ageing vessels at sea. "
        "A third boat, ordered from a yard in the north, is not expected to enter service before next winter.",
        "Residents' groups said they would ask the council to freeze fares for pensioners and students, and "
        "a petition against the rise had gathered more than two thousand names by the weekend.",
    ]
    records = [
        {"id": "ferry-wire", "publisher": "Island Wire", "published": "2026-02-02", "title": HOSTILE_TITLE,
         "text": "\n\n".join(paragraphs)},
        {"id": "ferry-copy", "publisher": HOSTILE_PUBLISHER, "published": "2026-02-03",
         "title": HOSTILE_TITLE, "text": "\n\n".join(paragraphs[:3])},
    ]  # fmt: skip
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("browse")
    feed = hostile_feed(folder / "hostile.jsonl")
    path = folder / "news.db"
    with Store.open(path) as store:
        ingest(store, [str(SAMPLES), str(feed)])
    return path


@pytest.fixture
async def ds(store_path: Path) -> Datasette:
    datasette = Datasette([str(store_path)])
    await datasette.invoke_startup()
    return datasette


def row_id(path: Path, sql: str, *params: object) -> int:
    with sqlite3.connect(path) as conn:
        found = conn.execute(sql, params).fetchone()
    if found is None:
        raise LookupError(sql)
    return int(found[0])


def wire_story(path: Path) -> int:
    return row_id(path, "SELECT id FROM stories WHERE source = 'Northwind'")


async def test_metadata_describes_the_store_and_hides_internal_tables(ds: Datasette) -> None:
    response = await ds.client.get("/-/metadata.json")
    assert response.status_code == 200
    metadata = response.json()
    assert metadata["title"] == "provenance"
    tables = metadata["databases"]["news"]["tables"]
    assert tables["stories"]["label_column"] == "title"
    assert tables["articles"]["facets"] == ["publisher", "credit", "language"]
    listed = {t["name"]: t["hidden"] for t in (await ds.client.get("/news.json")).json()["tables"]}
    assert listed["articles"] is False
    assert listed["stories"] is False
    internal = (
        "bands",
        "postings",
        "recent_keys",
        "folding",
        "key_presence",
        "common_words",
        "parameters",
        "_sqlite_migrations",
    )
    assert all(listed[name] for name in internal)


async def test_foreign_keys_render_as_labelled_links(ds: Datasette, store_path: Path) -> None:
    story = wire_story(store_path)
    title = "Kestrel Bay port board approves $1.2 billion container terminal expansion"
    links = (await ds.client.get(f"/news/links?story_id={story}")).text
    assert f'<a href="/news/stories/{story}">{title}</a>' in links
    copy = row_id(store_path, "SELECT id FROM articles WHERE key LIKE '%harbourtimes-copy.txt'")
    assert re.search(rf'<a href="/news/articles/{copy}">[^<]+</a>', links)
    articles = (await ds.client.get("/news/articles?publisher=Bay+Herald")).text
    assert '<a href="/news/-/publisher/Bay%20Herald">Bay Herald</a>' in articles  # its publisher page
    stories = (await ds.client.get("/news/stories")).text
    assert f'<a href="/news/articles/{story}">{title}</a>' in stories  # the canonical, by its title
    assert f'<a href="/news/-/story/{story}">{title}</a>' in stories  # the title opens the story page


async def test_facets_on_publisher_credit_and_relation(ds: Datasette) -> None:
    articles = (await ds.client.get("/news/articles.json?_facet=publisher")).json()
    publishers = {f["value"]: f["count"] for f in articles["facet_results"]["publisher"]["results"]}
    assert publishers["Bay Herald"] == 2  # the copy and its own preview of the vote
    links = (await ds.client.get("/news/links.json")).json()
    assert "relation" in links["facet_results"]


async def test_search_finds_articles_by_title_and_text(ds: Datasette) -> None:
    found = (await ds.client.get("/news/articles.json?_search=dredging&_shape=array")).json()
    assert found
    assert all("dredging" in row["text"].lower() for row in found)
    by_title = (await ds.client.get("/news/articles.json?_search=ferry+fares&_shape=array")).json()
    assert sorted(row["key"] for row in by_title) == ["ferry-copy", "ferry-wire"]


async def test_search_is_kept_in_sync_on_insert(tmp_path: Path) -> None:
    path = tmp_path / "grow.db"
    with Store.open(path) as store:
        ingest(store, [str(SAMPLES / "000_a7592bb494e02b3e.txt")])
        feed = hostile_feed(tmp_path / "more.jsonl")
        ingest(store, [str(feed)])
    datasette = Datasette([str(path)])
    found = (await datasette.client.get("/grow/articles.json?_search=pensioners&_shape=array")).json()
    assert sorted(row["key"] for row in found) == ["ferry-wire"]


async def test_canned_queries(ds: Datasette, store_path: Path) -> None:
    story = wire_story(store_path)
    most = (await ds.client.get("/news/stories_with_most_copies.json?_shape=array")).json()
    assert most[0]["story"] == story
    assert most[0]["copies"] == 4
    assert most[0]["origin"] == "Northwind"
    key = (await ds.client.get(f"/news/articles/{story}.json?_shape=array")).json()[0]["key"]
    copies = (await ds.client.get("/news/copies_of_article.json", params={"key": key, "_shape": "array"})).json()
    assert len(copies) == 5
    assert copies[0]["relation"] == "canonical"
    assert {row["story"] for row in copies} == {story}
    none = (await ds.client.get("/news/copies_of_article.json?key=no-such-article&_shape=array")).json()
    assert none == []
    churn = {
        r["publisher"]: r for r in (await ds.client.get("/news/who_republishes_wire_copy.json?_shape=array")).json()
    }
    assert churn["Bay Herald"]["copies"] == 1
    assert churn["Bay Herald"]["wire_copies"] == 1
    assert churn["Bay Herald"]["articles"] == 2
    assert churn["Bay Herald"]["wire_share"] == 0.5
    assert churn["Northwind Wire Service"]["copies"] == 0
    changes = (await ds.client.get("/news/largest_changes.json?_shape=array")).json()
    assert changes
    totals = [row["paragraphs_added"] + row["paragraphs_dropped"] for row in changes]
    assert totals == sorted(totals, reverse=True)


async def test_story_page_shows_origin_and_each_copy_beside_the_source(ds: Datasette, store_path: Path) -> None:
    story = wire_story(store_path)
    response = await ds.client.get(f"/news/-/story/{story}")
    assert response.status_code == 200
    page = response.text
    assert "<h2>Origin</h2>" in page
    assert "NW-PORT-KESTREL-EXPANSION" in page  # the original slug
    assert "Maren Holt, Tomas Ferreira" in page  # the original byline
    assert "credit line" in page  # evidence, with its confidence
    assert "4 copies" in page
    with sqlite3.connect(store_path) as conn:
        members = [r[0] for r in conn.execute("SELECT article_id FROM links WHERE story_id = ?", [story])]
        trimmed = conn.execute(
            """SELECT l.paragraphs_dropped FROM links l JOIN articles a ON a.id = l.article_id
               WHERE a.key LIKE '%coastdaily-trimmed.txt'"""
        ).fetchone()[0]
    for member in [story, *members]:
        assert f'href="/news/articles/{member}"' in page
    assert trimmed > 0
    assert page.count('class="dropped"') >= trimmed  # the trimmed copy's cuts are marked
    assert 'class="reused"' in page
    assert "reuse 100% of the copy comes from the source" in page
    with sqlite3.connect(store_path) as conn:
        confidences = [r[0] for r in conn.execute("SELECT confidence FROM links WHERE story_id = ?", [story])]
    assert all(c is not None for c in confidences)
    for confidence in confidences:  # each copy says how sure its link is
        assert f"confidence {confidence:.2f}" in page
    # what each copy took, marked in both texts: the trimmed copy's passages, as stored
    with sqlite3.connect(store_path) as conn:
        text, passages = conn.execute(
            """SELECT a.text, l.passages FROM links l JOIN articles a ON a.id = l.article_id
               WHERE a.key LIKE '%coastdaily-trimmed.txt'"""
        ).fetchone()
    spans = json.loads(passages)
    assert spans
    first_paragraph = text[spans[0][0] : spans[0][1]].split("\n\n")[0]
    assert f'<mark class="passage">{escape(first_paragraph)}' in page
    assert "taken word for word" in page


async def test_story_page_says_what_each_copier_changed_word_by_word(ds: Datasette, store_path: Path) -> None:
    page = (await ds.client.get(f"/news/-/story/{wire_story(store_path)}")).text
    summaries = re.findall(r'<p class="changes-summary">(.*?)</p>', page)
    assert "same headline; no word changed; paragraphs 6–9 dropped" in summaries  # the trimmed copy
    assert (
        "new headline; 6 words changed in 3 paragraphs; paragraph 9 dropped; 1 paragraph added after paragraph 4"
    ) in summaries  # the rewritten one
    assert len(summaries) == 4
    assert page.count('<div class="word-changes">') == 1  # only the copy that changed words shows them
    assert "<del>2-kilometre</del> <ins>two-kilometre</ins>" in page
    assert "<del>five</del>" in page
    assert "Paragraph 8 (the source's 7):" in page  # the copy added one before it
    with sqlite3.connect(store_path) as conn:
        rewritten = conn.execute("SELECT id FROM articles WHERE key LIKE '%morningpost-new-headline.txt'").fetchone()[0]
    alone = (await ds.client.get(f"/news/-/story/{wire_story(store_path)}?copy={rewritten}")).text
    assert alone.count('<details class="copy"') == 1
    assert "One copy of 4" in alone
    assert (await ds.client.get(f"/news/-/story/{wire_story(store_path)}?copy=99999")).status_code == 404
    headline = re.search(r'<p class="headline">(.*?)</p>', page)
    assert headline is not None
    assert "<ins>Port&#39;s north terminal plan wins approval after three-year fight</ins>" in headline.group(1)


async def test_story_page_draws_when_each_copy_appeared(ds: Datasette, store_path: Path) -> None:
    story = wire_story(store_path)
    page = (await ds.client.get(f"/news/-/story/{story}")).text
    svg = re.search(r'<svg class="timeline".*?</svg>', page, re.S)
    assert svg is not None
    marks = re.findall(r'<a class="mark (\w+)" href="/news/articles/(\d+)">', svg.group(0))
    with sqlite3.connect(store_path) as conn:
        members = {
            (r, str(a)) for r, a in conn.execute("SELECT relation, article_id FROM links WHERE story_id = ?", [story])
        }
    assert marks[0] == ("origin", str(story))
    assert set(marks[1:]) == members
    assert "in days after the origin" in svg.group(0)  # the samples carry dates, no times


async def test_publisher_page_says_how_much_of_it_is_copy_and_of_whom(ds: Datasette, store_path: Path) -> None:
    response = await ds.client.get("/news/-/publisher/Coast%20Daily%20Media")
    assert response.status_code == 200
    page = response.text
    assert "<h1>Coast Daily Media</h1>" in page
    assert "<dt>Copies of another's story</dt><dd>1 (100% of its articles)</dd>" in page
    assert "its copies carry 52% of their source on average" in page
    assert "0.0 days (dates only) after the story's origin" in page
    assert '<svg class="bars"' in page
    assert ">Northwind</text>" in page  # its copies by origin
    assert '<svg class="days"' in page
    assert f'href="/news/-/story/{wire_story(store_path)}"' in page  # its copies open their stories
    wire = (await ds.client.get("/news/-/publisher/Northwind%20Wire%20Service")).text
    assert "<dt>Stories it wrote first</dt><dd>1 (" in wire
    missing = await ds.client.get("/news/-/publisher/Nobody%20At%20All")
    assert missing.status_code == 404
    assert "No articles of a publisher &#39;Nobody At All&#39; in news" in missing.text


async def test_a_publisher_name_is_data_in_its_address_and_on_its_page(ds: Datasette) -> None:
    from urllib.parse import quote

    table = (await ds.client.get("/news/articles?_facet=publisher")).text
    address = f"/news/-/publisher/{quote(HOSTILE_PUBLISHER, safe='')}"
    assert f'<a href="{address}">Gull &lt;b&gt;Island&lt;/b&gt; Gazette &amp; Co / 2</a>' in table
    page = (await ds.client.get(address)).text
    assert "<h1>Gull &lt;b&gt;Island&lt;/b&gt; Gazette &amp; Co / 2</h1>" in page
    assert "<b>Island</b>" not in page


async def test_overview_counts_the_store_and_names_its_largest_stories_and_republishers(
    ds: Datasette, store_path: Path
) -> None:
    assert '<a href="/news/-/overview">The store at a glance</a>' in (await ds.client.get("/news")).text
    page = (await ds.client.get("/news/-/overview")).text
    with sqlite3.connect(store_path) as conn:
        articles, links = conn.execute(
            "SELECT (SELECT count(*) FROM articles), (SELECT count(*) FROM links)"
        ).fetchone()
    assert f"<dt>Articles</dt><dd>{articles}</dd>" in page
    # one definition (as the report's): the Bloomberg story's lone copy is a copy, and its story a story
    assert "<dt>Stories</dt><dd>3 (1 without their original in the store)</dd>" in page
    assert f"<dt>Copies</dt><dd>{links + 1} (" in page
    largest = re.findall(r'<tr><td><a href="/news/-/story/(\d+)">', page)
    assert largest[0] == str(wire_story(store_path))  # the wire story has the most copies
    assert len(largest) == 3  # the wire story, the ferry story, the Bloomberg story
    assert '<a href="/news/-/publisher/Bay%20Herald">Bay Herald</a>: 1 copy' in page
    assert '<svg class="bars"' in page
    assert '<svg class="days"' in page


def test_the_html_report_shows_article_markup_as_text(store_path: Path) -> None:
    from provenance.browse.standalone import html_report

    with sqlite3.connect(store_path, isolation_level=None) as conn:
        page = html_report(conn, "news <b>")
    assert "<img src=x" not in page
    assert "&lt;img src=x onerror=" in page
    assert "<title>news &lt;b&gt;: 2 stories and their copies</title>" in page


async def test_story_page_of_an_absent_original_says_so(ds: Datasette, store_path: Path) -> None:
    story = row_id(store_path, "SELECT id FROM stories WHERE source = 'Bloomberg'")
    page = (await ds.client.get(f"/news/-/story/{story}")).text
    assert "The original is not in the store" in page
    assert "Written first by</dt><dd>Bloomberg" in page
    assert "<h2>1 copy (the original is not in the store" in page  # never "0 copies"


async def test_unknown_story_is_not_found(ds: Datasette) -> None:
    response = await ds.client.get("/news/-/story/999999")
    assert response.status_code == 404
    assert "No story 999999 in news" in response.text


async def test_article_text_is_data_never_markup(ds: Datasette, store_path: Path) -> None:
    story = row_id(store_path, "SELECT s.id FROM stories s JOIN articles a ON a.id = s.id WHERE a.key = 'ferry-wire'")
    with sqlite3.connect(store_path) as conn:
        stored = conn.execute("SELECT title, text FROM articles WHERE key = 'ferry-wire'").fetchone()
    assert stored[0] == HOSTILE_TITLE
    assert HOSTILE_SCRIPT in stored[1]
    pages = [
        f"/news/-/story/{story}",
        "/news/articles",
        f"/news/articles/{story}",
        "/news/stories",
        "/news/links",
        "/news/stories_with_most_copies",
        "/news/copies_of_article?key=ferry-copy",
        "/news/articles?_search=ferry",
    ]
    for url in pages:
        response = await ds.client.get(url)
        assert response.status_code == 200, url
        html = response.text
        assert "<script>alert" not in html, url
        assert "<img src=x" not in html, url
        assert "&lt;img src=x onerror=" in html or "&lt;script&gt;alert" in html, url


async def test_other_databases_are_left_alone(tmp_path: Path) -> None:
    other = tmp_path / "other.db"
    sqlite_utils.Database(other)["things"].insert({"name": "<b>thing</b>"})
    assert not is_store(str(other))
    datasette = Datasette([str(other)])
    metadata = (await datasette.client.get("/-/metadata.json")).json()
    assert "title" not in metadata
    queries = (await datasette.client.get("/other.json")).json()["queries"]
    assert queries == []
    assert (await datasette.client.get("/other/-/story/1")).status_code == 404


def test_is_store(store_path: Path, tmp_path: Path) -> None:
    assert is_store(str(store_path))
    odd = tmp_path / "a store? #1 with 100% news.db"  # characters a URI must encode
    odd.write_bytes(store_path.read_bytes())
    assert is_store(str(odd))
    assert not is_store(str(tmp_path / "missing.db"))
    (tmp_path / "text.db").write_text("not a database")
    assert not is_store(str(tmp_path / "text.db"))
    assert not is_store(None)


@pytest.mark.parametrize("asked", ["abc", "-1", "8.0", "99999999999999999999", "", "%C2%B2", "1e3"])
async def test_every_malformed_story_address_is_a_404_page(ds: Datasette, asked: str) -> None:
    response = await ds.client.get(f"/news/-/story/{asked}")
    assert response.status_code == 404
    assert "a story is a number" in response.text
    assert "<html" in response.text  # datasette's own error page, not a bare status


async def test_a_server_error_renders_datasettes_page_and_logs_one_line_without_article_text(
    ds: Datasette, capfd: pytest.CaptureFixture[str]
) -> None:
    import types

    from datasette import hookimpl
    from datasette.plugins import pm

    secret = "The harbour ferry company said on Monday that fares will rise"

    async def fail(request: object) -> None:
        article = {"text": secret}
        raise RuntimeError(f"could not render {len(article)} article")

    failing = types.ModuleType("failing_route")
    failing.register_routes = hookimpl(lambda: [(r"^/-/failing$", fail)])  # type: ignore[attr-defined]
    pm.register(failing, name="failing-route")
    try:
        fresh = Datasette([str(ds.databases["news"].path)])
        response = await fresh.client.get("/-/failing")
    finally:
        pm.unregister(name="failing-route")
    assert response.status_code == 500
    assert "could not render 1 article" in response.text
    assert "<html" in response.text
    (line,) = capfd.readouterr().err.strip().splitlines()
    assert line.startswith("provenance: error 500 on /-/failing: RuntimeError at test_browse.py:")
    assert secret not in line


async def test_the_stories_table_shows_the_origin_as_words(ds: Datasette, store_path: Path) -> None:
    story = wire_story(store_path)
    page = (await ds.client.get(f"/news/stories?id={story}")).text
    assert "Northwind · Maren Holt, Tomas Ferreira · 2026-03-04 · " in page
    assert "&#34;evidence&#34;:" not in page  # the JSON is the story page's
    rows = (await ds.client.get(f"/news/stories.json?id={story}&_shape=objects")).json()["rows"]
    assert (rows[0]["source"], rows[0]["published"]) == ("Northwind", "2026-03-04")


def test_a_chart_over_many_days_counts_by_month() -> None:
    from provenance.browse.pages import _by_month_over_many_days

    few = [("2026-01-01", 1, 2), ("2026-01-02", 3, 4)]
    assert _by_month_over_many_days(few) == few
    year = [(f"2026-{m:02d}-{d:02d}", 1, 2) for m in range(1, 13) for d in range(1, 29)]
    months = _by_month_over_many_days(year)
    assert months[0] == ("2026-01", 28, 56)
    assert len(months) == 12


async def test_no_address_or_method_answers_500(ds: Datasette, store_path: Path) -> None:
    story = wire_story(store_path)
    assert (await ds.client.get("/news/-/story/" + "9" * 5000)).status_code == 404
    for path in ("/news/stories", "/news/stories_with_most_copies", "/news", f"/news/-/story/{story}"):
        answered = await ds.client.post(path, data={"title": "x"})
        assert answered.status_code == 405, path
    answered = await ds.client.get("/news.json?sql=select+length(zeroblob(1000000000))")
    assert answered.status_code == 400  # SQLite: "string or blob too big", not the server's memory


async def test_a_story_whose_copy_came_decades_later_has_its_page(tmp_path: Path) -> None:
    text = (SAMPLES / "syndication" / "wire-original.txt").read_text(encoding="utf-8")
    feed = tmp_path / "old.jsonl"
    records = [{"id": "old", "published": "1970-01-01", "text": text},
               {"id": "new", "published": "2026-06-01", "text": text + "\n\nA line of the copier's own."}]  # fmt: skip
    feed.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    with Store.open(tmp_path / "old.db") as store:
        ingest(store, [str(feed)])
    datasette = Datasette([str(tmp_path / "old.db")])
    story = row_id(tmp_path / "old.db", "SELECT id FROM stories")
    assert (await datasette.client.get(f"/old/-/story/{story}")).status_code == 200
