"""What the caseworkers' pages read from the store: the queue, a report's review, published alerts.

The queue reads plain columns only (no sealed value is opened for a list). The review view opens
one report's raw text, draft and review, for a caseworker only. Released alerts are copied into the
members' feed and checker (``pipeline.checker``) by :func:`sync_published`, which the app runs at
start and every few seconds, so alerts released by the flows in another process appear and withdrawn
ones disappear.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import case, func, select

from pipeline.checker import publish_alert, published_report_ids, withdraw_alert
from pipeline.review import State, received_report, report_view
from pipeline.review_edits import finding_key
from pipeline.store import Store, as_utc, report_types, reports, utc_now

logger = logging.getLogger(__name__)

SEVERITY: dict[str, int] = {
    "rape": 0, "kidnap": 0, "sexual_assault": 0,
    "attempted_sexual_assault": 1, "physical_assault": 1, "robbery": 1, "condom_removal": 1,
    "stalking": 2, "threats": 2, "blackmail": 2, "attempted_assault": 2, "harassment": 2,
    "hate_incident": 2, "outing": 2,
    "theft": 3, "fraud": 3, "non_payment": 3,
}
"""Rank of each incident type in the queue: 0 is reviewed first; unlisted types rank 4."""

WAITING_STATES = (State.IN_REVIEW, State.NEEDS_INFORMATION)


@dataclass(frozen=True, slots=True)
class QueueRow:
    """One draft waiting for a caseworker: metadata only."""

    report_id: str
    state: str
    incident_types: tuple[str, ...]
    severity: int
    completeness_alert: float | None
    completeness_intelligence: float | None
    flagged_count: int | None
    blocked_count: int | None
    received_at: dt.datetime
    police_force: str | None

    def age_text(self, now: dt.datetime | None = None) -> str:
        """'3 d 4 h', '5 h 2 min' or '12 min'."""
        seconds = int(((now or utc_now()) - self.received_at).total_seconds())
        days, rest = divmod(max(seconds, 0), 86400)
        hours, rest = divmod(rest, 3600)
        if days:
            return f"{days} d {hours} h"
        if hours:
            return f"{hours} h {rest // 60} min"
        return f"{rest // 60} min"


def severity(incident_types: Iterable[str]) -> int:
    """The report's rank: that of its most severe incident type."""
    return min((SEVERITY.get(kind, 4) for kind in incident_types), default=4)


@dataclass(frozen=True, slots=True)
class QueuePage:
    """One page of the queue, and how many drafts wait in all."""

    rows: list[QueueRow]
    total: int
    offset: int
    limit: int

    @property
    def next_offset(self) -> int | None:
        """Where the next page starts, if there is one."""
        return self.offset + self.limit if self.offset + self.limit < self.total else None

    @property
    def previous_offset(self) -> int | None:
        """Where the previous page starts, if there is one."""
        return max(self.offset - self.limit, 0) if self.offset else None


def _severity_column() -> Any:
    """Per report, the rank of its most severe incident type (SQL, so the database can sort)."""
    ranked = case(
        *((report_types.c.incident_type == kind, rank) for kind, rank in SEVERITY.items()),
        else_=4,
    )
    return (
        select(report_types.c.report_id, func.min(ranked).label("severity"))
        .group_by(report_types.c.report_id)
        .subquery("severities")
    )


def waiting_queue(store: Store, limit: int = 200, offset: int = 0) -> QueuePage:
    """Drafts waiting, most severe first, then oldest first: one page of *limit* from *offset*.

    The database sorts and pages, so a backlog of thousands costs one page's rows.
    """
    severities = _severity_column()
    severity_rank = func.coalesce(severities.c.severity, 4).label("severity")
    states = [str(s) for s in WAITING_STATES]
    waiting = reports.c.state.in_(states)
    ranked = reports.outerjoin(severities, severities.c.report_id == reports.c.report_id)
    with store.begin() as connection:
        total = connection.execute(select(func.count()).select_from(reports).where(waiting))
        total_count = int(total.scalar_one())
        rows = connection.execute(
            select(
                reports.c.report_id, reports.c.state, reports.c.completeness_alert,
                reports.c.completeness_intelligence, reports.c.flagged_count,
                reports.c.blocked_count, reports.c.received_at, reports.c.police_force,
                severity_rank,
            )
            .select_from(ranked)
            .where(waiting)
            .order_by(severity_rank, reports.c.received_at, reports.c.report_id)
            .limit(limit)
            .offset(offset)
        ).all()
        types: dict[str, list[str]] = {}
        for report_id, kind in connection.execute(
            select(report_types.c.report_id, report_types.c.incident_type).where(
                report_types.c.report_id.in_([row.report_id for row in rows])
            )
        ):
            types.setdefault(report_id, []).append(kind)
    queue = [
        QueueRow(row.report_id, row.state, tuple(sorted(types.get(row.report_id, ()))),
                 row.severity, row.completeness_alert, row.completeness_intelligence,
                 row.flagged_count, row.blocked_count, as_utc(row.received_at) or utc_now(),
                 row.police_force)
        for row in rows
    ]
    return QueuePage(queue, total_count, offset, limit)


