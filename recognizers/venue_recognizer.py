"""Venues: hotels and chains, parlours, saunas, working flats, and named premises ("Rosie's")."""

from __future__ import annotations

import re

from spacy.tokens import Doc

from recognizers.cues import Cue, CueRecognizer, Hit
from recognizers.venue_words import (
    HOTEL_CHAINS,
    NAME_WORD,
    NAMED_VENUE_NOUNS,
    NOT_NAME_WORDS,
    SEX_WORK_VENUES,
    STREET_WORDS,
)

SHOPS = (
    r"chippy|chip\s+shop|takeaway|bookies|off\s+licen[cs]e|launderette|newsagents?|pub|cafe|"
    r"caf\u00e9|shop|garage|salon|bar|restaurant|store|offy"
)
LANDMARKS = (
    r"Lidl|Aldi|Tesco\s+(?:Extra|Express|Metro)|Tesco|Asda|Morrisons|Sainsbury'?s|Co-?op|Costa|"
    r"Greggs|Spar|Londis|Nisa|Iceland|McDonald'?s|Maccies|KFC|Subway|Wetherspoons|Spoons|"
    r"Starbucks|Burger\s+King"
)
FOLLOWING_OK = (
    r"on|in|at|near|off|by|and|or|with|for|when|where|yesterday|today|tonight|last|this|that|"
    r"which|who|but|so|to|from"
)
LOOKED_AT = re.compile(
    r"\b(?:look|stare|star|shout|laugh|smil|yell|scream|point|swear|swore|glar|wav|lung|snapp|spat|"
    r"spit|threw|throw|kick|punch|went)\w*\s+at\s+$",
    re.IGNORECASE,
)
WEAK_DETERMINER = re.compile(r"\b(?:a|an|any|some|another|every)\s+$", re.IGNORECASE)
NOT_A_VENUE = frozenset(
    {
        "christmas",
        "easter",
        "nights",
        "weekends",
        "mondays",
        "tuesdays",
        "wednesdays",
        "thursdays",
        "fridays",
        "saturdays",
        "sundays",
        "times",
        "lucas",
        "james",
        "chris",
        "thomas",
        "nicholas",
    }
)


