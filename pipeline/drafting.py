"""Draft the member alert from the redacted core: headline, details, what happened, every channel.

Everything here works on the *redacted* core (``pipeline.draft.release_core``) and on the report's
structured, non-text fields (consent, ids). It never reads ``report.reporter``,
``report.incident.location_detail`` or ``report.narrative``. Words live in ``drafting.toml``;
layouts live in ``alert_templates/*.j2``.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import logging
import math
import re
import tomllib
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import cache, partial
from pathlib import Path
from typing import Any

import jinja2
import phonenumbers
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from pipeline.errors import ConfigError
from pipeline.pseudonym import pseudonym_key
from pipeline.report import IncidentType, Report, Setting

logger = logging.getLogger(__name__)

DEFAULT_DRAFTING_CONFIG = Path(__file__).with_name("drafting.toml")
TEMPLATE_DIR = Path(__file__).resolve().parent.parent / "alert_templates"
PLACEHOLDER_KINDS = (
    "name",
    "number",
    "email",
    "username",
    "link",
    "venue",
    "address",
    "postcode",
    "room number",
    "age",
    "nationality",
    "location",
    "organisation",
    "vehicle",
    "detail",
)
"""The kinds of ``[… removed]`` placeholder the redaction core writes."""


class AlertTemplateError(ConfigError):
    """An alert template is unknown, or rendering it needed a value that was not given."""


# --- configuration -------------------------------------------------------------------------------


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class AlertSection(_Section):
    """Fixed wording of the alert."""

    scheme_name: str = Field(min_length=1)
    sms_prefix: str = Field(min_length=1)
    unknown_area: str = Field(min_length=1)
    unknown_date: str = Field(min_length=1)
    not_general_area_words: list[str]
    parts_of_day: dict[str, int]

    @field_validator("parts_of_day")
    @classmethod
    def _hours(cls, value: dict[str, int]) -> dict[str, int]:
        hours = list(value.values())
        if not hours or hours[0] != 0 or hours != sorted(hours) or hours[-1] > 23:
            raise ValueError("must start at hour 0 and increase, each hour 0–23")
        return value


class SmsSection(_Section):
    """Channel limits for SMS (GSM 03.38)."""

    gsm7_single: int = Field(ge=1)
    gsm7_part: int = Field(ge=1)
    ucs2_single: int = Field(ge=1)
    ucs2_part: int = Field(ge=1)
    max_segments: int = Field(ge=1, le=10)


class NarrativeSection(_Section):
    """Word tables for rewriting the narrative in the third person."""

    reporter_nouns: list[str]
    reporter_indefinite: list[str]
    relation_nouns: list[str]
    contact_nouns: list[str]
    formalities: list[str]
    reporter_gendered: dict[str, str]
    first_person: dict[str, str]
    present_tense: dict[str, str]
    reporter_pronouns: dict[str, str]


class DraftingConfig(_Section):
    """The whole ``drafting.toml``."""

    alert: AlertSection
    sms: SmsSection
    incident_types: dict[IncidentType, str]
    settings: dict[Setting, str]
    contact_methods: dict[str, str]
    placeholders: dict[str, str]
    narrative: NarrativeSection
    slang: dict[str, str]
    explain_once: dict[str, str]

    @field_validator("incident_types", "settings")
    @classmethod
    def _complete(cls, value: dict[Any, str], info: Any) -> dict[Any, str]:
        vocabulary = IncidentType if info.field_name == "incident_types" else Setting
        missing = [str(v) for v in vocabulary if v not in value]
        if missing:
            raise ValueError(f"no wording for {missing}")
        return value

    @field_validator("placeholders")
    @classmethod
    def _placeholders(cls, value: dict[str, str]) -> dict[str, str]:
        unknown = sorted(set(value) - set(PLACEHOLDER_KINDS))
        missing = sorted(set(PLACEHOLDER_KINDS) - set(value))
        if unknown or missing:
            raise ValueError(
                f"unknown {unknown}, missing {missing}; allowed: {list(PLACEHOLDER_KINDS)}"
            )
        return value


def _describe(error: Mapping[str, Any]) -> str:
    location = ".".join(str(part) for part in error["loc"])
    return f"key '{location}': {error['msg']}"


def read_config_file(file: Path, model: type[BaseModel]) -> Any:
    """Read a TOML file into *model*, failing with the file, the key and the problem."""
    try:
        data = tomllib.loads(file.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{file}: no such configuration file") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{file}: not valid TOML ({exc})") from None
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(_describe(e) for e in exc.errors(include_url=False))
        raise ConfigError(f"{file}: {problems}") from None


@cache
def load_drafting_config(path: str | None = None) -> DraftingConfig:
    """Read and validate ``drafting.toml`` (or *path*)."""
    return read_config_file(Path(path) if path else DEFAULT_DRAFTING_CONFIG, DraftingConfig)


# --- templates -----------------------------------------------------------------------------------


HTML_TEMPLATES = frozenset({"email_html.j2", "feed_entry.j2"})
"""Templates that write HTML (autoescaped), besides any ``*.html.j2``."""


def _is_html(name: str | None) -> bool:
    return bool(name) and (name in HTML_TEMPLATES or name.endswith(".html.j2"))  # type: ignore[union-attr]


def typographic(text: str) -> str:
    """Curly quotes and apostrophes for HTML text (autoescape writes straight ones as &#39;)."""
    text = re.sub(r"(?<=\w)'(?=\w)", "\u2019", text)
    text = re.sub(r'"([^"\n]*)"', "\u201c\\1\u201d", text)
    text = re.sub(r"(?<![\w.,!?])'(?=\w)", "\u2018", text)
    return text.replace("'", "\u2019")


@cache
def template_environment(directory: str | None = None) -> jinja2.Environment:
    """The one jinja2 environment: HTML autoescaped, undefined values are errors."""
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(directory or str(TEMPLATE_DIR)),
        autoescape=_is_html,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters["typographic"] = typographic
    return environment


def load_template(name: str, directory: str | None = None) -> jinja2.Template:
    """The template *name*, or an error naming it and the available templates."""
    environment = template_environment(directory)
    try:
        return environment.get_template(name)
    except jinja2.TemplateNotFound:
        available = sorted(environment.list_templates(extensions=["j2"]))
        raise AlertTemplateError(f"no alert template '{name}'; available: {available}") from None


def render_template(name: str, directory: str | None = None, **context: Any) -> str:
    """Render template *name*; a missing value fails naming the template (never the values)."""
    template = load_template(name, directory)
    try:
        return template.render(**context)
    except jinja2.UndefinedError as exc:
        raise AlertTemplateError(f"alert template '{name}': {exc.message}") from None


# --- protected spans: identifiers and quoted speech are never rewritten -------------------------

_SENTINEL = re.compile("\ue000(\\d+)\ue001")

_PROTECTED = re.compile(
    r"""
      [\w.+-]+@[\w-]+(?:\.[\w-]+)+                     # email address
    | (?:https?://|www\.)\S+                             # link
    | (?<![\w@])@\w{2,}                                  # @handle
    | \+?\d[\d ]{7,}\d                                   # phone number (digits and spaces)
    | \b[A-Z]{2}\d{2}\s?[A-Z]{3}\b                       # registration, current format
    | \b[A-Z]\d{1,3}\s?[A-Z]{3}\b                        # registration, prefix format
    | \b[A-Z]{3}\s?\d{1,3}[A-Z]\b                        # registration, suffix format
    | "[^"\n]{1,400}"                                    # quoted speech, straight quotes
    | \u201c[^\u201d\n]{1,400}\u201d                     # quoted speech, curly quotes
    """,
    re.VERBOSE,
)

_PHONE_LIKE = re.compile(r"\+?\d[\d ]{7,}\d")
_PLACEHOLDER = re.compile(r"\[(" + "|".join(PLACEHOLDER_KINDS) + r") removed\]")


class _Shield:
    """Hide identifiers and quoted speech behind sentinels while the prose around them changes."""

    def __init__(self, extra: Iterable[str] = ()) -> None:
        self.hidden: list[str] = []
        self.extra = sorted({value for value in extra if len(value) >= 2}, key=len, reverse=True)

    def _hide(self, value: str) -> str:
        if _PHONE_LIKE.fullmatch(value):
            value = format_phone(value)
        elif value.startswith(('"', "\u201c")):
            # Quoted speech keeps the offender's words; only the placeholders are shortened.
            value = _PLACEHOLDER.sub(lambda m: f"[{m.group(1)}]", value)
        self.hidden.append(value)
        return f"\ue000{len(self.hidden) - 1}\ue001"

    def hide(self, text: str) -> str:
        """Replace every protected span by a sentinel."""
        text = _PROTECTED.sub(lambda m: self._hide(m.group(0)), text)
        for value in self.extra:
            pattern = re.compile(rf"(?<![\w\ue000]){re.escape(value)}(?![\w\ue001])", re.IGNORECASE)
            text = pattern.sub(lambda m: self._hide(m.group(0)), text)
        return text

    def restore(self, text: str) -> str:
        """Put the hidden spans back."""
        while _SENTINEL.search(text):
            text = _SENTINEL.sub(lambda m: self.hidden[int(m.group(1))], text)
        return text


# --- narrative rewriting -------------------------------------------------------------------------


def _words(phrases: Iterable[str]) -> str:
    """A regex alternation of phrases, longest first, each space matching any whitespace."""
    ordered = sorted(set(phrases), key=len, reverse=True)
    return "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in ordered)


def _word_pattern(phrases: Iterable[str]) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w'/])(?:{_words(phrases)})(?![\w'])", re.IGNORECASE)


