"""Initial schema: reports, incident types, edits, approvals, intake conflicts, members, audit.

Revision ID: 0001
Revises:
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

TIMESTAMP = sa.DateTime(timezone=True)

SQLITE_APPEND_ONLY = (
    """CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
       BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END""",
    """CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
       BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END""",
)
POSTGRESQL_APPEND_ONLY = (
    """CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN RAISE EXCEPTION 'audit_log is append-only'; END $$""",
    """CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
       FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()""",
)


def _report_fk() -> sa.ForeignKey:
    return sa.ForeignKey("reports.report_id", ondelete="CASCADE")


def upgrade() -> None:
    """Create every table, and triggers that refuse UPDATE and DELETE on the audit trail."""
    op.create_table(
        "reports",
        sa.Column("report_id", sa.String(64), primary_key=True),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("state", sa.String(32), nullable=False, index=True),
        sa.Column("alert_state", sa.String(16), nullable=False),
        sa.Column("intelligence_state", sa.String(16), nullable=False),
        sa.Column("channel", sa.String(32), nullable=False),
        sa.Column("received_at", TIMESTAMP, nullable=False),
        sa.Column("stored_at", TIMESTAMP, nullable=False),
        sa.Column("updated_at", TIMESTAMP, nullable=False),
        sa.Column("incident_date", sa.Date),
        sa.Column("police_force", sa.Text),
        sa.Column("setting", sa.String(16)),
        sa.Column("contact_method", sa.String(16)),
        sa.Column("consent_alert", sa.Boolean, nullable=False),
        sa.Column("consent_intelligence", sa.Boolean, nullable=False),
        sa.Column("consent_police_contact", sa.Boolean, nullable=False),
        sa.Column("completeness_alert", sa.Float),
        sa.Column("completeness_intelligence", sa.Float),
        sa.Column("flagged_count", sa.Integer),
        sa.Column("blocked_count", sa.Integer),
        sa.Column("member_ref", sa.String(64), index=True),
        sa.Column("drafted_at", TIMESTAMP),
        sa.Column("closed_at", TIMESTAMP),
        sa.Column("released_at", TIMESTAMP),
        sa.Column("withdrawn_at", TIMESTAMP),
        sa.Column("purged_at", TIMESTAMP),
        sa.Column("raw_sealed", sa.Text),
        sa.Column("reporter_sealed", sa.Text),
        sa.Column("member_sealed", sa.Text),
        sa.Column("draft_sealed", sa.Text),
        sa.Column("release_sealed", sa.Text),
        sa.Column("review_sealed", sa.Text),
        sa.Column("note_sealed", sa.Text),
    )
    op.create_table(
        "report_types",
        sa.Column("report_id", sa.String(64), _report_fk(), primary_key=True),
        sa.Column("incident_type", sa.String(32), primary_key=True),
    )
    op.create_table(
        "edits",
        sa.Column("edit_id", sa.String(32), primary_key=True),
        sa.Column("report_id", sa.String(64), _report_fk(), nullable=False, index=True),
        sa.Column("part", sa.String(16), nullable=False),
        sa.Column("field", sa.String(200), nullable=False),
        sa.Column("actor", sa.String(100), nullable=False),
        sa.Column("at", TIMESTAMP, nullable=False),
        sa.Column("diff_sealed", sa.Text, nullable=False),
        sa.Column("problems", sa.Text, nullable=False),
    )
    op.create_table(
        "approvals",
        sa.Column("approval_id", sa.String(32), primary_key=True),
        sa.Column("report_id", sa.String(64), _report_fk(), nullable=False, index=True),
        sa.Column("part", sa.String(16), nullable=False),
        sa.Column("actor", sa.String(100), nullable=False),
        sa.Column("at", TIMESTAMP, nullable=False),
        sa.Column("final_sealed", sa.Text, nullable=False),
        sa.UniqueConstraint("report_id", "part", name="uq_approvals_report_part"),
    )
    op.create_table(
        "intake_conflicts",
        sa.Column("conflict_id", sa.String(32), primary_key=True),
        sa.Column("report_id", sa.String(64), nullable=False, index=True),
        sa.Column("at", TIMESTAMP, nullable=False),
        sa.Column("raw_sealed", sa.Text, nullable=False),
    )
    op.create_table(
        "members",
        sa.Column("member_ref", sa.String(64), primary_key=True),
        sa.Column("member_sealed", sa.Text, nullable=False),
        sa.Column("contacts_sealed", sa.Text, nullable=False),
        sa.Column("regions", sa.Text, nullable=False),
        sa.Column("channels", sa.Text, nullable=False),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.Column("updated_at", TIMESTAMP, nullable=False),
    )
    op.create_table(
        "audit_log",
        sa.Column("seq", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("at", sa.String(40), nullable=False),
        sa.Column("actor", sa.String(100), nullable=False),
        sa.Column("action", sa.String(32), nullable=False),
        sa.Column("report_id", sa.String(64), index=True),
        sa.Column("details", sa.Text, nullable=False),
        sa.Column("prev_hash", sa.String(64), nullable=False),
        sa.Column("entry_hash", sa.String(64), nullable=False),
    )
    op.create_table(
        "audit_head",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("seq", sa.Integer, nullable=False),
        sa.Column("entry_hash", sa.String(64), nullable=False),
    )
    # The head row exists from the start, so the first two writers queue on its lock.
    op.execute(f"INSERT INTO audit_head (id, seq, entry_hash) VALUES (1, 0, '{'0' * 64}')")
    dialect = op.get_bind().dialect.name
    for statement in {"sqlite": SQLITE_APPEND_ONLY, "postgresql": POSTGRESQL_APPEND_ONLY}.get(
        dialect, ()
    ):
        op.execute(statement)


def downgrade() -> None:
    """Drop everything (loses all data)."""
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS audit_log_no_change ON audit_log")
        op.execute("DROP FUNCTION IF EXISTS audit_log_append_only()")
    for table in (
        "audit_head",
        "audit_log",
        "members",
        "intake_conflicts",
        "approvals",
        "edits",
        "report_types",
        "reports",
    ):
        op.drop_table(table)
