"""The outbox: each delivery planned before sending, sent once, retried after a crash, not skipped.

These call :mod:`pipeline.outbox` directly (no Prefect), against the loopback SMTP server and the
local SMS gateway.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import secrets
import stat
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from inbox_reports import corpus_reports

from pipeline.channels import DeliveryError
from pipeline.intake import parse_report
from pipeline.members import add_member, remove_member
from pipeline.outbox import (
    MEMBER_CHANNELS,
    Status,
    claim,
    deliver,
    deliveries,
    delivery_key,
    export_intelligence,
    finish_release,
    pending_keys,
    plan_release,
    plan_withdrawals,
    publish_website,
    releasable_reports,
    scas_directory,
)
from pipeline.review import approve, draft_pending, store_received, withdraw

GMP_REPORT = corpus_reports(1)[0]  # Greater Manchester Police, consent to alert and intelligence


_drafts: dict[str, dict] = {}


def _drafted_once(received):
    """Draft each report once per session: every test here needs the same draft."""
    from pipeline.draft import draft_report

    if received.report_id not in _drafts:
        _drafts[received.report_id] = draft_report(received)
    return copy.deepcopy(_drafts[received.report_id])


@pytest.fixture
def approved(store, monkeypatch) -> str:
    """Corpus report 1 stored, drafted and approved (alert and intelligence record)."""
    monkeypatch.setenv("MUGS_PSEUDONYM_KEY", "5a" * 32)  # the same SCAS reference in every test
    received = parse_report(GMP_REPORT)
    store_received(store, received)
    run = draft_pending(store, _drafted_once, report_ids=[received.report_id])
    assert run.drafted == [received.report_id]
    approve(store, received.report_id, "Casey Worker")
    return received.report_id


@pytest.fixture
def roster(store):
    """Three members: one in Greater Manchester, one in Wales, one who wants every alert."""
    return {
        "manchester": add_member(
            store,
            "M-100",
            email="gm@example.org",
            phone="07700 900100",
            areas=["Greater Manchester Police"],
        ),
        "wales": add_member(store, "M-200", email="wales@example.org", areas=["Wales"]),
        "everywhere": add_member(store, "M-300", phone="07700 900300", areas=["all"]),
    }


def _member_keys(store) -> list[str]:
    return pending_keys(store, [str(channel) for channel in MEMBER_CHANNELS])


def test_release_plans_a_row_per_subscriber_channel_and_sends_each_exactly_once(
    store, approved, roster, smtp_server, sms_gateway
):
    assert plan_release(store, approved) == 5
    assert plan_release(store, approved) == 0  # planning again adds nothing
    planned = {(d.channel, d.recipient) for d in deliveries(store, approved)}
    assert planned == {
        ("feed", "website"),
        ("scas", "scas"),
        ("email", roster["manchester"].member_ref),
        ("sms", roster["manchester"].member_ref),
        ("sms", roster["everywhere"].member_ref),
    }
    assert all(d.status == Status.PENDING for d in deliveries(store, approved))

    for key in _member_keys(store):
        assert deliver(store, key) == "sent"
    assert publish_website(store) == 1
    assert export_intelligence(store) == 1
    assert finish_release(store, approved)

    # A second run finds no report to release and nothing to send.
    assert releasable_reports(store) == []
    assert _member_keys(store) == []
    assert [recipients for recipients, _ in smtp_server.messages] == [["gm@example.org"]]
    assert sorted(r["body"]["to"] for r in sms_gateway.requests) == [
        "+447700900100",
        "+447700900300",
    ]
    keys = {d.delivery_key for d in deliveries(store, approved)}
    assert {r["body"]["reference"] for r in sms_gateway.requests} <= keys
    with store.begin() as connection:
        assert store.get_report(connection, approved).state == "released"


def test_the_email_is_the_approved_alert(store, approved, roster, smtp_server, sms_gateway):
    from pipeline.review import approved_outputs

    alert = approved_outputs(store, approved)["alert"]
    plan_release(store, approved)
    for key in _member_keys(store):
        deliver(store, key)

    _, message = smtp_server.messages[0]
    assert message["Subject"] == alert["email"]["subject"]
    text = next(p for p in message.walk() if p.get_content_type() == "text/plain")
    assert text.get_content().replace("\r\n", "\n") == alert["email"]["text"]
    assert {r["body"]["message"] for r in sms_gateway.requests} == {alert["sms"]["text"]}


def test_a_claimed_row_waits_for_its_lease_and_is_retried_after_a_crash(store, approved, roster):
    plan_release(store, approved)
    key = _member_keys(store)[0]

    first = claim(store, key)
    assert first is not None and first.attempts == 1
    assert claim(store, key) is None  # a second run running at the same time leaves it alone
    assert deliver(store, key) == "skipped"

    # The first sender "crashed" without marking the row: once the lease is over it is retried.
    retried = claim(store, key, lease=dt.timedelta(seconds=-1))  # expires at once
    assert retried is None  # still inside the first (10-minute) lease
    with store.begin() as connection:
        from pipeline.outbox import outbox

        connection.execute(
            outbox.update()
            .where(outbox.c.delivery_key == key)
            .values(claimed_until=dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1))
        )
    again = claim(store, key)
    assert again is not None and again.attempts == 2 and again.status == Status.PENDING


def test_a_gateway_outage_leaves_the_sms_pending_and_the_report_unreleased(
    store, approved, roster, smtp_server, sms_gateway
):
    sms_gateway.status = 503
    plan_release(store, approved)
    sms_key = delivery_key(approved, "sms", roster["everywhere"].member_ref)

    with pytest.raises(DeliveryError, match="gateway answered 503"):
        deliver(store, sms_key)

    row = next(d for d in deliveries(store, approved) if d.delivery_key == sms_key)
    assert (row.status, row.last_error) == (
        "pending",
        f"sms delivery {sms_key}: gateway answered 503",
    )
    assert not finish_release(store, approved)

    sms_gateway.status = 202  # the gateway is back: the next run sends it
    assert deliver(store, sms_key) == "sent"


def test_a_permanent_refusal_is_marked_failed_and_does_not_block_the_release(
    store, approved, roster, smtp_server, sms_gateway
):
    sms_gateway.status = 400
    plan_release(store, approved)
    statuses = [deliver(store, key) for key in _member_keys(store)]
    publish_website(store)
    export_intelligence(store)

    assert sorted(statuses) == ["failed", "failed", "sent"]
    assert finish_release(store, approved)


def test_a_member_who_left_before_sending_gets_nothing(
    store, approved, roster, smtp_server, sms_gateway
):
    plan_release(store, approved)
    remove_member(store, "M-100")

    statuses = sorted(deliver(store, key) for key in _member_keys(store))

    assert statuses == ["cancelled", "cancelled", "sent"]
    assert smtp_server.messages == []
    assert [r["body"]["to"] for r in sms_gateway.requests] == ["+447700900300"]


def test_the_feed_shows_released_alerts_and_drops_withdrawn_ones(store, approved, mugs_home):
    from pipeline.review import approved_outputs

    feed_id = approved_outputs(store, approved)["alert"]["feed"]["id"]
    plan_release(store, approved)
    publish_website(store)
    export_intelligence(store)
    finish_release(store, approved)
    feed = json.loads((mugs_home / "feed" / "feed.json").read_text(encoding="utf-8"))
    assert [item["id"] for item in feed["items"]] == [feed_id]

    withdraw(store, approved, "Casey Worker", "offender identified wrongly")
    assert publish_website(store) == 0

    feed = json.loads((mugs_home / "feed" / "feed.json").read_text(encoding="utf-8"))
    assert feed["items"] == []
    assert feed_id not in (mugs_home / "feed" / "index.html").read_text(encoding="utf-8")


def test_scas_export_is_the_approved_record_as_private_json_and_csv(store, approved):
    from pipeline.review import approved_outputs

    record = approved_outputs(store, approved)["intelligence"]
    plan_release(store, approved)

    assert export_intelligence(store) == 1
    assert export_intelligence(store) == 0  # already exported: not again

    files = sorted(scas_directory(store).iterdir())
    assert [f.suffix for f in files] == [".csv", ".json"]
    assert all(stat.S_IMODE(f.stat().st_mode) == 0o600 for f in files)
    assert json.loads(files[1].read_text(encoding="utf-8"))["records"] == [record]
    header = files[0].read_text(encoding="utf-8").splitlines()[0]
    assert "offender_number" in header
    assert approved not in files[0].read_text(encoding="utf-8")  # pseudonymous reference only


def _race(store, key: str, senders: int = 6) -> list[str]:
    """*senders* threads try to deliver the same row at the same moment."""
    start = threading.Barrier(senders)

    def one() -> str:
        start.wait()
        return deliver(store, key)

    with ThreadPoolExecutor(senders) as pool:
        return sorted(pool.map(lambda _: one(), range(senders)))


def test_concurrent_senders_send_a_row_once(store, approved, roster, smtp_server, sms_gateway):
    plan_release(store, approved)
    key = delivery_key(approved, "email", roster["manchester"].member_ref)

    assert _race(store, key) == ["sent"] + ["skipped"] * 5
    assert len(smtp_server.messages) == 1


POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


@pytest.fixture
def postgres_store(mugs_home, monkeypatch):
    """The flows' store on PostgreSQL, in a schema of its own (dropped afterwards)."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.exc import OperationalError

    from flows.runtime import flow_store, forget_stores

    schema = f"mugs_flows_{secrets.token_hex(5)}"
    engine = create_engine(POSTGRES_URL, connect_args={"connect_timeout": 3})
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except OperationalError:
        pytest.skip("PostgreSQL at 127.0.0.1:5432 is unreachable")
    monkeypatch.setenv("MUGS_DATABASE_URL", POSTGRES_URL)
    monkeypatch.setenv("MUGS_DATABASE_SCHEMA", schema)
    forget_stores()
    yield flow_store()
    forget_stores()
    with engine.begin() as connection:
        connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    engine.dispose()


