"""ProperNameRecognizer: proper nouns nothing else explains, as PERSON with no role."""

from __future__ import annotations

import pytest
from presidio_analyzer.nlp_engine import SpacyNlpEngine

from recognizers.proper_name_recognizer import ProperNameRecognizer

RECOGNIZER = ProperNameRecognizer()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # names spaCy's small model leaves without an entity
        pytest.param("My driver that night was Aled, her brother.", ["Aled"], id="Welsh name"),
        pytest.param("Euan (her partner) rang first", ["Euan"], id="Scottish name"),
        # near misses: what spaCy labels, titles, days, months, abbreviations, cars, towns
        pytest.param("I saw him on Monday in March", [], id="days and months"),
        pytest.param("He messaged me on AW and DV", [], id="abbreviations"),
        pytest.param("He drove a silver Volvo", [], id="a car make"),
        pytest.param("It was in Leeds", [], id="a known town"),
        pytest.param("Captain Roger said hello", [], id="a title beside a name spaCy found"),
    ],
)
def test_proper_name_recognizer(nlp_engine: SpacyNlpEngine, text: str, expected: list[str]):
    artifacts = nlp_engine.process_text(text, "en")
    results = RECOGNIZER.analyze(text, ["PERSON"], artifacts)
    assert [text[r.start : r.end] for r in results] == expected
    assert all(r.recognition_metadata.get("role_hint") is None for r in results)
