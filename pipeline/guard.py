"""The release guard: scan every text that could leave, just before it does.

Each output under ``release`` is scanned again with the full analyzer and the reporter's known
identifiers, and also checked directly against every known identifier in canonical form. Any
reporter, third-party or venue finding blocks that output: it is replaced by an explanation (which
names the kind of detail and where, never the value), and the details go to ``review.guard``.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from pipeline import identifiers
from pipeline.analysis import Analyzer, ReportAnalysis, get_analyzer
from pipeline.findings import Finding, Role, Span
from pipeline.intake import ReceivedReport
from pipeline.roles import attribute
from recognizers.known_identifier_recognizer import MONTHS

BLOCKING_ROLES = frozenset({Role.REPORTER, Role.THIRD_PARTY, Role.VENUE})
OPAQUE_PATHS = frozenset({"release.alert.feed.id", "release.intelligence.reference"})
"""Generated identifiers (a feed id, the SCAS keyed reference): random letters, not report text."""

OUTPUT_DEPTH = {"alert": 2}
"""Outputs are blocked whole: ``release.alert.<channel>``, else ``release.<key>``."""


@dataclass(frozen=True, slots=True)
class GuardProblem:
    """A detail the guard found in an output."""

    output: str
    path: str
    entity_type: str
    role: str
    reason: str
    text: str

    def explanation(self) -> str:
        """Why the output was blocked, without the value."""
        kind = self.entity_type.lower().replace("_", " ")
        return f"blocked: a {self.role.replace('_', '-')} {kind} was found in {self.path}"


def _strings(value: Any, path: str) -> Iterator[tuple[str, str]]:
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, f"{path}.{key}")
    elif isinstance(value, list):
        for position, item in enumerate(value):
            yield from _strings(item, f"{path}[{position}]")


def _output_of(path: str) -> str:
    parts = path.split(".")
    depth = OUTPUT_DEPTH.get(parts[1], 1) if len(parts) > 1 else 1
    return ".".join(parts[: depth + 1]).split("[")[0]


_TAGS = re.compile(r"<[^>]+>")
_MONTHS = "|".join(MONTHS)
DATED_MONTH = re.compile(rf"(?<=\d )(?:{_MONTHS})\b|\b(?:{_MONTHS})(?= \d)")
"""A month beside a number in a date: removed before names are compared ("Monday 12 May 2025")."""


def _known_values(received: ReceivedReport) -> list[tuple[str, str]]:
    report = received.report
    values = list(report.reporter.known_identifiers.all_values())
    if report.reporter.via_project:
        values.append(("support project", report.reporter.via_project))
    if report.incident.location_detail:
        values.append(("location detail", report.incident.location_detail))
    return values


def direct_matches(text: str, received: ReceivedReport) -> list[tuple[str, str]]:
    """Known identifiers found in *text* by canonical comparison: (kind, value)."""
    plain = html.unescape(_TAGS.sub(" ", text))
    folded = DATED_MONTH.sub(" ", identifiers.name(plain))  # "12 may 2025" is no member's name
    digits = re.sub(r"\D", "", plain)
    found: list[tuple[str, str]] = []
    for kind, value in _known_values(received):
        if kind == "phones":
            canonical = identifiers.phone_digits(value)
            if len(canonical) >= 7 and (canonical in digits or canonical[1:] in digits):
                found.append((kind, value))
        elif kind == "emails":
            if identifiers.email(value) in plain.lower():
                found.append((kind, value))
        elif kind == "handles":
            handle = identifiers.handle(value)
            if re.search(rf"(?<![\w]){re.escape(handle)}(?![\w])", plain.lower()):
                found.append((kind, value))
        else:
            name = identifiers.name(value)
            if name and re.search(rf"(?<![\w']){re.escape(name)}(?![\w'])", folded):
                found.append((kind, value))
    return found


def scan_text(
    text: str, received: ReceivedReport, analyzer: Analyzer, path: str = "text"
) -> list[GuardProblem]:
    """Every reporter, third-party or venue detail in *text*."""
    problems = [
        GuardProblem(
            _output_of(path),
            path,
            kind,
            str(Role.REPORTER),
            f"equals the reporter's known {kind}",
            value,
        )
        for kind, value in direct_matches(text, received)
    ]
    # A tag ends a line, so a template's labels ("Description", "Usernames") stand apart from the
    # values around them instead of running into one phrase a name rule can read.
    plain = html.unescape(_TAGS.sub("\n", text))
    results, doc = analyzer.analyze_text(plain, received.report, field_name=path)
    analysis = ReportAnalysis(received)
    analysis.docs["narrative"] = doc
    for result in results:
        span = Span(
            "narrative",
            result.start,
            result.end,
            str(result.entity_type),
            float(result.score),
            str(result.recognition_metadata.get("recognizer_name", "")),
            plain[result.start : result.end],
        )
        analysis.spans.append(span)
        analysis.metadata[(span.field, span.start, span.end, span.entity_type)] = dict(
            result.recognition_metadata
        )
    descriptions = " ".join(
        identifiers.name(o.description) for o in received.report.offenders if o.description
    )
    for finding in attribute(analysis):
        if _describes_offender(finding, descriptions):
            continue
        if finding.role in BLOCKING_ROLES and not _is_placeholder(plain, finding):
            problems.append(
                GuardProblem(
                    _output_of(path),
                    path,
                    finding.span.entity_type,
                    str(finding.role),
                    finding.reason,
                    finding.span.text,
                )
            )
    return problems


def _describes_offender(finding: Finding, descriptions: str) -> bool:
    """An age or nationality that the offender's own description gives ("Asian male, 20s")."""
    if finding.span.entity_type not in {"AGE", "NATIONALITY"}:
        return False
    folded = identifiers.name(finding.span.text)
    pattern = rf"(?<!\w){re.escape(folded)}(?!\w)"
    return bool(folded) and re.search(pattern, descriptions) is not None


