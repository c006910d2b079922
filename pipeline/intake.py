"""Read, validate and normalise reports in the intake format.

A report arrives as one JSON object (``.json``), one per line (``.jsonl``) or on stdin. Each bad
report becomes an :class:`~pipeline.errors.IntakeError` that names the report id (when known), the
field and the problem; the other reports in a batch are still read. A ``.jsonl`` line ends at a
line feed (or CR LF) only: U+2028, U+2029 and U+0085 are legal raw inside a JSON string, so they
never split a report. Text fields are normalised (NFKC, zero-width characters removed) and each
keeps a map back to the original offsets.
"""

from __future__ import annotations

import json
import sys
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from pipeline.errors import IntakeError
from pipeline.report import Report

MAX_NARRATIVE_CHARS = 100_000
"""A narrative longer than this (about 40 pages) is refused rather than analysed."""

MAX_REPORT_BYTES = 20_000_000
"""A single report (one JSON object) larger than this is refused before it is decoded."""

MAX_NESTING_DEPTH = 20
"""Arrays and objects inside each other deeper than this are refused (a report needs 5 levels)."""

ZERO_WIDTH = frozenset("\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e")
"""Invisible characters that can hide an identifier from a pattern (soft hyphen included)."""


@dataclass(frozen=True, slots=True)
class NormalisedText:
    """A normalised string with, for every character, its offset in the original string."""

    text: str
    original_offsets: tuple[int, ...]
    original_length: int

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map a [start, end) range in the normalised text to the original text.

        The range ends just after the original character its last character came from, so
        zero-width characters after the range are not counted in it.
        """
        if start >= len(self.original_offsets):
            return self.original_length, self.original_length
        original_start = self.original_offsets[start]
        if end <= start:
            return original_start, original_start
        last = min(end, len(self.original_offsets)) - 1
        return original_start, self.original_offsets[last] + 1


def normalise(text: str) -> NormalisedText:
    """NFKC-normalise *text* and drop zero-width characters, keeping an offset map."""
    pieces: list[str] = []
    offsets: list[int] = []
    for index, char in enumerate(text):
        if char in ZERO_WIDTH:
            continue
        folded = unicodedata.normalize("NFKC", char)
        pieces.append(folded)
        offsets.extend([index] * len(folded))
    # Per-character NFKC misses combining sequences ("e" + U+0301); compose those too when it
    # keeps the length, so the map stays exact.
    joined = "".join(pieces)
    composed = unicodedata.normalize("NFKC", joined)
    if len(composed) == len(joined):
        joined = composed
    return NormalisedText(joined, tuple(offsets), len(text))


@dataclass(frozen=True, slots=True)
class ReceivedReport:
    """A validated report, its original JSON object, and the offset maps of its text fields."""

    report: Report
    original: dict[str, Any]
    offset_maps: dict[str, NormalisedText] = field(default_factory=dict)

    @property
    def report_id(self) -> str:
        """The report's id."""
        return self.report.report_id


