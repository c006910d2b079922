"""Where local state lives and how the store is reached: read from the environment when asked.

Nothing here reads the environment at import time; call :func:`load_settings` (the CLI does it once
per command) and pass the result on explicitly.

* ``MUGS_HOME`` (default ``~/.local/share/mugs``): the data folder (database, key file, exports).
* ``MUGS_DATABASE_URL`` (default ``sqlite:///$MUGS_HOME/mugs.db``): any SQLAlchemy URL; for
  PostgreSQL ``postgresql+psycopg://user@host:5432/db``. A plain ``postgresql://`` (or
  ``postgres://``) URL is read as ``postgresql+psycopg://``: psycopg 3 is the driver this project
  installs (SQLAlchemy would otherwise look for psycopg2). A URL that does not parse is a
  :class:`~pipeline.errors.ConfigError` naming the setting, never echoing the URL (it may hold a
  password).
* ``MUGS_DATABASE_SCHEMA`` (PostgreSQL only, optional): keep the tables in this schema.
* ``MUGS_KEY`` (optional): base64 AES-256 key(s), comma-separated, the first active; else the key
  file ``MUGS_KEY_FILE`` (default ``$MUGS_HOME/keys.json``), created 0600 on first run.
* ``MUGS_RETENTION_DAYS`` (default 90): days after a report closes before its raw text is purged.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from pipeline.errors import ConfigError

DEFAULT_HOME = Path("~/.local/share/mugs")
DEFAULT_RETENTION_DAYS = 90
SCHEMA_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")
PLAIN_POSTGRESQL = re.compile(r"^postgres(?:ql)?://")
"""A PostgreSQL URL naming no driver: SQLAlchemy's default for it (psycopg2) is not installed."""
PSYCOPG_PREFIX = "postgresql+psycopg://"


@dataclass(frozen=True, slots=True)
class Settings:
    """The store's settings, as read once from the environment (or given by a test)."""

    home: Path
    database_url: str
    database_schema: str | None
    keys: tuple[str, ...]
    key_file: Path
    retention_days: int

    def ensure_home(self) -> Path:
        """Create the data folder (mode 0700) if it is missing and return it."""
        self.home.mkdir(mode=0o700, parents=True, exist_ok=True)
        return self.home


def _retention_days(value: str | None) -> int:
    if value is None or not value.strip():
        return DEFAULT_RETENTION_DAYS
    try:
        days = int(value)
    except ValueError:
        raise ConfigError(f"MUGS_RETENTION_DAYS: '{value}' is not a whole number of days") from None
    if days < 0:
        raise ConfigError(f"MUGS_RETENTION_DAYS: {days} is negative; use 0 or more days")
    return days


def _schema(value: str | None) -> str | None:
    if value is None or not value.strip():
        return None
    if not SCHEMA_NAME.match(value):
        raise ConfigError(
            f"MUGS_DATABASE_SCHEMA: '{value}' is not a plain lower-case SQL name (a-z, 0-9, _)"
        )
    return value


def _database_url(value: str) -> str:
    """*value* checked as a SQLAlchemy URL, with a plain PostgreSQL URL pointed at psycopg 3."""
    example = "write sqlite:///PATH or postgresql://USER:PASSWORD@HOST:PORT/DATABASE"
    try:
        make_url(value)
    except ArgumentError:
        raise ConfigError(f"MUGS_DATABASE_URL: not a database URL; {example}") from None
    except ValueError:
        raise ConfigError(
            f"MUGS_DATABASE_URL: not a database URL (its port is not a number); {example}"
        ) from None
    return PLAIN_POSTGRESQL.sub(PSYCOPG_PREFIX, value)


def load_settings(environ: Mapping[str, str] | None = None) -> Settings:
    """Read the settings from *environ* (default: the process environment)."""
    env = os.environ if environ is None else environ
    home = Path(env.get("MUGS_HOME") or DEFAULT_HOME).expanduser()
    configured_url = env.get("MUGS_DATABASE_URL")
    database_url = (
        _database_url(configured_url) if configured_url else f"sqlite:///{home / 'mugs.db'}"
    )
    keys = tuple(key.strip() for key in (env.get("MUGS_KEY") or "").split(",") if key.strip())
    return Settings(
        home=home,
        database_url=database_url,
        database_schema=_schema(env.get("MUGS_DATABASE_SCHEMA")),
        keys=keys,
        key_file=Path(env.get("MUGS_KEY_FILE") or home / "keys.json").expanduser(),
        retention_days=_retention_days(env.get("MUGS_RETENTION_DAYS")),
    )
