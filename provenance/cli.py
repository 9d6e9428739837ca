"""The ``provenance`` command: a thin skin over the library.

Exit codes: 0 everything was ingested or reported; 1 done, but some inputs were skipped (they are
listed); 2 usage error (an unknown option, a missing input path); 3 the store cannot be used
(not a provenance store, other fingerprint parameters, a newer schema): nothing was written.
"""

from __future__ import annotations

import contextlib
import errno
import functools
import importlib
import io
import json
import os
import socket
import sqlite3
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, replace
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, ParamSpec, cast

import typer
from rich.console import Console
from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn
from typer.core import TyperArgument, TyperCommand

from . import __version__
from ._exceptions import InputNotFound, ProvenanceError, StoreError
from .evaluate import evaluate
from .match import DEFAULT_POLICY, MatchPolicy
from .models import Skipped
from .pipeline import ingest as run_ingest
from .report import (
    article_records,
    build_report,
    data,
    render_evaluation,
    render_records,
    render_table,
    render_traces,
    to_csv,
    to_json,
    visible,
)
from .sources import check_inputs, has_files, total_bytes
from .store import Store
from .trace import Trace, trace

EXIT_SKIPPED = 1
EXIT_USAGE = 2
EXIT_STORE = 3
EXIT_CLOSED_PIPE = 141
P = ParamSpec("P")
DEFAULT_DB = "provenance.db"

