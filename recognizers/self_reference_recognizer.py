"""The reporter's own names, numbers, emails and handles, found by a first-person cue."""

from __future__ import annotations

import re

from spacy.tokens import Doc

from recognizers.cues import Cue, CueRecognizer, Hit, in_quotes, token_at
from recognizers.person_words import NATIONALITIES, NOT_A_NAME
from recognizers.phone_digits import find_numbers

NAME = r"[A-Z][a-z]+(?:-[A-Z][a-z]+|['\u2019][A-Z][a-z]+)?"
ANY_CASE_NAME = r"[A-Za-z][a-z]+(?:-[A-Za-z][a-z]+|'[A-Z][a-z]+)?"
IS = r"\s*(?:is|was|'s|\u2019s|:|=|-)?\s*"
MY = (
    r"\b(?i:my)\s+"
    r"(?:(?i:work|working|personal|private|own|other|new|old|second|business|main|real)\s+)?"
)
NATIONALITY = re.compile(rf"(?:{NATIONALITIES})", re.IGNORECASE)
NOT_NAME_POS = frozenset(
    {"ADJ", "ADV", "ADP", "VERB", "NUM", "DET", "PRON", "CCONJ", "SCONJ", "PART"}
)
PLACE_AFTER = re.compile(r"\s+(?:based|born|bred|side)\b", re.IGNORECASE)
REASON = "the reporter names themself"


def _cue(
    name: str,
    pattern: str,
    score: float,
    entity: str = "PERSON",
    reason: str = REASON,
    tail: int = 0,
) -> Cue:
    return Cue(name, re.compile(pattern, re.VERBOSE), entity, score, "reporter", reason, tail)


