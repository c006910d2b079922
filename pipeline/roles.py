"""Decide whose each finding is: reporter, offender, third party, venue, area or unknown.

Evidence is weighed in a fixed order, strongest first, and the first rule that speaks wins; each
rule leaves a short reason a caseworker can read:

1. the value is one of the reporter's known identifiers (any spelling) → reporter;
2. the value equals a structured offender detail (same phone digits, plate, email, username or
   name used) → offender;
3. the recogniser's own cue ("my name is", "Premier Inn", "my friend Kelly") → its hint;
4. the grammar of the sentence: possessives ("my work phone", "his reg"), the subject of a verb
   ("he rang from …"), the called party ("he rang me on …"), naming verbs ("called himself");
5. the kind of detail (venues, addresses, room numbers are the venue's; towns are the area);
6. otherwise unknown, which the redaction policy removes and flags.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from functools import cache, cached_property
from pathlib import Path

from spacy.tokens import Doc, Token

from pipeline import identifiers
from pipeline.analysis import ReportAnalysis
from pipeline.findings import PERSONAL_DETAILS, Entity, Finding, Role, Span
from pipeline.report import Report
from recognizers.person_words import HOME_PLACE
from recognizers.venue_recognizer import SHOPS

NAME_TITLES = frozenset(
    {
        "mr",
        "mrs",
        "ms",
        "miss",
        "dr",
        "officer",
        "pc",
        "sgt",
        "the",
        "a",
        "lad",
        "guy",
        "man",
        "client",
        "punter",
        "called",
        "named",
    }
)
NER_NAME_TYPES = frozenset({"PERSON", "ORGANIZATION", "LOCATION", "NATIONALITY"})
"""spaCy's small model often labels a first name as an organisation, place or nationality."""

VENUE_ENTITIES = frozenset(
    {Entity.VENUE, Entity.STREET_ADDRESS, Entity.PREMISES_NUMBER, Entity.UK_POSTCODE}
)
OWNED_ENTITIES = PERSONAL_DETAILS
CONTACT_VERBS = frozenset(
    {
        "ring",
        "call",
        "phone",
        "text",
        "message",
        "whatsapp",
        "contact",
        "email",
        "dm",
        "send",
        "book",
        "reach",
        "bell",
        "snapchat",
        "ping",
        "facetime",
    }
)
NAMING_CUES = (
    (
        re.compile(
            r"\b(?:call(?:ed|s)?|nam(?:ed|es?))\s+himself\s*$|\bhis\s+name\s+(?:is|was|'s)\s*$"
            r"|\bhe\s+(?:said|says|claimed|told\s+me)\s+(?:he\s+was|his\s+name\s+was|it\s+was)\s*$"
            r"|\b(?:introduced|presented)\s+himself\s+as\s*$|\bhe\s+(?:goes|went)\s+by\s*$"
            r"|\bgave\s+(?:his\s+name\s+as|the\s+name)\s*$|\bbooked\s+(?:as|under)\s*$"
            r"|\b(?:client|punter|guy|customer|regular)\s+"
            r"(?:called|named|calling\s+himself|who\s+called\s+himself|going\s+by)\s*[\"']?$"
            r"|\bcalling\s+himself\s*[\"']?$|\bgoes\s+by\s*$|\bhis\s+name\s+as\s*$"
            r"|\b(?:under|using|used|gave|giving|with)\s+(?:the|a)\s+(?:other\s+)?name"
            r"(?:\s+of)?\s*[\"'\u201c]?$",
            re.I,
        ),
        "offender",
    ),
    (
        re.compile(r"\bher\s+name\s+(?:is|was|'s)\s*$|\bshe\s+(?:is|was|'s)\s+called\s*$", re.I),
        "her",
    ),
)
OFFENDER_NOUNS = frozenset(
    {
        "client",
        "punter",
        "man",
        "guy",
        "bloke",
        "customer",
        "offender",
        "suspect",
        "attacker",
        "john",
        "fella",
        "lad",
    }
)
THIRD_PARTY_NOUNS = frozenset(
    {
        "maid",
        "friend",
        "driver",
        "girl",
        "colleague",
        "flatmate",
        "mate",
        "receptionist",
        "sister",
        "partner",
        "boyfriend",
        "housemate",
        "neighbour",
        "manager",
        "boss",
        "witness",
        "worker",
        "lady",
        "woman",
    }
)
REPORTER_NOUNS_THIRD_PERSON = frozenset(
    {"caller", "member", "worker", "victim", "survivor", "client_of_service", "reporter"}
)
HOME_PLACE_CUE = re.compile(rf"{HOME_PLACE}$", re.VERBOSE | re.IGNORECASE)
"""The member's home place cue, right before a place name."""
PHONE_MASK = re.compile(r"(?:\.{2,}|\u2026|[xX*#?]{2,})$")
"""The hidden end of a partly written number."""
POLICE_FORCE_WORDS = re.compile(r"\b(?:police|constabulary|met)\b", re.I)
STREET_WORDS = re.compile(
    r"\b(?:street|st|road|rd|lane|ln|avenue|ave|close|crescent|drive|way|place|terrace|grove|"
    r"gardens|court|row|walk|square|parade|wharf|mews|hotel|inn|lodge|sauna|parlour)\b\.?",
    re.I,
)


