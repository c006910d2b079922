"""Where it happened, as the form's ``incident.location_detail`` names it, found again in the text.

The location detail ("Premier Inn, Portland Street, room 214") is never copied into an output, but
members repeat it in their own words. Each distinctive part of it becomes a per-report search:
a part that names the general area (``incident.area``) or is only common words ("near the station",
"private house") is left out, so the area stays and ordinary words are not removed.
"""

from __future__ import annotations

import re

from presidio_analyzer import EntityRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from recognizers import ROLE_HINT, ROLE_REASON

SEPARATORS = re.compile(
    r"""(?ix)
    \s*[,;/()]\s*                                          # commas, semicolons, brackets
    | \s+-\s+                                              # a spaced dash
    | \s+\b(?:near|by|off|on|in|at|opposite|outside|behind|next\s+to|above|below|beside)\b\s+
    """
)
LEADING_WORDS = re.compile(r"(?i)^(?:(?:at|to|in|into|inside|the|a|an|his|her|my|their)\s+)+")
STREET_WORD = re.compile(
    r"(?i)\b(?:street|st|road|rd|lane|ln|avenue|ave|close|crescent|drive|way|place|terrace|grove|"
    r"gardens|court|row|walk|square|parade|wharf|mews|hill)\b\.?$"
)
PREMISES_WORD = re.compile(r"(?i)^(?:room|rm|flat|apartment|apt|unit|suite|house|no\.?|number)\b")


class LocationDetailRecognizer(EntityRecognizer):
    """Finds parts of ``incident.location_detail`` again in the report's text; built per report."""

    PER_REPORT = True
    SCORE = 0.95
    MIN_LENGTH = 3
    ENTITIES = ("VENUE", "STREET_ADDRESS", "PREMISES_NUMBER")
    REASON = "names the place the form gives as the location of the incident"

    def __init__(self, location_detail: str, area: str | None = None) -> None:
        self.searches = tuple(self._searches(location_detail, area or ""))
        super().__init__(
            supported_entities=list(self.ENTITIES),
            name="LocationDetailRecognizer",
            supported_language="en",
        )

    def load(self) -> None:
        """Nothing to load."""

    @classmethod
    def parts(cls, location_detail: str, area: str = "") -> list[str]:
        """The distinctive parts of a location detail, longest first."""
        area_words = {word.lower() for word in re.findall(r"\w+", area)}
        found: list[str] = []
        for piece in SEPARATORS.split(location_detail):
            part = LEADING_WORDS.sub("", piece.strip(" .'\"")).strip()
            words = re.findall(r"[\w']+", part)
            if len(part) < cls.MIN_LENGTH or not words:
                continue
            if all(word.lower() in area_words for word in words):
                continue  # the general area itself stays
            if not (any(ch.isdigit() for ch in part) or any(w[0].isupper() for w in words)):
                continue  # only common words: "private house", "the station"
            found.append(part)
        return sorted(set(found), key=len, reverse=True)

    def _searches(self, location_detail: str, area: str) -> list[tuple[str, re.Pattern[str]]]:
        searches = []
        for part in self.parts(location_detail, area):
            words = [re.escape(word) for word in re.findall(r"[\w']+", part)]
            pattern = re.compile(r"(?i)(?<![\w'])" + r"[\s,.\-]*".join(words) + r"(?![\w'])")
            searches.append((self._entity(part), pattern))
        return searches

    @staticmethod
    def _entity(part: str) -> str:
        if PREMISES_WORD.search(part) and any(ch.isdigit() for ch in part):
            return "PREMISES_NUMBER"
        if STREET_WORD.search(part):
            return "STREET_ADDRESS"
        return "VENUE"

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        """Every occurrence of every distinctive part."""
        results: list[RecognizerResult] = []
        for entity, pattern in self.searches:
            for match in pattern.finditer(text):
                results.append(
                    RecognizerResult(
                        entity,
                        match.start(),
                        match.end(),
                        self.SCORE,
                        recognition_metadata={
                            RecognizerResult.RECOGNIZER_NAME_KEY: self.name,
                            RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id,
                            ROLE_HINT: "venue",
                            ROLE_REASON: self.REASON,
                        },
                    )
                )
        return results
