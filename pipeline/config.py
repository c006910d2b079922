"""The analyzer's configuration file, validated at load time."""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from pipeline.errors import ConfigError
from pipeline.findings import Entity

DEFAULT_ANALYSIS_CONFIG = Path(__file__).with_name("analysis.toml")
ANALYZED_FIELDS = (
    "narrative",
    "incident.location_detail",
    "incident.area",
    "offenders[].description",
)


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ModelSection(_Section):
    """Which spaCy pipeline to load and how to read its entities."""

    spacy_model: str = Field(min_length=1)
    language: Literal["en"] = "en"
    batch_size: int = Field(default=64, ge=1, le=4096)
    labels_to_ignore: list[str] = Field(default_factory=list)
    entity_mapping: dict[str, Entity]


class AnalysisSection(_Section):
    """Thresholds and analysed fields."""

    score_threshold: float = Field(ge=0.0, le=1.0)
    fields: list[str]

    @field_validator("fields")
    @classmethod
    def _known_fields(cls, value: list[str]) -> list[str]:
        unknown = [name for name in value if name not in ANALYZED_FIELDS]
        if unknown:
            raise ValueError(f"unknown field(s) {unknown}; allowed: {list(ANALYZED_FIELDS)}")
        return value


class RecognizersSection(_Section):
    """Which recognisers the engine loads."""

    enabled: list[str] = Field(min_length=1)


class AnalysisConfig(_Section):
    """The whole ``analysis.toml``."""

    model: ModelSection
    analysis: AnalysisSection
    recognizers: RecognizersSection
    source: str = ""


def _describe(error: Mapping[str, Any]) -> str:
    location = ".".join(str(part) for part in error["loc"])
    return f"key '{location}': {error['msg']}"


@cache
def load_analysis_config(path: str | None = None) -> AnalysisConfig:
    """Read and validate the analysis configuration (``MUGS_ANALYSIS_CONFIG`` or the default)."""
    file = Path(path or os.environ.get("MUGS_ANALYSIS_CONFIG") or DEFAULT_ANALYSIS_CONFIG)
    try:
        data = tomllib.loads(file.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{file}: no such configuration file") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{file}: not valid TOML ({exc})") from None
    try:
        config = AnalysisConfig.model_validate({**data, "source": str(file)})
    except ValidationError as exc:
        problems = "; ".join(_describe(e) for e in exc.errors(include_url=False))
        raise ConfigError(f"{file}: {problems}") from None
    return config
