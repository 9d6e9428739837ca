"""Deduplicate on Apache Spark with the project's own code, and write the result as Parquet.

    provenance spark INPUT... --output DIR [--master local[*]]
    spark-submit [OPTIONS] provenance/spark_submit.py INPUT... --output DIR      (see the README)

Every step calls what local ingest calls, inside the executors: extraction, fingerprinting and
profiling (:func:`provenance.pipeline.prepare`); candidate pairs by the rule of
:mod:`provenance.candidates` (shared LSH band keys, content hashes, word keys), as DataFrame joins
(:func:`provenance.candidates.spark_pairs`); verification
(:func:`provenance.match.verify`); the stories of each connected group, their origins and
alignments (:func:`provenance.pipeline.plan_group`), as store rows (:func:`provenance.store.story_rows`).

``DIR`` receives one Parquet dataset per table of the store (``articles``, ``bands``, ``words``, ``matches``,
``stories``, ``links``, ``skipped``) and ``parameters`` (the fingerprint parameters and
thresholds): ``provenance import DIR`` loads them into a store.
"""

from __future__ import annotations

import io
import os
import sys
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any

from .attribute import Pair, node_of
from .candidates import rows, spark_pairs, word_keys
from .fingerprint import DEFAULT_PARAMS, Params, band_keys
from .match import DEFAULT_POLICY, MatchPolicy, verify
from .models import RawDocument, Skipped
from .pipeline import Prepared, plan_group, prepare
from .sources import PassedOver, feed_record, record_document, walk, warc_records
from .store import (
    FACT_COLUMNS,
    LINK_COLUMNS,
    MATCH_COLUMNS,
    NODE_COLUMNS,
    STORED_COLUMNS,
    STORY_COLUMNS,
    article_values,
    facts_of,
    pair_row,
    policy_dict,
    story_rows,
)

if TYPE_CHECKING:
    from pyspark import RDD
    from pyspark.sql import DataFrame, SparkSession

ARTICLE_COLUMNS = ("id", *STORED_COLUMNS)
_INTEGERS = {"id", "tokens", "shingles", "a_id", "b_id", "shared", "story_id", "article_id", "canonical_id",
             "members", "canonical_present", "paragraphs_kept", "paragraphs_added", "paragraphs_dropped",
             "headline_changed", "raw_hash", "word_keys", "passage_words", "in_order", "via"}  # fmt: skip
_FLOATS = {
    "similarity",
    "containment_a",
    "containment_b",
    "content_a",
    "content_b",
    "containment",
    "coverage",
    "reuse",
    "confidence",
}
_FEED = (".jsonl", ".ndjson", ".jsonl.gz", ".ndjson.gz")
_WARC = (".warc", ".warc.gz", ".arc", ".arc.gz")


@dataclass(frozen=True)
class SparkResult:
    documents: int
    articles: int
    skipped: int
    pairs: int
    stories: int
    links: int


def _values(prepared: Prepared) -> list[object]:
    words = len(word_keys(prepared.profile.bigrams))
    return article_values(prepared.article, prepared.fp, prepared.raw_hash, words)


def _schema(columns: Sequence[str]) -> Any:
    from pyspark.sql.types import DoubleType, LongType, StringType, StructField, StructType

    def kind(name: str) -> Any:
        return LongType() if name in _INTEGERS else DoubleType() if name in _FLOATS else StringType()

    return StructType([StructField(name, kind(name), True) for name in columns])


# -- reading ---------------------------------------------------------------------------------------


def _files(inputs: Iterable[str]) -> list[str]:
    """Local folders as their files (in the order local ingest reads them); anything else as given."""
    files: list[str] = []
    for item in inputs:
        if "://" not in item and os.path.isdir(item) and not _is_parquet_dataset(item):
            files += [path for group in walk(item) if not isinstance(group, Skipped) for path in group]
        else:
            files.append(item)
    return files


def _is_parquet_dataset(path: str) -> bool:
    return any(name.endswith(".parquet") for name in os.listdir(path))


