"""The language of a text, where a model is confident of it (py3langid, its model shipped in the
package: nothing is fetched).

py3langid walks a text's bytes through its n-gram automaton in a Python loop: about 0.5 ms for
the 400 characters read here, the largest share of extracting an article (0.2 ms as done here,
see docs/speed.md). The walk is done by a compiled kernel, which counts the features it emits
too (:func:`provenance.fingerprint.dfa_visits`), over the model's own tables, and the model
scores what it emits as it always does; a py3langid without those tables is used as it is.
Those tables are kept, uncompressed, in the user's cache folder by the first process that reads
the model, and mapped from there by the next (see :func:`cache_folder`)."""

from __future__ import annotations

import importlib.metadata
import json
import os
import shutil
import tempfile
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

from ..fingerprint import dfa_visits

_MIN_WORDS = 20
_MIN_PROBABILITY = 0.9
_SAMPLE = 400  # characters read: a few sentences tell a language, and the cost grows with the length


@cache
def _identifier() -> Any:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    class Walked(LanguageIdentifier):  # type: ignore[misc]
        """The model, its automaton walked by the compiled kernel (where it has the tables of
        the py3langid this was written for)."""

        __slots__ = ("_tables", "_widened")

        def _raw_score(self, text: bytes) -> Any:
            if self._tables is None:
                return super()._raw_score(text)
            moves, rows, outputs = self._tables
            features, counts = dfa_visits(moves, rows, outputs, text)  # counted as py3langid counts them
            if not len(features):
                return super()._raw_score(b"")
            # py3langid's score, over its half-precision table widened once (as numpy widens the
            # rows inside each product, at 0.1 ms a text): the same figures
            return np.log1p(counts) @ self._widened[features] + self.nb_pc

    kept = _kept_tables()
    if kept is not None:
        moves, rows, outputs, widened, pc, classes = kept
        identifier = Walked(widened, pc, classes, moves, outputs, norm_probs=True, tk_row=[])
        identifier._rowbase = rows
        identifier._tables, identifier._widened = (moves, rows, outputs), widened
        return identifier
    identifier = Walked.from_model_file(MODEL_FILE, norm_probs=True)
    identifier._tables = _tables(identifier)
    if identifier._tables is not None:
        identifier._widened = np.asarray(identifier.nb_ptc, np.float32)  # 57 MB, shared by forked workers
        moves, rows, outputs = identifier._tables
        _keep_tables(moves, rows, outputs, identifier._widened, identifier.nb_pc, identifier.nb_classes)
    return identifier


