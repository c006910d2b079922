from __future__ import annotations

import pytest

from recognizers.location_detail_recognizer import LocationDetailRecognizer


@pytest.mark.parametrize(
    ("detail", "area", "text", "found"),
    [
        # parts of the location detail found again
        pytest.param(
            "Premier Inn, Portland Street, room 214",
            "Manchester",
            "went to the premier inn on Portland St. and up to Room 214",
            ["premier inn", "Portland St", "Room 214"],
            id="hotel, abbreviated street and room in other case",
        ),
        pytest.param(
            "picked up on Cawood Lane, driven round the back of the Ferryman pub",
            "Leeds",
            "picked me up on cawood ln then round the back of the ferryman",
            ["cawood ln", "ferryman"],
            id="street abbreviated, a name inside a longer part",
        ),
        pytest.param(
            "apartment 1102, Aria Tower, Ancoats",
            "Manchester",
            "he'll tell the block what lives in 1102. I paid £1102 once",
            ["1102"],
            id="a room number alone, never a price",
        ),
        pytest.param(
            "Rosie's, above the bookies on Kirkgate",
            "Leeds",
            "I work at Rosie's most days",
            ["Rosie's"],
            id="venue named like a person",
        ),
        pytest.param(
            "Flat 3, 14 Harehills Lane",
            "Leeds",
            "in flat 3 at 14 Harehills Lane",
            ["flat 3", "14 Harehills Lane"],
            id="flat and street",
        ),
        # what is left alone
        pytest.param(
            "Travelodge, Leeds",
            "Leeds",
            "a Travelodge in Leeds",
            ["Travelodge"],
            id="the general area stays",
        ),
        pytest.param(
            "private house near the station",
            "Bristol",
            "his private house near the station",
            [],
            id="only common words",
        ),
        pytest.param("Premier Inn", "", "premiered innovative", [], id="not inside other words"),
    ],
)
def test_location_detail_parts_found_again(detail, area, text, found):
    results = LocationDetailRecognizer(detail, area).analyze(text, [])
    assert sorted(text[r.start : r.end] for r in results) == sorted(found)
    assert all(r.recognition_metadata["role_hint"] == "venue" for r in results)


def test_a_leading_preposition_is_not_part_of_the_venue():
    results = LocationDetailRecognizer("at the Carron, room 9", "Falkirk").analyze(
        "Outcall to the Carron in Falkirk", []
    )
    assert ["Carron"] == ["Outcall to the Carron in Falkirk"[r.start : r.end] for r in results]
