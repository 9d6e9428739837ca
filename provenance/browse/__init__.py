"""The datasette plugin: provenance stores read as linked stories, copies and publishers.

Registered through the ``datasette`` entry point, so ``datasette provenance.db`` shows the same
as ``provenance serve``. It only touches databases that are provenance stores; others served
beside them are left as datasette shows them. What a person edits lives in ``db/`` (a link to
``provenance/browse/db``): ``metadata.json`` (descriptions, labels, facets, hidden tables) and
``queries/*.sql`` (the canned queries, each with a ``-- title:`` and ``-- description:`` line).
"""

from __future__ import annotations

import json
import sqlite3
import sys
import traceback
from collections.abc import Callable, Generator
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar, cast
from urllib.parse import unquote

from datasette import hookimpl as _hookimpl
from datasette.utils.asgi import Response
from markupsafe import Markup

from .. import __version__
from .pages import OVERVIEW_ROUTE, PUBLISHER_ROUTE, overview_page, publisher_page, publisher_url
from .story import read_story, story_view

_F = TypeVar("_F", bound=Callable[..., Any])


def hookimpl(function: _F) -> _F:
    """datasette's ``hookimpl``, typed."""
    return cast(_F, _hookimpl(function))


_FILES = resources.files(__name__) / "db"
_STORY_ROUTE = r"^/(?P<database>[^/]+)/-/story/(?P<story_id>[^/]*)$"
_LARGEST_ID = 2**63 - 1  # SQLite's largest integer: a larger number names no story


@cache
def _metadata_file() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((_FILES / "metadata.json").read_text(encoding="utf-8"))
    return loaded


@cache
def _queries() -> dict[str, dict[str, str]]:
    """The canned queries of ``db/queries``: file stem -> title, description, sql."""
    found = {}
    for file in sorted((_FILES / "queries").iterdir(), key=lambda f: f.name):
        if not file.name.endswith(".sql"):
            continue
        query: dict[str, str] = {}
        lines = file.read_text(encoding="utf-8").splitlines()
        while lines and lines[0].startswith("-- ") and ":" in lines[0]:
            name, _, value = lines.pop(0)[3:].partition(":")
            query[name.strip()] = value.strip()
        query["sql"] = "\n".join(lines).strip()
        found[file.name.removesuffix(".sql")] = query
    return found


def is_store(path: str | None) -> bool:
    """Whether the SQLite file at ``path`` is a provenance store (it has applied our migrations)."""
    if not path or not Path(path).is_file():
        return False
    try:  # read only, and never creating the file; the name percent-encoded, as a URI needs
        conn = sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error:
        return False
    try:
        row = conn.execute("SELECT 1 FROM _sqlite_migrations WHERE migration_set = 'provenance' LIMIT 1").fetchone()
    except sqlite3.Error:
        return False
    finally:
        conn.close()
    return row is not None


_stores: dict[str, bool] = {}


def _stores_of(datasette: Any) -> list[str]:
    """The names of the served databases that are provenance stores (each file checked once)."""
    names = []
    for name, database in datasette.databases.items():
        path = None if database.is_memory else database.path
        if path is None:
            continue
        if path not in _stores:
            _stores[path] = is_store(path)
        if _stores[path]:
            names.append(name)
    return names


@hookimpl
def get_metadata(datasette: Any, key: str, database: str | None, table: str | None) -> dict[str, Any]:
    stores = _stores_of(datasette)
    if not stores:
        return {}
    config = _metadata_file()
    return {
        "title": config["title"],
        "description": config["description"],
        "source": f"provenance {__version__}",
        "databases": {
            name: {
                "tables": config["tables"],
                "description_html": str(
                    Markup(
                        '{} <a href="{}/-/overview">The store at a glance</a>: its largest stories, '
                        "the publishers that republish most, stories a day."
                    ).format(config["description"], datasette.urls.database(name))
                ),
            }
            for name in stores
        },
    }


@hookimpl
def canned_queries(datasette: Any, database: str, actor: Any) -> dict[str, dict[str, str]] | None:
    if database not in _stores_of(datasette):
        return None
    return {name: dict(query) for name, query in _queries().items()}


