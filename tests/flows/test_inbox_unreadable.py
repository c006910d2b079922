"""Inbox files the reader cannot get through are moved aside with their errors, not left."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from inbox_reports import corpus_reports, write_inbox

from pipeline import inbox
from pipeline.errors import IntakeError
from pipeline.inbox import inbox_files, ingest_file
from pipeline.intake import ReceivedReport, read_path


def test_a_deeply_nested_line_is_refused_and_the_file_moves_to_done(store, tmp_path: Path):
    good = corpus_reports(2)
    path = write_inbox(tmp_path / "inbox", "nested.jsonl", good)
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text(lines[0] + "[" * 100_000 + "\n" + lines[1], encoding="utf-8")

    outcome = ingest_file(store, path)

    assert outcome.counts() == {"stored": 2, "duplicate": 0, "conflict": 0, "refused": 1}
    assert inbox_files(tmp_path / "inbox") == []
    [error] = json.loads((tmp_path / "inbox" / "done" / "nested.jsonl.errors.json").read_text())
    assert error["line"] == 2 and error["problem"].startswith("is nested too deeply")


def test_a_reader_crash_records_an_error_and_still_moves_the_file(
    store, tmp_path: Path, monkeypatch
):
    path = write_inbox(tmp_path / "inbox", "crash.jsonl", corpus_reports(2))

    def crashing_reader(file: Path) -> Iterator[ReceivedReport | IntakeError]:
        items = read_path(file)
        yield next(items)
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(inbox, "read_path", crashing_reader)

    outcome = ingest_file(store, path)

    assert outcome.counts() == {"stored": 1, "duplicate": 0, "conflict": 0, "refused": 1}
    assert not path.exists() and outcome.moved_to is not None
    [error] = json.loads((tmp_path / "inbox" / "done" / "crash.jsonl.errors.json").read_text())
    assert error["source"] == str(path) and "RecursionError" in error["problem"]
    with store.begin() as connection:
        refusals = [row for row in store.audit_rows(connection) if row.action == "intake_refused"]
    assert len(refusals) == 1


def test_the_sanitise_flow_refuses_the_nested_line_and_empties_the_inbox(
    prefect_home, mugs_home, store, tmp_path: Path
):
    from prefect.logging.handlers import APILogWorker

    from flows.sanitise import run_sanitise

    inbox_dir = tmp_path / "inbox"
    path = write_inbox(inbox_dir, "nested.jsonl", corpus_reports(1))
    path.write_text(path.read_text(encoding="utf-8") + "[" * 100_000 + "\n", encoding="utf-8")

    totals = run_sanitise(inbox=str(inbox_dir))

    assert (totals["stored"], totals["refused"]) == (1, 1)
    assert inbox_files(inbox_dir) == []
    assert (inbox_dir / "done" / "nested.jsonl.errors.json").exists()
    APILogWorker.drain_all(timeout=5)  # the run's log lines reach the server before it stops
