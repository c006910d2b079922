"""The reporter's age and nationality ("I'm 24", "I'm a 24 year old Romanian girl")."""

from __future__ import annotations

import re

from spacy.tokens import Doc

from recognizers.cues import Cue, CueRecognizer, Hit
from recognizers.person_words import COUNTRIES, HOME_PLACE, NATIONALITIES

I_AM = r"\b(?:I|i)(?:'m|\u2019m|\s+am|m)\s+"
CASEWORKER_SUBJECT = r"\b(?i:caller|member|client|service\s+user|reporter|the\s+worker|SW)"
AGE = r"(?P<value>[1-9][0-9])\b"
NOT_AN_AGE = (
    r"(?!\s*(?:mins?|minutes|hours?|hrs?|quid|pounds|%|miles|weeks?|months?|days?|stone|st\b|kg|"
    r":|\.[0-9]|am|pm|k\b|ft|foot|feet|secs?|seconds|grand|x\b|times|texts|calls))"
)
FILLER = (
    r"(?:(?:[0-9]{2}|years?|yrs?|yo|y/o|old|young|single|trans|petite|curvy|tall|small|blonde|"
    r"brunette|only|one|the|a|an|and|half|originally|[0-9]{2}-year-old)[\s,-]+){0,6}"
)
NATIONALITY = rf"(?P<value>(?i:{NATIONALITIES}))\b"
WHO = re.compile(
    r"""\b(?:(?P<reporter>I|I'm|me|my|caller|member|client|reporter|service\s+user)
          | (?P<offender>he|him|his|he's|man|men|guy|bloke|punter|lad|fella|male|offender|suspect)
          | (?P<she>she|her|woman|girl)           # the reporter in a caseworker's note
          | (?P<other>they|friend|maid|driver)
        )\b""",
    re.VERBOSE | re.IGNORECASE,
)
FIRST_PERSON = re.compile(r"\b(?:I|me|my|myself)\b")
THIRD_PERSON = re.compile(r"\b(?:she|her|herself)\b", re.IGNORECASE)
SENTENCE_END = re.compile(r"[.!?\n]")
REASON = "the reporter describes themself"


def _cue(name: str, pattern: str, entity: str, score: float) -> Cue:
    return Cue(name, re.compile(pattern, re.VERBOSE), entity, score, "reporter", REASON)


