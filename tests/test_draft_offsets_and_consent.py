"""What a draft's review adds: original offsets per finding, and outputs not consented to."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from pipeline.draft import draft_report
from pipeline.intake import parse_report

REPORT: dict[str, Any] = {
    "format": 1,
    "report_id": "R-OFFSETS-1",
    "received_at": "2026-03-14T22:05:00Z",
    "channel": "web",
    "reporter": {"known_identifiers": {"names": ["Candy"], "phones": ["07700 900123"]}},
    "consent": {"alert": True, "intelligence": True, "police_contact": False},
    "incident": {"area": "Leeds", "police_force": "West Yorkshire Police", "types": ["robbery"]},
    "offenders": [{"names_used": ["Dave"], "phones": ["07700 900461"]}],
    "narrative": "He rang Candy from 07700 900461 and took the money.",
}


def drafted(analyzer: Any, **changes: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    obj = copy.deepcopy(REPORT)
    for path, value in changes.items():
        node = obj
        *parents, last = path.split("__")
        for key in parents:
            node = node[key]
        node[last] = value
    return obj, draft_report(parse_report(obj), analyzer)


def known_name_findings(draft: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        f
        for f in draft["review"]["findings"]
        if f["recognizer"] == "KnownIdentifierRecognizer" and f["entity_type"] == "PERSON"
    ]


# --- original offsets ----------------------------------------------------------------------------


def test_offsets_in_the_original_narrative_skip_a_zero_width_space_and_full_width_letters(
    analyzer,
):
    # Full-width "On", a zero-width space, then the name; later the name in full-width letters.
    narrative = (
        "\uff2f\uff4e\u200b Friday he rang Candy and took \uff23\uff41\uff4e\uff44\uff59's money."
    )
    obj, draft = drafted(analyzer, narrative=narrative)
    normalised = parse_report(obj).report.narrative

    first, second = known_name_findings(draft)

    assert normalised[first["start"] : first["end"]] == "Candy"
    assert (first["original_start"], first["original_end"]) == (
        first["start"] + 1,
        first["end"] + 1,
    )
    assert narrative[first["original_start"] : first["original_end"]] == "Candy"
    assert normalised[second["start"] : second["end"]] == "Candy"
    assert narrative[second["original_start"] : second["original_end"]] == (
        "\uff23\uff41\uff4e\uff44\uff59"
    )


def test_offsets_are_the_same_in_a_field_normalising_did_not_change(analyzer):
    _, draft = drafted(analyzer)
    assert draft["review"]["findings"]
    for finding in draft["review"]["findings"]:
        assert (finding["original_start"], finding["original_end"]) == (
            finding["start"],
            finding["end"],
        )


def test_a_structured_value_maps_back_to_its_original_text(analyzer):
    # The offender's "phone" is the reporter's own number, typed with a zero-width space.
    obj, draft = drafted(analyzer, offenders=[{"phones": ["\u200b07700 900123"]}])
    [finding] = [f for f in draft["review"]["findings"] if f["field"] == "offenders[0].phones[0]"]
    assert (finding["start"], finding["end"]) == (0, 12)
    assert (finding["original_start"], finding["original_end"]) == (1, 13)


# --- consent -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("alert", "intelligence", "not_drafted"),
    [
        pytest.param(True, True, set(), id="both consented"),
        pytest.param(False, True, {"alert"}, id="no alert consent"),
        pytest.param(True, False, {"intelligence"}, id="no intelligence consent"),
        pytest.param(False, False, {"alert", "intelligence"}, id="neither"),
    ],
)
def test_an_output_without_consent_is_null_and_the_review_says_why(
    analyzer, alert, intelligence, not_drafted
):
    _, draft = drafted(analyzer, consent__alert=alert, consent__intelligence=intelligence)

    assert (draft["release"]["alert"] is None) == (not alert)
    assert (draft["release"]["intelligence"] is None) == (not intelligence)
    assert set(draft["review"]["not_drafted"]) == not_drafted
    for output in not_drafted:
        assert f"consent.{output} is false" in draft["review"]["not_drafted"][output]


def test_without_alert_consent_no_alert_text_is_drafted_anywhere(analyzer):
    _, draft = drafted(analyzer, consent__alert=False)
    assert draft["release"]["alert"] is None
    assert not [p for p in draft["review"]["guard"]["problems"] if "alert" in p["output"]]
    assert "NUM ALERT" not in str(draft)


def test_a_redraft_after_a_decision_keeps_the_original_offsets(analyzer: Any) -> None:
    from pipeline.review_edits import redraft

    obj, draft = drafted(analyzer, narrative="He rang\u200b Candy from 07700 900461.")
    received = parse_report(obj)
    again = redraft(received, draft, {}, analyzer)
    names = known_name_findings(again)
    assert names and all(f["original_start"] == f["start"] + 1 for f in names)
