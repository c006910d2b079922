from __future__ import annotations

import pytest

from recognizers import ROLE_HINT, ROLE_REASON
from recognizers.handle_recognizer import HandleRecognizer

RECOGNIZER = HandleRecognizer()

CASES = [
    # @handles, with the role the words just before give
    pytest.param(
        "he knew my page @honeyxoxo.", "@honeyxoxo", "HANDLE", "reporter", id="at handle after my"
    ),  # fmt: skip
    pytest.param(
        "he messaged from @dave_mcr88 last night",
        "@dave_mcr88",
        "HANDLE",
        "offender",
        id="at handle after he",
    ),  # fmt: skip
    pytest.param(
        "he messaged me from @dave_mcr88",
        "@dave_mcr88",
        "HANDLE",
        "offender",
        id="me is not first person cue",
    ),  # fmt: skip
    pytest.param(
        "messages from @truth.teller",
        "@truth.teller",
        "HANDLE",
        None,
        id="at handle without pronoun",
    ),  # fmt: skip
    pytest.param(
        "He found my insta @jade_xx", "@jade_xx", "HANDLE", "reporter", id="nearest pronoun wins"
    ),  # fmt: skip
    # usernames after a platform cue
    pytest.param("my insta is jade_xx", "jade_xx", "HANDLE", "reporter", id="my insta is"),
    pytest.param("his snap: candyxx", "candyxx", "HANDLE", "offender", id="his snap colon"),
    pytest.param(
        "he's on twitter as DaveLdn", "DaveLdn", "HANDLE", "offender", id="on twitter as"
    ),  # fmt: skip
    pytest.param(
        "my AW profile is ScarlettMcr", "ScarlettMcr", "HANDLE", "reporter", id="my AW profile"
    ),  # fmt: skip
    pytest.param(
        "username norfolkgent69, met in a car park",
        "norfolkgent69",
        "HANDLE",
        None,
        id="username without separator",
    ),  # fmt: skip
    pytest.param(
        "advertises under the name VIPagentUK and emails",
        "VIPagentUK",
        "HANDLE",
        None,
        id="under the name",
    ),  # fmt: skip
    pytest.param(
        "his telegram is @ghost_77", "@ghost_77", "HANDLE", "offender", id="telegram at handle"
    ),  # fmt: skip
    pytest.param(
        "he messaged my page jasmine.bbw",
        "jasmine.bbw",
        "HANDLE",
        "reporter",
        id="dotted username after my page",
    ),  # fmt: skip
    # underscored or dotted usernames with no cue
    pytest.param(
        "a guy using jamie_ldn_91, name Jamie",
        "jamie_ldn_91",
        "HANDLE",
        None,
        id="underscored username",
    ),  # fmt: skip
    pytest.param(
        "He knew my handle will_escort_ldn from the app",
        "will_escort_ldn",
        "HANDLE",
        "reporter",
        id="underscored username after my handle",
    ),  # fmt: skip
    pytest.param(
        'a fake profile "Sophie" (sophie.brighton.real) befriended',
        "sophie.brighton.real",
        "HANDLE",
        None,
        id="username with two dots",
    ),  # fmt: skip
    # profile and advert urls
    pytest.param(
        "my AW profile https://www.adultwork.com/ViewProfile.asp?UserID=123 ok",
        "https://www.adultwork.com/ViewProfile.asp?UserID=123",
        "URL",
        "reporter",
        id="adultwork profile url",
    ),  # fmt: skip
    pytest.param(
        "his page onlyfans.com/davey_boy.",
        "onlyfans.com/davey_boy",
        "URL",
        "offender",
        id="onlyfans url without scheme",
    ),  # fmt: skip
    pytest.param(
        "see vivastreet.co.uk/escort/manchester/123",
        "vivastreet.co.uk/escort/manchester/123",
        "URL",
        None,
        id="vivastreet advert",
    ),  # fmt: skip
    pytest.param(
        "(instagram.com/x_candy)",
        "instagram.com/x_candy",
        "URL",
        None,
        id="instagram url in brackets",
    ),  # fmt: skip
    pytest.param(
        "link www.example.org/page", "www.example.org/page", "URL", None, id="other www url"
    ),  # fmt: skip
    pytest.param(
        "I also sell clips at clipvault.example.net/store/LilaHazel.",
        "clipvault.example.net/store/LilaHazel",
        "URL",
        "reporter",
        id="bare link with a path",
    ),  # fmt: skip
    pytest.param(
        "on adultwork, user name BigJohnMcr69, he come",
        "BigJohnMcr69",
        "HANDLE",
        None,
        id="user name then the handle",
    ),  # fmt: skip
    # near misses
    pytest.param("my snap is private now", None, None, None, id="stop word after my snap is"),
    pytest.param("I added him on snap yesterday", None, None, None, id="platform without handle"),
    pytest.param("meet @10pm @ the hotel", None, None, None, id="at sign as a time"),
    pytest.param("email candy_x@gmail.com", None, None, None, id="email is not a handle"),
    pytest.param("on adultwork.com he booked", None, None, None, id="site name without profile"),
    pytest.param("aw bless him", None, None, None, id="interjection aw"),
    pytest.param(
        "booked under the name Richard Hale", None, None, None, id="a person's name is no handle"
    ),
    pytest.param(
        "I emailed bookings@elite-models.example.co.uk to ask",
        None,
        None,
        None,
        id="an email's hyphenated domain is no username",
    ),
    pytest.param("left at 11.40pm", None, None, None, id="time with a dot"),
    pytest.param("Service user visited a client", None, None, None, id="service user"),
    pytest.param("White XC90, reg starts YE67", None, None, None, id="car model with X"),
    pytest.param("paid £150 at 22:30 from 07700 900461", None, None, None, id="price time phone"),
]


@pytest.mark.parametrize(("text", "value", "entity", "role"), CASES)
def test_finds_handles_and_links(
    text: str, value: str | None, entity: str | None, role: str | None
) -> None:
    results = RECOGNIZER.analyze(text, ["HANDLE", "URL"])
    assert [text[r.start : r.end] for r in results] == ([value] if value else [])
    for result in results:
        assert result.entity_type == entity
        assert result.recognition_metadata.get(ROLE_HINT) == role
        assert bool(result.recognition_metadata.get(ROLE_REASON)) == (role is not None)