def _is_placeholder(text: str, finding: Finding) -> bool:
    """A finding inside a '[… removed]' placeholder is the placeholder, not a detail."""
    before = text.rfind("[", 0, finding.span.start + 1)
    after = text.find("]", finding.span.end - 1)
    return (
        before != -1
        and after != -1
        and text[before : after + 1].endswith("removed]")
        and "\n" not in text[before:after]
    )


def check_text(text: str, received: ReceivedReport, analyzer: Analyzer | None = None) -> list[str]:
    """Problems that block an edited text (empty when it may be approved); never the values."""
    return [p.explanation() for p in scan_text(text, received, analyzer or get_analyzer())]


def guard_release(
    release: dict[str, Any], review: dict[str, Any], received: ReceivedReport, analyzer: Analyzer
) -> list[GuardProblem]:
    """Scan every text in *release*; replace each blocked output by its explanation."""
    problems: list[GuardProblem] = []
    seen: dict[str, list[GuardProblem]] = {}
    for path, text in _strings(release, "release"):
        if path in OPAQUE_PATHS or not text.strip() or not any(ch.isalnum() for ch in text):
            continue
        if text not in seen:
            seen[text] = scan_text(text, received, analyzer, path)
        problems.extend(
            GuardProblem(_output_of(path), path, p.entity_type, p.role, p.reason, p.text)
            for p in seen[text]
        )
    blocked = sorted({p.output for p in problems})
    for output in blocked:
        _replace(
            release, output, {"blocked": [p.explanation() for p in problems if p.output == output]}
        )
    review["guard"] = {
        "blocked": blocked,
        "problems": [
            {
                "output": p.output,
                "path": p.path,
                "entity_type": p.entity_type,
                "role": p.role,
                "reason": p.reason,
                "text": p.text,
            }
            for p in problems
        ],
    }
    return problems


def _replace(release: dict[str, Any], output: str, value: dict[str, Any]) -> None:
    keys = output.split(".")[1:]
    node = release
    for key in keys[:-1]:
        node = node[key]
    node[keys[-1]] = value
