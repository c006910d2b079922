"""Role attribution: whose each detail is, from structured fields and the sentence's grammar."""

from __future__ import annotations

import json

import pytest

from pipeline.analysis import ReportAnalysis
from pipeline.findings import Finding, Role, Span
from pipeline.intake import parse_report
from pipeline.roles import attribute, repeated_names

BASE = {
    "format": 1,
    "report_id": "R-T-1",
    "received_at": "2026-03-14T22:05:00Z",
    "channel": "web",
    "reporter": {
        "known_identifiers": {"names": ["Sarah Jones", "Candy"], "phones": ["07700 900123"]}
    },
    "consent": {"alert": True, "intelligence": False, "police_contact": False},
    "offenders": [
        {
            "names_used": ["Dave"],
            "phones": ["07700 900461"],
            "vehicles": [{"registration": "MA19 KXZ"}],
        }
    ],
    "narrative": "",
}


def role_of(
    nlp, narrative: str, value: str, entity: str, occurrence: int = 0, report: dict | None = None
) -> Role:
    data = json.loads(json.dumps(report or BASE))
    data["narrative"] = narrative
    received = parse_report(data)
    start = -1
    for _ in range(occurrence + 1):
        start = narrative.index(value, start + 1)
    analysis = ReportAnalysis(received)
    analysis.docs["narrative"] = nlp(narrative)
    analysis.spans.append(Span("narrative", start, start + len(value), entity, 0.8, "Test", value))
    (finding,) = attribute(analysis)
    assert finding.reason  # every finding says why
    return finding.role


@pytest.mark.parametrize(
    ("narrative", "value", "entity", "occurrence", "role"),
    [
        # structured fields decide first
        pytest.param(
            "Text 07700 900123 if you need me.",
            "07700 900123",
            "PHONE_NUMBER",
            0,
            Role.REPORTER,
            id="reporter's known phone, no cue",
        ),
        pytest.param(
            "Ring +44 7700 900123.",
            "+44 7700 900123",
            "PHONE_NUMBER",
            0,
            Role.REPORTER,
            id="reporter's known phone in +44 form",
        ),
        pytest.param(
            "The number was 07700-900-461.",
            "07700-900-461",
            "PHONE_NUMBER",
            0,
            Role.OFFENDER,
            id="offender's structured phone in another format",
        ),
        pytest.param(
            "Plate started MA19 I think.",
            "MA19",
            "VEHICLE_REGISTRATION",
            0,
            Role.OFFENDER,
            id="partial plate of the offender's registration",
        ),
        pytest.param(
            "He said call him Dave.", "Dave", "PERSON", 0, Role.OFFENDER, id="name he used"
        ),
        pytest.param(
            "Candy here, he was rough.",
            "Candy",
            "PERSON",
            0,
            Role.REPORTER,
            id="reporter's known working name",
        ),
        # both roles in one sentence
        pytest.param(
            "He rang me on my work phone 07700 900777 from 07700 900888 last night.",
            "07700 900777",
            "PHONE_NUMBER",
            0,
            Role.REPORTER,
            id="my work phone",
        ),
        pytest.param(
            "I gave him my number 07700 900556 stupidly.",
            "07700 900556",
            "PHONE_NUMBER",
            0,
            Role.REPORTER,
            id="my number",
        ),
        pytest.param(
            "He got in his car, reg LK17 ABC, and left.",
            "LK17 ABC",
            "VEHICLE_REGISTRATION",
            0,
            Role.OFFENDER,
            id="his car reg",
        ),
        # people
        pytest.param(
            "My friend Kelly drove me there.",
            "Kelly",
            "PERSON",
            0,
            Role.THIRD_PARTY,
            id="my friend Kelly",
        ),
        pytest.param(
            "The maid, Dawn, let him in.",
            "Dawn",
            "PERSON",
            0,
            Role.THIRD_PARTY,
            id="the maid, Dawn",
        ),
        pytest.param(
            "Then Sam came round.",
            "Sam",
            "PERSON",
            0,
            Role.UNKNOWN,
            id="a name with no cue is unknown",
        ),
        # ages and nationalities
        pytest.param("I'm 24 and I was terrified.", "24", "AGE", 0, Role.REPORTER, id="my age"),
        pytest.param("He was about 40 and stocky.", "40", "AGE", 0, Role.OFFENDER, id="his age"),
        # places
        pytest.param(
            "It happened in Leeds.", "Leeds", "LOCATION", 0, Role.AREA, id="a town is the area"
        ),
        pytest.param(
            "It was on Lever Street.",
            "Lever Street",
            "LOCATION",
            0,
            Role.VENUE,
            id="a street is the venue",
        ),
        pytest.param(
            "We were in room 214.",
            "room 214",
            "PREMISES_NUMBER",
            0,
            Role.VENUE,
            id="a room number is the venue",
        ),
        pytest.param(
            "Someone left 07700 900999 on the card.",
            "07700 900999",
            "PHONE_NUMBER",
            0,
            Role.UNKNOWN,
            id="a number nobody owns is unknown",
        ),
    ],
)
def test_role(nlp, narrative, value, entity, occurrence, role):
    assert role_of(nlp, narrative, value, entity, occurrence) == role


