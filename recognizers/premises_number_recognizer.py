"""Flat, room, house and unit numbers: "room 214", "rm. 311", "flat 3B", "flat 0/2", "3F2"."""

from __future__ import annotations

import re

from spacy.tokens import Doc

from recognizers.cues import Cue, CueRecognizer, Hit
from recognizers.venue_words import is_reporters_home

NUMBER = r"""
    (?:[0-9](?:\ [0-9]){1,3}\b          # spaced out: "5 1 2"
     | [0-9]/[0-9]{1,2}                 # Glasgow tenement: "0/2"
     | [0-9][0-9Oo]{0,3}[A-Za-z]?\b     # "214", "4O7" (O typed for 0), "3B"
     | [A-H]\b)                         # a letter: "flat B"
"""
NOT_AMOUNT = r"(?!\s*(?:quid|pounds?|mins?|minutes|hours?|hrs?|%|p\b|k\b|grand))"


class PremisesNumberRecognizer(CueRecognizer):
    """Numbers of rooms, flats, units and houses; the reporter's after "my" or "I live at"."""

    VENUE_REASON = "a room, flat or house number is part of where it happened"
    HOME_REASON = "the reporter says it is their own flat or house ('my flat 3', 'I live at no 14')"
    CUES = (
        Cue(
            "room, flat or unit number",
            re.compile(
                rf"""
            (?<![A-Za-z])(?<!a\ )(?P<value>                # not "a flat 50" (a price)
                (?i:room|rm|flat|apartment|apt|unit|suite|studio|house\s+(?:number|no))  # the noun
                \.?\s*(?i:no\.?\s*|number\s+|\#\s*)?        # "no.", "number", "#"
                {NUMBER}                                   # the number
            ){NOT_AMOUNT}""",
                re.VERBOSE,
            ),
            "PREMISES_NUMBER",
            0.8,
        ),
        Cue(
            "house number after a place cue",
            re.compile(
                rf"""
            \b(?i:at|to|outside|from|in|live\s+at|round\s+to|back\s+to|door\s+with|door)\s+  # "at"
            (?P<value>(?i:number|no\.?)\s*[0-9]{{1,3}}[A-Za-z]?\b)         # "no. 22", "number 14"
            {NOT_AMOUNT}""",
                re.VERBOSE,
            ),
            "PREMISES_NUMBER",
            0.6,
        ),
        Cue(
            "house number in brackets or after a comma",
            re.compile(
                r"""
            [(,]\s*                                         # "(no 5)", ", no 14"
            (?P<value>(?i:no\.?|number)\s*[0-9]{1,3}[A-Za-z]?\b)  # "no 5"
            (?=\s*(?:[),.;]|$)|\s+on\b)                 # closed, or "on <street>"
            """,
                re.VERBOSE,
            ),
            "PREMISES_NUMBER",
            0.6,
        ),
        Cue(
            "number in brackets after a flat",
            re.compile(
                r"""
            \b(?i:flat|room|apartment|apt|unit|suite)\b[^().\n]{0,30}   # "his flat in Camden"
            \(\s*(?P<value>[0-9]{1,4}[A-Za-z]?)\s*\)                  # "(4B)"
            """,
                re.VERBOSE,
            ),
            "PREMISES_NUMBER",
            0.6,
        ),
        Cue(
            "Edinburgh floor and door",
            re.compile(
                r"""
            (?<![A-Za-z0-9])(?P<value>[0-9]{1,2}F[0-9]{1,2})(?![A-Za-z0-9])  # "3F2": floor, door
            """,
                re.VERBOSE,
            ),
            "PREMISES_NUMBER",
            0.6,
        ),
        Cue(
            "Glasgow floor/position",
            re.compile(
                r"""
            (?:\b(?i:of|at|to|into|from)\s+|(?:^|[:;(\n])\s*)   # "door of", "…: "
            (?P<value>[0-9]/[0-9])(?![0-9/])                  # "2/1": floor 2, door 1
            | (?<![\w/])(?P<before>[0-9]/[0-9])            # "2/1", then
              (?=\s*,\s*[0-9]{1,4}[A-Za-z]?\s+[A-Z])       # ", 88 Allison"
            """,
                re.VERBOSE,
            ),
            "PREMISES_NUMBER",
            0.6,
        ),
        Cue(
            "floor of a flat",
            re.compile(
                r"""
            \b(?P<value>(?i:[0-9]{1,2}(?:st|nd|rd|th)|first|second|third|fourth|fifth|top|ground)
            \s+floor\s+(?i:flat|room|apartment))\b          # "3rd floor flat", "top floor flat"
            """,
                re.VERBOSE,
            ),
            "PREMISES_NUMBER",
            0.6,
        ),
    )

    def judge(self, cue: Cue, match: re.Match[str], text: str, doc: Doc | None) -> Hit | None:
        """Give the reporter's role when "my", "I live at" or "my address is" comes right before."""
        start, end = cue.value_span(match)
        if re.search(r"\.\s+[A-Ha-h]$", text[start:end]):
            return None  # "in the flat. A man came": a sentence, not flat A
        if cue.name == "Glasgow floor/position" and match["before"]:
            start, end = match.span("before")
        before = text[max(0, match.start() - 40) : match.start()] + text[match.start() : start]
        if is_reporters_home(before, len(before)):
            return Hit(start, end, cue.score, "reporter", self.HOME_REASON)
        return Hit(start, end, cue.score, "venue", self.VENUE_REASON)
