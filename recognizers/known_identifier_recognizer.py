"""The reporter's known identifiers found again in any case, spacing, punctuation or format."""

from __future__ import annotations

import re
from itertools import combinations

import phonenumbers
from presidio_analyzer import AnalysisExplanation, EntityRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts
from spacy.tokens import Doc

from pipeline.report import KnownIdentifiers
from recognizers import ROLE_HINT, ROLE_REASON
from recognizers.email_address_recognizer import AT_WRITTEN, DOT_SPELLED
from recognizers.phone_digits import find_numbers, national_digits

_DOT = rf"(?:\s*\.\s*|{DOT_SPELLED})"  # "." or "dot", "(dot)"
NICKNAME_MIN_NAME = 4
"""Known names (and email or handle words) this long or longer give short forms."""
NICKNAME_MIN_STEM = 4
"""A bare shortened name is this long at least ('Jess', 'Steph'; not 'Can' for Candice)."""
NICKNAME_ENDINGS = ("y", "ie", "i", "ee", "ey")
"""Endings a shortened name takes ('Roxy', 'Jessie', 'Dani')."""
NOT_NICKNAMES = frozenset(
    "can cany cani cane came many army any also away body bony busy city copy easy envy holy "
    "lady navy only pity very sexy".split()
)
"""Ordinary words a short form could make; never sought as a name."""
COMMON_WORDS = frozenset(
    """stay bell bells sand brand bran bray band bank bare card care cart case cash chat fair
    fall fast fine fire fish free game hand hard hare harm hate head heat help here hill home
    hone jack joke kind king kiss lane last late less life like line lock long love luck made
    mail main make male mall mark mate meet mile mill mind mine miss mist more most much nice
    note pain pair pale park part pass past pick pine pink play poll poor post rain rang rare
    rest rich ride ring rise road rock role roll room rosy rule rush safe sale same save seen
    sell send shed shop show side sign sing site slim snow soft song soon sort star step stop
    such suit sure take tall tame tell tend term than that them then they thin this town trip
    true turn wall want warm wash wave ways wear week well went were west what when will wind
    wine wing wise wish with wood word work year your""".split()
)
"""Frequent words a short form can make: sought only where the text writes them as a name."""
SHORTENED = "matches the reporter's known name, shortened"
FROM_EMAIL = "matches a name in the reporter's known email"
MONTHS = frozenset(
    "january february march april may june july august september october november december".split()
)
WORD = re.compile(r"(?<![\w.@])[^\W\d_]{3,}(?![\w@])")
"""A word that may be a short form of a known name (not inside an email or a handle)."""
SPELLED = re.compile(r"(?<![\w.@])(?:[A-Za-z][\s.\-_*]{1,2}){2,}[A-Za-z](?![\w@])")
"""Letters spelled out one by one: 'T A M S I N', 'V-e-l-v-e-t', 'V.E.L.V.E.T'."""
_POSTCODE = re.compile(r"(?i)\b([A-Z]{1,2}[0-9][A-Z0-9]?)\s*([0-9][A-Z]{2})\b")  # M1 1EA
_PREMISE_WORDS = r"(?:flat|apartment|apt\.?|unit|suite)"
_PREMISES = re.compile(
    rf"(?i)\b{_PREMISE_WORDS}\s*(?:no\.?|number)?\s*([0-9]+[A-Za-z]?|[A-Za-z]\b)"
)
STREET_TYPES = {
    "street": "st", "road": "rd", "avenue": "ave", "lane": "ln", "drive": "dr", "close": "cl",
    "court": "ct", "place": "pl", "terrace": "terr?", "crescent": "cres", "gardens": "gdns",
    "square": "sq", "grove": "gr", "parade": "pde", "way": "way", "row": "row", "walk": "walk",
}  # fmt: skip
"""A street type and its usual abbreviation: 'Lever Street' is also written 'Lever St.'."""
_STREET = re.compile(
    rf"""(?ix)\b(?P<number>[0-9]+[A-Z]?)?,?\s*         # 22 (optional)
    (?P<name>(?:[A-Z'\-]+\s+){{1,3}}?                    # Lever, St John's
    (?:{"|".join(STREET_TYPES)}))\b                    # Street, Road, …"""
)
_NUMBERED = re.compile(r"^([0-9]+[A-Za-z]?)\s+(\D+)$")  # "22 The Meadows": no street type


