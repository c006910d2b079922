"""UK vehicle registrations: current, prefix, suffix and dateless plates, and partial plates."""

from __future__ import annotations

import re

from presidio_analyzer import AnalysisExplanation, EntityRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

_CURRENT = r"[A-HJ-PR-Y]{2}[0-9]{2}\s?[A-HJ-PR-Z]{3}"  # AB12 CDE: area, age, random letters
_PREFIX = r"[A-HJ-NPR-Y][0-9]{1,3}\s?[A-HJ-PR-Y]{3}"  # A123 BCD: year letter first
_SUFFIX = r"[A-HJ-PR-Y]{3}\s?[0-9]{1,3}[A-HJ-NPR-TV-Y]"  # ABC 123D: year letter last
_DATELESS = r"[A-Z]{1,3}\s?[0-9]{1,4}|[0-9]{1,4}\s?[A-Z]{1,3}"  # ABC 123, 1234 AB (and NI plates)
_PLATE_CUE = r"""
    \b(?:reg(?:istration)?|(?:number\s?)?plates?|vrm)\b   # reg, registration, (number) plate
    (?:\s*(?:no\.?|number|plate)\b)?                      # "reg no", "registration number"
    [\s:#.,-]*(?:(?:was|is|were|of|as|like|something\s+like|:)\s*)*  # "was", "as", ","
    [\"'\u201c\u2018]?                                    # a quoted plate: "B16 DAV"
"""


class UkVehicleRegistrationRecognizer(EntityRecognizer):
    """Finds plates; short and dateless ones, and partials, only after 'reg', 'plate' or 'car'."""

    ENTITY = "VEHICLE_REGISTRATION"
    PATTERNS = (
        # (name, regex, score): the plate is the "plate" group; earlier patterns win overlaps
        ("plate after a reg cue", re.compile(
            rf"(?i){_PLATE_CUE}(?P<plate>{_CURRENT}|{_PREFIX}|{_SUFFIX}|{_DATELESS}|[A-Z]{{2,3}})\b",
            re.VERBOSE), 0.9),
        ("plate after a car cue", re.compile(
            r"\b(?i:car|van|vehicle|motor)\b\s*(?i:(?:was|is|reg|:)\s*)*"  # "car was", "van reg"
            rf"(?P<plate>{_SUFFIX}|{_PREFIX}|{_DATELESS})\b"), 0.8),  # capitals only
        ("partial plate", re.compile(
            r"""(?i)\b(?:start(?:s|ed|ing)?(?:\s+with)?         # reg starts (with) LK17
                    | beg[iau]n(?:s|ning)?(?:\s+with)?          # began (with) LK
                    | end(?:s|ed|ing)?(?:\s+(?:in|with))?       # ends in XZ
                    | had | has | contain(?:s|ed|ing)?)         # reg had KXZ in it
                \s+(?:(?:an?|the(?:\s+letters?)?)\s+)?          # "a", "the letters"
                [\"'\u201c\u2018]?                                 # ending "KXD"
                (?P<plate>(?-i:[A-Z0-9]{1,4}(?:\s?[A-Z0-9]{1,3})?)  # capitals and digits
                    | [a-z]{1,3}[0-9]{1,3} | [0-9]{1,3}[a-z]{1,3})\b  # or lower case with digits
            """, re.VERBOSE), 0.7),
        ("remembered in part", re.compile(
            r"""\b(?:(?P<plate>[A-Z]{2}\s?[0-9]{2}(?:\s?[A-Z]{1,2})?)  # "NL 68", "LK17 X"
                (?=\s+(?:something|summat|sumthin|smthn|or\s+something)\b
                  | \s*(?:\.\.\.|\u2026|\?\?))                          # then "something", "..."
                | (?P<gap>[A-Z]{2}\s+something\s+[0-9]{2}(?:\s+something)?)\b)  # "LD something 18"
            """, re.VERBOSE), 0.6),
        ("current format", re.compile(rf"(?i)\b(?P<plate>{_CURRENT})\b"), 0.85),
        ("suffix format", re.compile(rf"\b(?P<plate>{_SUFFIX})\b"), 0.6),  # capitals only
        ("prefix format", re.compile(rf"\b(?P<plate>{_PREFIX})\b"), 0.5),  # capitals only
    )  # fmt: skip
    PARTIAL_CUE = re.compile(r"(?i)\b(?:reg(?:istration)?|plates?)\b[^.!?\n]{0,40}$")
    """A partial counts only with 'reg' or 'plate' earlier in the same sentence."""
    CUE_WINDOW = 60
    POSTCODE_INWARD = re.compile(r"\s?[0-9][A-Za-z]{2}\b")
    """'LS11' before '5QP' is a postcode's first half, not a short plate."""
    NOT_PLATES = frozenset(
        "at in on by to of is was the and for me my his her him it am pm an i".split()
    )
    """Words that follow 'reg was', 'had' or a number; 'I' is never used on a plate."""
    CONTEXT = ("reg", "registration", "plate", "car", "van", "vehicle", "drove", "driving")

    def __init__(self) -> None:
        super().__init__(
            supported_entities=[self.ENTITY],
            name="UkVehicleRegistrationRecognizer",
            supported_language="en",
            context=list(self.CONTEXT),
        )

    def load(self) -> None:
        """Nothing to load: the patterns are compiled at import."""

    def validate_result(self, pattern_text: str) -> bool:
        """Accept a plate written in one case, with a digit or in capitals, never 'at 10'."""
        letters = re.sub(r"[^A-Za-z]", "", pattern_text)
        groups = re.findall(r"[A-Za-z]+", pattern_text)
        if letters and not (letters.isupper() or letters.islower()):
            return False  # "LK17 and": a plate is not written in mixed case
        if any(group.lower() in self.NOT_PLATES for group in groups):
            return False
        return any(c.isdigit() for c in pattern_text) or letters.isupper()

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        """Every full or partial registration in *text*."""
        if entities and self.ENTITY not in entities:
            return []
        results: list[RecognizerResult] = []
        for name, pattern, score in self.PATTERNS:
            for match in pattern.finditer(text):
                group = "gap" if "gap" in pattern.groupindex and match["gap"] else "plate"
                start, end = match.span(group)
                if any(r.start < end and start < r.end for r in results):
                    continue
                before = max(0, match.start() - self.CUE_WINDOW)
                if name == "partial plate" and not self.PARTIAL_CUE.search(
                    text, before, match.start()
                ):
                    continue
                if self.POSTCODE_INWARD.match(text, end):
                    continue
                if self.validate_result(match[group].replace("something", "")):
                    results.append(self._result(start, end, name, score))
        return sorted(results, key=lambda r: r.start)

    def _result(self, start: int, end: int, pattern_name: str, score: float) -> RecognizerResult:
        return RecognizerResult(
            self.ENTITY,
            start,
            end,
            score,
            analysis_explanation=AnalysisExplanation(self.name, score, pattern_name=pattern_name),
            recognition_metadata={
                RecognizerResult.RECOGNIZER_NAME_KEY: self.name,
                RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id,
            },
        )
