"""Proper names that nothing else recognised: the safety net under spaCy's small model.

spaCy's ``en_core_web_sm`` misses many first names ("Aled", "Euan", "Tunde", "Fran"), and a name it
misses is a name that leaks. Its tagger still reads them as proper nouns. A run of proper nouns
that is not a day, a month, a title, an abbreviation, a place spaCy recognised or a word the
project knows names nobody (car makes, platforms: ``pipeline/not_identifiers.txt``) is reported as
a PERSON with a low score and no role: a name the report or the offender's record does not
explain is removed and flagged, and the caseworker restores it if it is harmless. Every other
recogniser scores higher, so this one only fills gaps.
"""

from __future__ import annotations

from presidio_analyzer import AnalysisExplanation, EntityRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts
from spacy.tokens import Token

NOT_NAMES = frozenset(
    """
    monday tuesday wednesday thursday friday saturday sunday mon tue tues wed thu thur thurs fri
    sat sun january february march april may june july august september october november
    december jan feb mar apr jun jul aug sep sept oct nov dec christmas easter xmas eid diwali
    mr mrs ms miss mx sir madam dr god jesus lord ok okay hi hello hey dear thanks cheers
    english british scottish welsh irish police constabulary nhs hospital sarc gum clinic court
    street road lane avenue st rd university college school council station airport centre
    united city town park north south east west northern southern eastern western
    i im i'm id i'd ive i've ill i'll
    """.split()
)
"""Words spaCy may tag as proper nouns that name no person: days, months, titles, greetings."""
SCORE = 0.35
"""Above the analysis threshold (0.3), below every other recogniser's score."""


class ProperNameRecognizer(EntityRecognizer):
    """Finds runs of proper nouns no other recogniser or spaCy entity covers (PERSON, no role)."""

    ENTITY = "PERSON"
    REASON = "a proper name nothing else in the report explains"

    def __init__(self) -> None:
        super().__init__(
            supported_entities=[self.ENTITY],
            name="ProperNameRecognizer",
            supported_language="en",
        )

    def load(self) -> None:
        """Nothing to load: it reads the spaCy parse the engine already made."""

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        """Every run of unexplained proper nouns in *text*."""
        if nlp_artifacts is None or nlp_artifacts.tokens is None:
            return []
        results: list[RecognizerResult] = []
        run: list[Token] = []
        for token in [*nlp_artifacts.tokens, None]:
            if token is not None and self._is_name_word(token):
                run.append(token)
                continue
            if run and not _beside_a_name(run):
                results.append(self._result(run[0].idx, run[-1].idx + len(run[-1].text)))
            run = []
        return results

    @staticmethod
    def _is_name_word(token: Token) -> bool:
        """A capitalised proper noun that spaCy gave no entity and that is not a known non-name."""
        word = token.text
        return (
            token.pos_ == "PROPN"
            and not token.ent_type_
            and word[:1].isupper()
            and word.replace("-", "").replace("'", "").isalpha()
            and not (word.isupper() and len(word) <= 4)  # "AW", "DV", "PIN": abbreviations
            and len(word) >= 2
            and word.lower() not in NOT_NAMES
            and not _known_non_name(word)
        )

    def _result(self, start: int, end: int) -> RecognizerResult:
        return RecognizerResult(
            self.ENTITY,
            start,
            end,
            SCORE,
            analysis_explanation=AnalysisExplanation(self.name, SCORE, pattern_name=self.REASON),
            recognition_metadata={
                RecognizerResult.RECOGNIZER_NAME_KEY: self.name,
                RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id,
            },
        )


def _beside_a_name(run: list[Token]) -> bool:
    """Tell whether the run is a title or a part of a name spaCy found ("Captain Roger")."""
    doc = run[0].doc
    before = doc[run[0].i - 1] if run[0].i > 0 else None
    after = doc[run[-1].i + 1] if run[-1].i + 1 < len(doc) else None
    return any(t is not None and t.ent_type_ == "PERSON" for t in (before, after))


def _known_non_name(word: str) -> bool:
    """A car make or model, a platform, a role noun, or a known town (the project's word lists)."""
    from pipeline.roles import general_areas, not_identifiers  # the lists live with the roles

    folded = word.lower()
    return folded in not_identifiers() or folded in general_areas()
