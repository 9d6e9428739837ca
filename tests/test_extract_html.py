from __future__ import annotations

import gzip
import io
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from provenance import RawDocument, Skipped, Store, extract, ingest
from provenance.sources import PassedOver, decode_html, read_inputs

PAGES = Path(__file__).parent / "pages"


def read_page(name: str, url: str | None = None) -> RawDocument:
    (doc,) = [d for d in read_inputs([str(PAGES / name)]) if isinstance(d, RawDocument)]
    if url:
        doc = RawDocument(doc.key, doc.location, doc.kind, doc.content, {"url": url})
    return doc


def test_page_with_json_ld() -> None:
    article = extract(read_page("jsonld.html", "https://quayside.example/news/ferry-fares?ref=feed"))
    assert article.title == "Ferry fares to rise by a tenth in spring"
    assert article.authors == ("Ruth Okafor",)
    assert article.credit == "Reuters"  # an author that is a wire
    assert article.published == "2026-02-11T07:30:00+00:00"
    assert article.publisher == "Quayside Gazette"  # JSON-LD publisher, its legal form ("Ltd") left off
    assert article.language == "en"
    assert article.canonical_url == "https://quayside.example/news/ferry-fares"
    assert article.original_source == "https://wire.example/stories/ferry-fares-rise"
    assert article.text.startswith("Fares on the island ferry will rise by ten percent")
    assert article.text.endswith("about a third of all crossings made each year.")
    for chrome in ("Home", "Sport", "©", "All rights reserved", "Ferry fares to rise by a tenth"):
        assert chrome not in article.text


def test_page_with_only_meta_tags_in_a_declared_charset() -> None:
    article = extract(read_page("metatags.html"))
    assert article.title == "Council backs new library on the old market site"
    assert article.authors == ("Priya Natarajan", "Tom Ellery")
    assert article.published == "2025-11-03T18:05:00Z"
    assert article.publisher == "Northgate Evening News"
    assert (article.credit, article.dateline) == ("AP", "NORTHGATE")
    assert article.language == "en"
    assert article.original_source == "https://agency.example/library-plan"
    assert "a café on the ground floor" in article.text
    assert "What's on" not in article.text


def test_page_with_no_metadata_invents_none() -> None:
    article = extract(read_page("bare.html"))
    assert article.text.startswith("Rain is forecast for most of the coast")
    assert (article.authors, article.published, article.publisher, article.credit) == ((), None, None, None)
    assert (article.slug, article.copyright, article.canonical_url, article.original_source) == (None,) * 4


def test_publisher_falls_back_to_the_host_of_the_url() -> None:
    article = extract(read_page("bare.html", "https://www.coastweather.example/today"))
    assert article.publisher == "coastweather.example"


@pytest.mark.parametrize(
    ("data", "content_type", "text"),
    [
        (b'<meta charset="iso-8859-1"><p>caf\xe9 \x93q\x94</p>', "", "café “q”"),
        ("<p>café</p>".encode("utf-16"), "", "café"),
        ("<p>café</p>".encode("latin-1"), "text/html; charset=ISO-8859-1", "café"),
        ("<p>日本</p>".encode("shift_jis"), "text/html; charset=shift_jis", "日本"),
        ('<meta charset="no-such-charset"><p>café</p>'.encode(), "", "café"),
    ],
)
def test_html_charsets(data: bytes, content_type: str, text: str) -> None:
    assert text in decode_html(data, content_type)


def write_warc(path: Path, *, cut: int | None = None, compress: bool = True) -> None:
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=compress)
    page = (PAGES / "jsonld.html").read_bytes()
    records = [
        ("request", "https://quayside.example/news/ferry-fares", b"GET / HTTP/1.1\r\n\r\n", None),
        ("response", "https://quayside.example/news/ferry-fares", page, "text/html; charset=utf-8"),
        ("response", "https://quayside.example/logo.png", b"\x89PNG....", "image/png"),
        ("response", "https://quayside.example/weather", (PAGES / "bare.html").read_bytes(), "text/html"),
    ]
    for kind, uri, payload, content_type in records:
        headers = None
        if content_type:
            headers = StatusAndHeaders("200 OK", [("Content-Type", content_type)], protocol="HTTP/1.0")
        record = writer.create_warc_record(uri, kind, payload=io.BytesIO(payload), http_headers=headers)
        writer.write_record(record)
    data = buffer.getvalue()
    path.write_bytes(data[:cut] if cut else data)


