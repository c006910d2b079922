from __future__ import annotations

import pytest

from recognizers.support_project_recognizer import SupportProjectRecognizer


@pytest.mark.parametrize(
    ("project", "text", "found"),
    [
        pytest.param(
            "Open Hands Glasgow",
            "Open Hands Glasgow referred her",
            "Open Hands Glasgow",
            id="whole name",
        ),
        pytest.param(
            "Open Hands Glasgow", "the open hands team rang", "open hands", id="shorter form"
        ),
        pytest.param(
            "The Harbour Project",
            "Harbour-Project staff",
            "Harbour-Project",
            id="without 'the', hyphenated",
        ),
        pytest.param(
            "Open Hands Glasgow",
            "she had open hands",
            "open hands",
            id="shorter form also matches common words: removed to be safe",
        ),
        pytest.param("Basis", "on the basis of", "basis", id="one-word name matches the word"),
        pytest.param(
            "Open Hands Glasgow", "Glasgow was cold", None, id="one word of a longer name alone"
        ),
    ],
)
def test_support_project(project, text, found):
    results = SupportProjectRecognizer(project).analyze(text, ["ORGANIZATION"])
    spans = {text[r.start : r.end] for r in results}
    assert spans == ({found} if found else set())
    assert all(r.recognition_metadata["role_hint"] == "third_party" for r in results)


@pytest.mark.parametrize(
    ("project", "text", "found"),
    [
        pytest.param(
            "Lagan Women's Network",
            "Kind regards, Roisin LWN outreach",
            "LWN",
            id="initials as signed",
        ),
        pytest.param("Ancholme Outreach", "The Ancholme team", "Ancholme", id="first word alone"),
        pytest.param(
            "Ancholme Outreach",
            "the ancholme team",
            None,
            id="first word alone only when capitalised",
        ),
    ],
)
def test_support_project_short_forms(project, text, found):
    results = SupportProjectRecognizer(project).analyze(text, ["ORGANIZATION"])
    spans = {text[r.start : r.end] for r in results}
    assert spans == ({found} if found else set())