class VenueRecognizer(CueRecognizer):
    """Premises where the work or the incident happened; every finding is the venue's."""

    REASON = "names or describes a venue (hotel, parlour, sauna, working flat, premises)"
    CUES = (
        Cue(
            "hotel chain",
            re.compile(
                rf"""
            (?<![A-Za-z])(?P<value>(?i:{HOTEL_CHAINS}))(?![A-Za-z])  # "Premier Inn", "travelodge"
            """,
                re.VERBOSE,
            ),
            "VENUE",
            0.85,
        ),
        Cue(
            "named venue",
            re.compile(
                rf"""
            (?<![A-Za-z])(?P<value>
                (?:The\s+)?{NAME_WORD}(?:\s+{NAME_WORD}){{0,2}}\s+   # "The Velvet", "Crystal"
                (?:{NAMED_VENUE_NOUNS}|(?i:sauna|massage|parlou?r|spa|pub|bar|nightclub))  # "sauna"
            )\b""",
                re.VERBOSE,
            ),
            "VENUE",
            0.75,
        ),
        Cue(
            "numbered club",
            re.compile(
                r"""
            \b(?P<value>(?:Club|Studio)\s+[0-9]{1,3})\b     # "Club 69"
            """,
                re.VERBOSE,
            ),
            "VENUE",
            0.7,
        ),
        Cue(
            "named like a person",
            re.compile(
                rf"""
            (?:\A\s*|\b(?i:at|in|from|to|outside|inside|round|for)\s+)  # "at", or opening a note
            (?P<value>(?!(?:{NOT_NAME_WORDS})\b)[A-Z][a-z]+['\u2019]s)(?![A-Za-z])  # "Rosie's"
            """,
                re.VERBOSE,
            ),
            "VENUE",
            0.6,
        ),
        Cue(
            "plural name after at",
            re.compile(
                rf"""
            \b(?i:at|work(?:s|ed|ing)?\s+(?:at|for|in))\s+       # "at", "works at"
            (?P<value>(?!(?:{NOT_NAME_WORDS})\b)[A-Z][a-z]+s)\b(?!['\u2019])  # "Angels", "Diamonds"
            """,
                re.VERBOSE,
            ),
            "VENUE",
            0.5,
        ),
        Cue(
            "flat above a shop",
            re.compile(
                rf"""
            \b(?P<value>(?i:the|this|that)\s+(?i:working\s+)?       # "the", "the working"
                (?i:flat|house|room|rooms|place|{SEX_WORK_VENUES})\s+  # "flat"
                (?i:above|over|below|under|behind|next\s+to|opposite|beside|near|by)\s+  # "above"
                (?i:the|a|an|that)\s+                              # "the"
                (?:(?i:{SHOPS})|[A-Z][A-Za-z'\u2019]+(?:\s+(?i:{SHOPS}))?))\b  # "chippy", "Costa"
            """,
                re.VERBOSE,
            ),
            "VENUE",
            0.7,
        ),
        Cue(
            "the parlour I work at",
            re.compile(
                rf"""
            \b(?P<value>(?i:the)\s+(?i:{SEX_WORK_VENUES})\s+         # "the sauna"
                (?i:I|we)\s*(?i:work|worked|'m\s+working|am\s+working|used\s+to\s+work)\s+
                (?i:at|in|from|for))\b                             # "I work at"
            """,
                re.VERBOSE,
            ),
            "VENUE",
            0.6,
        ),
        Cue(
            "X is the pub",
            re.compile(
                rf"""
            (?<![A-Za-z])(?:[Tt]he\s+)?(?P<value>{NAME_WORD}(?:\s+{NAME_WORD})?)  # "The Albion"
            \s+(?:is|was|'s)\s+(?i:the|a|an|my|our|her)\s+(?:[a-z]+\s+)?    # "is the (local)"
            (?i:{SHOPS}|{SEX_WORK_VENUES}|hotel|club|B&B|guest\s?house)\b      # "pub"
            (?=\s*(?:[,.;:!?)]|$)|\s+(?i:on|in|at|near|by|where|that|which|round|off|opposite|
                next|behind|down|up|she|i|we)\b)                      # then the phrase ends
            """,
                re.VERBOSE,
            ),
            "VENUE",
            0.6,
        ),
        Cue(
            "name on a street",
            re.compile(
                rf"""
            \b(?i:at|to|rang|called|phoned|from|outside|inside|into|round|near|behind)\s+  # "rang"
            (?P<value>(?:The\s+)?{NAME_WORD}(?:\s+{NAME_WORD}){{0,2}})   # "Secrets", "The Door"
            \s+(?i:on|off)\s+(?:(?i:the)\s+)?{NAME_WORD}(?:\s+{NAME_WORD})?  # "on Albion"
            \s+(?:{STREET_WORDS})\b                                       # "st", "Road"
            """,
                re.VERBOSE,
            ),
            "VENUE",
            0.55,
        ),
        Cue(
            "above the shop",
            re.compile(
                rf"""
            \b(?i:above|over|below|upstairs\s+from|next\s+door\s+to)\s+  # "above"
            (?P<value>(?i:the|a)\s+(?i:{SHOPS}))\b                     # "the bookies"
            """,
                re.VERBOSE,
            ),
            "VENUE",
            0.5,
        ),
        Cue(
            "landmark shop",
            re.compile(
                rf"""
            \b(?i:the|that|behind|outside|opposite|near|by)\s+   # "the", "behind"
            (?P<value>(?i:{LANDMARKS}))(?![A-Za-z])             # "Lidl", "tesco extra"
            """,
                re.VERBOSE,
            ),
            "VENUE",
            0.5,
        ),
        Cue(
            "sex-work premises without a name",
            re.compile(
                r"""
            \b(?P<value>(?i:the|our|my|this|that|her)\s+            # not "a sauna": no place
                (?i:working\s+flat|massage\s+(?:parlou?r|place|shop)|parlou?r|sauna|brothel|walk-?up))\b
            """,
                re.VERBOSE,
            ),
            "VENUE",
            0.4,
        ),
    )

    def judge(self, cue: Cue, match: re.Match[str], text: str, doc: Doc | None) -> Hit | None:
        """Drop "a Leeds sauna" (no name, just a town) and names followed by a plain noun."""
        start, end = cue.value_span(match)
        if cue.name == "named venue" and WEAK_DETERMINER.search(text, max(0, start - 12), start):
            return None
        if cue.name == "name on a street" and text[start:end].lower() in NOT_A_VENUE:
            return None
        if cue.name in {"named like a person", "plural name after at"}:
            name = re.sub(r"['\u2019]s$", "", text[start:end].lower())
            if name in NOT_A_VENUE or LOOKED_AT.search(text, max(0, start - 30), start):
                return None  # "shouted at Lucas": a person, not a place
            after = re.match(r"\s+([A-Za-z]+)", text[end:])  # a plain noun, or "Cross"
            if after and not re.fullmatch(FOLLOWING_OK, after.group(1)):
                return None  # "at Dave's house", "at Tuesdays class": a person's place or a time
        return Hit(start, end, cue.score, "venue", self.REASON)