@dataclass(frozen=True, slots=True)
class Voice:
    """Who the pronouns point at: first-person accounts vs third-person caseworker notes."""

    first_person: bool

    def role_of_pronoun(self, word: str) -> Role | None:
        """The role a personal or possessive pronoun refers to in this narrative."""
        word = word.lower()
        if word in {"i", "me", "my", "mine", "myself", "we", "us", "our"}:
            return Role.REPORTER
        if word in {"he", "him", "his", "himself"}:
            return Role.OFFENDER
        if word in {"she", "her", "hers", "herself"}:
            return Role.THIRD_PARTY if self.first_person else Role.REPORTER
        return None

    def role_of_noun(self, lemma: str) -> Role | None:
        """The role a person noun ("the punter", "my maid") refers to."""
        if lemma in OFFENDER_NOUNS:
            return Role.OFFENDER
        if not self.first_person and lemma in REPORTER_NOUNS_THIRD_PERSON:
            return Role.REPORTER
        if lemma in THIRD_PARTY_NOUNS:
            return Role.THIRD_PARTY
        return None


def detect_voice(doc: Doc | None) -> Voice:
    """First person unless the text uses third-person 'she/her' more than 'I/me/my'."""
    if doc is None:
        return Voice(first_person=True)
    first = sum(1 for t in doc if t.lower_ in {"i", "me", "my", "myself"})
    third = sum(1 for t in doc if t.lower_ in {"she", "her", "herself"})
    return Voice(first_person=first >= third)


