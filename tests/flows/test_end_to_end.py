"""Inbox file → ``mugs run sanitise`` → ``mugs approve`` → ``mugs run release`` (twice).

The email reaches a real SMTP server on loopback and the SMS request a local HTTP gateway, each
exactly once across the two release runs; a member in another area gets nothing.
"""

from __future__ import annotations

import json

from inbox_reports import corpus_reports, write_inbox

from pipeline.cli import main
from pipeline.outbox import deliveries
from pipeline.review import approved_outputs


def test_inbox_to_member_email_and_sms_exactly_once_across_two_release_runs(
    prefect_home, mugs_home, store, smtp_server, sms_gateway, tmp_path, capsys
):
    report = corpus_reports(1)[0]  # Greater Manchester Police; alert and intelligence consented
    report_id = report["report_id"]
    inbox = tmp_path / "inbox"
    write_inbox(inbox, "tonight.jsonl", [report])
    assert (
        main(
            [
                "members",
                "add",
                "M-0001",
                "--email",
                "near@example.org",
                "--phone",
                "07700 900461",
                "--area",
                "North West",
            ]
        )
        == 0
    )
    assert main(["members", "add", "M-0002", "--email", "far@example.org", "--area", "Wales"]) == 0

    capsys.readouterr()
    assert main(["run", "sanitise", "--inbox", str(inbox)]) == 0
    shown = capsys.readouterr().err
    assert "reports drafted" in shown and "1/1" in shown  # the progress bar, finished
    assert "│ drafted   │     1 │" in shown  # the summary table
    assert not (inbox / "tonight.jsonl").exists()
    assert (inbox / "done" / "tonight.jsonl").exists()
    capsys.readouterr()
    assert main(["queue", "--json"]) == 0
    queued = [json.loads(line) for line in capsys.readouterr().out.splitlines() if line.strip()]
    assert [(q["report_id"], q["state"]) for q in queued] == [(report_id, "in_review")]

    assert main(["run", "release"]) == 0  # nothing approved yet: nothing goes out
    assert smtp_server.messages == [] and sms_gateway.requests == []

    assert main(["approve", report_id, "--as", "Casey Worker"]) == 0
    assert main(["run", "release"]) == 0
    assert main(["run", "release"]) == 0

    assert len(smtp_server.messages) == 1
    recipients, message = smtp_server.messages[0]
    assert recipients == ["near@example.org"]
    alert = approved_outputs(store, report_id)["alert"]
    assert message["Subject"] == alert["email"]["subject"]
    assert len(sms_gateway.requests) == 1
    sms = sms_gateway.requests[0]
    assert sms["authorization"] == "Bearer test-token-6f1c"
    assert sms["body"]["to"] == "+447700900461"
    assert sms["body"]["message"] == alert["sms"]["text"]
    assert "MA19 KXZ" in sms["body"]["message"]  # the offender's registration warns others
    assert "Premier Inn" not in sms["body"]["message"]  # the venue does not
    assert "Scarlett" not in message.get_body(("plain",)).get_content()  # nor the reporter

    statuses = {(d.channel, d.status) for d in deliveries(store, report_id)}
    assert statuses == {("email", "sent"), ("sms", "sent"), ("feed", "sent"), ("scas", "sent")}
    assert sms["body"]["reference"] in {d.delivery_key for d in deliveries(store, report_id)}
    with store.begin() as connection:
        assert store.get_report(connection, report_id).state == "released"
    feed = json.loads((mugs_home / "feed" / "feed.json").read_text(encoding="utf-8"))
    assert len(feed["items"]) == 1
    assert len(list((mugs_home / "exports" / "scas").glob("scas-*.csv"))) == 1
