"""Exceptions raised by provenance.

The tree::

    ProvenanceError              anything this package raises on purpose
    ├── InputNotFound            a path given as input does not exist
    └── StoreError               the store cannot be used as asked
        ├── NotAStore            the file is not a provenance store
        ├── NewerStore           the store was written by a newer provenance
        ├── OlderStore           the store must be upgraded first, and was not asked to be
        └── ParameterMismatch    the store was fingerprinted with other parameters

Problems with single inputs (binary, empty, undecodable files, malformed JSONL records) are not
exceptions: they are reported as :class:`provenance.Skipped` and the rest of the batch goes on.
"""

from __future__ import annotations


class ProvenanceError(Exception):
    """Base class of every error provenance raises on purpose."""


class InputNotFound(ProvenanceError):
    """A path given as input does not exist."""

    def __init__(self, path: str) -> None:
        super().__init__(f"input not found: {path}")
        self.path = path


class StoreError(ProvenanceError):
    """The store cannot be opened or used as asked; nothing was written to it."""


class NotAStore(StoreError):
    """The file exists but is not a provenance store."""


class NewerStore(StoreError):
    """The store carries migrations this version of provenance does not know."""


class OlderStore(StoreError):
    """The store was written by an older provenance, and was opened to be read: it is upgraded only
    when written to (ingest) or on request (``provenance upgrade``), since an older provenance
    cannot read it afterwards."""

    def __init__(self, message: str, schema: str) -> None:
        super().__init__(message)
        self.schema = schema  # the last migration the store has


class ParameterMismatch(StoreError):
    """The store's fingerprints were made with other parameters and cannot be compared."""
