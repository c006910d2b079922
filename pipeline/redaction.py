"""The redaction policy: turn roles into decisions, and apply them to text.

Kept: the offender's details, and the general area. Removed: everything else, with a readable
placeholder. A finding of unknown ownership is removed *and flagged*: a caseworker may restore it.
Where spans overlap, removal wins over keeping, and the removed region covers them all.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

from pipeline.findings import PERSONAL_DETAILS, Action, Entity, Finding, Role

PLACEHOLDERS: dict[str, str] = {
    Entity.PERSON: "[name removed]",
    Entity.PHONE_NUMBER: "[number removed]",
    Entity.EMAIL_ADDRESS: "[email removed]",
    Entity.HANDLE: "[username removed]",
    Entity.URL: "[link removed]",
    Entity.VENUE: "[venue removed]",
    Entity.STREET_ADDRESS: "[address removed]",
    Entity.UK_POSTCODE: "[postcode removed]",
    Entity.PREMISES_NUMBER: "[room number removed]",
    Entity.AGE: "[age removed]",
    Entity.NATIONALITY: "[nationality removed]",
    Entity.LOCATION: "[location removed]",
    Entity.ORGANIZATION: "[organisation removed]",
    Entity.VEHICLE_REGISTRATION: "[vehicle removed]",
}
"""What a reader of the alert sees instead of a removed detail, by entity type."""

KEPT_FOR_OFFENDER = PERSONAL_DETAILS
"""An offender's detail of these kinds warns others, so it stays."""


def placeholder(entity_type: str) -> str:
    """The placeholder for a removed detail of *entity_type*."""
    return PLACEHOLDERS.get(entity_type, "[detail removed]")


def decide(finding: Finding) -> Finding:
    """Apply the policy to one finding."""
    role, entity = finding.role, finding.span.entity_type
    if role == Role.OFFENDER and entity in KEPT_FOR_OFFENDER:
        return finding.decided(Action.KEEP, "")
    if role == Role.AREA and entity in {Entity.LOCATION, Entity.ORGANIZATION}:
        return finding.decided(Action.KEEP, "")
    if role == Role.UNKNOWN:
        return finding.decided(Action.FLAG, placeholder(entity))
    return finding.decided(Action.REMOVE, placeholder(entity))


def decide_all(findings: Iterable[Finding]) -> list[Finding]:
    """Apply the policy to every finding, ordered by field and position."""
    return sorted((decide(f) for f in findings), key=lambda f: (f.field, f.span.start, -f.span.end))


@dataclass(frozen=True, slots=True)
class Removal:
    """One region of a text to replace."""

    start: int
    end: int
    placeholder: str


def removals(findings: Iterable[Finding], field: str) -> list[Removal]:
    """The merged regions to remove from *field*: overlapping removed spans become one region."""
    regions: list[Removal] = []
    ordered = sorted(
        (f for f in findings if f.field == field and f.action != Action.KEEP),
        # Of two findings over the same text, the pattern recogniser's placeholder reads truer
        # than the NER's ("[name removed]" for "my mate Tasha", not "[organisation removed]").
        key=lambda f: (f.span.start, -f.span.end, f.span.recognizer == "SpacyRecognizer"),
    )
    for finding in ordered:
        start, end = finding.span.start, finding.span.end
        if regions and start < regions[-1].end:
            last = regions[-1]
            widest = (
                last.placeholder if last.end - last.start >= end - start else finding.placeholder
            )
            regions[-1] = Removal(last.start, max(last.end, end), widest)
        else:
            regions.append(Removal(start, end, finding.placeholder))
    return regions


def apply(text: str, regions: list[Removal]) -> str:
    """*text* with each region replaced by its placeholder."""
    pieces: list[str] = []
    cursor = 0
    for region in regions:
        pieces.append(text[cursor : region.start])
        pieces.append(region.placeholder)
        cursor = region.end
    pieces.append(text[cursor:])
    return "".join(pieces)


def redact_field(text: str, findings: Iterable[Finding], field: str) -> str:
    """*text* of *field* with every finding the policy does not keep replaced."""
    return apply(text, removals(findings, field))


def trim_overlaps(findings: list[Finding]) -> list[Finding]:
    """Keep an offender's detail whole when a looser or ownerless span overlaps it.

    spaCy's NER sometimes runs a name into the number after it ("Dave 07700 900461"), and a
    username pattern can fire inside an email address. A removed span that overlaps a kept pattern
    finding is cut back to the part outside it, when it comes from the NER or nobody owns it;
    a part with no letters or digits left is dropped. A finding with a must-go role from a pattern
    recogniser (the reporter's, a third party's, the venue's) is never trimmed.
    """
    kept = [
        f for f in findings if f.action == Action.KEEP and f.span.recognizer != "SpacyRecognizer"
    ]
    result: list[Finding] = []
    for finding in findings:
        trimmable = finding.span.recognizer == "SpacyRecognizer" or finding.role == Role.UNKNOWN
        if finding.action == Action.KEEP or not trimmable:
            result.append(finding)
            continue
        start, end = finding.span.start, finding.span.end
        for other in kept:
            if not finding.span.overlaps(other.span):
                continue
            if other.span.start <= start and other.span.end >= end:
                start = end  # wholly inside a kept finding
            elif other.span.start > start:
                end = min(end, other.span.start)
            else:
                start = max(start, other.span.end)
        text = finding.span.text[start - finding.span.start : end - finding.span.start]
        if start < end and any(ch.isalnum() for ch in text):
            stripped = text.strip(" ,.;:-")
            offset = text.find(stripped)
            span = replace(
                finding.span,
                start=start + offset,
                end=start + offset + len(stripped),
                text=stripped,
            )
            result.append(replace(finding, span=span))
    return result
