"""The store: tables, engine, transactions, and every SQL statement the project runs.

Plain columns hold only what identifies nobody and what queues and statistics need (state, incident
types, date, police force, setting, consent, completeness, timestamps). Every text that could
identify anyone is sealed with :mod:`pipeline.crypto` in a ``*_sealed`` column. Writes that change a
report check its ``version`` (optimistic locking) and raise :class:`~pipeline.errors.StaleVersion`
when someone else changed it first. The schema is created and upgraded by Alembic
(``pipeline/migrations``) every time the store is opened, so a fresh ``MUGS_HOME`` just works.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import secrets
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, overload

from sqlalchemy import (
    Boolean,
    Column,
    Connection,
    Date,
    DateTime,
    Engine,
    Float,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    create_engine,
    delete,
    event,
    insert,
    select,
    update,
)
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from pipeline.crypto import Keyring, load_keyring, sealed_key_id
from pipeline.errors import ConfigError, NotFound, StaleVersion
from pipeline.settings import Settings, load_settings

logger = logging.getLogger(__name__)

MIGRATIONS = Path(__file__).parent / "migrations"
MIGRATION_LOCK = 72_616_161  # any constant: serialises concurrent first opens on PostgreSQL

metadata = MetaData()

reports = Table(
    "reports",
    metadata,
    Column("report_id", String(64), primary_key=True),
    Column("version", Integer, nullable=False),
    Column("state", String(32), nullable=False, index=True),
    Column("alert_state", String(16), nullable=False),
    Column("intelligence_state", String(16), nullable=False),
    Column("channel", String(32), nullable=False),
    Column("received_at", DateTime(timezone=True), nullable=False),
    Column("stored_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Column("incident_date", Date),
    Column("police_force", Text),
    Column("setting", String(16)),
    Column("contact_method", String(16)),
    Column("consent_alert", Boolean, nullable=False),
    Column("consent_intelligence", Boolean, nullable=False),
    Column("consent_police_contact", Boolean, nullable=False),
    Column("completeness_alert", Float),
    Column("completeness_intelligence", Float),
    Column("flagged_count", Integer),
    Column("blocked_count", Integer),
    Column("member_ref", String(64), index=True),
    Column("drafted_at", DateTime(timezone=True)),
    Column("closed_at", DateTime(timezone=True)),
    Column("released_at", DateTime(timezone=True)),
    Column("withdrawn_at", DateTime(timezone=True)),
    Column("purged_at", DateTime(timezone=True)),
    Column("raw_sealed", Text),
    Column("reporter_sealed", Text),
    Column("member_sealed", Text),
    Column("draft_sealed", Text),
    Column("release_sealed", Text),
    Column("review_sealed", Text),
    Column("note_sealed", Text),
)

report_types = Table(
    "report_types",
    metadata,
    Column(
        "report_id",
        String(64),
        ForeignKey("reports.report_id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("incident_type", String(32), primary_key=True),
)

edits = Table(
    "edits",
    metadata,
    Column("edit_id", String(32), primary_key=True),
    Column(
        "report_id",
        String(64),
        ForeignKey("reports.report_id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    Column("part", String(16), nullable=False),
    Column("field", String(200), nullable=False),
    Column("actor", String(100), nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("diff_sealed", Text, nullable=False),
    Column("problems", Text, nullable=False),
)

approvals = Table(
    "approvals",
    metadata,
    Column("approval_id", String(32), primary_key=True),
    Column(
        "report_id",
        String(64),
        ForeignKey("reports.report_id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    Column("part", String(16), nullable=False),
    Column("actor", String(100), nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("final_sealed", Text, nullable=False),
    UniqueConstraint("report_id", "part", name="uq_approvals_report_part"),
)

intake_conflicts = Table(
    "intake_conflicts",
    metadata,
    Column("conflict_id", String(32), primary_key=True),
    Column("report_id", String(64), nullable=False, index=True),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("raw_sealed", Text, nullable=False),
)

members = Table(
    "members",
    metadata,
    Column("member_ref", String(64), primary_key=True),
    Column("member_sealed", Text, nullable=False),
    Column("contacts_sealed", Text, nullable=False),
    Column("regions", Text, nullable=False),
    Column("channels", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

audit_log = Table(
    "audit_log",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=False),
    Column("at", String(40), nullable=False),
    Column("actor", String(100), nullable=False),
    Column("action", String(32), nullable=False),
    Column("report_id", String(64), index=True),
    Column("details", Text, nullable=False),
    Column("prev_hash", String(64), nullable=False),
    Column("entry_hash", String(64), nullable=False),
)

audit_head = Table(
    "audit_head",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("seq", Integer, nullable=False),
    Column("entry_hash", String(64), nullable=False),
)

SEALED_COLUMNS: dict[str, tuple[str, ...]] = {
    "reports": (
        "raw_sealed",
        "reporter_sealed",
        "member_sealed",
        "draft_sealed",
        "release_sealed",
        "review_sealed",
        "note_sealed",
    ),
    "edits": ("diff_sealed",),
    "approvals": ("final_sealed",),
    "intake_conflicts": ("raw_sealed",),
    "members": ("member_sealed", "contacts_sealed"),
}
"""Every sealed column, by table: what key rotation re-encrypts."""

ROW_KEYS = {
    "reports": "report_id",
    "edits": "edit_id",
    "approvals": "approval_id",
    "intake_conflicts": "conflict_id",
    "members": "member_ref",
}
GENESIS_HASH = "0" * 64
MEMBER_INDEX = "member"


def utc_now() -> dt.datetime:
    """Now, in UTC."""
    return dt.datetime.now(dt.UTC)


@overload
def as_utc(value: dt.datetime) -> dt.datetime: ...
@overload
def as_utc(value: None) -> None: ...
def as_utc(value: dt.datetime | None) -> dt.datetime | None:
    """Read a stored timestamp as aware UTC (SQLite hands them back naive)."""
    if value is None:
        return None
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


def new_id() -> str:
    """Make a random row id."""
    return secrets.token_hex(16)


def sealed_context(table: str, column: str, row_key: str) -> str:
    """Name the associated data a value is sealed with: it binds it to its row and column."""
    return f"{table}.{column.removesuffix('_sealed')}:{row_key}"


@dataclass(frozen=True, slots=True)
class StoredReport:
    """One row of ``reports``: plain metadata, and sealed values opened on demand by the store."""

    report_id: str
    version: int
    state: str
    alert_state: str
    intelligence_state: str
    channel: str
    received_at: dt.datetime
    stored_at: dt.datetime
    updated_at: dt.datetime
    incident_date: dt.date | None
    police_force: str | None
    setting: str | None
    contact_method: str | None
    consent_alert: bool
    consent_intelligence: bool
    consent_police_contact: bool
    completeness_alert: float | None
    completeness_intelligence: float | None
    flagged_count: int | None
    blocked_count: int | None
    member_ref: str | None
    drafted_at: dt.datetime | None
    closed_at: dt.datetime | None
    released_at: dt.datetime | None
    withdrawn_at: dt.datetime | None
    purged_at: dt.datetime | None
    incident_types: tuple[str, ...] = ()
    sealed: dict[str, str | None] = field(default_factory=dict, repr=False)

    def age(self, now: dt.datetime | None = None) -> dt.timedelta:
        """Time since the report was received."""
        return (now or utc_now()) - self.received_at


@dataclass(frozen=True, slots=True)
class EditRow:
    """A caseworker's edit of one field: who, when, the diff (opened), and guard problems."""

    edit_id: str
    report_id: str
    part: str
    field: str
    actor: str
    at: dt.datetime
    diff: str
    problems: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ApprovalRow:
    """An approved part: who, when, and the final text (opened)."""

    report_id: str
    part: str
    actor: str
    at: dt.datetime
    final: Any