app = typer.Typer(
    name="provenance",
    help="Find syndicated copies of news stories and record where each copy came from.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)


class PlainHelp(TyperCommand):
    """A command whose help and messages read as words: each argument by its metavar
    (``INPUT...``), without typer's rendering of its Python type (``{inputs}...``,
    ``<list[str]>``), and a bad value said in the tool's words, not its validator's."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for param in self.params:
            if isinstance(param, TyperArgument) and param.metavar:
                shown: str = param.metavar if param.required else f"[{param.metavar}]"
                param.display_type_rich = _no_type  # type: ignore[method-assign]
                param._usage_display_name = functools.partial(str, shown)  # type: ignore[method-assign]

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        try:
            return super().parse_args(ctx, args)
        except typer.BadParameter as err:
            err.message = plain_message(err)
            raise


_LIMITS = {
    "greater_than_equal": "at least {ge}",
    "greater_than": "more than {gt}",
    "less_than_equal": "at most {le}",
    "less_than": "less than {lt}",
}
_KINDS = {"int_parsing": "a whole number", "float_parsing": "a number", "bool_parsing": "yes or no"}


def plain_message(err: typer.BadParameter) -> str:
    """What is wrong with a value, as a user would say it ("-1: must be at least 0", "'x' is not a
    whole number"), where typer's validator said it in its own ("Input should be greater than or
    equal to 0", "Value error, ..."); other messages as they are."""
    cause: Any = err.__cause__
    errors = cause.errors() if hasattr(cause, "errors") else []
    if errors:
        first = errors[0]
        value, kind, limits = first.get("input"), first.get("type", ""), first.get("ctx") or {}
        if kind in _LIMITS:
            return f"{value}: must be {_LIMITS[kind].format(**limits)}"
        if kind in _KINDS:
            return f"{value!r} is not {_KINDS[kind]}"
    return str(err.message).removeprefix("Value error, ")


def _no_type(ctx: object) -> None:
    return None


def quiet_on_closed_pipe(command: Callable[P, None]) -> Callable[P, None]:
    """A command whose output ends quietly when the reader goes away (``| head``): no traceback,
    and the status of a program stopped by a closed pipe (141, 128 + SIGPIPE) rather than click's
    1, which here means that some inputs were skipped."""

    @functools.wraps(command)
    def run(*args: P.args, **kwargs: P.kwargs) -> None:
        try:
            command(*args, **kwargs)
            sys.stdout.flush()
        except BrokenPipeError:
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # nothing more to flush at exit
            raise typer.Exit(EXIT_CLOSED_PIPE) from None

    return run


class OutputFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


class ReportFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"
    html = "html"


DbOption = Annotated[
    Path,
    typer.Option("--db", envvar="PROVENANCE_DB", metavar="FILE", help="The store (a SQLite file).", show_default=True),
]
FormatOption = Annotated[
    OutputFormat, typer.Option("--format", "-f", metavar="table|json|csv", help="How to print the report.")
]
INGEST_SHOWS = 20  # stories in the report after an ingest, by default: the store may hold millions
HTML_SHOWS = 100  # stories in an HTML report, by default (the samples' story of 4 copies: 35 KB)

LimitOption = Annotated[
    int, typer.Option("--limit", "-n", min=0, metavar="N", help="Print the N largest stories only (0: all).")
]


class _Stdout(Console):
    """rich's console ends a closed pipe with exit 1 of its own: here it ends as every command does."""

    def on_broken_pipe(self) -> None:
        raise BrokenPipeError


PIPE_WIDTH = 120  # columns of a report into a file or a pipe, unless COLUMNS says otherwise


def _stdout() -> Console:
    """The console reports are printed on: as wide as ``COLUMNS`` says where it is set, else the
    terminal's width, or 120 columns into a file or a pipe."""
    columns = os.environ.get("COLUMNS", "")
    if columns.isdigit() and int(columns) > 0:
        return _Stdout(width=int(columns), highlight=False)
    return _Stdout(width=None if sys.stdout.isatty() else PIPE_WIDTH, highlight=False)


def _fail(message: str, code: int) -> typer.Exit:
    typer.echo(f"Error: {visible(message)}", err=True)
    return typer.Exit(code)


@contextmanager
def _open(db: Path, *, create: bool, policy: MatchPolicy | None = None) -> Iterator[Store]:
    """The store, opened to write where ``create`` (an older store is upgraded, and the upgrade is
    said on standard error), else to read (an older store is refused: only a writer upgrades);
    closed after the block. What SQLite says of the file meanwhile (read-only, full, damaged) is
    one line of the tool's and exit 3, never a traceback."""
    store = None
    try:
        try:
            store = Store.open(db, create=create, policy=policy, upgrade=create)
        except StoreError as err:
            raise _fail(str(err), EXIT_STORE) from None
        if store.upgraded_from:
            typer.echo(_upgraded(db, store), err=True)
        yield store
    except sqlite3.DatabaseError as err:
        raise _fail(store_problem(db, err, store), EXIT_STORE) from None
    finally:
        if store is not None:
            store.close()


def store_problem(db: Path, err: sqlite3.DatabaseError, store: Store | None = None) -> str:
    """What SQLite said of a store, in one line of the tool's: what is wrong and what to do."""
    said = str(err)
    if "readonly" in said:
        return (f"{db} cannot be written ({said}): the file is read-only, or its folder is, where SQLite "
                "keeps its -wal and -shm files beside it")  # fmt: skip
    if "full" in said or "disk I/O" in said:
        kept = ""
        if store is not None:
            with contextlib.suppress(sqlite3.Error):
                kept = f" (it holds {store.count('articles'):,} articles)"
        return (f"the disk of {db} is full ({said}): the store keeps every batch committed before{kept}; "
                "free some space and run the same ingest again to complete it")  # fmt: skip
    if "malformed" in said or "not a database" in said or "corrupt" in said:
        return f"{db} is damaged ({said}): see what SQLite finds with: sqlite3 {db} 'PRAGMA integrity_check'"
    if "unable to open" in said:
        return f"cannot open {db} ({said}): SQLite makes its -wal and -shm files beside the store"
    return f"{db}: {said}"


def _upgraded(db: Path, store: Store) -> str:
    return (f"Upgraded {db} from schema {store.upgraded_from} to {store.schema}: "
            "an older provenance cannot open it any more.")  # fmt: skip


MinConfidenceOption = Annotated[
    float | None,
    typer.Option(
        "--min-confidence", min=0.0, max=1.0, show_default=False, metavar="P",
        help="The decision's probability that a copy derives from its source at which a link is made "
        f"[default: {DEFAULT_POLICY.min_confidence}; a store keeps the one it was made with].",
    ),
]  # fmt: skip


def _need_spark_extra(what: str, *modules: str) -> None:
    """Fail with one line (exit 2) where the modules of the ``spark`` extra are not installed."""
    for module in modules:
        try:
            importlib.import_module(module)
        except ImportError:
            raise _fail(f"{what} needs {module}: pip install 'provenance[spark]'", EXIT_USAGE) from None


def _policy(min_confidence: float | None) -> MatchPolicy | None:
    return None if min_confidence is None else replace(DEFAULT_POLICY, min_confidence=min_confidence)


def _print_report(store: Store, fmt: OutputFormat, limit: int, run: object = None) -> None:
    report = build_report(store, run, limit=limit or None)  # type: ignore[arg-type]
    if fmt is OutputFormat.json:
        typer.echo(to_json(report))
    elif fmt is OutputFormat.csv:
        sys.stdout.write(to_csv(report))
    else:
        render_table(report, _stdout())


@app.command(cls=PlainHelp)
@quiet_on_closed_pipe
def ingest(
    inputs: Annotated[
        list[str],
        typer.Argument(
            metavar="INPUT...",
            help="Files, folders (searched recursively; hidden files passed over) or - for standard input. "
            "Each file is read for what it holds, whatever its name: page dumps (plain text), HTML pages, "
            "JSON-lines feeds (an object a line with id and text or html), JSON files, WARC and ARC "
            "crawls (each HTML response an article); any of them gzipped.",
            show_default=False,
        ),
    ],
    db: DbOption = Path(DEFAULT_DB),
    fmt: FormatOption = OutputFormat.table,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
    workers: Annotated[
        int,
        typer.Option(
            "--workers",
            "-j",
            min=0,
            metavar="N",
            help="Processes extracting and fingerprinting, at a lower priority than the writer (0: one per core).",
        ),
    ] = 0,
    min_confidence: MinConfidenceOption = None,
    limit: LimitOption = INGEST_SHOWS,
) -> None:
    """Ingest articles, link the copies among them and to the store, and print the report
    (its largest stories: `provenance report` prints them all)."""
    try:
        check_inputs(inputs)
    except InputNotFound as err:
        raise _fail(str(err), EXIT_USAGE) from None
    if not any(has_files(item) for item in inputs):
        where = ", ".join(inputs)
        raise _fail(f"nothing to ingest: no files in {where} (hidden files are passed over)", EXIT_SKIPPED)
    with _open(db, create=True, policy=_policy(min_confidence)) as store:
        show = not quiet and sys.stderr.isatty()
        progress = Progress(
            TextColumn("ingesting"), BarColumn(), DownloadColumn(), TimeRemainingColumn(),
            console=Console(stderr=True), transient=True, disable=not show,
        )  # fmt: skip
        try:
            with progress:
                task = progress.add_task("ingest", total=total_bytes(inputs) if show else None)
                result = run_ingest(
                    store,
                    inputs,
                    progress=lambda done: progress.update(task, completed=done),
                    workers=workers,
                )
        except InputNotFound as err:  # removed between the check above and the read
            raise _fail(str(err), EXIT_USAGE) from None
        except KeyboardInterrupt:
            typer.echo(
                f"Interrupted: the store keeps every batch committed before the interrupt "
                f"({store.count('articles')} articles); run the same ingest again to complete it.",
                err=True,
            )
            raise typer.Exit(130) from None
        _print_report(store, fmt, limit, result)
    if result.skipped:
        raise typer.Exit(EXIT_SKIPPED)


@app.command(cls=PlainHelp)
@quiet_on_closed_pipe
def report(
    output: Annotated[
        Path | None,
        typer.Argument(metavar="FILE", help="Write the report to FILE (default: standard output).", show_default=False),
    ] = None,
    db: DbOption = Path(DEFAULT_DB),
    fmt: Annotated[
        ReportFormat,
        typer.Option(
            "--format",
            "-f",
            metavar="table|json|csv|html",
            help="How to write the report; html: every story's page in one self-contained file.",
        ),
    ] = ReportFormat.table,
    limit: Annotated[
        int | None,
        typer.Option(
            "--limit",
            "-n",
            min=0,
            metavar="N",
            show_default=False,
            help=f"Write the N largest stories only (0: all; default: all, and {HTML_SHOWS} in html).",
        ),
    ] = None,
) -> None:
    """Print the duplicate report from the store alone, or write it to FILE."""
    if limit is None:  # a page a story: a store's every story would make a file no one opens
        limit = HTML_SHOWS if fmt is ReportFormat.html else 0
    with _open(db, create=False) as store:
        if output is None:
            if fmt is ReportFormat.html:
                sys.stdout.write(_html_report(store, db, limit))
            else:
                _print_report(store, OutputFormat(fmt.value), limit)
            return
        if output.is_dir():
            raise _fail(f"{output} is a directory: give the report a file name", EXIT_USAGE)
        if fmt is ReportFormat.html:
            text = _html_report(store, db, limit)
        else:
            text = _report_text(store, OutputFormat(fmt.value), limit)
        try:
            output.write_text(text, encoding="utf-8")
        except OSError as error:
            raise _fail(f"Cannot write {output}: {error.strerror or error}", EXIT_USAGE) from None
        said = f"Wrote the report to {visible(output)} ({len(text.encode('utf-8')):,} bytes)."
        _stdout().print(data(said), soft_wrap=True)


def _html_report(store: Store, db: Path, limit: int) -> str:
    from .browse.standalone import html_report  # the browser's templates, loaded for this format only

    return html_report(store.db.conn, db.name, limit or None)


def _report_text(store: Store, fmt: OutputFormat, limit: int) -> str:
    """The report as :func:`_print_report` prints it, as text (a table as an 80-column terminal shows it)."""
    report = build_report(store, None, limit=limit or None)
    if fmt is OutputFormat.json:
        return to_json(report) + "\n"
    if fmt is OutputFormat.csv:
        return to_csv(report)
    console = Console(file=io.StringIO(), width=80, color_system=None)
    render_table(report, console)
    return cast(io.StringIO, console.file).getvalue()


class TableOrJson(StrEnum):
    table = "table"
    json = "json"


class ShowFormat(StrEnum):
    table = "table"
    json = "json"
    jsonl = "jsonl"


@app.command(cls=PlainHelp)
@quiet_on_closed_pipe
def show(
    keys: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="KEY...",
            help="Article keys (a feed record's id, a file's path); all when none.",
            show_default=False,
        ),
    ] = None,
    db: DbOption = Path(DEFAULT_DB),
    fmt: Annotated[
        ShowFormat, typer.Option("--format", "-f", metavar="table|json|jsonl", help="How to print the articles.")
    ] = ShowFormat.table,
    text: Annotated[bool, typer.Option("--text", help="Include the clean body text.")] = False,
) -> None:
    """Print the extracted metadata (and with --text the clean text) of stored articles."""
    with _open(db, create=False) as store:
        records = list(article_records(store, keys or None, text=text))
    if fmt is ShowFormat.json:
        typer.echo(json.dumps(records, ensure_ascii=False, indent=2))
    elif fmt is ShowFormat.jsonl:
        for record in records:
            typer.echo(json.dumps(record, ensure_ascii=False))
    else:
        render_records(records, _stdout())
    missing = [key for key in dict.fromkeys(keys or []) if key not in {r["key"] for r in records}]
    for key in missing:
        typer.echo(f"Error: no article with key {key!r} in {db}", err=True)
    if missing:
        raise typer.Exit(EXIT_SKIPPED)


