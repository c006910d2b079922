"""Add the member alert, the intelligence record and the completeness score to a draft."""

from __future__ import annotations

from typing import Any

from pipeline.intake import ReceivedReport
from pipeline.pseudonym import pseudonym_key

NOT_CONSENTED = {
    "alert": "the member did not consent to an alert (consent.alert is false)",
    "intelligence": "the member did not consent to an intelligence record "
    "(consent.intelligence is false)",
}
"""Why ``release.<output>`` is null, as ``review.not_drafted`` says it."""


def add_outputs(release: dict[str, Any], review: dict[str, Any], received: ReceivedReport) -> None:
    """Draft the alert (every channel) and the SCAS record, each only with consent; completeness.

    An output the member did not consent to is null under ``release`` and its reason is in
    ``review.not_drafted``.
    """
    from pipeline.completeness import score_completeness
    from pipeline.drafting import draft_alert
    from pipeline.intelligence import draft_intelligence

    report = received.report
    core = {key: release[key] for key in ("narrative", "incident", "offenders")}
    release["alert"] = draft_alert(core, report) if report.consent.alert else None
    release["intelligence"] = (
        draft_intelligence(core, report, key=pseudonym_key())
        if report.consent.intelligence
        else None
    )
    consented = {"alert": report.consent.alert, "intelligence": report.consent.intelligence}
    review["not_drafted"] = {
        output: NOT_CONSENTED[output] for output, given in consented.items() if not given
    }
    review["completeness"] = score_completeness(core, report)