class StructuredIndex:
    """The report's structured identifiers in canonical form, for exact matching."""

    def __init__(self, report: Report) -> None:
        self.reporter: dict[tuple[str, str], str] = {}
        known = report.reporter.known_identifiers
        for value in known.phones:
            self.reporter[("phone", identifiers.phone_digits(value))] = "phone"
        for value in known.emails:
            self.reporter[("email", identifiers.email(value))] = "email"
        for value in known.handles:
            self.reporter[("handle", identifiers.handle(value))] = "handle"
        for value in known.names:
            self.reporter[("name", identifiers.name(value))] = "name"
            for part in identifiers.name(value).split():
                if len(part) >= 3:
                    self.reporter[("name", part)] = "name"
        self.offender: dict[tuple[str, str], int] = {}
        for index, offender in enumerate(report.offenders):
            for value in offender.phones:
                self.offender.setdefault(("phone", identifiers.phone_digits(value)), index)
            for value in offender.emails:
                self.offender.setdefault(("email", identifiers.email(value)), index)
            for value in offender.usernames:
                self.offender.setdefault(("handle", identifiers.handle(value)), index)
            for value in offender.names_used:
                self.offender.setdefault(("name", identifiers.name(value)), index)
            for vehicle in offender.vehicles:
                if vehicle.registration:
                    self.offender.setdefault(
                        ("plate", identifiers.plate(vehicle.registration)), index
                    )

    @cached_property
    def offender_plates(self) -> list[tuple[str, int]]:
        """Full offender registrations, for matching partial plates."""
        return [(value, index) for (kind, value), index in self.offender.items() if kind == "plate"]

    def records(self, kind: str) -> bool:
        """Tell whether the form records any offender detail of *kind* ("phone", "name", …)."""
        return any(recorded == kind for recorded, _ in self.offender)

    @staticmethod
    def key(span: Span) -> tuple[str, str] | None:
        """The canonical (kind, value) of a span, or None for kinds without structured fields."""
        kind = (
            {
                Entity.PHONE_NUMBER: ("phone", identifiers.phone_digits),
                Entity.EMAIL_ADDRESS: ("email", identifiers.email),
                Entity.HANDLE: ("handle", identifiers.handle),
                Entity.URL: ("handle", identifiers.handle),
                Entity.PERSON: ("name", identifiers.name),
                Entity.VEHICLE_REGISTRATION: ("plate", identifiers.plate),
            }.get(Entity(span.entity_type))
            if span.entity_type in Entity.__members__
            else None
        )
        if kind is None:
            return None
        name, canonical = kind
        text = span.text
        if name == "phone":
            text = PHONE_MASK.sub("", text)  # "07700 9005..": the digits written
        if name == "plate":
            text = re.sub(r"(?i)\bsomething\b", "", text)  # "LD something 18": what was seen
        return name, canonical(text)

    @staticmethod
    def _partial_phone_of(key: tuple[str, str], phones: Iterable[tuple[str, str]]) -> bool:
        """Tell whether a partly written number ("07700 9005..") starts one of *phones*."""
        kind, digits = key
        return (
            kind == "phone"
            and 9 <= len(digits) < 11
            and any(k == "phone" and full.startswith(digits) for k, full in phones)
        )

    def reporter_match(self, span: Span) -> str | None:
        """Which known identifier of the reporter the span equals, if any."""
        key = self.key(span)
        if key is None:
            return None
        if key in self.reporter:
            return self.reporter[key]
        if self._partial_phone_of(key, self.reporter):
            return "phone (written in part)"
        if key[0] == "name":
            parts = key[1].split()
            if parts and all(("name", part) in self.reporter for part in parts):
                return "name"
        return None

    def offender_name_match(self, text: str) -> int | None:
        """The offender whose used name shares all words with *text* ("Officer Brown" ~ "Brown")."""
        words = set(identifiers.name(text).split()) - NAME_TITLES
        if not words:
            return None
        for (kind, value), index in self.offender.items():
            if kind != "name":
                continue
            used = set(value.split()) - NAME_TITLES
            if used and (words <= used or used <= words) and max(map(len, words)) >= 3:
                return index
        return None

    def offender_match(self, span: Span) -> int | None:
        """The index of the offender whose structured detail equals the span, if any."""
        key = self.key(span)
        if key is None:
            return None
        if key in self.offender:
            return self.offender[key]
        if self._partial_phone_of(key, self.offender) and not self._partial_phone_of(
            key, self.reporter
        ):
            return next(
                index
                for (kind, full), index in self.offender.items()
                if kind == "phone" and full.startswith(key[1])
            )
        if key[0] == "plate" and 2 <= len(key[1]) < 7:
            for full, index in self.offender_plates:
                if full.startswith(key[1]) or full.endswith(key[1]):
                    return index
        return None


def _tokens(doc: Doc, span: Span) -> list[Token]:
    window = doc.char_span(span.start, span.end, alignment_mode="expand")
    return list(window) if window is not None else []


def _pronoun_before(
    doc: Doc, first: Token, voice: Voice, limit: int = 4
) -> tuple[Role, str] | None:
    """A possessive or person noun just before the value, in the same sentence."""
    sentence_start = first.sent.start
    for index in range(first.i - 1, max(sentence_start, first.i - limit) - 1, -1):
        token = doc[index]
        if token.is_punct and token.text in {".", ";", "!", "?", "("}:
            break
        if token.tag_ in {"PRP$"} or (token.lower_ in {"his", "her", "my", "our", "their"}):
            role = voice.role_of_pronoun(token.lower_)
            if role is not None:
                return role, f"follows '{token.text} …'"
        if token.tag_ == "POS" and token.i > 0:
            noun = doc[token.i - 1]
            role = voice.role_of_noun(noun.lemma_.lower())
            if role is not None:
                return role, f'follows "the {noun.text}\'s …"'
    return None


def _possessor(
    token: Token, voice: Voice, *, through_copula: bool = True
) -> tuple[Role, str] | None:
    """A possessive on the value or on the noun it belongs to ("my work phone 07700 …")."""
    node = token
    for _ in range(3):
        for child in node.children:
            if child.dep_ == "poss":
                role = voice.role_of_pronoun(child.lower_) or voice.role_of_noun(
                    child.lemma_.lower()
                )
                if role is not None:
                    return role, f"'{child.text} {node.text}'"
        if node.head is node or node.pos_ in {"VERB", "AUX"}:
            break
        node = node.head
    if through_copula and node.lemma_ == "be":
        for child in node.children:
            if child.dep_ in {"nsubj", "nsubjpass"} and child is not token:
                found = _possessor(child, voice, through_copula=False)
                if found is not None:
                    return found
    return None


