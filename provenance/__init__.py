"""provenance: find syndicated copies of news stories and record where each copy came from.

The library behind the ``provenance`` command::

    from provenance import Store, ingest, build_report

    with Store.open("provenance.db") as store:
        result = ingest(store, ["samples/"])
        report = build_report(store, result)
        for story in report.stories:
            print(story.canonical, [m.key for m in story.members[1:]])
"""

from __future__ import annotations

__version__ = "0.1.0"

from ._exceptions import (
    InputNotFound,
    NewerStore,
    NotAStore,
    OlderStore,
    ParameterMismatch,
    ProvenanceError,
    StoreError,
)
from .extract import extract
from .fingerprint import DEFAULT_PARAMS, Fingerprint, Params, fingerprint, normalise, tokenise
from .match import DEFAULT_POLICY, MatchPolicy, Measures, classify, measure
from .models import Article, RawDocument, Skipped
from .pipeline import IngestResult, ingest
from .report import Report, build_report, to_csv, to_json
from .store import Store

__all__ = [
    "DEFAULT_PARAMS",
    "DEFAULT_POLICY",
    "Article",
    "Fingerprint",
    "IngestResult",
    "InputNotFound",
    "MatchPolicy",
    "Measures",
    "NewerStore",
    "NotAStore",
    "OlderStore",
    "ParameterMismatch",
    "Params",
    "ProvenanceError",
    "RawDocument",
    "Report",
    "Skipped",
    "Store",
    "StoreError",
    "build_report",
    "classify",
    "extract",
    "fingerprint",
    "ingest",
    "measure",
    "normalise",
    "to_csv",
    "to_json",
    "tokenise",
]