def _explained(match: re.Match[str], *, explanation: str) -> str:
    return _case_like(match.group(0), explanation)


def _case_like(original: str, replacement: str) -> str:
    """Capitalise *replacement* like a capitalised word ('Cos' → 'Because'; not 'I' or 'FS').

    Sentence starts are capitalised afterwards by :func:`tidy`.
    """
    first_word = re.match(r"\w+", original)
    word = first_word.group(0) if first_word else original
    if replacement and word[:1].isupper() and len(word) > 1 and not word.isupper():
        return replacement[0].upper() + replacement[1:]
    return replacement


def _table_sub(text: str, table: dict[str, str]) -> str:
    if not table:
        return text
    lookup = {re.sub(r"\s+", " ", key.lower()): value for key, value in table.items()}
    pattern = _word_pattern(table)

    def replace(match: re.Match[str]) -> str:
        return _case_like(match.group(0), lookup[re.sub(r"\s+", " ", match.group(0).lower())])

    return pattern.sub(replace, text)


_UNITS = re.compile(r"\b(\d+)\s*(hrs?|mins?)\b", re.IGNORECASE)


def plain_words(text: str, config: DraftingConfig | None = None) -> str:
    """Replace slang and abbreviations by plain words; explain incall/outcall the first time."""
    config = config or load_drafting_config()

    def unit(match: re.Match[str]) -> str:
        count, word = match.group(1), match.group(2).lower()
        name = "hour" if word.startswith("h") else "minute"
        return f"{count} {name}" + ("" if count == "1" else "s")

    text = _UNITS.sub(unit, text)
    text = _table_sub(text, config.slang)
    for term, explained in config.explain_once.items():
        text = _word_pattern([term]).sub(partial(_explained, explanation=explained), text, 1)
    return text


