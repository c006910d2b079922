"""Retention and erasure: raw text goes some days after a report closes; a leaving member's too.

* :func:`purge_closed` drops the raw report, the reporter's identifiers, the review (removed
  values), the first draft, caseworker notes, edit diffs and differing intake copies of every
  report closed (rejected, released or withdrawn) more than ``MUGS_RETENTION_DAYS`` days ago.
  The sanitised release, the approved final texts and the plain metadata stay.
* :func:`erase_member` deletes a member's roster entry; their reports that were never released
  are deleted outright, and their released reports keep only the approved final texts and
  metadata.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field

from pipeline.store import Store, utc_now

logger = logging.getLogger(__name__)

PURGED_ON_CLOSE = ("raw", "reporter", "review", "draft", "note")
"""Sealed report values dropped by the retention purge (release and member stay)."""

ERASED_FROM_RELEASED = ("raw", "reporter", "member", "review", "draft", "note", "release")
"""Sealed report values dropped from a released report when its member is erased."""


def purge_closed(
    store: Store,
    *,
    days: int | None = None,
    now: dt.datetime | None = None,
    actor: str = "retention",
) -> list[str]:
    """Purge the raw text of reports closed more than *days* ago; return their ids."""
    days = store.settings.retention_days if days is None else days
    now = now or utc_now()
    cutoff = now - dt.timedelta(days=days)
    with store.begin() as connection:
        due = store.report_ids(connection, closed_before=cutoff, unpurged=True)
    purged: list[str] = []
    for report_id in due:
        with store.begin() as connection:
            report = store.get_report(connection, report_id)
            store.update_report(
                connection,
                report_id,
                report.version,
                {"purged_at": now},
                dict.fromkeys(PURGED_ON_CLOSE),
            )
            store.delete_edits(connection, report_id)
            store.delete_intake_conflicts(connection, report_id)
            store.append_audit(
                connection,
                actor=actor,
                action="purge",
                report_id=report_id,
                details={"state": report.state, "retention_days": days},
            )
        purged.append(report_id)
    logger.info("purged raw text of %d report(s) closed before %s", len(purged), cutoff.date())
    return purged


@dataclass(slots=True)
class Erasure:
    """What :func:`erase_member` removed."""

    member_found: bool
    deleted_reports: list[str] = field(default_factory=list)
    reduced_reports: list[str] = field(default_factory=list)


def erase_member(store: Store, member_id: str, *, actor: str = "erasure") -> Erasure:
    """Erase a member: roster entry, unreleased reports, all but the released text of the rest."""
    ref = store.member_ref(member_id)
    with store.begin() as connection:
        erasure = Erasure(member_found=store.delete_member(connection, ref))
        for report_id in store.report_ids(connection, member_ref=ref):
            report = store.get_report(connection, report_id)
            if report.released_at is None:
                store.delete_report(connection, report_id)
                erasure.deleted_reports.append(report_id)
                kept = "nothing"
            else:
                store.update_report(
                    connection,
                    report_id,
                    report.version,
                    {"member_ref": None, "purged_at": report.purged_at or utc_now()},
                    dict.fromkeys(ERASED_FROM_RELEASED),
                )
                store.delete_edits(connection, report_id)
                store.delete_intake_conflicts(connection, report_id)
                erasure.reduced_reports.append(report_id)
                kept = "approved outputs"
            store.append_audit(
                connection,
                actor=actor,
                action="erase_member",
                report_id=report_id,
                details={"kept": kept},
            )
        store.append_audit(
            connection,
            actor=actor,
            action="erase_member",
            report_id=None,
            details={
                "member_found": erasure.member_found,
                "reports_deleted": len(erasure.deleted_reports),
                "reports_reduced": len(erasure.reduced_reports),
            },
        )
    logger.info(
        "erased a member: %d report(s) deleted, %d reduced to released text",
        len(erasure.deleted_reports),
        len(erasure.reduced_reports),
    )
    return erasure
