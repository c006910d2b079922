"""Social and advertising-site usernames (@jade_xx, "my insta is …") and profile or advert links."""

from __future__ import annotations

import re

from presidio_analyzer import AnalysisExplanation, EntityRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from recognizers import ROLE_HINT, ROLE_REASON

_SITES = r"""(?:adultwork\.com|onlyfans\.com|fansly\.com|vivastreet\.co\.uk|instagram\.com
    |twitter\.com|x\.com|snapchat\.com|t\.me|tiktok\.com|facebook\.com|fb\.com|wa\.me
    |linktr\.ee|allmylinks\.com|admireme\.vip|justfor\.fans)"""
_PLATFORMS = r"""(?:insta(?:gram)?|ig|snap(?:chat)?|twitter|(?-i:X)|tiktok|telegram|whatsapp|kik
    |aw|adultwork|viva(?:street)?|onlyfans|fansly|tinder|grindr|badoo|facebook|fb)"""


class HandleRecognizer(EntityRecognizer):
    """Finds handles and profile URLs; first-person or 'he/his' cue words give a role hint."""

    PATTERNS = (
        # (name, entity, regex, score): the value is the "value" group; earlier patterns win
        ("profile url", "URL", re.compile(rf"""(?ix)
            (?P<value>\b(?:https?://)?(?:www\.|m\.)?{_SITES}  # an adult or social site
            /[^\s<>"'()\[\]]*[^\s<>"'()\[\].,;:!?])           # a path, without end punctuation
            """), 0.9),
        ("other url", "URL", re.compile(r"""(?ix)
            (?P<value>\b(?:https?://|www\.)                   # scheme or www.
            [^\s<>"'()\[\]]*[^\s<>"'()\[\].,;:!?])            # the rest, without end punctuation
            """), 0.6),
        ("bare link with a path", "URL", re.compile(r"""(?ix)
            (?<![\w.@/])(?P<value>[a-z0-9-]+(?:\.[a-z0-9-]+)*   # clipvault.example
            \.(?:com|net|org|co\.uk|uk|me|vip|fans|io|xxx|tv|info|biz|eu|example)  # .net
            /[^\s<>"'()\[\]]*[^\s<>"'()\[\].,;:!?])           # /store/LilaHazel
            """), 0.6),
        ("at handle", "HANDLE", re.compile(r"""(?x)
            (?<![\w.@/])(?P<value>@                           # @ not inside an email or url
            (?![0-9]+(?:[ap]m)?\b)                            # not "@10pm", "@8"
            [A-Za-z0-9_](?:[A-Za-z0-9_.]{0,28}[A-Za-z0-9_])?) # twitter/insta username rules
            (?![\w@])
            """), 0.8),
        ("handle after a platform cue", "HANDLE", re.compile(rf"""(?ix)
            \b(?:(?P<naming>user\s?name | handle | screen\s?name | profile\s?name
                 | (?:under|using)\s+the\s+(?:user\s?)?name)  # the noun names the value
               | {_PLATFORMS}(?:\s+(?:account|profile|handle|name|username|page|id|ad|advert))?
               | page | profile | account | user)\b          # "my page jasmine.bbw", "user x1"
            \s*(?P<sep>[:=-]|\b(?:is|was|as|called|named)\b)?\s*  # "is", ":", "as"
            (?P<value>@?[A-Za-z0-9_](?:[A-Za-z0-9_.]{{0,28}}[A-Za-z0-9_])?)(?![\w@])
            """), 0.7),
        ("underscored or dotted username", "HANDLE", re.compile(r"""(?x)
            (?<![\w.@/-])(?P<value>
                [A-Za-z0-9]+(?:_[A-Za-z0-9]*)+                    # jamie_ldn_91: prose has no _
              | [a-z][a-z0-9]+(?:\.[a-z0-9]{2,}){2,}              # sophie.brighton.real
              | (?=[a-z.]*[0-9])[a-z][a-z0-9]+\.[a-z0-9]{2,})     # jade.88, not 11.40pm
            (?![\w.]*@)(?![\w])                                 # not an email's local part
            """), 0.5),
    )  # fmt: skip
    NOT_HANDLES = frozenset(
        """private deleted blocked down gone the a an and but he she me him her it was is on so
        not still too now same different fake new old public there here this that my his your
        called active banned suspended locked hacked off first from with came then after before
        when where today yesterday tonight back said says asked again too also later well""".split()
    )
    """Words that follow 'my snap is' or 'his insta was' without being a username."""
    ROLE_CUE = re.compile(
        r"(?i)\b(?:(?P<reporter>my|mine|i|i'm|im|i've|our)|(?P<offender>his|he|he's|him))\b"
    )
    """First-person words point at the reporter, 'he/his/him' at the offender ('me' at neither)."""
    PERSON_NAME = re.compile(r"(?i:under|using)\s+the\s+name\s+[A-Z][a-z]+\b(?![\w.])")
    """A plain capitalised word after 'under the name' is a person's name, not a username."""
    CUE_WINDOW = 40
    SENTENCE_END = re.compile(r"[.!?\n]")
    CONTEXT = ("insta", "snap", "twitter", "profile", "username", "handle", "account", "advert")

    def __init__(self) -> None:
        super().__init__(
            supported_entities=["HANDLE", "URL"],
            name="HandleRecognizer",
            supported_language="en",
            context=list(self.CONTEXT),
        )

    def load(self) -> None:
        """Nothing to load: the patterns are compiled at import."""

    def validate_result(self, pattern_text: str, explicit: bool = True) -> bool:
        """Accept a username-shaped value, or any non-stop word after an explicit 'is' or ':'."""
        value = pattern_text.lstrip("@")
        if re.search(r"[0-9_.]|.[A-Z]", value) or pattern_text.startswith("@"):
            return not value.isdigit()
        return explicit and len(value) >= 3 and value.lower() not in self.NOT_HANDLES

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        """Every handle and profile link in *text*, with a role hint when the cue says whose."""
        results: list[RecognizerResult] = []
        for name, entity, pattern, score in self.PATTERNS:
            if entities and entity not in entities:
                continue
            for match in pattern.finditer(text):
                start, end = match.span("value")
                if any(r.start < end and start < r.end for r in results):
                    continue
                if name == "handle after a platform cue" and not self.validate_result(
                    match["value"], explicit=bool(match["sep"] or match["naming"])
                ):
                    continue
                if name == "handle after a platform cue" and self.PERSON_NAME.match(
                    text, match.start()
                ):
                    continue  # "under the name Richard Hale": a name, for the name rules
                results.append(self._result(text, entity, start, end, name, score))
        return sorted(results, key=lambda r: r.start)

    def _role_hint(self, text: str, start: int) -> dict[str, str]:
        """Read the role from the words just before the value, in the same sentence."""
        window = text[max(0, start - self.CUE_WINDOW) : start]
        window = self.SENTENCE_END.split(window)[-1]
        cues = list(self.ROLE_CUE.finditer(window))
        if not cues:
            return {}
        cue = cues[-1]
        role = "reporter" if cue["reporter"] else "offender"
        return {ROLE_HINT: role, ROLE_REASON: f"'{cue[0]} …' just before the username or link"}

    def _result(
        self, text: str, entity: str, start: int, end: int, pattern_name: str, score: float
    ) -> RecognizerResult:
        return RecognizerResult(
            entity,
            start,
            end,
            score,
            analysis_explanation=AnalysisExplanation(self.name, score, pattern_name=pattern_name),
            recognition_metadata={
                RecognizerResult.RECOGNIZER_NAME_KEY: self.name,
                RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id,
                **self._role_hint(text, start),
            },
        )
