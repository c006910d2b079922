"""UK phone numbers in every way people write them, checked with the phonenumbers library."""

from __future__ import annotations

import re

from presidio_analyzer import AnalysisExplanation, EntityRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from recognizers.phone_digits import find_numbers, is_uk_number


class UkPhoneRecognizer(EntityRecognizer):
    """Finds UK numbers: 07…, +44 (0)7…, 0044…, landlines, spaced-out digits, "oh seven seven…".

    The reading of digits and digit words lives in :mod:`recognizers.phone_digits`; a run of them
    becomes a finding only when its national form is UK-shaped and phonenumbers calls it possible
    (the default leniency rejects Ofcom's drama range, so validity is not required). Times, prices,
    dates, postcodes and plates never form a run of ten or eleven digits starting 01/02/03/07/08.
    """

    ENTITY = "PHONE_NUMBER"
    PATTERNS = (("uk number in digits", 0.75), ("uk number in words", 0.6))
    """(name, score): digits alone, and runs that spell out at least one digit as a word."""
    PARTIAL = re.compile(
        r"""
        (?<![\w+])(?:\+44\s?(?:\(0\)\s?)?|0)7[0-9]{3}   # "07700", "+44 7700"
        [\s.-]?[0-9]{0,5}                                 # "9005"
        (?:\.{2,}|\u2026|[xX*#?]{2,})                      # then hidden: "..", "xx", "***"
        """,
        re.VERBOSE,
    )
    """A mobile number written in part, the rest hidden or not remembered ("07700 9005..")."""
    PARTIAL_SCORE = 0.5
    CONTEXT = ("phone", "number", "mobile", "mob", "tel", "call", "ring", "text", "whatsapp",
               "landline", "contact")  # fmt: skip

    def __init__(self) -> None:
        super().__init__(
            supported_entities=[self.ENTITY],
            name="UkPhoneRecognizer",
            supported_language="en",
            context=list(self.CONTEXT),
        )

    def load(self) -> None:
        """Nothing to load: the patterns are compiled at import."""

    def validate_result(self, national: str) -> bool:
        """Accept *national* digits when they are UK-shaped and phonenumbers calls them possible."""
        return is_uk_number(national)

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        """Every UK phone number written in *text*."""
        if entities and self.ENTITY not in entities:
            return []
        results = []
        for number in find_numbers(text, self.validate_result):
            pattern_name, score = self.PATTERNS[1] if number.spelled else self.PATTERNS[0]
            results.append(
                RecognizerResult(
                    self.ENTITY,
                    number.start,
                    number.end,
                    score,
                    analysis_explanation=AnalysisExplanation(
                        self.name, score, pattern_name=pattern_name, validation_result=True
                    ),
                    recognition_metadata={
                        RecognizerResult.RECOGNIZER_NAME_KEY: self.name,
                        RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id,
                    },
                )
            )
        for match in self.PARTIAL.finditer(text):
            if not any(r.start < match.end() and match.start() < r.end for r in results):
                results.append(self._partial(match.start(), match.end()))
        return results

    def _partial(self, start: int, end: int) -> RecognizerResult:
        return RecognizerResult(
            self.ENTITY,
            start,
            end,
            self.PARTIAL_SCORE,
            analysis_explanation=AnalysisExplanation(
                self.name, self.PARTIAL_SCORE, pattern_name="partial mobile number"
            ),
            recognition_metadata={
                RecognizerResult.RECOGNIZER_NAME_KEY: self.name,
                RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id,
            },
        )