def _verb_frame(token: Token, voice: Voice) -> tuple[Role, str] | None:
    """'he rang from X' (the subject's) and 'he rang me on X' (the called party's)."""
    head = token.head
    if head.pos_ != "ADP" or head.head.pos_ not in {"VERB", "AUX"}:
        return None
    verb = head.head
    subjects = [c for c in verb.children if c.dep_ in {"nsubj", "nsubjpass"}]
    objects = [c for c in verb.children if c.dep_ in {"dobj", "dative", "iobj"}]
    if head.lower_ in {"from", "using", "via"} and subjects:
        role = voice.role_of_pronoun(subjects[0].lower_) or voice.role_of_noun(
            subjects[0].lemma_.lower()
        )
        if role is not None:
            return role, f"'{subjects[0].text} {verb.text} {head.text} …'"
    if head.lower_ in {"on", "to"} and verb.lemma_.lower() in CONTACT_VERBS and objects:
        role = voice.role_of_pronoun(objects[0].lower_) or voice.role_of_noun(
            objects[0].lemma_.lower()
        )
        if role is not None:
            return role, f"'{verb.text} {objects[0].text} {head.text} …' (the called party's)"
    return None


def _subject_of_clause(token: Token, voice: Voice) -> tuple[Role, str] | None:
    """The subject of the clause an age or nationality describes ("I'm 24", "he was Polish")."""
    node = token
    for _ in range(4):
        if node.pos_ in {"VERB", "AUX"} or node.head is node:
            break
        node = node.head
    for child in node.children:
        if child.dep_ in {"nsubj", "nsubjpass"}:
            role = voice.role_of_pronoun(child.lower_) or voice.role_of_noun(child.lemma_.lower())
            if role is not None:
                return role, f"describes '{child.text}'"
    return None


def _naming_cue(text: str, span: Span, voice: Voice) -> tuple[Role, str] | None:
    before = text[max(0, span.start - 60) : span.start]
    for pattern, who in NAMING_CUES:
        match = pattern.search(before)
        if match:
            if who == "offender":
                return Role.OFFENDER, f"the name he gave ('{match.group(0).strip()} …')"
            role = Role.THIRD_PARTY if voice.first_person else Role.REPORTER
            return role, f"'{match.group(0).strip()} …'"
    return None


def _person_noun(token: Token, voice: Voice) -> tuple[Role, str] | None:
    """A name beside a person noun: 'my friend Kelly', 'the maid, Dawn', 'the punter Dave'."""
    candidates = [token.head] if token.dep_ in {"appos", "compound", "npadvmod", "attr"} else []
    candidates += [child for child in token.children if child.dep_ in {"appos", "compound"}]
    if token.i > 0:
        candidates.append(token.doc[token.i - 1])
    for noun in candidates:
        role = voice.role_of_noun(noun.lemma_.lower())
        if role is not None:
            return role, f"named as the {noun.lemma_.lower()}"
    return None


GrammarRule = Callable[[Doc, Span, list[Token], Voice], "tuple[Role, str] | None"]


def grammar_role(doc: Doc, span: Span, voice: Voice) -> tuple[Role, str] | None:
    """What the sentence's grammar says about whose the value is."""
    tokens = _tokens(doc, span)
    if not tokens:
        return None
    root = min(tokens, key=lambda t: len(list(t.ancestors)))
    entity = span.entity_type
    if entity == Entity.PERSON:
        return _naming_cue(doc.text, span, voice) or _person_noun(root, voice)
    if entity in {Entity.AGE, Entity.NATIONALITY}:
        return _subject_of_clause(root, voice) or _pronoun_before(doc, tokens[0], voice)
    return (
        _possessor(root, voice)
        or _verb_frame(root, voice)
        or _pronoun_before(doc, tokens[0], voice)
    )


@cache
def general_areas() -> frozenset[str]:
    """Folded names of UK nations, regions, counties, cities and larger towns."""
    path = Path(__file__).with_name("uk_places.txt")
    lines = path.read_text(encoding="utf-8").splitlines()
    return frozenset(
        identifiers.name(line) for line in lines if line.strip() and not line.startswith("#")
    )


def report_areas(report: Report) -> frozenset[str]:
    """The report's own general area: every word of incident.area and the police force name."""
    words: set[str] = set()
    for text in (report.incident.area, report.incident.police_force):
        if text:
            words.update(identifiers.name(text).split())
            words.add(identifiers.name(text))
    return frozenset(words) - COMMON_AREA_WORDS


