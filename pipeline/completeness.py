"""Score how complete a report is, for the alert and for the SCAS record.

Each check (see ``CHECKS``) says whether a fact is present and whether it applies to this report;
``completeness.toml`` gives its weight and the question a caseworker can ask the member when it is
missing. The score is the weight present over the weight that applies, 0–100.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from pipeline.drafting import general_area, read_config_file, rewrite_narrative
from pipeline.intelligence import (
    describe_offender,
    load_intelligence_config,
    matched_labels,
    pattern_tables,
    words_used,
)
from pipeline.report import Report

DEFAULT_COMPLETENESS_CONFIG = Path(__file__).with_name("completeness.toml")
VEHICLE_WORDS = re.compile(
    r"\b(?:car|van|vehicle|reg|registration|plate|drove|driving|pick(?:ed)?\s+(?:me|her)?\s*up)\b",
    re.IGNORECASE,
)
ONLINE_CONTACT = frozenset({"website", "app", "social_media"})


@dataclass(frozen=True, slots=True)
class Facts:
    """What the checks look at, computed once per report."""

    core: dict[str, Any]
    account: str
    attributes: list[dict[str, Any]]
    narrative_words: int
    min_narrative_words: int

    @property
    def incident(self) -> dict[str, Any]:
        """The core's incident."""
        return self.core["incident"]

    @property
    def offenders(self) -> list[dict[str, Any]]:
        """The core's offenders."""
        return self.core.get("offenders") or []

    def any_offender(self, kind: str) -> bool:
        """True when some offender has a non-empty *kind*."""
        return any(offender.get(kind) for offender in self.offenders)

    def any_attribute(self, *names: str) -> bool:
        """True when some offender's description gives one of the attributes *names*."""
        return any(attributes.get(name) for attributes in self.attributes for name in names)

    def vehicle_applies(self) -> bool:
        """A vehicle question applies to street work, or when a vehicle is given or mentioned."""
        return (
            self.incident.get("setting") == "street"
            or self.any_offender("vehicles")
            or bool(VEHICLE_WORDS.search(self.core.get("narrative") or ""))
        )

    def vehicles(self) -> list[dict[str, Any]]:
        """Every offender's vehicles."""
        return [v for offender in self.offenders for v in offender.get("vehicles") or []]


Check = Callable[[Facts], "bool | None"]
"""True: present; False: missing; None: does not apply to this report."""


def _vehicle(facts: Facts) -> bool | None:
    if not facts.vehicle_applies():
        return None
    return any(v.get("make") or v.get("model") or v.get("colour") for v in facts.vehicles())


def _registration(facts: Facts) -> bool | None:
    if not facts.vehicle_applies():
        return None
    return any(v.get("registration") for v in facts.vehicles())


def _online_identity(facts: Facts) -> bool | None:
    if (
        facts.incident.get("contact_method") not in ONLINE_CONTACT
        and facts.incident.get("setting") != "online"
    ):
        return None
    return facts.any_offender("emails") or facts.any_offender("usernames")


def _modus_operandi(facts: Facts) -> bool:
    tables = pattern_tables()
    return any(
        matched_labels(facts.account, tables[h])
        for h in ("control", "violence", "weapons", "sexual_acts")
    )


def _words_used(facts: Facts) -> bool:
    names = [n for o in facts.offenders for n in o.get("names_used") or []]
    return bool(words_used(facts.core.get("narrative") or "", names))


CHECKS: dict[str, dict[str, Check]] = {
    "alert": {
        "incident_types": lambda f: bool(f.incident.get("types")),
        "date": lambda f: bool(f.incident.get("date")),
        "time": lambda f: bool(f.incident.get("time") or f.incident.get("part_of_day")),
        "area": lambda f: general_area(f.incident) is not None,
        "account": lambda f: f.narrative_words >= f.min_narrative_words,
        "phone": lambda f: f.any_offender("phones"),
        "name_used": lambda f: f.any_offender("names_used"),
        "description": lambda f: f.any_offender("description"),
        "height_build": lambda f: f.any_attribute("height", "build"),
        "age": lambda f: f.any_attribute("age_range"),
        "vehicle": _vehicle,
        "registration": _registration,
        "online_identity": _online_identity,
        "contact_method": lambda f: bool(f.incident.get("contact_method")),
    },
    "intelligence": {
        "incident_types": lambda f: bool(f.incident.get("types")),
        "date": lambda f: bool(f.incident.get("date")),
        "exact_time": lambda f: bool(f.incident.get("time")),
        "police_force": lambda f: bool(f.incident.get("police_force")),
        "setting": lambda f: bool(f.incident.get("setting")),
        "contact_method": lambda f: bool(f.incident.get("contact_method")),
        "phone": lambda f: f.any_offender("phones"),
        "registration": _registration,
        "sex_ethnicity": lambda f: f.any_attribute("ethnicity"),
        "age": lambda f: f.any_attribute("age_range"),
        "height_build": lambda f: f.any_attribute("height", "build"),
        "hair": lambda f: f.any_attribute("hair"),
        "marks": lambda f: f.any_attribute("marks"),
        "accent": lambda f: f.any_attribute("accent"),
        "words_used": _words_used,
        "modus_operandi": _modus_operandi,
    },
}
"""Every check, by output; ``completeness.toml`` must give each a weight and a question."""


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class CheckConfig(_Section):
    """One check's weight and the question for the member."""

    weight: int = Field(ge=0, le=100)
    question: str = Field(min_length=5)


class CompletenessConfig(_Section):
    """The whole ``completeness.toml``."""

    min_narrative_words: int = Field(ge=0)
    alert: dict[str, CheckConfig]
    intelligence: dict[str, CheckConfig]

    @model_validator(mode="after")
    def _every_check(self) -> CompletenessConfig:
        for output, checks in CHECKS.items():
            given = set(getattr(self, output))
            unknown, missing = sorted(given - set(checks)), sorted(set(checks) - given)
            if unknown or missing:
                raise ValueError(
                    f"[{output}]: unknown checks {unknown}, missing checks {missing}; "
                    f"allowed: {sorted(checks)}"
                )
        return self


@cache
def load_completeness_config(path: str | None = None) -> CompletenessConfig:
    """Read and validate ``completeness.toml`` (or *path*)."""
    return read_config_file(Path(path) if path else DEFAULT_COMPLETENESS_CONFIG, CompletenessConfig)


def _score(output: str, facts: Facts, config: CompletenessConfig) -> dict[str, Any]:
    settings: dict[str, CheckConfig] = getattr(config, output)
    present = applicable = 0
    missing: list[str] = []
    for name, check in CHECKS[output].items():
        result = check(facts)
        if result is None:
            continue
        weight = settings[name].weight
        applicable += weight
        if result:
            present += weight
        elif weight:
            missing.append(settings[name].question)
    score = round(100 * present / applicable) if applicable else 100
    return {"score": score, "missing": missing}


def score_completeness(core: dict[str, Any], report: Report) -> dict[str, Any]:
    """{"alert": {"score", "missing"}, "intelligence": {…} or None without consent}."""
    config = load_completeness_config()
    intelligence = load_intelligence_config()
    facts = Facts(
        core=core,
        account=rewrite_narrative(core.get("narrative") or "", core.get("offenders") or []),
        attributes=[
            describe_offender(o.get("description"), intelligence)
            for o in core.get("offenders") or []
        ],
        narrative_words=len((core.get("narrative") or "").split()),
        min_narrative_words=config.min_narrative_words,
    )
    return {
        "alert": _score("alert", facts, config),
        "intelligence": _score("intelligence", facts, config)
        if report.consent.intelligence
        else None,
    }