def _feed_line(path: str, item: tuple[str, int]) -> RawDocument | Skipped | None:
    line, number = item
    return feed_record(f"{path}:{number + 1}", line.encode("utf-8"))


def _crawl(path: str | None, item: tuple[str, bytes]) -> Iterator[RawDocument | Skipped | PassedOver]:
    """The records of one crawl file, located by ``path`` as given, or (a folder or a glob) by its URI."""
    uri, data = item
    return warc_records(io.BytesIO(data), path or uri)


def _parquet_row(path: str, item: tuple[Any, int]) -> RawDocument | Skipped:
    row, number = item
    return record_document(f"{path}#{number + 1}", row.asDict())


def _documents(spark: SparkSession, inputs: Iterable[str]) -> RDD[Any]:
    """Every raw document (or skipped input) of the inputs, in input order."""
    sc = spark.sparkContext
    parts: list[RDD[Any]] = []
    for path in _files(inputs):
        name = path.lower()
        if name.endswith(_FEED):
            parts.append(sc.textFile(path).zipWithIndex().map(partial(_feed_line, path)))
        elif name.endswith(_WARC):
            crawls = sc.binaryFiles(path)  # each file read whole by one task
            parts.append(crawls.flatMap(partial(_crawl, path if os.path.isfile(path) else None)))
        elif name.endswith(".parquet") or "://" in path or os.path.isdir(path):
            parts.append(spark.read.parquet(path).rdd.zipWithIndex().map(partial(_parquet_row, path)))
        else:
            parts.append(sc.parallelize([Skipped(path, "not a JSONL, Parquet or WARC input for the Spark job")]))
    if not parts:
        return sc.emptyRDD()
    return sc.union(parts).filter(lambda doc: doc is not None and not isinstance(doc, PassedOver))


# -- the job ---------------------------------------------------------------------------------------


def run(
    spark: SparkSession,
    inputs: Sequence[str],
    output: str,
    *,
    params: Params = DEFAULT_PARAMS,
    policy: MatchPolicy = DEFAULT_POLICY,
    partitions: int | None = None,
) -> SparkResult:
    """Extract, fingerprint, index, verify and group ``inputs``; write the tables to ``output``.

    ``partitions``: spread the documents over this many partitions before they are extracted (a
    gzipped file is read as one partition)."""
    from pyspark import StorageLevel

    disk = StorageLevel.MEMORY_AND_DISK
    documents = _documents(spark, inputs).zipWithIndex()  # numbered before the costly step: numbering runs a job
    if partitions:
        documents = documents.repartition(partitions)  # their numbers keep the input's order
    prepared: RDD[tuple[int, Any]] = documents.map(lambda item: (item[1], _prepared(item[0], params))).persist(disk)
    skipped = prepared.filter(lambda item: isinstance(item[1], Skipped)).map(
        lambda item: (item[1].location, item[1].reason)
    )
    # a key given twice: its last text wins, in the place of its first, as in local ingest; decided
    # on (key, place, hash) alone, and only keys given more than once are sent back to the driver
    repeated = (
        prepared.filter(lambda item: isinstance(item[1], Prepared))
        .map(lambda item: (item[1].article.key, (item[0], item[1].fp.content_hash)))
        .groupByKey()
        .filter(lambda item: len(list(item[1])) > 1)
        .map(lambda item: _last_text(list(item[1])))
        .collect()
    )
    moved = spark.sparkContext.broadcast({kept: first for first, kept, _ in repeated})
    dropped = spark.sparkContext.broadcast({place for _, _, others in repeated for place in others})
    latest: RDD[tuple[int, Any]] = (
        prepared.filter(lambda item: isinstance(item[1], Prepared) and item[0] not in dropped.value)
        .map(lambda item: (moved.value.get(item[0], item[0]) + 1, item[1]))  # an article's id: its place, from 1
        .persist(disk)
    )

    articles = spark.createDataFrame(
        latest.map(lambda item: (item[0], item[1].article.key, *_values(item[1]))),
        _schema(ARTICLE_COLUMNS),
    ).persist(disk)
    bands = spark.createDataFrame(
        latest.flatMap(lambda item: [(key, item[0]) for key in band_keys(item[1].fp.signature, params)]),
        "key long, article_id long",
    ).persist(disk)
    words = spark.createDataFrame(
        latest.flatMap(lambda item: rows(item[0], word_keys(item[1].profile.bigrams))), "key long, article_id long"
    ).persist(disk)
    profiles = latest.mapValues(lambda p: p.profile)
    similar = spark_pairs(bands, articles.select("id", "content_hash", "word_keys"), words)
    matches = _verified(spark, similar, profiles, policy).persist(disk)

    groups = _components(articles.select("id"), matches)
    stories, links = _stories(spark, articles, matches, groups, policy)

    tables = {
        "articles": articles,
        "bands": bands,
        "words": words,
        "matches": matches,
        "stories": stories,
        "links": links,
        "skipped": spark.createDataFrame(skipped, "location string, reason string"),
        "parameters": spark.createDataFrame(
            [(k, str(v)) for k, v in {**params.as_dict(), **policy_dict(policy)}.items()], "name string, value string"
        ),
    }
    for name, table in tables.items():
        table.write.mode("overwrite").parquet(f"{output.rstrip('/')}/{name}")
    read = spark.read
    counts = {name: read.parquet(f"{output.rstrip('/')}/{name}").count() for name in tables if name != "parameters"}
    result = SparkResult(
        documents=prepared.count(),  # persisted: the inputs are not read again
        articles=counts["articles"],
        skipped=counts["skipped"],
        pairs=counts["matches"],
        stories=counts["stories"],
        links=counts["links"],
    )
    for cached in (prepared, latest, articles, bands, words, matches):
        cached.unpersist()
    return result