class SelfReferenceRecognizer(CueRecognizer):
    """Working and real names the reporter gives, and the number, email or handle after "my …"."""

    STRONG = frozenset({"my name is", "working name", "I work as", "me (name)", "caller (name)"})
    """Cues that make any word a name ("my name is honey"); the others need a capitalised noun."""
    CUES = (
        _cue(
            "my name is",
            rf"""
            {MY}(?i:name|names|name\s+here)                       # "my real name"
            (?:\s+(?i:is|was|'s|\u2019s|:|=)\s+(?P<any>{ANY_CASE_NAME})  # "is honey"
             | \s+(?P<capital>{NAME}))                             # "Jade" without "is"
            (?:\s+(?P<surname>{NAME}))?                            # "Jones"
            """,
            0.95,
            reason="the reporter says 'my name is'",
        ),
        _cue(
            "X is my name",
            rf"""
            (?P<value>{NAME})\s+(?i:is|was|'s)\s+{MY}(?i:name)\b  # "Crystal is my working name"
            """,
            0.95,
            reason="the reporter says '… is my name'",
        ),
        _cue(
            "working name",
            rf"""
            \b(?i:working|work|escort|stage|profile)\s+(?i:name){IS}   # "working name:"
            (?P<value>{NAME})                                          # "Ruby"
            """,
            0.9,
            reason="the reporter gives a working name",
        ),
        _cue(
            "I work as",
            rf"""
            \b(?:I|i)\s+(?i:work|worked|go|went|advertise|am\s+known|'m\s+known)\s+(?i:as|by|under)\s+
            ["\u201c']?(?P<value>{NAME})                               # "I go by Ruby"
            """,
            0.9,
            reason="the reporter says 'I work as' / 'I go by'",
        ),
        _cue(
            "my job at",
            r"""
            \b(?:(?i:my)\s+(?:(?i:day|other|real|proper)\s+)?           # "my day"
                (?i:job(?:\s+title)?|work|employer|office|workplace|boss) # "job title"
                (?:\s*,|\s+(?i:at|with|for|is|was))?                     # "at", ","
             | \b(?i:I)\s+(?i:work|worked)\s+(?i:at|for)                 # "I work for"
            )\s+(?:(?i:the)\s+)?
            (?P<value>(?!(?:The|A|An|My|His|Her|Home|Night|Nights|Weekends)\b)
                [A-Z][A-Za-z&'\u2019-]+(?:\s+(?:&\s+)?[A-Z][A-Za-z&'\u2019-]+){0,3})  # "Pennine"
            """,
            0.7,
            "ORGANIZATION",
            reason="where the reporter works in the day: it identifies her",
        ),
        _cue(
            "call me",
            rf"""
            \b(?i:call\s+me|called\s+me|I'm\s+called|I\s+am\s+called)\s+  # "call me", "I'm called"
            ["\u201c']?(?P<value>{NAME})                                # "Candy"
            """,
            0.85,
            reason="the reporter says 'call me' / 'I'm called'",
        ),
        _cue(
            "I am",
            rf"""
            \b(?:I|i)(?:'m|\u2019m|\s+am|m)\s+(?P<value>{NAME})\b       # "I'm Jade", "im Amber"
            """,
            0.8,
            reason="the reporter says 'I'm …'",
        ),
        _cue(
            "asked for",
            rf"""
            \b(?i:asked|asking|ask|asks|rang\s+for|requested|booked)\s+(?i:for\s+)?  # "asked for"
            ["\u201c']?(?P<value>{NAME})\b                              # "Honey"
            """,
            0.8,
            reason="the name the offender asked for is the reporter's working name",
        ),
        _cue(
            "this is",
            rf"""
            \b(?i:this\s+is|it's|it\u2019s)\s+(?P<value>{NAME})        # "this is Amber"
            (?=\s*(?:here|from|speaking|[,.!]|x|$))                    # "… here", "…,"
            """,
            0.7,
            reason="the reporter says 'this is …'",
        ),
        _cue(
            "caller (name)",
            rf"""
            \b(?i:caller|member|client|service\s+user|worker|reporter|she)\s*\(\s*  # "Caller ("
            (?P<value>{NAME})\s*[),]                                    # "Jade)"
            """,
            0.9,
            reason="the caseworker names the caller",
        ),
        _cue(
            "the worker, name,",
            rf"""
            \b(?i:the\s+)?(?i:worker|member|caller|reporter|victim|survivor)  # "the worker"
            \s*,\s*                                                   # ", "
            (?P<value>{NAME})\s*,                                       # "Jade,"
            """,
            0.85,
            reason="the caseworker names the worker",
        ),
        _cue(
            "me (name)",
            rf"""
            \b(?i:me|myself)\s*\(\s*(?P<value>{NAME})\s*\)              # "me (Amber)"
            """,
            0.95,
            reason="the reporter names themself in brackets",
        ),
        _cue(
            "sign-off",
            rf"""
            (?:(?i:thanks|thank\s+you|thankyou|cheers|ta|regards|best\s+wishes|love(?:\s+from)?)
               \s*[,!.]?\s+ | (?:^|\n)\s*[-\u2013\u2014~]+\s*)          # "Thanks, ", "- "
            (?P<value>{NAME})\s*(?i:x+)?\s*[.!]*\s*\Z                   # "Jade x" at the very end
            """,
            0.85,
            reason="the reporter signs off with a name",
            tail=60,
        ),
        _cue(
            "my number",
            rf"""
            {MY}(?i:phone\s+number|number|phone|mobile|mob|no\.?|cell|work\s+phone|whatsapp|tel)
            {IS}(?=\S)                                                  # the number follows
            """,
            1.0,
            "PHONE_NUMBER",
            "the reporter says 'my number'",
        ),
        _cue(
            "my email",
            rf"""
            {MY}(?i:e-?\s?mail)(?:\s+(?i:address))?{IS}                 # "my email is"
            (?P<value>[\w.+-]+(?:@|\s+at\s+)                   # "candy@", "candy at "
                [\w-]+(?:(?:\.|\s+dot\s+)[\w-]+)+)              # "example.com", "example dot com"
            """,
            1.0,
            "EMAIL_ADDRESS",
            "the reporter says 'my email'",
        ),
        _cue(
            "my handle",
            rf"""
            {MY}(?i:insta(?:gram)?|ig|snap(?:chat)?|twitter|tiktok|onlyfans|telegram|handle|username
                |user\s*name|profile|account|adultwork|AW)(?:\s+(?i:handle|name|username|account|profile))?
            {IS}(?P<value>@[\w.]{{2,30}}|[\w.]*[_\d.][\w.]*)\b          # "@candyxx", "candy_x"
            """,
            1.0,
            "HANDLE",
            "the reporter says 'my insta' / 'my profile'",
        ),
    )

    def judge(self, cue: Cue, match: re.Match[str], text: str, doc: Doc | None) -> Hit | None:
        """Take the number after "my number"; refuse states, nationalities and quoted speech."""
        if cue.entity == "PHONE_NUMBER":
            number = next(find_numbers(text[match.end() : match.end() + 80]), None)
            if number is None or text[match.end() : match.end() + number.start].strip():
                return None
            start, end = match.end() + number.start, match.end() + number.end
            return Hit(start, end, cue.score, cue.role, cue.reason)
        start, end = _name_span(match) if cue.name == "my name is" else cue.value_span(match)
        if cue.entity == "PERSON":
            words = text[start:end].split()
            if len(words) > 1 and words[1].lower() in NOT_A_NAME:
                end = start + len(words[0])
            if not self._is_name(cue, text, start, end, doc):
                return None
        if in_quotes(text, match.start()):
            return Hit(
                start, end, 0.5, None, ""
            )  # someone else's first person: the role step decides
        return Hit(start, end, cue.score, cue.role, cue.reason)

    def _is_name(self, cue: Cue, text: str, start: int, end: int, doc: Doc | None) -> bool:
        value = text[start:end]
        if value.lower() in NOT_A_NAME or NATIONALITY.fullmatch(value):
            return False
        if cue.name in self.STRONG:
            return True
        if PLACE_AFTER.match(text, end):
            return False  # "I'm Leeds based"
        token = token_at(doc, start, end)
        if token is None:
            return True
        if cue.name == "this is" and token.ent_type_ in {"GPE", "LOC"}:
            return False  # "this is Leeds"; after "I'm" a place-like name is still kept as a name
        return token.pos_ not in NOT_NAME_POS and token.ent_type_ != "NORP"


def _name_span(match: re.Match[str]) -> tuple[int, int]:
    """Find the first name (any case after "is", else capitalised) and an optional surname."""
    first = "any" if match.group("any") else "capital"
    last = "surname" if match.group("surname") else first
    return match.start(first), match.end(last)
