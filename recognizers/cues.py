"""Cue-led recognition shared by the language recognisers.

A :class:`Cue` is one named regex whose group ``value`` is the identifier and whose other words are
the cue ("my name is (?P<value>…)"): the span is the value, never the cue. :class:`CueRecognizer`
runs a class's cues over the text, keeps Presidio's metadata keys and adds the cue's role hint.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace

from presidio_analyzer import AnalysisExplanation, EntityRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts
from spacy.tokens import Doc, Token

from recognizers import ROLE_HINT, ROLE_REASON


@dataclass(frozen=True, slots=True)
class Cue:
    """One named pattern: what it finds, how sure it is, and whose its cue says the value is."""

    name: str
    regex: re.Pattern[str]
    entity: str
    score: float
    role: str | None = None
    reason: str = ""
    tail: int = 0
    """Search only the text's last *tail* characters (a sign-off); 0 searches all of it."""

    def value_span(self, match: re.Match[str]) -> tuple[int, int]:
        """Return the value's offsets: group ``value`` if the pattern has one, else the match."""
        return match.span("value") if "value" in self.regex.groupindex else match.span()


@dataclass(frozen=True, slots=True)
class Hit:
    """One accepted value: its offsets, score and role hint (None: let the role step decide)."""

    start: int
    end: int
    score: float
    role: str | None
    reason: str


class CueRecognizer(EntityRecognizer):
    """Runs :attr:`CUES` over a text; subclasses refine a hit in :meth:`judge`."""

    CUES: tuple[Cue, ...] = ()
    REPEATS = frozenset({"PERSON"})
    """Entities whose value, once a cue gave it a role, is found again elsewhere in the text."""
    REPEAT_SCORE = 0.7

    def __init__(self) -> None:
        entities = list(dict.fromkeys(cue.entity for cue in self.CUES))
        super().__init__(
            supported_entities=entities, name=type(self).__name__, supported_language="en"
        )

    def load(self) -> None:
        """Nothing to load: the patterns are compiled once, at class level."""

    def validate_result(self, value: str) -> bool | None:
        """Return False to reject a value whatever its cue; None (the default) has no opinion."""
        return None

    def judge(self, cue: Cue, match: re.Match[str], text: str, doc: Doc | None) -> Hit | None:
        """Return the hit for one match, or None to drop it (default: the cue's score and role)."""
        start, end = cue.value_span(match)
        return Hit(start, end, cue.score, cue.role, cue.reason)

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        """Every cue's hits; for one span and entity the best score (then the earlier cue) wins."""
        doc = nlp_artifacts.tokens if nlp_artifacts is not None else None
        best: dict[tuple[int, int, str], tuple[Hit, Cue]] = {}
        for cue in self.CUES:
            if entities and cue.entity not in entities:
                continue
            for match in cue.regex.finditer(text, max(0, len(text) - cue.tail) if cue.tail else 0):
                hit = self.judge(cue, match, text, doc)
                if hit is None or hit.start >= hit.end:
                    continue
                if self.validate_result(text[hit.start : hit.end]) is False:
                    continue
                key = (hit.start, hit.end, cue.entity)
                if key not in best or best[key][0].score < hit.score:
                    best[key] = (hit, cue)
        hits = _longest(best.values())
        return [self._result(hit, cue) for hit, cue in _longest(hits + self._repeats(text, hits))]

    def _repeats(self, text: str, hits: list[tuple[Hit, Cue]]) -> list[tuple[Hit, Cue]]:
        """Find the same name elsewhere in the text ("my friend Kelly … Kelly rang"), same role."""
        found: list[tuple[Hit, Cue]] = []
        taken = {(hit.start, hit.end) for hit, _ in hits}
        named = {
            text[h.start : h.end]: (h, c) for h, c in hits if c.entity in self.REPEATS and h.role
        }
        for value, (hit, cue) in named.items():
            for match in re.finditer(rf"(?<![\w-]){re.escape(value)}(?![\w-])", text):
                if match.span() not in taken:
                    again = Hit(
                        *match.span(),
                        min(hit.score, self.REPEAT_SCORE),
                        hit.role,
                        f"{hit.reason} (named again)",
                    )
                    found.append((again, cue))
        return found

    def _result(self, hit: Hit, cue: Cue) -> RecognizerResult:
        metadata: dict[str, object] = {
            RecognizerResult.RECOGNIZER_NAME_KEY: self.name,
            RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id,
        }
        if hit.role:
            metadata[ROLE_HINT] = hit.role
            metadata[ROLE_REASON] = hit.reason
        explanation = AnalysisExplanation(
            recognizer=self.name, original_score=hit.score, pattern_name=cue.name
        )
        return RecognizerResult(
            cue.entity, hit.start, hit.end, hit.score, explanation, recognition_metadata=metadata
        )


def _longest(hits: Iterable[tuple[Hit, Cue]]) -> list[tuple[Hit, Cue]]:
    """Drop a hit inside a longer one of the same entity; the longer keeps the better score."""
    ordered = sorted(hits, key=lambda pair: (pair[0].start, -pair[0].end))
    kept: list[tuple[Hit, Cue]] = []
    for hit, cue in ordered:
        outer = next(
            (i for i, (k, c) in enumerate(kept) if c.entity == cue.entity and k.end >= hit.end),
            None,
        )
        if outer is None:
            kept.append((hit, cue))
        elif hit.score > kept[outer][0].score:
            kept[outer] = (replace(kept[outer][0], score=hit.score), kept[outer][1])
    return kept


def token_at(doc: Doc | None, start: int, end: int) -> Token | None:
    """Return the first spaCy token of a character span, or None without a parse."""
    if doc is None:
        return None
    window = doc.char_span(start, end, alignment_mode="expand")
    return window[0] if window is not None and len(window) else None


def in_quotes(text: str, start: int) -> bool:
    """Tell whether *start* is inside quoted speech on its line ("he texted 'I'm Dave'")."""
    line = text[text.rfind("\n", 0, start) + 1 : start]
    straight = line.count('"') % 2 == 1
    return straight or line.count("\u201c") > line.count("\u201d")
