"""Keys and authenticated encryption (AES-256-GCM) for everything in the store that could identify.

A sealed value is the text ``m1.<key id>.<base64url(nonce + ciphertext)>``: the key id says which
key opens it, so ``mugs keys rotate`` can find what is still under an old key. Every value is sealed
with a *context* (table, column, row id) as associated data, so a ciphertext copied into another
row or column does not open. Lookups by a secret value (a member id) use a keyed hash, never the
value itself.

Keys come from ``MUGS_KEY`` (comma-separated base64 keys, the first active) or from the key file
(``$MUGS_HOME/keys.json``), created with mode 0600 on first run.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import os
import secrets
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from pipeline.errors import ConfigError, MugsError
from pipeline.settings import Settings

TOKEN_PREFIX = "m1"
NONCE_BYTES = 12
KEY_BYTES = 32
KEY_FILE_FORMAT = 1


class SealError(MugsError):
    """A sealed value could not be opened: unknown key id, wrong context, or tampered bytes."""


@dataclass(frozen=True, slots=True)
class Key:
    """One AES-256 key and the id written on every value it seals."""

    key_id: str
    secret: bytes

    def __repr__(self) -> str:
        return f"Key({self.key_id!r})"


def new_key() -> Key:
    """Make a fresh random key with a random id."""
    return Key(secrets.token_hex(4), AESGCM.generate_key(bit_length=256))


def key_from_setting(text: str) -> Key:
    """Read a key from its base64 form (as in ``MUGS_KEY``); its id is derived from the key."""
    try:
        secret = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError):
        raise ConfigError("MUGS_KEY: a key is not base64") from None
    if len(secret) != KEY_BYTES:
        raise ConfigError(f"MUGS_KEY: a key is {len(secret)} bytes; AES-256 needs {KEY_BYTES}")
    return Key(hashlib.sha256(b"mugs key id" + secret).hexdigest()[:8], secret)


def encode_key(key: Key) -> str:
    """Write a key in the base64 form ``MUGS_KEY`` takes."""
    return base64.urlsafe_b64encode(key.secret).decode("ascii").rstrip("=")


class Keyring:
    """The active key, which seals, and older keys, which only open."""

    def __init__(self, active: Key, older: tuple[Key, ...] = ()) -> None:
        self.active = active
        self._keys = {key.key_id: key for key in (*older, active)}
        index_secret = HKDF(
            algorithm=hashes.SHA256(), length=32, salt=None, info=b"mugs lookup index"
        ).derive(active.secret)
        self._index_secret = index_secret

    @property
    def key_ids(self) -> tuple[str, ...]:
        """Every key id this keyring can open, the active one last."""
        return tuple(self._keys)

    def seal(self, plaintext: str, context: str) -> str:
        """Encrypt *plaintext* under the active key, bound to *context*."""
        nonce = os.urandom(NONCE_BYTES)
        sealed = AESGCM(self.active.secret).encrypt(
            nonce, plaintext.encode("utf-8"), context.encode("utf-8")
        )
        body = base64.urlsafe_b64encode(nonce + sealed).decode("ascii")
        return f"{TOKEN_PREFIX}.{self.active.key_id}.{body}"

    def open(self, token: str, context: str) -> str:
        """Decrypt a sealed value; raise :class:`SealError` if it does not open here."""
        try:
            prefix, key_id, body = token.split(".", 2)
        except ValueError:
            raise SealError(f"{context}: not a sealed value") from None
        key = self._keys.get(key_id)
        if prefix != TOKEN_PREFIX or key is None:
            raise SealError(
                f"{context}: sealed with key '{key_id}', which is not loaded "
                f"(loaded: {', '.join(self._keys)})"
            )
        raw = base64.urlsafe_b64decode(body)
        try:
            plain = AESGCM(key.secret).decrypt(
                raw[:NONCE_BYTES], raw[NONCE_BYTES:], context.encode("utf-8")
            )
        except InvalidTag:
            raise SealError(
                f"{context}: does not open (tampered, or moved from another row)"
            ) from None
        return plain.decode("utf-8")

    def seal_json(self, value: Any, context: str) -> str:
        """Seal a JSON-able value."""
        return self.seal(json.dumps(value, ensure_ascii=False, sort_keys=True), context)

    def open_json(self, token: str, context: str) -> Any:
        """Open a value sealed by :meth:`seal_json`."""
        return json.loads(self.open(token, context))

    def lookup_index(self, value: str, purpose: str) -> str:
        """Hash *value* with a key, to find rows by it without storing it."""
        message = f"{purpose}\x00{value}".encode()
        return hmac.new(self._index_secret, message, hashlib.sha256).hexdigest()


def sealed_key_id(token: str) -> str:
    """Return the id of the key a sealed value was sealed with."""
    return token.split(".", 2)[1]


def _check_mode(path: Path) -> None:
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        raise ConfigError(
            f"key file {path} is readable by others (mode {mode:o}); run: chmod 600 {path}"
        )


def _read_key_file(path: Path) -> tuple[Key, tuple[Key, ...]]:
    _check_mode(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        keys = {key_id: base64.urlsafe_b64decode(secret) for key_id, secret in data["keys"].items()}
        active_id = data["active"]
    except (OSError, ValueError, KeyError, TypeError, binascii.Error) as exc:
        raise ConfigError(f"key file {path}: unreadable ({type(exc).__name__})") from None
    if active_id not in keys:
        raise ConfigError(f"key file {path}: active key '{active_id}' is not in 'keys'")
    for key_id, secret in keys.items():
        if len(secret) != KEY_BYTES:
            raise ConfigError(f"key file {path}: key '{key_id}' is not {KEY_BYTES} bytes")
    active = Key(active_id, keys[active_id])
    return active, tuple(Key(k, s) for k, s in keys.items() if k != active_id)


def write_key_file(path: Path, active: Key, older: tuple[Key, ...] = ()) -> None:
    """Write the key file atomically with mode 0600."""
    data = {
        "format": KEY_FILE_FORMAT,
        "active": active.key_id,
        "keys": {
            key.key_id: base64.urlsafe_b64encode(key.secret).decode("ascii")
            for key in (*older, active)
        },
    }
    temporary = _write_temporary(path, json.dumps(data, indent=1))
    os.replace(temporary, path)


def _write_temporary(path: Path, text: str) -> Path:
    """Write ``text`` to a new 0600 file beside ``path``, flushed to disk; return its path."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
    return temporary


