"""The language of a text, where a model is confident of it (py3langid, its model shipped in the
package: nothing is fetched).

py3langid walks a text's bytes through its n-gram automaton in a Python loop: about 0.5 ms for
the 400 characters read here, the largest share of extracting an article (0.2 ms as done here,
see docs/speed.md). The walk is done by a compiled kernel, which counts the features it emits
too (:func:`provenance.fingerprint.dfa_visits`), over the model's own tables, and the model
scores what it emits as it always does; a py3langid without those tables is used as it is."""

from __future__ import annotations

from functools import cache
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

    identifier = Walked.from_model_file(MODEL_FILE, norm_probs=True)
    identifier._tables = _tables(identifier)
    if identifier._tables is not None:
        identifier._widened = np.asarray(identifier.nb_ptc, np.float32)  # 57 MB, shared by forked workers
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


def load_language_model() -> None:
    """Load the model now rather than at the first text (0.7 s; once a process)."""
    _identifier()


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of ``text``'s language, or None when the text is short or the model unsure."""
    if len(text.split(None, _MIN_WORDS)) < _MIN_WORDS:  # (the first words split off only)
        return None
    code, probability = _identifier().classify(text[:_SAMPLE])
    return str(code) if probability >= _MIN_PROBABILITY else None