_OBJECT_FOLLOWERS = frozenset(
    """across in into to on onto off out down up back by with from at for about over through
    round around home there here again away and or but that if when as because so too a an
    the some any his him he she her they them it this these those then until till before
    after while since not no never once twice repeatedly several alone anything something
    nothing everything all what where how why who which just still hard badly first being be
    go leave get do tell stop pay come sit see know feel think have make take give say walk
    let s of near behind inside outside under against beside past towards toward without
    within like than upstairs downstairs tight tightly sexually roughly violently hard again
    yet alone is was""".split()
)


def _her_is_possessive(next_word: str) -> bool:
    word = next_word.lower()
    participle = len(word) > 4 and word.endswith("ed")  # "get her deported"
    return bool(word) and word not in _OBJECT_FOLLOWERS and not participle


def _reporter_her(text: str, nlp: Callable[[str], Any] | None) -> str:
    """'her' → "the worker's" when possessive, 'the worker' when an object."""
    possessive_at: set[int] | None = None
    if nlp is not None:
        possessive_at = {t.idx for t in nlp(text) if t.lower_ == "her" and t.tag_ == "PRP$"}

    def replace(match: re.Match[str]) -> str:
        if possessive_at is not None:
            possessive = match.start() in possessive_at
        else:
            possessive = _her_is_possessive(match.group(1))
        return _case_like(match.group(0), "the worker's" if possessive else "the worker")

    return re.sub(
        r"(?<![\w'])her(?![\w'])(?=[ \t]*([A-Za-z]*))", replace, text, flags=re.IGNORECASE
    )


_I = re.compile(r"(?<![\w'])(?:I|i|me|my|myself)(?!\w)")
_SHE = re.compile(r"(?<![\w'])(?:she|her|herself)(?!\w)", re.IGNORECASE)


def third_person(
    text: str,
    *,
    keep_pronouns: bool = False,
    nlp: Callable[[str], Any] | None = None,
    config: DraftingConfig | None = None,
) -> str:
    """Rewrite the reporter's first person (and, unless kept, her pronouns) as 'the worker'."""
    table = (config or load_drafting_config()).narrative
    # In the member's own account "she" is someone else (the maid, a friend): only a caseworker's
    # third-person note makes "she" the worker (the same rule as pipeline.roles.detect_voice).
    she_is_the_worker = len(_SHE.findall(text)) > len(_I.findall(text))
    text = _word_pattern(table.reporter_indefinite).sub(
        lambda m: _case_like(m.group(0), "a worker"), text
    )
    # A caseworker's note: "Caller says she went" → "the worker went".
    text = re.sub(
        rf"(?<![\w'])(?:{_words(table.reporter_nouns)})(?![\w'])"
        r"(?:\s+(?:says|said|reports|reported|states|stated|explains|explained|told\s+us)"
        r"(?:\s+that)?\s+(?:she|he|they)\b)?",
        lambda m: _case_like(m.group(0), "the worker"),
        text,
        flags=re.IGNORECASE,
    )
    verbs = _words(table.present_tense)
    text = re.sub(
        rf"(?<![\w'])i\s+({verbs})(?![\w'])",
        lambda m: _case_like(m.group(0), "the worker " + table.present_tense[m.group(1).lower()]),
        text,
        flags=re.IGNORECASE,
    )
    text = _table_sub(text, table.first_person)
    if not keep_pronouns:
        text = _table_sub(text, table.reporter_gendered)
    if not keep_pronouns and she_is_the_worker:
        # "she's seen" is "has seen"; "she's scared" is "is scared".
        text = re.sub(
            r"(?<![\w'])she's\s+(?=(?:been|seen|got|had|done|gone|made|told|left|taken|given"
            r"|\w{3,}ed)\b)",
            "the worker has ",
            text,
            flags=re.IGNORECASE,
        )
        text = _table_sub(text, table.reporter_pronouns)
        text = _reporter_her(text, nlp)
    return text


