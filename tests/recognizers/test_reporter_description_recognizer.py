from __future__ import annotations

import pytest

from recognizers import ROLE_HINT
from recognizers.reporter_description_recognizer import ReporterDescriptionRecognizer

RECOGNIZER = ReporterDescriptionRecognizer()

CASES = [
    # ages the reporter gives
    pytest.param("I'm 24", (("24", "AGE"),), id="I'm age"),
    pytest.param("I am 19 years old", (("19", "AGE"),), id="I am years old"),
    pytest.param("im only 18 and new", (("18", "AGE"),), id="im only"),
    pytest.param("Caller is 19 and new to working", (("19", "AGE"),), id="caller is"),
    pytest.param(
        "Client of the project, aged 22, was booked", (("22", "AGE"),), id="aged after client"
    ),
    pytest.param("I'm new, 24yo", (("24", "AGE"),), id="yo after I"),
    pytest.param(
        "Caller is Polish, 27, works on Derby Rd",
        (("Polish", "NATIONALITY"), ("27", "AGE")),
        id="nationality then age",
    ),
    pytest.param(
        'She was scared. The first woman ("A") is 21. She says',
        (("21", "AGE"),),
        id="is age in a caseworker note",
    ),
    pytest.param(
        'On behalf of a service user ("S"), aged 38, supported by',
        (("38", "AGE"),),
        id="aged after service user",
    ),
    pytest.param(
        "Outreach passed on. Donna (46) was approached by a man. She said",
        (("46", "AGE"),),
        id="name and age in a caseworker note",
    ),
    # nationalities the reporter gives
    pytest.param(
        "I'm a 24 year old Romanian girl",
        (("24", "AGE"), ("Romanian", "NATIONALITY")),
        id="age and nationality",
    ),
    pytest.param("I am Polish", (("Polish", "NATIONALITY"),), id="I am nationality"),
    pytest.param("im 24 and polish", (("24", "AGE"), ("polish", "NATIONALITY")), id="lower case"),
    pytest.param(
        "I'm the only Thai girl at the parlour", (("Thai", "NATIONALITY"),), id="the only Thai girl"
    ),
    pytest.param("I'm British Pakistani", (("British Pakistani", "NATIONALITY"),), id="two-word"),
    pytest.param(
        "Caller (Croatian, good English) works",
        (("Croatian", "NATIONALITY"),),
        id="caller in brackets",
    ),
    pytest.param(
        "Member is a 22 year old Bulgarian woman",
        (("22", "AGE"), ("Bulgarian", "NATIONALITY")),
        id="member is",
    ),
    pytest.param(
        "I am 29 and from Ukraine.",
        (("29", "AGE"), ("Ukraine", "NATIONALITY")),
        id="from a country",
    ),
    pytest.param(
        "as a Polish woman I get this", (("Polish", "NATIONALITY"),), id="as a Polish woman"
    ),
    pytest.param("Caller, who is Irish from the south", (("Irish", "NATIONALITY"),), id="who is"),
    pytest.param("Reporting for a Thai woman who works", (("Thai", "NATIONALITY"),), id="for a"),
    pytest.param(
        'She said so. The first woman ("A") is 21 and Hungarian. She',
        (("21", "AGE"), ("Hungarian", "NATIONALITY")),
        id="age and nationality in a caseworker note",
    ),
    pytest.param("he asked for a Polish girl", (), id="what the offender asked for"),
    pytest.param(
        "I am Nina on the adverts (Aga for friends), 34, polish.",
        (("34", "AGE"), ("polish", "NATIONALITY")),
        id="name, age, nationality in a list",
    ),
    pytest.param(
        "Member Stacey (41) called 10:40 Sat", (("41", "AGE"),), id="member's name then age"
    ),
    # the offender's age and origin are never emitted
    pytest.param("he was about 40", (), id="offender about 40"),
    pytest.param("a man in his 50s", (), id="man in his 50s"),
    pytest.param("he was 24yo", (), id="offender yo"),
    pytest.param("he's from Romania", (), id="offender from a country"),
    pytest.param("I said no. he is 40 and angry", (), id="offender is age"),
    pytest.param("I met Dave (40) and he hit me", (), id="name and age in a first-person text"),
    pytest.param("Age 40, stocky, bald", (), id="age in an offender description"),
    pytest.param("he was from Leeds", (), id="offender from a town"),
    # near misses: times, counts, things that are not self-descriptions
    pytest.param("I'm 40 minutes away", (), id="duration"),
    pytest.param("I'm 18 weeks pregnant", (), id="weeks"),
    pytest.param("I'm 5", (), id="single digit"),
    pytest.param("I'm 99", (), id="outside age range"),
    pytest.param("I'm going to the Polish shop", (), id="nationality of a shop"),
    pytest.param("The worker's English is not perfect", (), id="a language after a possessive"),
    pytest.param("I'm pregnant", (), id="pregnancy has no entity"),
    # embedded in words
    pytest.param("Tim 24 said", (), id="I'm inside a name"),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_reporter_description_recognizer_finds_only_the_reporters_age_and_nationality(
    text: str, expected: tuple[tuple[str, str], ...]
) -> None:
    results = sorted(RECOGNIZER.analyze(text, ["AGE", "NATIONALITY"]), key=lambda r: r.start)
    assert tuple((text[r.start : r.end], r.entity_type) for r in results) == expected
    assert all(r.recognition_metadata[ROLE_HINT] == "reporter" for r in results)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("staying with family in Fife now", ("Fife",), id="family in a place"),
        pytest.param("doing a tour from Manchester.", ("Manchester",), id="tour from"),
        pytest.param("I live in Milton Keynes now", ("Milton Keynes",), id="I live in"),
        pytest.param("he was from Leeds", (), id="his origin is not her home"),
        pytest.param("I was from 9 till 5 at work", (), id="a time is no place"),
    ],
)
def test_the_reporters_home_place_is_found(text: str, expected: tuple[str, ...]) -> None:
    results = RECOGNIZER.analyze(text, ["LOCATION"])
    assert tuple(text[r.start : r.end] for r in results) == expected
