"""Read phone numbers the way people write them: digits, spaced digits, words, or a mix.

Shared by :class:`~recognizers.uk_phone_recognizer.UkPhoneRecognizer` (any UK-shaped number) and
:class:`~recognizers.known_identifier_recognizer.KnownIdentifierRecognizer` (the reporter's own
numbers), so both read "oh seven seven double oh…" and "+44 (0)7700 900461" the same way.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import phonenumbers

TOKEN = re.compile(
    r"""
    (?<![A-Za-z0-9])(?P<digits>
        \+?\(?                      # a leading + or an opening bracket: +44, (0113
        [0-9OolI]*[0-9][0-9OolI]*   # digits, with O typed for zero, l or I for one (9OO l23)
        \)?                         # a closing bracket: (0)7700, (0113)
    )(?![A-Za-z0-9])
    | \b(?P<word>zero|nought|oh|o|one|two|three|four|five|six|seven|eight|nine)\b
    | \b(?P<repeat>double|treble|triple)\b
    """,
    re.VERBOSE | re.IGNORECASE,
)
"""One piece of a written number: a group of digits, a digit word, or a repeat word."""

GAP = re.compile(r"[ \t.,\-–/()]{0,3}")
"""What may stand between two pieces of one number: spaces, dashes, dots, commas, brackets, '/'."""

DIGIT_WORDS = {
    "zero": "0", "nought": "0", "oh": "0", "o": "0", "one": "1", "two": "2", "three": "3",
    "four": "4", "five": "5", "six": "6", "seven": "7", "eight": "8", "nine": "9",
}  # fmt: skip
REPEATS = {"double": 2, "treble": 3, "triple": 3}
UK_LENGTHS = {"01": (10, 11), "02": (11,), "03": (11,), "07": (11,), "08": (10, 11)}
"""National lengths of geographic, non-geographic and mobile ranges (a person's number is one)."""
MAX_DIGITS = 14
"""Longer than 0044 + a ten-digit number: no UK number is written with more digits."""


@dataclass(frozen=True, slots=True)
class WrittenNumber:
    """A phone number found in text: its span, its national digits, whether words were used."""

    start: int
    end: int
    national: str
    spelled: bool


@dataclass(frozen=True, slots=True)
class _Piece:
    start: int
    end: int
    digits: str
    spelled: bool


def national_digits(value: str) -> str:
    """Read a written number as national digits: '+44 (0)7700 900461', 'oh seven…' → '077…'."""
    pieces = _pieces(value, [m for m in TOKEN.finditer(value)])
    digits = "".join(piece.digits for piece in pieces)
    return _to_national(digits, value.lstrip().startswith("+")) or digits


def is_uk_number(national: str) -> bool:
    """Tell whether *national* is UK-shaped and possible (Ofcom drama ranges included)."""
    if len(national) not in UK_LENGTHS.get(national[:2], ()):
        return False
    try:
        return phonenumbers.is_possible_number(phonenumbers.parse(national, "GB"))
    except phonenumbers.NumberParseException:
        return False


def find_numbers(
    text: str, accept: Callable[[str], bool] = is_uk_number
) -> Iterator[WrittenNumber]:
    """Every longest run of written digits in *text* whose national form *accept* takes."""
    run: list[re.Match[str]] = []
    for match in TOKEN.finditer(text):
        if run and not GAP.fullmatch(text, run[-1].end(), match.start()):
            yield from _numbers_in_run(text, run, accept)
            run = []
        run.append(match)
    if run:
        yield from _numbers_in_run(text, run, accept)


def _numbers_in_run(
    text: str, run: list[re.Match[str]], accept: Callable[[str], bool]
) -> Iterator[WrittenNumber]:
    pieces = _pieces(text, run)
    first = 0
    while first < len(pieces):
        best: WrittenNumber | None = None
        digits = ""
        for last in range(first, len(pieces)):
            digits += pieces[last].digits
            if len(digits) > MAX_DIGITS:
                break
            national = _to_national(digits, text[pieces[first].start] == "+")
            if national and accept(national):
                spelled = any(piece.spelled for piece in pieces[first : last + 1])
                best = WrittenNumber(pieces[first].start, pieces[last].end, national, spelled)
        if best is None:
            first += 1
            continue
        yield best
        first = next((i for i, p in enumerate(pieces) if p.start >= best.end), len(pieces))


def _pieces(text: str, run: list[re.Match[str]]) -> list[_Piece]:
    """Turn tokens into digit pieces, folding a repeat word into the piece after it."""
    pieces: list[_Piece] = []
    repeat_from: re.Match[str] | None = None
    for match in run:
        if match["repeat"]:
            repeat_from = match
            continue
        if match["word"]:
            digits, spelled = DIGIT_WORDS[match["word"].lower()], True
        else:
            typed = re.sub(r"[+()]", "", match["digits"])
            digits, spelled = re.sub(r"[lI]", "1", re.sub(r"[Oo]", "0", typed)), False
        start = match.start()
        if repeat_from is not None:
            times = REPEATS[repeat_from["repeat"].lower()]
            digits, spelled, start = digits[0] * times + digits[1:], True, repeat_from.start()
            repeat_from = None
        pieces.append(_Piece(start, match.end(), digits, spelled))
    return pieces


def _to_national(digits: str, international: bool) -> str | None:
    """Strip +44 / 0044 / 44 and restore the trunk zero; None when the digits cannot be UK."""
    if digits.startswith("0044"):
        rest = digits[4:]
    elif digits.startswith("44") and (international or len(digits) >= 12):
        rest = digits[2:]
    elif len(digits) == 10 and digits.startswith("7"):
        return "0" + digits  # a mobile written without its trunk zero: "seven seven zero zero…"
    else:
        return digits if digits.startswith("0") else None
    return rest if rest.startswith("0") else "0" + rest
