"""Re-draft a report with a caseworker's keep/remove decisions, and re-check edited alert text.

A caseworker's decision on a finding overrides the policy's action: "keep" restores the detail,
"remove" takes out one the policy kept. The release (narrative, offenders, every alert channel, the
SCAS record) and completeness are drafted again from the overridden findings, and the release guard
scans the new outputs, exactly as for a fresh draft.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from typing import Any

from pipeline.analysis import Analyzer, get_analyzer
from pipeline.draft import release_core, review_findings
from pipeline.errors import MugsError, WrongState
from pipeline.findings import Action, Finding, Role, Span
from pipeline.guard import check_text, guard_release
from pipeline.intake import ReceivedReport
from pipeline.outputs import add_outputs
from pipeline.redaction import placeholder
from pipeline.store import Store

logger = logging.getLogger(__name__)

DECISIONS = ("keep", "remove")


class DecisionError(MugsError):
    """A decision names no finding of the draft, or is not 'keep' or 'remove'."""


def finding_key(finding: Mapping[str, Any]) -> str:
    """A finding's key within its draft: field, start, end and kind ('narrative:10:22:PERSON')."""
    return f"{finding['field']}:{finding['start']}:{finding['end']}:{finding['entity_type']}"


def finding_from_review(finding: Mapping[str, Any]) -> Finding:
    """Rebuild a :class:`Finding` from its review form (``Finding.to_review``)."""
    span = Span(
        str(finding["field"]),
        int(finding["start"]),
        int(finding["end"]),
        str(finding["entity_type"]),
        float(finding.get("score") or 0.0),
        str(finding.get("recognizer") or ""),
        str(finding.get("text") or ""),
    )
    return Finding(
        span,
        Role(finding["role"]),
        str(finding.get("reason") or ""),
        Action(finding["action"]),
        str(finding.get("placeholder") or ""),
    )


def decided_findings(
    findings: Iterable[Mapping[str, Any]], decisions: Mapping[str, str]
) -> list[Finding]:
    """The draft's findings with each caseworker decision applied over the policy's action."""
    rebuilt = [finding_from_review(f) for f in findings]
    known = {finding_key(f.to_review()) for f in rebuilt}
    for key, decision in decisions.items():
        if key not in known:
            raise DecisionError(f"decision '{key}' names no finding of this draft")
        if decision not in DECISIONS:
            raise DecisionError(f"decision for '{key}' is '{decision}', not one of: keep, remove")
    result: list[Finding] = []
    for finding in rebuilt:
        chosen = decisions.get(finding_key(finding.to_review()))
        if chosen == "keep":
            finding = finding.decided(Action.KEEP, "")
        elif chosen == "remove" and finding.action == Action.KEEP:
            finding = finding.decided(Action.REMOVE, placeholder(finding.span.entity_type))
        result.append(finding)
    return result


def redraft(
    received: ReceivedReport,
    draft: Mapping[str, Any],
    decisions: Mapping[str, str],
    analyzer: Analyzer | None = None,
) -> dict[str, Any]:
    """The draft again with *decisions* ({finding key: 'keep'|'remove'}) applied; same shape."""
    findings = decided_findings(draft["review"]["findings"], decisions)
    # release_core removes every structured offender value that has a finding; a restored one
    # (kept) must not be passed on as a removal.
    effective = [f for f in findings if not (f.field.count("[") == 2 and f.action == Action.KEEP)]
    release = release_core(received.report, effective)
    review: dict[str, Any] = {
        "findings": review_findings(findings, received),
        "summary": draft["review"].get("summary"),
        "decisions": dict(decisions),
    }
    add_outputs(release, review, received)
    guard_release(release, review, received, analyzer or get_analyzer())
    logger.info("re-drafted report %s with %d decision(s)", received.report_id, len(decisions))
    return {"report_id": received.report_id, "release": release, "review": review}


def check_edited_text(
    text: str, received: ReceivedReport, analyzer: Analyzer | None = None
) -> list[str]:
    """Why an edited alert text may not be approved (empty when the release guard passes it)."""
    return check_text(text, received, analyzer)


def carry_edits(
    old_release: dict[str, Any],
    new_release: dict[str, Any],
    edited_fields: Iterable[str],
    received: ReceivedReport,
    analyzer: Analyzer | None = None,
) -> list[str]:
    """Put each caseworker-edited text of *old_release* into *new_release*; return guard problems.

    A keep/remove decision re-drafts every output, but a caseworker's own wording must not be lost
    to it. Each edited text is carried over as it stands and checked by the release guard again
    (the decision may have changed what counts as a leak); approval re-checks it once more.
    """
    from pipeline.review import _get_path, editable_fields, write_text

    problems: list[str] = []
    for field_path in dict.fromkeys(edited_fields):
        text = _get_path(old_release, field_path)
        if not isinstance(text, str) or field_path not in editable_fields(new_release):
            continue  # an edit of an older version's non-text field: nothing to carry
        write_text(new_release, field_path, text, received.report_id)
        problems += [
            f"{field_path} (your edit): {problem}"
            for problem in check_edited_text(text, received, analyzer)
        ]
    return problems


def policy_findings(review: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The findings as the policy first decided them (before any caseworker decision)."""
    return list(review.get("policy_findings") or review.get("findings") or [])


def decide(
    store: Store,
    report_id: str,
    actor: str,
    decisions: Mapping[str, str],
    *,
    expected_version: int | None = None,
    analyzer: Analyzer | None = None,
) -> int:
    """Record keep/remove decisions on a report in review, re-draft it, and return the new version.

    Decisions accumulate: *decisions* are merged over the ones already recorded. The release is
    re-drafted from the policy's findings with every decision applied; texts a caseworker edited
    before keep their edited wording (:func:`carry_edits`) and are checked by the release guard
    again. One audit entry names the finding keys.
    """
    from pipeline.review import check_actor, check_version, received_report, transition_for

    actor = check_actor(actor)
    with store.begin() as connection:
        report = store.get_report(connection, report_id)
    version = check_version(report, expected_version)
    transition_for(report, "edit")
    if report.alert_state == "approved":
        raise WrongState(f"report {report_id}: the alert is already approved; decisions are closed")
    review = store.open_report(report, "review") or {}
    with store.begin() as connection:
        edited = [row.field for row in store.edits_of(connection, report_id)]
    original = policy_findings(review)
    merged = {**(review.get("decisions") or {}), **decisions}
    draft = {"review": {"findings": original, "summary": review.get("summary")}}
    received = received_report(store, report)
    redrafted = redraft(received, draft, merged, analyzer)
    new_review = {**redrafted["review"], "policy_findings": original, "decisions": merged}
    problems = carry_edits(
        store.open_report(report, "release") or {}, redrafted["release"], edited, received, analyzer
    )
    if problems:
        guard = new_review.setdefault("guard", {"blocked": [], "problems": []})
        guard.setdefault("problems", []).extend(problems)
    blocked = len(new_review.get("guard", {}).get("blocked") or []) + len(problems)
    with store.begin() as connection:
        new_version = store.update_report(
            connection,
            report_id,
            version,
            {"blocked_count": blocked},
            {"release": redrafted["release"], "review": new_review},
        )
        store.append_audit(
            connection,
            actor=actor,
            action="decide",
            report_id=report_id,
            details={
                "version": new_version,
                "decisions": dict(sorted(decisions.items())),
                "blocked": blocked,
            },
        )
    logger.info("report %s: %d decision(s) by %s", report_id, len(decisions), actor)
    return new_version