def test_third_person_caseworker_notes_make_her_the_reporter(nlp):
    notes = "Caller says she gave him her number 07700 900321. He said she would regret it."
    assert role_of(nlp, notes, "07700 900321", "PHONE_NUMBER") == Role.REPORTER


def test_in_a_first_person_account_her_number_is_someone_else(nlp):
    account = "I was with my friend. He took her number 07700 900321 off her phone. I left."
    assert role_of(nlp, account, "07700 900321", "PHONE_NUMBER") == Role.THIRD_PARTY


def test_a_known_identifier_beats_the_offenders_fields(nlp):
    report = json.loads(json.dumps(BASE))
    report["offenders"][0]["phones"].append("07700 900123")  # entered wrongly on the form
    assert (
        role_of(nlp, "Number 07700 900123.", "07700 900123", "PHONE_NUMBER", report=report)
        == Role.REPORTER
    )


@pytest.mark.parametrize(
    ("text", "entity", "dropped"),
    [
        pytest.param("Corsa", "ORGANIZATION", True, id="a car model is nobody"),
        pytest.param("AdultWork", "ORGANIZATION", True, id="a platform is nobody"),
        pytest.param("Driver", "PERSON", True, id="a role noun is nobody"),
        pytest.param("Ford Focus", "PERSON", True, id="the offender's own car"),
        pytest.param("Description", "PERSON", True, id="an alert template's label is nobody"),
        pytest.param("Tasha", "ORGANIZATION", False, id="a name stays a finding"),
    ],
)
def test_spacy_spans_that_name_nobody_are_dropped(text, entity, dropped):
    from pipeline.roles import is_not_an_identifier

    data = json.loads(json.dumps(BASE))
    data["offenders"][0]["vehicles"][0] |= {"make": "Ford", "model": "Focus"}
    report = parse_report(data).report
    span = Span("narrative", 0, len(text), entity, 0.85, "SpacyRecognizer", text)
    assert is_not_an_identifier(span, report) is dropped
    pattern_span = Span("narrative", 0, len(text), entity, 0.85, "VenueRecognizer", text)
    assert is_not_an_identifier(pattern_span, report) is False


def _repeats(nlp, narrative: str, found: list[tuple[str, Role]]) -> list[tuple[str, Role]]:
    """Names ``repeated_names`` adds to a report whose first mention of each name was found."""
    analysis = ReportAnalysis(parse_report({**BASE, "narrative": narrative}))
    analysis.docs["narrative"] = nlp(narrative)
    findings = []
    for value, role in found:
        start = narrative.index(value)
        span = Span("narrative", start, start + len(value), "PERSON", 0.6, "Test", value)
        findings.append(Finding(span, role, "a cue"))
    return [(f.span.text, f.role) for f in repeated_names(findings, analysis)]


