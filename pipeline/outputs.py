"""Add the member alert, the intelligence record and the completeness score to a draft."""

from __future__ import annotations

from typing import Any

from pipeline.intake import ReceivedReport
from pipeline.pseudonym import pseudonym_key


def add_outputs(release: dict[str, Any], review: dict[str, Any], received: ReceivedReport) -> None:
    """Draft the alert (every channel), the SCAS record (only with consent) and completeness."""
    from pipeline.completeness import score_completeness
    from pipeline.drafting import draft_alert
    from pipeline.intelligence import draft_intelligence

    report = received.report
    core = {key: release[key] for key in ("narrative", "incident", "offenders")}
    release["alert"] = draft_alert(core, report)
    release["intelligence"] = (
        draft_intelligence(core, report, key=pseudonym_key())
        if report.consent.intelligence
        else None
    )
    review["completeness"] = score_completeness(core, report)
