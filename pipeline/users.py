"""People who sign in to the web app: accounts with a role, argon2 password hashes, and sessions.

The tables live in their own SQLAlchemy ``MetaData`` on the store's engine, so they are created
beside the store's tables (``ensure_user_tables``) without touching its migrations. A session is a
random token kept only as its SHA-256 in the database; it expires after ``SESSION_LIFETIME`` and
carries its own CSRF token.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import re
import secrets
from dataclasses import dataclass
from enum import StrEnum

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import (
    Column,
    DateTime,
    Engine,
    ForeignKey,
    MetaData,
    String,
    Table,
    delete,
    insert,
    select,
    update,
)
from sqlalchemy.exc import IntegrityError

from pipeline.errors import MugsError

logger = logging.getLogger(__name__)

SESSION_LIFETIME = dt.timedelta(hours=8)
"""A session ends this long after sign-in, whatever happens in between."""

IDLE_LIMIT = dt.timedelta(minutes=30)
"""A session also ends after this long without a request."""

MIN_PASSWORD_LENGTH = 10
USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,39}$")


class UserRole(StrEnum):
    """What a person may see: each page names the roles it serves."""

    MEMBER = "member"
    CASEWORKER = "caseworker"
    DATA_STAFF = "data_staff"
    RESEARCHER = "researcher"
    ADMIN = "admin"


class UserError(MugsError):
    """An account could not be added, found or used; names the username and the problem."""


metadata = MetaData()

users = Table(
    "web_users",
    metadata,
    Column("username", String(40), primary_key=True),
    Column("role", String(20), nullable=False),
    Column("password_hash", String(200), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

sessions = Table(
    "web_sessions",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    Column(
        "username",
        String(40),
        ForeignKey("web_users.username", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    Column("csrf_token", String(64), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("last_seen_at", DateTime(timezone=True), nullable=False),
)

_hasher = PasswordHasher()
_DUMMY_HASH = _hasher.hash("not-a-password-of-anyone")


def set_password_hasher(hasher: PasswordHasher) -> None:
    """Use *hasher* for new hashes (tests use a cheap one; a stored hash keeps its own cost)."""
    global _hasher, _DUMMY_HASH
    _hasher = hasher
    _DUMMY_HASH = hasher.hash("not-a-password-of-anyone")


@dataclass(frozen=True, slots=True)
class User:
    """A signed-in person: name and role (never the password hash)."""

    username: str
    role: UserRole


@dataclass(frozen=True, slots=True)
class Session:
    """A live session: who, and the CSRF token every form of theirs must carry."""

    user: User
    csrf_token: str


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _aware(moment: dt.datetime) -> dt.datetime:
    """SQLite hands back naive datetimes; they were written in UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def ensure_user_tables(engine: Engine) -> None:
    """Create the account and session tables if they are missing."""
    metadata.create_all(engine, checkfirst=True)


def parse_role(value: str) -> UserRole:
    """The role named *value*, or a :class:`UserError` listing the roles."""
    try:
        return UserRole(value)
    except ValueError:
        allowed = ", ".join(role.value for role in UserRole)
        raise UserError(f"role '{value}' is not one of: {allowed}") from None


def add_user(engine: Engine, username: str, password: str, role: UserRole) -> User:
    """Create an account with an argon2 hash of *password*."""
    if not USERNAME.match(username):
        raise UserError(
            f"username '{username[:40]}' must be 2-40 characters: a-z, 0-9, '.', '_' or '-'"
        )
    if len(password) < MIN_PASSWORD_LENGTH:
        raise UserError(
            f"user '{username}': password must be at least {MIN_PASSWORD_LENGTH} characters"
        )
    row = {
        "username": username,
        "role": role.value,
        "password_hash": _hasher.hash(password),
        "created_at": _now(),
    }
    try:
        with engine.begin() as connection:
            connection.execute(insert(users).values(**row))
    except IntegrityError:
        raise UserError(f"user '{username}' already exists") from None
    logger.info("added user %s with role %s", username, role.value)
    return User(username, role)


def remove_user(engine: Engine, username: str) -> None:
    """Delete an account and end its sessions."""
    with engine.begin() as connection:
        connection.execute(delete(sessions).where(sessions.c.username == username))
        removed = connection.execute(delete(users).where(users.c.username == username)).rowcount
    if not removed:
        raise UserError(f"user '{username}' does not exist")
    logger.info("removed user %s", username)


def list_users(engine: Engine) -> list[User]:
    """Every account, by username."""
    with engine.connect() as connection:
        rows = connection.execute(select(users.c.username, users.c.role).order_by(users.c.username))
        return [User(row.username, UserRole(row.role)) for row in rows]


def authenticate(engine: Engine, username: str, password: str) -> User | None:
    """The user if *password* is theirs, else None (same work either way, against timing probes)."""
    with engine.connect() as connection:
        row = connection.execute(select(users).where(users.c.username == username)).first()
    stored = row.password_hash if row else _DUMMY_HASH
    try:
        _hasher.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return None
    if row is None:
        return None
    if _hasher.check_needs_rehash(stored):
        with engine.begin() as connection:
            connection.execute(
                update(users)
                .where(users.c.username == username)
                .values(password_hash=_hasher.hash(password))
            )
    return User(row.username, UserRole(row.role))


def start_session(engine: Engine, user: User) -> str:
    """A new session token for *user* (only its hash is stored)."""
    token = secrets.token_urlsafe(32)
    now = _now()
    with engine.begin() as connection:
        connection.execute(
            insert(sessions).values(
                token_hash=_token_hash(token),
                username=user.username,
                csrf_token=secrets.token_urlsafe(32),
                created_at=now,
                last_seen_at=now,
            )
        )
    return token


def session_for(engine: Engine, token: str, now: dt.datetime | None = None) -> Session | None:
    """The live session for *token*, or None when unknown or expired (an expired one is deleted)."""
    now = now or _now()
    digest = _token_hash(token)
    query = (
        select(
            sessions.c.csrf_token,
            sessions.c.created_at,
            sessions.c.last_seen_at,
            users.c.username,
            users.c.role,
        )
        .join(users, users.c.username == sessions.c.username)
        .where(sessions.c.token_hash == digest)
    )
    with engine.connect() as connection:
        row = connection.execute(query).first()
    if row is None:
        return None
    idle = now - _aware(row.last_seen_at)
    if now - _aware(row.created_at) > SESSION_LIFETIME or idle > IDLE_LIMIT:
        end_session(engine, token)
        return None
    if now - _aware(row.last_seen_at) > dt.timedelta(minutes=1):
        with engine.begin() as connection:
            connection.execute(
                update(sessions).where(sessions.c.token_hash == digest).values(last_seen_at=now)
            )
    return Session(User(row.username, UserRole(row.role)), row.csrf_token)


def end_session(engine: Engine, token: str) -> None:
    """Sign out: forget the session."""
    with engine.begin() as connection:
        connection.execute(delete(sessions).where(sessions.c.token_hash == _token_hash(token)))
