"""Find identifying details in a report's free-text fields with one Presidio engine.

The engine is built once per process (:func:`get_analyzer`) on the pinned spaCy pipeline, loaded by
name from an installed package and never downloaded, with the recognisers that
``pipeline/analysis.toml`` enables. Texts go through ``nlp.pipe`` in batches, and Presidio's
recognisers run on the resulting NLP artifacts.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache

import spacy
from presidio_analyzer import AnalyzerEngine, EntityRecognizer, RecognizerRegistry, RecognizerResult
from presidio_analyzer.nlp_engine import NerModelConfiguration, NlpArtifacts, SpacyNlpEngine
from presidio_analyzer.predefined_recognizers import SpacyRecognizer
from spacy.language import Language
from spacy.tokens import Doc

import recognizers
from pipeline.config import AnalysisConfig, load_analysis_config
from pipeline.errors import ConfigError
from pipeline.findings import Span
from pipeline.intake import ReceivedReport
from pipeline.offline import use_bundled_suffix_list
from pipeline.report import Report

logger = logging.getLogger(__name__)

REQUIRED_COMPONENTS = ("tagger", "parser", "attribute_ruler", "lemmatizer", "ner")
"""Presidio's context words match on lemmas, and role attribution reads the dependency parse."""


class PreloadedSpacyNlpEngine(SpacyNlpEngine):
    """Presidio's spaCy engine around a pipeline we loaded ourselves (it never downloads)."""

    def __init__(self, nlp: Language, model_name: str, ner_configuration: NerModelConfiguration):
        super().__init__(
            models=[{"lang_code": "en", "model_name": model_name}],
            ner_model_configuration=ner_configuration,
        )
        self.nlp = {"en": nlp}

    def load(self) -> None:
        """Nothing to load: the pipeline was handed in."""


class _HintKeepingAnalyzerEngine(AnalyzerEngine):
    """An engine that keeps recognisers' role hints through Presidio's de-duplication.

    Presidio drops a result contained in a same-type result with an equal or higher score. When the
    dropped one carried a role hint ("my name is Jade"), the survivor inherits it.
    """

    def _enhance_using_context(self, text, raw_results, nlp_artifacts, recognizers, context=None):  # type: ignore[no-untyped-def]  # noqa: D102
        results = super()._enhance_using_context(
            text, raw_results, nlp_artifacts, recognizers, context
        )
        hinted = [r for r in results if r.recognition_metadata.get(recognizers_module.ROLE_HINT)]
        for result in results:
            if result.recognition_metadata.get(recognizers_module.ROLE_HINT):
                continue
            for hint in hinted:
                if (
                    hint.entity_type == result.entity_type
                    and hint.contained_in(result)
                    and hint.score <= result.score
                ):
                    result.recognition_metadata[recognizers_module.ROLE_HINT] = (
                        hint.recognition_metadata[recognizers_module.ROLE_HINT]
                    )
                    result.recognition_metadata[recognizers_module.ROLE_REASON] = (
                        hint.recognition_metadata.get(recognizers_module.ROLE_REASON, "")
                    )
                    break
        return results


recognizers_module = recognizers


def load_spacy(model_name: str) -> Language:
    """Load an installed spaCy pipeline by name; fail clearly (never download) when it is absent."""
    if not spacy.util.is_package(model_name):
        raise ConfigError(
            f"spaCy pipeline '{model_name}' is not an installed package; install the pinned "
            "package (pip install -e .) or set [model] spacy_model in the analysis configuration"
        )
    nlp = spacy.load(model_name)
    missing = [name for name in REQUIRED_COMPONENTS if name not in nlp.pipe_names]
    if missing:
        raise ConfigError(
            f"spaCy pipeline '{model_name}' lacks {missing}; available: {nlp.pipe_names}"
        )
    return nlp


