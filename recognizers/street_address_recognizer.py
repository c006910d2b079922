"""Street addresses: "22 Lever Street", "Flat 4, 22 Lever Street", "off Portland St"."""

from __future__ import annotations

import re

from spacy.tokens import Doc

from recognizers.cues import Cue, CueRecognizer, Hit
from recognizers.venue_words import NAME_WORD, SQUARE_WORDS, STREET_WORDS, is_reporters_home

PREMISES_PREFIX = r"(?:(?i:flat|apartment|apt|unit|suite|room)\.?\s+[0-9]{1,4}[A-Za-z]?,?\s+)"
HOUSE_NUMBER = r"(?:[0-9]{1,4}[A-Za-z]?(?:\s*[-\u2013]\s*[0-9]{1,4})?,?\s+)"
NAME = rf"(?:(?:St\.?\s+)?{NAME_WORD}(?:\s+(?:of|de|la|upon)\s+{NAME_WORD}|\s+{NAME_WORD})?)"
SUFFIX_END = r"(?:\s+(?:North|South|East|West|Upper|Lower))?\b"
PREPOSITION = r"\b(?:on|off|along|down|up|in|at|near|opposite|behind|of|onto|by|outside)\s+"
LOWER_SUFFIX = (
    r"(?:rd|st|road|street|lane|ln|avenue|ave|crescent|cres|terrace|tce|gardens|gdns|drive|dr)"
)
NOT_LOWER_NAME = (
    r"the|a|an|this|that|his|her|my|your|their|our|main|back|ring|side|dark|long|same|dirt|"
    r"country|private|quiet|busy|high|other|next|wrong|one|slip|link|bypass|open|end|of|and|or"
)
CAPITALISED_WORD_BEFORE = re.compile(r"[A-Z][A-Za-z'\u2019]*\s+$")


class StreetAddressRecognizer(CueRecognizer):
    """Street names with or without a number; the reporter's after a first-person home cue."""

    VENUE_REASON = "a street address in a report is usually where it happened"
    HOME_REASON = "the reporter says they live there ('my address', 'I live at', 'my flat on')"
    CUES = (
        Cue(
            "numbered address",
            re.compile(
                rf"""
            (?<![0-9/])(?P<value>                  # not the "2" of "flat 0/2"
                {PREMISES_PREFIX}?                  # "Flat 4, "
                {HOUSE_NUMBER}                      # "22 ", "14a ", "22-24 "
                {NAME}\s+                           # "Lever", "Prince of Wales"
                (?:{STREET_WORDS}|{SQUARE_WORDS}){SUFFIX_END}  # "Street", "Rd", "Walk"
            )""",
                re.VERBOSE,
            ),
            "STREET_ADDRESS",
            0.85,
        ),
        Cue(
            "unit or flat on a named street",
            re.compile(
                rf"""
            (?P<value>
                {PREMISES_PREFIX}                   # "Unit 3, "
                {NAME}\s+                           # "Canal"
                (?:{STREET_WORDS}|{SQUARE_WORDS}){SUFFIX_END}  # "Wharf"
            )""",
                re.VERBOSE,
            ),
            "STREET_ADDRESS",
            0.8,
        ),
        Cue(
            "named street",
            re.compile(
                rf"""
            (?<![0-9]\ )(?<![A-Za-z])              # not inside a numbered address or a word
            (?P<value>
                {NAME}\s+                           # "Portland", "Wellington"
                (?:{STREET_WORDS}){SUFFIX_END}      # "Street", "Rd", "Road South"
            )""",
                re.VERBOSE,
            ),
            "STREET_ADDRESS",
            0.7,
        ),
        Cue(
            "named square, walk or place after a preposition",
            re.compile(
                rf"""
            {PREPOSITION}                           # "on", "in", "off"
            (?P<value>
                {NAME}\s+                           # "Leith", "St Andrew"
                (?:{SQUARE_WORDS}){SUFFIX_END}      # "Walk", "Sq", "Place"
            )""",
                re.VERBOSE,
            ),
            "STREET_ADDRESS",
            0.6,
        ),
        Cue(
            "one-word street after a preposition",
            re.compile(
                r"""
            \b(?:on|off|along|down|up)\s+(?:the\s+)?  # "on", "off the"
            (?P<value>[A-Z][a-z]+(?:gate|way))\b    # "Walmgate", "Kingsway"
            """,
                re.VERBOSE,
            ),
            "STREET_ADDRESS",
            0.5,
        ),
        Cue(
            "lower-case street",
            re.compile(
                rf"""
            (?<![A-Za-z])(?P<cue>{PREPOSITION})?    # "on ": needed unless "rd"/"st" or a number
            (?<![A-Za-z])(?P<value>
                (?:[0-9]{{1,4}}[a-z]?\s+)?          # "22 "
                (?!(?:{NOT_LOWER_NAME})\b)[a-z]{{3,}}  # "stapleton", "hessle"
                \s+{LOWER_SUFFIX}                   # "rd", "road"
            )\b""",
                re.VERBOSE,
            ),
            "STREET_ADDRESS",
            0.5,
        ),
    )

    def judge(self, cue: Cue, match: re.Match[str], text: str, doc: Doc | None) -> Hit | None:
        """Trim a name that continues a capitalised run; give the role the words before say."""
        start, end = cue.value_span(match)
        value = text[start:end]
        if cue.name == "lower-case street" and not (
            match.group("cue") or value[0].isdigit() or re.search(r"\b(?:rd|st)$", value)
        ):
            return None
        capital_before = CAPITALISED_WORD_BEFORE.search(text, max(0, start - 30), start)
        if cue.name == "named street" and capital_before:
            # "Premier Inn Portland Street": the street is the last name word and its suffix.
            words = list(re.finditer(r"\S+", value))
            if len(words) > 2:
                start = words[-2].start() + start
        if is_reporters_home(text, start):
            return Hit(start, end, cue.score, "reporter", self.HOME_REASON)
        return Hit(start, end, cue.score, "venue", self.VENUE_REASON)
