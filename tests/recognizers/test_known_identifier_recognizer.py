from __future__ import annotations

import pytest

from pipeline.report import KnownIdentifiers
from recognizers import ROLE_HINT, ROLE_REASON
from recognizers.known_identifier_recognizer import KnownIdentifierRecognizer

KNOWN = KnownIdentifiers(
    names=["Sarah Louise Jones", "Candy"],
    phones=["07911 123456", "+33 6 12 34 56 78"],
    emails=["candy.escort@example.com"],
    handles=["candyxx_mcr"],
    addresses=["Flat 4, 22 Lever Street, Manchester M1 1EA", "22 Alder Grove, Leeds LS8 4QT"],
)
RECOGNIZER = KnownIdentifierRecognizer(KNOWN)

CASES = [
    # names: the whole name and each part of three letters or more, any case
    pytest.param("SARAH LOUISE JONES", [("SARAH LOUISE JONES", "PERSON")], id="full name capitals"),
    pytest.param(
        "it's sarah-louise", [("sarah", "PERSON"), ("louise", "PERSON")], id="name parts hyphenated"
    ),  # fmt: skip
    pytest.param("Sarah here", [("Sarah", "PERSON")], id="first name alone"),
    pytest.param("ms jones", [("jones", "PERSON")], id="surname lower case"),
    pytest.param("he kept calling me candy.", [("candy", "PERSON")], id="working name common word"),
    pytest.param("Candy's phone", [("Candy", "PERSON")], id="working name possessive"),
    pytest.param("I am SarahJones", [("SarahJones", "PERSON")], id="name parts run together"),
    pytest.param("spell it C A N D Y", [("C A N D Y", "PERSON")], id="name spelled out"),
    pytest.param("S-a-r-a-h", [("S-a-r-a-h", "PERSON")], id="name spelled with dashes"),
    pytest.param("I'm candyxx on twitter", [("candyxx", "HANDLE")], id="part of a handle"),
    pytest.param(
        "seven nine one one one two three four five six",
        [("seven nine one one one two three four five six", "PHONE_NUMBER")],
        id="phone in words without trunk zero",
    ),
    pytest.param("O79ll l23456", [("O79ll l23456", "PHONE_NUMBER")], id="letters for digits"),
    pytest.param("love Candy x", [("Candy", "PERSON")], id="a short form of a known name"),
    pytest.param("Hi Sarey", [("Sarey", "PERSON")], id="a short form with an ending"),
    pytest.param("please stay safe", [], id="a short form that is a frequent word"),
    pytest.param("he booked an escort", [], id="an email word written as a word"),
    # phones: any writing of the same number
    pytest.param("ring 07911123456 now", [("07911123456", "PHONE_NUMBER")], id="phone no spaces"),
    pytest.param(
        "on +44 (0)7911 123-456",
        [("+44 (0)7911 123-456", "PHONE_NUMBER")],
        id="phone international with dashes",
    ),  # fmt: skip
    pytest.param(
        "0 7 9 1 1 1 2 3 4 5 6",
        [("0 7 9 1 1 1 2 3 4 5 6", "PHONE_NUMBER")],
        id="phone spaced digits",
    ),  # fmt: skip
    pytest.param(
        "oh seven nine double one, one two three four five six",
        [("oh seven nine double one, one two three four five six", "PHONE_NUMBER")],
        id="phone in words",
    ),  # fmt: skip
    pytest.param(
        "my french one 06.12.34.56.78",
        [("06.12.34.56.78", "PHONE_NUMBER")],
        id="foreign phone in its national form",
    ),  # fmt: skip
    pytest.param(
        "or 0033 612 345 678",
        [("0033 612 345 678", "PHONE_NUMBER")],
        id="foreign phone international digits",
    ),  # fmt: skip
    # emails: case, disguised at and dot, the user name alone
    pytest.param(
        "Candy.Escort@Example.COM",
        [("Candy.Escort@Example.COM", "EMAIL_ADDRESS")],
        id="email any case",
    ),  # fmt: skip
    pytest.param(
        "candy dot escort at example dot com",
        [("candy dot escort at example dot com", "EMAIL_ADDRESS")],
        id="email with at and dot words",
    ),  # fmt: skip
    pytest.param(
        "candy.escort(at)example(dot)com",
        [("candy.escort(at)example(dot)com", "EMAIL_ADDRESS")],
        id="email with bracketed at and dot",
    ),  # fmt: skip
    pytest.param(
        "he found candy.escort online", [("candy.escort", "HANDLE")], id="email user name alone"
    ),  # fmt: skip
    # handles: with or without @, any case, in a profile url
    pytest.param("dm @CandyXX_MCR", [("@CandyXX_MCR", "HANDLE")], id="handle with at any case"),
    pytest.param("page candyxx mcr", [("candyxx mcr", "HANDLE")], id="handle with a space"),
    pytest.param("onlyfans.com/candyxx_mcr", [("candyxx_mcr", "HANDLE")], id="handle in url"),
    # addresses: whole, postcode, street and number, flat number
    pytest.param(
        "at Flat 4 22 Lever Street, Manchester M1 1EA.",
        [("Flat 4 22 Lever Street, Manchester M1 1EA", "STREET_ADDRESS")],
        id="whole address other punctuation",
    ),  # fmt: skip
    pytest.param("postcode m11ea", [("m11ea", "UK_POSTCODE")], id="postcode without space"),
    pytest.param("near M1 1EA", [("M1 1EA", "UK_POSTCODE")], id="postcode with space"),
    pytest.param("my address in LS8", [("LS8", "UK_POSTCODE")], id="postcode district alone"),
    pytest.param(
        "at 22 lever st. last",
        [("22 lever st.", "STREET_ADDRESS")],
        id="street and number abbreviated",
    ),  # fmt: skip
    pytest.param("down Lever Street", [("Lever Street", "STREET_ADDRESS")], id="street alone"),
    pytest.param("parked outside no. 22", [("no. 22", "PREMISES_NUMBER")], id="house number"),
    pytest.param("came to flat no. 4", [("flat no. 4", "PREMISES_NUMBER")], id="flat number"),
    # near misses: other people's details, embedded in words
    pytest.param("Candyfloss and Sarahs", [], id="names inside longer words"),
    pytest.param("he rang from 07700 900461", [], id="another phone"),
    pytest.param("07911 1234567", [], id="known phone plus a digit"),
    pytest.param("rich.b1987@example.com", [], id="another email"),
    pytest.param("@candyxx_mcr2", [], id="longer handle"),
    pytest.param("flat 14 and M1 1EB", [], id="other flat and postcode"),
    pytest.param("in Manchester", [], id="the town is the general area"),
    pytest.param("up the M1 1 hour", [], id="short district alone is a motorway"),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_finds_known_identifiers(text: str, expected: list[tuple[str, str]]) -> None:
    results = RECOGNIZER.analyze(text, [])
    assert [(text[r.start : r.end], r.entity_type) for r in results] == expected
    for result in results:
        assert result.score == 1.0
        assert result.recognition_metadata[ROLE_HINT] == "reporter"
        assert result.recognition_metadata[ROLE_REASON].startswith("matches the reporter's")
