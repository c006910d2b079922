from __future__ import annotations

import pytest
from presidio_analyzer.nlp_engine import SpacyNlpEngine

from recognizers import ROLE_HINT
from recognizers.venue_recognizer import VenueRecognizer

RECOGNIZER = VenueRecognizer()

CASES = [
    # hotel chains, with or without a location (the location is not part of the span)
    pytest.param("the Premier Inn on Portland Street", ("Premier Inn",), id="chain with street"),
    pytest.param("Travelodge Leeds Central", ("Travelodge",), id="chain with town"),
    pytest.param("Holiday Inn Express, room 220", ("Holiday Inn Express",), id="chain variant"),
    pytest.param("booked me to the ibis", ("ibis",), id="lower-case chain"),
    pytest.param("Ibis Styles St Andrew Sq", ("Ibis Styles",), id="chain sub-brand"),
    pytest.param("Hampton by Hilton on Broad St", ("Hampton by Hilton",), id="longest chain name"),
    pytest.param("a room at the Jurys Inn", ("Jurys Inn",), id="Jurys Inn"),
    pytest.param("the Z Hotel in Soho", ("Z Hotel",), id="one-letter chain"),
    # named venues
    pytest.param("the Pink Palace", ("Pink Palace",), id="named palace"),
    pytest.param("I work at Velvet Rooms sauna", ("Velvet Rooms sauna",), id="name and sauna"),
    pytest.param("Crystal Palace Sauna", ("Crystal Palace Sauna",), id="three-word name"),
    pytest.param("The Crown Hotel in Harrogate", ("The Crown Hotel",), id="named hotel with The"),
    pytest.param("works from Granby House", ("Granby House",), id="named building"),
    pytest.param("Club 69", ("Club 69",), id="numbered club"),
    pytest.param("Diamonds massage is on the corner", ("Diamonds massage",), id="name and massage"),
    # named like a person
    pytest.param("Working at Rosie's on Wellington Rd", ("Rosie's",), id="possessive name"),
    pytest.param("Chloe's Place", ("Chloe's Place",), id="possessive name and place"),
    pytest.param(
        "Bella's (parlour) Shields Road", ("Bella's",), id="possessive name opening a note"
    ),
    pytest.param("Grange Road near the Crown pub", ("Crown pub",), id="named pub"),
    pytest.param("I work at Angels on Hyde Road.", ("Angels",), id="plural name after at"),
    # descriptions
    pytest.param(
        "the flat above the chippy on Holloway Rd",
        ("the flat above the chippy",),
        id="flat above the chippy",
    ),
    pytest.param(
        "the flat above the Costa", ("the flat above the Costa",), id="flat above a named shop"
    ),
    pytest.param("the working flat on Lever St", ("the working flat",), id="the working flat"),
    pytest.param("the sauna I work at", ("the sauna I work at",), id="the sauna I work at"),
    pytest.param("came into the parlour", ("the parlour",), id="bare parlour"),
    pytest.param("round the back of the Lidl", ("Lidl",), id="landmark shop"),
    # named by what it is, and shops used as the meeting place, in any case
    pytest.param(
        "The Albion is the pub on the corner of her street.", ("Albion",), id="X is the pub"
    ),
    pytest.param("The Orchid is a massage parlour in Leeds", ("Orchid",), id="X is a parlour"),
    pytest.param("booked to a road in braunstone (near the spar)", ("spar",), id="lower-case shop"),
    pytest.param("car park behind tesco extra in rochdale", ("tesco extra",), id="shop variant"),
    pytest.param("went 2 travel lodge", ("travel lodge",), id="chain split in two words"),
    pytest.param("come to the premier in on broad st", ("premier in",), id="chain misspelt"),
    pytest.param(
        "the Holliday Inn Express near", ("Holliday Inn Express",), id="chain misspelt II"
    ),
    pytest.param("rang Secrets on Albion st tonite", ("Secrets",), id="a name on a street"),
    pytest.param("a flat in Easton, above the bookies on X", ("the bookies",), id="above a shop"),
    # near misses
    pytest.param("he met me at the hotel", (), id="bare hotel is no finding"),
    pytest.param("a Leeds sauna", (), id="a town and sauna is not a name"),
    pytest.param("he wanted a massage", (), id="massage as an act"),
    pytest.param("He shouted at Lucas and left.", (), id="person after shouted at"),
    pytest.param("went to Dave's house", (), id="possessive before a plain noun"),
    pytest.param("see you at Christmas", (), id="festival after at"),
    pytest.param("Dave is a club bouncer", (), id="a venue noun inside a longer noun"),
    pytest.param("he spars with the lads", (), id="spar as a verb"),
    pytest.param("I went to Leeds on Monday", (), id="a town and a day is no street"),
    # embedded in words
    pytest.param("Travelodger and ibises", (), id="chain inside a word"),
]


@pytest.mark.parametrize(("text", "spans"), CASES)
def test_venue_recognizer_finds_venues(
    text: str, spans: tuple[str, ...], nlp_engine: SpacyNlpEngine
) -> None:
    artifacts = nlp_engine.process_text(text, "en")
    results = sorted(RECOGNIZER.analyze(text, ["VENUE"], artifacts), key=lambda r: r.start)
    assert tuple(text[r.start : r.end] for r in results) == spans
    assert all(r.recognition_metadata[ROLE_HINT] == "venue" for r in results)


def test_bare_venue_words_score_lower_than_names() -> None:
    named = RECOGNIZER.analyze("Velvet Rooms sauna", ["VENUE"])[0]
    bare = RECOGNIZER.analyze("the sauna", ["VENUE"])[0]
    assert bare.score < named.score
