"""The members roster: who receives alerts, how (email and/or SMS), and for which areas.

Rows live in the store's ``members`` table: the member id and contact details sealed (AES-GCM, see
:mod:`pipeline.crypto`), the row keyed by a keyed hash of the member id, and the areas and channels
plain (they identify no one). A member's areas are police force areas, regions of England and
Wales (each stands for its forces), or ``all``. Cancelling a membership erases the member
(:func:`pipeline.retention.erase_member`): their roster entry and everything of theirs that was
never released.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import phonenumbers
from sqlalchemy import select

from pipeline.errors import MugsError
from pipeline.police_forces import POLICE_FORCES
from pipeline.retention import Erasure, erase_member
from pipeline.store import Store, members

logger = logging.getLogger(__name__)

ALL_AREAS = "all"
CHANNELS = ("email", "sms")

REGIONS: dict[str, tuple[str, ...]] = {
    "North East": ("Cleveland Police", "Durham Constabulary", "Northumbria Police"),
    "North West": (
        "Cheshire Constabulary",
        "Cumbria Constabulary",
        "Greater Manchester Police",
        "Lancashire Constabulary",
        "Merseyside Police",
    ),
    "Yorkshire and the Humber": (
        "Humberside Police",
        "North Yorkshire Police",
        "South Yorkshire Police",
        "West Yorkshire Police",
    ),
    "East Midlands": (
        "Derbyshire Constabulary",
        "Leicestershire Police",
        "Lincolnshire Police",
        "Northamptonshire Police",
        "Nottinghamshire Police",
    ),
    "West Midlands": (
        "Staffordshire Police",
        "Warwickshire Police",
        "West Mercia Police",
        "West Midlands Police",
    ),
    "East of England": (
        "Bedfordshire Police",
        "Cambridgeshire Constabulary",
        "Essex Police",
        "Hertfordshire Constabulary",
        "Norfolk Constabulary",
        "Suffolk Constabulary",
    ),
    "London": ("City of London Police", "Metropolitan Police Service"),
    "South East": (
        "Hampshire and Isle of Wight Constabulary",
        "Kent Police",
        "Surrey Police",
        "Sussex Police",
        "Thames Valley Police",
    ),
    "South West": (
        "Avon and Somerset Constabulary",
        "Devon and Cornwall Police",
        "Dorset Police",
        "Gloucestershire Constabulary",
        "Wiltshire Police",
    ),
    "Wales": ("Dyfed-Powys Police", "Gwent Police", "North Wales Police", "South Wales Police"),
    "Scotland": ("Police Scotland",),
    "Northern Ireland": ("Police Service of Northern Ireland",),
}
"""Regions a member can choose instead of single forces; each stands for its forces."""

_EMAIL = re.compile(
    r"""
    ^[^@\s]+          # local part: anything but @ and space
    @[^@\s.]+         # first label of the domain
    (?:\.[^@\s.]+)+$  # at least one more label
    """,
    re.VERBOSE,
)


class MemberError(MugsError):
    """A member's details are invalid; the message names the field, never the value."""


@dataclass(frozen=True, slots=True)
class Member:
    """One member as the roster holds them (contacts opened)."""

    member_ref: str
    member_id: str
    email: str | None
    phone: str | None
    areas: tuple[str, ...]
    channels: tuple[str, ...]

    def address_for(self, channel: str) -> str | None:
        """The member's email address or phone number for *channel*."""
        return self.email if channel == "email" else self.phone if channel == "sms" else None

    def wants(self, police_force: str | None) -> bool:
        """Whether an alert in *police_force*'s area reaches this member."""
        if ALL_AREAS in self.areas:
            return True
        if not police_force:
            return False
        return _force_key(police_force) in {_force_key(f) for f in covered_forces(self.areas)}


def _force_key(name: str) -> str:
    return " ".join(name.casefold().replace("&", "and").split())


_AREA_NAMES = {_force_key(name): name for name in (ALL_AREAS, *POLICE_FORCES, *REGIONS)}


