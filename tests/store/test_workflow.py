"""The review workflow on a real store: every transition, forbidden moves, edits, intake."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from store_reports import REPORTER_NAME, fake_draft, fake_guard, make_report

from pipeline import review
from pipeline.errors import NotFound, ReleaseBlocked, StaleVersion, StoreError, WrongState
from pipeline.review import IngestOutcome, Part, State
from pipeline.store import Store


def ingest(store: Store, report_id: str = "R-TEST-000001", **kwargs: object) -> str:
    """Store and draft one report with the stand-in drafter; return its id."""
    assert review.store_received(store, make_report(report_id, **kwargs)) == IngestOutcome.STORED
    assert review.draft_pending(store, fake_draft, report_ids=[report_id]).drafted == [report_id]
    return report_id


def approve_all(store: Store, report_id: str, actor: str = "Ann") -> None:
    review.approve(store, report_id, actor, guard=fake_guard)


# Each state a report can rest in, and how to bring a fresh report there.
def _to_received(store: Store, report_id: str) -> None:
    review.store_received(store, make_report(report_id))


def _to_in_review(store: Store, report_id: str) -> None:
    ingest(store, report_id)


def _to_needs_information(store: Store, report_id: str) -> None:
    ingest(store, report_id)
    review.ask_for_information(store, report_id, "Ann", "Which day?")


def _to_rejected(store: Store, report_id: str) -> None:
    ingest(store, report_id)
    review.reject(store, report_id, "Ann", "not an incident")


def _to_approved(store: Store, report_id: str) -> None:
    ingest(store, report_id)
    approve_all(store, report_id)


def _to_released(store: Store, report_id: str) -> None:
    _to_approved(store, report_id)
    review.mark_released(store, report_id, "Bob")


def _to_withdrawn(store: Store, report_id: str) -> None:
    _to_released(store, report_id)
    review.withdraw(store, report_id, "Bob", "sent in error")


REACH: dict[State, Callable[[Store, str], None]] = {
    State.RECEIVED: _to_received,
    State.IN_REVIEW: _to_in_review,
    State.NEEDS_INFORMATION: _to_needs_information,
    State.REJECTED: _to_rejected,
    State.APPROVED: _to_approved,
    State.RELEASED: _to_released,
    State.WITHDRAWN: _to_withdrawn,
}

ACTIONS: dict[str, Callable[[Store, str], object]] = {
    "edit": lambda s, r: review.edit(
        s, r, "Ann", "alert.sms.text", "NUM ALERT: robbery", guard=fake_guard
    ),
    "approve_part": lambda s, r: review.approve(s, r, "Ann", [Part.ALERT], guard=fake_guard),
    "reject": lambda s, r: review.reject(s, r, "Ann", "duplicate"),
    "ask": lambda s, r: review.ask_for_information(s, r, "Ann", "When?"),
    "resume": lambda s, r: review.resume(s, r, "Ann"),
    "release": lambda s, r: review.mark_released(s, r, "Bob"),
    "withdraw": lambda s, r: review.withdraw(s, r, "Bob"),
}

FORBIDDEN = [
    pytest.param(state, action, id=f"{action} from {state}")
    for state in REACH
    for action in ACTIONS
    if state not in review.TRANSITIONS[action].sources
]


def test_every_caseworker_action_is_in_the_transition_table() -> None:
    assert set(ACTIONS) | {"draft", "hold", "approve"} == set(review.TRANSITIONS)


@pytest.fixture(scope="module")
def report_in_state(module_store: Store) -> dict[State, str]:
    """One report resting in each state, in a store shared by the forbidden-transition cases."""
    ids = {}
    for state, reach in REACH.items():
        ids[state] = f"R-IN-{state.replace('_', '-').upper()}"
        reach(module_store, ids[state])
    return ids


@pytest.mark.parametrize(("state", "action"), FORBIDDEN)
def test_a_forbidden_transition_is_refused_and_changes_nothing(
    module_store: Store, report_in_state: dict[State, str], state: State, action: str
) -> None:
    report_id = report_in_state[state]
    before = review.report_view(module_store, report_id)
    assert before["state"] == state
    with pytest.raises(WrongState, match=f"report {report_id}: cannot .* {state}"):
        ACTIONS[action](module_store, report_id)
    after = review.report_view(module_store, report_id)
    assert (after["state"], after["version"], len(after["audit"])) == (
        before["state"],
        before["version"],
        len(before["audit"]),
    )


def test_intake_stores_drafts_and_holds_for_review_through_drafted(store: Store) -> None:
    ingest(store)
    view = review.report_view(store, "R-TEST-000001")
    assert view["state"] == State.IN_REVIEW
    assert [(e["action"], e.get("from"), e["to"]) for e in view["audit"]] == [
        ("receive", None, "received"),
        ("draft", "received", "drafted"),
        ("hold", "drafted", "in_review"),
    ]
    assert view["incident_types"] == ["physical_assault", "robbery"]
    assert view["completeness"] == {"alert": 80.0, "intelligence": 70.0}
    assert view["parts"] == {"alert": "pending", "intelligence": "pending"}


def test_approving_one_part_keeps_the_report_in_review_until_the_other_is_approved(
    store: Store,
) -> None:
    ingest(store)
    report = review.approve(store, "R-TEST-000001", "Ann", [Part.ALERT], guard=fake_guard)
    assert (report.state, report.alert_state, report.intelligence_state) == (
        "in_review",
        "approved",
        "pending",
    )
    report = review.approve(store, "R-TEST-000001", "Bob", [Part.INTELLIGENCE], guard=fake_guard)
    assert (report.state, report.intelligence_state) == ("approved", "approved")
    approvals = review.report_view(store, "R-TEST-000001")["approvals"]
    assert [(a["part"], a["actor"]) for a in approvals] == [
        ("alert", "Ann"),
        ("intelligence", "Bob"),
    ]


def test_approval_records_who_when_and_the_final_text(store: Store) -> None:
    ingest(store)
    approve_all(store, "R-TEST-000001", "Ann Case")
    outputs = review.approved_outputs(store, "R-TEST-000001")
    assert outputs["alert"]["sms"] == {"text": "NUM ALERT: robbery"}
    assert outputs["intelligence"]["account"].startswith("I am [removed]")
    view = review.report_view(store, "R-TEST-000001")
    assert {a["actor"] for a in view["approvals"]} == {"Ann Case"}
    assert all(a["at"] for a in view["approvals"])


def test_without_consent_the_record_cannot_be_approved_and_the_alert_alone_completes(
    store: Store,
) -> None:
    ingest(store, intelligence=False)
    with pytest.raises(WrongState, match="did not consent to an intelligence record"):
        review.approve(store, "R-TEST-000001", "Ann", [Part.INTELLIGENCE], guard=fake_guard)
    report = review.approve(store, "R-TEST-000001", "Ann", guard=fake_guard)
    assert (report.state, report.alert_state, report.intelligence_state) == (
        "approved",
        "approved",
        "no_consent",
    )
    assert set(review.approved_outputs(store, "R-TEST-000001")) == {"alert"}


def test_released_then_withdrawn_records_times_and_closes(store: Store) -> None:
    ingest(store)
    approve_all(store, "R-TEST-000001")
    released = review.mark_released(store, "R-TEST-000001", "Bob")
    assert released.state == "released" and released.released_at and released.closed_at
    withdrawn = review.withdraw(store, "R-TEST-000001", "Bob", "wrong man")
    assert withdrawn.state == "withdrawn" and withdrawn.withdrawn_at
    assert review.report_view(store, "R-TEST-000001")["note"]["text"] == "wrong man"


def test_needs_information_then_resume_then_reject(store: Store) -> None:
    ingest(store)
    assert review.ask_for_information(store, "R-TEST-000001", "Ann", "Which town?").state == (
        "needs_information"
    )
    assert review.resume(store, "R-TEST-000001", "Ann").state == "in_review"
    rejected = review.reject(store, "R-TEST-000001", "Ann", "not an incident")
    assert rejected.state == "rejected" and rejected.closed_at is not None


def test_a_waiting_report_can_be_rejected(store: Store) -> None:
    ingest(store)
    review.ask_for_information(store, "R-TEST-000001", "Ann", "Which town?")
    assert review.reject(store, "R-TEST-000001", "Ann", "no answer").state == "rejected"


@pytest.mark.parametrize("action", sorted(ACTIONS))
def test_an_unknown_id_is_not_found(store: Store, action: str) -> None:
    with pytest.raises(NotFound, match="report R-NOPE: no such report"):
        ACTIONS[action](store, "R-NOPE")


def test_a_stale_version_is_refused_with_both_versions(store: Store) -> None:
    ingest(store)
    seen = review.report_view(store, "R-TEST-000001")["version"]
    review.edit(
        store, "R-TEST-000001", "Bob", "alert.sms.text", "NUM ALERT: robbery.", guard=fake_guard
    )
    with pytest.raises(StaleVersion, match=f"you had version {seen}, it is now {seen + 1}"):
        review.approve(store, "R-TEST-000001", "Ann", expected_version=seen, guard=fake_guard)


def test_an_edit_is_kept_as_a_diff_and_the_guard_blocks_approval_until_fixed(store: Store) -> None:
    ingest(store)
    problems = review.edit(
        store,
        "R-TEST-000001",
        "Ann",
        "alert.sms.text",
        f"NUM ALERT: robbery of {REPORTER_NAME}",
        guard=fake_guard,
    )
    assert problems == ["blocked: a reporter names was found in text"]
    with pytest.raises(ReleaseBlocked, match="edited alert.sms.text") as caught:
        review.approve(store, "R-TEST-000001", "Ann", [Part.ALERT], guard=fake_guard)
    assert REPORTER_NAME not in str(caught.value)
    assert (
        review.edit(
            store,
            "R-TEST-000001",
            "Ann",
            "alert.sms.text",
            "NUM ALERT: robbery, city centre",
            guard=fake_guard,
        )
        == []
    )
    review.approve(store, "R-TEST-000001", "Ann", [Part.ALERT], guard=fake_guard)
    assert review.approved_outputs(store, "R-TEST-000001")["alert"]["sms"]["text"] == (
        "NUM ALERT: robbery, city centre"
    )
    edits = review.report_view(store, "R-TEST-000001")["edits"]
    assert [e["guard_problems"] != [] for e in edits] == [True, False]
    assert (
        f"-NUM ALERT: robbery of {REPORTER_NAME}\n+NUM ALERT: robbery, city centre"
        in (edits[1]["diff"])
    )


def test_the_guard_runs_again_at_approval_not_only_at_edit(store: Store) -> None:
    ingest(store)
    review.edit(
        store,
        "R-TEST-000001",
        "Ann",
        "alert.sms.text",
        "NUM ALERT: Jade Wilson",
        guard=lambda text, received: [],
    )  # a guard that missed it at edit time
    with pytest.raises(ReleaseBlocked):
        review.approve(store, "R-TEST-000001", "Ann", guard=fake_guard)


def test_an_output_blocked_by_the_release_guard_must_be_edited_before_approval(
    store: Store,
) -> None:
    def blocking_draft(received):  # noqa: ANN001, ANN202
        draft = fake_draft(received)
        draft["release"]["alert"]["sms"] = {"blocked": ["blocked: a reporter phone was found"]}
        return draft

    review.store_received(store, make_report())
    review.draft_pending(store, blocking_draft)
    with pytest.raises(ReleaseBlocked, match="alert.sms blocked by the release guard") as caught:
        review.approve(store, "R-TEST-000001", "Ann", [Part.ALERT], guard=fake_guard)
    # The message and the field list point at the text to write, never at the whole channel.
    assert "`mugs edit R-TEST-000001 --field alert.sms.text`" in str(caught.value)
    fields = review.report_view(store, "R-TEST-000001")["editable_fields"]
    assert "alert.sms.text" in fields and "alert.sms" not in fields
    review.edit(
        store, "R-TEST-000001", "Ann", "alert.sms.text", "NUM ALERT: robbery", guard=fake_guard
    )
    assert review.approve(
        store, "R-TEST-000001", "Ann", [Part.ALERT], guard=fake_guard
    ).alert_state == ("approved")
    sms = review.approved_outputs(store, "R-TEST-000001")["alert"]["sms"]
    assert sms == {
        "text": "NUM ALERT: robbery",
        "segments": 1,
        "encoding": "GSM-7",
        "characters": 18,
    }


def test_an_approved_part_can_no_longer_be_edited(store: Store) -> None:
    ingest(store)
    review.approve(store, "R-TEST-000001", "Ann", [Part.ALERT], guard=fake_guard)
    with pytest.raises(WrongState, match="the alert is already approved"):
        review.edit(store, "R-TEST-000001", "Ann", "alert.sms.text", "x", guard=fake_guard)


@pytest.mark.parametrize(
    "field_path",
    [
        pytest.param("narrative", id="outside the alert and the record"),
        pytest.param("alert.nope.text", id="no such channel"),
        pytest.param("alert", id="the whole alert"),
        pytest.param("alert.sms", id="a whole channel"),
        pytest.param("alert.email", id="a whole email"),
        pytest.param("alert.sms.segments", id="a count made from the text"),
        pytest.param("intelligence", id="the whole record"),
        pytest.param("intelligence.reference", id="a generated reference"),
    ],
)
def test_only_existing_texts_of_the_alert_or_record_can_be_edited(
    store: Store, field_path: str
) -> None:
    ingest(store)
    with pytest.raises(StoreError, match=f"field '{field_path}'"):
        review.edit(store, "R-TEST-000001", "Ann", field_path, "x", guard=fake_guard)


def test_an_action_needs_a_caseworker_name(store: Store) -> None:
    ingest(store)
    with pytest.raises(StoreError, match="--as"):
        review.reject(store, "R-TEST-000001", "  ", "reason")


def test_the_same_report_twice_is_one_report(store: Store) -> None:
    ingest(store)
    assert review.store_received(store, make_report()) == IngestOutcome.DUPLICATE
    assert review.draft_pending(store, fake_draft).drafted == []
    view = review.report_view(store, "R-TEST-000001")
    assert [e["action"] for e in view["audit"]].count("receive") == 1
    assert len(review.queue(store)) == 1


def test_the_same_id_with_different_content_is_kept_aside_not_overwritten(store: Store) -> None:
    ingest(store)
    changed = make_report(narrative="A different account altogether.")
    assert review.store_received(store, changed) == IngestOutcome.CONFLICT
    view = review.report_view(store, "R-TEST-000001", include_raw=True)
    assert view["raw"]["narrative"].startswith(f"I am {REPORTER_NAME}")
    assert view["intake_conflicts"] == 1
    assert view["audit"][-1]["action"] == "intake_conflict"


def test_a_crash_after_storing_loses_nothing_and_the_next_run_drafts(store: Store) -> None:
    def crashing_draft(received):  # noqa: ANN001, ANN202
        raise RuntimeError(f"boom while drafting {received.report.narrative}")

    review.store_received(store, make_report("R-CRASH-1"))
    run = review.draft_pending(store, crashing_draft)
    assert run.failed == ["R-CRASH-1"]
    assert review.queue(store, ["received"])[0].report_id == "R-CRASH-1"
    reopened = Store.open(store.settings, store.keyring)  # a new process, later
    assert review.draft_pending(reopened, fake_draft).drafted == ["R-CRASH-1"]
    assert review.report_view(reopened, "R-CRASH-1")["state"] == "in_review"
    reopened.close()


def test_the_queue_lists_open_reports_oldest_first_with_metadata(store: Store) -> None:
    _to_released(store, "R-Q-3")
    ingest(store, "R-Q-2")
    review.store_received(store, make_report("R-Q-1"))
    entries = review.queue(store)
    # Same received_at: ties go by id.
    assert [(e.report_id, e.state) for e in entries] == [
        ("R-Q-1", "received"),
        ("R-Q-2", "in_review"),
    ]
    assert all(e.incident_types == ("physical_assault", "robbery") for e in entries)
    assert [e.report_id for e in review.queue(store, ["released"])] == ["R-Q-3"]