@pytest.mark.postgres
def test_on_postgresql_each_delivery_is_planned_and_sent_once(
    postgres_store, monkeypatch, smtp_server, sms_gateway
):
    store = postgres_store
    monkeypatch.setenv("MUGS_PSEUDONYM_KEY", "5a" * 32)
    received = parse_report(GMP_REPORT)
    store_received(store, received)
    draft_pending(store, _drafted_once, report_ids=[received.report_id])
    approve(store, received.report_id, "Casey Worker")
    member = add_member(store, "M-100", email="gm@example.org", areas=["North West"])

    assert plan_release(store, received.report_id) == 3
    assert plan_release(store, received.report_id) == 0
    key = delivery_key(received.report_id, "email", member.member_ref)
    assert _race(store, key) == ["sent"] + ["skipped"] * 5
    publish_website(store)
    export_intelligence(store)

    assert finish_release(store, received.report_id)
    assert [recipients for recipients, _ in smtp_server.messages] == [["gm@example.org"]]


def test_withdrawing_a_released_alert_sends_each_member_one_notice(
    store, approved, roster, smtp_server, sms_gateway
):
    from pipeline.review import approved_outputs

    headline = approved_outputs(store, approved)["alert"]["headline"]
    plan_release(store, approved)
    for key in _member_keys(store):
        deliver(store, key)
    publish_website(store)
    export_intelligence(store)
    finish_release(store, approved)
    withdraw(store, approved, "Casey Worker", "wrong man")

    assert plan_withdrawals(store) == 3  # the email and both SMS that went out
    assert plan_withdrawals(store) == 0
    assert sorted(deliver(store, key) for key in _member_keys(store)) == ["sent"] * 3
    assert _member_keys(store) == []

    subjects = [message["Subject"] for _, message in smtp_server.messages]
    assert subjects[1] == f"National Ugly Mugs: alert withdrawn: {headline}"
    notice = smtp_server.messages[1][1].get_content()
    assert "has been withdrawn" in notice and headline in notice
    notices = [r["body"]["message"] for r in sms_gateway.requests[2:]]
    assert notices == [f'NUM ALERT WITHDRAWN: please disregard the alert "{headline}".'] * 2


