"""Language identification (provenance.extract.language): py3langid's model, its automaton walked
by a compiled kernel, gives what py3langid gives."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any
from unittest import mock

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from provenance.extract.language import CACHE_ENV, _identifier, _kept_name, _kept_tables, cache_folder, detect_language

pytestmark = pytest.mark.usefixtures("each_set_of_kernels")

TEXTS = {
    "en": "The harbour council voted on Tuesday to rebuild the old pier before the winter storms arrive, "
    "and the fishermen who moor their boats there said they would wait and see what the works bring.",
    "fr": "Le conseil municipal a voté mardi la reconstruction du vieux quai avant les tempêtes de l'hiver, "
    "et les pêcheurs qui y amarrent leurs bateaux disent attendre de voir ce que donneront les travaux.",
    "de": "Der Stadtrat hat am Dienstag beschlossen, den alten Pier vor den Winterstürmen neu zu bauen, und "
    "die Fischer, die dort ihre Boote festmachen, wollen abwarten, was die Arbeiten bringen.",
    "es": "El ayuntamiento aprobó el martes la reconstrucción del viejo muelle antes de los temporales del "
    "invierno, y los pescadores que amarran allí sus barcas dicen que esperarán a ver las obras.",
    "ru": "Городской совет во вторник проголосовал за восстановление старого причала до зимних штормов, "
    "а рыбаки, которые швартуют там свои лодки, говорят, что подождут и посмотрят на работы.",
    "ur": "بلدیہ نے منگل کو سردیوں کے طوفانوں سے پہلے پرانی جیٹی کی تعمیر نو کے حق میں ووٹ دیا، اور وہاں "
    "اپنی کشتیاں باندھنے والے ماہی گیروں کا کہنا ہے کہ وہ دیکھیں گے کہ کام سے کیا حاصل ہوتا ہے۔",
    "ja": "市議会は火曜日、冬の嵐が来る前に古い桟橋を建て直すことを決めた。そこに船をつなぐ漁師たちは、"
    "工事がどうなるか様子を見ると話している。港の将来について住民の意見は分かれている。",
}


@cache
def _plain() -> Any:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


@pytest.mark.parametrize("language", sorted(TEXTS))
def test_the_compiled_walk_identifies_a_language_as_py3langid_does(language: str) -> None:
    text = TEXTS[language]
    assert _identifier().classify(text) == _plain().classify(text)
    if " " in text:  # a text written without spaces is never 20 words (and goes unidentified)
        assert detect_language(text * 3) == language


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=400) | st.sampled_from(sorted(TEXTS.values())).map(lambda text: text[: len(text) // 3]))
def test_the_compiled_walk_scores_any_text_as_py3langid_does(text: str) -> None:
    assert _identifier().classify(text) == _plain().classify(text)


# The model's tables kept (in the user's cache folder) by the first process that reads the model,
# and mapped from there by the next, which never reads the model's compressed file


@pytest.fixture
def kept_in(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A cache folder of this test's, and a fresh identifier made before and after it."""
    folder = tmp_path / "cache"
    monkeypatch.setenv(CACHE_ENV, str(folder))
    _plain()  # (read before a test forbids reading the model's file)
    _identifier.cache_clear()
    yield folder
    _identifier.cache_clear()


def _file_unread(monkeypatch: pytest.MonkeyPatch) -> None:
    import py3langid.langid as langid

    def refused(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("the model's file was read")

    monkeypatch.setattr(langid, "_load_model_file", refused)


def test_the_tables_one_process_keeps_identify_languages_in_the_next_without_the_models_file(
    kept_in: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _identifier()  # reads the model's file, and keeps its tables
    assert [path.name for path in kept_in.iterdir()] == [_kept_name()]  # whole, no folder left half written
    _identifier.cache_clear()
    _file_unread(monkeypatch)
    kept = _identifier()
    assert not kept._widened.flags.writeable  # mapped from the kept file
    for text in TEXTS.values():
        assert kept.classify(text) == _plain().classify(text)


@cache
def _kept_identifier() -> Any:
    """An identifier made from kept tables (in a folder of its own), once for the property test."""
    with mock.patch.dict(os.environ, {CACHE_ENV: tempfile.mkdtemp(prefix="kept-")}):
        _identifier.cache_clear()
        _identifier()
        _identifier.cache_clear()
        kept = _identifier()
    _identifier.cache_clear()
    if kept._widened.flags.writeable:
        raise AssertionError("the tables were not read from where they were kept")
    return kept


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=400) | st.sampled_from(sorted(TEXTS.values())).map(lambda text: text[: len(text) // 3]))
def test_the_kept_tables_score_any_text_as_py3langid_does(text: str) -> None:
    assert _kept_identifier().classify(text) == _plain().classify(text)


def test_tables_kept_broken_are_passed_over_and_kept_again(kept_in: Path) -> None:
    _identifier()
    folder = kept_in / str(_kept_name())
    rows = np.load(folder / "rows.npy")
    np.save(folder / "rows.npy", rows + len(np.load(folder / "moves.npy", mmap_mode="r")))  # rows past the moves
    assert _kept_tables() is None  # (the compiled walk would read past the end of the moves)
    np.save(folder / "rows.npy", rows)
    (folder / "classes.json").write_text('{"en": 0}')  # no list of labels
    assert _kept_tables() is None
    np.save(folder / "moves.npy", np.empty(0, np.uint32))  # no moves at all
    assert _kept_tables() is None
    (folder / "widened.npy").write_bytes(b"not an array")
    assert _kept_tables() is None
    _identifier.cache_clear()
    assert _identifier().classify(TEXTS["fr"]) == _plain().classify(TEXTS["fr"])  # read from the model's file
    assert _kept_tables() is not None  # and kept whole again


def test_a_cache_folder_that_cannot_be_written_keeps_nothing_and_says_nothing(
    kept_in: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    kept_in.write_text("a file where the folder would be")
    assert _identifier().classify(TEXTS["de"]) == _plain().classify(TEXTS["de"])
    assert capsys.readouterr() == ("", "")
    monkeypatch.setenv(CACHE_ENV, "")  # set empty: nothing is kept
    assert cache_folder() is None
    _identifier.cache_clear()
    assert _identifier().classify(TEXTS["es"]) == _plain().classify(TEXTS["es"])
    assert kept_in.read_text() == "a file where the folder would be"


def test_the_cache_folder_is_the_users_unless_one_is_named(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "mine"))
    assert cache_folder() == tmp_path / "mine"
    monkeypatch.delenv(CACHE_ENV)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache_folder() == tmp_path / "xdg" / "provenance"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert cache_folder() == tmp_path / "home" / ".cache" / "provenance"
