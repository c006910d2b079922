"""The members' side of released alerts: the alert feed and the number checker.

Only released alerts are published here. ``released_alerts`` holds each alert as members see it
(headline, date, area, feed entry); ``checker_index`` holds each offender detail of its release in
canonical form (``pipeline.identifiers``). Nothing here can reach a report, its narrative or its
reporter. Withdrawing an alert deletes its rows; a caller that knows the store's states may also
pass ``still_released`` so an alert withdrawn by another process stops matching at once.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    Column,
    DateTime,
    Engine,
    Index,
    MetaData,
    String,
    Table,
    Text,
    delete,
    func,
    insert,
    or_,
    select,
)

from pipeline import identifiers
from pipeline.errors import MugsError

logger = logging.getLogger(__name__)

MIN_PARTIAL_PLATE = 3
"""A partial registration shorter than this would match too many alerts to mean anything."""

MAX_INPUT = 200

metadata = MetaData()

checker_index = Table(
    "checker_index",
    metadata,
    Column("report_id", String(64), nullable=False, index=True),
    Column("kind", String(10), nullable=False),  # phone, email, handle, plate
    Column("value", String(200), nullable=False),
    Column("headline", String(300), nullable=False),
    Column("incident_date", String(10)),
    Column("area", String(200)),
    Column("released_at", DateTime(timezone=True), nullable=False),
    Index("checker_index_lookup", "kind", "value"),
)


released_alerts = Table(
    "released_alerts",
    metadata,
    Column("report_id", String(64), primary_key=True),
    Column("headline", String(300), nullable=False),
    Column("incident_date", String(10)),
    Column("area", String(200), index=True),
    Column("police_force", String(100), index=True),
    Column("summary", Text),
    Column("feed_html", Text, nullable=False),
    Column("released_at", DateTime(timezone=True), nullable=False, index=True),
)


class CheckError(MugsError):
    """A value to check is empty, too long, or too short to be an identifier."""


class RateLimitError(MugsError):
    """A user made more checks than the limit allows; names the wait, never the values."""

    def __init__(self, retry_after: int) -> None:
        self.retry_after = retry_after
        super().__init__(f"too many checks: try again in {retry_after} seconds")


@dataclass(frozen=True, slots=True)
class Match:
    """A released alert that mentions the checked value: only what the alert itself shows."""

    report_id: str
    kind: str
    headline: str
    incident_date: str | None
    area: str | None
    released_at: dt.datetime

    def to_public(self) -> dict[str, Any]:
        """The match as a member sees it (no report id: the feed entry is enough)."""
        return {
            "kind": self.kind,
            "headline": self.headline,
            "incident_date": self.incident_date,
            "area": self.area,
            "released_on": self.released_at.date().isoformat(),
        }


def ensure_checker_tables(engine: Engine) -> None:
    """Create the index table if it is missing."""
    metadata.create_all(engine, checkfirst=True)


def _mapping(value: Any) -> Mapping[str, Any]:
    """*value* if it is a mapping, else an empty one (a blocked or malformed stored part)."""
    return value if isinstance(value, Mapping) else {}


def _texts(value: Any) -> list[str]:
    """The strings of a stored list (anything else in it, or a non-list, is ignored)."""
    return [item for item in value if isinstance(item, str)] if isinstance(value, list) else []


def _text_or_none(value: Any, limit: int | None = None) -> str | None:
    """A non-empty string cut to the column's *limit*, else None."""
    return value[:limit] if isinstance(value, str) and value else None


def offender_values(release: Mapping[str, Any]) -> set[tuple[str, str]]:
    """The canonical (kind, value) pairs of every offender detail an alert's release shows.

    Reads only well-formed details: offenders the release guard blocked (a ``{"blocked": …}``
    value instead of a list) show nothing, so they index nothing.
    """
    values: set[tuple[str, str]] = set()
    offenders = release.get("offenders")
    for offender in offenders if isinstance(offenders, list) else []:
        offender = _mapping(offender)
        for phone in _texts(offender.get("phones")):
            digits = identifiers.phone_digits(phone)
            if len(digits) >= 7:
                values.add(("phone", digits))
        for address in _texts(offender.get("emails")):
            values.add(("email", identifiers.email(address)))
        for username in _texts(offender.get("usernames")):
            values.add(("handle", identifiers.handle(username)))
        vehicles = offender.get("vehicles")
        for vehicle in vehicles if isinstance(vehicles, list) else []:
            plate_text = _text_or_none(_mapping(vehicle).get("registration")) or ""
            registration = identifiers.plate(plate_text)
            if registration:
                values.add(("plate", registration))
    return {(kind, value) for kind, value in values if value}


