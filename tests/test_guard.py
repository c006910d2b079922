"""The release guard: it blocks what must go and leaves the alert's own wording alone."""

from __future__ import annotations

import json
from typing import Any

import pytest

from pipeline.draft import draft_report
from pipeline.guard import check_text
from pipeline.intake import parse_report

REPORT: dict[str, Any] = {
    "format": 1,
    "report_id": "R-T-GUARD",
    "received_at": "2025-05-14T22:05:00Z",
    "channel": "web",
    "reporter": {
        "known_identifiers": {
            "names": ["May Jones"],
            "emails": ["may.norwich.companion@example.com"],
        }
    },
    "consent": {"alert": True, "intelligence": True, "police_contact": False},
    "incident": {"date": "2025-05-12", "area": "Norwich", "types": ["robbery"]},
    "offenders": [{"names_used": ["Dave"], "phones": ["07700 900461"]}],
    "narrative": "He rang from 07700 900461 and took the money.",
}


def received():
    return parse_report(json.loads(json.dumps(REPORT)))


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("Alert: robbery – Norwich – Monday 12 May 2025", id="a month in a date"),
        pytest.param("<dt>Usernames</dt><dd>dave_x</dd><dt>Description</dt><dd>White man</dd>",
                     id="the template's labels"),
        pytest.param("He found her OnlyFans first, then booked.", id="a word after a site"),
        pytest.param("Norwich, Monday night", id="a town in a known email is still a town"),
        pytest.param("a woman\n\nVehicle: grey Golf\n\nDescription: White man", id="text labels"),
    ],
)  # fmt: skip
def test_the_alerts_own_wording_is_not_blocked(analyzer, text):
    assert check_text(text, received(), analyzer) == []


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("May said he hit her", id="the member's name"),
        pytest.param("Contact may.norwich.companion@example.com", id="her email"),
    ],
)
def test_her_details_are_blocked(analyzer, text):
    assert check_text(text, received(), analyzer) != []


def test_a_draft_for_a_member_called_may_is_not_blocked(analyzer):
    draft = draft_report(received(), analyzer)
    assert draft["review"]["guard"]["blocked"] == []
    assert "May" in draft["release"]["alert"]["headline"]