@pytest.mark.parametrize(
    ("narrative", "found", "repeats"),
    [
        pytest.param(
            "me and shelley went. he grabbed shelleys bag and shelley doesnt do the app",
            [("shelley", Role.THIRD_PARTY)],
            [("shelley", Role.THIRD_PARTY), ("shelley", Role.THIRD_PARTY)],
            id="lower-case name again, possessive without apostrophe",
        ),
        pytest.param(
            "hi Gwen its me. can u tell them.\nMany thanks,\nGwen Parry",
            [("Gwen Parry", Role.THIRD_PARTY)],
            [("Gwen", Role.THIRD_PARTY)],
            id="first name of a full name, in the greeting",
        ),
        pytest.param(
            "My friend Rose came. The price rose and he will not pay Rose's fee.",
            [("Rose", Role.THIRD_PARTY)],
            [("Rose", Role.THIRD_PARTY)],
            id="not the verb",
        ),
        pytest.param(
            "I'm Dave's friend Kim. Dave hit Kim.",
            [("Dave", Role.THIRD_PARTY), ("Kim", Role.REPORTER)],
            [("Kim", Role.REPORTER)],
            id="never a name the offender used",
        ),
        pytest.param(
            "Next contact Fri -DM. DM to call her. Dm me.",
            [("DM", Role.THIRD_PARTY)],
            [("DM", Role.THIRD_PARTY)],
            id="initials only in their own case",
        ),
        pytest.param(
            "the man Lloyd came back", [("Lloyd", Role.OFFENDER)], [], id="offender names stay"
        ),
    ],
)
def test_a_removed_name_is_removed_wherever_it_recurs(nlp, narrative, found, repeats):
    assert _repeats(nlp, narrative, found) == repeats


def test_a_named_venue_is_removed_wherever_it_recurs(nlp):
    narrative = "im sat outside the albion now. The Albion is the pub on the corner of her street."
    analysis = ReportAnalysis(parse_report({**BASE, "narrative": narrative}))
    analysis.docs["narrative"] = nlp(narrative)
    start = narrative.index("Albion")
    span = Span("narrative", start, start + 6, "VENUE", 0.6, "Test", "Albion")
    repeats = repeated_names([Finding(span, Role.VENUE, "named as a pub")], analysis)
    assert [(f.span.text, f.span.entity_type, f.role) for f in repeats] == [
        ("albion", "VENUE", Role.VENUE)
    ]


GRAMMAR_CASES = [
    pytest.param(
        "He rang me on my work phone 07700 900777 from 07700 900888 last night.",
        "07700 900888",
        "PHONE_NUMBER",
        0,
        id="he rang from",
    ),
    pytest.param(
        "His number is 07700 900555 and mine is 07700 900556.",
        "07700 900555",
        "PHONE_NUMBER",
        0,
        id="his number is",
    ),
    pytest.param(
        "He said his name was Mike but I doubt it.",
        "Mike",
        "PERSON",
        0,
        id="his name was",
    ),
    pytest.param("He called himself Tony.", "Tony", "PERSON", 0, id="called himself"),
]
"""Offender details the grammar gives him: (narrative, value, entity, occurrence)."""

NOTHING_RECORDED = {**BASE, "offenders": [{"description": "tall"}]}


@pytest.mark.parametrize(("narrative", "value", "entity", "occurrence"), GRAMMAR_CASES)
def test_grammar_gives_the_offender_what_the_form_does_not_record(
    nlp, narrative, value, entity, occurrence
):
    assert role_of(nlp, narrative, value, entity, occurrence, NOTHING_RECORDED) == Role.OFFENDER