def _kinds(names: Iterable[str]) -> str:
    return "|".join(re.escape(n) for n in names)


_LOCATION_KINDS = ("venue", "address", "postcode", "room number", "location")
_LOCATION = rf"\[(?:{_kinds(_LOCATION_KINDS)}) removed\]"
_STREET = rf"\[(?:{_kinds(('address', 'postcode', 'room number', 'location'))}) removed\]"
_CONTACT = r"\[(?:number|email|username|link) removed\]"
_PERSONAL = r"\[(?:age|nationality) removed\]"
_PERSONAL_RUN = rf"{_PERSONAL}(?:\s*(?:,|and)\s*{_PERSONAL})*"
_LOCATION_JOIN = re.compile(
    rf"""
    \[(?P<first>{_kinds(_LOCATION_KINDS)})\ removed\]    # one location placeholder
    (?:\s*,\s*|\s+(?:on|in|at|near|off)\s+|\s+)          # joined by a comma, preposition or space
    \(?\[(?P<second>{_kinds(_LOCATION_KINDS)})\ removed\]\)?   # and another
    """,
    re.VERBOSE,
)


def _merge_locations(text: str) -> str:
    """'[venue removed] on [address removed], [room number removed]' → '[venue removed]'."""

    def merge(match: re.Match[str]) -> str:
        kinds = {match["first"], match["second"]}
        kind = next(
            k for k in ("venue", "address", "location", "postcode", "room number") if k in kinds
        )
        return f"[{kind} removed]"

    previous = None
    while previous != text:
        previous, text = text, _LOCATION_JOIN.sub(merge, text)
    return text


def smooth_placeholders(text: str, config: DraftingConfig | None = None) -> str:
    """Turn redaction placeholders into readable sentences ('at [venue removed]' → 'at a venue')."""
    config = config or load_drafting_config()
    table = config.narrative
    relations = _words(table.relation_nouns)
    contacts = _words(table.contact_nouns)
    rules: list[tuple[str, str]] = [
        # Locations: merge runs, drop parenthesised and prepositional street details.
        (r"\s*\(\s*" + _LOCATION + r"\s*\)", ""),
        (
            r"\s+(?:on|at|in|off|near|from|of|outside|to)\s+(?:the\s+)?"
            + _STREET
            + r",\s*(?=[A-Z][a-z])",
            " in ",
        ),
        (r"\s+(?:on|at|in|off|near|from|of|outside)\s+(?:the\s+)?" + _STREET, ""),
        (r",\s*" + _STREET + r"(?=\s*[,.;)]|\s*$)", ""),
        (r"(?<![\w,]\s)" + _STREET + r",?\s+(?=[A-Z][a-z]+\b)", "in "),
        (
            r"(?i:\bthe\s+)?\[venue removed\]"
            r"(?:\s+(?i:massage|sauna|parlour|hotel|spa|inn|lodge))?",
            "[venue removed]",
        ),
        # People: drop names after a relation ("her friend [name removed] was" → "her friend was").
        (r"\s*\(\s*\[name removed\]\s*\)", ""),
        (r"\[name removed\]\s*\((?:working|real)\s+name\)", "[name removed]"),
        (
            r"(?:\bthe\s+name\s+)?\[name removed\],?\s+(?:which\s+|who\s+)?(?:is|was)\s+"
            r"(?i:(the\s+worker's))\s+(working\s+|real\s+)?name",
            r"\1 \2name",
        ),
        (r"(?i:\b(call(?:\s+taken)?\s+from))\s+\[name removed\]", r"\1 the worker"),
        (rf"(?i:\b({relations}))\s*,?\s*\[name removed\](?:\s*,(?=\s+[a-z]))?", r"\1"),
        (r"(?m)^[ \t]*(?:\[name removed\][\s,.]*)+$", ""),
        (r"(?<=[.!?])\s+\[name removed\][\s.]*$", ""),
        # Contact details after the noun they name ("her landline [number removed]").
        (rf"(?i:\b({contacts}))\s*,?\s*(?:on\s+|from\s+|is\s+)?{_CONTACT}", r"\1"),
        (rf"\s+(?:on|from|at|via)\s+{_CONTACT}", ""),
        # Ages and nationalities describe the worker: drop them.
        (rf",?\s*\baged\s+{_PERSONAL}\s*,?", ""),
        (rf"{_PERSONAL}\s*(?:-|\s)?years?[\s-]+old\s*", ""),
        (rf"{_PERSONAL}\s*(?:-|\s)?(?:years?|yrs?)\b", ""),  # "[age removed] years" (2nd language)
        # "My name is [name removed]": nothing left to say.
        (
            r"(?i:\bthe\s+worker's\s+(?:working\s+|real\s+)?name\s+(?:is|was)\s+)"
            r"\[name removed\]\s*[,.]?\s*",
            "",
        ),
        (
            rf"(?i:\bthe\s+worker\s+(?:is|was))\s+{_PERSONAL_RUN}\s+and\s+(?=(?i:the\s+worker's)\b)",
            "",
        ),
        (rf"\b(is|was)\s+{_PERSONAL_RUN}\s+and\s+", r"\1 "),
        (rf"\s+(?:is|was)\s+{_PERSONAL_RUN}\s*,\s*", " "),
        (rf"{_PERSONAL}\s*,?\s*", ""),
        # Whatever is left takes the generic wording from drafting.toml.
        (r"\b(?:the\s+)?\[location removed\]", "[location removed]"),
    ]
    text = _merge_locations(text)
    for pattern, replacement in rules:
        text = re.sub(pattern, replacement, text)
    text = _merge_locations(text)
    text = _PLACEHOLDER.sub(lambda m: config.placeholders[m.group(1)], text)
    return tidy(text)