def _normalise_tree(value: Any, path: str, maps: dict[str, NormalisedText]) -> Any:
    if isinstance(value, str):
        normalised = normalise(value)
        if normalised.text != value:
            maps[path] = normalised
        return normalised.text
    if isinstance(value, dict):
        return {
            key: _normalise_tree(item, f"{path}.{key}" if path else key, maps)
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [_normalise_tree(item, f"{path}[{i}]", maps) for i, item in enumerate(value)]
    return value


def _field_name(location: tuple[int | str, ...]) -> str:
    name = ""
    for part in location:
        if isinstance(part, int):
            name += f"[{part}]"
        else:
            name += f".{part}" if name else str(part)
    return name


def _problem(error: Mapping[str, Any]) -> str:
    kind = error["type"]
    if kind == "missing":
        return "is required but missing"
    if kind == "extra_forbidden":
        return "is not a field of intake format 1"
    if kind == "literal_error" and error["loc"] == ("format",):
        return f"must be 1, got {json.dumps(error.get('input'))[:40]}"
    if kind == "enum":
        expected = error.get("ctx", {}).get("expected", "")
        return f"{json.dumps(error.get('input'))[:60]} is not one of {expected}"
    message = error["msg"].removeprefix("Value error, ")
    return message


def _nesting_depth(value: object) -> int:
    """How many arrays and objects are inside each other in *value* (without recursing)."""
    deepest = 0
    pending: list[tuple[object, int]] = [(value, 0)]
    while pending:
        node, depth = pending.pop()
        if isinstance(node, dict):
            children: list[object] = list(node.values())
        elif isinstance(node, list):
            children = node
        else:
            continue
        deepest = max(deepest, depth + 1)
        if deepest > MAX_NESTING_DEPTH:
            break
        pending.extend((child, depth + 1) for child in children)
    return deepest


def _too_deep(line: int | None, source: str | None, report_id: str | None = None) -> IntakeError:
    return IntakeError(
        f"is nested too deeply: arrays or objects more than {MAX_NESTING_DEPTH} levels inside "
        "each other (a report needs 5)",
        report_id=report_id,
        line=line,
        source=source,
    )


def parse_report(
    obj: object, *, line: int | None = None, source: str | None = None
) -> ReceivedReport:
    """Validate one decoded JSON object; raise :class:`IntakeError` for the first problem."""
    if not isinstance(obj, dict):
        raise IntakeError("a report must be a JSON object", line=line, source=source)
    report_id = obj.get("report_id") if isinstance(obj.get("report_id"), str) else None
    if _nesting_depth(obj) > MAX_NESTING_DEPTH:
        raise _too_deep(line, source, report_id)
    narrative = obj.get("narrative")
    if isinstance(narrative, str) and len(narrative) > MAX_NARRATIVE_CHARS:
        raise IntakeError(
            f"is {len(narrative):,} characters; the limit is {MAX_NARRATIVE_CHARS:,}",
            field="narrative",
            report_id=report_id,
            line=line,
            source=source,
        )
    maps: dict[str, NormalisedText] = {}
    normalised = _normalise_tree(obj, "", maps)
    try:
        report = Report.model_validate_json(json.dumps(normalised))
    except ValidationError as exc:
        errors = exc.errors(include_url=False)
        first = errors[0]
        problem = _problem(first)
        if len(errors) > 1:
            problem += f" (and {len(errors) - 1} more problem{'s' if len(errors) > 2 else ''})"
        raise IntakeError(
            problem, field=_field_name(first["loc"]), report_id=report_id, line=line, source=source
        ) from None
    return ReceivedReport(report=report, original=obj, offset_maps=maps)


def _decode(data: bytes, source: str) -> str:
    if b"\x00" in data[:8192]:
        raise IntakeError("is a binary file, not UTF-8 JSON", source=source)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise IntakeError(f"is not UTF-8 (bad byte at offset {exc.start})", source=source) from None


def _parse_json_line(text: str, *, line: int | None, source: str) -> ReceivedReport:
    if len(text.encode("utf-8")) > MAX_REPORT_BYTES:
        raise IntakeError(
            f"report is larger than {MAX_REPORT_BYTES:,} bytes", line=line, source=source
        )
    try:
        obj = json.loads(text)
    except json.JSONDecodeError as exc:
        raise IntakeError(
            f"is not valid JSON ({exc.msg} at column {exc.colno})", line=line, source=source
        ) from None
    except RecursionError:
        # json's decoder recurses once per level: [[[[… thousands deep exhausts the stack.
        raise _too_deep(line, source) from None
    return parse_report(obj, line=line, source=source)


def _lines(text: str) -> list[str]:
    """*text* split at line feeds only (a trailing CR dropped), unlike :meth:`str.splitlines`."""
    return [line.removesuffix("\r") for line in text.split("\n")]


def read_text(
    text: str, *, source: str, jsonl: bool | None = None
) -> Iterator[ReceivedReport | IntakeError]:
    """Yield each report in *text*, or the error that stopped it; never stops at a bad line."""
    stripped = text.lstrip()
    if jsonl is None:
        jsonl = not stripped.startswith("{") or _looks_like_jsonl(stripped)
    if not jsonl:
        try:
            yield _parse_json_line(text, line=None, source=source)
        except IntakeError as error:
            yield error
        return
    for number, line_text in enumerate(_lines(text), start=1):
        if not line_text.strip():
            continue
        try:
            yield _parse_json_line(line_text, line=number, source=source)
        except IntakeError as error:
            yield error


def _looks_like_jsonl(text: str) -> bool:
    """A document of several top-level objects, one per line."""
    lines = [line for line in _lines(text) if line.strip()]
    if len(lines) < 2:
        return False
    try:
        json.loads(text)
    except (json.JSONDecodeError, RecursionError):
        return all(line.lstrip().startswith("{") for line in lines)
    return False


def read_path(path: str | Path) -> Iterator[ReceivedReport | IntakeError]:
    """Yield the reports in a ``.json`` or ``.jsonl`` file, or ``-`` for stdin."""
    if str(path) == "-":
        data = sys.stdin.buffer.read()
        source = "<stdin>"
        jsonl: bool | None = None
    else:
        file = Path(path)
        source = str(file)
        if not file.is_file():
            yield IntakeError("no such file", source=source)
            return
        data = file.read_bytes()
        jsonl = True if file.suffix == ".jsonl" else False if file.suffix == ".json" else None
    try:
        text = _decode(data, source)
    except IntakeError as error:
        yield error
        return
    yield from read_text(text, source=source, jsonl=jsonl)
