"""The secret behind SCAS pseudonymous references.

A reference is a keyed hash of the report id, so analysts can ask the scheme about a record
without learning who reported. The key is ``MUGS_PSEUDONYM_KEY`` (64 hex characters) or, failing
that, a key file created with 0600 permissions under ``MUGS_HOME`` on first use. It must stay the
same for references to stay stable; rotating the data-encryption keys does not touch it.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from pipeline.crypto import create_secret_file
from pipeline.errors import ConfigError

KEY_FILE = "pseudonym.key"


def mugs_home() -> Path:
    """The data folder (``MUGS_HOME``, default ``~/.local/share/mugs``)."""
    return Path(os.environ.get("MUGS_HOME") or Path.home() / ".local" / "share" / "mugs")


def pseudonym_key() -> bytes:
    """The 32-byte key for SCAS references, read from the setting or the key file."""
    configured = os.environ.get("MUGS_PSEUDONYM_KEY")
    if configured:
        try:
            key = bytes.fromhex(configured)
        except ValueError:
            raise ConfigError("MUGS_PSEUDONYM_KEY: must be 64 hexadecimal characters") from None
        if len(key) != 32:
            raise ConfigError("MUGS_PSEUDONYM_KEY: must be 64 hexadecimal characters (32 bytes)")
        return key
    path = mugs_home() / KEY_FILE
    if not path.exists():
        try:
            create_secret_file(path, secrets.token_hex(32))
        except FileExistsError:
            pass  # another process or thread created it first: use theirs
    try:
        return bytes.fromhex(path.read_text().strip())
    except ValueError:
        raise ConfigError(f"{path}: not a pseudonym key (64 hexadecimal characters)") from None