_TIDY_RULES: list[tuple[str, str]] = [
    (r"[ \t]+", " "),
    (r" +([,.;:!?)])", r"\1"),
    (r"\( +", "("),
    (r"\(\s*\)", ""),
    (r",\s*,+", ","),
    (r",\s*([.;!?])", r"\1"),
    (r"(?<![.])\.\.(?!\.)", "."),
    (r"\b(a|an|the)\s+(?=(?:a|an|the)\b)", ""),
    (r"\ba\s+(?=(?:escort|incall|outcall|address|email|agency|hour|older|elderly)\b)", "an "),
    (r"\ban\s+(?=(?:worker|venue|number|username|link|vehicle|support)\b)", "a "),
    (r"(?m)^[ ,;.]+", ""),
    (r"(?m) +$", ""),
    (r"\n{3,}", "\n\n"),
]


def tidy(text: str) -> str:
    """Fix the spacing and punctuation that removing words leaves behind; capitalise sentences."""
    for pattern, replacement in _TIDY_RULES:
        text = re.sub(pattern, replacement, text)
    text = re.sub(
        r"(^|[.!?]\s+|\n\s*)([a-z])",
        lambda m: m.group(1) + m.group(2).upper(),
        text.strip(),
    )
    return text


def _strip_formalities(text: str, config: DraftingConfig) -> str:
    """Drop greetings and sign-offs: whole lines, or at the very start or end of the text."""
    formalities = "|".join(config.narrative.formalities)
    text = re.sub(rf"(?im)^[ \t]*(?:{formalities})[ \t]*$\n?", "", text)
    text = re.sub(rf"(?i)^\s*(?:{formalities})(?:\s+|(?<=,))", "", text)
    return re.sub(rf"(?i)(?<=[.!?])\s+(?:{formalities})[.!]?\s*$", "", text)


def rewrite_narrative(
    narrative: str,
    offenders: Sequence[dict[str, Any]] = (),
    *,
    keep_pronouns: bool = False,
    nlp: Callable[[str], Any] | None = None,
    config: DraftingConfig | None = None,
) -> str:
    """'What happened': the redacted narrative in plain words and the third person, smoothed."""
    config = config or load_drafting_config()
    if not narrative.strip():
        return ""
    shield = _Shield(_offender_values(offenders))
    # Curly apostrophes would hide "I’ve" from the tables; curly double quotes still mark speech.
    text = narrative.replace("\u2019", "'").replace("\u2018", "'")
    text = shield.hide(_strip_formalities(text, config))
    text = plain_words(text, config)
    text = third_person(text, keep_pronouns=keep_pronouns, nlp=nlp, config=config)
    text = smooth_placeholders(text, config)
    if not keep_pronouns:
        # Smoothing can bring gendered words together ("a [nationality removed] woman").
        text = _table_sub(text, config.narrative.reporter_gendered)
    return tidy(shield.restore(text))


def _offender_values(offenders: Sequence[dict[str, Any]]) -> list[str]:
    values: list[str] = []
    for offender in offenders:
        for kind in ("names_used", "phones", "emails", "usernames"):
            values.extend(offender.get(kind) or [])
        for vehicle in offender.get("vehicles") or []:
            if vehicle.get("registration"):
                values.append(vehicle["registration"])
    return values


# --- the offender's details ----------------------------------------------------------------------