class KnownIdentifierRecognizer(EntityRecognizer):
    """Finds ``reporter.known_identifiers`` again in a report's text; built per report."""

    PER_REPORT = True
    SCORE = 1.0
    ENTITIES = ("PERSON", "PHONE_NUMBER", "EMAIL_ADDRESS", "HANDLE", "STREET_ADDRESS",
                "UK_POSTCODE", "PREMISES_NUMBER")  # fmt: skip
    MIN_NAME_PART = 3
    """Parts of a multi-word name this long or longer are matched alone ('Sarah', 'Jones')."""

    def __init__(self, known: KnownIdentifiers) -> None:
        self.phones = frozenset(national_digits(p) for p in known.phones if p.strip())
        self.searches: tuple[tuple[str, re.Pattern[str], str], ...] = (
            *self._name_searches(known.names),
            *[s for phone in known.phones for s in self._phone_searches(phone)],
            *[s for email in known.emails for s in self._email_searches(email)],
            *[s for handle in known.handles for s in self._handle_searches(handle)],
            *[s for address in known.addresses for s in self._address_searches(address)],
        )
        self.words = self._name_words(known)
        self.spelled = frozenset(
            word.lower()
            for name in known.names
            for word in re.findall(r"[^\W\d_]+", name)
            if len(word) >= self.MIN_NAME_PART
        )
        super().__init__(
            supported_entities=list(self.ENTITIES),
            name="KnownIdentifierRecognizer",
            supported_language="en",
        )

    def load(self) -> None:
        """Nothing to load: the searches are built from the report in the constructor."""

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        """Every place the reporter's known identifiers appear; the longest wins an overlap."""
        found = [
            (m.start(), m.end(), entity, reason)
            for entity, pattern, reason in self.searches
            for m in pattern.finditer(text)
        ]
        found += [
            (n.start, n.end, "PHONE_NUMBER", "matches the reporter's known phone")
            for n in find_numbers(text, self.phones.__contains__)
        ]
        if self.words:  # one scan for every short form: cheaper than compiling them per report
            found += [
                (m.start(), m.end(), "PERSON", self.words[m[0].lower()])
                for m in WORD.finditer(text)
                if m[0].lower() in self.words
            ]
        found += [
            (m.start(), m.end(), "PERSON", "matches the reporter's known name, spelled out")
            for m in SPELLED.finditer(text)
            if re.sub(r"[^A-Za-z]", "", m[0]).lower() in self.spelled
        ]
        doc = nlp_artifacts.tokens if nlp_artifacts is not None else None
        results: list[RecognizerResult] = []
        for start, end, entity, reason in sorted(found, key=lambda f: (f[0] - f[1], f[0])):
            if entities and entity not in entities:
                continue
            if reason == SHORTENED and not _written_as_a_name(text, start, end, doc):
                continue
            if reason == FROM_EMAIL and not _written_as_a_name(text, start, end, doc, strict=True):
                continue
            if (
                entity == "PERSON"
                and text[start:end].lower() in MONTHS
                and _in_a_date(text, start, end)
            ):
                continue  # "12 May 2025" in a headline: a month, even for a member called May
            if not any(r.start < end and start < r.end for r in results):
                results.append(self._result(start, end, entity, reason))
        return sorted(results, key=lambda r: r.start)

    @classmethod
    def _name_searches(cls, names: list[str]) -> list[tuple[str, re.Pattern[str], str]]:
        """One search for every name and every part of 3+ letters of a multi-word name."""
        written: set[str] = set()
        for name in names:
            parts = [re.escape(part) for part in re.findall(r"[^\s\-]+", name)]
            written |= {r"[\s\-]+".join(parts)} if parts else set()
            written |= (
                {p for p in parts if len(p) >= cls.MIN_NAME_PART} if len(parts) > 1 else set()
            )
        if not written:
            return []
        longest_first = "|".join(sorted(written, key=len, reverse=True))
        return [("PERSON", _bounded(longest_first), "matches the reporter's known name")]

    @classmethod
    def _name_words(cls, known: KnownIdentifiers) -> dict[str, str]:
        """Short forms of the known names, and the name-like words of known emails.

        'Roxy' for Roxanne, 'Sash' for Sasha, 'Candy' for Candice; 'Bethany' for bethany.r.fox.
        """
        words = {w for name in known.names for w in re.findall(r"[^\W\d_]+", name)}
        nicknames: set[str] = set()
        for word in (w.lower() for w in words if len(w) >= NICKNAME_MIN_NAME):
            for cut in range(3, len(word)):
                stem = word[:cut]
                nicknames |= {stem + ending for ending in NICKNAME_ENDINGS}
                if cut >= NICKNAME_MIN_STEM:
                    nicknames.add(stem)
        nicknames -= {w.lower() for w in words} | NOT_NICKNAMES
        local_words = (
            {
                part.lower()
                for value in known.emails  # a handle's parts are sought as the handle's
                for part in re.findall(r"[^\W\d_]+", value.partition("@")[0])
                if len(part) >= NICKNAME_MIN_NAME
            }
            - {w.lower() for w in words}
            - _towns()
        )  # "steph.norwich.companion": Norwich is a town
        run_together = {
            "".join(pair).lower()  # "TamsinOkonkwo" (a stripped zero-width space), "SarahJones"
            for name in known.names
            for pair in combinations(re.findall(r"[^\W\d_]+", name), 2)
        }
        return (
            {word: FROM_EMAIL for word in local_words}
            | {word: SHORTENED for word in nicknames}
            | {word: "matches the reporter's known name, run together" for word in run_together}
        )

    @staticmethod
    def _phone_searches(phone: str) -> list[tuple[str, re.Pattern[str], str]]:
        """Search the number's digits with any separators, and a foreign number's national form."""
        forms = {re.sub(r"\D", "", phone)}
        if phone.strip().startswith("+"):
            try:
                parsed = phonenumbers.parse(phone)
                forms |= {f"{parsed.national_number}", f"0{parsed.national_number}"}
            except phonenumbers.NumberParseException:
                pass  # its digits as written are still searched
        return [
            (
                "PHONE_NUMBER",
                re.compile(rf"(?<![\d+])(?:\+|00)?{separated}(?!\d)"),
                "matches the reporter's known phone",
            )
            for separated in (r"[\s.\-()/]*".join(digits) for digits in forms if len(digits) >= 6)
        ]

    @staticmethod
    def _email_searches(email: str) -> list[tuple[str, re.Pattern[str], str]]:
        local, _, domain = email.strip().partition("@")
        if not domain:
            return []
        written = [_DOT.join(re.escape(p) for p in part.split(".")) for part in (local, domain)]
        searches = [("EMAIL_ADDRESS", _bounded(AT_WRITTEN.join(written), re.VERBOSE),
                     "matches the reporter's known email")]  # fmt: skip
        if re.search(r"[0-9._\-]", local) and len(local) >= 5:  # "candy.escort" is as telling
            searches.append(("HANDLE", _bounded(written[0], re.VERBOSE),
                             "matches the reporter's known email's user name"))  # fmt: skip
        return searches

    @staticmethod
    def _handle_searches(handle: str) -> list[tuple[str, re.Pattern[str], str]]:
        parts = [re.escape(p) for p in re.split(r"[._\-\s]+", handle.strip().lstrip("@")) if p]
        if sum(map(len, parts)) < 3:
            return []
        pattern = _bounded("@?" + r"[\s._\-]?".join(parts))  # candyxx_mcr, @CandyXX.mcr
        searches = [("HANDLE", pattern, "matches the reporter's known handle")]
        telling = [p for p in parts if len(p) >= 5] if len(parts) > 1 else []
        if telling:  # "I'm velvetxx on twitter" for velvetxx_lds
            pattern = _bounded("@?(?:" + "|".join(telling) + ")")
            searches.append(("HANDLE", pattern, "matches the reporter's known handle, in part"))
        return searches

    @staticmethod
    def _address_searches(address: str) -> list[tuple[str, re.Pattern[str], str]]:
        words = re.findall(r"\w+", address)
        searches = [("STREET_ADDRESS", _bounded(r"\W{1,4}".join(map(re.escape, words))),
                     "matches the reporter's known address")] if words else []  # fmt: skip
        for postcode in _POSTCODE.finditer(address):
            pattern = _bounded(rf"{postcode[1]}\s*{postcode[2]}")
            searches.append(("UK_POSTCODE", pattern, "matches the reporter's known postcode"))
            if len(postcode[1]) >= 3:  # "LS8" alone; "M1" alone is also a motorway
                searches.append(("UK_POSTCODE", _bounded(postcode[1]),
                                 "matches the reporter's known postcode district"))  # fmt: skip
        for premises in _PREMISES.finditer(address):
            pattern = _bounded(rf"{_PREMISE_WORDS}\s*(?:no\.?|number|\#)?\s*{premises[1]}")
            searches.append(("PREMISES_NUMBER", pattern, "matches the reporter's flat number"))
        for street in _STREET.finditer(address):
            name = _street_name(street["name"])
            searches.append(("STREET_ADDRESS", _bounded(name), "matches the reporter's street"))
            if number := street["number"]:
                searches.append(("STREET_ADDRESS", _bounded(rf"{number}\W{{0,3}}{name}"),
                                 "matches the reporter's street and number"))  # fmt: skip
                searches.append(("PREMISES_NUMBER", _bounded(rf"(?:no\.?|number)\s*{number}"),
                                 "matches the reporter's house number"))  # fmt: skip
        for segment in re.split(r"[,\n]", address):
            numbered = _NUMBERED.match(segment.strip())
            if numbered and not _STREET.search(segment):
                pattern = _bounded(r"\W{1,3}".join(map(re.escape, numbered[0].split())))
                searches.append(("STREET_ADDRESS", pattern, "matches the reporter's house number"))
        return searches

    def _result(self, start: int, end: int, entity: str, reason: str) -> RecognizerResult:
        return RecognizerResult(
            entity,
            start,
            end,
            self.SCORE,
            analysis_explanation=AnalysisExplanation(self.name, self.SCORE, pattern_name=reason),
            recognition_metadata={
                RecognizerResult.RECOGNIZER_NAME_KEY: self.name,
                RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id,
                ROLE_HINT: "reporter",
                ROLE_REASON: reason,
            },
        )


