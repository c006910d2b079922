from __future__ import annotations

import pytest

from recognizers.age_recognizer import AgeRecognizer


@pytest.mark.parametrize(
    ("text", "found"),
    [
        # stated ages
        pytest.param("me being a Vietnamese girl aged 23 I must do extras", ["23"], id="aged N"),
        pytest.param("he say being 19 i should be grateful", ["19"], id="being N"),
        pytest.param("Marnie is 41, independent, advertises on two sites.", ["41"], id="Name is N"),
        pytest.param('"this is Destinee Walsh, 31, from Wishaw"', ["31"], id="Name, N,"),
        pytest.param("she is 26 years old", ["26"], id="N years old"),
        # not ages
        pytest.param("being 20 minutes late", [], id="a duration"),
        pytest.param("Booking is 30 mins", [], id="minutes after a capitalised word"),
        pytest.param("aged 5", [], id="a child's age is out of range"),
        pytest.param("Room is 12", [], id="under 16"),
        pytest.param("Price is 80 quid", [], id="a price"),
    ],
)
def test_age(text, found):
    results = AgeRecognizer().analyze(text, ["AGE"])
    assert sorted(text[r.start : r.end] for r in results) == found