@pytest.mark.parametrize(("narrative", "value", "entity", "occurrence"), GRAMMAR_CASES)
def test_a_detail_outside_his_recorded_ones_is_unknown(nlp, narrative, value, entity, occurrence):
    # BASE records his phone 07700 900461 and the name Dave: another number or name that the
    # grammar gives him may be the maid's or the regular's, so it is removed and flagged
    assert role_of(nlp, narrative, value, entity, occurrence) == Role.UNKNOWN


def test_a_partly_written_number_is_whose_full_number_it_starts(nlp):
    assert role_of(
        nlp, "he had my number 07700 9001.. somehow", "07700 9001..", "PHONE_NUMBER"
    ) == (Role.REPORTER)
    assert role_of(nlp, "he rang off 07700 9004.. again", "07700 9004..", "PHONE_NUMBER") == (
        Role.OFFENDER
    )


def test_a_home_place_is_the_reporters(nlp):
    narrative = "I live in Leeds but it happened in Leeds too."
    assert role_of(nlp, narrative, "Leeds", "LOCATION") == Role.REPORTER
    assert role_of(nlp, narrative, "Leeds", "LOCATION", occurrence=1) == Role.AREA


@pytest.mark.parametrize(
    ("text", "role"),
    [
        pytest.param("North Face", Role.OFFENDER, id="a brand in his description"),
        pytest.param("Newcastle United", Role.OFFENDER, id="a team in his description"),
        pytest.param("Harehills Lane", Role.VENUE, id="a street in his description"),
    ],
)
def test_names_in_his_description_are_his(nlp, text, role):
    description = f"White man, black jacket, {text} mentioned"
    assert role_in_description(nlp, description, text, "LOCATION") == role


def role_in_description(nlp, description: str, value: str, entity: str) -> Role:
    """The role of a spaCy span *value* in the first offender's *description*."""
    data = json.loads(json.dumps(BASE))
    data["offenders"][0]["description"] = description
    analysis = ReportAnalysis(parse_report(data))
    field = "offenders[0].description"
    analysis.docs[field] = nlp(description)
    start = description.index(value)
    analysis.spans.append(
        Span(field, start, start + len(value), entity, 0.85, "SpacyRecognizer", value)
    )
    (finding,) = attribute(analysis)
    return finding.role


@pytest.mark.parametrize(
    ("description", "name", "role"),
    [
        pytest.param("Tall, said he knew Lorraine from work", "Lorraine", Role.UNKNOWN,
                     id="a name inside a part of his description"),
        pytest.param("White, stocky, Doric accent", "White", Role.OFFENDER,
                     id="the word opening his description describes him"),
        pytest.param("White, stocky, Doric accent", "Doric", Role.OFFENDER,
                     id="the word opening a part describes him"),
    ],
)  # fmt: skip
def test_a_person_in_his_description(nlp, description, name, role):
    assert role_in_description(nlp, description, name, "PERSON") == role


def test_his_partial_plate_read_as_a_place_is_his(nlp):
    # spaCy's small model reads a partial plate such as "MA19" as a place with a number (a venue):
    # the guard then blocked every output that carried his recorded registration
    narrative = "The plate started MA19 I think."
    analysis = ReportAnalysis(parse_report({**BASE, "narrative": narrative}))
    analysis.docs["narrative"] = nlp(narrative)
    start = narrative.index("MA19")
    analysis.spans.append(Span("narrative", start, start + 4, "LOCATION", 0.85, "SpacyRecognizer",
                               "MA19"))  # fmt: skip
    (finding,) = attribute(analysis)
    assert (finding.role, finding.span.entity_type) == (Role.OFFENDER, "VEHICLE_REGISTRATION")


def test_a_district_that_is_the_reports_area_is_the_area(nlp):
    report = {**BASE, "incident": {"area": "Cheetham Hill, Manchester"}}
    narrative = "He picked me up in Cheetham Hill."
    assert role_of(nlp, narrative, "Cheetham Hill", "STREET_ADDRESS", report=report) == Role.AREA