def format_phone(number: str) -> str:
    """One uniform format for UK numbers ('07700900461' → '07700 900461'); others as given."""
    try:
        parsed = phonenumbers.parse(number, "GB")
    except phonenumbers.NumberParseException:
        return " ".join(number.split())
    if parsed.country_code != 44:
        return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.NATIONAL)


_FULL_REGISTRATION = re.compile(
    r"""
    ^(?:[A-Z]{2}\d{2}[A-Z]{3}       # current: MA19KXZ
      | [A-Z]\d{1,3}[A-Z]{3}        # prefix: P472KLM
      | [A-Z]{3}\d{1,3}[A-Z]        # suffix: HJK482T
      | [A-Z]{1,3}\d{1,4}           # dateless: ABC 123
      | \d{1,4}[A-Z]{1,3}           # dateless reversed: 123 ABC
    )$
    """,
    re.VERBOSE,
)


def format_registration(registration: str) -> tuple[str, bool]:
    """A registration in capitals with the usual space, and whether it is complete."""
    compact = re.sub(r"[^A-Za-z0-9]", "", registration).upper()
    full = bool(_FULL_REGISTRATION.match(compact)) and len(compact) >= 5
    if re.fullmatch(r"[A-Z]{2}\d{2}[A-Z]{3}", compact):
        return f"{compact[:4]} {compact[4:]}", True
    if re.fullmatch(r"[A-Z]\d{1,3}[A-Z]{3}", compact):
        return f"{compact[:-3]} {compact[-3:]}", True
    if re.fullmatch(r"[A-Z]{3}\d{1,3}[A-Z]", compact):
        return f"{compact[:3]} {compact[3:]}", True
    return " ".join(registration.upper().split()), full


def describe_vehicle(vehicle: dict[str, Any]) -> dict[str, Any]:
    """A vehicle's colour, make, model and registration, and whether the registration is partial."""
    registration, complete = (
        format_registration(vehicle["registration"])
        if vehicle.get("registration")
        else (None, False)
    )
    words = [vehicle.get("colour"), vehicle.get("make"), vehicle.get("model")]
    summary = " ".join(w.strip() for w in words if w and w.strip())
    return {
        "make": vehicle.get("make"),
        "model": vehicle.get("model"),
        "colour": vehicle.get("colour"),
        "registration": registration,
        "registration_partial": bool(registration) and not complete,
        "summary": summary[:1].upper() + summary[1:] if summary else "",
    }


def offender_details(
    offender: dict[str, Any], config: DraftingConfig | None = None
) -> dict[str, Any]:
    """One offender's details for the 'Details of the person involved' section."""
    config = config or load_drafting_config()
    description = offender.get("description")
    return {
        "names_used": [n.strip() for n in offender.get("names_used") or [] if n.strip()],
        "phones": _unique(format_phone(p) for p in offender.get("phones") or [] if p.strip()),
        "emails": _unique(e.strip() for e in offender.get("emails") or [] if e.strip()),
        "usernames": _unique(u.strip() for u in offender.get("usernames") or [] if u.strip()),
        "vehicles": [
            describe_vehicle(v) for v in offender.get("vehicles") or [] if any(v.values())
        ],
        "description": smooth_placeholders(description, config) if description else None,
    }


def _unique(values: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(values))


def has_details(details: dict[str, Any]) -> bool:
    """True when an offender's details say anything at all."""
    return any(
        details[k]
        for k in ("names_used", "phones", "emails", "usernames", "vehicles", "description")
    )


# --- when and where ------------------------------------------------------------------------------


def part_of_day(time: str | None, config: DraftingConfig | None = None) -> str | None:
    """'morning', 'evening' … for an 'HH:MM' time, or None."""
    if not time:
        return None
    hour = int(time[:2])
    parts = (config or load_drafting_config()).alert.parts_of_day
    return [name for name, start in parts.items() if start <= hour][-1]


def time_window(time: str | None, hours: int = 2) -> str | None:
    """The window of *hours* that contains 'HH:MM': '22:30' → '22:00–23:59'."""
    if not time:
        return None
    start = int(time[:2]) // hours * hours
    return f"{start:02d}:00–{min(start + hours, 24) - 1:02d}:59"


def general_area(incident: dict[str, Any], config: DraftingConfig | None = None) -> str | None:
    """The general area, or the police force area when the area looks like a street or venue."""
    config = config or load_drafting_config()
    area = (incident.get("area") or "").strip()
    words = _word_pattern(config.alert.not_general_area_words)
    postcode = re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b", re.IGNORECASE)
    street = re.compile(r"\w\s+st\.?$", re.IGNORECASE)
    looks_specific = words.search(area) or postcode.search(area) or street.search(area)
    if area and not looks_specific and not re.search(r"\d", area):
        return area
    return (incident.get("police_force") or "").strip() or None


