"""Draft one report: analyse, attribute roles, redact, and assemble what could leave after approval.

``draft_report`` returns ``{"report_id", "release", "review"}``. Everything under ``release`` is
what may leave once a caseworker approves it; removed values appear only under ``review``.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from typing import Any

from pipeline.analysis import Analyzer, ReportAnalysis, get_analyzer
from pipeline.findings import Action, Finding, Role, Span
from pipeline.intake import ReceivedReport
from pipeline.redaction import decide_all, redact_field, trim_overlaps
from pipeline.report import Offender, Report
from pipeline.roles import StructuredIndex, attribute, repeated_names

logger = logging.getLogger(__name__)

PARTS_OF_DAY = (
    (5, "early morning"),
    (9, "morning"),
    (12, "afternoon"),
    (17, "evening"),
    (21, "night"),
    (24, "night"),
)


def part_of_day(hour: int) -> str:
    """'morning', 'afternoon', 'evening', 'night' or 'early morning' for an hour 0–23."""
    if hour < 5:
        return "night"
    for limit, name in PARTS_OF_DAY:
        if hour < limit:
            return name
    return "night"


def findings_for(analysis: ReportAnalysis) -> list[Finding]:
    """Every finding in the report's free text, with role and decision."""
    attributed = attribute(analysis)
    return trim_overlaps(decide_all(attributed + repeated_names(attributed, analysis)))


def _structured_findings(report: Report, index: StructuredIndex) -> list[Finding]:
    """Structured offender values that are really the reporter's (a form filled in wrongly)."""
    found: list[Finding] = []
    for number, offender in enumerate(report.offenders):
        for kind, entity, values in (
            ("phones", "PHONE_NUMBER", offender.phones),
            ("emails", "EMAIL_ADDRESS", offender.emails),
            ("usernames", "HANDLE", offender.usernames),
            ("names_used", "PERSON", offender.names_used),
        ):
            for position, value in enumerate(values):
                field = f"offenders[{number}].{kind}[{position}]"
                span = Span(field, 0, len(value), entity, 1.0, "StructuredFields", value)
                match = index.reporter_match(span)
                if match is not None:
                    found.append(
                        Finding(
                            span,
                            Role.REPORTER,
                            f"offender {number + 1}'s {kind.replace('_', ' ')} equals the"
                            f" reporter's known {match}",
                            Action.REMOVE,
                            "",
                        )
                    )
    return found


def _offender_release(
    offender: Offender, number: int, findings: list[Finding], removed_fields: set[str]
) -> dict[str, Any]:
    description_field = f"offenders[{number}].description"

    def kept(kind: str, values: list[str]) -> list[str]:
        return [
            value
            for position, value in enumerate(values)
            if f"offenders[{number}].{kind}[{position}]" not in removed_fields
        ]

    return {
        "names_used": kept("names_used", offender.names_used),
        "phones": kept("phones", offender.phones),
        "emails": kept("emails", offender.emails),
        "usernames": kept("usernames", offender.usernames),
        "vehicles": [vehicle.model_dump() for vehicle in offender.vehicles],
        "description": (
            redact_field(offender.description, findings, description_field)
            if offender.description
            else None
        ),
    }


def _area(report: Report, findings: list[Finding]) -> str | None:
    """The general area, unless something in it had to be removed."""
    area = report.incident.area
    if not area:
        return None
    removed = [f for f in findings if f.field == "incident.area" and f.action != Action.KEEP]
    return None if removed else area.strip()


def release_core(report: Report, findings: list[Finding]) -> dict[str, Any]:
    """The redacted narrative, incident and offenders: what alert and record are drafted from."""
    removed_fields = {f.field for f in findings if f.field.count("[") == 2}
    incident = report.incident
    return {
        "narrative": redact_field(report.narrative, findings, "narrative"),
        "incident": {
            "date": incident.date.isoformat() if incident.date else None,
            "time": incident.time.strftime("%H:%M") if incident.time else None,
            "part_of_day": part_of_day(incident.time.hour) if incident.time else None,
            "area": _area(report, findings),
            "police_force": incident.police_force,
            "setting": str(incident.setting) if incident.setting else None,
            "types": [str(t) for t in incident.types],
            "contact_method": str(incident.contact_method) if incident.contact_method else None,
        },
        "offenders": [
            _offender_release(offender, number, findings, removed_fields)
            for number, offender in enumerate(report.offenders)
        ],
    }


def review_findings(findings: list[Finding], received: ReceivedReport) -> list[dict[str, Any]]:
    """Each finding as shown to a caseworker, with its offsets in the field's original text too."""
    rows: list[dict[str, Any]] = []
    for finding in findings:
        start, end = finding.span.start, finding.span.end
        offsets = received.offset_maps.get(finding.field)
        # A field without a map arrived already normalised: its offsets are the original ones.
        rows.append(finding.to_review(offsets.to_original(start, end) if offsets else (start, end)))
    return rows


def _summary(findings: list[Finding]) -> dict[str, Any]:
    by_action: dict[str, int] = {}
    by_role: dict[str, int] = {}
    for finding in findings:
        by_action[str(finding.action)] = by_action.get(str(finding.action), 0) + 1
        by_role[str(finding.role)] = by_role.get(str(finding.role), 0) + 1
    return {
        "by_action": by_action,
        "by_role": by_role,
        "flagged": by_action.get(str(Action.FLAG), 0),
    }


def draft_from_analysis(
    analysis: ReportAnalysis, analyzer: Analyzer | None = None
) -> dict[str, Any]:
    """Assemble the draft for an analysed report."""
    from pipeline.outputs import add_outputs

    report = analysis.received.report
    findings = findings_for(analysis)
    findings += _structured_findings(report, StructuredIndex(report))
    release = release_core(report, findings)
    review: dict[str, Any] = {
        "findings": review_findings(findings, analysis.received),
        "summary": _summary(findings),
    }
    add_outputs(release, review, analysis.received)
    from pipeline.guard import guard_release

    guard_release(release, review, analysis.received, analyzer or get_analyzer())
    logger.info("drafted report %s: %d findings", report.report_id, len(findings))
    return {"report_id": report.report_id, "release": release, "review": review}


def draft_report(received: ReceivedReport, analyzer: Analyzer | None = None) -> dict[str, Any]:
    """Draft one report (see module docstring for the shape)."""
    analyzer = analyzer or get_analyzer()
    return draft_from_analysis(analyzer.analyze(received), analyzer)


def draft_reports(
    reports: Iterable[ReceivedReport], analyzer: Analyzer | None = None
) -> Iterator[dict[str, Any]]:
    """Draft many reports, batching the NLP."""
    analyzer = analyzer or get_analyzer()
    for analysis in analyzer.analyze_many(reports):
        yield draft_from_analysis(analysis, analyzer)
