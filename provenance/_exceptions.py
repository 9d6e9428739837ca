"""Exceptions raised by provenance.

The tree::

    ProvenanceError              anything this package raises on purpose
    ├── InputNotFound            a path given as input does not exist
    └── StoreError               the store cannot be used as asked
        ├── NotAStore            the file is not a provenance store
        ├── NewerStore           the store was written by a newer provenance
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


class ParameterMismatch(StoreError):
    """The store's fingerprints were made with other parameters and cannot be compared."""