def _prepared(doc: Any, params: Params) -> Prepared | Skipped:
    return prepare(doc, params) if isinstance(doc, RawDocument) else doc


def _last_text(occurrences: list[tuple[int, str]]) -> tuple[int, int, list[int]]:
    """For the places and content hashes of a key's occurrences in the input: the place of the
    first (where its article goes), the place of the text ingest leaves it with (each later
    occurrence with another text replaces it; the same text again changes nothing), and the
    places of the others (dropped)."""
    occurrences.sort()
    first, kept_hash = occurrences[0]
    kept = first
    for place, content_hash in occurrences[1:]:
        if content_hash != kept_hash:
            kept, kept_hash = place, content_hash
    return first, kept, [place for place, _ in occurrences if place != kept]


def _verify(a: int, b: int, first: Any, second: Any, policy: MatchPolicy) -> tuple[Any, ...] | None:
    """The verified pair of two candidates, as a row of the matches table; None where unrelated."""
    found = verify(first, second, policy)
    return None if found is None else pair_row(Pair.of(a, b, found.relation, found.measures, found.confidence))


def _verified(spark: SparkSession, candidates: DataFrame, profiles: RDD[Any], policy: MatchPolicy) -> DataFrame:
    """The candidate pairs (a, b) that verify, as rows of the matches table."""
    verified = (
        candidates.rdd.map(lambda row: (row.a, row.b))
        .join(profiles)
        .map(lambda item: (item[1][0], (item[0], item[1][1])))
        .join(profiles)
        .map(lambda item: _verify(item[1][0][0], item[0], item[1][0][1], item[1][1], policy))
        .filter(lambda row: row is not None)
    )
    return spark.createDataFrame(verified, _schema(MATCH_COLUMNS))


def _components(ids: DataFrame, matches: DataFrame) -> DataFrame:
    """Each article's connected group through verified pairs (id, group: the smallest id in it),
    by label propagation; an article with no pair is a group of its own."""
    from pyspark.sql import functions as F

    edges = matches.select(F.col("a_id").alias("src"), F.col("b_id").alias("dst")).union(
        matches.select(F.col("b_id").alias("src"), F.col("a_id").alias("dst"))
    )
    labels = ids.select(F.col("id"), F.col("id").alias("group"))
    for _ in range(1000):
        spread = edges.join(labels, edges.dst == labels.id).groupBy("src").agg(F.min("group").alias("theirs"))
        updated = (
            labels.join(spread, labels.id == spread.src, "left")
            .select("id", F.least("group", F.coalesce("theirs", "group")).alias("group"))
            .localCheckpoint()
        )
        changed = updated.join(labels.withColumnRenamed("group", "before"), "id").where(
            F.col("group") != F.col("before")
        )  # fmt: skip
        labels = updated
        if changed.isEmpty():
            break
    return labels


