"""Tables of the web app, the number checker and the release outbox, under migration control.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22

The tables are defined once, beside the code that uses them (``pipeline.users``,
``pipeline.checker``, ``pipeline.outbox``); this revision creates exactly those definitions.
"""

from __future__ import annotations

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def _tables() -> list:  # type: ignore[type-arg]
    from pipeline.checker import checker_index, released_alerts
    from pipeline.outbox import outbox
    from pipeline.users import sessions, users

    return [users, sessions, checker_index, released_alerts, outbox]


def upgrade() -> None:
    """Create the app tables (and their indexes) where they do not exist yet."""
    bind = op.get_bind()
    for table in _tables():
        table.create(bind, checkfirst=True)


def downgrade() -> None:
    """Drop the app tables (loses accounts, sessions, the checker index and the outbox)."""
    bind = op.get_bind()
    for table in reversed(_tables()):
        table.drop(bind, checkfirst=True)