def test_warc_html_responses_are_articles_keyed_by_uri(tmp_path: Path) -> None:
    write_warc(tmp_path / "crawl.warc.gz")
    items = list(read_inputs([str(tmp_path / "crawl.warc.gz")]))
    docs = [i for i in items if isinstance(i, RawDocument)]
    assert [d.key for d in docs] == [
        "https://quayside.example/news/ferry-fares",
        "https://quayside.example/weather",
    ]
    assert docs[0].meta == {"url": "https://quayside.example/news/ferry-fares"}
    assert [i for i in items if isinstance(i, PassedOver)] == [PassedOver(str(tmp_path / "crawl.warc.gz"), 2)]
    with Store.open(tmp_path / "s.db") as store:
        result = ingest(store, [str(tmp_path / "crawl.warc.gz")])
        assert (result.new, result.passed_over) == (2, 2)


def test_truncated_warc_keeps_what_came_before(tmp_path: Path) -> None:
    # uncompressed, so that the cut falls inside the last record's page whatever the record ids
    write_warc(tmp_path / "full.warc", compress=False)
    size = (tmp_path / "full.warc").stat().st_size
    write_warc(tmp_path / "cut.warc", cut=size - 300, compress=False)
    items = list(read_inputs([str(tmp_path / "cut.warc")]))
    assert [i.key for i in items if isinstance(i, RawDocument)] == ["https://quayside.example/news/ferry-fares"]
    (problem,) = [i for i in items if isinstance(i, Skipped)]
    assert problem.reason.startswith("cannot read the crawl after 3 records")


def test_gzipped_html_page(tmp_path: Path) -> None:
    (tmp_path / "page.html.gz").write_bytes(gzip.compress((PAGES / "jsonld.html").read_bytes()))
    (doc,) = [d for d in read_inputs([str(tmp_path)]) if isinstance(d, RawDocument)]
    assert extract(doc).title == "Ferry fares to rise by a tenth in spring"


@pytest.mark.parametrize(
    "markup",
    [
        "<html><body><div><p>Unclosed paragraph <b>bold <i>italic" + " text" * 200,
        "<" * 5000,
        "<div>" * 5000 + "deep text " * 50,
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>'
        "<html><body><p>&lol2;&lol2;&lol2;</p></body></html>",
        "\x00\x01<p>\ud800 odd</p>",
    ],
)
def test_malformed_markup_does_not_raise(markup: str) -> None:
    extract(RawDocument("k", "k", "html", markup))


html_like = st.recursive(
    st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=30),
    lambda children: st.builds(
        lambda tag, attrs, inner: f"<{tag}{attrs}>{''.join(inner)}</{tag}>",
        st.sampled_from(["p", "div", "script", "nav", "article", "h1", "a", "span", "meta", "br", "title"]),
        st.sampled_from(["", ' class="x"', ' property="og:title" content="T"', ' type="application/ld+json"']),
        st.lists(children, max_size=4),
    ),
    max_leaves=25,
)


@given(html_like)
def test_extraction_never_raises_on_html_like_markup(markup: str) -> None:
    extract(RawDocument("k", "k", "html", markup))


