"""The Ugly Mugs pipeline: turns raw incident reports into drafts held for a caseworker's approval."""

from __future__ import annotations

import logging

logger = logging.getLogger("pipeline")
"""The package's one logger. It carries ids and counts only, never report text."""
