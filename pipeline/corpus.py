"""Load the annotated synthetic corpus: intake-format reports with gold spans (entity and role).

The corpus is ``fixtures/corpus.jsonl``, built by ``fixtures/build_corpus.py``; one line is
``{"report": {...}, "gold": [{"field", "start", "end", "text", "entity_type", "role"}],
"tags": [...]}``.
Gold offsets are into the *normalised* field text (what :func:`pipeline.intake.parse_report`
returns), so they line up with the spans the recognisers report.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline.errors import MugsError
from pipeline.findings import Entity, Role
from pipeline.intake import ReceivedReport, parse_report
from pipeline.report import Report

CORPUS_FILE_NAME = "corpus.jsonl"
"""The file :func:`load_corpus` reads when it is given a folder."""

ANNOTATED_FIELD = re.compile(
    r"""
    ^(?:narrative
      | incident\.location_detail
      | incident\.area
      | offenders\[(?P<offender>\d+)\]\.description
    )$
    """,
    re.VERBOSE,
)
"""The report fields that carry gold spans."""


class CorpusError(MugsError):
    """The corpus file is missing or a line in it is not a valid annotated report."""


@dataclass(frozen=True, slots=True)
class GoldSpan:
    """One annotated identifying detail: where it is, what it is and whose it is."""

    field: str
    start: int
    end: int
    text: str
    entity_type: Entity
    role: Role


@dataclass(frozen=True, slots=True)
class AnnotatedReport:
    """A validated report with its gold spans and descriptive tags (e.g. ``hard``, ``unicode``)."""

    received: ReceivedReport
    gold: list[GoldSpan]
    tags: tuple[str, ...]

    @property
    def report_id(self) -> str:
        """The report's id."""
        return self.received.report_id


def field_text(report: Report, field: str) -> str | None:
    """Return an annotated field's normalised text (``None`` when the report leaves it out)."""
    match = ANNOTATED_FIELD.match(field)
    if match is None:
        raise CorpusError(
            f"'{field}' is not an annotated field; expected narrative, "
            "incident.location_detail, incident.area or offenders[N].description"
        )
    if field == "narrative":
        return report.narrative
    if field == "incident.location_detail":
        return report.incident.location_detail
    if field == "incident.area":
        return report.incident.area
    index = int(match["offender"])
    if index >= len(report.offenders):
        return None
    return report.offenders[index].description


def _gold_span(item: Any, number: int, report: Report, where: str) -> GoldSpan:
    """Validate one gold object against the report; errors name the span, never its text."""
    label = f"{where}, gold span {number}"
    if not isinstance(item, dict):
        raise CorpusError(f"{label}: must be a JSON object")
    missing = {"field", "start", "end", "text", "entity_type", "role"} - set(item)
    if missing:
        raise CorpusError(f"{label}: missing keys {sorted(missing)}")
    try:
        entity = Entity(item["entity_type"])
    except ValueError:
        raise CorpusError(
            f"{label}: entity_type {json.dumps(item['entity_type'])[:40]} is not "
            f"one of {[e.value for e in Entity]}"
        ) from None
    try:
        role = Role(item["role"])
    except ValueError:
        raise CorpusError(
            f"{label}: role {json.dumps(item['role'])[:40]} is not one of {[r.value for r in Role]}"
        ) from None
    field, start, end = item["field"], item["start"], item["end"]
    if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end):
        raise CorpusError(f"{label}: start and end must be integers with 0 <= start < end")
    text = field_text(report, str(field))
    if text is None or end > len(text):
        raise CorpusError(f"{label}: {field} [{start}:{end}] is outside the field's text")
    if text[start:end] != item["text"]:
        raise CorpusError(f"{label}: the text at {field} [{start}:{end}] is not the span's text")
    return GoldSpan(
        field=str(field), start=start, end=end, text=item["text"], entity_type=entity, role=role
    )


def _annotated_report(line: str, number: int, source: str) -> AnnotatedReport:
    where = f"{source}:{number}"
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as exc:
        raise CorpusError(f"{where}: not valid JSON ({exc.msg} at column {exc.colno})") from None
    if not isinstance(obj, dict) or "report" not in obj:
        raise CorpusError(f"{where}: a corpus line is an object with 'report', 'gold' and 'tags'")
    received = parse_report(obj["report"], line=number, source=source)
    where = f"{where} report {received.report_id}"
    gold = obj.get("gold", [])
    tags = obj.get("tags", [])
    if not isinstance(gold, list) or not isinstance(tags, list):
        raise CorpusError(f"{where}: 'gold' and 'tags' must be lists")
    spans = [_gold_span(item, index, received.report, where) for index, item in enumerate(gold)]
    return AnnotatedReport(received=received, gold=spans, tags=tuple(str(t) for t in tags))


def load_corpus(path: str | Path) -> list[AnnotatedReport]:
    """Read and validate every annotated report in *path* (a ``.jsonl`` file or its folder)."""
    file = Path(path)
    if file.is_dir():
        file = file / CORPUS_FILE_NAME
    if not file.is_file():
        raise CorpusError(f"{file}: no such corpus file (build it with fixtures/build_corpus.py)")
    reports = []
    seen: set[str] = set()
    lines = file.read_text(encoding="utf-8").split("\n")  # U+2028 may stand inside a narrative
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        annotated = _annotated_report(line, number, str(file))
        if annotated.report_id in seen:
            raise CorpusError(f"{file}:{number}: report {annotated.report_id} appears twice")
        seen.add(annotated.report_id)
        reports.append(annotated)
    return reports
