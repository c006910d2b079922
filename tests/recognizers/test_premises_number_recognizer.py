from __future__ import annotations

import pytest

from recognizers import ROLE_HINT
from recognizers.premises_number_recognizer import PremisesNumberRecognizer

RECOGNIZER = PremisesNumberRecognizer()

CASES = [
    # rooms, flats, units and suites
    pytest.param("Premier Inn, room 214", ("room 214",), "venue", id="room"),
    pytest.param("Ibis rm 12", ("rm 12",), "venue", id="rm"),
    pytest.param("rm. 311 at the back", ("rm. 311",), "venue", id="rm with dot"),
    pytest.param("Room 2 was", ("Room 2",), "venue", id="capital room"),
    pytest.param("flat 3", ("flat 3",), "venue", id="flat"),
    pytest.param("in flat 3B", ("flat 3B",), "venue", id="flat with letter"),
    pytest.param("flat B upstairs", ("flat B",), "venue", id="flat letter only"),
    pytest.param("apartment 12", ("apartment 12",), "venue", id="apartment"),
    pytest.param("apt 4", ("apt 4",), "venue", id="apt"),
    pytest.param("unit 5 on the estate", ("unit 5",), "venue", id="unit"),
    pytest.param("suite 9", ("suite 9",), "venue", id="suite"),
    pytest.param("house number 22", ("house number 22",), "venue", id="house number"),
    # how people type numbers
    pytest.param("room 5 1 2 at the end", ("room 5 1 2",), "venue", id="spaced digits"),
    pytest.param("room 4O7", ("room 4O7",), "venue", id="letter O for zero"),
    pytest.param("flat 0/2 on Byres Road", ("flat 0/2",), "venue", id="Glasgow tenement"),
    pytest.param("rents for work: 2/1, 88 Allison Street", ("2/1",), "venue", id="tenement alone"),
    pytest.param("the door of 2/1 with a note", ("2/1",), "venue", id="tenement after of"),
    pytest.param("stair 3F2 in Leith", ("3F2",), "venue", id="Edinburgh floor and door"),
    pytest.param("the 3rd floor flat", ("3rd floor flat",), "venue", id="floor of a flat"),
    # house numbers need a place cue
    pytest.param("went round to number 14", ("number 14",), "venue", id="round to number"),
    pytest.param("outside no. 22.", ("no. 22",), "venue", id="outside no"),
    pytest.param("my flat on Walmgate (no 5)", ("no 5",), "venue", id="no in brackets"),
    pytest.param("At his flat in Camden (4B) he", ("4B",), "venue", id="number in brackets"),
    pytest.param("the room at the Ibis (\u00a340) was", (), None, id="price in brackets"),
    # the reporter's own
    pytest.param("my flat 3", ("flat 3",), "reporter", id="my flat"),
    pytest.param("I live at no 14", ("no 14",), "reporter", id="I live at no"),
    # near misses: prices, times, phone numbers
    pytest.param("he paid a flat 50 for half hour", (), None, id="flat rate"),
    pytest.param("flat 30 quid", (), None, id="price after flat"),
    pytest.param("room 10pm", (), None, id="time after room"),
    pytest.param("his number 07700 900461", (), None, id="phone number"),
    pytest.param("he was in the flat. A man came", (), None, id="a sentence after flat"),
    pytest.param("on 2/1 he came back", (), None, id="a date is not a tenement"),
    pytest.param("he was number 3 in the queue", (), None, id="number without a place cue"),
    # embedded in words
    pytest.param("bedroom 2 was", (), None, id="room inside bedroom"),
]


@pytest.mark.parametrize(("text", "spans", "role"), CASES)
def test_premises_number_recognizer_finds_numbers_with_their_role(
    text: str, spans: tuple[str, ...], role: str | None
) -> None:
    results = sorted(RECOGNIZER.analyze(text, ["PREMISES_NUMBER"]), key=lambda r: r.start)
    assert tuple(text[r.start : r.end] for r in results) == spans
    assert all(r.recognition_metadata[ROLE_HINT] == role for r in results)