def when_text(incident: dict[str, Any], config: DraftingConfig | None = None) -> str:
    """'Wednesday 12 March 2025, late evening' (date and part of day, whichever are known)."""
    config = config or load_drafting_config()
    part = incident.get("part_of_day") or part_of_day(incident.get("time"), config)
    date = incident.get("date")
    day = dt.date.fromisoformat(date).strftime("%A %-d %B %Y") if date else None
    if day and part:
        return f"{day}, {part}"
    return day or (f"{config.alert.unknown_date}, {part}" if part else config.alert.unknown_date)


def incident_words(types: Sequence[str], config: DraftingConfig | None = None) -> str:
    """Incident types in plain words, lower case: 'robbery and physical assault'.

    Lower case on purpose: a capitalised first word ("Blackmail") reads as a name to NER, and
    the release guard would block the output.
    """
    config = config or load_drafting_config()
    words = _unique(config.incident_types[IncidentType(t)] for t in types)
    if not words:
        return "incident"
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def headline(core: dict[str, Any], config: DraftingConfig | None = None) -> str:
    """Incident types, general area, date and part of day, never a street, venue or postcode."""
    config = config or load_drafting_config()
    incident = core["incident"]
    area = general_area(incident, config) or config.alert.unknown_area
    what = incident_words(incident.get("types") or [], config)
    # Lower case after "Alert:": a capitalised first word ("Blackmail") reads as a name to NER.
    return f"Alert: {what} – {area} – {when_text(incident, config)}"


# --- SMS -----------------------------------------------------------------------------------------

GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENSION = frozenset("^{}\\[~]|€\f")
_TRANSLITERATION = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u2033": '"',
        "\u2013": "-",
        "\u2014": "-",
        "\u2012": "-",
        "\u2212": "-",
        "\u2010": "-",
        "\u2011": "-",
        "\u2026": "...",
        "\u00a0": " ",
        "\u2022": "-",
        "\u00b7": "-",
    }
)


def to_gsm7(text: str) -> str:
    """Transliterate curly quotes, dashes and accents to GSM-7 where there is an equivalent."""
    out: list[str] = []
    for char in text.translate(_TRANSLITERATION):
        if char in GSM7_BASIC or char in GSM7_EXTENSION:
            out.append(char)
            continue
        stripped = "".join(
            c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c)
        )
        out.append(stripped if stripped and all(c in GSM7_BASIC for c in stripped) else char)
    return "".join(out)


def sms_encoding(text: str) -> str:
    """'GSM-7' when every character is in the GSM 03.38 alphabet, else 'UCS-2'."""
    return "GSM-7" if all(c in GSM7_BASIC or c in GSM7_EXTENSION for c in text) else "UCS-2"


def sms_length(text: str) -> int:
    """Characters as the network counts them: septets for GSM-7, UTF-16 units for UCS-2."""
    if sms_encoding(text) == "GSM-7":
        return sum(2 if c in GSM7_EXTENSION else 1 for c in text)
    return len(text.encode("utf-16-le")) // 2


def sms_segments(text: str, config: DraftingConfig | None = None) -> int:
    """How many messages *text* takes."""
    limits = (config or load_drafting_config()).sms
    length = sms_length(text)
    single, part = (
        (limits.gsm7_single, limits.gsm7_part)
        if sms_encoding(text) == "GSM-7"
        else (limits.ucs2_single, limits.ucs2_part)
    )
    return 1 if length <= single else math.ceil(length / part)


def sms_items(
    core: dict[str, Any], details: Sequence[dict[str, Any]], config: DraftingConfig | None = None
) -> list[list[str]]:
    """The SMS facts, most protective first: incident, area and when, phones, registrations, ….

    Each fact is a list of whole alternatives, longest first (a description can lose its last
    parts); a value is never cut.
    """
    config = config or load_drafting_config()
    incident = core["incident"]
    area = general_area(incident, config) or config.alert.unknown_area
    part = incident.get("part_of_day") or part_of_day(incident.get("time"), config)
    date = incident.get("date")
    when = " ".join(
        filter(
            None,
            [
                dt.date.fromisoformat(date).strftime("%-d %b %Y") if date else None,
                part,
            ],
        )
    )
    where_when = ", ".join(filter(None, [area, when]))
    items = [
        f"{config.alert.sms_prefix}: {incident_words(incident.get('types') or [], config)}",
        where_when[:1].upper() + where_when[1:],
    ]
    items += [f"Tel {phone}" for d in details for phone in d["phones"]]
    items += [
        f"{'Part reg' if v['registration_partial'] else 'Reg'} {v['registration']}"
        for d in details
        for v in d["vehicles"]
        if v["registration"]
    ]
    items += [v["summary"] for d in details for v in d["vehicles"] if v["summary"]]
    items += [f"Calls himself {name}" for d in details for name in d["names_used"]]
    items += [f"Email {email}" for d in details for email in d["emails"]]
    items += [f"User {name}" for d in details for name in d["usernames"]]
    choices = [[to_gsm7(item)] for item in items]
    for d in details:
        if d["description"]:
            chunks = [chunk.strip() for chunk in d["description"].split(",") if chunk.strip()]
            choices.append(
                [
                    to_gsm7("Description: " + ", ".join(chunks[:n]))
                    for n in range(len(chunks), 0, -1)
                ]
            )
    return choices