def create_secret_file(path: Path, text: str) -> None:
    """Create ``path`` (mode 0600) holding ``text``; FileExistsError if it already exists.

    The file appears complete or not at all: it is written under a temporary name and then
    hard-linked into place, so a process or thread that loses the race to create it never reads a
    half-written (or empty) key.
    """
    temporary = _write_temporary(path, text)
    try:
        os.link(temporary, path)
    finally:
        temporary.unlink()


def load_keyring(settings: Settings) -> Keyring:
    """Load the keyring from ``MUGS_KEY``, else from the key file (created on first run)."""
    if settings.keys:
        keys = [key_from_setting(text) for text in settings.keys]
        return Keyring(keys[0], tuple(keys[1:]))
    path = settings.key_file
    if not path.exists():
        try:
            write_key_file_exclusive(path, new_key())
        except FileExistsError:
            pass  # another process created it first: use theirs
    active, older = _read_key_file(path)
    return Keyring(active, older)


def write_key_file_exclusive(path: Path, key: Key) -> None:
    """Create the key file with one key; fail with FileExistsError if it already exists."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    data = {
        "format": KEY_FILE_FORMAT,
        "active": key.key_id,
        "keys": {key.key_id: base64.urlsafe_b64encode(key.secret).decode("ascii")},
    }
    create_secret_file(path, json.dumps(data, indent=1))


def add_active_key(settings: Settings) -> Keyring:
    """Rotation, step 1: put a new active key in the key file, keeping the old ones to open with."""
    if settings.keys:
        raise ConfigError(
            "MUGS_KEY is set: put the new key first in MUGS_KEY (new,old), run `mugs keys rotate`, "
            "then remove the old key"
        )
    keyring = load_keyring(settings)
    old = tuple(keyring._keys[key_id] for key_id in keyring.key_ids)
    key = new_key()
    write_key_file(settings.key_file, key, old)
    return Keyring(key, old)


def retire_old_keys(settings: Settings, keyring: Keyring) -> None:
    """Rotation, last step: keep only the active key in the key file (MUGS_KEY is left alone)."""
    if not settings.keys:
        write_key_file(settings.key_file, keyring.active)
