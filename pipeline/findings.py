"""The values that pass between the stages: spans, attributed findings and decisions.

Recognisers return :class:`Span`; role attribution turns a span into a :class:`Finding` with a
role and a reason; the redaction policy adds an :class:`Action` and a placeholder.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from enum import StrEnum


class Entity(StrEnum):
    """Kinds of identifying detail the pipeline looks for."""

    PHONE_NUMBER = "PHONE_NUMBER"
    EMAIL_ADDRESS = "EMAIL_ADDRESS"
    VEHICLE_REGISTRATION = "VEHICLE_REGISTRATION"
    UK_POSTCODE = "UK_POSTCODE"
    STREET_ADDRESS = "STREET_ADDRESS"
    PREMISES_NUMBER = "PREMISES_NUMBER"  # flat, house or room number
    VENUE = "VENUE"  # parlour, sauna, hotel, working flat, named premises
    PERSON = "PERSON"
    HANDLE = "HANDLE"  # social or advertising-site username
    URL = "URL"  # profile or advert link
    AGE = "AGE"
    NATIONALITY = "NATIONALITY"
    LOCATION = "LOCATION"  # town, district, region: may be kept as the general area
    ORGANIZATION = "ORGANIZATION"  # e.g. the support project that reported for the member


PERSONAL_DETAILS = frozenset(
    {
        Entity.PHONE_NUMBER,
        Entity.EMAIL_ADDRESS,
        Entity.HANDLE,
        Entity.URL,
        Entity.VEHICLE_REGISTRATION,
        Entity.PERSON,
        Entity.AGE,
        Entity.NATIONALITY,
    }
)
"""Details that belong to a person: whose they are decides whether they stay."""


class Role(StrEnum):
    """Whose a detail is."""

    REPORTER = "reporter"
    OFFENDER = "offender"
    THIRD_PARTY = "third_party"
    VENUE = "venue"
    AREA = "area"
    UNKNOWN = "unknown"


class Action(StrEnum):
    """What the redaction policy does with a finding."""

    KEEP = "keep"
    REMOVE = "remove"
    FLAG = "flag"  # removed, and shown to the caseworker, who may restore it


@dataclass(frozen=True, slots=True)
class Span:
    """A detail a recogniser found in one field of a report (offsets into that field's text)."""

    field: str
    start: int
    end: int
    entity_type: str
    score: float
    recognizer: str
    text: str

    def overlaps(self, other: Span) -> bool:
        """True when both spans are in the same field and share at least one character."""
        return self.field == other.field and self.start < other.end and other.start < self.end


@dataclass(frozen=True, slots=True)
class Finding:
    """A span with its role, the reason for that role, and (after policy) its action."""

    span: Span
    role: Role
    reason: str
    action: Action = Action.REMOVE
    placeholder: str = ""

    @property
    def field(self) -> str:
        """The report field the detail is in."""
        return self.span.field

    def decided(self, action: Action, placeholder: str) -> Finding:
        """Copy with the policy's decision."""
        return replace(self, action=action, placeholder=placeholder)

    def to_review(self, original: tuple[int, int] | None = None) -> dict[str, object]:
        """The finding as shown to a caseworker (carries the removed value: review only).

        ``start``/``end`` count in the field's normalised text (what was analysed). Given
        *original*, the same range in the field as it arrived is added as ``original_start`` and
        ``original_end``.
        """
        span = asdict(self.span)
        located: dict[str, object] = {
            "field": span["field"],
            "start": span["start"],
            "end": span["end"],
        }
        if original is not None:
            located["original_start"], located["original_end"] = original
        return located | {
            "text": span["text"],
            "entity_type": span["entity_type"],
            "role": str(self.role),
            "action": str(self.action),
            "score": round(span["score"], 3),
            "recognizer": span["recognizer"],
            "reason": self.reason,
            "placeholder": self.placeholder,
        }
