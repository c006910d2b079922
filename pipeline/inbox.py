"""The inbox folder the sanitise flow reads: ``.json`` and ``.jsonl`` files of reports.

Each file's reports are stored (sealed) with :func:`pipeline.review.store_received`, which is
idempotent by report id; then the file moves to ``done/`` under the inbox. A report that does not
parse is refused on its own: its error (file, line, report id, field, problem: never report text)
goes to ``done/<file>.errors.json`` and to the audit trail, and the file's other reports are still
stored; a file the reader cannot get through is moved the same way, never left to block later runs.
A crash between storing and moving is harmless: the next run stores the same ids again as
no-ops and moves the file. The files in ``done/`` still hold raw report text (unencrypted, as they
arrived), so the retention flow deletes them after a few days (:func:`purge_done`).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.errors import IntakeError
from pipeline.intake import ReceivedReport, read_path
from pipeline.review import IngestOutcome, store_received
from pipeline.store import Store

logger = logging.getLogger(__name__)

DONE = "done"
SUFFIXES = (".json", ".jsonl")
INTAKE_ACTOR = "sanitise flow"


@dataclass(slots=True)
class InboxFile:
    """What reading one inbox file did: counts and ids only."""

    name: str
    stored: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)
    refused: int = 0
    moved_to: str | None = None

    def counts(self) -> dict[str, int]:
        """The outcome as counts (what the flow logs and returns)."""
        return {
            "stored": len(self.stored),
            "duplicate": len(self.duplicates),
            "conflict": len(self.conflicts),
            "refused": self.refused,
        }


def inbox_files(inbox: Path) -> list[Path]:
    """The ``.json`` and ``.jsonl`` files waiting in *inbox* (not in ``done/``), by name."""
    if not inbox.is_dir():
        return []
    return sorted(
        p
        for p in inbox.iterdir()
        if p.is_file() and p.suffix in SUFFIXES and not p.name.startswith(".")
    )


def _free_name(directory: Path, name: str) -> Path:
    """*name* in *directory*, or with a timestamp added if a file of that name is there already."""
    target = directory / name
    if not target.exists():
        return target
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%fZ")
    return directory / f"{Path(name).stem}.{stamp}{Path(name).suffix}"


def _record_errors(store: Store, target: Path, errors: list[IntakeError]) -> None:
    path = target.with_name(target.name + ".errors.json")
    path.write_text(json.dumps([e.to_dict() for e in errors], indent=2) + "\n", encoding="utf-8")
    with store.begin() as connection:
        for error in errors:
            store.append_audit(
                connection,
                actor=INTAKE_ACTOR,
                action="intake_refused",
                report_id=error.report_id,
                details={"file": target.name, "line": error.line, "field": error.field},
            )


def _read_inbox_file(path: Path) -> Iterator[ReceivedReport | IntakeError]:
    """The reports and errors in *path*; a crash of the reader itself ends the file as an error.

    A file that the reader cannot get through must not stay in the inbox: every later run would
    fail on it again. The rest of the file is not read; its error is recorded like any bad line.
    """
    reader = read_path(path)
    while True:
        try:
            item = next(reader)
        except StopIteration:
            return
        except (RecursionError, MemoryError, ValueError) as exc:
            logger.warning("inbox file %s: reader failed (%s)", path.name, type(exc).__name__)
            yield IntakeError(
                f"could not be read to the end ({type(exc).__name__}); the reports after the "
                "last one counted were not read",
                source=str(path),
            )
            return
        yield item


def ingest_file(store: Store, path: Path) -> InboxFile:
    """Store every good report in *path*, record the bad ones' errors, move it to ``done/``."""
    outcome = InboxFile(path.name)
    errors: list[IntakeError] = []
    for item in _read_inbox_file(path):
        if isinstance(item, IntakeError):
            errors.append(item)
            continue
        result = store_received(store, item, actor=INTAKE_ACTOR)
        {
            IngestOutcome.STORED: outcome.stored,
            IngestOutcome.DUPLICATE: outcome.duplicates,
            IngestOutcome.CONFLICT: outcome.conflicts,
        }[result].append(item.report_id)
    outcome.refused = len(errors)
    done = path.parent / DONE
    done.mkdir(mode=0o700, exist_ok=True)
    target = _free_name(done, path.name)
    if errors:
        _record_errors(store, target, errors)
    try:
        os.replace(path, target)
    except FileNotFoundError:
        # Another sanitise run moved it first; its reports were stored either way.
        logger.info("inbox file %s: already moved by another run", path.name)
    else:
        outcome.moved_to = str(target)
    logger.info("inbox file %s: %s", path.name, outcome.counts())
    return outcome


def purge_done(inbox: Path, keep: dt.timedelta, now: dt.datetime | None = None) -> int:
    """Delete files in ``done/`` (raw reports, their error lists) older than *keep*; count them."""
    done = inbox / DONE
    if not done.is_dir():
        return 0
    cutoff = (now or dt.datetime.now(dt.UTC)).timestamp() - keep.total_seconds()
    removed = 0
    for path in done.iterdir():
        if path.is_file() and path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)
            removed += 1
    logger.info("inbox done/: %d file(s) older than %s deleted", removed, keep)
    return removed
