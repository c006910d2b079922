"""The members roster (sealed contacts, areas, cancellation) and the inbox folder the flow reads."""

from __future__ import annotations

import json
import shutil

import pytest
from inbox_reports import corpus_reports, write_inbox

from pipeline.cli import main
from pipeline.inbox import inbox_files, ingest_file
from pipeline.intake import parse_report
from pipeline.members import (
    MemberError,
    add_member,
    check_areas,
    list_members,
    remove_member,
    subscribers,
)
from pipeline.review import store_received

# --- members -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("areas", "force", "receives"),
    [
        pytest.param(["all"], "Kent Police", True, id="all gets every alert"),
        pytest.param(["all"], None, True, id="all gets alerts with no force"),
        pytest.param(["North West"], "Greater Manchester Police", True, id="region covers force"),
        pytest.param(["north west"], "greater manchester police", True, id="any capitals"),
        pytest.param(["Wales"], "Greater Manchester Police", False, id="other region"),
        pytest.param(["Kent Police"], "Kent Police", True, id="the force itself"),
        pytest.param(["Kent Police"], None, False, id="no force: only 'all' members"),
    ],
)
def test_which_members_an_alert_reaches(store, areas, force, receives):
    member = add_member(store, "M-1", email="m@example.org", areas=areas)
    assert (subscribers([member], force) == [member]) is receives


def test_contacts_are_sealed_at_rest_and_open_for_the_roster(store, mugs_home):
    add_member(
        store,
        "M-77001",
        email="unique.member.7c1@example.org",
        phone="07700 900777",
        areas=["London", "Kent Police"],
    )

    [member] = list_members(store)
    assert (member.member_id, member.email, member.phone) == (
        "M-77001",
        "unique.member.7c1@example.org",
        "+447700900777",
    )
    assert member.areas == ("London", "Kent Police") and member.channels == ("email", "sms")
    store.close()
    database = (mugs_home / "mugs.db").read_bytes()
    for secret in (b"unique.member.7c1", b"7700900777", b"M-77001"):
        assert secret not in database


def test_a_member_needs_a_contact_and_known_areas(store):
    with pytest.raises(MemberError, match="give --email and/or --phone"):
        add_member(store, "M-2")
    with pytest.raises(MemberError, match="--area 'Narnia' is not 'all', a region"):
        check_areas(["Narnia"])
    with pytest.raises(MemberError, match="--phone: not a"):
        add_member(store, "M-2", phone="12")


def test_cancelling_a_membership_erases_the_member_and_their_unreleased_reports(store):
    add_member(store, "M-01187", email="leaving@example.org")
    report = corpus_reports(1)[0]  # reported by member M-01187, never released
    store_received(store, parse_report(report))

    erasure = remove_member(store, "M-01187")

    assert erasure.member_found and erasure.deleted_reports == [report["report_id"]]
    assert list_members(store) == []
    with store.begin() as connection:
        assert store.report_ids(connection) == []


def test_members_cli_adds_lists_masked_and_removes(mugs_home, capsys):
    assert main(["members", "add", "M-9", "--email", "nine@example.org", "--area", "Wales"]) == 0
    capsys.readouterr()
    assert main(["members", "list", "--json"]) == 0
    [listed] = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert listed == {
        "member_id": "M-9",
        "email": "n…@example.org",
        "phone": "-",
        "channels": ["email"],
        "areas": ["Wales"],
    }
    assert main(["members", "remove", "M-9"]) == 0
    assert main(["members", "add", "M-10", "--email", "x@example.org", "--area", "Atlantis"]) == 2


# --- inbox ---------------------------------------------------------------------------------------


def test_one_bad_report_is_recorded_and_the_rest_of_the_file_is_stored(store, tmp_path):
    good = corpus_reports(2)
    bad = dict(good[0], report_id="R-BAD-1", channel="carrier pigeon")
    path = write_inbox(tmp_path / "inbox", "mixed.jsonl", [good[0], bad, good[1]])
    (tmp_path / "inbox" / "notes.txt").write_text("not a report")

    assert inbox_files(tmp_path / "inbox") == [path]
    outcome = ingest_file(store, path)

    assert outcome.counts() == {"stored": 2, "duplicate": 0, "conflict": 0, "refused": 1}
    assert not path.exists() and (tmp_path / "inbox" / "done" / "mixed.jsonl").exists()
    [error] = json.loads((tmp_path / "inbox" / "done" / "mixed.jsonl.errors.json").read_text())
    assert (error["line"], error["report_id"], error["field"]) == (2, "R-BAD-1", "channel")
    assert inbox_files(tmp_path / "inbox") == []
    with store.begin() as connection:
        refusals = [row for row in store.audit_rows(connection) if row.action == "intake_refused"]
    assert [(r.report_id, json.loads(r.details)["field"]) for r in refusals] == [
        ("R-BAD-1", "channel")
    ]


def test_the_same_file_twice_stores_nothing_new_and_keeps_both_copies_in_done(store, tmp_path):
    inbox = tmp_path / "inbox"
    path = write_inbox(inbox, "again.jsonl", corpus_reports(2))
    copy = tmp_path / "again.jsonl"
    shutil.copy(path, copy)
    ingest_file(store, path)
    shutil.copy(copy, path)

    outcome = ingest_file(store, path)

    assert outcome.counts() == {"stored": 0, "duplicate": 2, "conflict": 0, "refused": 0}
    assert len(list((inbox / "done").glob("again*.jsonl"))) == 2