@dataclass(frozen=True, slots=True)
class Segment:
    """A piece of a report field: plain text, or a finding's text with its finding."""

    text: str
    finding: Mapping[str, Any] | None = None


def segments(text: str, findings: Sequence[Mapping[str, Any]], field: str) -> list[Segment]:
    """*text* cut into plain pieces and highlighted findings (the outermost of overlapping ones)."""
    pieces: list[Segment] = []
    cursor = 0
    ordered = sorted((f for f in findings if f["field"] == field),
                     key=lambda f: (int(f["start"]), -int(f["end"])))
    for finding in ordered:
        start, end = int(finding["start"]), int(finding["end"])
        if start < cursor or end > len(text):
            continue  # nested in, or overlapping, a finding already highlighted
        if start > cursor:
            pieces.append(Segment(text[cursor:start]))
        pieces.append(Segment(text[start:end], finding))
        cursor = end
    if cursor < len(text):
        pieces.append(Segment(text[cursor:]))
    return pieces


def review_page_data(store: Store, report_id: str) -> dict[str, Any]:
    """Everything the review page shows: raw report (caseworker only), draft, findings, trail."""
    view = report_view(store, report_id)
    review = view.get("review") or {}
    findings = [dict(f, key=finding_key(f)) for f in review.get("findings") or []]
    policy = {finding_key(f): f["action"] for f in review.get("policy_findings") or []}
    for finding in findings:
        finding["policy_action"] = policy.get(finding["key"], finding["action"])
    with store.begin() as connection:
        stored = store.get_report(connection, report_id)
    report = None if view["purged"] else received_report(store, stored).report
    fields: list[dict[str, Any]] = []
    if report is not None:
        texts = [("narrative", "Narrative", report.narrative),
                 ("incident.location_detail", "Location detail", report.incident.location_detail),
                 ("incident.area", "Area", report.incident.area)]
        for number, offender in enumerate(report.offenders):
            texts.append((f"offenders[{number}].description", f"Offender {number + 1} description",
                          offender.description))
        fields = [{"field": field, "label": label, "segments": segments(text, findings, field)}
                  for field, label, text in texts if text]
    return {"view": view, "report": report, "findings": findings, "fields": fields,
            "decisions": review.get("decisions") or {}}


def released_now(store: Store, report_ids: Iterable[str]) -> set[str]:
    """Which of *report_ids* are released (and not withdrawn) in the store right now."""
    wanted = list(report_ids)
    if not wanted:
        return set()
    with store.begin() as connection:
        rows = connection.execute(select(reports.c.report_id).where(
            reports.c.report_id.in_(wanted), reports.c.state == str(State.RELEASED)))
        return {row[0] for row in rows}


def _publish_released(store: Store, report_id: str, released_at: dt.datetime) -> bool:
    """Copy one released alert into the feed and the checker; False if it has no alert."""
    with store.begin() as connection:
        report = store.get_report(connection, report_id)
        approved = {row.part: row.final for row in store.approvals_of(connection, report_id)}
    if "alert" not in approved:
        return False  # only an intelligence record was approved: nothing for members
    opened = store.open_report(report, "release")
    release = dict(opened) if isinstance(opened, dict) else {}
    release["alert"] = approved["alert"]
    publish_alert(store.engine, report_id, release, released_at)
    return True


def sync_published(store: Store, failed: set[str] | None = None) -> tuple[int, int]:
    """Publish newly released alerts and withdraw the rest; (published, withdrawn) counts.

    One alert that cannot be published never stops the others, the app or the checker: it is
    skipped, logged by report id and exception type only (never its text), and added to *failed*,
    whose reports are not tried again (pass the same set to later syncs).
    """
    failed = set() if failed is None else failed
    with store.begin() as connection:
        released = {row[0]: as_utc(row[1]) for row in connection.execute(
            select(reports.c.report_id, reports.c.released_at)
            .where(reports.c.state == str(State.RELEASED)))}
    published = published_report_ids(store.engine)
    added = 0
    for report_id in sorted(set(released) - published - failed):
        try:
            added += _publish_released(store, report_id, released[report_id] or utc_now())
        except Exception as error:  # noqa: BLE001 - one bad stored alert must not stop the rest
            failed.add(report_id)
            logger.error("feed sync: report %s not published (%s); it is skipped",
                         report_id, type(error).__name__)
    gone = published - set(released)
    for report_id in sorted(gone):
        withdraw_alert(store.engine, report_id)
    if added or gone:
        logger.info("feed sync: %d published, %d withdrawn", added, len(gone))
    return added, len(gone)


class PublishedSync:
    """Run :func:`sync_published` at most once every *interval* seconds."""

    def __init__(self, store: Store, interval: float = 5.0) -> None:
        self.store = store
        self.interval = interval
        self.failed: set[str] = set()
        """Released reports this process could not publish (logged once, not retried)."""
        self._last = float("-inf")
        self._lock = threading.Lock()

    def maybe_sync(self) -> None:
        """Sync if the last sync is older than the interval."""
        with self._lock:
            if time.monotonic() - self._last < self.interval:
                return
            self._last = time.monotonic()
        sync_published(self.store, self.failed)

    def now(self) -> None:
        """Sync at once (after an action on this server that changes what is released)."""
        with self._lock:
            self._last = time.monotonic()
        sync_published(self.store, self.failed)
