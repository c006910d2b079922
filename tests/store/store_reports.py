"""Sample reports and stand-ins for the drafter and the guard, shared by the store tests."""

from __future__ import annotations

import copy
from typing import Any

from pipeline.intake import ReceivedReport, parse_report

REPORTER_NAME = "Jade Wilson"
REPORTER_PHONE = "07700 900123"

BASE_REPORT: dict[str, Any] = {
    "format": 1,
    "report_id": "R-TEST-000001",
    "received_at": "2026-03-14T22:05:00Z",
    "channel": "web",
    "reporter": {
        "member_id": "M-01042",
        "known_identifiers": {"names": [REPORTER_NAME], "phones": [REPORTER_PHONE]},
    },
    "consent": {"alert": True, "intelligence": True, "police_contact": False},
    "incident": {
        "date": "2026-03-12",
        "time": "22:30",
        "area": "Manchester city centre",
        "police_force": "Greater Manchester Police",
        "setting": "outcall",
        "location_detail": "Premier Inn, Portland Street, room 214",
        "types": ["robbery", "physical_assault"],
        "contact_method": "phone",
    },
    "offenders": [
        {
            "names_used": ["Dave"],
            "phones": ["07700 900461"],
            "description": "White man, about 40, stocky",
        }
    ],
    "narrative": f"I am {REPORTER_NAME}, he rang me on {REPORTER_PHONE} and robbed me.",
}


def make_report(
    report_id: str = "R-TEST-000001",
    *,
    name: str = REPORTER_NAME,
    member_id: str | None = "M-01042",
    intelligence: bool = True,
    alert: bool = True,
    narrative: str | None = None,
) -> ReceivedReport:
    """A valid report whose reporter is *name*, as intake would hand it over."""
    obj = copy.deepcopy(BASE_REPORT)
    obj["report_id"] = report_id
    obj["reporter"]["member_id"] = member_id
    obj["reporter"]["known_identifiers"]["names"] = [name]
    obj["consent"]["alert"] = alert
    obj["consent"]["intelligence"] = intelligence
    obj["narrative"] = (
        narrative
        if narrative is not None
        else (f"I am {name}, he rang me on {REPORTER_PHONE} and robbed me.")
    )
    return parse_report(obj)


def fake_draft(received: ReceivedReport) -> dict[str, Any]:
    """A stand-in for pipeline.draft.draft_report: removes the reporter's names and phones."""
    report = received.report
    narrative = report.narrative
    removed = []
    for kind, value in report.reporter.known_identifiers.all_values():
        if value in narrative:
            removed.append(
                {
                    "field": "narrative",
                    "text": value,
                    "role": "reporter",
                    "entity_type": kind,
                    "action": "remove",
                    "reason": "known",
                }
            )
            narrative = narrative.replace(value, "[removed]")
    alert = {
        "headline": "Robbery – Greater Manchester Police",
        "sms": {"text": "NUM ALERT: robbery"},
        "email": {"subject": "alert", "text": f"What happened: {narrative}"},
    }
    intelligence = (
        {"account": narrative, "reference": "SCAS-1"} if report.consent.intelligence else None
    )
    return {
        "report_id": report.report_id,
        "release": {
            "narrative": narrative,
            "incident": {"types": [str(t) for t in report.incident.types]},
            "offenders": [],
            "alert": alert,
            "intelligence": intelligence,
        },
        "review": {
            "findings": removed,
            "summary": {"flagged": 0},
            "completeness": {
                "alert": {"score": 80.0, "missing": []},
                "intelligence": {"score": 70.0, "missing": []}
                if report.consent.intelligence
                else None,
            },
            "guard": {"blocked": [], "problems": []},
        },
    }


def fake_guard(text_: str, received: ReceivedReport) -> list[str]:
    """A stand-in for pipeline.guard.check_text: blocks any of the reporter's known values."""
    return [
        f"blocked: a reporter {kind} was found in text"
        for kind, value in received.report.reporter.known_identifiers.all_values()
        if value.lower() in text_.lower()
    ]
