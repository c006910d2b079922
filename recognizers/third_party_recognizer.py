"""Other people the reporter names (maids, friends, drivers, workers, officers), and projects."""

from __future__ import annotations

import re

from spacy.tokens import Doc

from recognizers.cues import Cue, CueRecognizer, Hit
from recognizers.person_words import (
    NATIONALITIES,
    NOT_A_NAME,
    OTHER_PEOPLE,
    OTHER_WORKERS,
    POLICE_RANKS,
    TITLES,
)
from recognizers.venue_words import NOT_NAME_WORDS

NAME = rf"(?:(?:{TITLES})\.?\s+)?[A-Z][a-z]+(?:-[A-Z][a-z]+|['\u2019][A-Z][a-z]+)?"
LINK = (
    r"(?:\s*,\s*|\s*\(\s*|\s+(?i:called|named|who\s+is\s+called)\s+|\s+)"  # ", " "(" " called "
    r"[\"'\u201c\u2018]?"  # a name in quotes: 'another woman, "Misty"'
)
PROJECTS = (
    r"Basis\s+(?:Yorkshire|Project)|Changing\s+Lives|SWARM|Armistead(?:\s+(?i:project|centre))?|"
    r"Genesis(?:\s+Trust)?|Umbrella\s+Lane|SWOP|Open\s+Doors|Beyond\s+the\s+Streets|Scot-?Pep|"
    r"One25|Safe\s+Exit|Streetlight(?:\s+UK)?|Terrence\s+Higgins\s+Trust|POW\s+Nottingham|"
    r"Nottingham\s+POW|Sorted\s+Project|Working\s+Girls?\s+Project|MASH|SWAN"
)
NATIONALITY = re.compile(rf"(?:{NATIONALITIES})", re.IGNORECASE)
FIRST_PERSON = re.compile(r"\b(?:I|me|my|myself)\b")
THIRD_PERSON = re.compile(r"\b(?:she|her|herself)\b", re.IGNORECASE)
REASON = "the reporter names someone else"
SENTENCE_STARTERS = (
    r"then|so|and|but|after|when|while|because|cos|coz|as|if|even|just|only|now|also|anyway|"
    r"later|soon|till|until|once|before|where|what|that|this|with|without|for|from|even|luckily|"
    r"thank|thanks|think|said|told|asked|called|rang|texted|got|saw|heard|seen|the|him|her|them|"
    r"his|its|our|your|their|she|he|they|we|you|who|how|why|yes|no|nope|yeah|then|plus|sadly"
)
"""Lower-case words that open a sentence before "the maid" and are not names ("then the maid")."""


def _cue(name: str, pattern: str, score: float, reason: str, entity: str = "PERSON") -> Cue:
    return Cue(name, re.compile(pattern, re.VERBOSE), entity, score, "third_party", reason)