@app.command(name="trace", cls=PlainHelp)
@quiet_on_closed_pipe
def trace_command(
    inputs: Annotated[
        list[str],
        typer.Argument(
            metavar="INPUT...", help="Articles to trace: files of any kind ingest reads, or - for standard input."
        ),
    ],
    db: DbOption = Path(DEFAULT_DB),
    fmt: Annotated[
        TableOrJson, typer.Option("--format", "-f", metavar="table|json", help="How to print the sources.")
    ] = TableOrJson.table,
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, metavar="N", help="Sources shown at most.")] = 10,
) -> None:
    """Find the likely sources of a new article in the store, with the evidence, without storing it."""
    try:
        check_inputs(inputs)
    except InputNotFound as err:
        raise _fail(str(err), EXIT_USAGE) from None
    with _open(db, create=False) as store:
        results = list(trace(store, inputs, limit=limit))
    traces = [r for r in results if isinstance(r, Trace)]
    skipped = [r for r in results if isinstance(r, Skipped)]
    if fmt is TableOrJson.json:
        typer.echo(json.dumps([asdict(t) for t in traces], ensure_ascii=False, indent=2))
    else:
        render_traces(traces, _stdout())
    for item in skipped:
        typer.echo(f"Skipped {visible(item.location)}: {visible(item.reason)}", err=True)
    if skipped:
        raise typer.Exit(EXIT_SKIPPED)