COMMON_AREA_WORDS = frozenset(
    {
        "city",
        "centre",
        "center",
        "town",
        "the",
        "of",
        "and",
        "police",
        "north",
        "south",
        "east",
        "west",
        "central",
        "greater",
        "area",
        "near",
        "outskirts",
        "constabulary",
        "service",
    }
)


AREA_SHAPED = frozenset({Entity.LOCATION, Entity.STREET_ADDRESS})
"""Kinds a district is read as ("Cheetham Hill" looks like a street)."""


def _is_the_reports_area(text: str, report: Report) -> bool:
    """One of the comma-separated parts of `incident.area` ("Cheetham Hill, Manchester")."""
    if not report.incident.area:
        return False
    folded = identifiers.name(text.replace("\u2019", "'"))  # the HTML alert's curly apostrophe
    parts = {identifiers.name(part) for part in report.incident.area.split(",")}
    return bool(folded) and folded in parts


def _is_general_area(text: str, report: Report) -> bool:
    folded = identifiers.name(text.removeprefix("the ").removeprefix("The "))
    if not folded:
        return False
    if folded in general_areas():
        return True
    words = [w for w in folded.split() if w not in COMMON_AREA_WORDS]
    own = report_areas(report)
    return bool(words) and all(word in own or word in general_areas() for word in words)


def _default_role(span: Span, report: Report) -> tuple[Role, str]:
    entity = span.entity_type
    if entity in VENUE_ENTITIES:
        return (
            Role.VENUE,
            f"a {entity.lower().replace('_', ' ')} is where it happened or someone lives",
        )
    if entity == Entity.LOCATION:
        if STREET_WORDS.search(span.text) or any(ch.isdigit() for ch in span.text):
            return Role.VENUE, "a place name with a street, building or number in it"
        if _is_general_area(span.text, report):
            return Role.AREA, "a town, district or region: the general area"
        return Role.UNKNOWN, "a place name that is neither a known town nor the report's area"
    if entity == Entity.ORGANIZATION and POLICE_FORCE_WORDS.search(span.text):
        return Role.AREA, "a police force"
    return Role.UNKNOWN, "nothing in the report says whose this is"


@cache
def not_identifiers() -> frozenset[str]:
    """Folded car makes and models, platforms and role nouns (``not_identifiers.txt``)."""
    path = Path(__file__).with_name("not_identifiers.txt")
    lines = path.read_text(encoding="utf-8").splitlines()
    return frozenset(
        identifiers.name(line) for line in lines if line.strip() and not line.startswith("#")
    )


PLATE_SHAPED = re.compile(r"(?=[A-Z0-9 ]*[0-9])[A-Z][A-Z0-9]{1,3}(?: ?[A-Z0-9]{1,4})?")
"""Capitals with a digit, as a full or partial registration is written ("YD6", "MA19 KXZ")."""

NET_RECOGNIZERS = frozenset({"SpacyRecognizer", "ProperNameRecognizer"})
"""Recognisers that find names by their shape alone, so a car or a platform can pass for one."""


def is_not_an_identifier(span: Span, report: Report) -> bool:
    """A spaCy name that is only a car, a platform, a role noun or the offender's own car."""
    if span.recognizer not in NET_RECOGNIZERS or span.entity_type not in NER_NAME_TYPES:
        return False
    folded = identifiers.name(span.text)
    if not folded:
        return True
    vehicle_words = {
        word
        for offender in report.offenders
        for vehicle in offender.vehicles
        for part in (vehicle.make, vehicle.model, vehicle.colour)
        if part
        for word in identifiers.name(part).split()
    }
    words = folded.split()
    return folded in not_identifiers() or all(
        word in vehicle_words or word in not_identifiers() for word in words
    )


def attribute(analysis: ReportAnalysis) -> list[Finding]:
    """Give every span in *analysis* a role and a reason (dropping spans naming nobody)."""
    report = analysis.received.report
    index = StructuredIndex(report)
    voice = detect_voice(analysis.docs.get("narrative"))
    return [
        checked_against_record(_attribute_span(span, analysis, index, voice), index)
        for span in analysis.spans
        if not is_not_an_identifier(span, report)
    ]


RECORDED_KINDS = frozenset({"phone", "email", "handle", "name"})
"""Kinds of offender detail that, once the form records any, are the whole list of his."""