def draft_sms(
    core: dict[str, Any], details: Sequence[dict[str, Any]], config: DraftingConfig | None = None
) -> dict[str, Any]:
    """The SMS: whole facts added in order while the message fits the segment limit."""
    config = config or load_drafting_config()
    chosen: list[str] = []
    for alternatives in sms_items(core, details, config):
        for item in alternatives:
            candidate = render_template("sms.j2", items=[*chosen, item]).strip()
            if sms_segments(candidate, config) <= config.sms.max_segments:
                chosen.append(item)
                break
    text = render_template("sms.j2", items=chosen).strip()
    return {
        "text": text,
        "segments": sms_segments(text, config),
        "encoding": sms_encoding(text),
        "characters": sms_length(text),
    }


# --- the alert -----------------------------------------------------------------------------------


def _without_summary(vehicle: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in vehicle.items() if key != "summary"}


def feed_id(report_id: str, key: bytes) -> str:
    """The feed entry's id: stable for a report, and no one without *key* can link it back.

    A keyed hash (HMAC-SHA256 with the pseudonym key, ``pipeline.pseudonym``): report ids are
    sequential, so an unkeyed hash of one could be reversed by hashing every likely id. The
    ``feed:`` prefix keeps it unrelated to the SCAS reference made with the same key. Base32 in
    lower case: the release guard's NER reads hex ids as places more often.
    """
    if not key:
        raise ConfigError("the pseudonym key is empty; feed ids need a secret key")
    digest = hmac.new(key, f"feed:{report_id}".encode(), hashlib.sha256).digest()
    return "alert-" + base64.b32encode(digest).decode("ascii").lower()[:12]


def alert_context(
    core: dict[str, Any],
    report: Report,
    *,
    keep_pronouns: bool = False,
    nlp: Callable[[str], Any] | None = None,
    config: DraftingConfig | None = None,
) -> dict[str, Any]:
    """Everything the alert templates show, already in plain words."""
    config = config or load_drafting_config()
    incident = core["incident"]
    details = [offender_details(o, config) for o in core.get("offenders") or []]
    details = [d for d in details if has_details(d)]
    setting = incident.get("setting")
    contact = incident.get("contact_method")
    area = general_area(incident, config)
    return {
        "scheme_name": config.alert.scheme_name,
        "headline": headline(core, config),
        "incident": incident_words(incident.get("types") or [], config),
        "when": when_text(incident, config),
        "area": area or config.alert.unknown_area,
        "police_force": incident.get("police_force"),
        "setting": config.settings[Setting(setting)] if setting else None,
        "contact": config.contact_methods.get(contact, contact) if contact else None,
        "offenders": details,
        "what_happened": rewrite_narrative(
            core.get("narrative") or "",
            core.get("offenders") or [],
            keep_pronouns=keep_pronouns,
            nlp=nlp,
            config=config,
        ),
    }


def draft_alert(
    core: dict[str, Any],
    report: Report,
    *,
    key: bytes | None = None,
    keep_pronouns: bool = False,
    nlp: Callable[[str], Any] | None = None,
) -> dict[str, Any]:
    """The member alert in every channel: headline, email (HTML and text), SMS and feed entry.

    *key* is the secret behind the feed id; by default the pseudonym key
    (``pipeline.pseudonym.pseudonym_key``, read now), the one the SCAS reference uses.
    """
    if key is None:
        key = pseudonym_key()
    config = load_drafting_config()
    context = alert_context(core, report, keep_pronouns=keep_pronouns, nlp=nlp, config=config)
    incident = core["incident"]
    summary = f"Reported: {context['incident']} in {context['area']}, {context['when']}."
    feed = {
        "id": feed_id(report.report_id, key),
        "title": context["headline"],
        "date": incident.get("date"),
        "area": general_area(incident, config),
        "police_force": incident.get("police_force"),
        "summary": summary,
        "details": {
            # The vehicle summary is for the templates: its parts are already here.
            "offenders": [
                {**o, "vehicles": [_without_summary(car) for car in o["vehicles"]]}
                for o in context["offenders"]
            ],
            "what_happened": context["what_happened"],
        },
    }
    feed["html"] = render_template("feed_entry.j2", **context, feed=feed)
    logger.info(
        "drafted alert for report %s: %d offender(s)", report.report_id, len(context["offenders"])
    )
    return {
        "headline": context["headline"],
        "email": {
            "subject": f"{config.alert.scheme_name} alert: {context['headline'][len('Alert: ') :]}",
            "html": render_template("email_html.j2", **context),
            "text": render_template("email_text.j2", **context),
        },
        "sms": draft_sms(core, context["offenders"], config),
        "feed": feed,
    }
