"""Store fixtures: one fresh store per test, on SQLite and on PostgreSQL (a schema per test)."""

from __future__ import annotations

import secrets
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError

from pipeline.settings import Settings
from pipeline.store import GENESIS_HASH, Store

POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def _postgres_reachable() -> str | None:
    try:
        engine = create_engine(POSTGRES_URL, connect_args={"connect_timeout": 3})
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        engine.dispose()
    except OperationalError as error:
        return f"PostgreSQL at 127.0.0.1:5432 is unreachable ({type(error.orig).__name__})"
    return None


@pytest.fixture(scope="session")
def postgres_problem() -> str | None:
    """Why PostgreSQL tests cannot run here (None when they can)."""
    return _postgres_reachable()


def _drop_schema(schema: str) -> None:
    engine = create_engine(POSTGRES_URL)
    with engine.begin() as connection:
        connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    engine.dispose()


TABLES = "reports, report_types, edits, approvals, intake_conflicts, members, audit_log, audit_head"


def _settings(home: Path, url: str, schema: str | None) -> Settings:
    return Settings(
        home=home,
        database_url=url,
        database_schema=schema,
        keys=(),
        key_file=home / "keys.json",
        retention_days=30,
    )


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated, empty SQLite database, copied for each test (migrating takes ~0.2 s)."""
    home = tmp_path_factory.mktemp("template")
    Store.open(_settings(home, f"sqlite:///{home / 'mugs.db'}", None)).close()
    return home / "mugs.db"


@pytest.fixture(scope="session")
def postgres_schema(
    postgres_problem: str | None, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """A schema of this test session, migrated once and dropped at the end."""
    if postgres_problem:
        pytest.skip(postgres_problem)
    schema = f"mugs_test_{secrets.token_hex(6)}"
    home = tmp_path_factory.mktemp("postgres-home")
    Store.open(_settings(home, POSTGRES_URL, schema)).close()
    yield schema
    _drop_schema(schema)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def settings(request: pytest.FixtureRequest, tmp_path: Path, sqlite_template: Path) -> Settings:
    """Settings for an empty store: a fresh SQLite file, or this session's PostgreSQL schema."""
    home = tmp_path / "mugs-home"
    home.mkdir(mode=0o700)
    if request.param == "sqlite":
        shutil.copyfile(sqlite_template, home / "mugs.db")
        return _settings(home, f"sqlite:///{home / 'mugs.db'}", None)
    schema = request.getfixturevalue("postgres_schema")
    engine = create_engine(POSTGRES_URL, connect_args={"options": f"-csearch_path={schema}"})
    with engine.begin() as connection:
        # DELETE is much faster than TRUNCATE on tiny tables; replica role skips the audit trigger.
        connection.execute(text("SET LOCAL session_replication_role = replica"))
        for table in TABLES.split(", "):
            connection.execute(text(f"DELETE FROM {table}"))
        connection.execute(text(f"INSERT INTO audit_head VALUES (1, 0, '{GENESIS_HASH}')"))
    engine.dispose()
    return _settings(home, POSTGRES_URL, schema)


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
)
def module_store(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    postgres_problem: str | None,
) -> Iterator[Store]:
    """A store shared by one test module (its own SQLite file, or its own PostgreSQL schema)."""
    home = tmp_path_factory.mktemp("module-store")
    if request.param == "sqlite":
        opened = Store.open(_settings(home, f"sqlite:///{home / 'mugs.db'}", None))
        yield opened
        opened.close()
        return
    if postgres_problem:
        pytest.skip(postgres_problem)
    schema = f"mugs_test_{secrets.token_hex(6)}"
    opened = Store.open(_settings(home, POSTGRES_URL, schema))
    yield opened
    opened.close()
    _drop_schema(schema)


@pytest.fixture
def store(settings: Settings) -> Iterator[Store]:
    """A fresh, migrated store."""
    opened = Store.open(settings)
    yield opened
    opened.close()
