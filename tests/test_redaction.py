"""The redaction policy: what is kept, what is removed, and how overlaps resolve."""

from __future__ import annotations

import pytest

from pipeline.findings import Action, Finding, Role, Span
from pipeline.redaction import decide, redact_field, trim_overlaps


def finding(text: str, value: str, entity: str, role: Role, recognizer: str = "Test") -> Finding:
    start = text.index(value)
    return decide(
        Finding(
            Span("narrative", start, start + len(value), entity, 0.9, recognizer, value),
            role,
            "test",
        )
    )


@pytest.mark.parametrize(
    ("entity", "role", "action"),
    [
        pytest.param("PHONE_NUMBER", Role.OFFENDER, Action.KEEP, id="offender phone kept"),
        pytest.param("VEHICLE_REGISTRATION", Role.OFFENDER, Action.KEEP, id="offender plate kept"),
        pytest.param("PERSON", Role.OFFENDER, Action.KEEP, id="name he used kept"),
        pytest.param("LOCATION", Role.AREA, Action.KEEP, id="general area kept"),
        pytest.param("PHONE_NUMBER", Role.REPORTER, Action.REMOVE, id="reporter phone removed"),
        pytest.param("PERSON", Role.THIRD_PARTY, Action.REMOVE, id="third party removed"),
        pytest.param("VENUE", Role.VENUE, Action.REMOVE, id="venue removed"),
        pytest.param(
            "STREET_ADDRESS", Role.OFFENDER, Action.REMOVE, id="offender's address removed"
        ),
        pytest.param("PHONE_NUMBER", Role.UNKNOWN, Action.FLAG, id="unknown removed and flagged"),
    ],
)
def test_policy(entity, role, action):
    assert finding("x value y", "value", entity, role).action == action


def test_placeholders_are_readable():
    text = "Candy met him at the Premier Inn, room 214, and he rang 07700 900461."
    findings = [
        finding(text, "Candy", "PERSON", Role.REPORTER),
        finding(text, "Premier Inn", "VENUE", Role.VENUE),
        finding(text, "room 214", "PREMISES_NUMBER", Role.VENUE),
        finding(text, "07700 900461", "PHONE_NUMBER", Role.OFFENDER),
    ]
    assert redact_field(text, findings, "narrative") == (
        "[name removed] met him at the [venue removed], [room number removed], "
        "and he rang 07700 900461."
    )


def test_overlapping_removals_merge_into_one_placeholder():
    text = "at the Premier Inn Portland Street tonight"
    findings = [
        finding(text, "Premier Inn Portland Street", "VENUE", Role.VENUE),
        finding(text, "Portland Street", "STREET_ADDRESS", Role.VENUE),
    ]
    assert redact_field(text, findings, "narrative") == "at the [venue removed] tonight"


def test_removal_wins_over_keeping_when_spans_overlap():
    text = "call 07700 900123 now"
    findings = [
        finding(text, "07700 900123", "PHONE_NUMBER", Role.OFFENDER),
        finding(text, "07700 900123", "PHONE_NUMBER", Role.REPORTER, "KnownIdentifierRecognizer"),
    ]
    assert "900123" not in redact_field(text, findings, "narrative")


def test_a_loose_ner_span_is_trimmed_around_a_kept_number():
    text = "Dave 07700 900461 rang"
    ner = finding(text, "Dave 07700", "PERSON", Role.UNKNOWN, "SpacyRecognizer")
    phone = finding(text, "07700 900461", "PHONE_NUMBER", Role.OFFENDER)
    trimmed = trim_overlaps([ner, phone])
    assert redact_field(text, trimmed, "narrative") == "[name removed] 07700 900461 rang"


def test_the_pattern_recognisers_placeholder_wins_over_the_ners():
    text = "my mate Tasha saw"
    ner = finding(text, "Tasha", "ORGANIZATION", Role.UNKNOWN, "SpacyRecognizer")
    named = finding(text, "Tasha", "PERSON", Role.THIRD_PARTY, "ThirdPartyRecognizer")
    assert redact_field(text, [ner, named], "narrative") == "my mate [name removed] saw"