def checked_against_record(finding: Finding, index: StructuredIndex) -> Finding:
    """Unknown, not the offender's, when his recorded details of that kind do not include it.

    The form's offender fields are what the member or caseworker wrote down about him; a number,
    email, username or name that the words around it give to "him" but that is not among them is
    as likely the maid's number or the regular who warned her ("I rang him on …", "an older guy
    called Bill"). It is removed and flagged, and the caseworker can restore it. Registrations are
    left alone: partial and misremembered plates rarely equal the recorded one.
    """
    span = finding.span
    if finding.role != Role.OFFENDER or span.field.startswith("offenders["):
        return finding
    key = index.key(span)
    if key is None or key[0] not in RECORDED_KINDS or not index.records(key[0]):
        return finding
    if index.offender_match(span) is not None:
        return finding
    if key[0] == "name" and index.offender_name_match(span.text) is not None:
        return finding
    return Finding(
        span,
        Role.UNKNOWN,
        f"{finding.reason}, but not among the {key[0]}s the form records for him",
    )


def as_person(span: Span) -> Span:
    """The same span, read as a person's name."""
    return replace(span, entity_type=str(Entity.PERSON))


def _attribute_span(
    span: Span, analysis: ReportAnalysis, index: StructuredIndex, voice: Voice
) -> Finding:
    report = analysis.received.report
    hint, hint_reason = analysis.hint(span)
    offender = index.offender_match(span)
    if span.recognizer == "KnownIdentifierRecognizer" or (
        hint == Role.REPORTER
        and span.score >= 1.0
        and (offender is None or span.entity_type == Entity.PERSON)
    ):
        return Finding(
            span, Role.REPORTER, hint_reason or "matches the reporter's known identifiers"
        )
    known = index.reporter_match(span)
    if known is not None:
        return Finding(span, Role.REPORTER, f"matches the reporter's known {known}")
    if offender is not None:
        return Finding(span, Role.OFFENDER, f"same as offender {offender + 1}'s structured details")
    if span.entity_type in AREA_SHAPED and _is_the_reports_area(span.text, report):
        return Finding(
            replace(span, entity_type=str(Entity.LOCATION)),
            Role.AREA,
            "a part of the report's own area ('incident.area')",
        )
    if span.field == "narrative" and span.entity_type in {Entity.LOCATION, Entity.ORGANIZATION}:
        home = HOME_PLACE_CUE.search(analysis.received.report.narrative[: span.start][-60:])
        if home is not None:
            return Finding(
                replace(span, entity_type=str(Entity.LOCATION)),
                Role.REPORTER,
                f"where the member lives or comes from ('{home.group(0).strip()} …')",
            )
    if (
        span.recognizer == "SpacyRecognizer"
        and span.entity_type in NER_NAME_TYPES
        and (span.field == "incident.area" or span.entity_type != Entity.PERSON)
        and _is_general_area(span.text, report)
    ):
        return Finding(
            replace(span, entity_type=str(Entity.LOCATION)),
            Role.AREA,
            "a known town or region, or the report's own area",
        )
    if span.recognizer in NET_RECOGNIZERS and span.entity_type in NER_NAME_TYPES:
        named = index.offender_name_match(span.text)
        if named is not None:
            return Finding(as_person(span), Role.OFFENDER, f"a name offender {named + 1} used")
        as_plate = replace(span, entity_type=str(Entity.VEHICLE_REGISTRATION))
        plate_of = index.offender_match(as_plate) if PLATE_SHAPED.fullmatch(span.text) else None
        if plate_of is not None:  # spaCy reads "YD6" as a place: it is his recorded plate
            return Finding(as_plate, Role.OFFENDER, f"offender {plate_of + 1}'s registration")
        username = index.offender.get(("handle", identifiers.handle(span.text)))
        if username is not None:
            return Finding(
                replace(span, entity_type=str(Entity.HANDLE)),
                Role.OFFENDER,
                f"a username offender {username + 1} used",
            )
        doc = analysis.docs.get(span.field)
        if doc is not None and span.entity_type != Entity.PERSON:
            cue = _naming_cue(doc.text, span, detect_voice(doc))
            if cue is not None:
                return Finding(as_person(span), cue[0], cue[1])
    if span.entity_type == Entity.PERSON and hint != Role.REPORTER:
        named = index.offender_name_match(span.text)
        if named is not None:  # "Officer Brown": a rank's cue, but the name he gave
            return Finding(span, Role.OFFENDER, f"a name offender {named + 1} used")
    if hint:
        return Finding(span, Role(hint), hint_reason or f"the recogniser's cue says {hint}")
    if span.field == "incident.location_detail":
        if span.entity_type == Entity.LOCATION and _is_general_area(span.text, report):
            return Finding(span, Role.AREA, "the general area, named in the location detail")
        return Finding(span, Role.VENUE, "in the location detail, which names where it happened")
    if span.entity_type == Entity.AGE:
        age_of = _age_of_named_person(analysis, span, index)
        if age_of is not None:
            return age_of
    if (
        span.field.startswith("offenders[")
        and span.entity_type == Entity.PERSON
        and _named_inside_a_description(analysis, span)
    ):
        return Finding(
            span,
            Role.UNKNOWN,
            "a name in the offender's description that is not one he used: someone he knows?",
        )
    if span.field.startswith("offenders[") and span.entity_type in OWNED_ENTITIES:
        return Finding(span, Role.OFFENDER, "part of the offender's description")
    if (
        span.field.startswith("offenders[")
        and span.recognizer == "SpacyRecognizer"
        and span.entity_type in NER_NAME_TYPES
        and not STREET_WORDS.search(span.text)
        and not any(ch.isdigit() for ch in span.text)
    ):
        return Finding(
            span, Role.OFFENDER, "part of the offender's description (a brand, team or accent)"
        )
    if span.entity_type in OWNED_ENTITIES or span.entity_type in VENUE_ENTITIES:
        doc = analysis.docs.get(span.field)
        if doc is not None:
            found = grammar_role(doc, span, voice)
            if found is not None:
                role, reason = found
                if span.entity_type in VENUE_ENTITIES and role == Role.OFFENDER:
                    return Finding(span, Role.UNKNOWN, f"{reason}: the offender's address or venue")
                return Finding(span, role, reason)
    if span.entity_type == Entity.VEHICLE_REGISTRATION:
        vehicle = _offender_vehicle_in_sentence(analysis.docs.get(span.field), span, report)
        if vehicle is not None:
            return Finding(
                span, Role.OFFENDER, f"the sentence describes offender {vehicle + 1}'s vehicle"
            )
    role, reason = _default_role(span, report)
    return Finding(span, role, reason)


