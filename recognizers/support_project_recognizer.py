"""The support project that reported on the member's behalf, found again in the text."""

from __future__ import annotations

import re

from presidio_analyzer import Pattern, PatternRecognizer, RecognizerResult

from recognizers import ROLE_HINT, ROLE_REASON


class SupportProjectRecognizer(PatternRecognizer):
    """Finds ``reporter.via_project`` in any case and spacing; built per report."""

    PER_REPORT = True
    ENTITY = "ORGANIZATION"
    REASON = "names the support project that reported for the member"

    def __init__(self, project_name: str) -> None:
        super().__init__(
            supported_entity=self.ENTITY,
            patterns=[
                Pattern("support project name", pattern, 1.0)
                for pattern in self.patterns_for(project_name)
            ],
            name="SupportProjectRecognizer",
            supported_language="en",
        )

    @staticmethod
    def patterns_for(project_name: str) -> list[str]:
        """The whole name, and its shorter forms: 'Open Hands Glasgow' is also 'Open Hands'."""
        words = [word for word in project_name.split() if word.lower() != "the"]
        forms = [words]
        for length in range(len(words) - 1, 1, -1):  # leading runs of two words or more
            forms.append(words[:length])
        patterns = [
            r"(?i)(?<!\w)" + r"[\s\-]*".join(re.escape(word) for word in form) + r"(?!\w)"
            for form in forms
        ]
        capitalised = [word for word in words if word[:1].isupper()]
        if len(capitalised) >= 2:  # its initials, as signed: "Lagan Women's Network" → "LWN"
            initials = "".join(word[0] for word in capitalised)
            patterns.append(rf"(?<!\w)(?-i:{re.escape(initials)})(?!\w)")
        if len(words) >= 2 and len(words[0]) >= 5 and words[0][:1].isupper():
            # its first word alone, capitalised as a name: "the Ancholme team"
            patterns.append(rf"(?<![\w-])(?-i:{re.escape(words[0])})(?![\w-])")
        return patterns

    def analyze(self, text, entities, nlp_artifacts=None, regex_flags=None):  # type: ignore[no-untyped-def]  # noqa: D102
        results: list[RecognizerResult] = super().analyze(
            text, entities, nlp_artifacts, regex_flags
        )
        for result in results:
            result.recognition_metadata[ROLE_HINT] = "third_party"
            result.recognition_metadata[ROLE_REASON] = self.REASON
        return results
