"""Emails, plain or disguised: "candy at gmail dot com", "candy(at)hotmail(dot)co(dot)uk"."""

from __future__ import annotations

import re

import tldextract
from presidio_analyzer import AnalysisExplanation, EntityRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

AT_WRITTEN = r"""(?:@\s*|\s+@\s+                  # @, or " @ " ("from @jay" is a handle)
          | \s*[(\[{<]\s*at\s*[)\]}>]\s*                # (at) [at] {at} <at>
          | \s+at\s+)                                   # the word at
"""
DOT_SPELLED = r"""(?:\s*[(\[{<]\s*dot\s*[)\]}>]\s*          # (dot) [dot]
          | \s+dot\s+)                                  # the word dot
"""
"""Ways to write '@' and a spelled-out '.', shared with the known-identifier recogniser."""
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"  # one domain label


class EmailAddressRecognizer(EntityRecognizer):
    """Finds emails; the domain must end in a public suffix from tldextract's bundled snapshot."""

    ENTITY = "EMAIL_ADDRESS"
    PATTERNS = (("email", 0.9), ("email with spelled-out at or dot", 0.75))
    """(name, score): a plain address, and one written with words, brackets or spaces."""
    CANDIDATE = re.compile(
        rf"""
        (?<![\w.%+-])(?P<local>
            [A-Za-z0-9][A-Za-z0-9._%+-]*                # local part
            (?:{DOT_SPELLED}[A-Za-z0-9._%+-]+)*        # "candy dot escort"
        )
        (?P<at>{AT_WRITTEN})
        (?P<domain>{_LABEL}(?:(?:\s+\.\s+|\.|{DOT_SPELLED}){_LABEL})+)  # gmail dot co . uk
        """,
        re.VERBOSE | re.IGNORECASE,
    )
    MAY_HOLD_EMAIL = re.compile(r"(?i:@|[(\[{<]\s*at\s*[)\]}>]|\bdot\b)|\bat\s+[\w-]+\.[a-z]{2,}")
    """A cheap first look ('@', '(at)', 'dot', 'at gmail.com'): most texts hold none of them."""
    DOT = re.compile(rf"\s+\.\s+|\.|{DOT_SPELLED}", re.VERBOSE | re.IGNORECASE)
    SUFFIXES = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)
    """The Public Suffix List snapshot shipped inside tldextract: never fetched, never cached."""
    CONTEXT = ("email", "e-mail", "mail", "gmail", "hotmail", "outlook", "address")

    def __init__(self) -> None:
        super().__init__(
            supported_entities=[self.ENTITY],
            name="EmailAddressRecognizer",
            supported_language="en",
            context=list(self.CONTEXT),
        )

    def load(self) -> None:
        """Nothing to load: the patterns and the suffix list are ready at import."""

    def validate_result(self, pattern_text: str) -> bool:
        """Accept a domain with a registrable name under a public suffix: 'gmail.com', 'x.co.uk'."""
        extracted = self.SUFFIXES(pattern_text)
        return bool(extracted.domain and extracted.suffix)

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        """Every email address written in *text*, trimmed to its longest valid domain."""
        if entities and self.ENTITY not in entities or not self.MAY_HOLD_EMAIL.search(text):
            return []
        results = []
        position = 0
        while match := self.CANDIDATE.search(text, position):
            end = self._valid_domain_end(match)
            if end is None:  # "me at jamie dot dundee" fails; "jamie dot dundee at …" may not
                position = match.start() + 1
                continue
            position = end
            plain = match["at"] == "@" and not re.search(r"\s", text[match.start() : end])
            name, score = self.PATTERNS[0] if plain else self.PATTERNS[1]
            results.append(self._result(match.start(), end, name, score))
        return results

    def _valid_domain_end(self, match: re.Match[str]) -> int | None:
        """End of the longest dotted prefix of the domain that validates ("gmail.com. He" → com)."""
        start = match.start("domain")
        cuts = [start + m.start() for m in self.DOT.finditer(match["domain"])][1:]
        for end in [match.end("domain"), *reversed(cuts)]:
            if match.string.startswith("/", end):
                return None  # "clips at clipvault.example.net/store": a link, not an email
            if self.validate_result(self.DOT.sub(".", match.string[start:end])):
                return end
        return None

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