def _tables(identifier: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
    """The automaton's moves, each state's row and each state's feature, as arrays; None where
    the model does not hold them as py3langid 0.4 does."""
    try:
        tables = (
            np.asarray(identifier.tk_nextmove),
            np.asarray(identifier._rowbase, np.int64),
            np.asarray(identifier.tk_output, np.int64),
        )
    except (AttributeError, TypeError, ValueError):
        return None
    if tables[0].dtype.kind not in "iu" or getattr(identifier.nb_ptc, "dtype", None) != np.float16:
        return None
    return tables


# The model's tables as the walk reads them, kept once made: py3langid ships its model compressed
# (LZMA), and reading it took 0.34 s of every process that identifies a language, 40% of an
# ingest of a few files. Kept uncompressed (94 MB) in the user's cache folder and mapped from
# there, they load in milliseconds, and the processes that map them share their pages.
CACHE_ENV = "PROVENANCE_CACHE_DIR"  # where they are kept; set empty, they are not kept
_ARRAYS = ("moves", "rows", "outputs", "widened", "pc")


def cache_folder() -> Path | None:
    """Where the model's tables are kept: ``$PROVENANCE_CACHE_DIR``, else ``provenance`` in the
    user's cache folder (``$XDG_CACHE_HOME``, else ``~/.cache``); None where it is set empty."""
    chosen = os.environ.get(CACHE_ENV)
    if chosen is not None:
        return Path(chosen) if chosen.strip() else None
    base = os.environ.get("XDG_CACHE_HOME", "").strip()
    return (Path(base) if base else Path.home() / ".cache") / "provenance"


def _kept_name() -> str | None:
    """The folder name of the tables of the model installed (its package version and its file's
    size and time: another py3langid or model makes them again); None where it is not found."""
    from py3langid.langid import MODEL_DIR, MODEL_FILE

    try:
        found = (MODEL_DIR / MODEL_FILE).stat()
        version = importlib.metadata.version("py3langid")
    except (OSError, importlib.metadata.PackageNotFoundError):
        return None
    return f"langid-{version}-{found.st_size}-{found.st_mtime_ns}"


def _kept_tables() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, list[str]] | None:
    """The model's tables kept before (:func:`_keep_tables`), mapped read-only; None where there
    are none, or they are not whole."""
    folder, name = cache_folder(), _kept_name()
    if folder is None or name is None:
        return None
    kept = folder / name
    try:
        moves, rows, outputs, widened, pc = (
            np.asarray(np.load(kept / f"{array}.npy", mmap_mode="r")) for array in _ARRAYS
        )
        classes = json.loads((kept / "classes.json").read_text(encoding="utf-8"))
        whole = (
            isinstance(classes, list) and all(isinstance(c, str) for c in classes)
            and moves.ndim == rows.ndim == outputs.ndim == pc.ndim == 1 and widened.ndim == 2
            and moves.dtype.kind in "iu" and rows.dtype == outputs.dtype == np.int64
            and widened.dtype == pc.dtype == np.float32 and rows.shape == outputs.shape
            and widened.shape[1] == len(pc) == len(classes)
            # what the compiled walk reads without checking: every move a state, every row and
            # feature there
            and int(moves.max()) < len(rows) and int(rows.min()) >= 0 and int(rows.max()) + 256 <= len(moves)
            and int(outputs.max()) < len(widened)
        )  # fmt: skip
    except (OSError, ValueError):  # (not there, not arrays, or empty)
        return None
    return (moves, rows, outputs, widened, pc, classes) if whole else None


def _keep_tables(
    moves: np.ndarray, rows: np.ndarray, outputs: np.ndarray, widened: np.ndarray, pc: np.ndarray, classes: list[str]
) -> None:
    """Keep the model's tables for the next process (:func:`_kept_tables`): written to a folder of
    their own and renamed into place whole, so that a process never maps half of them. Where the
    cache folder cannot be written (read-only, full), they are not kept, and nothing is said: the
    next process reads the model as this one did."""
    folder, name = cache_folder(), _kept_name()
    if folder is None or name is None:
        return
    writing: Path | None = None
    try:
        shutil.rmtree(folder / name, ignore_errors=True)  # tables not whole (a process keeps them only then)
        folder.mkdir(parents=True, exist_ok=True)
        writing = Path(tempfile.mkdtemp(dir=folder, prefix=f".{name}-"))
        for array, values in zip(_ARRAYS, (moves, rows, outputs, widened, pc), strict=True):
            np.save(writing / f"{array}.npy", np.ascontiguousarray(values))
        (writing / "classes.json").write_text(json.dumps(list(classes)), encoding="utf-8")
        writing.rename(folder / name)  # (where another process kept them first, theirs stay)
    except OSError:
        pass
    finally:
        if writing is not None:
            shutil.rmtree(writing, ignore_errors=True)


def load_language_model() -> None:
    """Load the model now rather than at the first text (once a process: 0.34 s from its file, a
    few milliseconds from the tables kept)."""
    _identifier()


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of ``text``'s language, or None when the text is short or the model unsure."""
    if len(text.split(None, _MIN_WORDS)) < _MIN_WORDS:  # (the first words split off only)
        return None
    code, probability = _identifier().classify(text[:_SAMPLE])
    return str(code) if probability >= _MIN_PROBABILITY else None
