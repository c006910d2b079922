"""``mugs members add|remove|list|areas``: the roster of members who receive alerts."""

from __future__ import annotations

import argparse
import json
import sys

from pipeline.members import (
    ALL_AREAS,
    POLICE_FORCES,
    REGIONS,
    add_member,
    list_members,
    remove_member,
)
from pipeline.settings import load_settings
from pipeline.store import Store


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add ``members`` and its sub-commands."""
    members = subparsers.add_parser(
        "members",
        help="the roster of members who receive alerts (contacts sealed at rest)",
    )
    commands = members.add_subparsers(dest="members_command", metavar="ACTION", required=True)

    add = commands.add_parser(
        "add",
        help="add a member, or replace their contacts and areas",
        description="Alerts go to every contact given (email and/or SMS), for the areas given: "
        "'all', a region, or a police force (see `mugs members areas`).",
    )
    add.add_argument("member_id", metavar="MEMBER_ID")
    add.add_argument("--email", default=None, help="email address for alerts")
    add.add_argument("--phone", default=None, help="mobile number for SMS alerts")
    add.add_argument(
        "--area",
        action="append",
        default=None,
        help="region or police force area (repeatable; default: all)",
    )
    add.add_argument("--as", dest="actor", default="members", help="who is making the change")
    add.set_defaults(func=run_add)

    remove = commands.add_parser(
        "remove",
        help="cancel a membership: erase the member and their unreleased reports",
    )
    remove.add_argument("member_id", metavar="MEMBER_ID")
    remove.add_argument("--as", dest="actor", default="members", help="who is making the change")
    remove.set_defaults(func=run_remove)

    listing = commands.add_parser("list", help="list members (contacts masked unless --show)")
    listing.add_argument("--show", action="store_true", help="print full contact details")
    listing.add_argument("--json", action="store_true", help="one JSON object per member")
    listing.set_defaults(func=run_list)

    areas = commands.add_parser("areas", help="the regions and police forces a member can choose")
    areas.set_defaults(func=run_areas)


def _open_store() -> Store:
    return Store.open(load_settings())


def _mask(value: str | None) -> str:
    if not value:
        return "-"
    if "@" in value:
        local, _, domain = value.partition("@")
        return f"{local[:1]}…@{domain}"
    return f"…{value[-3:]}"


def run_add(args: argparse.Namespace) -> int:
    """Add or update one member."""
    with _open_store() as store:
        member = add_member(
            store,
            args.member_id,
            email=args.email,
            phone=args.phone,
            areas=args.area or [ALL_AREAS],
            actor=args.actor,
        )
    print(f"member {member.member_id}: {', '.join(member.channels)} for {', '.join(member.areas)}")
    return 0


def run_remove(args: argparse.Namespace) -> int:
    """Erase one member."""
    with _open_store() as store:
        erasure = remove_member(store, args.member_id, actor=args.actor)
    found = "removed from the roster" if erasure.member_found else "was not on the roster"
    print(
        f"member {args.member_id}: {found}; {len(erasure.deleted_reports)} unreleased "
        f"report(s) deleted, {len(erasure.reduced_reports)} released report(s) reduced to "
        "their released text"
    )
    return 0


def run_list(args: argparse.Namespace) -> int:
    """Print the roster."""
    with _open_store() as store:
        roster = list_members(store)
    for member in roster:
        email = member.email if args.show else _mask(member.email)
        phone = member.phone if args.show else _mask(member.phone)
        if args.json:
            print(
                json.dumps(
                    {
                        "member_id": member.member_id,
                        "email": email,
                        "phone": phone,
                        "channels": list(member.channels),
                        "areas": list(member.areas),
                    }
                )
            )
        else:
            print(
                f"{member.member_id}\t{email}\t{phone}\t{','.join(member.channels)}\t"
                f"{'; '.join(member.areas)}"
            )
    if not args.json:
        print(f"{len(roster)} member(s)", file=sys.stderr)
    return 0


def run_areas(args: argparse.Namespace) -> int:
    """Print every area name a member can choose."""
    print(ALL_AREAS)
    for region, forces in REGIONS.items():
        print(f"{region}: {', '.join(forces)}")
    for force in POLICE_FORCES:
        print(force)
    return 0