@app.command(cls=PlainHelp)
def serve(
    db: DbOption = Path(DEFAULT_DB),
    port: Annotated[
        int, typer.Option(metavar="PORT", help="The port to listen on (0: any free port).", min=0, max=65535)
    ] = 8001,
    host: Annotated[
        str, typer.Option(metavar="ADDRESS", help="The address to listen on (0.0.0.0 to be reached from others).")
    ] = "127.0.0.1",
    immutable: Annotated[
        bool, typer.Option("--immutable", help="Serve a store no one writes to any more, without locking.")
    ] = False,
    metadata: Annotated[
        Path | None,
        typer.Option("--metadata", "-m", metavar="FILE", help="datasette metadata of your own, over the project's."),
    ] = None,
    allow_sql: Annotated[
        bool,
        typer.Option(
            "--allow-sql",
            help="Let visitors run SQL of their own (each query bounded in time, rows and size; off by default).",
        ),
    ] = False,
) -> None:
    """Browse the store in datasette: stories, copies beside their source, search."""
    with _open(db, create=False) as store:
        complete = store.checkpoint()
    if immutable and not complete:
        raise _fail(f"{db} is being written to (its log could not be checkpointed): serve it without --immutable", 1)
    problem = cannot_listen(host, port)
    if problem:
        raise _fail(problem, EXIT_USAGE)
    from datasette.cli import cli as datasette_cli  # the browser is loaded only to serve

    args = [
        "serve",
        "--host",
        host,
        "--port",
        str(port),
        "--setting",
        "default_allow_sql",
        "on" if allow_sql else "off",
    ]
    args += ["--immutable", str(db)] if immutable else [str(db)]
    if metadata is not None:
        args += ["--metadata", str(metadata)]
    datasette_cli.main(args, prog_name="provenance serve", standalone_mode=True)