def publish_alert(
    engine: Engine, report_id: str, release: Mapping[str, Any], released_at: dt.datetime
) -> int:
    """Publish a released alert to the feed and index its offender details; the index row count.

    *release* is the approved release (its ``alert`` as approved); publishing again replaces the
    earlier rows, so it is safe to repeat. A part that is not what an approved alert holds (a
    blocked value, or a channel an older version stored as bare text) is read as missing, so one
    malformed alert can never stop the feed or the checker.

    The feed HTML is stored as it is and shown unescaped: it is only ever made by the autoescaped
    alert templates, at drafting or when a caseworker's edit rebuilds it
    (:mod:`pipeline.channels.alert_texts`); a caseworker cannot write HTML.
    """
    alert = _mapping(release.get("alert"))
    feed = _mapping(alert.get("feed"))
    incident = _mapping(release.get("incident"))
    headline = _text_or_none(alert.get("headline")) or _text_or_none(feed.get("title")) or "Alert"
    common = {
        "report_id": report_id,
        "headline": headline[:300],
        "incident_date": _text_or_none(incident.get("date"), 10),
        "area": _text_or_none(feed.get("area"), 200) or _text_or_none(incident.get("area"), 200),
        "released_at": released_at,
    }
    entry = {
        **common,
        "police_force": _text_or_none(feed.get("police_force"), 100)
        or _text_or_none(incident.get("police_force"), 100),
        "summary": _text_or_none(feed.get("summary")),
        "feed_html": _text_or_none(feed.get("html")) or "",
    }
    rows = [
        {**common, "kind": kind, "value": value[:200]}
        for kind, value in sorted(offender_values(release))
    ]
    with engine.begin() as connection:
        connection.execute(delete(checker_index).where(checker_index.c.report_id == report_id))
        connection.execute(delete(released_alerts).where(released_alerts.c.report_id == report_id))
        connection.execute(insert(released_alerts).values(**entry))
        if rows:
            connection.execute(insert(checker_index), rows)
    logger.info("published alert %s: %d checker value(s)", report_id, len(rows))
    return len(rows)


def withdraw_alert(engine: Engine, report_id: str) -> None:
    """Take an alert out of the feed and the checker."""
    with engine.begin() as connection:
        connection.execute(delete(checker_index).where(checker_index.c.report_id == report_id))
        connection.execute(delete(released_alerts).where(released_alerts.c.report_id == report_id))
    logger.info("withdrew alert %s from the feed and the checker", report_id)


def published_report_ids(engine: Engine) -> set[str]:
    """The ids of every published alert."""
    with engine.connect() as connection:
        return set(connection.execute(select(released_alerts.c.report_id)).scalars())


@dataclass(frozen=True, slots=True)
class FeedEntry:
    """A released alert as the members' feed shows it."""

    report_id: str
    headline: str
    incident_date: str | None
    area: str | None
    police_force: str | None
    summary: str | None
    feed_html: str
    released_at: dt.datetime


def feed_entries(
    engine: Engine, area: str | None = None, limit: int = 50, offset: int = 0
) -> list[FeedEntry]:
    """Released alerts, newest first; *area* matches the area or the police force, any case."""
    query = select(released_alerts).order_by(
        released_alerts.c.released_at.desc(), released_alerts.c.report_id
    )
    if area and area.strip():
        pattern = f"%{area.strip().lower()}%"
        query = query.where(
            or_(
                func.lower(released_alerts.c.area).like(pattern),
                func.lower(released_alerts.c.police_force).like(pattern),
            )
        )
    with engine.connect() as connection:
        rows = connection.execute(query.limit(limit).offset(offset)).all()
    return [
        FeedEntry(
            row.report_id,
            row.headline,
            row.incident_date,
            row.area,
            row.police_force,
            row.summary,
            row.feed_html,
            _aware(row.released_at),
        )
        for row in rows
    ]


