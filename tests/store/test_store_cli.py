"""The ``mugs`` store and review commands end to end, with the real drafter and guard."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from pipeline.cli import main

SAMPLE = Path(__file__).parents[2] / "fixtures" / "samples" / "outcall_hotel_robbery.json"


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty MUGS_HOME (SQLite)."""
    monkeypatch.setenv("MUGS_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("MUGS_DATABASE_URL", raising=False)
    monkeypatch.delenv("MUGS_KEY", raising=False)
    monkeypatch.delenv("MUGS_KEY_FILE", raising=False)
    return tmp_path / "home"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_ingest_review_and_release_from_the_command_line(
    home: Path, capsys: pytest.CaptureFixture[str], analyzer: object, tmp_path: Path
) -> None:
    report_id = json.loads(SAMPLE.read_text())["report_id"]
    code, out, err = run(capsys, "ingest", str(SAMPLE))
    assert code == 0, err
    assert out.splitlines() == [f"{report_id}: stored", f"{report_id}: drafted, in review"]

    code, out, _ = run(capsys, "ingest", str(SAMPLE))
    assert (code, out) == (0, f"{report_id}: duplicate\n")

    code, out, _ = run(capsys, "queue", "--json")
    entry = json.loads(out)
    assert (entry["report_id"], entry["state"], entry["version"]) == (report_id, "in_review", 3)

    code, _, err = run(capsys, "approve", "R-NOPE", "--as", "Ann")
    assert (code, err) == (2, "mugs approve: report R-NOPE: no such report\n")
    code, _, err = run(capsys, "release", report_id, "--as", "Ann")
    assert code == 2 and "cannot release a report that is in_review (only from: approved)" in err

    edited = tmp_path / "sms.txt"
    edited.write_text("NUM ALERT: robbery in Manchester. Take care.")
    code, out, err = run(
        capsys,
        "edit",
        report_id,
        "--as",
        "Ann",
        "--field",
        "alert.sms.text",
        "--file",
        str(edited),
        "--version",
        "3",
    )
    assert code == 0, err
    code, _, err = run(capsys, "approve", report_id, "--as", "Bob", "--version", "3")
    assert code == 2 and "you had version 3, it is now 4" in err

    code, out, err = run(capsys, "approve", report_id, "--as", "Bob", "--part", "alert")
    assert code == 0 and "alert approved" in out, err
    code, out, err = run(capsys, "approve", report_id, "--as", "Bob")
    assert code == 0 and f"{report_id}: approved" in out, err
    code, out, err = run(capsys, "release", report_id, "--as", "Bob")
    assert (code, out) == (0, f"{report_id}: released, version 7\ndeliveries: 2 sent\n"), err
    # Released means delivered: the website entry and the SCAS record went out first.
    feed = json.loads((home / "feed" / "feed.json").read_text(encoding="utf-8"))
    assert len(feed["items"]) == 1
    assert len(list((home / "exports" / "scas").glob("scas-*.json"))) == 1
    assert _outbox_statuses(report_id) == {("feed", "sent"), ("scas", "sent")}

    code, out, _ = run(capsys, "show", report_id, "--json")
    view = json.loads(out)
    assert view["release"]["alert"]["sms"]["text"] == "NUM ALERT: robbery in Manchester. Take care."
    assert [e["action"] for e in view["audit"]] == [
        "receive",
        "draft",
        "hold",
        "edit",
        "approve_part",
        "approve",
        "release",
    ]

    code, out, _ = run(capsys, "audit", "verify")
    assert code == 0 and out.startswith("audit trail intact: 7 entries")
    code, out, _ = run(capsys, "keys", "rotate")
    assert code == 0 and "reports 1" in out
    assert run(capsys, "show", report_id)[0] == 0


def _outbox_statuses(report_id: str) -> set[tuple[str, str]]:
    from pipeline.outbox import deliveries
    from pipeline.settings import load_settings
    from pipeline.store import Store

    with Store.open(load_settings()) as store:
        return {(d.channel, d.status) for d in deliveries(store, report_id)}


def test_audit_verify_exits_1_on_a_tampered_trail(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import sqlite3

    shutil.copy(SAMPLE, home.parent / "r.json")
    assert run(capsys, "ingest", str(home.parent / "r.json"), "--no-draft")[0] == 0
    database = sqlite3.connect(home / "mugs.db")
    database.execute("DROP TRIGGER audit_log_no_update")
    database.execute("UPDATE audit_log SET actor = 'Mallory'")
    database.commit()
    database.close()
    code, _, err = run(capsys, "audit", "verify")
    assert code == 1
    assert "entry 1: changed after it was written" in err