def _named_inside_a_description(analysis: ReportAnalysis, span: Span) -> bool:
    """A capitalised name inside a part of his description ("knew Lorraine from …").

    Not the word that opens a part: "White, stocky", "Doric accent" describe him.
    """
    doc = analysis.docs.get(span.field)
    if doc is None or not span.text[:1].isupper():
        return False
    before = doc.text[: span.start].rstrip()
    return bool(before) and before[-1] not in ",;.:(/-"


NAME_BEFORE_AGE = re.compile(r"([A-Z][a-z]+(?:\s+[A-Z][a-z]+)?)\s*[,(]\s*$")
"""A name just before an age: "Rhiannon Price, 27", "Dave (40"."""


def _age_of_named_person(
    analysis: ReportAnalysis, span: Span, index: StructuredIndex
) -> Finding | None:
    """The age of the reporter or the offender when it follows one of their names."""
    doc = analysis.docs.get(span.field)
    if doc is None:
        return None
    named = NAME_BEFORE_AGE.search(doc.text, max(0, span.start - 40), span.start)
    if named is None:
        return None
    person = Span(span.field, named.start(1), named.end(1), str(Entity.PERSON), 1.0, "", named[1])
    if index.reporter_match(person) is not None:
        return Finding(span, Role.REPORTER, f"the age given with the reporter's name '{named[1]}'")
    if index.offender_match(person) is not None or index.offender_name_match(named[1]):
        return Finding(span, Role.OFFENDER, f"the age given with his name '{named[1]}'")
    return None


def _offender_vehicle_in_sentence(doc: Doc | None, span: Span, report: Report) -> int | None:
    """The offender whose car make or model is named in the sentence ("silver Vectra, reg …")."""
    if doc is None:
        return None
    window = doc.char_span(span.start, span.end, alignment_mode="expand")
    if window is None:
        return None
    sentence = {token.lower_ for token in window.sent}
    for index, offender in enumerate(report.offenders):
        for vehicle in offender.vehicles:
            words = {
                w
                for part in (vehicle.make, vehicle.model)
                if part
                for w in identifiers.name(part).split()
            }
            if words & sentence:
                return index
    return None


POSSESSIVE_END = re.compile(r"(?:['’]s|s)?$")
"""A possessive or plural ending; it always matches, if only the empty end."""

