from __future__ import annotations

import pytest

from recognizers import ROLE_HINT
from recognizers.salutation_recognizer import SalutationRecognizer

RECOGNIZER = SalutationRecognizer()


@pytest.mark.parametrize(
    ("text", "found", "hint"),
    [
        # greetings at the start of a line
        pytest.param(
            "From: Cherie\nhi Gwen its me. the man",
            ["Cherie", "Gwen"],
            [None, "third_party"],
            id="forwarded text: header and greeting",
        ),
        pytest.param("hiya shell u ok", ["shell"], ["third_party"], id="lower-case name"),
        pytest.param("Dear Sam Jones,\nI am writing", ["Sam Jones"], ["third_party"], id="dear"),
        pytest.param(
            "Thank you.\n\nKind regards,\nH.", ["H"], ["third_party"], id="one initial signs off"
        ),
        pytest.param(
            "rimless glasses, 50s.\nS.", ["S"], ["third_party"], id="one initial on the last line"
        ),
        pytest.param(
            "Good morning Kerry, quick one", ["Kerry"], ["third_party"], id="good morning"
        ),
        # sign-offs
        pytest.param(
            "please x\n----\n\nMany thanks,\nGwen Parry\nClwyd Street Support, Rhyl",
            ["Gwen Parry"],
            ["third_party"],
            id="closing, then the name on its own line",
        ),
        pytest.param("Speak soon. Thanks, Jo", ["Jo"], ["third_party"], id="closing and name"),
        pytest.param(
            "Advised re GP. Next contact Fri. -DM",
            ["DM"],
            ["third_party"],
            id="caseworker initials after a dash",
        ),
        pytest.param(
            "SU doesn't want police.\n(KT)", ["KT"], ["third_party"], id="initials in brackets"
        ),
        pytest.param(
            "Next contact Fri.\nDM\n", ["DM"], ["third_party"], id="initials on the last line"
        ),
        # not names
        pytest.param("Hi all, a report from Leeds", [], [], id="hi all"),
        pytest.param("he said hi there and smiled", [], [], id="not at a line start"),
        pytest.param("Dear Sir,\nI", [], [], id="dear sir"),
        pytest.param("C-Class", [], [], id="a car model with a dash"),
        pytest.param("Evening another person came", [], [], id="a placeholder after evening"),
        pytest.param("He said - Thanks Dave - and left", [], [], id="thanks inside a sentence"),
        pytest.param("he was charged with GBH\nNUM", [], [], id="an acronym on the last line"),
    ],
)
def test_salutation(text: str, found: list[str], hint: list[str | None]) -> None:
    results = sorted(RECOGNIZER.analyze(text, ["PERSON"]), key=lambda r: r.start)
    assert [text[r.start : r.end] for r in results] == found
    assert [r.recognition_metadata.get(ROLE_HINT) for r in results] == hint