@dataclass(frozen=True, slots=True)
class AuditRow:
    """One entry of the audit trail, as stored."""

    seq: int
    at: str
    actor: str
    action: str
    report_id: str | None
    details: str
    prev_hash: str
    entry_hash: str


@dataclass(frozen=True, slots=True)
class MemberRow:
    """A member of the scheme: contacts opened; regions and channel preferences plain."""

    member_ref: str
    member_id: str
    contacts: dict[str, Any]
    regions: tuple[str, ...]
    channels: tuple[str, ...]


def _sqlite_begin_immediate(engine: Engine) -> None:
    """SQLite: take the write lock at BEGIN, so two writers queue instead of deadlocking."""

    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        # WAL: one fsync per commit (not three) and readers never wait for a writer; FULL keeps
        # every committed transaction across a power cut.
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = FULL")
        cursor.execute("PRAGMA secure_delete = ON")  # purged text is zeroed, not left in free pages
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection: Connection) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def _create_sqlite_file(url: str) -> None:
    database = make_url(url).database
    if not database or database == ":memory:":
        return
    path = Path(database)
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    if not path.exists():
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))


def create_store_engine(settings: Settings) -> Engine:
    """Create the engine for the configured database (SQLite file by default)."""
    url = make_url(settings.database_url)
    if url.get_backend_name() == "sqlite":
        settings.ensure_home()
        _create_sqlite_file(settings.database_url)
        # hide_parameters: a failed statement must not put values into an exception or a log line.
        engine = create_engine(url, connect_args={"timeout": 60}, hide_parameters=True)
        _sqlite_begin_immediate(engine)
        return engine
    if url.get_backend_name() != "postgresql":
        raise ConfigError(
            f"MUGS_DATABASE_URL: backend '{url.get_backend_name()}' is not supported; "
            "use sqlite:///… or postgresql+psycopg://…"
        )
    connect_args: dict[str, Any] = {}
    if settings.database_schema:
        connect_args["options"] = f"-csearch_path={settings.database_schema}"
        bootstrap = create_engine(url, poolclass=NullPool, hide_parameters=True)
        with bootstrap.begin() as connection:
            connection.exec_driver_sql(f'CREATE SCHEMA IF NOT EXISTS "{settings.database_schema}"')
        bootstrap.dispose()
    return create_engine(url, connect_args=connect_args, pool_pre_ping=True, hide_parameters=True)


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest Alembic revision (a no-op when it is there already)."""
    from alembic import command  # imported here: alembic is slow to import and rarely needed
    from alembic.config import Config as AlembicConfig

    config = AlembicConfig()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({MIGRATION_LOCK})")
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


class Store:
    """The database and the keyring that seals and opens its identifying values."""

    def __init__(self, engine: Engine, keyring: Keyring, settings: Settings) -> None:
        self.engine = engine
        self.keyring = keyring
        self.settings = settings

    @classmethod
    def open(cls, settings: Settings | None = None, keyring: Keyring | None = None) -> Store:
        """Open (and create or upgrade) the store the settings name."""
        settings = settings or load_settings()
        keyring = keyring or load_keyring(settings)
        engine = create_store_engine(settings)
        migrate(engine)
        return cls(engine, keyring, settings)

    def close(self) -> None:
        """Release the database connections."""
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    @contextmanager
    def begin(self) -> Iterator[Connection]:
        """Run a transaction: committed when the block ends, rolled back on an exception."""
        with self.engine.begin() as connection:
            yield connection

    # sealing ---------------------------------------------------------------------------------

    def seal(self, table: str, column: str, row_key: str, value: Any) -> str | None:
        """Seal a JSON-able value for one cell (None stays None)."""
        if value is None:
            return None
        return self.keyring.seal_json(value, sealed_context(table, column, row_key))

    def unseal(self, table: str, column: str, row_key: str, token: str | None) -> Any:
        """Open one sealed cell (None stays None)."""
        if token is None:
            return None
        return self.keyring.open_json(token, sealed_context(table, column, row_key))

    def open_report(self, report: StoredReport, name: str) -> Any:
        """Open a report's sealed value: raw, reporter, member, draft, release, review or note."""
        column = f"{name}_sealed"
        return self.unseal("reports", column, report.report_id, report.sealed.get(column))

    def member_ref(self, member_id: str) -> str:
        """Return the keyed lookup hash of a member id."""
        return self.keyring.lookup_index(member_id, MEMBER_INDEX)

    # reports ---------------------------------------------------------------------------------

    def insert_report(
        self,
        connection: Connection,
        values: dict[str, Any],
        sealed: dict[str, Any],
        incident_types: Sequence[str],
    ) -> None:
        """Insert a new report at version 1 with its sealed values and incident types."""
        report_id = values["report_id"]
        row = dict(values, version=1)
        for name, value in sealed.items():
            row[f"{name}_sealed"] = self.seal("reports", f"{name}_sealed", report_id, value)
        connection.execute(insert(reports).values(**row))
        if incident_types:
            connection.execute(
                insert(report_types),
                [
                    {"report_id": report_id, "incident_type": kind}
                    for kind in dict.fromkeys(incident_types)
                ],
            )

    def report_exists(self, connection: Connection, report_id: str) -> bool:
        """Whether a report with this id is stored."""
        found = connection.execute(
            select(reports.c.report_id).where(reports.c.report_id == report_id)
        ).first()
        return found is not None

    def get_report(self, connection: Connection, report_id: str) -> StoredReport:
        """Return the report with this id; raise :class:`NotFound` if there is none."""
        row = connection.execute(select(reports).where(reports.c.report_id == report_id)).first()
        if row is None:
            raise NotFound(f"report {report_id}: no such report")
        types = (
            connection.execute(
                select(report_types.c.incident_type)
                .where(report_types.c.report_id == report_id)
                .order_by(report_types.c.incident_type)
            )
            .scalars()
            .all()
        )
        return self._stored_report(row._mapping, tuple(types))

    def _stored_report(self, mapping: Any, types: tuple[str, ...]) -> StoredReport:
        plain: dict[str, Any] = {}
        sealed: dict[str, str | None] = {}
        for key, value in mapping.items():
            if key.endswith("_sealed"):
                sealed[key] = value
            elif isinstance(value, dt.datetime):
                plain[key] = as_utc(value)
            else:
                plain[key] = value
        return StoredReport(**plain, incident_types=types, sealed=sealed)

    def update_report(
        self,
        connection: Connection,
        report_id: str,
        expected_version: int,
        values: dict[str, Any] | None = None,
        sealed: dict[str, Any] | None = None,
    ) -> int:
        """Change a report if it is still at *expected_version*; return its new version."""
        row = dict(values or {}, version=reports.c.version + 1, updated_at=utc_now())
        for name, value in (sealed or {}).items():
            row[f"{name}_sealed"] = self.seal("reports", f"{name}_sealed", report_id, value)
        result = connection.execute(
            update(reports)
            .where(reports.c.report_id == report_id, reports.c.version == expected_version)
            .values(**row)
        )
        if result.rowcount == 1:
            return expected_version + 1
        current = connection.execute(
            select(reports.c.version).where(reports.c.report_id == report_id)
        ).scalar()
        if current is None:
            raise NotFound(f"report {report_id}: no such report")
        raise StaleVersion(
            f"report {report_id}: changed by someone else (you had version {expected_version}, "
            f"it is now {current}); look at it again with `mugs show {report_id}`"
        )

    def delete_report(self, connection: Connection, report_id: str) -> None:
        """Delete a report with its types, edits and approvals (conflicting copies too)."""
        for table in (report_types, edits, approvals, intake_conflicts):
            connection.execute(delete(table).where(table.c.report_id == report_id))
        connection.execute(delete(reports).where(reports.c.report_id == report_id))

    def list_reports(
        self,
        connection: Connection,
        states: Sequence[str] | None = None,
    ) -> list[StoredReport]:
        """List reports (oldest first), optionally only those in *states*."""
        query = select(reports).order_by(reports.c.received_at, reports.c.report_id)
        if states:
            query = query.where(reports.c.state.in_(list(states)))
        rows = connection.execute(query).all()
        types: dict[str, list[str]] = {}
        for report_id, kind in connection.execute(
            select(report_types.c.report_id, report_types.c.incident_type).order_by(
                report_types.c.incident_type
            )
        ):
            types.setdefault(report_id, []).append(kind)
        return [
            self._stored_report(row._mapping, tuple(types.get(row.report_id, ()))) for row in rows
        ]

    def report_ids(
        self,
        connection: Connection,
        *,
        state: str | None = None,
        closed_before: dt.datetime | None = None,
        member_ref: str | None = None,
        unpurged: bool = False,
    ) -> list[str]:
        """Ids of the reports that match every given condition, oldest first."""
        query = select(reports.c.report_id).order_by(reports.c.received_at, reports.c.report_id)
        if state is not None:
            query = query.where(reports.c.state == state)
        if closed_before is not None:
            query = query.where(
                reports.c.closed_at.is_not(None), reports.c.closed_at < closed_before
            )
        if member_ref is not None:
            query = query.where(reports.c.member_ref == member_ref)
        if unpurged:
            query = query.where(reports.c.purged_at.is_(None))
        return list(connection.execute(query).scalars())

    # edits, approvals, intake conflicts --------------------------------------------------------

    def add_edit(
        self,
        connection: Connection,
        report_id: str,
        part: str,
        field_path: str,
        actor: str,
        diff: str,
        problems: Sequence[str],
    ) -> str:
        """Record a caseworker's edit as a sealed diff; return its id."""
        edit_id = new_id()
        connection.execute(
            insert(edits).values(
                edit_id=edit_id,
                report_id=report_id,
                part=part,
                field=field_path,
                actor=actor,
                at=utc_now(),
                diff_sealed=self.seal("edits", "diff_sealed", edit_id, diff),
                problems=json.dumps(list(problems)),
            )
        )
        return edit_id

    def edits_of(self, connection: Connection, report_id: str) -> list[EditRow]:
        """List a report's edits, oldest first."""
        rows = connection.execute(
            select(edits)
            .where(edits.c.report_id == report_id)
            .order_by(edits.c.at, edits.c.edit_id)
        ).all()
        return [
            EditRow(
                row.edit_id,
                row.report_id,
                row.part,
                row.field,
                row.actor,
                as_utc(row.at),
                self.unseal("edits", "diff_sealed", row.edit_id, row.diff_sealed),
                tuple(json.loads(row.problems)),
            )
            for row in rows
        ]

    def add_approval(
        self,
        connection: Connection,
        report_id: str,
        part: str,
        actor: str,
        final: Any,
        at: dt.datetime,
    ) -> None:
        """Record the approval of one part with its final text."""
        approval_id = new_id()
        connection.execute(
            insert(approvals).values(
                approval_id=approval_id,
                report_id=report_id,
                part=part,
                actor=actor,
                at=at,
                final_sealed=self.seal("approvals", "final_sealed", approval_id, final),
            )
        )

    def approvals_of(self, connection: Connection, report_id: str) -> list[ApprovalRow]:
        """List a report's approvals, oldest first."""
        rows = connection.execute(
            select(approvals).where(approvals.c.report_id == report_id).order_by(approvals.c.at)
        ).all()
        return [
            ApprovalRow(
                row.report_id,
                row.part,
                row.actor,
                as_utc(row.at),
                self.unseal("approvals", "final_sealed", row.approval_id, row.final_sealed),
            )
            for row in rows
        ]

    def delete_approvals(self, connection: Connection, report_id: str) -> None:
        """Drop a report's approvals (erasure of a report that was never released)."""
        connection.execute(delete(approvals).where(approvals.c.report_id == report_id))

    def delete_edits(self, connection: Connection, report_id: str) -> None:
        """Drop a report's edit history."""
        connection.execute(delete(edits).where(edits.c.report_id == report_id))

    def add_intake_conflict(self, connection: Connection, report_id: str, raw: Any) -> str:
        """Keep a differing second copy of a stored report, sealed, for a caseworker to look at."""
        conflict_id = new_id()
        connection.execute(
            insert(intake_conflicts).values(
                conflict_id=conflict_id,
                report_id=report_id,
                at=utc_now(),
                raw_sealed=self.seal("intake_conflicts", "raw_sealed", conflict_id, raw),
            )
        )
        return conflict_id

    def intake_conflict_count(self, connection: Connection, report_id: str) -> int:
        """How many differing copies of this report arrived after the first."""
        return len(
            connection.execute(
                select(intake_conflicts.c.conflict_id).where(
                    intake_conflicts.c.report_id == report_id
                )
            ).all()
        )

    def delete_intake_conflicts(self, connection: Connection, report_id: str) -> None:
        """Drop the differing copies of a report."""
        connection.execute(
            delete(intake_conflicts).where(intake_conflicts.c.report_id == report_id)
        )

    # members --------------------------------------------------------------------------------

    def put_member(
        self,
        connection: Connection,
        member_id: str,
        contacts: dict[str, Any],
        regions: Sequence[str] = (),
        channels: Sequence[str] = (),
    ) -> str:
        """Add or replace a member's sealed contact details; return their lookup reference."""
        ref = self.member_ref(member_id)
        now = utc_now()
        values = {
            "member_sealed": self.seal("members", "member_sealed", ref, member_id),
            "contacts_sealed": self.seal("members", "contacts_sealed", ref, contacts),
            "regions": json.dumps(list(regions)),
            "channels": json.dumps(list(channels)),
            "updated_at": now,
        }
        changed = connection.execute(
            update(members).where(members.c.member_ref == ref).values(**values)
        )
        if changed.rowcount == 0:
            connection.execute(insert(members).values(member_ref=ref, created_at=now, **values))
        return ref

    def get_member(self, connection: Connection, member_id: str) -> MemberRow:
        """Return a member by id; raise :class:`NotFound` if there is none."""
        ref = self.member_ref(member_id)
        row = connection.execute(select(members).where(members.c.member_ref == ref)).first()
        if row is None:
            raise NotFound("member: no such member")
        return MemberRow(
            ref,
            self.unseal("members", "member_sealed", ref, row.member_sealed),
            self.unseal("members", "contacts_sealed", ref, row.contacts_sealed),
            tuple(json.loads(row.regions)),
            tuple(json.loads(row.channels)),
        )

    def list_members(self, connection: Connection) -> list[MemberRow]:
        """List every member with contacts opened (for the flows that send alerts)."""
        rows = connection.execute(select(members).order_by(members.c.created_at)).all()
        return [
            MemberRow(
                row.member_ref,
                self.unseal("members", "member_sealed", row.member_ref, row.member_sealed),
                self.unseal("members", "contacts_sealed", row.member_ref, row.contacts_sealed),
                tuple(json.loads(row.regions)),
                tuple(json.loads(row.channels)),
            )
            for row in rows
        ]

    def delete_member(self, connection: Connection, member_ref: str) -> bool:
        """Delete a member's row; whether there was one."""
        return (
            connection.execute(delete(members).where(members.c.member_ref == member_ref)).rowcount
            > 0
        )

    # audit trail ----------------------------------------------------------------------------

    def append_audit(
        self,
        connection: Connection,
        *,
        actor: str,
        action: str,
        report_id: str | None,
        details: dict[str, Any],
    ) -> AuditRow:
        """Append one entry to the hash chain, under a lock on its head."""
        from pipeline.audit import canonical_details, entry_hash

        head = connection.execute(
            select(audit_head.c.seq, audit_head.c.entry_hash)
            .where(audit_head.c.id == 1)
            .with_for_update()
        ).first()
        seq, prev_hash = (head.seq + 1, head.entry_hash) if head else (1, GENESIS_HASH)
        at = utc_now().isoformat(timespec="microseconds")
        text = canonical_details(details)
        digest = entry_hash(prev_hash, seq, at, actor, action, report_id, text)
        connection.execute(
            insert(audit_log).values(
                seq=seq,
                at=at,
                actor=actor,
                action=action,
                report_id=report_id,
                details=text,
                prev_hash=prev_hash,
                entry_hash=digest,
            )
        )
        if head is None:
            connection.execute(insert(audit_head).values(id=1, seq=seq, entry_hash=digest))
        else:
            connection.execute(
                update(audit_head).where(audit_head.c.id == 1).values(seq=seq, entry_hash=digest)
            )
        return AuditRow(seq, at, actor, action, report_id, text, prev_hash, digest)

    def audit_rows(self, connection: Connection, report_id: str | None = None) -> list[AuditRow]:
        """List the audit trail in order, or only one report's entries."""
        query = select(audit_log).order_by(audit_log.c.seq)
        if report_id is not None:
            query = query.where(audit_log.c.report_id == report_id)
        return [AuditRow(**row._mapping) for row in connection.execute(query)]

    def audit_head_row(self, connection: Connection) -> tuple[int, str] | None:
        """Return the newest entry's number and hash as the head records them (None: no head)."""
        head = connection.execute(select(audit_head.c.seq, audit_head.c.entry_hash)).first()
        return (head.seq, head.entry_hash) if head else None

    # key rotation ---------------------------------------------------------------------------

    def reseal_all(self, connection: Connection, keyring: Keyring) -> dict[str, int]:
        """Re-encrypt every sealed value not under *keyring*'s active key; recompute member refs.

        A member's lookup hash changes with the key, so every place that holds one is rewritten in
        the same transaction: the report's ``member_ref``, the roster's key and the outbox's
        recipients (``pipeline.outbox.rename_recipients``; its table must exist, see
        :func:`rotate_keys`).
        """
        from pipeline.outbox import rename_recipients

        counts: dict[str, int] = {}
        active = keyring.active.key_id
        for name, columns in SEALED_COLUMNS.items():
            if name == "members":
                continue
            table = metadata.tables[name]
            key_column = table.c[ROW_KEYS[name]]
            for row in connection.execute(select(key_column, *(table.c[c] for c in columns))).all():
                row_key = row[0]
                changes: dict[str, Any] = {}
                for column, token in zip(columns, row[1:], strict=True):
                    if token is None or sealed_key_id(token) == active:
                        continue
                    context = sealed_context(name, column, row_key)
                    changes[column] = keyring.seal(self.keyring.open(token, context), context)
                if name == "reports" and row[columns.index("member_sealed") + 1] is not None:
                    member_id = self.unseal(
                        name, "member_sealed", row_key, row[columns.index("member_sealed") + 1]
                    )
                    changes["member_ref"] = keyring.lookup_index(member_id, MEMBER_INDEX)
                if changes:
                    connection.execute(update(table).where(key_column == row_key).values(**changes))
                    counts[name] = counts.get(name, 0) + 1
        renamed = self._reseal_members(connection, keyring)
        counts["members"] = len(renamed)
        counts["outbox"] = rename_recipients(connection, renamed)
        return counts

    def _reseal_members(self, connection: Connection, keyring: Keyring) -> dict[str, str]:
        """Members are keyed by their lookup hash, which changes with the key: rewrite each row.

        Returns each member's old lookup hash and new one.
        """
        renamed: dict[str, str] = {}
        for row in connection.execute(select(members)).all():
            old = row.member_ref
            member_id = self.unseal("members", "member_sealed", old, row.member_sealed)
            contacts = self.unseal("members", "contacts_sealed", old, row.contacts_sealed)
            new = keyring.lookup_index(member_id, MEMBER_INDEX)
            connection.execute(delete(members).where(members.c.member_ref == old))
            connection.execute(
                insert(members).values(
                    member_ref=new,
                    member_sealed=keyring.seal_json(
                        member_id, sealed_context("members", "member_sealed", new)
                    ),
                    contacts_sealed=keyring.seal_json(
                        contacts, sealed_context("members", "contacts_sealed", new)
                    ),
                    regions=row.regions,
                    channels=row.channels,
                    created_at=row.created_at,
                    updated_at=row.updated_at,
                )
            )
            renamed[old] = new
        return renamed

    def sealed_key_ids(self, connection: Connection) -> dict[str, int]:
        """How many sealed values each key id holds, over every sealed column."""
        counts: dict[str, int] = {}
        for name, columns in SEALED_COLUMNS.items():
            table = metadata.tables[name]
            for column in columns:
                for token in connection.execute(select(table.c[column])).scalars():
                    if token is not None:
                        key_id = sealed_key_id(token)
                        counts[key_id] = counts.get(key_id, 0) + 1
        return counts


def rotate_keys(store: Store, *, actor: str = "keys") -> dict[str, int]:
    """Re-encrypt every sealed value under a new active key, then retire the old key(s)."""
    from pipeline.crypto import add_active_key, load_keyring, retire_old_keys
    from pipeline.outbox import ensure_outbox_table

    settings = store.settings
    # Created first, outside the rotation's transaction (SQLite holds its write lock there).
    ensure_outbox_table(store.engine)
    keyring = load_keyring(settings) if settings.keys else add_active_key(settings)
    with store.begin() as connection:
        counts = store.reseal_all(connection, keyring)
        store.append_audit(
            connection,
            actor=actor,
            action="keys_rotate",
            report_id=None,
            details={"key_id": keyring.active.key_id, "rows": counts},
        )
    store.keyring = keyring
    retire_old_keys(settings, keyring)
    logger.info("keys rotated to %s: %s", keyring.active.key_id, counts)
    return counts