def test_ingest_never_opens_the_network(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import socket

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("ingest tried to open a network connection")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    (tmp_path / "page.html").write_bytes((PAGES / "jsonld.html").read_bytes())  # canonical, original-source URLs
    write_warc(tmp_path / "crawl.warc.gz")
    with Store.open(tmp_path / "s.db") as store:
        result = ingest(store, [str(tmp_path)])
    assert (result.new, result.skipped) == (3, [])


def _page(head: str, byline: str = "") -> str:
    """A news page in the shape big sites use: structured data in the head, the story in <article>."""
    body = (
        "<p>Shipping companies said on Tuesday that they would reroute container vessels around the cape for "
        "at least another month, adding ten days and about a million dollars in fuel to each voyage.</p>"
        "<p>Insurers raised premiums for ships crossing the strait for the third time since January, and two "
        "of the largest carriers said they had suspended bookings for refrigerated cargo altogether.</p>"
        "<p>Port officials expect the backlog of ships waiting at anchor to grow before it shrinks, with "
        "the busiest weeks of the harvest season still ahead of them, a spokesman said.</p>"
    )
    return (f"<!DOCTYPE html><html lang='en'><head><title>Carriers reroute ships</title>{head}</head>"
            f"<body><nav><a href='/'>Home</a> <a href='/world'>World</a></nav><article><h1>Carriers reroute "
            f"ships around the cape</h1>{byline}{body}</article><footer>Comments</footer></body></html>")  # fmt: skip


_LD = '<script type="application/ld+json">{{"@type": "NewsArticle", "publisher": {{"@type": "Organization", "name": "{}"}}}}</script>'  # noqa: E501


@pytest.mark.parametrize(
    ("url", "head", "publisher"),
    [
        # a wire's own page: JSON-LD names the wire, og:site_name a section of its site
        ("https://www.reuters.com/world/us/carriers-2026-03-01/",
         '<meta property="og:site_name" content="U.S.">' + _LD.format("Reuters"), "Reuters"),
        # no JSON-LD: the registered domain of a known site, before a section's name
        ("https://uk.reuters.com/article/carriers", '<meta property="og:site_name" content="World">', "Reuters"),
        ("https://apnews.com/article/carriers-123", '<meta property="og:site_name" content="AP News">',
         "Associated Press"),
        # an unknown site: its og:site_name, where it looks like a name
        ("https://www.harbourgazette.example/news/carriers",
         '<meta property="og:site_name" content="The Harbour Gazette">', "The Harbour Gazette"),
        # an unknown site whose og:site_name is a section: its host
        ("https://www.harbourgazette.example/news/carriers", '<meta property="og:site_name" content="Business">',
         "harbourgazette.example"),
        # JSON-LD before everything but the feed, its legal form left off
        ("https://www.msn.com/en-us/news/carriers", _LD.format("Coastal Media Group Inc."), "Coastal Media Group"),
    ],
)  # fmt: skip
def test_the_publisher_comes_from_the_most_reliable_statement(url: str, head: str, publisher: str) -> None:
    article = extract(RawDocument(url, url, "html", _page(head), {"url": url}))
    assert article.publisher == publisher


def test_authors_never_come_from_page_furniture() -> None:
    head = '<meta name="author" content="Estallido de Comentarios">'
    byline = '<div class="author">Estallido de Comentarios</div>'
    article = extract(RawDocument("x", "x", "html", _page(head, byline), {"url": "https://diario.example/a"}))
    assert article.authors == ()
    named = extract(RawDocument("y", "y", "html", _page('<meta name="author" content="Lucía Ferrer">'), {}))
    assert named.authors == ("Lucía Ferrer",)


def test_block_quotations_and_embedded_posts_are_marked_as_quotations() -> None:
    """A statement set in a blockquote and an embedded post are what other reports print too:
    they keep their words, inside quotation marks, and the matcher's story text leaves them out."""
    from provenance.match import story_text

    statement = "We will not raise taxes this year, and every library in the city stays open."
    post = "Big day for the harbour today, thanks to everyone who came out to the vote"
    html = f"""<html><head><title>Budget passes</title></head><body><article><h1>Budget passes</h1>
    <p>The mayor spoke on Tuesday about the new budget for the city council and its plans for the port.</p>
    <blockquote><p>{statement}</p></blockquote>
    <blockquote class="twitter-tweet"><p lang="en">{post}</p>&mdash; Mayor (@mayor) June 1, 2026</blockquote>
    <p>The council will vote on the plan next week, after a public hearing at the city hall on Monday.</p>
    <blockquote><p>She said: "The port comes first," and left the room before the questions began.</p></blockquote>
    </article></body></html>"""
    article = extract(RawDocument("budget.html", "budget.html", "html", html, {}))
    assert f"“{statement}”" in article.text
    assert f"“{post}”" in article.text
    assert 'She said: "The port comes first," and left' in article.text  # its own marks kept
    assert statement not in story_text(article.text)
    assert post not in story_text(article.text)
    assert "The council will vote on the plan next week" in story_text(article.text)


def test_a_wires_copyright_line_is_its_credit_never_the_pages_publisher() -> None:
    """A site's copy of a Reuters story, saved without its address, its copyright line the wire's:
    the wire is the credit, and nothing names the site."""
    body = "".join(f"<p>{sentence}</p>" for sentence in [
        "The port board approved the plan on Tuesday after three years of hearings and public meetings.",
        "Work on the new terminal will start in the spring and take two years, the board said.",
        "Copyright Reuters2008All rights reserved.",
    ])  # fmt: skip
    page = f"<html><head><title>Port plan approved</title></head><body><article>{body}</article></body></html>"
    article = extract(RawDocument("saved.html", "saved.html", "html", page))
    assert (article.credit, article.publisher) == ("Reuters", None)