def cannot_listen(host: str, port: int) -> str | None:
    """Why the server could not listen on ``host``:``port`` (a port in use, an address this machine
    does not have), found by binding it for a moment as the server will; None where it can."""
    if port == 0:  # any free port
        return None
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the server does
        try:
            probe.bind((host, port))
        except OSError as err:
            if err.errno == errno.EADDRINUSE:
                return f"port {port} is in use: serve on another with --port N (0: any free port)"
            return f"cannot listen on {host} port {port}: {err.strerror or err}"
    return None


@app.command(cls=PlainHelp)
def upgrade(db: DbOption = Path(DEFAULT_DB)) -> None:
    """Upgrade a store written by an older provenance to this version's schema (ingest does it
    too; the read-only commands never do: an older provenance cannot open an upgraded store)."""
    if not db.exists():
        raise _fail(f"no provenance store at {db}", EXIT_STORE)
    with _open(db, create=True) as store:
        if not store.upgraded_from:
            typer.echo(f"{db} is up to date (schema {store.schema}).")


@app.command(name="spark", cls=PlainHelp)
def spark_job(
    inputs: Annotated[
        list[str],
        typer.Argument(
            metavar="INPUT...",
            help="JSONL feeds (optionally gzipped), Parquet datasets and WARC crawls, known by their names.",
            show_default=False,
        ),
    ],
    output: Annotated[
        Path, typer.Option("--output", "-o", metavar="DIR", help="The folder the Parquet tables are written to.")
    ],
    master: Annotated[
        str, typer.Option(metavar="MASTER", help="The Spark master (local[*]: every core of this machine).")
    ] = "local[*]",
    partitions: Annotated[
        int | None,
        typer.Option(min=1, metavar="N", help="Spread the documents over N partitions (a .gz file is read as one)."),
    ] = None,
) -> None:
    """Run the dedup job on Apache Spark (pip install 'provenance[spark]'): the same extraction,
    fingerprints, verification and stories as ingest, written as Parquet for `provenance import`."""
    _need_spark_extra("the Spark job", "pyspark", "pyarrow")
    from .spark import owned_session, run

    try:
        check_inputs(item for item in inputs if "://" not in item)  # a cluster's paths are Spark's to find
    except InputNotFound as err:
        raise _fail(str(err), EXIT_USAGE) from None
    with owned_session(master) as spark:
        spark.sparkContext.setLogLevel("ERROR")
        result = run(spark, inputs, str(output), partitions=partitions)
    typer.echo(
        f"{result.documents} read, {result.articles} articles, {result.skipped} skipped, {result.pairs} verified "
        f"pairs, {result.stories} stories, {result.links} copies linked; written to {output} "
        f"(provenance import {output} --db FILE loads them into a store)."
    )


