"""A report without alert consent, drafted for real: held, approved and re-drafted with no alert."""

from __future__ import annotations

from store_reports import make_report

from pipeline import review
from pipeline.draft import draft_report
from pipeline.review import IngestOutcome
from pipeline.review_edits import decide
from pipeline.store import Store


def test_a_report_without_alert_consent_goes_through_review_with_no_alert(
    store: Store, analyzer
) -> None:
    received = make_report("R-NOALERT-1", alert=False)
    assert review.store_received(store, received) == IngestOutcome.STORED
    assert review.draft_pending(
        store, lambda r: draft_report(r, analyzer), report_ids=["R-NOALERT-1"]
    ).drafted == ["R-NOALERT-1"]

    view = review.report_view(store, "R-NOALERT-1")
    assert view["parts"] == {"alert": "no_consent", "intelligence": "pending"}
    assert view["release"]["alert"] is None
    assert "alert" in view["review"]["not_drafted"]
    assert not [path for path in view["editable_fields"] if path.startswith("alert")]

    [finding] = [f for f in view["review"]["findings"] if f["text"] == "07700 900123"]
    key = f"{finding['field']}:{finding['start']}:{finding['end']}:{finding['entity_type']}"
    decide(store, "R-NOALERT-1", "Ann", {key: "remove"}, analyzer=analyzer)
    assert review.report_view(store, "R-NOALERT-1")["release"]["alert"] is None

    approved = review.approve(store, "R-NOALERT-1", "Ann")
    assert (approved.state, approved.alert_state, approved.intelligence_state) == (
        "approved",
        "no_consent",
        "approved",
    )
    assert set(review.approved_outputs(store, "R-NOALERT-1")) == {"intelligence"}