def build_recognizers(config: AnalysisConfig) -> list[EntityRecognizer]:
    """Instantiate the enabled recognisers; fail naming any that does not exist."""
    known = recognizers.available()
    choices = [
        "SpacyRecognizer",
        *[n for n, c in known.items() if not getattr(c, "PER_REPORT", False)],
    ]
    built: list[EntityRecognizer] = []
    for name in config.recognizers.enabled:
        if name == "SpacyRecognizer":
            entities = sorted({str(e) for e in config.model.entity_mapping.values()})
            built.append(SpacyRecognizer(supported_language="en", supported_entities=entities))
        elif name in known and not getattr(known[name], "PER_REPORT", False):
            built.append(known[name]())
        else:
            raise ConfigError(
                f"{config.source}: key 'recognizers.enabled': no recogniser '{name}'; "
                f"available: {choices}"
            )
    return built


@dataclass(frozen=True, slots=True)
class FieldText:
    """One analysed free-text field of a report."""

    field: str
    text: str


@dataclass(slots=True)
class ReportAnalysis:
    """What the analyzer found in one report: spans per field, and each field's parsed Doc."""

    received: ReceivedReport
    spans: list[Span] = field(default_factory=list)
    docs: dict[str, Doc] = field(default_factory=dict)
    metadata: dict[tuple[str, int, int, str], dict[str, object]] = field(default_factory=dict)

    def hint(self, span: Span) -> tuple[str | None, str]:
        """The role hint and reason a recogniser attached to *span*, if any."""
        meta = self.metadata.get((span.field, span.start, span.end, span.entity_type), {})
        return meta.get(recognizers.ROLE_HINT), str(meta.get(recognizers.ROLE_REASON, ""))  # type: ignore[return-value]


def field_texts(report: Report, fields: Sequence[str]) -> list[FieldText]:
    """The non-empty free-text fields of *report* that the configuration analyses."""
    texts: list[FieldText] = []
    for name in fields:
        if name == "narrative":
            texts.append(FieldText("narrative", report.narrative))
        elif name == "incident.location_detail" and report.incident.location_detail:
            texts.append(FieldText(name, report.incident.location_detail))
        elif name == "incident.area" and report.incident.area:
            texts.append(FieldText(name, report.incident.area))
        elif name == "offenders[].description":
            for index, offender in enumerate(report.offenders):
                if offender.description:
                    texts.append(FieldText(f"offenders[{index}].description", offender.description))
    return [text for text in texts if text.text.strip()]