# --- key rotation ---------------------------------------------------------------------------------


def test_key_rotation_skips_no_member_and_sends_no_one_a_second_copy(
    store, approved, roster, smtp_server, sms_gateway
):
    from pipeline.store import rotate_keys

    plan_release(store, approved)
    email = delivery_key(approved, "email", roster["manchester"].member_ref)
    assert deliver(store, email) == "sent"  # the two SMS are still pending

    rotate_keys(store)  # every member's lookup hash changes

    assert plan_release(store, approved) == 0  # a re-run plans no second copy
    assert sorted(deliver(store, key) for key in _member_keys(store)) == ["sent", "sent"]
    publish_website(store)
    export_intelligence(store)
    assert finish_release(store, approved)
    assert {d.delivery_key for d in deliveries(store, approved)} >= {email}  # keys stay

    withdraw(store, approved, "Casey Worker", "wrong man")
    assert plan_withdrawals(store) == 3
    rotate_keys(store)  # again, with the notices pending
    assert plan_withdrawals(store) == 0
    assert sorted(deliver(store, key) for key in _member_keys(store)) == ["sent"] * 3

    assert [recipients for recipients, _ in smtp_server.messages] == [["gm@example.org"]] * 2
    assert sorted(r["body"]["to"] for r in sms_gateway.requests) == [
        "+447700900100",
        "+447700900100",
        "+447700900300",
        "+447700900300",
    ]
    statuses = {(d.channel, d.status) for d in deliveries(store, approved)}
    assert ("email", "cancelled") not in statuses and ("sms", "cancelled") not in statuses