def feed_areas(engine: Engine) -> list[str]:
    """Every area named by a released alert, for the feed's filter."""
    with engine.connect() as connection:
        rows = connection.execute(
            select(released_alerts.c.area).distinct().where(released_alerts.c.area.is_not(None))
        )
        return sorted({row[0] for row in rows if row[0]})


def _aware(moment: dt.datetime) -> dt.datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_PHONE_INPUT = re.compile(r"^[\d\s()+.\-]+$")


def interpretations(value: str) -> list[tuple[str, str, bool]]:
    """What *value* could be: (kind, canonical value, partial?) for every plausible reading."""
    text = value.strip()
    if not text:
        raise CheckError("nothing to check: enter a phone number, email, username or registration")
    if len(text) > MAX_INPUT:
        raise CheckError(f"the value is longer than {MAX_INPUT} characters")
    found: list[tuple[str, str, bool]] = []
    address = identifiers.email(text)
    if _EMAIL.match(address):
        found.append(("email", address, False))
        found.append(("handle", address.split("@", 1)[0], False))
        return found
    if _PHONE_INPUT.match(text):
        digits = identifiers.phone_digits(text)
        if len(digits) >= 10:
            return [("phone", digits, False)]
    handle = identifiers.handle(text)
    if handle and " " not in handle:
        found.append(("handle", handle, False))
    registration = identifiers.plate(text)
    looks_like_plate = 2 <= len(registration) <= 8 and re.search(r"[A-Z]", registration)
    if looks_like_plate and not text.startswith("@"):
        partial = len(registration) >= MIN_PARTIAL_PLATE
        found.append(("plate", registration, partial))
    if not found:
        raise CheckError("that is not a phone number, email, username or registration")
    return found


def check_value(
    engine: Engine,
    value: str,
    still_released: Callable[[Iterable[str]], set[str]] | None = None,
    limit: int = 50,
) -> list[Match]:
    """Released alerts that name *value*, newest first (at most *limit*)."""
    columns = (
        checker_index.c.report_id,
        checker_index.c.kind,
        checker_index.c.headline,
        checker_index.c.incident_date,
        checker_index.c.area,
        checker_index.c.released_at,
    )
    matches: dict[str, Match] = {}
    with engine.connect() as connection:
        for kind, canonical, partial in interpretations(value):
            query = select(*columns).where(checker_index.c.kind == kind)
            if partial:
                query = query.where(checker_index.c.value.contains(canonical, autoescape=True))
            else:
                query = query.where(checker_index.c.value == canonical)
            for row in connection.execute(query.limit(limit)):
                matches.setdefault(
                    row.report_id,
                    Match(
                        row.report_id,
                        row.kind,
                        row.headline,
                        row.incident_date,
                        row.area,
                        _aware(row.released_at),
                    ),
                )
    if still_released is not None and matches:
        live = still_released(list(matches))
        matches = {report_id: m for report_id, m in matches.items() if report_id in live}
    ordered = sorted(matches.values(), key=lambda m: m.released_at, reverse=True)
    logger.info("checker lookup: %d match(es)", len(ordered))
    return ordered[:limit]


class CheckLimiter:
    """At most *limit* checks per user in any *window* seconds (kept in memory, per process)."""

    def __init__(
        self, limit: int = 30, window: float = 300.0, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.limit = limit
        self.window = window
        self._clock = clock
        self._seen: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def allow(self, user: str) -> None:
        """Count one check for *user*, or raise :class:`RateLimitError` when over the limit."""
        now = self._clock()
        with self._lock:
            times = self._seen.setdefault(user, deque())
            while times and now - times[0] >= self.window:
                times.popleft()
            if len(times) >= self.limit:
                raise RateLimitError(max(1, int(self.window - (now - times[0])) + 1))
            times.append(now)
