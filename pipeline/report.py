"""The intake format (shared/report-format.md) as typed, validated models."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from pipeline.police_forces import recognised_force


class IncidentType(StrEnum):
    """The scheme's incident vocabulary."""

    RAPE = "rape"
    SEXUAL_ASSAULT = "sexual_assault"
    ATTEMPTED_SEXUAL_ASSAULT = "attempted_sexual_assault"
    PHYSICAL_ASSAULT = "physical_assault"
    ATTEMPTED_ASSAULT = "attempted_assault"
    ROBBERY = "robbery"
    THEFT = "theft"
    THREATS = "threats"
    HARASSMENT = "harassment"
    STALKING = "stalking"
    KIDNAP = "kidnap"
    CONDOM_REMOVAL = "condom_removal"
    NON_PAYMENT = "non_payment"
    FRAUD = "fraud"
    BLACKMAIL = "blackmail"
    OUTING = "outing"
    HATE_INCIDENT = "hate_incident"
    TIME_WASTER = "time_waster"
    SUSPICIOUS_BEHAVIOUR = "suspicious_behaviour"
    OTHER = "other"


class Channel(StrEnum):
    """How the report reached the scheme."""

    WEB = "web"
    APP = "app"
    PHONE = "phone"
    EMAIL = "email"
    SUPPORT_PROJECT = "support_project"


class Setting(StrEnum):
    """Where the incident happened, in general terms."""

    STREET = "street"
    INDOOR = "indoor"
    INCALL = "incall"
    OUTCALL = "outcall"
    ONLINE = "online"
    OTHER = "other"


class ContactMethod(StrEnum):
    """How the offender made contact."""

    PHONE = "phone"
    TEXT = "text"
    WEBSITE = "website"
    APP = "app"
    SOCIAL_MEDIA = "social_media"
    STREET = "street"
    IN_PERSON = "in_person"
    OTHER = "other"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class KnownIdentifiers(_Strict):
    """What the scheme already knows about the reporter; all of it must be removed everywhere."""

    names: list[str] = Field(default_factory=list)
    phones: list[str] = Field(default_factory=list)
    emails: list[str] = Field(default_factory=list)
    handles: list[str] = Field(default_factory=list)
    addresses: list[str] = Field(default_factory=list)

    def all_values(self) -> list[tuple[str, str]]:
        """Every identifier as (kind, value)."""
        return [
            (kind, value)
            for kind in ("names", "phones", "emails", "handles", "addresses")
            for value in getattr(self, kind)
            if value.strip()
        ]


class Reporter(_Strict):
    """The member who was harmed (or the project reporting for them)."""

    member_id: str | None = None
    via_project: str | None = None
    known_identifiers: KnownIdentifiers = Field(default_factory=KnownIdentifiers)


class Consent(_Strict):
    """What the member agreed to."""

    alert: bool
    intelligence: bool
    police_contact: bool


class Incident(_Strict):
    """When, roughly where, and what happened."""

    date: dt.date | None = None
    time: dt.time | None = None
    area: str | None = None
    police_force: str | None = None
    setting: Setting | None = None
    location_detail: str | None = None
    types: list[IncidentType] = Field(default_factory=list)
    contact_method: ContactMethod | None = None

    @field_validator("police_force", mode="after")
    @classmethod
    def _force(cls, value: str | None) -> str | None:
        """A real force, by its canonical name; any other text is dropped (see police_forces)."""
        return recognised_force(value) if value else None

    @field_validator("date", mode="before")
    @classmethod
    def _date(cls, value: object) -> object:
        if value is None or isinstance(value, dt.date):
            return value
        if not isinstance(value, str):
            raise ValueError("must be a date written YYYY-MM-DD")
        try:
            return dt.date.fromisoformat(value) if len(value) == 10 else _bad_date(value)
        except ValueError:
            raise ValueError(f"'{value}' is not a date written YYYY-MM-DD") from None

    @field_validator("time", mode="before")
    @classmethod
    def _time(cls, value: object) -> object:
        if value is None or isinstance(value, dt.time):
            return value
        if not isinstance(value, str) or len(value) != 5:
            raise ValueError(f"'{value}' is not a time written HH:MM")
        try:
            return dt.time.fromisoformat(value)
        except ValueError:
            raise ValueError(f"'{value}' is not a time written HH:MM") from None


def _bad_date(value: str) -> dt.date:
    raise ValueError(value)


class Vehicle(_Strict):
    """An offender's vehicle; any part may be unknown."""

    make: str | None = None
    model: str | None = None
    colour: str | None = None
    registration: str | None = None


class Offender(_Strict):
    """What is known about one offender: the details that warn others and are kept."""

    names_used: list[str] = Field(default_factory=list)
    phones: list[str] = Field(default_factory=list)
    emails: list[str] = Field(default_factory=list)
    usernames: list[str] = Field(default_factory=list)
    vehicles: list[Vehicle] = Field(default_factory=list)
    description: str | None = None


class Report(_Strict):
    """One incident report in intake format 1."""

    format: Literal[1]
    report_id: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9][A-Za-z0-9._:-]*$")
    received_at: dt.datetime
    channel: Channel
    reporter: Reporter = Field(default_factory=Reporter)
    consent: Consent
    incident: Incident = Field(default_factory=Incident)
    offenders: list[Offender] = Field(default_factory=list)
    narrative: str

    @field_validator("received_at", mode="before")
    @classmethod
    def _received_at(cls, value: object) -> object:
        if not isinstance(value, str):
            raise ValueError("must be an ISO 8601 timestamp string with an offset or Z")
        try:
            parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            raise ValueError(f"'{value}' is not an ISO 8601 timestamp") from None
        if parsed.tzinfo is None:
            raise ValueError(f"'{value}' has no offset or Z")
        return parsed