def check_areas(areas: Iterable[str]) -> tuple[str, ...]:
    """The areas in their canonical spelling; fail naming the bad one and the choices."""
    checked: list[str] = []
    for area in areas:
        name = _AREA_NAMES.get(_force_key(area))
        if name is None:
            raise MemberError(
                f"--area '{area}' is not 'all', a region ({', '.join(REGIONS)}) or a UK police "
                "force (see `mugs members areas`)"
            )
        checked.append(name)
    if not checked:
        raise MemberError("--area: give at least one area, or 'all'")
    return tuple(dict.fromkeys(checked))


def covered_forces(areas: Iterable[str]) -> tuple[str, ...]:
    """Every police force an area list covers (regions expanded)."""
    forces: list[str] = []
    for area in areas:
        forces.extend(REGIONS.get(area, (area,)))
    return tuple(dict.fromkeys(forces))


def check_email(email: str | None) -> str | None:
    """A plausible email address, or None."""
    if email is None or not email.strip():
        return None
    if not _EMAIL.match(email.strip()):
        raise MemberError("--email: not an email address")
    return email.strip()


def check_phone(phone: str | None) -> str | None:
    """A UK or international mobile number in E.164 form, or None."""
    if phone is None or not phone.strip():
        return None
    try:
        parsed = phonenumbers.parse(phone, "GB")
    except phonenumbers.NumberParseException:
        raise MemberError("--phone: not a phone number") from None
    # "Possible", not "valid": Ofcom's drama numbers (07700 900xxx) are possible but not valid.
    if not phonenumbers.is_possible_number(parsed):
        raise MemberError("--phone: not a possible phone number")
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def add_member(
    store: Store,
    member_id: str,
    *,
    email: str | None = None,
    phone: str | None = None,
    areas: Sequence[str] = (ALL_AREAS,),
    actor: str = "members",
) -> Member:
    """Add a member (or replace their details); alerts go to every contact given."""
    if not member_id.strip():
        raise MemberError("member id: required")
    contacts = {"email": check_email(email), "phone": check_phone(phone)}
    channels = tuple(
        channel for channel, value in zip(CHANNELS, contacts.values(), strict=True) if value
    )
    if not channels:
        raise MemberError("give --email and/or --phone: a member needs a way to receive alerts")
    checked_areas = check_areas(areas)
    with store.begin() as connection:
        ref = store.put_member(connection, member_id.strip(), contacts, checked_areas, channels)
        store.append_audit(
            connection,
            actor=actor,
            action="member_add",
            report_id=None,
            details={
                "member_ref": ref[:12],
                "channels": list(channels),
                "areas": len(checked_areas),
            },
        )
    logger.info("member %s added: channels %s", ref[:12], ",".join(channels))
    return Member(
        ref, member_id.strip(), contacts["email"], contacts["phone"], checked_areas, channels
    )


def remove_member(store: Store, member_id: str, *, actor: str = "members") -> Erasure:
    """Cancel a membership: erase the member and what of theirs was never released."""
    erasure = erase_member(store, member_id.strip(), actor=actor)
    if not erasure.member_found:
        logger.info("member removal: no roster entry (their reports were still erased)")
    return erasure


def _member(store: Store, row: Any) -> Member:
    contacts = store.unseal("members", "contacts_sealed", row.member_ref, row.contacts_sealed)
    return Member(
        member_ref=row.member_ref,
        member_id=store.unseal("members", "member_sealed", row.member_ref, row.member_sealed),
        email=contacts.get("email"),
        phone=contacts.get("phone"),
        areas=tuple(json.loads(row.regions)),
        channels=tuple(json.loads(row.channels)),
    )


def list_members(store: Store) -> list[Member]:
    """Every member, contacts opened, in a stable order (by lookup reference)."""
    with store.begin() as connection:
        rows = connection.execute(select(members).order_by(members.c.member_ref)).all()
    return [_member(store, row) for row in rows]


def member_by_ref(store: Store, member_ref: str) -> Member | None:
    """One member by lookup reference, or None if they have left."""
    with store.begin() as connection:
        row = connection.execute(select(members).where(members.c.member_ref == member_ref)).first()
    return None if row is None else _member(store, row)


def subscribers(roster: Iterable[Member], police_force: str | None) -> list[Member]:
    """The members an alert in *police_force*'s area goes to."""
    return [member for member in roster if member.wants(police_force)]
