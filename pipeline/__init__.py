"""The Ugly Mugs pipeline: raw incident reports in, drafts held for a caseworker's approval out."""

from __future__ import annotations

import logging

logger = logging.getLogger("pipeline")
"""The package's one logger. It carries ids and counts only, never report text."""
