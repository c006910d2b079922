from __future__ import annotations

import pytest

from recognizers import ROLE_HINT, ROLE_REASON
from recognizers.street_address_recognizer import StreetAddressRecognizer

RECOGNIZER = StreetAddressRecognizer()

CASES = [
    # numbered addresses, with a flat or unit before them
    pytest.param(
        "went to 22 Lever Street, Manchester", ("22 Lever Street",), "venue", id="number and street"
    ),
    pytest.param(
        "14a Kirkstall Rd", ("14a Kirkstall Rd",), "venue", id="number with letter and Rd"
    ),
    pytest.param(
        "Flat 4, 22 Lever Street", ("Flat 4, 22 Lever Street",), "venue", id="flat then address"
    ),
    pytest.param("Unit 3, Canal Wharf", ("Unit 3, Canal Wharf",), "venue", id="unit on a wharf"),
    pytest.param("at 5 Alder Grove.", ("5 Alder Grove",), "venue", id="grove"),
    # named streets without a number
    pytest.param("the flat off Portland Street.", ("Portland Street",), "venue", id="off a street"),
    pytest.param("on Harehills Lane", ("Harehills Lane",), "venue", id="on a lane"),
    pytest.param(
        "the corner of Hyde Road and Ashton Street",
        ("Hyde Road", "Ashton Street"),
        "venue",
        id="corner of two streets",
    ),
    pytest.param(
        "Wellington Rd South", ("Wellington Rd South",), "venue", id="direction after road"
    ),
    pytest.param("Prince of Wales Road", ("Prince of Wales Road",), "venue", id="of inside a name"),
    pytest.param("Union St.", ("Union St",), "venue", id="St abbreviation"),
    pytest.param(
        "he drove up Lever street", ("Lever street",), "venue", id="lower-case street word"
    ),
    pytest.param(
        "the Premier Inn Portland Street",
        ("Portland Street",),
        "venue",
        id="hotel name not in span",
    ),
    pytest.param("on Leith Walk", ("Leith Walk",), "venue", id="walk after a preposition"),
    pytest.param("in St Andrew Sq", ("St Andrew Sq",), "venue", id="saint in a square name"),
    pytest.param(
        "no 6 on Montague St. Wanted more", ("Montague St",), "venue", id="St ending a sentence"
    ),
    pytest.param("The Velvet Room on the Kingsway", ("Kingsway",), "venue", id="on the way street"),
    pytest.param("parked on Walmgate", ("Walmgate",), "venue", id="one-word gate street"),
    # texting style
    pytest.param("on stapleton rd", ("stapleton rd",), "venue", id="all lower case rd"),
    pytest.param(
        "worked on hessle road for years", ("hessle road",), "venue", id="lower case road after on"
    ),
    # the reporter's home
    pytest.param("I live at 14 Chapel Street", ("14 Chapel Street",), "reporter", id="I live at"),
    pytest.param("my address is 5 Alder Grove", ("5 Alder Grove",), "reporter", id="my address is"),
    pytest.param("my flat on Mill Road", ("Mill Road",), "reporter", id="my flat on"),
    pytest.param("picked me up on cawood ln about 11", ("cawood ln",), "venue", id="ln"),
    pytest.param("a house on ashgrove tce in gatesheed", ("ashgrove tce",), "venue", id="tce"),
    # near misses
    pytest.param("down the road", (), None, id="the road"),
    pytest.param("on the main road", (), None, id="main road"),
    pytest.param("from St Helens", (), None, id="St before a town"),
    pytest.param("went to see Dr Patel", (), None, id="doctor's title"),
    pytest.param("Jade close to tears", (), None, id="close as a word"),
    pytest.param("10 minutes walk", (), None, id="walk as a word"),
    pytest.param("we went to Notting Hill", (), None, id="hill without a number or on"),
    pytest.param("Then Street lights went off", (), None, id="sentence-start word"),
    pytest.param("he was on my way home", (), None, id="way is not a street word"),
    # embedded in words
    pytest.param("Streetwise Roadrunner", (), None, id="street words inside words"),
]


@pytest.mark.parametrize(("text", "spans", "role"), CASES)
def test_street_address_recognizer_finds_addresses_with_their_role(
    text: str, spans: tuple[str, ...], role: str | None
) -> None:
    results = sorted(RECOGNIZER.analyze(text, ["STREET_ADDRESS"]), key=lambda r: r.start)
    assert tuple(text[r.start : r.end] for r in results) == spans
    for result in results:
        assert result.recognition_metadata[ROLE_HINT] == role
        assert result.recognition_metadata[ROLE_REASON]
