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
STREET_SPELLINGS = {
    "street": "st",
    "road": "rd",
    "lane": "ln",
    "avenue": "ave",
    "crescent": "cres",
    "terrace": "tce",
    "drive": "dr",
    "gardens": "gdns",
    "place": "pl",
    "square": "sq",
    "court": "ct",
    "close": "cl",
}
"""Street words and the abbreviations members write for them ("Cawood Lane", "cawood ln")."""


def _spellings(word: str) -> str:
    """A regex for *word* that also matches its usual street abbreviation, either way round."""
    folded = word.lower()
    for full, short in STREET_SPELLINGS.items():
        if folded in (full, short):
            return f"(?:{full}|{short})"
    return re.escape(word)


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
            found += cls._inner_parts(part, area_words)
        return sorted(set(found), key=len, reverse=True)

    @classmethod
    def _inner_parts(cls, part: str, area_words: set[str]) -> list[str]:
        """Names and numbers inside a longer part, which members also use alone.

        "driven round the back of the Ferryman pub" gives "Ferryman" (a run of capitalised words
        after the part's first word, so a capital that only starts the sentence is never taken);
        "apartment 1102" gives "1102" (a number of three or more digits is the room, not a price).
        """
        inner: list[str] = []
        words = list(re.finditer(r"[\w']+", part))
        if len(words) >= 3 and cls._entity(part) == "VENUE":
            run: list[str] = []
            for word in [*words[1:], None]:
                text = word.group() if word else ""
                if (
                    text[:1].isupper()
                    and text.lower() not in area_words
                    and not STREET_WORD.match(text)
                ):
                    run.append(text)
                    continue
                if run and len(" ".join(run)) >= cls.MIN_LENGTH:
                    inner.append(" ".join(run))
                run = []
        if PREMISES_WORD.search(part):
            inner += re.findall(r"(?<![\w£$])[0-9]{3,5}[A-Za-z]?(?![\w])", part)
        return inner

    def _searches(self, location_detail: str, area: str) -> list[tuple[str, re.Pattern[str]]]:
        searches = []
        for part in self.parts(location_detail, area):
            words = [_spellings(word) for word in re.findall(r"[\w']+", part)]
            pattern = re.compile(r"(?i)(?<![\w'£$])" + r"[\s,.\-]*".join(words) + r"(?![\w'])")
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
        covered: list[tuple[int, int]] = []
        for entity, pattern in self.searches:  # longest part first
            for match in pattern.finditer(text):
                if any(start <= match.start() and match.end() <= end for start, end in covered):
                    continue  # "214" inside "room 214", already found
                covered.append((match.start(), match.end()))
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
