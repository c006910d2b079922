"""Word tables for places: street words, venue nouns, hotel chains and the reporter's home cue.

Shared by the street address, premises number and venue recognisers, so that "Chloe's Place" and
"Lever Street" are read with the same words. Tables are regex alternations (longest first where
one is a prefix of another).
"""

from __future__ import annotations

import re

STREET_WORDS = (
    r"(?i:Street|Road|Rd|Lane|Ln|Avenue|Ave|Terrace|Crescent)|Close|Cres|Drive|Grove|Mews|Wharf|"
    r"Parade|(?i:St|Dr)(?!\s+[A-Z][a-z])"
)
"""Street words that make a capitalised name an address on their own ("Lever Street", "Union st");
"St" and "Dr" not before a capitalised word ("St Helens", "Dr Patel"), unless a full stop ends
the sentence ("no 6 on Montague St. Wanted …")."""

SQUARE_WORDS = r"Way|Place|Pl|Gardens|Gdns|Court|Ct|Row|Walk|Hill|Square|Sq"
"""Street words that are also districts or buildings ("Notting Hill", "Chloe's Place"): need a
house number or a preposition before the name."""

NOT_NAME_WORDS = (
    r"The|A|An|I|He|She|It|We|They|You|My|His|Her|Our|Their|This|That|These|Then|When|After|"
    r"Before|And|But|So|Or|On|In|At|Off|Up|Down|Just|Also|If|Got|Went|Me|Him|Us|Them|Is|Was|"
    r"Had|Has|Did|Not|No|Yes|Hi|Hello|Thanks|Please|Today|Yesterday|Tonight|Last|Next|Every|"
    r"Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|Christmas|Easter|Dr|Mr|Mrs|Ms|Miss"
)
"""Capitalised words that start a sentence or a title, never the first word of a place name."""

NAME_WORD = rf"(?!(?:{NOT_NAME_WORDS})\b)[A-Z][A-Za-z'\u2019&]*(?:-[A-Z][a-z]+)?"
"""One capitalised word of a place name ("Portland", "Rosie's", "Marks&Spencer")."""

HOTEL_CHAINS = (
    r"Holl?iday\s+Inn(?:\s+Express)?|Premi?ere?\s+Inn?|Travel?\s?lodge|Hampton\s+by\s+Hilton|"
    r"Hilton(?:\s+Garden\s+Inn)?|DoubleTree(?:\s+by\s+Hilton)?|"
    r"Ibis(?:\s+(?:Budget|Styles))?|Marriott|Jurys\s+Inn|Novotel|Mercure|Best\s+Western(?:\s+Plus)?|"
    r"Radisson(?:\s+(?:Blu|RED))?|Crowne\s+Plaza|Park\s+Plaza|Days\s+Inn|Britannia\s+Hotel|"
    r"Leonardo\s+(?:Hotel|Royal)|Moxy|Z\s+Hotel|Malmaison|Hotel\s+du\s+Vin|Motel\s+One|"
    r"easy\s?hotel|Village\s+Hotel|YHA|Sleeperz|Staycity|Point\s+A\s+Hotel|Wetherspoons?"
)
"""Hotel chains (and a pub chain with rooms), matched in any case: each names a known place.
Common misspellings count ("holliday inn", "premier in", "travel lodge")."""

SEX_WORK_VENUES = (
    r"massage\s+(?:parlou?r|place|shop|studio|rooms?)|parlou?r|sauna|brothel|walk-?ups?|"
    r"working\s+flat|studio|spa|massage"
)
"""Nouns for indoor sex-work premises, matched in any case."""

NAMED_VENUE_NOUNS = (
    r"Sauna|Massage|Parlou?r|Spa|Studios?|Rooms?|Lounge|Club|Hotel|Inn|Lodge|Guest\s+House|"
    r"House|Place|Palace|Retreat|Apartments|Suites|Towers|Court|Mansions|Garden|Escorts"
)
"""Nouns that end a venue's name ("Velvet Rooms", "Granby House", "Chloe's Place")."""

FIRST_PERSON_HOME = re.compile(
    r"""
    (?:
        \bmy\s+(?:home\s+|own\s+)?address\s*(?:is|was|'s|:)?      # "my address is"
      | \bI\s+(?:live|lived|stay|am\s+living|'m\s+living)\s+(?:at|on|in|off)  # "I live at"
      | \bwhere\s+I\s+live\s*(?:,|is|at|on)?                      # "where I live, …"
      | \bmy\s+(?:own\s+)?(?:flat|house|home|place|street|road)
        (?:\s+(?:on|in|at|off|is))?                               # "my flat on", "my house in"
      | \bmy                                                      # "my flat 3"
    )
    [\s,:(]*$                                                     # the value follows at once
    """,
    re.VERBOSE | re.IGNORECASE,
)
"""A first-person cue that ends right where an address or a flat number starts."""

HOME_LOOKBACK = 40
"""How many characters before a value :data:`FIRST_PERSON_HOME` reads."""


def is_reporters_home(text: str, start: int) -> bool:
    """Tell whether the words just before *start* say it is the reporter's own home."""
    return FIRST_PERSON_HOME.search(text, max(0, start - HOME_LOOKBACK), start) is not None