class ThirdPartyRecognizer(CueRecognizer):
    """Names after (or before) a noun for another person, officers by rank, and support projects."""

    CUES = (
        _cue(
            "my friend Kelly",
            rf"""
            \b(?i:my|ma|mah|our|the|a|her|their)\s+                        # "my", "ma", "the"
            (?:(?i:other|new|old|best|good|regular|usual|support|police)\s+)?  # "best"
            (?i:{OTHER_PEOPLE})s?{LINK}(?P<value>{NAME})                   # "friend Kelly"
            """,
            0.8,
            "named as the reporter's friend, maid, driver or other contact",
        ),
        _cue(
            "his mate Lee",
            rf"""
            \b(?i:his)\s+(?i:{OTHER_PEOPLE}){LINK}(?P<value>{NAME})        # "his mate Lee"
            """,
            0.6,
            "named as someone with the offender (not the offender)",
        ),
        _cue(
            "the other girl, Amber",
            rf"""
            \b(?i:the\s+other|another|other|the\s+new|one\s+of\s+the\s+other)\s+  # "another"
            (?i:{OTHER_WORKERS})s?{LINK}(?P<value>{NAME})                  # "worker called Lexi"
            """,
            0.8,
            "named as another worker",
        ),
        _cue(
            "Bev, my maid",
            rf"""
            (?<![A-Za-z])(?P<value>{NAME})\s*[,(]\s*                       # "Rosie (", "Bev, "
            (?i:my|the|our|her)\s+(?:(?i:other|best)\s+)?(?i:{OTHER_PEOPLE})\b  # "the owner"
            """,
            0.8,
            "named, then described as a friend, maid, owner or other contact",
        ),
        _cue(
            "CW (Priya)",
            rf"""
            \b(?:CW|KW|ISVA|IDVA|(?i:case\s?worker|key\s?worker|support\s+worker))  # "CW"
            \s*(?:\(\s*|:\s*|\s)(?P<value>{NAME})                          # "(Priya", "CW Priya"
            """,
            0.8,
            "named as a caseworker or support worker in a casework note",
        ),
        _cue(
            "bex the maid",
            rf"""
            (?:^|(?<=[.!?])\s+|\n\s*)                                     # a sentence starts
            (?P<value>(?!(?:{SENTENCE_STARTERS})\b)(?![a-z]+ly\b)[a-z]{{3,12}})  # "bex"
            \s+the\s+(?:{OTHER_PEOPLE})\b                                   # "the maid"
            """,
            0.5,
            "a lower-case name, then described as the maid, driver or another contact",
        ),
        _cue(
            "her name was",
            rf"""
            \b(?i:her\s+name\s+(?:is|was|'s)|she\s+(?:is|was|'s)\s+called|she\s+goes\s+by)\s+
            (?P<value>{NAME})                                              # "Misty"
            """,
            0.8,
            "the reporter names another woman ('her name was')",
        ),
        _cue(
            "what others call him",
            rf"""
            \b(?i:she|they|we|everyone|people|the\s+girls|i)\s+(?i:calls?|called)\s+  # "she calls"
            (?i:him|her)\s+[\"'\u201c\u2018]?                              # "him"
            (?P<value>(?:Big\s+|Little\s+|Wee\s+)?{NAME})                 # "Big Mo"
            """,
            0.6,
            "a nickname someone else gives a person: not said to be his own",
        ),
        _cue(
            "officer by rank",
            rf"""
            \b(?:{POLICE_RANKS})\.?\s+(?P<value>[A-Z][a-z]+(?:-[A-Z][a-z]+)?)\b  # "PC Jones"
            """,
            0.8,
            "a police officer named in the report",
        ),
        _cue(
            "she works with me",
            r"""
            \b(?i:she|who)\s+(?i:works?|worked|is\s+working)\s+(?i:with|alongside)\s+(?i:me)\b
            | \b(?i:we)\s+(?i:work|worked)\s+together\b                   # "we work together"
            """,
            0.6,
            "a named woman who works with the reporter",
        ),
        _cue(
            "mentioned by name",
            rf"""
            (?<![A-Za-z])(?P<value>{NAME})                          # "Becky", "Shaz"
            (?=(?:\s+(?:and|&)\s+{NAME})?\s+by\s+name\b)           # "… and Shaz by name"
            """,
            0.6,
            "named by name, but not said whose",
        ),
        _cue(
            "named beside a person",
            rf"""
            (?<![A-Za-z])(?P<first>{NAME})\s+(?:and|&)\s+(?P<value>{NAME})\b  # "Kelly and Amber"
            """,
            0.5,
            "named beside someone spaCy knows as a person",
        ),
        _cue(
            "named before a person",
            rf"""
            (?<![A-Za-z])(?P<value>{NAME})\s+(?:and|&)\s+(?P<second>{NAME})\b  # "Storm and Bunny"
            """,
            0.5,
            "named beside someone spaCy knows as a person",
        ),
        _cue(
            "from a project",
            rf"""
            \A\s*(?i:from|on\s+behalf\s+of)\s+                       # a note that opens "From"
            (?P<value>(?!(?:{NOT_NAME_WORDS})\b)[A-Z][A-Za-z'\u2019&-]+
                (?:\s+[A-Z][A-Za-z'\u2019&-]+){{0,3}})\s*[.:,\n]      # "Open Hands:"
            """,
            0.6,
            "the project a note comes from: it can point to the member",
            "ORGANIZATION",
        ),
        _cue(
            "support project",
            rf"""
            (?<![A-Za-z])(?P<value>{PROJECTS})(?![A-Za-z])                 # "Basis Yorkshire"
            """,
            0.85,
            "a support project: it can point to the member",
            "ORGANIZATION",
        ),
        _cue(
            "named project or outreach",
            r"""
            (?<![A-Za-z])(?P<value>(?:The\s+)?
                (?!Warehouse\b)[A-Z][A-Za-z'\u2019]+             # "Harbour" (not a club night)
                (?:\s+[A-Z][A-Za-z'\u2019]+){0,2}\s+              # "Women's"
                (?:Project|Outreach|Women's\s+Centre|Trust))\b  # "Project"
            """,
            0.6,
            "a support project or service: it can point to the member",
            "ORGANIZATION",
        ),
        _cue(
            "the agency I work for",
            rf"""
            \b(?i:agency|agencies|escort\s+service)                        # "the agency"
            (?:\s+(?i:I|we|she)\s+(?i:work|worked|am|was)
               \s*(?i:for|with|at|through)?)?                              # "I work for"
            (?:\s+(?i:in|from|near|out\s+of)\s+[A-Z][a-z]+)?               # "in Reading"
            (?:\s*,\s*|\s+(?i:called|named|is|was)\s+)[\"'\u201c]?     # ", " or " called "
            (?P<value>(?!(?:{NOT_NAME_WORDS})\b)[A-Z][A-Za-z'\u2019&]+
                (?:\s+[A-Z][A-Za-z'\u2019&]+){{0,2}})                      # "Velour Companions"
            """,
            0.7,
            "an agency the reporter works for: it can point to the member",
            "ORGANIZATION",
        ),
        _cue(
            "named agency",
            rf"""
            (?<![A-Za-z])(?P<value>(?!(?:{NOT_NAME_WORDS})\b)[A-Z][A-Za-z'\u2019&]+
                (?:\s+[A-Z][A-Za-z'\u2019&]+){{0,2}}\s+
                (?:Escorts|Companions|Agency|Models|Belles|Angels|Elite|Girls|Dolls))\b  # "Escorts"
            """,
            0.6,
            "a named escort agency: it can point to the member",
            "ORGANIZATION",
        ),
        _cue(
            "project by what it does",
            rf"""
            (?<![A-Za-z])(?P<value>(?!(?:{NOT_NAME_WORDS})\b)[A-Z][A-Za-z'\u2019]+
                (?:\s+[A-Z][A-Za-z'\u2019]+)?)                  # "Compass", "Open Hands"
            (?=\s+(?i:outreach\s+team|drop[\s-]?in|support\s+service
                   |(?:is|are)\s+reporting\s+on\s+behalf))    # "… drop in", "… is reporting"
            """,
            0.6,
            "a support project or service: it can point to the member",
            "ORGANIZATION",
        ),
    )

    def judge(self, cue: Cue, match: re.Match[str], text: str, doc: Doc | None) -> Hit | None:
        """Refuse non-names; 'her name was' is the reporter's own in a caseworker's third person."""
        if cue.name == "she works with me":
            return self._named_colleague(cue, match, doc)
        if cue.name in {"mentioned by name", "named beside a person", "named before a person"}:
            return _unattributed_name(cue, match, doc)
        start, end = cue.value_span(match)
        value = text[start:end]
        if cue.entity == "PERSON" and (
            value.lower() in NOT_A_NAME
            or NATIONALITY.fullmatch(value)
            or re.fullmatch(POLICE_RANKS, value)  # 'a police officer, "Officer Brown"'
        ):
            return None
        if cue.name in {"what others call him", "named agency"}:
            return Hit(start, end, cue.score, None, cue.reason)  # whose: the role step decides
        if cue.name == "her name was" and _third_person(text):
            return Hit(start, end, cue.score, None, "")  # a caseworker's 'her' may be the reporter
        return Hit(start, end, cue.score, cue.role, cue.reason)

    @staticmethod
    def _named_colleague(cue: Cue, match: re.Match[str], doc: Doc | None) -> Hit | None:
        """Find the last person spaCy names before "she works with me" in the same sentence."""
        if doc is None:
            return None
        window = doc.char_span(match.start(), match.end(), alignment_mode="expand")
        if window is None:
            return None
        sentence = window[0].sent
        people = [e for e in sentence.ents if e.label_ == "PERSON" and e.end_char <= match.start()]
        if not people:
            return None
        return Hit(people[-1].start_char, people[-1].end_char, cue.score, cue.role, cue.reason)


