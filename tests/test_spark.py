"""The Spark job in local mode gives the answers local ingest gives, and `provenance import` brings
them into a store. Skipped only where no Java is installed, and never when CI=true."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

import provenance.spark_submit
from provenance import Store, ingest
from provenance.cli import app

from .state import problems, state

runner = CliRunner()

if os.environ.get("CI") != "true":  # CI installs both: there a missing one fails the tests
    if shutil.which("java") is None:
        pytest.skip("the Spark job needs Java, and none is installed", allow_module_level=True)
    pytest.importorskip("pyspark", reason="the Spark job needs pip install 'provenance[spark]'")


@pytest.fixture(scope="module")
def spark() -> Iterator[Any]:
    """One session in local mode for the whole module: the job, the commands and the benchmark
    script run in it (each finds it running and leaves it so), and it stops at the end."""
    from provenance.spark import session

    started = session("local[2]")
    started.sparkContext.setLogLevel("ERROR")
    yield started
    started.stop()


def _feed(path: Path, articles: int, seed: int) -> Path:
    from benchmarks.corpus import Generator

    records = list(Generator(seed).records(articles))
    records.append(records[5])  # a key given twice: its last text wins, as in ingest
    lines = [r.json() + "\n" for r in records] + ["{not json\n", '{"id": "no text"}\n']
    path.write_text("".join(lines), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def crawl(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _feed(tmp_path_factory.mktemp("crawl") / "crawl.jsonl", 1200, 9)


@pytest.fixture(scope="module")
def small_crawl(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The corpus of the tests of commands, which prove that they run rather than what they find."""
    return _feed(tmp_path_factory.mktemp("small") / "crawl.jsonl", 200, 3)


def test_spark_job_and_import_give_the_stores_local_ingest_gives(spark: Any, crawl: Path, tmp_path: Path) -> None:
    from provenance.parquet import import_tables, job_settings
    from provenance.spark import run

    local = tmp_path / "local.db"
    with Store.open(local) as store:
        ingest(store, [str(crawl)], workers=1)
    result = run(spark, [str(crawl)], str(tmp_path / "out"))
    assert (result.documents, result.articles, result.skipped) == (1203, 1200, 2)
    params, policy = job_settings(tmp_path / "out")
    imported = tmp_path / "imported.db"
    with Store.open(imported, params, policy=policy) as store:
        done = import_tables(store, tmp_path / "out")
    assert (done.articles, done.pairs, done.stories, done.links) == (
        result.articles, result.pairs, result.stories, result.links,
    )  # fmt: skip
    assert problems(imported) == []
    expected, found = state(local), state(imported)
    assert found["stories"] == expected["stories"]
    assert found["links"] == expected["links"]
    assert found["articles"] == expected["articles"]
    assert found["bands"] == expected["bands"]
    assert found["skipped"] == expected["skipped"]
    assert found["words"] == expected["words"]
    assert found["matches"] == expected["matches"]  # one candidate rule (provenance.candidates): equal pairs


def test_spark_and_import_commands(spark: Any, small_crawl: Path, tmp_path: Path) -> None:
    out, db = tmp_path / "out", tmp_path / "store.db"
    job = runner.invoke(app, ["spark", str(small_crawl), "--output", str(out), "--master", "local[2]",
                              "--partitions", "3"])  # fmt: skip
    assert job.exit_code == 0, job.output
    assert job.stdout.startswith("203 read, 200 articles, 2 skipped, ")
    loaded = runner.invoke(app, ["import", str(out), "--db", str(db)])
    assert loaded.exit_code == 0, loaded.output
    assert loaded.stdout.endswith(f"and 2 skipped inputs imported into {db}.\n")
    assert spark.sparkContext._jsc is not None  # the command left the running session running
    report = runner.invoke(app, ["report", "--db", str(db), "-n", "1"])
    assert report.exit_code == 0
    assert "200 articles in the store" in report.stdout
    again = runner.invoke(app, ["import", str(out), "--db", str(db)])
    assert again.exit_code == 3
    assert again.stderr == f"Error: {db} already holds articles: import a Spark job's output into a new store\n"
    assert runner.invoke(app, ["import", str(tmp_path), "--db", str(tmp_path / "x.db")]).exit_code == 2
    missing = runner.invoke(app, ["spark", str(tmp_path / "nope.jsonl"), "--output", str(out)])
    assert missing.exit_code == 2
    assert missing.stderr == f"Error: input not found: {tmp_path / 'nope.jsonl'}\n"


def test_spark_submit_runs_the_job_file(small_crawl: Path, tmp_path: Path) -> None:
    """The README's spark-submit line, in local mode: the one test with a Spark of its own."""
    submit = Path(sys.executable).with_name("spark-submit")
    env = {**os.environ, "PYSPARK_PYTHON": sys.executable}
    command = [str(submit), "--master", "local[2]", "--conf", "spark.sql.shuffle.partitions=4",
               provenance.spark_submit.__file__, str(small_crawl), "--output", str(tmp_path / "out")]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, timeout=300, env=env)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "SparkResult(documents=203, articles=200, skipped=2" in done.stdout
    assert (tmp_path / "out" / "links").is_dir()


def test_the_spark_benchmark_script_runs(spark: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import benchmarks.spark

    benchmarks.spark.main(["--articles", "60", "--workdir", str(tmp_path)])
    assert "same stories: True; same links: True" in capsys.readouterr().out


def test_gzipped_feeds_parquet_and_crawls_are_read(spark: Any, tmp_path: Path) -> None:
    import gzip
    import io

    import pyarrow as pa
    import pyarrow.parquet as pq
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    from benchmarks.corpus import Generator
    from provenance.parquet import import_tables, job_settings
    from provenance.spark import run

    records = [json.loads(r.json()) for r in Generator(6).records(9)]
    (tmp_path / "feed.jsonl.gz").write_bytes(gzip.compress("".join(json.dumps(r) + "\n" for r in records[:3]).encode()))
    folder = tmp_path / "table"
    folder.mkdir()
    rows = {name: [r.get(name) for r in records[3:6]] for name in ("id", "text", "publisher", "published", "url")}
    pq.write_table(pa.table(rows), folder / "part-0.parquet")
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=True)
    for r in records[6:]:
        body = f"<html><head><title>{r['title']}</title></head><body><article>{r['text']}</article></body></html>"
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.0")
        writer.write_record(writer.create_warc_record(r["url"], "response", payload=io.BytesIO(body.encode()),
                                                      http_headers=headers))  # fmt: skip
    (tmp_path / "crawl.warc.gz").write_bytes(out.getvalue())
    inputs = [str(tmp_path / "feed.jsonl.gz"), str(folder), str(tmp_path / "crawl.warc.gz")]
    result = run(spark, inputs, str(tmp_path / "out"))
    assert (result.documents, result.articles, result.skipped) == (9, 9, 0)
    params, policy = job_settings(tmp_path / "out")
    with Store.open(tmp_path / "s.db", params, policy=policy) as store:
        import_tables(store, tmp_path / "out")
        keys = [row[0] for row in store.db.execute("SELECT key FROM articles ORDER BY id")]
    assert keys == [r["id"] for r in records[:6]] + [r["url"] for r in records[6:]]
