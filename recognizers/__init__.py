"""The project's Presidio recognisers, one class per ``*_recognizer.py`` module.

:func:`available` discovers them, so adding a recogniser is adding a file; which ones the engine
loads is configuration (``pipeline/analysis.toml``), checked against this list at start-up.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from functools import cache

from presidio_analyzer import EntityRecognizer

ROLE_HINT = "role_hint"
"""Key in ``RecognizerResult.recognition_metadata``: the role a recogniser's own cue implies."""

ROLE_REASON = "role_reason"
"""Key in ``recognition_metadata``: a short human-readable reason for :data:`ROLE_HINT`."""


@cache
def available() -> dict[str, type[EntityRecognizer]]:
    """Every recogniser class in this package, by class name."""
    found: dict[str, type[EntityRecognizer]] = {}
    for module_info in pkgutil.iter_modules(__path__):
        if not module_info.name.endswith("_recognizer"):
            continue
        module = importlib.import_module(f"{__name__}.{module_info.name}")
        for name, cls in inspect.getmembers(module, inspect.isclass):
            if (
                cls.__module__ == module.__name__
                and name.endswith("Recognizer")
                and issubclass(cls, EntityRecognizer)
            ):
                found[name] = cls
    return dict(sorted(found.items()))