def _third_person(text: str) -> bool:
    """Tell a caseworker's note: more 'she/her' than 'I/me/my'."""
    return len(THIRD_PERSON.findall(text)) > len(FIRST_PERSON.findall(text))


def _unattributed_name(cue: Cue, match: re.Match[str], doc: Doc | None) -> Hit | None:
    """Find a name the words show is a person's without saying whose: no role hint.

    "by name" makes any capitalised word a name; "Kelly and Amber" needs spaCy to know Kelly as a
    person and Amber (which it missed) as a proper noun.
    """
    start, end = match.span("value")
    if match.group("value").lower() in NOT_A_NAME:
        return None
    if cue.name == "named beside a person":
        first = doc.char_span(*match.span("first")) if doc is not None else None
        second = doc.char_span(start, end) if doc is not None else None
        if first is None or second is None or first[0].ent_type_ != "PERSON":
            return None
        if second[0].ent_type_ or second[0].pos_ != "PROPN":
            return None  # spaCy already labels it, or it is not a proper noun
    if cue.name == "named before a person":
        # "Storm and Bunny were both working": spaCy knows Bunny, and reads Storm, opening the
        # sentence, as a noun; a capitalised word joined to a person by "and" is a person too
        person = doc.char_span(*match.span("second")) if doc is not None else None
        own = doc.char_span(start, end) if doc is not None else None
        if person is None or own is None or person[0].ent_type_ != "PERSON":
            return None
        if own[0].ent_type_ or own[0].pos_ not in {"PROPN", "NOUN"}:
            return None
    return Hit(start, end, cue.score, None, cue.reason)
