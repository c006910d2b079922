"""People named beside the reporter in informal writing: "me n dionne", "me and shelley".

spaCy's small model misses lower-case names in texting style. A word joined to "me" by "and",
"n" or "&" is someone who was with the reporter: another worker or a friend, never the offender
(who is "him"). Pronouns and common words are excluded.
"""

from __future__ import annotations

import re

from presidio_analyzer import Pattern, PatternRecognizer, RecognizerResult

from recognizers import ROLE_HINT, ROLE_REASON


class CompanionRecognizer(PatternRecognizer):
    """Finds a name joined to "me" ("me and Shelley", "Dionne and me"), as a third party."""

    ENTITY = "PERSON"
    NOT_NAMES = frozenset(
        "him her them he she they it my me i we us you your his their the a an this that then "
        "there here some another one two all both everyone someone nobody mum mom dad family "
        "friends friend mate mates girls boys client punter maid driver police kids baby".split()
    )
    WORD = r"[a-z][a-z'\-]{2,15}"
    NOT_BEFORE_A_NAME = re.compile(
        r"(?i)\b(?:the|a|an|my|his|her|your|our|their|this|that|of|in|on|at|to|for)\s+$"
    )
    """Words that put a noun, not a name, before "and I" ("in the middle and I")."""
    PATTERNS = (
        Pattern("me and Name", rf"(?i)\bme\s+(?:and|n|&|an)\s+(?P<name>{WORD})\b", 0.6),
        Pattern("Name and me", rf"(?i)\b(?P<name>{WORD})\s+(?:and|n|&)\s+(?:me|i)\b", 0.5),
    )
    REASON = "named as someone who was with the reporter ('me and …')"

    def __init__(self) -> None:
        super().__init__(
            supported_entity=self.ENTITY,
            patterns=list(self.PATTERNS),
            name="CompanionRecognizer",
            supported_language="en",
        )

    def analyze(self, text, entities, nlp_artifacts=None, regex_flags=None):  # type: ignore[no-untyped-def]  # noqa: D102
        kept: list[RecognizerResult] = []
        for result in super().analyze(text, entities, nlp_artifacts, regex_flags):
            words = text[result.start : result.end].split()
            name = words[0] if words[0].lower() not in {"me"} else words[-1]
            if name.lower().strip("'") in self.NOT_NAMES or name.lower() in {"and", "n", "me", "i"}:
                continue
            start = text.index(name, result.start)
            if self.NOT_BEFORE_A_NAME.search(text, max(0, start - 12), start):
                continue  # "in the middle and I saw": a noun, not a name
            result.start, result.end = start, start + len(name)
            result.recognition_metadata[ROLE_HINT] = "third_party"
            result.recognition_metadata[ROLE_REASON] = self.REASON
            kept.append(result)
        return kept