def _stories(
    spark: SparkSession, articles: DataFrame, matches: DataFrame, groups: DataFrame, policy: MatchPolicy
) -> tuple[DataFrame, DataFrame]:
    """The stories and links of every group, planned in the executors by local ingest's code."""
    columns = sorted({*NODE_COLUMNS, *FACT_COLUMNS, "title", "text"})
    members = articles.select(*columns).join(groups, "id").rdd.map(lambda row: (row["group"], row.asDict()))
    pairs = matches.join(groups.withColumnRenamed("id", "a_id"), "a_id").rdd.map(
        lambda row: (row["group"], Pair(*(row[c] for c in MATCH_COLUMNS)))
    )
    planned = members.cogroup(pairs).flatMap(lambda item: _plan(list(item[1][0]), list(item[1][1]), policy))
    planned.persist()
    stories = spark.createDataFrame(
        planned.filter(lambda r: r[0] == "story").map(lambda r: r[1]), _schema(STORY_COLUMNS)
    )
    links = spark.createDataFrame(planned.filter(lambda r: r[0] == "link").map(lambda r: r[1]), _schema(LINK_COLUMNS))
    return stories, links


def _plan(rows: list[dict[str, Any]], pairs: list[Pair], policy: MatchPolicy) -> Iterator[tuple[str, tuple[Any, ...]]]:
    nodes = {row["id"]: node_of(*(row[c] for c in NODE_COLUMNS)) for row in rows}
    facts = {row["id"]: facts_of(*(row[c] for c in FACT_COLUMNS)) for row in rows}
    texts = {row["id"]: (row["title"], row["text"]) for row in rows}
    plans, origins, alignments = plan_group(nodes, pairs, facts, lambda ids: {i: texts[i] for i in ids}, policy=policy)
    stories, links = story_rows(plans, origins, alignments, {i: t for i, (t, _) in texts.items()})
    yield from (("story", row) for row in stories)
    yield from (("link", row) for row in links)


def session(master: str | None = None, app_name: str = "provenance") -> SparkSession:
    """A Spark session whose Python workers run this interpreter (so they have provenance)."""
    from pyspark.sql import SparkSession

    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    builder = SparkSession.builder.appName(app_name)
    if master:
        builder = builder.master(master)
    if master and master.startswith("local"):  # a few cores: a few partitions per shuffle, not 200
        builder = builder.config("spark.sql.shuffle.partitions", str(2 * (os.cpu_count() or 1)))
    return builder.config("spark.ui.showConsoleProgress", "false").getOrCreate()


@contextmanager
def owned_session(master: str | None = None) -> Iterator[SparkSession]:
    """The Spark session a command runs in: the one already running in this process, left
    running (a notebook's, a test suite's), else a new one, stopped when the command ends."""
    from pyspark.sql import SparkSession

    running = SparkSession.getActiveSession()
    spark = running or session(master)
    try:
        yield spark
    finally:
        if running is None:
            spark.stop()


def main(argv: Sequence[str] | None = None) -> int:
    """``spark-submit ... provenance/spark.py INPUT... --output DIR``."""
    import argparse

    parser = argparse.ArgumentParser(prog="provenance.spark", description=__doc__.split("\n")[0])
    parser.add_argument("inputs", nargs="+")
    parser.add_argument("--output", required=True)
    parser.add_argument("--master", help="when not given by spark-submit")
    parser.add_argument("--partitions", type=int, help="spread the documents over this many partitions")
    args = parser.parse_args(argv)
    with owned_session(args.master) as spark:
        result = run(spark, args.inputs, args.output, partitions=args.partitions)
    print(result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