@app.command(name="import", cls=PlainHelp)
def import_job(
    folder: Annotated[Path, typer.Argument(metavar="DIR", help="The --output folder of a `provenance spark` job.")],
    db: DbOption = Path(DEFAULT_DB),
) -> None:
    """Load the Parquet tables of a `provenance spark` job into a new store."""
    _need_spark_extra("importing a Spark job's tables", "pyarrow")
    from .parquet import import_tables, job_settings

    try:
        params, policy = job_settings(folder)
    except StoreError as err:
        raise _fail(str(err), EXIT_USAGE) from None
    try:
        with Store.open(db, params, policy=policy) as store:
            done = import_tables(store, folder)
    except StoreError as err:
        raise _fail(str(err), EXIT_STORE) from None
    typer.echo(
        f"{done.articles} articles, {done.pairs} verified pairs, {done.stories} stories, {done.links} copies linked "
        f"and {done.skipped} skipped inputs imported into {db}."
    )


@app.command(name="eval", cls=PlainHelp)
@quiet_on_closed_pipe
def evaluate_corpus(
    corpus: Annotated[
        Path,
        typer.Argument(metavar="CORPUS", help="A folder with documents.jsonl (and labels.jsonl where it has labels)."),
    ],
    fmt: Annotated[
        TableOrJson, typer.Option("--format", "-f", metavar="table|json", help="How to print the scores.")
    ] = TableOrJson.table,
    workers: Annotated[
        int, typer.Option("--workers", "-j", min=0, metavar="N", help="Processes (0: one per core).")
    ] = 0,
    min_confidence: MinConfidenceOption = None,
) -> None:
    """Ingest a labelled corpus into a temporary store and score the links found, with precision
    and recall at several confidences."""
    try:
        result = evaluate(corpus, workers=workers, policy=_policy(min_confidence) or DEFAULT_POLICY)
    except ProvenanceError as err:
        raise _fail(str(err), EXIT_USAGE) from None
    if fmt is TableOrJson.json:
        typer.echo(json.dumps(result.as_dict(), indent=2))
    else:
        render_evaluation(result, _stdout())


def _version(value: bool) -> None:
    if value:
        typer.echo(f"provenance {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")
    ] = False,
) -> None:
    """Find syndicated copies of news stories and record where each copy came from."""
