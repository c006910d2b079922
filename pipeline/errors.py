"""One exception hierarchy for the project.

Every message names the bad value's *field* and the problem, never report text: exceptions end up
in Prefect's database and in logs.
"""

from __future__ import annotations


class MugsError(Exception):
    """Root of every error this project raises on purpose."""


class ConfigError(MugsError):
    """A configuration file or setting is missing or invalid."""


class IntakeError(MugsError):
    """A report could not be accepted: names the report id (when known), field, problem and line."""

    def __init__(
        self,
        problem: str,
        *,
        field: str | None = None,
        report_id: str | None = None,
        line: int | None = None,
        source: str | None = None,
    ) -> None:
        self.problem = problem
        self.field = field
        self.report_id = report_id
        self.line = line
        self.source = source
        super().__init__(self.describe())

    def describe(self) -> str:
        """One readable line: where, which report, which field, what is wrong."""
        parts = []
        if self.source:
            parts.append(self.source + (f":{self.line}" if self.line is not None else ""))
        elif self.line is not None:
            parts.append(f"line {self.line}")
        if self.report_id:
            parts.append(f"report {self.report_id}")
        if self.field:
            parts.append(f"field '{self.field}'")
        where = ", ".join(parts)
        return f"{where}: {self.problem}" if where else self.problem

    def to_dict(self) -> dict[str, object]:
        """The error as data, for JSON output."""
        return {
            "source": self.source,
            "line": self.line,
            "report_id": self.report_id,
            "field": self.field,
            "problem": self.problem,
        }


class ReleaseBlocked(MugsError):
    """The release guard found a reporter, third-party or venue detail in an output."""


class StoreError(MugsError):
    """A store operation failed: unknown id, wrong state or stale version."""


class NotFound(StoreError):
    """No record with that id."""


class WrongState(StoreError):
    """The action is not allowed from the record's current state."""


class StaleVersion(StoreError):
    """Someone else changed the record since it was read (optimistic locking)."""
