"""Release approved reports: the outbox of deliveries, and sending each one exactly once.

Every delivery (one report to one member by one channel, one report to the website feed, one
intelligence record to the SCAS export) is a row of ``outbox`` with a unique key: a hash of report
id, channel and recipient (a member's lookup reference, ``website`` or ``scas``). Rows are written
``pending`` for every subscriber *before* anything is sent; a sender first claims the row for a
short lease (so two release runs never send the same row at once), sends, then marks it ``sent``.
A crash leaves the row ``pending`` and the next run retries it once the lease runs out; the key goes
with the message (SMS reference, email Message-ID) so a gateway can drop a copy resent after a
crash between sending and marking. A report becomes ``released`` only when none of its rows is
pending. When a released alert is withdrawn, every member it was sent to gets one withdrawal
notice by the same channel (rows of their own). Rows hold ids, states and error kinds, never text.

The table lives in its own ``MetaData`` on the store's engine (as :mod:`pipeline.users` does),
created on first use beside the store's migrated tables.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import os
import tempfile
import weakref
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from sqlalchemy import (
    Column,
    Connection,
    DateTime,
    Engine,
    Integer,
    MetaData,
    String,
    Table,
    UniqueConstraint,
    and_,
    insert,
    or_,
    select,
    update,
)
from sqlalchemy.exc import IntegrityError

from pipeline.channels import DeliveryError
from pipeline.channels.feed import FeedEntry, feed_site, feed_templates, publish_feed
from pipeline.channels.mail import send_email, smtp_settings
from pipeline.channels.sms import send_sms, sms_gateway_settings
from pipeline.errors import MugsError, WrongState
from pipeline.members import Member, list_members, member_by_ref, subscribers
from pipeline.review import (
    PartState,
    State,
    approved_outputs,
    check_actor,
    check_version,
    mark_released,
    transition_for,
)
from pipeline.store import Store, as_utc, utc_now

logger = logging.getLogger(__name__)

WEBSITE = "website"
SCAS = "scas"
RELEASE_ACTOR = "release flow"
DEFAULT_LEASE = dt.timedelta(minutes=10)
"""How long a claimed row is left alone before another run may retry it (a crashed sender)."""

outbox_metadata = MetaData()

outbox = Table(
    "outbox",
    outbox_metadata,
    Column("delivery_key", String(64), primary_key=True),
    Column("report_id", String(64), nullable=False, index=True),
    Column("channel", String(16), nullable=False),
    Column("recipient", String(64), nullable=False),
    Column("status", String(16), nullable=False, index=True),
    Column("attempts", Integer, nullable=False, default=0),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("claimed_until", DateTime(timezone=True)),
    Column("sent_at", DateTime(timezone=True)),
    Column("last_error", String(300)),
    Column("detail", String(200)),
    UniqueConstraint("report_id", "channel", "recipient", name="uq_outbox_delivery"),
)


class Status(StrEnum):
    """Where one delivery is."""

    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"
    """A permanent refusal (bad number, refused address): retrying cannot help; staff must look."""
    CANCELLED = "cancelled"
    """The member left (or dropped that channel) before it was sent."""


class Channel(StrEnum):
    """How a delivery leaves."""

    EMAIL = "email"
    SMS = "sms"
    FEED = "feed"
    SCAS = "scas"
    EMAIL_WITHDRAWAL = "email_withdrawal"
    """The notice that an alert a member was sent by email has been withdrawn."""
    SMS_WITHDRAWAL = "sms_withdrawal"


MEMBER_CHANNELS = (Channel.EMAIL, Channel.SMS, Channel.EMAIL_WITHDRAWAL, Channel.SMS_WITHDRAWAL)
WITHDRAWAL_OF = {Channel.EMAIL: Channel.EMAIL_WITHDRAWAL, Channel.SMS: Channel.SMS_WITHDRAWAL}


TERMINAL = (Status.SENT, Status.FAILED, Status.CANCELLED)


@dataclass(frozen=True, slots=True)
class Delivery:
    """One outbox row."""

    delivery_key: str
    report_id: str
    channel: str
    recipient: str
    status: str
    attempts: int
    sent_at: dt.datetime | None
    last_error: str | None
    detail: str | None


_ensured: weakref.WeakSet[Engine] = weakref.WeakSet()


def ensure_outbox_table(engine: Engine) -> None:
    """Create the outbox table if this database does not have it yet (checked once per engine)."""
    if engine in _ensured:
        return
    outbox_metadata.create_all(engine, checkfirst=True)
    _ensured.add(engine)


def delivery_key(report_id: str, channel: str, recipient: str) -> str:
    """The unique key of a new delivery: it names no one (recipients are already hashes).

    The key is made once, when the row is planned, and then stays: a key rotation rewrites a row's
    recipient (the member's lookup hash changes with the key) but not its key, which may already
    have travelled with a message. Rows are therefore matched by (report, channel, recipient),
    never by recomputing the key.
    """
    text = f"outbox\x00{report_id}\x00{channel}\x00{recipient}"
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def _delivery(row: Any) -> Delivery:
    return Delivery(
        row.delivery_key,
        row.report_id,
        row.channel,
        row.recipient,
        row.status,
        row.attempts,
        as_utc(row.sent_at),
        row.last_error,
        row.detail,
    )


def deliveries(store: Store, report_id: str | None = None) -> list[Delivery]:
    """Every outbox row (or one report's), in a stable order."""
    ensure_outbox_table(store.engine)
    query = select(outbox).order_by(outbox.c.report_id, outbox.c.channel, outbox.c.recipient)
    if report_id is not None:
        query = query.where(outbox.c.report_id == report_id)
    with store.begin() as connection:
        return [_delivery(row) for row in connection.execute(query)]


def releasable_reports(store: Store) -> list[str]:
    """Ids of approved reports not yet released, oldest first."""
    with store.begin() as connection:
        return store.report_ids(connection, state=str(State.APPROVED))


def wanted_deliveries(
    report_id: str,
    alert_approved: bool,
    intelligence_approved: bool,
    police_force: str | None,
    roster: Sequence[Member],
) -> list[tuple[str, str]]:
    """(channel, recipient) for every delivery an approved report needs."""
    wanted: list[tuple[str, str]] = []
    if alert_approved:
        wanted.append((Channel.FEED, WEBSITE))
        for member in subscribers(roster, police_force):
            wanted.extend((channel, member.member_ref) for channel in member.channels)
    if intelligence_approved:
        wanted.append((Channel.SCAS, SCAS))
    return [(str(channel), recipient) for channel, recipient in wanted]


def plan_release(store: Store, report_id: str, roster: Sequence[Member] | None = None) -> int:
    """Write a pending outbox row for every delivery the report needs; return how many are new."""
    ensure_outbox_table(store.engine)
    roster = list_members(store) if roster is None else roster
    with store.begin() as connection:
        report = store.get_report(connection, report_id)
    if report.state != State.APPROVED:
        raise WrongState(
            f"report {report_id}: only an approved report is released (it is {report.state})"
        )
    wanted = wanted_deliveries(
        report_id,
        report.alert_state == PartState.APPROVED,
        report.intelligence_state == PartState.APPROVED,
        report.police_force,
        roster,
    )
    now = utc_now()
    new = 0
    with store.begin() as connection:
        existing = {
            (row.channel, row.recipient)
            for row in connection.execute(
                select(outbox.c.channel, outbox.c.recipient).where(outbox.c.report_id == report_id)
            )
        }
        for channel, recipient in wanted:
            if (channel, recipient) in existing:
                continue
            connection.execute(
                insert(outbox).values(
                    delivery_key=delivery_key(report_id, channel, recipient),
                    report_id=report_id,
                    channel=channel,
                    recipient=recipient,
                    status=str(Status.PENDING),
                    attempts=0,
                    created_at=now,
                )
            )
            new += 1
    logger.info("report %s: %d deliveries planned (%d new)", report_id, len(wanted), new)
    return new


def plan_release_safely(
    store: Store, report_id: str, roster: Sequence[Member] | None = None
) -> int:
    """:func:`plan_release`, tolerating another run planning the same report at the same time."""
    try:
        return plan_release(store, report_id, roster)
    except IntegrityError:
        return plan_release(store, report_id, roster)


def plan_withdrawals(store: Store) -> int:
    """Write a pending withdrawal notice for every member sent an alert that is now withdrawn."""
    ensure_outbox_table(store.engine)
    with store.begin() as connection:
        withdrawn = store.report_ids(connection, state=str(State.WITHDRAWN))
        if not withdrawn:
            return 0
        rows = connection.execute(select(outbox).where(outbox.c.report_id.in_(withdrawn))).all()
        existing = {(row.report_id, row.channel, row.recipient) for row in rows}
        now = utc_now()
        new = 0
        for row in rows:
            notice = WITHDRAWAL_OF.get(Channel(row.channel))
            if notice is None or row.status != Status.SENT:
                continue
            planned = (row.report_id, str(notice), row.recipient)
            if planned in existing:
                continue
            connection.execute(
                insert(outbox).values(
                    delivery_key=delivery_key(*planned),
                    report_id=row.report_id,
                    channel=str(notice),
                    recipient=row.recipient,
                    status=str(Status.PENDING),
                    attempts=0,
                    created_at=now,
                )
            )
            existing.add(planned)
            new += 1
    logger.info("withdrawal notices planned: %d", new)
    return new


def rename_recipients(connection: Connection, renamed: Mapping[str, str]) -> int:
    """Point every row of a member at their new lookup hash (*renamed*: old → new); count rows.

    Key rotation changes every member's lookup hash and calls this in its own transaction, so a
    pending send or withdrawal notice still finds its member, and planning again still sees what
    each member was already sent. Delivery keys stay as they were (see :func:`delivery_key`).
    """
    changed = 0
    for old, new in renamed.items():
        if old == new:
            continue
        result = connection.execute(
            update(outbox).where(outbox.c.recipient == old).values(recipient=new)
        )
        changed += result.rowcount
    return changed


def pending_keys(
    store: Store, channels: Sequence[str] | None = None, report_id: str | None = None
) -> list[str]:
    """Keys of every pending delivery (optionally only some channels, one report), oldest first."""
    ensure_outbox_table(store.engine)
    query = (
        select(outbox.c.delivery_key)
        .where(outbox.c.status == str(Status.PENDING))
        .order_by(outbox.c.created_at, outbox.c.delivery_key)
    )
    if channels:
        query = query.where(outbox.c.channel.in_(list(channels)))
    if report_id is not None:
        query = query.where(outbox.c.report_id == report_id)
    with store.begin() as connection:
        return list(connection.execute(query).scalars())


def claim(store: Store, key: str, lease: dt.timedelta = DEFAULT_LEASE) -> Delivery | None:
    """Take a pending row for *lease*; None if it is not pending or another run holds it."""
    now = utc_now()
    with store.begin() as connection:
        result = connection.execute(
            update(outbox)
            .where(
                outbox.c.delivery_key == key,
                outbox.c.status == str(Status.PENDING),
                or_(outbox.c.claimed_until.is_(None), outbox.c.claimed_until < now),
            )
            .values(claimed_until=now + lease, attempts=outbox.c.attempts + 1)
        )
        if result.rowcount != 1:
            return None
        row = connection.execute(select(outbox).where(outbox.c.delivery_key == key)).one()
        return _delivery(row)


def _finish(
    store: Store, key: str, status: Status, *, error: str | None = None, detail: str | None = None
) -> None:
    values: dict[str, Any] = {"status": str(status), "claimed_until": None, "last_error": error}
    if status == Status.SENT:
        values["sent_at"] = utc_now()
    if detail is not None:
        values["detail"] = detail
    with store.begin() as connection:
        connection.execute(update(outbox).where(outbox.c.delivery_key == key).values(**values))


def _release_claim(store: Store, key: str, error: str) -> None:
    """Give a claimed row back as pending (a transient failure) so the next try can take it."""
    with store.begin() as connection:
        connection.execute(
            update(outbox)
            .where(outbox.c.delivery_key == key)
            .values(claimed_until=None, last_error=error[:300])
        )


def withdrawal_notice(alert: dict[str, Any]) -> dict[str, str]:
    """The withdrawal notice of an approved alert: email subject and text, and SMS text."""
    from pipeline.drafting import load_drafting_config

    wording = load_drafting_config().alert
    context = {
        "scheme_name": wording.scheme_name,
        "sms_prefix": wording.sms_prefix,
        "headline": alert.get("headline") or "",
    }
    templates = feed_templates()
    return {
        "subject": f"{wording.scheme_name}: alert withdrawn: {context['headline']}",
        "text": templates.get_template("withdrawal_email.txt.j2").render(**context),
        "sms": templates.get_template("withdrawal_sms.txt.j2").render(**context).strip(),
    }


def _approved_channel(
    alert: dict[str, Any], channel: str, texts: Sequence[str], delivery: Delivery
) -> dict[str, Any]:
    """The approved alert's *channel*, or a permanent failure if it is not one that can be sent.

    Approval only passes whole channels; this catches one stored by an older version (e.g. a
    channel an edit replaced by a bare string), which retrying could never send.
    """
    value = alert.get(channel)
    if not isinstance(value, dict) or not all(isinstance(value.get(t), str) for t in texts):
        raise DeliveryError(
            delivery.channel,
            delivery.delivery_key,
            f"the approved alert has no {channel} that can be sent",
            permanent=True,
        )
    return value


def _send_to_member(store: Store, delivery: Delivery) -> Status:
    base = {Channel.EMAIL_WITHDRAWAL: Channel.EMAIL, Channel.SMS_WITHDRAWAL: Channel.SMS}.get(
        Channel(delivery.channel), delivery.channel
    )
    member = member_by_ref(store, delivery.recipient)
    address = member.address_for(base) if member else None
    if member is None or address is None or base not in member.channels:
        return Status.CANCELLED
    alert = approved_outputs(store, delivery.report_id).get("alert")
    if not isinstance(alert, dict):
        raise DeliveryError(
            delivery.channel,
            delivery.delivery_key,
            "the report has no approved alert",
            permanent=True,
        )
    key = delivery.delivery_key
    if delivery.channel == Channel.EMAIL:
        email = _approved_channel(alert, "email", ("subject", "text"), delivery)
        html = email.get("html") if isinstance(email.get("html"), str) else None
        send_email(smtp_settings(), address, email["subject"], email["text"], html, key)
    elif delivery.channel == Channel.SMS:
        sms = _approved_channel(alert, "sms", ("text",), delivery)
        send_sms(sms_gateway_settings(), address, sms["text"], key)
    elif delivery.channel == Channel.EMAIL_WITHDRAWAL:
        notice = withdrawal_notice(alert)
        send_email(smtp_settings(), address, notice["subject"], notice["text"], None, key)
    else:
        send_sms(sms_gateway_settings(), address, withdrawal_notice(alert)["sms"], key)
    return Status.SENT


def deliver(store: Store, key: str, lease: dt.timedelta = DEFAULT_LEASE) -> str:
    """Send one email or SMS delivery; return its new status, or ``skipped`` if not claimable.

    A transient failure gives the row back as pending and raises :class:`DeliveryError` (the flow
    retries it); a permanent one marks it ``failed``.
    """
    delivery = claim(store, key, lease)
    if delivery is None:
        return "skipped"
    if delivery.channel not in MEMBER_CHANNELS:
        _release_claim(store, key, "")
        raise MugsError(f"delivery {key}: channel {delivery.channel} is sent in batches")
    try:
        status = _send_to_member(store, delivery)
    except DeliveryError as error:
        if error.permanent:
            _finish(store, key, Status.FAILED, error=str(error)[:300])
            logger.warning(
                "delivery %s (report %s, %s) failed for good: %s",
                key,
                delivery.report_id,
                delivery.channel,
                error.problem,
            )
            return str(Status.FAILED)
        _release_claim(store, key, str(error))
        raise
    except Exception as error:
        # Only the type: a message from a library could quote what was being sent.
        _release_claim(store, key, type(error).__name__)
        problem = f"{type(error).__name__} while sending"
        raise DeliveryError(delivery.channel, key, problem) from None
    _finish(store, key, status)
    logger.info(
        "delivery %s (report %s, %s): %s", key, delivery.report_id, delivery.channel, status
    )
    return str(status)


def _claim_batch(
    store: Store, channel: str, lease: dt.timedelta, report_id: str | None = None
) -> list[Delivery]:
    keys = pending_keys(store, [channel], report_id)
    return [d for key in keys if (d := claim(store, key, lease))]


def feed_entries(store: Store, also: Sequence[Delivery] = ()) -> list[FeedEntry]:
    """Every alert on the website: published feed rows (and *also*), minus withdrawn reports."""
    ensure_outbox_table(store.engine)
    with store.begin() as connection:
        rows = connection.execute(
            select(outbox.c.report_id, outbox.c.sent_at).where(
                outbox.c.channel == str(Channel.FEED), outbox.c.status == str(Status.SENT)
            )
        ).all()
        withdrawn = set(store.report_ids(connection, state=str(State.WITHDRAWN)))
    now = utc_now()
    published = {row.report_id: as_utc(row.sent_at) or now for row in rows}
    published.update({d.report_id: now for d in also})
    entries = []
    for report_id, at in sorted(published.items()):
        if report_id in withdrawn:
            continue
        alert = approved_outputs(store, report_id).get("alert")
        feed = alert.get("feed") if isinstance(alert, dict) else None
        if isinstance(feed, dict) and isinstance(feed.get("id"), str):
            entries.append(FeedEntry(feed, at))
        else:
            logger.warning("report %s: approved alert has no website entry; left out", report_id)
    return entries


def feed_directory(store: Store) -> Path:
    """Where the website feed is written: ``$MUGS_HOME/feed``."""
    return store.settings.home / "feed"


def publish_website(
    store: Store, lease: dt.timedelta = DEFAULT_LEASE, report_id: str | None = None
) -> int:
    """Rebuild the feed files with every pending feed row (and drop withdrawn alerts); count new.

    With *report_id*, only that report's pending row is published (the rest wait for their run).
    """
    claimed = _claim_batch(store, str(Channel.FEED), lease, report_id)
    try:
        entries = feed_entries(store, claimed)
        publish_feed(feed_directory(store), feed_site(), entries)
    except Exception as error:
        for delivery in claimed:
            _release_claim(store, delivery.delivery_key, type(error).__name__)
        raise
    for delivery in claimed:
        _finish(store, delivery.delivery_key, Status.SENT, detail="feed")
    logger.info("website feed: %d alert(s), %d new", len(entries), len(claimed))
    return len(claimed)


def scas_directory(store: Store) -> Path:
    """Where SCAS exports are written: ``$MUGS_HOME/exports/scas``."""
    return store.settings.home / "exports" / "scas"


def _write_private(path: Path, data: bytes) -> None:
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(descriptor, "wb") as file:
            file.write(data)
        os.chmod(temporary, 0o600)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def write_scas_export(directory: Path, records: Sequence[dict[str, Any]], batch: str) -> list[Path]:
    """Write the records as ``scas-<batch>.json`` and ``.csv`` (0600); return the paths."""
    from pipeline.intelligence import intelligence_frame

    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    json_path = directory / f"scas-{batch}.json"
    csv_path = directory / f"scas-{batch}.csv"
    document = {"exported_at": utc_now().isoformat(timespec="seconds"), "records": list(records)}
    _write_private(json_path, (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode())
    _write_private(csv_path, intelligence_frame(records).to_csv(index=False).encode("utf-8"))
    return [json_path, csv_path]


def export_intelligence(
    store: Store, lease: dt.timedelta = DEFAULT_LEASE, report_id: str | None = None
) -> int:
    """Write every pending approved intelligence record (or *report_id*'s) to one SCAS export.

    Returns how many. The batch name is a hash of the rows' keys, so a re-run after a crash
    rewrites the same files rather than exporting the records twice.
    """
    claimed = _claim_batch(store, str(Channel.SCAS), lease, report_id)
    if not claimed:
        return 0
    keys = sorted(d.delivery_key for d in claimed)
    batch = hashlib.sha256("\x00".join(keys).encode()).hexdigest()[:16]
    try:
        records = [approved_outputs(store, d.report_id).get("intelligence") for d in claimed]
        write_scas_export(scas_directory(store), [r for r in records if isinstance(r, dict)], batch)
    except Exception as error:
        for delivery in claimed:
            _release_claim(store, delivery.delivery_key, type(error).__name__)
        raise
    for delivery in claimed:
        _finish(store, delivery.delivery_key, Status.SENT, detail=f"scas-{batch}")
    logger.info("SCAS export %s: %d record(s)", batch, len(claimed))
    return len(claimed)


def finish_release(store: Store, report_id: str, actor: str = RELEASE_ACTOR) -> bool:
    """Mark the report released if none of its deliveries is pending; whether it now is.

    This is the only way the pipeline marks a report released: it never happens before every
    delivery the report needs was planned and none is left pending.
    """
    ensure_outbox_table(store.engine)
    with store.begin() as connection:
        waiting = connection.execute(
            select(outbox.c.delivery_key).where(
                and_(outbox.c.report_id == report_id, outbox.c.status == str(Status.PENDING))
            )
        ).first()
        report = store.get_report(connection, report_id)
    if waiting is not None:
        return False
    if report.state == State.RELEASED:
        return True
    try:
        mark_released(store, report_id, actor)
    except WrongState:
        return False
    logger.info("report %s released", report_id)
    return True


@dataclass(frozen=True, slots=True)
class ReportRelease:
    """What releasing one report now did: its deliveries by status, and whether it is released."""

    report_id: str
    planned: int
    statuses: dict[str, int]
    released: bool
    version: int

    @property
    def complete(self) -> bool:
        """True when it is released and no delivery failed for good."""
        return self.released and not self.statuses.get(str(Status.FAILED))


def release_report(
    store: Store,
    report_id: str,
    actor: str,
    *,
    expected_version: int | None = None,
    lease: dt.timedelta = DEFAULT_LEASE,
) -> ReportRelease:
    """Release one approved report now, by the release flow's own steps, for this report only.

    Plans its deliveries in the outbox, sends each pending email and SMS once, publishes its
    website entry, exports its SCAS record, and marks it released (as *actor*) only when nothing
    of it is left pending. A transient failure leaves that delivery pending and the report
    approved: the next ``mugs run release`` picks both up. Nothing is ever marked released
    without being sent.
    """
    actor = check_actor(actor)
    with store.begin() as connection:
        report = store.get_report(connection, report_id)
    check_version(report, expected_version)
    transition_for(report, "release")
    planned = plan_release_safely(store, report_id)
    for key in pending_keys(store, [str(channel) for channel in MEMBER_CHANNELS], report_id):
        try:
            deliver(store, key, lease)
        except DeliveryError as error:
            logger.warning("report %s: delivery %s stays pending: %s", report_id, key, error)
    publish_website(store, lease, report_id)
    export_intelligence(store, lease, report_id)
    released = finish_release(store, report_id, actor)
    statuses: dict[str, int] = {}
    for row in deliveries(store, report_id):
        statuses[row.status] = statuses.get(row.status, 0) + 1
    with store.begin() as connection:
        version = store.get_report(connection, report_id).version
    return ReportRelease(report_id, planned, statuses, released, version)
