from __future__ import annotations

import pytest
from presidio_analyzer.nlp_engine import SpacyNlpEngine

from recognizers import ROLE_HINT, ROLE_REASON
from recognizers.self_reference_recognizer import SelfReferenceRecognizer

RECOGNIZER = SelfReferenceRecognizer()
ENTITIES = ["PERSON", "PHONE_NUMBER", "EMAIL_ADDRESS", "HANDLE"]

CASES = [
    # names after a first-person cue
    pytest.param("my name is Jade", "Jade", "PERSON", "reporter", id="my name is"),
    pytest.param(
        "my real name is Sarah Jones and", "Sarah Jones", "PERSON", "reporter", id="two-word name"
    ),
    pytest.param(
        "my name is honey", "honey", "PERSON", "reporter", id="lower-case after my name is"
    ),
    pytest.param("Hi I'm Jade and I work in Leeds", "Jade", "PERSON", "reporter", id="I'm"),
    pytest.param("I am Crystal", "Crystal", "PERSON", "reporter", id="I am"),
    pytest.param("im Amber from Leeds", "Amber", "PERSON", "reporter", id="im without apostrophe"),
    pytest.param("I'm Honey", "Honey", "PERSON", "reporter", id="common-word name"),
    pytest.param("Hi I'm Will", "Will", "PERSON", "reporter", id="name tagged as a verb"),
    pytest.param("I'm Summer", "Summer", "PERSON", "reporter", id="name tagged as a date"),
    pytest.param("I work as Ruby", "Ruby", "PERSON", "reporter", id="I work as"),
    pytest.param("I go by Ruby", "Ruby", "PERSON", "reporter", id="I go by"),
    pytest.param("working name Ruby", "Ruby", "PERSON", "reporter", id="working name"),
    pytest.param("he asked for Ruby", "Ruby", "PERSON", "reporter", id="he asked for"),
    pytest.param(
        'rang asking for "Amber" at the door',
        "Amber",
        "PERSON",
        "reporter",
        id="asked for in quotes",
    ),
    pytest.param("call me Candy", "Candy", "PERSON", "reporter", id="call me"),
    pytest.param("this is Amber, I want to report", "Amber", "PERSON", "reporter", id="this is"),
    pytest.param(
        "Crystal is my working name he knows it",
        "Crystal",
        "PERSON",
        "reporter",
        id="name then is my working name",
    ),
    # caseworker notes and brackets
    pytest.param(
        "Caller (Jade) says he hit her", "Jade", "PERSON", "reporter", id="caller in brackets"
    ),
    pytest.param("the worker, Jade, was", "Jade", "PERSON", "reporter", id="the worker comma"),
    pytest.param("me (Amber) and Mimi", "Amber", "PERSON", "reporter", id="me in brackets"),
    # sign-offs
    pytest.param("He hit me. Thanks, Jade x", "Jade", "PERSON", "reporter", id="thanks sign-off"),
    pytest.param("He hit me.\n- Crystal", "Crystal", "PERSON", "reporter", id="dash sign-off"),
    # the reporter's own contact details: the value only
    pytest.param(
        "my number is 07700 900123", "07700 900123", "PHONE_NUMBER", "reporter", id="my number is"
    ),
    pytest.param(
        "my work phone 07700 900123 and his is 07700 900461",
        "07700 900123",
        "PHONE_NUMBER",
        "reporter",
        id="my work phone beside his",
    ),
    pytest.param(
        "my number is oh seven seven oh oh nine oh oh one two three",
        "oh seven seven oh oh nine oh oh one two three",
        "PHONE_NUMBER",
        "reporter",
        id="number in words",
    ),
    pytest.param(
        "my email is candy.x@example.com",
        "candy.x@example.com",
        "EMAIL_ADDRESS",
        "reporter",
        id="my email",
    ),
    pytest.param(
        "my email is candy at example dot com",
        "candy at example dot com",
        "EMAIL_ADDRESS",
        "reporter",
        id="spelled email",
    ),
    pytest.param("my insta is @candyxx", "@candyxx", "HANDLE", "reporter", id="my insta"),
    # someone else's first person: found, but no reporter hint
    pytest.param(
        'he texted "hi I\'m Dave"', "Dave", "PERSON", None, id="quoted I'm is not the reporter"
    ),
    # near misses: states, ages, nationalities, places
    pytest.param("I'm scared", None, None, None, id="state"),
    pytest.param("I'm Sorry", None, None, None, id="capitalised state"),
    pytest.param("I'm 24", None, None, None, id="age"),
    pytest.param("I am Romanian", None, None, None, id="nationality"),
    pytest.param("I'm at the hotel", None, None, None, id="place"),
    pytest.param("I'm not sure", None, None, None, id="not sure"),
    pytest.param("I'm Leeds based", None, None, None, id="town based"),
    pytest.param("call me back", None, None, None, id="call me back"),
    pytest.param("he asked for More", None, None, None, id="asked for more"),
    pytest.param("his number is 07700 900461", None, None, None, id="his number"),
    pytest.param("my insta got hacked", None, None, None, id="my insta without a handle"),
    pytest.param("worried about my name getting out", None, None, None, id="my name without is"),
    pytest.param("never gave him my real name or address", None, None, None, id="my real name or"),
    # embedded in words
    pytest.param("Jim Amber went", None, None, None, id="I'm inside a word"),
]


@pytest.mark.parametrize(("text", "span", "entity", "role"), CASES)
def test_self_reference_recognizer_finds_the_reporters_own_details(
    text: str, span: str | None, entity: str | None, role: str | None, nlp_engine: SpacyNlpEngine
) -> None:
    results = RECOGNIZER.analyze(text, ENTITIES, nlp_engine.process_text(text, "en"))
    found = [
        (text[r.start : r.end], r.entity_type, r.recognition_metadata.get(ROLE_HINT))
        for r in results
    ]
    assert found == ([] if span is None else [(span, entity, role)])
    assert all(r.recognition_metadata.get(ROLE_REASON) for r in results if role)
