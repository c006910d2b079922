from __future__ import annotations

import pytest
from presidio_analyzer.nlp_engine import SpacyNlpEngine

from recognizers import ROLE_HINT
from recognizers.third_party_recognizer import ThirdPartyRecognizer

RECOGNIZER = ThirdPartyRecognizer()

CASES = [
    # a person noun, then the name
    pytest.param("my friend Kelly came", "Kelly", "PERSON", "third_party", id="my friend"),
    pytest.param("my maid Dawn", "Dawn", "PERSON", "third_party", id="my maid, common-word name"),
    pytest.param(
        "the maid (Sue) let him in", "Sue", "PERSON", "third_party", id="maid in brackets"
    ),
    pytest.param("my driver Tom waited", "Tom", "PERSON", "third_party", id="my driver"),
    pytest.param("my flatmate Jo", "Jo", "PERSON", "third_party", id="flatmate"),
    pytest.param("my partner Sam", "Sam", "PERSON", "third_party", id="partner"),
    pytest.param("the receptionist Karen", "Karen", "PERSON", "third_party", id="receptionist"),
    pytest.param(
        "a witness, Mr Patel, saw", "Mr Patel", "PERSON", "third_party", id="witness with title"
    ),
    pytest.param(
        "my friend Kelly's flat", "Kelly", "PERSON", "third_party", id="possessive not in span"
    ),
    pytest.param("The maid Bev came in", "Bev", "PERSON", "third_party", id="sentence start"),
    # other workers need other/another
    pytest.param(
        "the other girl, Amber, saw", "Amber", "PERSON", "third_party", id="the other girl"
    ),
    pytest.param(
        "another worker called Lexi", "Lexi", "PERSON", "third_party", id="another worker called"
    ),
    # the name, then the noun
    pytest.param(
        "Rosie (the owner, she's on reception)",
        "Rosie",
        "PERSON",
        "third_party",
        id="name then owner",
    ),
    # support workers and police
    pytest.param(
        "my support worker Claire", "Claire", "PERSON", "third_party", id="support worker"
    ),
    pytest.param("PC Jones took a statement", "Jones", "PERSON", "third_party", id="police rank"),
    # she / her
    pytest.param(
        "I told him her name was Misty", "Misty", "PERSON", "third_party", id="her name was"
    ),
    pytest.param(
        "Kelly was there, she works with me.",
        "Kelly",
        "PERSON",
        "third_party",
        id="she works with me",
    ),
    pytest.param(
        "Caller says her name is Jade, she was",
        "Jade",
        "PERSON",
        None,
        id="her name in a caseworker note",
    ),
    # support projects
    pytest.param(
        "Basis Yorkshire helped",
        "Basis Yorkshire",
        "ORGANIZATION",
        "third_party",
        id="Basis Yorkshire",
    ),
    pytest.param(
        "with Changing Lives", "Changing Lives", "ORGANIZATION", "third_party", id="Changing Lives"
    ),
    pytest.param("SWARM", "SWARM", "ORGANIZATION", "third_party", id="SWARM"),
    pytest.param(
        "the Armistead project",
        "Armistead project",
        "ORGANIZATION",
        "third_party",
        id="Armistead project",
    ),
    pytest.param(
        "Umbrella Lane", "Umbrella Lane", "ORGANIZATION", "third_party", id="Umbrella Lane"
    ),
    pytest.param(
        "The Beacon Project rang",
        "The Beacon Project",
        "ORGANIZATION",
        "third_party",
        id="named project",
    ),
    pytest.param(
        "Compass is reporting on behalf of a member",
        "Compass",
        "ORGANIZATION",
        "third_party",
        id="project reporting on behalf",
    ),
    pytest.param(
        "Mandy at the Compass drop in told me",
        "Compass",
        "ORGANIZATION",
        "third_party",
        id="project drop in",
    ),
    pytest.param(
        "From Open Hands: women at the flat",
        "Open Hands",
        "ORGANIZATION",
        "third_party",
        id="note from a project",
    ),  # fmt: skip
    # named people whose role the words do not give: found without a hint
    pytest.param("He knew Jade by name", "Jade", "PERSON", None, id="by name"),
    pytest.param("I went with Kelly and Amber", "Amber", "PERSON", None, id="beside a person"),
    pytest.param(
        "Actions: ISVA referral; CW (Priya) to call SU Mon.",
        "Priya",
        "PERSON",
        "third_party",
        id="caseworker initials in a note",
    ),
    pytest.param(
        "i said stop. bex the maid heard me",
        "bex",
        "PERSON",
        "third_party",
        id="lower-case name, then the maid",
    ),
    pytest.param("ma pal Mhairi wis on the street", "Mhairi", "PERSON", "third_party", id="ma pal"),
    pytest.param(
        "Our door guy Rizwan got him out", "Rizwan", "PERSON", "third_party", id="door guy"
    ),
    pytest.param("CW Priya to call back Fri.", "Priya", "PERSON", "third_party", id="CW then name"),
    pytest.param(
        'rented by another woman, "Misty", who was out',
        "Misty",
        "PERSON",
        "third_party",
        id="name in quotes",
    ),
    pytest.param(
        "security guy (she calls him Big Mo)", "Big Mo", "PERSON", None, id="what others call him"
    ),
    pytest.param(
        "the agency I work for, Velour Companions.",
        "Velour Companions",
        "ORGANIZATION",
        "third_party",
        id="the agency I work for",
    ),
    pytest.param(
        "an agency in Reading called Berkshire Belles",
        "Berkshire Belles",
        "ORGANIZATION",
        "third_party",
        id="agency called",
    ),
    pytest.param(
        "Storm and Bunny were both working",
        "Storm",
        "PERSON",
        None,
        id="a word-name before a person",
    ),
    pytest.param(
        "the concierge, Daniel, saw them", "Daniel", "PERSON", "third_party", id="concierge"
    ),
    # near misses
    pytest.param("Leeds and Bradford", None, None, None, id="two places joined by and"),
    pytest.param("From what I saw, he ran", None, None, None, id="from at the start"),
    pytest.param("We are reporting on behalf of her", None, None, None, id="we are reporting"),
    pytest.param("She (the friend) saw", None, None, None, id="pronoun before the noun"),
    pytest.param("my friend said no", None, None, None, id="no name after friend"),
    pytest.param("my friend Polish", None, None, None, id="nationality is not a name"),
    pytest.param("the girl Amber", None, None, None, id="girl without other"),
    pytest.param("after the Warehouse Project", None, None, None, id="club night not a project"),
    pytest.param("on a regular basis", None, None, None, id="basis as a word"),
    pytest.param("i said stop. then the maid came", None, None, None, id="then the maid"),
    pytest.param("he hit me. luckily the driver saw", None, None, None, id="an adverb"),
    pytest.param(
        'a police officer, "Officer Brown", rang',
        "Brown",
        "PERSON",
        "third_party",
        id="a rank is not the name",
    ),
    pytest.param("the driver Description: tall", None, None, None, id="an alert's label"),
    # embedded in words
    pytest.param("myfriend Kelly", None, None, None, id="cue inside a word"),
]


@pytest.mark.parametrize(("text", "span", "entity", "role"), CASES)
def test_third_party_recognizer_finds_other_people_and_projects(
    text: str, span: str | None, entity: str | None, role: str | None, nlp_engine: SpacyNlpEngine
) -> None:
    results = RECOGNIZER.analyze(
        text, ["PERSON", "ORGANIZATION"], nlp_engine.process_text(text, "en")
    )
    found = [
        (text[r.start : r.end], r.entity_type, r.recognition_metadata.get(ROLE_HINT))
        for r in results
    ]
    assert found == ([] if span is None else [(span, entity, role)])


def test_a_name_given_a_role_is_found_again_with_it(nlp_engine: SpacyNlpEngine) -> None:
    text = "I work with my friend Carys. Later he grabbed Carys by the hair."
    results = RECOGNIZER.analyze(text, ["PERSON"], nlp_engine.process_text(text, "en"))
    found = sorted((r.start, r.recognition_metadata[ROLE_HINT], r.score) for r in results)
    assert [(start, role) for start, role, _ in found] == [(22, "third_party"), (46, "third_party")]
    assert found[1][2] < found[0][2]
