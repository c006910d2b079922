"""Canonical forms of identifiers, so one value written two ways compares equal."""

from __future__ import annotations

import re

_NON_ALNUM = re.compile(r"[^0-9a-z]+")
_OBFUSCATED_AT = re.compile(r"\s*[\(\[\{]?\s*\b(?:at)\b\s*[\)\]\}]?\s*|\s*@\s*", re.IGNORECASE)
_OBFUSCATED_DOT = re.compile(r"\s*[\(\[\{]?\s*\b(?:dot)\b\s*[\)\]\}]?\s*|\s*\.\s*", re.IGNORECASE)


def phone_digits(value: str) -> str:
    """A UK phone number as its national digits: '+44 (0)7700 900461' → '07700900461'.

    Delegates to the phone recogniser's reader, so a number written in words or with a letter O
    for a zero compares equal to its digits.
    """
    from recognizers.phone_digits import national_digits

    return national_digits(value)


def plate(value: str) -> str:
    """A registration as upper-case letters and digits: 'ma19 kxz' → 'MA19KXZ'."""
    return _NON_ALNUM.sub("", value.lower()).upper()


def email(value: str) -> str:
    """Lower-case email, spelled-out 'at'/'dot' undone: 'jo at gmail dot com' → 'jo@gmail.com'."""
    text = value.strip().lower()
    if "@" not in text:
        text = _OBFUSCATED_AT.sub("@", text, count=1)
    local, _, domain = text.partition("@")
    domain = _OBFUSCATED_DOT.sub(".", domain)
    local = re.sub(r"\s+dot\s+|\s*[\(\[]dot[\)\]]\s*", ".", local)
    return f"{local.strip()}@{domain.strip()}" if domain else local.strip()


def handle(value: str) -> str:
    """A username in lower case without '@' or URL: '@CandyXX_mcr' → 'candyxx_mcr'."""
    text = value.strip().lower().rstrip("/")
    text = text.rsplit("/", 1)[-1]
    return text.lstrip("@")


def name(value: str) -> str:
    """A name folded for comparison: case and spacing."""
    return " ".join(re.findall(r"[a-z0-9']+", value.lower()))
