"""The language of a text, where a model is confident of it (py3langid, its model shipped in the
package: nothing is fetched)."""

from __future__ import annotations

from functools import cache
from typing import Any

_MIN_WORDS = 20
_MIN_PROBABILITY = 0.9
_SAMPLE = 400  # characters read: a few sentences tell a language, and the cost grows with the length


@cache
def _identifier() -> Any:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def load_language_model() -> None:
    """Load the model now rather than at the first text (0.7 s; once a process)."""
    _identifier()


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of ``text``'s language, or None when the text is short or the model unsure."""
    if len(text.split()) < _MIN_WORDS:
        return None
    code, probability = _identifier().classify(text[:_SAMPLE])
    return str(code) if probability >= _MIN_PROBABILITY else None
