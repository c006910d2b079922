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
        pytest.param("I am Romanian girl, 24 year, I work", ["24"], id="N year, imperfect English"),
        pytest.param("KM is a 30s indoor SW", ["30s"], id="a decade"),
        pytest.param("he was in his late 40s", ["40s"], id="in his late 40s"),
        pytest.param('Ffion (works as "Foxy", 22) was booked', ["22"], id="closing a bracket"),
        pytest.param("Angel is ok, she's 22 and new", ["22"], id="she's N"),
        pytest.param("he's 40 or so", ["40"], id="he's N (the role step keeps his)"),
        pytest.param("I am Sofia, Romanian girl 26 years. I work", ["26"], id="girl N years"),
        # not ages
        pytest.param("being 20 minutes late", [], id="a duration"),
        pytest.param("Booking is 30 mins", [], id="minutes after a capitalised word"),
        pytest.param("aged 5", [], id="a child's age is out of range"),
        pytest.param("Room is 12", [], id="under 16"),
        pytest.param("Price is 80 quid", [], id="a price"),
        pytest.param("I worked there 20 years ago", [], id="years ago"),
        pytest.param("she's 22 minutes away", [], id="she's a duration"),
        pytest.param("he's 40-45", [], id="a range in his description"),
        pytest.param("for 20 years", [], id="a duration in years"),
    ],
)
def test_age(text, found):
    results = AgeRecognizer().analyze(text, ["AGE"])
    assert sorted(text[r.start : r.end] for r in results) == found