REPEATABLE_ROLES = (Role.REPORTER, Role.THIRD_PARTY, Role.UNKNOWN)
"""Roles whose removed names are removed again wherever they recur in the report."""

NOT_NAME_PARTS = NAME_TITLES | frozenset(
    "the and but for with from his her him she they them you your our its it's was were "
    "one two all new old big little young older".split()
)
"""Words of a removed name that are never sought again on their own."""

NOT_A_NAME_HERE = frozenset(
    {"VERB", "AUX", "ADP", "DET", "PRON", "CCONJ", "SCONJ", "PART", "ADV", "NUM", "INTJ"}
)
"""Parts of speech of a recurring word that show it is not the name this time ("he rose")."""


def repeated_names(findings: list[Finding], analysis: ReportAnalysis) -> list[Finding]:
    """The reporter's and third parties' names, and named venues, wherever they recur in the report.

    A recogniser finds a name where a cue speaks ("me and shelley", "hi Gwen") but not where it
    recurs without one ("shelleys bag", "shelley doesnt do the app"), and a name left once in the
    alert is as telling as a name left everywhere. Each word of a removed name (three letters or
    more, or initials such as "DM" in their own case) is sought in every analysed field, with a
    possessive ending; an occurrence already covered by a finding, or that the parse reads as a
    verb, adverb or other non-name ("he rose", "will"), is left alone, as is any word of a name
    the offender used. A venue found by its name ("The Albion is the pub on the corner") is sought
    again as a whole name ("outside the Albion now").
    """
    report = analysis.received.report
    offender_words = {
        word
        for offender in report.offenders
        for name in offender.names_used
        for word in identifiers.name(name).split()
    } | {
        word
        for finding in findings
        if finding.role == Role.OFFENDER and finding.span.entity_type == Entity.PERSON
        for word in identifiers.name(finding.span.text).split()
    }
    sources: dict[str, Finding] = {}
    for finding in findings:
        if finding.role not in REPEATABLE_ROLES or finding.span.entity_type != Entity.PERSON:
            continue
        for word in re.findall(r"[^\W\d_][\w'’\-]*", finding.span.text):
            word = re.sub(r"['’]s$", "", word)
            folded = word.lower()
            initials = word.isupper() and 2 <= len(word) <= 3
            if folded in offender_words or folded in NOT_NAME_PARTS:
                continue
            if initials or len(word) >= 3:
                sources.setdefault(word if initials else folded, finding)
    for finding in findings:
        if (
            finding.role not in (Role.VENUE, Role.REPORTER, Role.THIRD_PARTY)
            or finding.span.entity_type not in (Entity.VENUE, Entity.ORGANIZATION)
            or finding.span.entity_type == Entity.VENUE
            and finding.role == Role.THIRD_PARTY
        ):
            continue
        name = re.sub(r"^(?:the|The|THE|a|A)\s+", "", finding.span.text.strip())
        if name[:1].isupper() and len(name) >= 3 and len(name.split()) <= 4:
            sources.setdefault(name.lower(), finding)
        elif re.fullmatch(SHOPS, name, re.IGNORECASE) and name != finding.span.text.strip():
            sources.setdefault(name.lower(), finding)  # "above the bookies" … "ran to the bookies"
    if not sources:
        return []
    found: list[Finding] = []
    for field, doc in analysis.docs.items():
        for key, source in sources.items():
            initials = key.isupper()
            entity = source.span.entity_type
            words = r"\s+".join(re.escape(word) for word in key.split())
            pattern = rf"(?<![\w'’]){words}(?:['’]s|s)?(?![\w'’])"
            for match in re.finditer(pattern, doc.text, 0 if initials else re.IGNORECASE):
                end = match.end() - len(POSSESSIVE_END.search(match.group())[0])  # type: ignore[index]
                if not re.fullmatch(words, match.group()[: end - match.start()], re.IGNORECASE):
                    end = match.end()  # the name itself ends in "s"
                start = match.start()
                span = Span(
                    field,
                    start,
                    end,
                    entity,
                    source.span.score,
                    "RepeatedNameRule",
                    doc.text[start:end],
                )
                if any(f.span.field == field and f.span.overlaps(span) for f in findings + found):
                    continue
                tokens = doc.char_span(start, end, alignment_mode="expand")
                if tokens is not None and tokens[0].pos_ in NOT_A_NAME_HERE:
                    continue
                found.append(
                    Finding(
                        span,
                        source.role,
                        f"the same name as one removed elsewhere in this report ({source.reason})",
                    )
                )
    return found