class Analyzer:
    """One Presidio ``AnalyzerEngine`` with our recognisers, and the spaCy pipeline under it."""

    def __init__(self, config: AnalysisConfig) -> None:
        use_bundled_suffix_list()
        self.config = config
        self.nlp = load_spacy(config.model.spacy_model)
        ner = NerModelConfiguration(
            labels_to_ignore=list(config.model.labels_to_ignore),
            model_to_presidio_entity_mapping={
                k: str(v) for k, v in config.model.entity_mapping.items()
            },
            low_score_entity_names=[],
        )
        self.nlp_engine = PreloadedSpacyNlpEngine(self.nlp, config.model.spacy_model, ner)
        registry = RecognizerRegistry(supported_languages=["en"])
        for recognizer in build_recognizers(config):
            registry.add_recognizer(recognizer)
        self.engine = _HintKeepingAnalyzerEngine(
            registry=registry, nlp_engine=self.nlp_engine, supported_languages=["en"]
        )
        self._known_identifier_class = recognizers.available().get("KnownIdentifierRecognizer")
        self._last_ad_hoc: tuple[Report | None, list[EntityRecognizer]] = (None, [])

    @property
    def recognizer_names(self) -> list[str]:
        """Names of the recognisers loaded into the engine."""
        return [r.name for r in self.engine.registry.recognizers]

    def ad_hoc_recognizers(self, report: Report) -> list[EntityRecognizer]:
        """Per-report recognisers: the reporter's identifiers, the reporting project, the venue.

        Built once per report and reused for each of its fields and for the guard's scans (the last
        report's set is kept), since building them costs more than running them.
        """
        last_report, last_set = self._last_ad_hoc
        if last_report is report:
            return last_set
        ad_hoc: list[EntityRecognizer] = []
        known = report.reporter.known_identifiers
        if self._known_identifier_class is not None and known.all_values():
            ad_hoc.append(self._known_identifier_class(known))
        if report.reporter.via_project and report.reporter.via_project.strip():
            project = recognizers.available()["SupportProjectRecognizer"]
            ad_hoc.append(project(report.reporter.via_project.strip()))
        if report.incident.location_detail and report.incident.location_detail.strip():
            location = recognizers.available()["LocationDetailRecognizer"]
            ad_hoc.append(location(report.incident.location_detail, report.incident.area))
        self._last_ad_hoc = (report, ad_hoc)
        return ad_hoc

    def analyze_text(
        self, text: str, report: Report, *, field_name: str = "text", doc: Doc | None = None
    ) -> tuple[list[RecognizerResult], Doc]:
        """Analyse one text in the context of *report* (its known identifiers)."""
        artifacts = (
            self.nlp_engine._doc_to_nlp_artifact(doc, "en")
            if doc is not None
            else self.nlp_engine.process_text(text, "en")
        )
        return self._analyze_artifacts(text, artifacts, report), artifacts.tokens

    def _analyze_artifacts(
        self, text: str, artifacts: NlpArtifacts, report: Report
    ) -> list[RecognizerResult]:
        return self.engine.analyze(
            text=text,
            language="en",
            nlp_artifacts=artifacts,
            ad_hoc_recognizers=self.ad_hoc_recognizers(report),
            score_threshold=self.config.analysis.score_threshold,
        )

    def analyze(self, received: ReceivedReport) -> ReportAnalysis:
        """Analyse one report."""
        return next(iter(self.analyze_many([received])))

    def analyze_many(self, reports: Iterable[ReceivedReport]) -> Iterator[ReportAnalysis]:
        """Analyse reports, running spaCy over their texts in batches."""
        batch: list[ReceivedReport] = []
        for received in reports:
            batch.append(received)
            if len(batch) >= self.config.model.batch_size:
                yield from self._analyze_batch(batch)
                batch = []
        if batch:
            yield from self._analyze_batch(batch)

    def _analyze_batch(self, batch: list[ReceivedReport]) -> Iterator[ReportAnalysis]:
        per_report = [field_texts(r.report, self.config.analysis.fields) for r in batch]
        flat = [text.text for texts in per_report for text in texts]
        docs = iter(self.nlp.pipe(flat, batch_size=self.config.model.batch_size))
        for received, texts in zip(batch, per_report, strict=True):
            analysis = ReportAnalysis(received)
            for text in texts:
                doc = next(docs)
                analysis.docs[text.field] = doc
                artifacts = self.nlp_engine._doc_to_nlp_artifact(doc, "en")
                for result in self._analyze_artifacts(text.text, artifacts, received.report):
                    span = to_span(text, result)
                    analysis.spans.append(span)
                    analysis.metadata[(span.field, span.start, span.end, span.entity_type)] = dict(
                        result.recognition_metadata or {}
                    )
            logger.debug("analysed report %s: %d spans", received.report_id, len(analysis.spans))
            yield analysis


def to_span(text: FieldText, result: RecognizerResult) -> Span:
    """A Presidio result as our span type."""
    name = (result.recognition_metadata or {}).get(RecognizerResult.RECOGNIZER_NAME_KEY, "")
    return Span(
        field=text.field,
        start=result.start,
        end=result.end,
        entity_type=str(result.entity_type),
        score=float(result.score),
        recognizer=str(name),
        text=text.text[result.start : result.end],
    )


@cache
def get_analyzer(config_path: str | None = None) -> Analyzer:
    """The process's one analyzer (built on first use)."""
    return Analyzer(load_analysis_config(config_path))
