"""Alembic migrations: run on open, idempotent, and in step with the store's table definitions."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import MetaData, inspect

from pipeline.settings import Settings
from pipeline.store import Store, metadata


def all_tables() -> MetaData:
    """The store's tables and the app's (users, checker, outbox) in one MetaData."""
    from pipeline.checker import metadata as checker_metadata
    from pipeline.outbox import outbox_metadata
    from pipeline.users import metadata as users_metadata

    combined = MetaData()
    for source in (metadata, checker_metadata, outbox_metadata, users_metadata):
        for table in source.tables.values():
            table.to_metadata(combined)
    return combined


def test_the_migrated_schema_matches_the_table_definitions(store: Store) -> None:
    with store.engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), all_tables())
    assert differences == []


def test_opening_again_is_a_no_op_at_the_newest_revision(settings: Settings) -> None:
    Store.open(settings).close()
    with Store.open(settings) as store, store.engine.connect() as connection:
        assert MigrationContext.configure(connection).get_current_revision() == "0002"
        assert set(inspect(connection).get_table_names()) >= {
            "reports",
            "report_types",
            "edits",
            "approvals",
            "intake_conflicts",
            "members",
            "audit_log",
            "audit_head",
            "alembic_version",
        }
