"""Names greeting or signing a message or note: "hi Gwen", "Many thanks, Gwen Parry", "-DM".

Reports arrive as forwarded texts and emails and as casework notes. The person a message is
addressed to (a support worker, a friend) and the person who signs it (a caseworker's initials,
an outreach worker) are never the offender, and nothing around them says so to the NER: "hi Gwen
its me" has no verb that makes Gwen a person. Both must go. The writer may be the reporter, so a
sign-off is marked as a third party's only to say "not the offender": either way it is removed.
"""

from __future__ import annotations

import re

from presidio_analyzer import Pattern, PatternRecognizer, RecognizerResult

from recognizers import ROLE_HINT, ROLE_REASON

NAME = r"[A-Z][a-z'\-]+(?:[ \t]+[A-Z][a-z'\-]+)?"
INITIALS = r"[A-Z]{2,3}"
GREETING = (
    r"(?i:hi|hiya|hey|hello|dear|morning|evening|afternoon|good\s+(?:morning|afternoon|evening))"
)
CLOSING = (
    r"(?i:thanks|many\s+thanks|thanks\s+again|thank\s+you|regards|kind\s+regards|best\s+wishes|"
    r"best|cheers|love|take\s+care|ta|speak\s+soon|x+)"
)


class SalutationRecognizer(PatternRecognizer):
    """Finds the name in a greeting ("hi Gwen") or a sign-off ("Many thanks, Gwen", "-DM")."""

    ENTITY = "PERSON"
    PATTERNS = (
        # "hi Gwen its me", "Dear Sam,", "hiya shell" at the start of a line
        Pattern(
            "greeting",
            rf"(?m)^[ \t>*]*{GREETING}[ \t]*,?[ \t]+"
            rf"(?P<name>[A-Za-z][a-z'\-]+(?:[ \t]+[A-Z][a-z'\-]+)?)\b",
            0.6,
        ),
        # "Many thanks,\nGwen Parry", "… soon. Thanks, Jo" ending a line
        Pattern(
            "closing then name",
            rf"(?m)(?:^|(?<=[.!?]))[ \t]*{CLOSING}[ \t]*[,!.]?[ \t]*(?:\r?\n[ \t]*|[ \t]+)"
            rf"(?P<name>{NAME}|{INITIALS}|[A-Z](?=\.))[ \t]*[.,]?[ \t]*$",  # "Kind regards,⏎H."
            0.6,
        ),
        # "… Next contact Fri. -DM", "— Sam", "(DM)" ending the text
        Pattern(
            "dash sign-off",
            rf"(?:(?<!\S)[-–—~][ \t]*|\([ \t]*)"  # a dash after a space ("C-Class" is a car)
            rf"(?P<name>{INITIALS}|[A-Z][a-z]+)[ \t]*\)?[ \t]*\.?\s*\Z",
            0.6,
        ),
        # a forwarded message's header: "From: Cherie", "To: Gwen Parry"
        Pattern(
            "message header",
            rf"(?m)^[ \t>*]*(?i:from|to|cc|sent\s+by)[ \t]*:[ \t]*(?P<name>{NAME})[ \t]*(?:<|$)",
            0.6,
        ),
        # initials alone on the last line: "…\nDM", "…\nS."
        Pattern(
            "initials on the last line",
            rf"\n[ \t]*(?P<name>{INITIALS}|[A-Z](?=\.))[ \t]*\.?\s*\Z",
            0.5,
        ),
    )
    NOT_NAMES = frozenset(
        """
        all there everyone everybody team guys girls ladies lads both again babe hun hon love
        lovely mate mates folks you sir madam colleagues to from it its this i im just is ya
        yall again sweetie darling pet doll gorgeous hunny so my me him her them we us ok okay
        yes no the a an and x xx xxx man bro boss police num ugly mugs again another some one
        """.split()
    )
    NOT_INITIALS = frozenset({"OK", "NUM", "UKN", "SCAS", "GBH", "ABH", "RIP", "ASAP", "PS"})
    REASONS = {
        "greeting": "the person the message is addressed to, in its greeting",
        "closing then name": "signs off the message (the writer: never the offender)",
        "dash sign-off": "signs off the note (the writer's name or initials: never the offender)",
        "initials on the last line": "initials signing off the note: never the offender",
    }
    UNHINTED = frozenset({"message header"})
    """Patterns whose name could be the reporter's or a caseworker's: grammar and rules decide."""

    def __init__(self) -> None:
        super().__init__(
            supported_entity=self.ENTITY,
            patterns=list(self.PATTERNS),
            name="SalutationRecognizer",
            supported_language="en",
        )

    def analyze(self, text, entities, nlp_artifacts=None, regex_flags=None):  # type: ignore[no-untyped-def]  # noqa: D102
        kept: list[RecognizerResult] = []
        for pattern in self.PATTERNS:
            for match in re.finditer(pattern.regex, text):
                name = match.group("name")
                if name.lower() in self.NOT_NAMES or name.upper() in self.NOT_INITIALS:
                    continue
                if any(k.start == match.start("name") for k in kept):
                    continue  # "Kind regards,⏎H." is a closing and a last line: one finding
                result = RecognizerResult(
                    entity_type=self.ENTITY,
                    start=match.start("name"),
                    end=match.end("name"),
                    score=pattern.score,
                    analysis_explanation=None,
                    recognition_metadata={
                        RecognizerResult.RECOGNIZER_NAME_KEY: self.name,
                        RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id,
                    },
                )
                if pattern.name not in self.UNHINTED:
                    result.recognition_metadata[ROLE_HINT] = "third_party"
                    result.recognition_metadata[ROLE_REASON] = self.REASONS[pattern.name]
                kept.append(result)
        return kept