@hookimpl
def render_cell(row: Any, value: Any, column: str, table: str | None, database: str, datasette: Any) -> Markup | None:
    """A story's title opens its story page; its origin reads as words (the JSON is the story page's);
    an article's publisher opens the publisher's page."""
    if table == "articles" and column == "publisher":
        name = value.get("value") if isinstance(value, dict) else value  # a foreign key: {"value", "label"}
        if not isinstance(name, str) or database not in _stores_of(datasette):
            return None
        return Markup('<a href="{}">{}</a>').format(publisher_url(datasette, database, name), name)
    if table != "stories" or column not in ("title", "origin") or database not in _stores_of(datasette):
        return None
    try:
        story_id = int(row["id"])
    except (KeyError, IndexError, TypeError, ValueError):
        return None
    if column == "origin":
        return origin_cell(value)
    return Markup('<a href="{}">{}</a>').format(story_url(datasette, database, story_id), value or f"story {story_id}")


def origin_cell(value: Any) -> Markup | None:
    """A story's origin as one line: source · authors · date · how much evidence."""
    try:
        origin = json.loads(value) if isinstance(value, str) else None
    except ValueError:
        return None
    if not isinstance(origin, dict):
        return None
    authors = origin.get("authors") or []
    evidence = origin.get("evidence") or []
    parts = [
        str(origin.get("source") or "unknown source"),
        ", ".join(str(a) for a in authors) if isinstance(authors, list) else "",
        str(origin.get("published") or "")[:16].replace("T", " "),
        f"{len(evidence)} piece{'s' if len(evidence) != 1 else ''} of evidence" if isinstance(evidence, list) else "",
    ]
    return Markup("{}").format(" · ".join(p for p in parts if p))


@_hookimpl(wrapper=True)  # type: ignore[untyped-decorator]
def handle_exception(datasette: Any, request: Any, exception: Exception) -> Generator[None, Any, list[Any]]:
    """datasette's error page as datasette 0.65 renders it (``{status}.html`` or ``error.html``;
    JSON for ``.json`` paths), in the place of the answer of datasette's own handler, which is
    never awaited: it prints the failure with every local variable through rich, which under
    rich 15 fails outside an ``except`` block (so each error page became a bare 500) and which
    would put article text in the server's log. A server error is logged as one line instead:
    the path, the error's type and where it was raised."""
    from datasette.utils import add_cors_headers
    from datasette.utils.asgi import Base400
    from datasette.views.base import DatasetteError

    async def page() -> Any:
        title, info = None, {}
        if isinstance(exception, Base400):
            status, message = exception.status, exception.args[0] if exception.args else ""
        elif isinstance(exception, DatasetteError):
            status, info, message = exception.status, dict(exception.error_dict), exception.message
            message = Markup(message) if exception.message_is_html else message  # noqa: S704 - datasette marks it so
            title = exception.title
        else:
            status, message = 500, str(exception)
        if status >= 500:
            frames = traceback.extract_tb(exception.__traceback__) if exception.__traceback__ else []
            where = f" at {Path(frames[-1].filename).name}:{frames[-1].lineno}" if frames else ""
            path = request.path if len(request.path) <= 200 else request.path[:200] + "…"
            print(f"provenance: error {status} on {path}: {type(exception).__name__}{where}", file=sys.stderr)
        info.update({"ok": False, "error": message, "status": status, "title": title})
        headers: dict[str, str] = {}
        if datasette.cors:
            add_cors_headers(headers)
        if request.path.split("?")[0].endswith(".json"):
            return Response.json(info, status=status, headers=headers)
        template = datasette.jinja_env.select_template([f"{status}.html", "error.html"])
        context = dict(info, urls=datasette.urls, app_css_hash=datasette.app_css_hash(), menu_links=lambda: [])
        return Response.html(await template.render_async(context), status=status, headers=headers)

    yield  # the other handlers' answers, datasette's among them, are left unawaited
    return [page]


