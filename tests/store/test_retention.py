"""Retention purge after a report is closed, and erasure of a member who leaves."""

from __future__ import annotations

import datetime as dt

import pytest
from store_reports import fake_draft, fake_guard, make_report

from pipeline import review
from pipeline.audit import verify_audit
from pipeline.errors import NotFound
from pipeline.retention import erase_member, purge_closed
from pipeline.store import Store, utc_now


def _ingest(store: Store, report_id: str, member_id: str | None = "M-01042") -> None:
    review.store_received(store, make_report(report_id, member_id=member_id))
    review.draft_pending(store, fake_draft, report_ids=[report_id])


def _released(store: Store, report_id: str, member_id: str | None = "M-01042") -> None:
    _ingest(store, report_id, member_id)
    review.approve(store, report_id, "Ann", guard=fake_guard)
    review.mark_released(store, report_id, "Bob")


def _sealed(store: Store, report_id: str) -> dict[str, object]:
    with store.begin() as connection:
        report = store.get_report(connection, report_id)
    return {
        name: store.open_report(report, name)
        for name in ("raw", "reporter", "member", "draft", "release", "review", "note")
    }


def test_raw_text_is_purged_once_the_retention_period_after_closing_has_passed(
    store: Store,
) -> None:
    _ingest(store, "R-OLD-1")
    review.reject(store, "R-OLD-1", "Ann", "not an incident")
    assert purge_closed(store, days=30, now=utc_now() + dt.timedelta(days=29)) == []
    assert purge_closed(store, days=30, now=utc_now() + dt.timedelta(days=31)) == ["R-OLD-1"]
    sealed = _sealed(store, "R-OLD-1")
    assert {k for k, v in sealed.items() if v is None} == {
        "raw",
        "reporter",
        "draft",
        "review",
        "note",
    }
    assert sealed["release"]["alert"]["sms"] == {"text": "NUM ALERT: robbery"}
    view = review.report_view(store, "R-OLD-1")
    assert view["purged"] and view["audit"][-1]["action"] == "purge"
    assert verify_audit(store).ok


def test_a_purge_keeps_the_approved_texts_and_metadata_of_a_released_report(store: Store) -> None:
    _released(store, "R-REL-1")
    assert purge_closed(store, days=0, now=utc_now() + dt.timedelta(seconds=1)) == ["R-REL-1"]
    assert set(review.approved_outputs(store, "R-REL-1")) == {"alert", "intelligence"}
    assert review.queue(store, ["released"])[0].incident_types == ("physical_assault", "robbery")


def test_open_reports_are_never_purged(store: Store) -> None:
    _ingest(store, "R-OPEN-1")
    review.store_received(store, make_report("R-OPEN-2"))
    assert purge_closed(store, days=0, now=utc_now() + dt.timedelta(days=3650)) == []
    assert _sealed(store, "R-OPEN-1")["raw"] is not None


def test_purge_uses_the_configured_retention_by_default(store: Store) -> None:
    _ingest(store, "R-OLD-2")
    review.reject(store, "R-OLD-2", "Ann", "duplicate")
    assert store.settings.retention_days == 30
    assert purge_closed(store, now=utc_now() + dt.timedelta(days=20)) == []
    assert purge_closed(store, now=utc_now() + dt.timedelta(days=40)) == ["R-OLD-2"]


def test_an_erased_member_keeps_only_what_was_released(store: Store) -> None:
    with store.begin() as connection:
        store.put_member(
            connection, "M-01042", {"email": "jade@example.com"}, ["North West"], ["email"]
        )
        store.put_member(connection, "M-2", {"email": "other@example.com"}, ["Wales"], ["sms"])
    _released(store, "R-MINE-RELEASED")
    _ingest(store, "R-MINE-PENDING")
    _ingest(store, "R-OTHER", member_id="M-2")

    erasure = erase_member(store, "M-01042")

    assert erasure.member_found
    assert erasure.deleted_reports == ["R-MINE-PENDING"]
    assert erasure.reduced_reports == ["R-MINE-RELEASED"]
    with pytest.raises(NotFound):
        review.report_view(store, "R-MINE-PENDING")
    assert all(value is None for value in _sealed(store, "R-MINE-RELEASED").values())
    assert set(review.approved_outputs(store, "R-MINE-RELEASED")) == {"alert", "intelligence"}
    with store.begin() as connection:
        with pytest.raises(NotFound):
            store.get_member(connection, "M-01042")
        assert store.get_member(connection, "M-2").contacts == {"email": "other@example.com"}
        assert store.get_report(connection, "R-MINE-RELEASED").member_ref is None
    assert _sealed(store, "R-OTHER")["raw"] is not None
    assert verify_audit(store).ok
    assert erase_member(store, "M-01042").reduced_reports == []  # nothing left to find
