"""The UK's police forces, and how a force named on the intake form is recognised.

``incident.police_force`` is free text on the form. It is copied into alerts, intelligence records
and a plain (unencrypted) store column, so only a value that names a real force may travel: any
other text ("Leeds (Jade's flat)") is dropped at intake, and the caseworker still reads what the
member wrote in the sealed report.
"""

from __future__ import annotations

import re

POLICE_FORCES = (
    "Avon and Somerset Constabulary",
    "Bedfordshire Police",
    "British Transport Police",
    "Cambridgeshire Constabulary",
    "Cheshire Constabulary",
    "City of London Police",
    "Cleveland Police",
    "Cumbria Constabulary",
    "Derbyshire Constabulary",
    "Devon and Cornwall Police",
    "Dorset Police",
    "Durham Constabulary",
    "Dyfed-Powys Police",
    "Essex Police",
    "Gloucestershire Constabulary",
    "Greater Manchester Police",
    "Gwent Police",
    "Hampshire and Isle of Wight Constabulary",
    "Hertfordshire Constabulary",
    "Humberside Police",
    "Kent Police",
    "Lancashire Constabulary",
    "Leicestershire Police",
    "Lincolnshire Police",
    "Merseyside Police",
    "Metropolitan Police Service",
    "Norfolk Constabulary",
    "North Wales Police",
    "North Yorkshire Police",
    "Northamptonshire Police",
    "Northumbria Police",
    "Nottinghamshire Police",
    "Police Scotland",
    "Police Service of Northern Ireland",
    "South Wales Police",
    "South Yorkshire Police",
    "Staffordshire Police",
    "Suffolk Constabulary",
    "Surrey Police",
    "Sussex Police",
    "Thames Valley Police",
    "Warwickshire Police",
    "West Mercia Police",
    "West Midlands Police",
    "West Yorkshire Police",
    "Wiltshire Police",
)
"""UK territorial police forces (and BTP), as the intake form names them."""

FORCE_WORDS = re.compile(r"\b(?:the|police|constabulary|service|force|of)\b")
"""Words that every force name shares or drops ("Lancashire Police" = "Lancashire Constabulary")."""

ALIASES = {
    "met": "metropolitan",
    "gmp": "greater manchester",
    "psni": "northern ireland",
    "btp": "british transport",
    "scotland": "scotland",
    "hampshire": "hampshire and isle wight",
    "west yorks": "west yorkshire",
    "south yorks": "south yorkshire",
    "north yorks": "north yorkshire",
    "avon somerset": "avon and somerset",
    "devon cornwall": "devon and cornwall",
    "dyfed powys": "dyfed-powys",
    "city london": "city london",
}
"""Short and older names people give, by their core words."""


def _core(name: str) -> str:
    """A force name's distinguishing words: 'The Lancashire Constabulary' → 'lancashire'."""
    folded = name.casefold().replace("&", "and")
    return " ".join(FORCE_WORDS.sub(" ", folded).split())


CORES = {_core(force): force for force in POLICE_FORCES}


def recognised_force(text: str) -> str | None:
    """The force *text* names (its canonical name), or None when it names none."""
    core = _core(text)
    return CORES.get(ALIASES.get(core, core))