READS = frozenset({"GET", "HEAD", "OPTIONS"})
LONGEST_VALUE = 8 * 2**20  # bytes of a string or blob a query may make: an article's text is at most 4 MB


@hookimpl
def asgi_wrapper(datasette: Any) -> Callable[[Any], Any]:
    """A store is only read: a request of any other method to one of its pages (a POST to a table or
    a canned query) is answered 405, never handed to views that would fail on it with a 500."""

    def wrap(app: Any) -> Any:
        async def only_reads(scope: dict[str, Any], receive: Any, send: Any) -> None:
            if (
                scope.get("type") == "http"
                and scope.get("method", "GET") not in READS
                and _database_of(scope.get("path", "")) in _stores_of(datasette)
            ):
                await Response.text("Method not allowed: this server only reads the store\n", status=405,
                                    headers={"Allow": ", ".join(sorted(READS))}).asgi_send(send)  # fmt: skip
                return
            await app(scope, receive, send)

        return only_reads

    return wrap


def _database_of(path: str) -> str:
    """The database a request's path names (its first part, without a format's suffix)."""
    first = path.lstrip("/").split("/", 1)[0]
    return unquote(first.rsplit(".", 1)[0] if first.endswith((".json", ".csv")) else first)


@hookimpl
def prepare_connection(conn: sqlite3.Connection, database: str, datasette: Any) -> None:
    """No string or blob a query makes may be longer than :data:`LONGEST_VALUE` (``zeroblob(1e9)``
    would take the server's memory: SQLite answers "string or blob too big" instead); with
    datasette's time limit and row limit, one request's cost is bounded."""
    conn.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, LONGEST_VALUE)


def story_url(datasette: Any, database: str, story_id: int) -> str:
    return f"{datasette.urls.database(database)}/-/story/{story_id}"


@hookimpl
def register_routes() -> list[tuple[str, Any]]:
    return [(_STORY_ROUTE, story_page), (PUBLISHER_ROUTE, publisher_page), (OVERVIEW_ROUTE, overview_page)]


async def story_page(datasette: Any, request: Any) -> Response:
    database = request.url_vars["database"]
    if database not in _stores_of(datasette):
        return await _not_found(datasette, request, f"{database} is not a provenance store")
    await datasette.ensure_permissions(
        request.actor,
        [("view-table", (database, "stories")), ("view-database", database), "view-instance"],
    )
    db = datasette.get_database(database)
    asked = request.url_vars["story_id"]
    number = asked.isascii() and asked.isdigit() and len(asked) <= len(str(_LARGEST_ID))  # int() refuses 4,300 digits
    story_id = int(asked) if number and int(asked) <= _LARGEST_ID else None
    if story_id is None:
        return await _not_found(datasette, request, f"No story {asked[:40]!r} in {database}: a story is a number")
    story, canonical, links = await db.execute_fn(lambda conn: read_story(conn, story_id))
    if story is None:
        return await _not_found(datasette, request, f"No story {story_id} in {database}")
    asked_copy = request.args.get("copy", "")
    if asked_copy:  # one copy beside its source: ?copy=ARTICLE_ID
        links = [link for link in links if str(link["article_id"]) == asked_copy]
        if not links:
            return await _not_found(datasette, request, f"No copy {asked_copy[:40]!r} in story {story_id}")

    def article_url(article_id: int) -> str:
        return str(datasette.urls.row(database, "articles", str(article_id)))

    view = story_view(story, canonical, links, article_url)
    context = {
        **view,
        "database": database,
        "article_url": article_url,
        "story_url": story_url(datasette, database, story_id),
        "one_copy": bool(asked_copy),
        "publisher_url": lambda name: publisher_url(datasette, database, name),
        "standalone": False,
    }
    return Response.html(
        await datasette.render_template("provenance_story.html", context, request=request, view_name="story")
    )


async def _not_found(datasette: Any, request: Any, message: str) -> Response:
    """datasette's 404 page, answered rather than raised: a raised error is printed with its locals."""
    context = {"ok": False, "error": message, "status": 404, "title": None}
    page = await datasette.render_template("error.html", context, request=request)
    return Response.html(page, status=404)
