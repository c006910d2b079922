"""Ages stated in any of the ways reports give them, whoever they belong to.

The reporter-description recogniser finds ages with a first-person cue ("I'm 24"); this one finds
the rest: "aged 23", "being 19", "Marnie is 41", "Destinee Walsh, 31, from Wishaw", "is 26 years
old". It gives no role: the sentence's grammar decides ("he was aged about 40" is the offender's),
and an age nobody owns is removed and flagged.
"""

from __future__ import annotations

import re

from presidio_analyzer import Pattern, PatternRecognizer, RecognizerResult

AGE = r"(?P<age>1[6-9]|[2-8][0-9])"
NOT_A_QUANTITY = (
    r"(?!\s*(?:%|quid|pounds?|p\b|mins?|minutes?|hours?|hrs?|secs?|seconds?|days?|weeks?|"
    r"months?|miles?|times?|am\b|pm\b|o'?clock|:|\.\d|x\b|mph|st\b|lbs?|kg|calls?|texts?))"
)
"""Not followed by a unit: '20 minutes', '80 quid' and '11pm' are not ages."""
ABOUT = r"(?:about\s+|around\s+|just\s+|only\s+)?"


class AgeRecognizer(PatternRecognizer):
    """Finds stated ages (AGE); whose age it is comes from the sentence, not from here."""

    ENTITY = "AGE"
    PATTERNS = (
        Pattern("aged N", rf"(?i)\baged\s+{ABOUT}{AGE}\b{NOT_A_QUANTITY}", 0.8),
        Pattern("being N", rf"(?i)\bbeing\s+{ABOUT}{AGE}\b{NOT_A_QUANTITY}", 0.6),
        Pattern("N years old", rf"(?i)\b{AGE}\s*(?:years?|yrs?)[\s-]*old\b", 0.8),
        Pattern("Name is N", rf"\b[A-Z][a-z]+\s+is\s+{ABOUT}{AGE}\b{NOT_A_QUANTITY}", 0.6),
        Pattern("Name, N,", rf"\b[A-Z][a-z]+,\s*{AGE}\s*,", 0.5),
        Pattern(
            "she's N",
            rf"(?i)\b(?:she|he)(?:'s|\u2019s|\s+is|\s+was)\s+{ABOUT}{AGE}\b{NOT_A_QUANTITY}"
            r"(?!\s*(?:-|to|or)\s*[0-9])",  # not "he's 40-45": the offender's description
            0.6,
        ),
        # "girl, 24 year," in imperfect English: a year count that is not a duration
        Pattern(
            "N year",
            rf"(?i)(?:^|[,(]\s*|\bam\s+|\b(?:girl|woman|lady|worker|escort)\s+)"  # "girl 26 years"
            rf"{AGE}\s*(?:years?|yrs?)\b(?!\s*(?:ago|later|before|since|in|of|on|together))",
            0.6,
        ),
        # "(works as "Foxy", 22)": an age closing a bracket after a name or description
        Pattern("(…, N)", rf",\s*{AGE}\s*\)", 0.5),
        # "KM is a 30s indoor SW", "in her 20s", "late 40s": an age decade
        Pattern(
            "in her 30s",
            r"(?i)\b(?:in\s+(?:her|his|my|their)\s+(?:early\s+|mid\s+|late\s+|mid-)?"
            r"|(?:a|an|is|was|am)\s+(?:early\s+|mid\s+|late\s+|mid-)?)"
            r"(?P<age>[1-8]0)'?s\b",
            0.5,
        ),
    )
    CONTEXT = ("age", "aged", "old", "years", "yo")

    def __init__(self) -> None:
        super().__init__(
            supported_entity=self.ENTITY,
            patterns=list(self.PATTERNS),
            context=list(self.CONTEXT),
            name="AgeRecognizer",
            supported_language="en",
        )

    def analyze(self, text, entities, nlp_artifacts=None, regex_flags=None):  # type: ignore[no-untyped-def]  # noqa: D102
        best: dict[tuple[int, int], RecognizerResult] = {}
        for result in super().analyze(text, entities, nlp_artifacts, regex_flags):
            found = text[result.start : result.end]
            match = re.search(r"[1-8]0'?s\b", found) if re.search(r"0'?s\b", found) else None
            match = match or re.search(AGE, found)  # the number, not its cue
            if match:
                result.start, result.end = result.start + match.start(), result.start + match.end()
            kept = best.get((result.start, result.end))
            if kept is None or kept.score < result.score:
                best[(result.start, result.end)] = result
        return list(best.values())
