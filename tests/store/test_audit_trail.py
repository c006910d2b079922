"""The audit trail is append-only and hash-chained: a changed or deleted entry is detected."""

from __future__ import annotations

import json

import pytest
from sqlalchemy.exc import DBAPIError
from store_reports import REPORTER_NAME, fake_draft, fake_guard, make_report

from pipeline import review
from pipeline.audit import verify_audit
from pipeline.store import Store


def _history(store: Store) -> None:
    """Five entries: receive, draft, hold, approve, release."""
    review.store_received(store, make_report())
    review.draft_pending(store, fake_draft)
    review.approve(store, "R-TEST-000001", "Ann", guard=fake_guard)
    review.mark_released(store, "R-TEST-000001", "Bob")


def _as_attacker(store: Store, statement: str) -> None:
    """Change the table directly, switching off the append-only triggers first."""
    with store.engine.begin() as connection:
        if connection.dialect.name == "sqlite":
            connection.exec_driver_sql("DROP TRIGGER IF EXISTS audit_log_no_update")
            connection.exec_driver_sql("DROP TRIGGER IF EXISTS audit_log_no_delete")
            connection.exec_driver_sql(statement)
        else:
            connection.exec_driver_sql("ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_change")
            connection.exec_driver_sql(statement)
            connection.exec_driver_sql("ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_change")


def test_an_untouched_trail_verifies(store: Store) -> None:
    _history(store)
    result = verify_audit(store)
    assert result.ok and result.entries == 5 and result.head_seq == 5


def test_an_empty_trail_verifies(store: Store) -> None:
    assert verify_audit(store).ok


@pytest.mark.parametrize(
    "statement",
    [
        pytest.param("UPDATE audit_log SET actor = 'Mallory' WHERE seq = 4", id="update"),
        pytest.param("DELETE FROM audit_log WHERE seq = 4", id="delete"),
    ],
)
def test_the_database_refuses_to_change_the_trail(store: Store, statement: str) -> None:
    _history(store)
    with pytest.raises(DBAPIError, match="append-only"), store.engine.begin() as connection:
        connection.exec_driver_sql(statement)
    assert verify_audit(store).ok


def test_a_changed_entry_is_detected(store: Store) -> None:
    _history(store)
    _as_attacker(store, "UPDATE audit_log SET actor = 'Mallory' WHERE seq = 4")
    assert verify_audit(store).problems == [
        "entry 4: changed after it was written (hash does not match)"
    ]


def test_a_changed_entry_with_a_recomputed_hash_breaks_the_next_link(store: Store) -> None:
    from pipeline.audit import entry_hash

    _history(store)
    with store.begin() as connection:
        row = store.audit_rows(connection)[3]
    forged = entry_hash(
        row.prev_hash, row.seq, row.at, "Mallory", row.action, row.report_id, row.details
    )
    _as_attacker(
        store, f"UPDATE audit_log SET actor = 'Mallory', entry_hash = '{forged}' WHERE seq = 4"
    )
    assert verify_audit(store).problems == ["entry 5: link to the previous entry is broken"]


def test_a_deleted_entry_is_detected(store: Store) -> None:
    _history(store)
    _as_attacker(store, "DELETE FROM audit_log WHERE seq = 3")
    assert verify_audit(store).problems == [
        "entry 3 missing (deleted) before entry 4",
        "entry 4: link to the previous entry is broken",
    ]


def test_a_deleted_newest_entry_is_detected_by_the_head(store: Store) -> None:
    _history(store)
    _as_attacker(store, "DELETE FROM audit_log WHERE seq = 5")
    assert verify_audit(store).problems == ["newest entries 5–5 missing (deleted)"]


def test_a_deleted_head_is_detected_even_with_the_whole_trail_gone(store: Store) -> None:
    _history(store)
    _as_attacker(store, "DELETE FROM audit_log")
    with store.engine.begin() as connection:
        connection.exec_driver_sql("DELETE FROM audit_head")
    assert verify_audit(store).problems == ["the audit head row is missing (deleted)"]


def test_entries_name_ids_actions_and_states_never_report_text(store: Store) -> None:
    _history(store)
    with store.begin() as connection:
        rows = store.audit_rows(connection)
    text = json.dumps([row.__repr__() for row in rows])
    assert REPORTER_NAME not in text and "07700 900123" not in text and "M-01042" not in text
    assert [row.action for row in rows] == ["receive", "draft", "hold", "approve", "release"]


def test_a_drafting_failure_is_in_the_trail_once_and_carries_no_text(store: Store) -> None:
    review.store_received(store, make_report())

    def broken(received: object) -> dict:
        raise ValueError(f"could not draft {REPORTER_NAME}")  # a message that quotes the report

    for _ in range(2):  # tried again on the next run, recorded once while it fails the same way
        assert review.draft_pending(store, broken).failed == ["R-TEST-000001"]
    with store.begin() as connection:
        failures = [r for r in store.audit_rows(connection) if r.action == "draft_failed"]
        state = store.get_report(connection, "R-TEST-000001").state
    assert [json.loads(r.details) for r in failures] == [{"error": "ValueError", "field": None}]
    assert REPORTER_NAME not in failures[0].details
    assert state == "received"