def _bounded(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """Compile *pattern* case-insensitively, not inside a longer word, email or handle."""
    return re.compile(rf"(?<![\w.@])(?:{pattern})(?![\w@])", flags | re.IGNORECASE)


def _street_name(street: str) -> str:
    """'Lever Street' as a pattern that also reads 'lever st.'; other streets as written."""
    *name, kind = street.split()
    abbreviation = STREET_TYPES.get(kind.lower())
    if not name or abbreviation is None:
        return re.escape(street)
    return r"\s+".join(map(re.escape, name)) + rf"\s+(?:{re.escape(kind)}|{abbreviation})\.?"


def _written_as_a_name(
    text: str, start: int, end: int, doc: Doc | None, *, strict: bool = False
) -> bool:
    """Tell whether a short form that is also a frequent word ('stay', 'bell') is a name here.

    Any other short form ('roxy', 'Sash') is a name; a frequent word, or any word of an email
    address when *strict* ('escort' in candy.escort@…), only where it is capitalised
    mid-sentence or spaCy reads a proper noun.
    """
    if not strict and text[start:end].lower() not in COMMON_WORDS:
        return True
    window = doc.char_span(start, end, alignment_mode="expand") if doc is not None else None
    if window is not None and len(window):
        token = window[0]
        return token.pos_ == "PROPN" or (token.text[:1].isupper() and not token.is_sent_start)
    return text[start : start + 1].isupper()


def _towns() -> frozenset[str]:
    """Known UK towns and regions (``pipeline/uk_places.txt``): never a name from an email."""
    from pipeline.roles import general_areas  # the list lives with the role rules

    return general_areas()


def _in_a_date(text: str, start: int, end: int) -> bool:
    """Tell whether the word at *start*–*end* stands beside a number, as a month in a date does."""
    return bool(re.search(r"\d\s+$", text[max(0, start - 4) : start])) or bool(
        re.match(r"\s+\d", text[end : end + 3])
    )