# --- releasing one report from the command line ---------------------------------------------------


def test_mugs_release_sends_publishes_and_exports_before_marking_released(
    store, approved, roster, smtp_server, sms_gateway, mugs_home, capsys
):
    from pipeline.cli import main

    capsys.readouterr()
    assert main(["release", approved, "--as", "Casey Worker"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0].startswith(f"{approved}: released, version ")
    assert out.splitlines()[1] == "deliveries: 5 sent"

    assert [recipients for recipients, _ in smtp_server.messages] == [["gm@example.org"]]
    assert sorted(r["body"]["to"] for r in sms_gateway.requests) == [
        "+447700900100",
        "+447700900300",
    ]
    feed = json.loads((mugs_home / "feed" / "feed.json").read_text(encoding="utf-8"))
    assert len(feed["items"]) == 1
    assert len(list(scas_directory(store).glob("scas-*.json"))) == 1
    with store.begin() as connection:
        assert store.get_report(connection, approved).state == "released"
        assert store.audit_rows(connection, approved)[-1].actor == "Casey Worker"
    assert releasable_reports(store) == [] and _member_keys(store) == []  # nothing left to send


def test_mugs_release_during_an_outage_leaves_the_report_for_the_release_flow(
    store, approved, roster, smtp_server, sms_gateway, capsys
):
    from pipeline.cli import main

    sms_gateway.status = 503
    capsys.readouterr()
    assert main(["release", approved, "--as", "Casey Worker"]) == 1
    captured = capsys.readouterr()
    assert "still approved (deliveries pending)" in captured.out
    assert "`mugs run release` retries them" in captured.err
    assert releasable_reports(store) == [approved]  # the flow picks it up

    sms_gateway.status = 202  # what the next release run does
    assert plan_release(store, approved) == 0
    assert sorted(deliver(store, key) for key in _member_keys(store)) == ["sent", "sent"]
    assert finish_release(store, approved)
    assert len(smtp_server.messages) == 1  # the email went once, in the first attempt


def test_mugs_release_refuses_a_report_that_is_not_approved(store, capsys):
    from pipeline.cli import main

    assert main(["release", "R-NOPE", "--as", "Casey Worker"]) == 2
    assert capsys.readouterr().err == "mugs release: report R-NOPE: no such report\n"


# --- an approved alert stored by an older version -------------------------------------------------


def test_an_approved_email_that_is_not_an_email_fails_for_good_instead_of_forever(
    store, approved, roster, smtp_server, sms_gateway
):
    from pipeline.review import approved_outputs
    from pipeline.store import utc_now

    outputs = approved_outputs(store, approved)
    # Before edits were limited to texts, an edit could replace the email channel with a string.
    with store.begin() as connection:
        store.delete_approvals(connection, approved)
        for part, final in outputs.items():
            if part == "alert":
                final = {**final, "email": "He took the bag and ran."}
            store.add_approval(connection, approved, part, "Casey Worker", final, utc_now())
    plan_release(store, approved)
    email = delivery_key(approved, "email", roster["manchester"].member_ref)

    assert deliver(store, email) == "failed"
    row = next(d for d in deliveries(store, approved) if d.delivery_key == email)
    assert row.last_error == (
        f"email delivery {email}: the approved alert has no email that can be sent"
    )
    assert sorted(deliver(store, key) for key in _member_keys(store)) == ["sent", "sent"]
    assert smtp_server.messages == []
