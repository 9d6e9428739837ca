"""Language identification (provenance.extract.language): py3langid's model, its automaton walked
by a compiled kernel, gives what py3langid gives."""

from __future__ import annotations

from functools import cache
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from provenance.extract.language import _identifier, detect_language

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
