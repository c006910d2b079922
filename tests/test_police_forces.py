"""incident.police_force: only a real force travels; any other text is dropped at intake."""

from __future__ import annotations

import json

import pytest

from pipeline.draft import draft_report
from pipeline.intake import parse_report
from pipeline.police_forces import POLICE_FORCES, recognised_force

REPORT = {
    "format": 1,
    "report_id": "R-T-FORCE",
    "received_at": "2026-03-14T22:05:00Z",
    "channel": "web",
    "consent": {"alert": True, "intelligence": True, "police_contact": False},
    "incident": {"date": "2026-03-12", "area": "Leeds", "types": ["robbery"]},
    "narrative": "He took my bag and ran.",
}


@pytest.mark.parametrize(
    ("written", "force"),
    [
        pytest.param("West Yorkshire Police", "West Yorkshire Police", id="as the form names it"),
        pytest.param("west yorkshire  police", "West Yorkshire Police", id="case and spacing"),
        pytest.param("Metropolitan Police", "Metropolitan Police Service", id="short form"),
        pytest.param("the Met", "Metropolitan Police Service", id="the Met"),
        pytest.param("GMP", "Greater Manchester Police", id="initials"),
        pytest.param("Lancashire Police", "Lancashire Constabulary", id="police for constabulary"),
        pytest.param("Hampshire Constabulary", "Hampshire and Isle of Wight Constabulary",
                     id="the older name"),
        pytest.param("Avon & Somerset Police", "Avon and Somerset Constabulary", id="ampersand"),
        pytest.param("Dyfed Powys Police", "Dyfed-Powys Police", id="without the hyphen"),
        # not a force
        pytest.param("Leeds (Zephyrina's house)", None, id="free text with a name"),
        pytest.param("Police", None, id="police alone"),
        pytest.param("Yorkshire", None, id="a region is not a force"),
    ],
)  # fmt: skip
def test_recognised_force(written: str, force: str | None) -> None:
    assert recognised_force(written) == force


def test_every_force_recognises_itself() -> None:
    assert [force for force in POLICE_FORCES if recognised_force(force) != force] == []


def test_intake_keeps_a_force_by_its_canonical_name() -> None:
    data = json.loads(json.dumps(REPORT))
    data["incident"]["police_force"] = "the Met"
    assert parse_report(data).report.incident.police_force == "Metropolitan Police Service"


def test_free_text_in_the_force_field_never_reaches_the_release(analyzer) -> None:
    data = json.loads(json.dumps(REPORT))
    data["incident"]["police_force"] = "Leeds (Zephyrina's house)"
    received = parse_report(data)
    assert received.report.incident.police_force is None
    draft = draft_report(received, analyzer)
    assert "Zephyrina" not in json.dumps(draft["release"])
