from __future__ import annotations

import pytest

from recognizers.companion_recognizer import CompanionRecognizer


@pytest.mark.parametrize(
    ("text", "found"),
    [
        # names joined to "me"
        pytest.param("me n dionne did a duo at his", ["dionne"], id="texting style"),
        pytest.param("me and shelley on saturday", ["shelley"], id="lower-case name"),
        pytest.param("Tasha and me went", ["Tasha"], id="name first"),
        # not names
        pytest.param("me and him argued", [], id="a pronoun"),
        pytest.param("me and my mate", [], id="a determiner"),
        pytest.param("between me and the door", [], id="an article"),
        pytest.param("he took it off in the middle and I saw", [], id="a noun after the"),
    ],
)
def test_companion(text, found):
    results = CompanionRecognizer().analyze(text, ["PERSON"])
    assert [text[r.start : r.end] for r in results] == found
    assert all(r.recognition_metadata["role_hint"] == "third_party" for r in results)