class ReporterDescriptionRecognizer(CueRecognizer):
    """Ages and nationalities the reporter gives about themself; never the offender's."""

    CUES = (
        _cue(
            "I am 24",
            rf"""
            {I_AM}(?:(?i:only|just|nearly|almost|about|now|turning)\s+)?  # "I'm only"
            {AGE}{NOT_AN_AGE}                                             # "24", not "24 mins"
            """,
            "AGE",
            0.85,
        ),
        _cue(
            "I am a 24 year old",
            rf"""
            {I_AM}(?i:a|an)\s+{AGE}[\s-]*(?i:years?|yrs?|yr|y/?o)         # "I'm a 24 year old"
            """,
            "AGE",
            0.85,
        ),
        _cue(
            "caller is 19",
            rf"""
            {CASEWORKER_SUBJECT}(?:\s+[A-Z][a-z]+)?                      # "Member Stacey"
            \s*(?:\(|,|(?i:is|was|'s))\s*                                 # "is", "("
            (?:(?i:a|an|only|just|aged|age)\s+)?{AGE}{NOT_AN_AGE}         # "19"
            """,
            "AGE",
            0.85,
        ),
        _cue(
            "24yo or aged 24",
            rf"""
            (?:\b(?i:age|aged)\s*:?\s*{AGE}                               # "aged 22", "age: 23"
             | (?<![0-9])(?P<age>[1-9][0-9])\s*                      # "24", then
               (?i:yo|y/o|y\.o\.|yrs?\s+old|years?\s+old)\b)           # "yo", "years old"
            """,
            "AGE",
            0.7,
        ),
        _cue(
            "I am Nina, 34",
            rf"""
            {I_AM}[^.!?\n]{{0,60}}?[,(]\s*{AGE}{NOT_AN_AGE}    # "I am Nina on the adverts (…), 34"
            (?=\s*[,)]|\s+(?i:and|yo|years?|yrs?)\b)          # ", polish", " and Polish"
            """,
            "AGE",
            0.75,
        ),
        _cue(
            "I am Nina, 34, polish",
            rf"""
            {I_AM}[^.!?\n]{{0,60}}?,\s*[0-9]{{2}}\s*,\s*{NATIONALITY}  # "I am Nina, 34, polish"
            """,
            "NATIONALITY",
            0.75,
        ),
        Cue(
            "I'm from Leeds",
            re.compile(
                rf"""
                (?i:{HOME_PLACE})                                  # "family in", "I'm from"
                (?P<value>[A-Z][a-z]+(?:[\s-][A-Z][a-z]+){{0,2}})  # "Fife", "Milton Keynes"
                """,
                re.VERBOSE,
            ),
            "LOCATION",
            0.6,
            "reporter",
            "where the member lives or comes from",
        ),
        _cue(
            "I am Polish",
            rf"""
            {I_AM}{FILLER}{NATIONALITY}                   # "I'm Polish", "I'm the only Thai"
            """,
            "NATIONALITY",
            0.85,
        ),
        _cue(
            "caller is Chinese",
            rf"""
            {CASEWORKER_SUBJECT}\s*(?:\(|,|(?i:is|was))\s*      # "Caller (", "Member is"; not
            (?:(?i:who\s+is|who's)\s+)?{FILLER}{NATIONALITY} # "the worker's English": a language
            """,
            "NATIONALITY",
            0.85,
        ),
        _cue(
            "as a Polish woman",
            rf"""
            \b(?i:as|being|for)\s+(?:(?i:a|an)\s+)?{NATIONALITY}                  # "as a Polish"
            (?=\s+(?i:woman|girl|worker|escort|lady|sex\s+worker|trans))          # "woman"
            """,
            "NATIONALITY",
            0.7,
        ),
        _cue(
            "as a Filipina",
            rf"""
            \b(?i:as|being)\s+(?i:a|an)\s+{NATIONALITY}                  # "as a filipina no one"
            (?!\s+(?i:man|guy|bloke|lad|fella|client|punter|gentleman))  # not "as a Polish man"
            """,
            "NATIONALITY",
            0.6,
        ),
        _cue(
            "21 and Hungarian",
            rf"""
            \b(?i:is|was)\s+[1-9][0-9]\s+(?i:and)\s+{NATIONALITY}  # "is 21 and Hungarian"
            """,
            "NATIONALITY",
            0.7,
        ),
        _cue(
            "Polish, 27",
            rf"""
            \b(?=[A-Za-z]+\s*,\s*[1-9][0-9])          # a cheap look before the long list
            (?i:{NATIONALITIES})\s*,\s*{AGE}{NOT_AN_AGE}    # "Caller is Polish, 27"
            """,
            "AGE",
            0.7,
        ),
        _cue(
            "is 21",
            rf"""
            \b(?i:is|was)\s+(?:(?i:only|just)\s+)?{AGE}{NOT_AN_AGE}  # "The first woman is 21"
            (?!\s*(?i:or|to|-)\s*[0-9])                           # not "is 21 or 22" counts
            """,
            "AGE",
            0.6,
        ),
        _cue(
            "Donna (46)",
            rf"""
            \b[A-Z][a-z]+\s*\(\s*{AGE}\s*\)                       # "Donna (46)"
            """,
            "AGE",
            0.6,
        ),
        _cue(
            "from a country",
            rf"""
            \b(?i:from)\s+(?P<value>{COUNTRIES})\b                                # "from Ukraine"
            """,
            "NATIONALITY",
            0.7,
        ),
    )
    SUBJECT_CHECKED = frozenset(
        {
            "24yo or aged 24",
            "as a Polish woman",
            "from a country",
            "Polish, 27",
            "is 21",
            "21 and Hungarian",
        }
    )
    """Cues without a subject of their own: the last person before them must be the reporter."""

    def validate_result(self, value: str) -> bool | None:
        """Accept ages from 16 to 79; anything else is a count, a time or a price."""
        return 16 <= int(value) <= 79 if value.isdigit() else None

    def judge(self, cue: Cue, match: re.Match[str], text: str, doc: Doc | None) -> Hit | None:
        """Keep a subjectless cue only when the reporter is who the sentence is about."""
        group = "age" if match.groupdict().get("age") else "value"
        start, end = match.span(group)
        whose = _whose(text, match.start()) if cue.name in self.SUBJECT_CHECKED else "reporter"
        if cue.name == "Donna (46)":  # a named person's age: the member's in a caseworker's note
            before = _whose(text, match.start())
            whose = "reporter" if before is None and _third_person(text) else None
        if whose != "reporter" and not (whose is None and cue.name == "as a Polish woman"):
            return None  # "he was 24yo", "he's from Romania": not the reporter
        return Hit(start, end, cue.score, cue.role, cue.reason)


def _whose(text: str, start: int) -> str | None:
    """Find who the sentence is about up to *start*: the last person word before it.

    "she" is the reporter in a caseworker's note (more she/her than I/me/my), else someone else.
    """
    ends = [m.end() for m in SENTENCE_END.finditer(text, max(0, start - 200), start)]
    sentence_start = ends[-1] if ends else max(0, start - 200)
    last = None
    for who in WHO.finditer(text, sentence_start, start):
        last = who.lastgroup
    if last == "she":
        return "reporter" if _third_person(text) else "other"
    return last


def _third_person(text: str) -> bool:
    """Tell a caseworker's note: more 'she/her' than 'I/me/my'."""
    return len(THIRD_PERSON.findall(text)) > len(FIRST_PERSON.findall(text))
