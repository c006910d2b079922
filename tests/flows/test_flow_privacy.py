"""Report text never reaches Prefect: not its database, not result storage, not a log line.

Both flows run on a report carrying a unique marker (in the reporter's name, the narrative, and a
bad date that makes a second report fail intake with the marker in its error) under a temporary
PREFECT_HOME with the ephemeral server; then every byte under PREFECT_HOME and every captured log
line and console line is searched for the marker.
"""

from __future__ import annotations

import logging
import uuid
from pathlib import Path

import pytest
from inbox_reports import corpus_reports, write_inbox

from pipeline.members import add_member
from pipeline.review import approve

MARKER = f"Zqvx{uuid.uuid4().hex[:10]}"


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.lines: list[str] = []
        self.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


@pytest.fixture
def every_log_line():
    """Collect every log record (root, prefect, pipeline, flows) at DEBUG, with tracebacks."""
    handler = _Collect()
    loggers = [logging.getLogger(name) for name in ("", "prefect", "pipeline", "flows")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.addHandler(handler)
        logger.setLevel(logging.DEBUG)
    yield handler.lines
    for logger, level in zip(loggers, levels, strict=True):
        logger.removeHandler(handler)
        logger.setLevel(level)


def _marked_reports() -> list[dict]:
    report = corpus_reports(1)[0]
    report["report_id"] = "R-PRIVACY-0001"
    report["reporter"]["known_identifiers"]["names"].append(f"{MARKER} Louise")
    report["narrative"] = (
        f"My name is {MARKER} Louise and I work as Scarlett. "
        + report["narrative"]
        + f" {MARKER} here, please warn the others."
    )
    bad = dict(corpus_reports(2)[1], report_id="R-PRIVACY-0002")
    bad["incident"] = dict(bad["incident"], date=f"{MARKER}-03-12")
    return [report, bad]


def _files_containing(root: Path, needle: bytes) -> list[str]:
    return [
        str(path.relative_to(root))
        for path in sorted(root.rglob("*"))
        if path.is_file() and needle in path.read_bytes()
    ]


def test_the_marker_reaches_no_prefect_file_and_no_log_line(
    prefect_home, mugs_home, store, smtp_server, sms_gateway, every_log_line, capfd, tmp_path
):
    from flows.release import run_release
    from flows.sanitise import run_sanitise

    add_member(store, "M-500", email="member@example.org", phone="07700 900500", areas=["all"])
    inbox = tmp_path / "inbox"
    write_inbox(inbox, "marked.jsonl", _marked_reports())

    sanitised = run_sanitise(inbox=str(inbox))
    approve(store, "R-PRIVACY-0001", "Casey Worker")
    released = run_release()

    # The flows did their work: the marked report went through, the bad one was refused.
    assert (sanitised["stored"], sanitised["refused"], sanitised["drafted"]) == (1, 1, 1)
    assert (released["sent"], released["released"]) == (2, 1)
    with store.begin() as connection:
        raw = store.open_report(store.get_report(connection, "R-PRIVACY-0001"), "raw")
    assert MARKER in raw["narrative"]  # it was in the report the flows handled
    assert MARKER in (inbox / "done" / "marked.jsonl.errors.json").read_text()  # and in an error

    # Prefect recorded the runs and their logs under PREFECT_HOME ...
    database = prefect_home / "prefect.db"
    assert database.exists()
    prefect_bytes = b"".join(p.read_bytes() for p in prefect_home.rglob("*") if p.is_file())
    assert b"report R-PRIVACY-0001: drafted" in prefect_bytes
    assert b"'released': 1" in prefect_bytes

    # ... and no byte of it holds the marker or the reporter's known identifiers.
    for needle in (MARKER, "scarlett.mcr@example.com", "scarlett_mcr_x", "Jade Wilson"):
        assert _files_containing(prefect_home, needle.encode()) == [], needle
    assert not (prefect_home / "storage").exists() or not any(
        (prefect_home / "storage").rglob("*")
    ), "a result was persisted"

    # Nor does any log record or console line.
    captured = capfd.readouterr()
    assert every_log_line, "no log lines were captured"
    assert any("R-PRIVACY-0001" in line for line in every_log_line)
    assert [line for line in every_log_line if MARKER in line] == []
    assert MARKER not in captured.out and MARKER not in captured.err
