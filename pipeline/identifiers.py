"""Canonical forms of identifiers, so one value written two ways compares equal."""

from __future__ import annotations

import re

_NON_DIGIT = re.compile(r"\D+")
_NON_ALNUM = re.compile(r"[^0-9a-z]+")
_OBFUSCATED_AT = re.compile(r"\s*[\(\[\{]?\s*\b(?:at)\b\s*[\)\]\}]?\s*|\s*@\s*", re.IGNORECASE)
_OBFUSCATED_DOT = re.compile(r"\s*[\(\[\{]?\s*\b(?:dot)\b\s*[\)\]\}]?\s*|\s*\.\s*", re.IGNORECASE)

_DIGIT_WORDS = {
    "oh": "0", "o": "0", "zero": "0", "nought": "0", "one": "1", "two": "2", "three": "3",
    "four": "4", "five": "5", "six": "6", "seven": "7", "eight": "8", "nine": "9",
}
_REPEAT_WORDS = {"double": 2, "treble": 3, "triple": 3}


def phone_digits(value: str) -> str:
    """A UK phone number as its national digits: '+44 (0)7700 900461' → '07700900461'."""
    digits = _NON_DIGIT.sub("", _words_to_digits(value))
    if digits.startswith("0044"):
        digits = digits[4:]
    elif digits.startswith("44") and len(digits) >= 12:
        digits = digits[2:]
    if not digits.startswith("0") and len(digits) == 10:
        digits = "0" + digits
    return digits


def _words_to_digits(value: str) -> str:
    """'oh seven seven double oh' → '07700'; text without number words is returned unchanged."""
    words = re.split(r"[\s,\-]+", value.lower())
    if not any(word in _DIGIT_WORDS for word in words):
        return value
    out: list[str] = []
    repeat = 1
    for word in words:
        if word in _REPEAT_WORDS:
            repeat = _REPEAT_WORDS[word]
        elif word in _DIGIT_WORDS:
            out.append(_DIGIT_WORDS[word] * repeat)
            repeat = 1
        elif word.isdigit():
            out.append(word[0] * repeat + word[1:])
            repeat = 1
    return "".join(out)


def plate(value: str) -> str:
    """A registration as upper-case letters and digits: 'ma19 kxz' → 'MA19KXZ'."""
    return _NON_ALNUM.sub("", value.lower()).upper()


def email(value: str) -> str:
    """An email in lower case with 'at'/'dot' spelled out undone: 'jo at gmail dot com' → 'jo@gmail.com'."""
    text = value.strip().lower()
    if "@" not in text:
        text = _OBFUSCATED_AT.sub("@", text, count=1)
    local, _, domain = text.partition("@")
    domain = _OBFUSCATED_DOT.sub(".", domain)
    return f"{local.strip()}@{domain.strip()}" if domain else local.strip()


def handle(value: str) -> str:
    """A username in lower case without '@' or URL: '@CandyXX_mcr' → 'candyxx_mcr'."""
    text = value.strip().lower().rstrip("/")
    text = text.rsplit("/", 1)[-1]
    return text.lstrip("@")


def name(value: str) -> str:
    """A name folded for comparison: case and spacing."""
    return " ".join(re.findall(r"[a-z0-9']+", value.lower()))
