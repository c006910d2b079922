"""Evaluate the redaction pipeline against the annotated corpus, as a chain of pandas frames.

Span metrics: predicted spans are merged with gold spans of the same report and field, each pair
gets ``overlap`` and ``exact`` columns, and precision, recall and F2 are counted per entity type
(the pair must agree on entity type) and per role (the pair must agree on role). Precision counts
predicted spans that match some gold span; recall counts gold spans that some prediction matches.

Release metrics: the *leak rate* is the share of must-go details (gold spans of role reporter,
third party, venue or unknown, plus the reporter's known identifiers and reporting project) whose
value survives in the draft's ``release``; the *keep rate* is the share of offender identifiers
(gold offender phones, emails, handles, links, registrations and names, plus every structured
offender phone, email, username, name used and registration) still present there. Values are
compared canonically: case and spacing folded and word-bounded, phones by their digits, plates and
postcodes with or without spaces, emails and handles in their canonical form. Each is reported for
the redacted narrative alone (``narrative``) and for everything that could leave (``release``).

Frames hold report values in the ``text`` column only; nothing here logs them.
"""

from __future__ import annotations

import html
import logging
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from pipeline import identifiers
from pipeline.analysis import Analyzer, PreloadedSpacyNlpEngine, get_analyzer
from pipeline.corpus import ANNOTATED_FIELD, AnnotatedReport, GoldSpan, field_text
from pipeline.errors import MugsError
from pipeline.findings import Entity, Role, Span
from pipeline.offline import use_bundled_suffix_list
from pipeline.report import Report
from pipeline.roles import StructuredIndex

logger = logging.getLogger(__name__)

MUST_GO_ROLES = frozenset({Role.REPORTER, Role.THIRD_PARTY, Role.VENUE, Role.UNKNOWN})
"""Gold roles whose details must not survive into a release (unknown: removed until restored)."""

KEPT_OFFENDER_ENTITIES = frozenset(
    {
        Entity.PHONE_NUMBER,
        Entity.EMAIL_ADDRESS,
        Entity.HANDLE,
        Entity.URL,
        Entity.VEHICLE_REGISTRATION,
        Entity.PERSON,
    }
)
"""Offender details that warn other members, so a release must keep them."""

PRESIDIO_TO_OURS: dict[str, str] = {
    "PHONE_NUMBER": Entity.PHONE_NUMBER,
    "EMAIL_ADDRESS": Entity.EMAIL_ADDRESS,
    "PERSON": Entity.PERSON,
    "LOCATION": Entity.LOCATION,
    "NRP": Entity.NATIONALITY,
    "ORGANIZATION": Entity.ORGANIZATION,
    "URL": Entity.URL,
    "UK_POSTCODE": Entity.UK_POSTCODE,
    "UK_VEHICLE_REGISTRATION": Entity.VEHICLE_REGISTRATION,
    "AGE": Entity.AGE,
}
"""Presidio's entity names where they mean one of ours; others (DATE_TIME, ...) keep their name."""

MATCHES = ("exact", "overlap")
ALL = "ALL"
PARTS = ("narrative", "release")

PREDICTED_COLUMNS = ["report_id", "field", "start", "end", "entity_type", "role", "recognizer"]
GOLD_COLUMNS = ["report_id", "field", "start", "end", "entity_type", "role", "text"]
ITEM_COLUMNS = ["report_id", "field", "entity_type", "role", "source", "text"]

_TAGS = re.compile(r"<[^>]+>")
_PHONE_RUN = re.compile(
    r"""
    \+?\d                  # a first digit, perhaps after '+'
    (?:[\s().\-]{0,3}\d)*  # more digits, each after at most three separators
    """,
    re.VERBOSE,
)


# --- predicted and gold spans ------------------------------------------------------------------


def gold_frame(corpus: Sequence[AnnotatedReport]) -> pd.DataFrame:
    """Every gold span of the corpus, one row each, with a ``gold_id``."""
    rows = [
        {
            "report_id": annotated.report_id,
            "field": span.field,
            "start": span.start,
            "end": span.end,
            "entity_type": str(span.entity_type),
            "role": str(span.role),
            "text": span.text,
        }
        for annotated in corpus
        for span in annotated.gold
    ]
    return _numbered(pd.DataFrame(rows, columns=GOLD_COLUMNS), "gold_id")


def predicted_frame(rows: Iterable[dict[str, Any]]) -> pd.DataFrame:
    """Frame the predicted spans that fall in annotated fields, numbered by ``pred_id``."""
    frame = pd.DataFrame(list(rows), columns=PREDICTED_COLUMNS)
    annotated = frame["field"].astype(str).str.fullmatch(ANNOTATED_FIELD.pattern, flags=re.VERBOSE)
    return _numbered(frame[annotated.astype(bool)], "pred_id")


def _numbered(frame: pd.DataFrame, id_column: str) -> pd.DataFrame:
    return (
        frame.reset_index(drop=True)
        .astype({"start": "int64", "end": "int64"})
        .assign(**{id_column: lambda f: range(len(f))})
    )


def span_pairs(predicted: pd.DataFrame, gold: pd.DataFrame) -> pd.DataFrame:
    """Every predicted span beside every gold span in the same report field, with match columns."""
    return predicted.merge(gold, on=["report_id", "field"], suffixes=("_pred", "_gold")).assign(
        overlap=lambda f: (f.start_pred < f.end_gold) & (f.start_gold < f.end_pred),
        exact=lambda f: (f.start_pred == f.start_gold) & (f.end_pred == f.end_gold),
        same_entity_type=lambda f: f.entity_type_pred == f.entity_type_gold,
        same_role=lambda f: f.role_pred == f.role_gold,
    )


def _rates(table: pd.DataFrame) -> pd.DataFrame:
    """Add precision, recall and F2 to a frame of n_pred, correct_pred, n_gold and found counts."""
    return table.assign(
        fp=lambda t: t.n_pred - t.correct_pred,
        fn=lambda t: t.n_gold - t.found,
        precision=lambda t: (t.correct_pred / t.n_pred).where(t.n_pred > 0),
        recall=lambda t: (t.found / t.n_gold).where(t.n_gold > 0),
    ).assign(f2=lambda t: f_beta(t.precision, t.recall, beta=2.0))


def f_beta(precision: pd.Series, recall: pd.Series, *, beta: float) -> pd.Series:
    """F-beta of two series; 0 where both are 0, missing where either is undefined."""
    b2 = beta * beta
    denominator = b2 * precision + recall
    return (
        ((1 + b2) * precision * recall / denominator)
        .where(denominator > 0, 0.0)
        .where(precision.notna() & recall.notna())
    )


def span_scores(predicted: pd.DataFrame, gold: pd.DataFrame, by: str) -> pd.DataFrame:
    """Precision, recall and F2 per value of *by* (``entity_type`` or ``role``), exact and overlap.

    A pair counts when it overlaps (or matches exactly) and agrees on *by*. The ``ALL`` row is the
    micro-average over every span.
    """
    agree = {"entity_type": "same_entity_type", "role": "same_role"}[by]
    pairs = span_pairs(predicted, gold)
    tables = []
    for match in MATCHES:
        hits = pairs[pairs[match] & pairs[agree]]
        predicted_side = (
            predicted.assign(correct=predicted.pred_id.isin(hits.pred_id))
            .groupby(by)
            .agg(n_pred=("correct", "size"), correct_pred=("correct", "sum"))
        )
        gold_side = (
            gold.assign(found=gold.gold_id.isin(hits.gold_id))
            .groupby(by)
            .agg(n_gold=("found", "size"), found=("found", "sum"))
        )
        table = gold_side.join(predicted_side, how="outer").fillna(0).astype("int64")
        table.loc[ALL] = table.sum()
        tables.append(table.rename_axis(by).reset_index().assign(match=match))
    return (
        pd.concat(tables, ignore_index=True)
        .pipe(_rates)
        .loc[
            :,
            [
                by,
                "match",
                "n_gold",
                "n_pred",
                "found",
                "correct_pred",
                "fp",
                "fn",
                "precision",
                "recall",
                "f2",
            ],
        ]
        .sort_values([by, "match"], key=lambda s: s.map(_all_last) if s.name == by else s)
        .reset_index(drop=True)
    )


def _all_last(value: str) -> str:
    return "~" if value == ALL else value


def recognizer_scores(predicted: pd.DataFrame, gold: pd.DataFrame) -> pd.DataFrame:
    """Per recogniser: spans predicted, precision (overlap and exact) and gold spans it found."""
    pairs = span_pairs(predicted, gold)
    typed = pairs[pairs.same_entity_type]
    correct = {m: set(typed.loc[typed[m], "pred_id"]) for m in MATCHES}
    found = typed[typed.overlap].groupby("recognizer").gold_id.nunique()
    return (
        predicted.assign(
            correct_overlap=predicted.pred_id.isin(correct["overlap"]),
            correct_exact=predicted.pred_id.isin(correct["exact"]),
        )
        .groupby("recognizer")
        .agg(
            n_pred=("pred_id", "size"),
            correct_overlap=("correct_overlap", "sum"),
            correct_exact=("correct_exact", "sum"),
        )
        .assign(
            precision_overlap=lambda t: t.correct_overlap / t.n_pred,
            precision_exact=lambda t: t.correct_exact / t.n_pred,
            gold_found=found,
        )
        .fillna({"gold_found": 0})
        .astype({"gold_found": "int64"})
        .assign(share_of_gold=lambda t: t.gold_found / max(len(gold), 1))
        .reset_index()
        .sort_values("n_pred", ascending=False, ignore_index=True)
    )


# --- what survives into a release --------------------------------------------------------------


def release_strings(value: Any, path: str = "release") -> Iterator[tuple[str, str]]:
    """Every string in a release as (path, readable text): HTML tags dropped, entities decoded."""
    if isinstance(value, str):
        yield path, html.unescape(_TAGS.sub(" ", value))
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from release_strings(item, f"{path}.{key}")
    elif isinstance(value, list):
        for position, item in enumerate(value):
            yield from release_strings(item, f"{path}[{position}]")


def _bounded(needle: str, haystack: str) -> int:
    """How often *needle* is in *haystack* not inside a longer word ('Jo' is not in 'Jones')."""
    if not needle:
        return 0
    return len(re.findall(rf"(?<![a-z0-9]){re.escape(needle)}(?![a-z0-9])", haystack))


def _digit_runs(digits: str, text: str) -> int:
    """How many runs of digits and separators in *text* hold a phone number's digits."""
    count = 0
    for run in _PHONE_RUN.finditer(text):
        found = re.sub(r"\D", "", run.group(0))
        if len(digits) < 7:
            count += found == digits
        elif digits in found or (digits.startswith("0") and digits[1:] in found):
            count += 1
    return count


def _compact(compact: str, text: str) -> int:
    """How often a plate or postcode is in *text*, with or without spaces or dashes inside."""
    spaced = r"[\s\-]?".join(re.escape(ch) for ch in compact)
    return len(re.findall(rf"(?<![A-Z0-9]){spaced}(?![A-Z0-9])", text.upper()))


def _number(value: str, text: str) -> int:
    """How often a bare number (an age, '4B') stands alone in *text*: not in a time or date."""
    pattern = rf"(?<![\w:/.\-]){re.escape(value.lower())}(?![\w:/]|[.\-]\d)"
    return len(re.findall(pattern, text.lower()))


def occurrences(value: str, entity_type: str, text: str) -> int:
    """How often *value* (a detail of *entity_type*) is in *text*, compared canonically."""
    if (
        value.strip()[:1].isdigit()
        and " " not in value.strip()
        and entity_type
        not in {Entity.PHONE_NUMBER, Entity.UK_POSTCODE, Entity.VEHICLE_REGISTRATION}
    ):
        return _number(value.strip(), text)
    folded = _bounded(identifiers.name(value), identifiers.name(text))
    if entity_type == Entity.PHONE_NUMBER:
        digits = identifiers.phone_digits(value)
        return max(folded, _digit_runs(digits, text) if len(digits) >= 3 else 0)
    if entity_type == Entity.EMAIL_ADDRESS:
        canonical = identifiers.email(value)
        return max(folded, _bounded(canonical, text.lower()) if "@" in canonical else 0)
    if entity_type in {Entity.VEHICLE_REGISTRATION, Entity.UK_POSTCODE}:
        compact = identifiers.plate(value)
        return max(folded, _compact(compact, text) if compact else 0)
    if entity_type in {Entity.HANDLE, Entity.URL}:
        return max(folded, _bounded(identifiers.handle(value), text.lower()))
    return folded


def survives(value: str, entity_type: str, text: str) -> bool:
    """Whether *value* (a detail of *entity_type*) is present in *text*, compared canonically."""
    return occurrences(value, entity_type, text) > 0


def allowed_sources(corpus: Sequence[AnnotatedReport]) -> dict[str, dict[str, list[str]]]:
    """Per report, the source texts behind each release part, every must-go gold span blanked.

    A must-go value may legitimately appear in a release string as often as it appears in the
    sources that string is made from: a decoy ("an Amber-coloured Corsa" beside the reporter
    called Amber), or an offender who shares the reporter's name. Only occurrences beyond that
    count as leaks. Keys: ``narrative``, ``offenders[N]`` (description and structured values)
    and ``all`` (for the alert and the record, which may draw on everything).
    """
    sources: dict[str, dict[str, list[str]]] = {}
    for annotated in corpus:
        report = annotated.received.report
        by_part: dict[str, list[str]] = {
            "narrative": [_blank(report.narrative, annotated.gold, "narrative")],
        }
        for number, offender in enumerate(report.offenders):
            description = f"offenders[{number}].description"
            by_part[f"offenders[{number}]"] = [
                _blank(offender.description or "", annotated.gold, description),
                *offender.names_used,
                *offender.phones,
                *offender.emails,
                *offender.usernames,
                *[
                    str(value)
                    for vehicle in offender.vehicles
                    for value in vehicle.model_dump().values()
                    if value
                ],
            ]
        incident = [
            _blank(field_text(report, name) or "", annotated.gold, name)
            for name in ("incident.area", "incident.location_detail")
        ] + [
            str(value)
            for key, value in report.incident.model_dump(mode="json").items()
            if value and key not in {"area", "location_detail"}
        ]
        by_part["all"] = [text for texts in by_part.values() for text in texts] + incident
        sources[annotated.report_id] = by_part
    return sources


def _source_of(path: str) -> str:
    """Which sources a release string is made from (a key of :func:`allowed_sources`).

    The alert, the record and the incident summary may draw on everything, so they get ``all``.
    """
    if path == "release.narrative" or path.startswith("release.narrative."):
        return "narrative"
    offender = re.match(r"release\.offenders(\[\d+\])", path)
    return f"offenders{offender[1]}" if offender else "all"


def _blank(text: str, gold: Sequence[GoldSpan], field: str) -> str:
    """*text* with each must-go gold span in *field* replaced by '|' (which joins nothing)."""
    chars = list(text)
    for span in gold:
        if span.field == field and span.role in MUST_GO_ROLES:
            chars[span.start : span.end] = "|" * (span.end - span.start)
    return "".join(chars)


def must_go_items(corpus: Sequence[AnnotatedReport]) -> pd.DataFrame:
    """Details that must not survive: must-go gold spans, known identifiers, reporting project."""
    rows: list[dict[str, str]] = []
    for annotated in corpus:
        for span in annotated.gold:
            if span.role in MUST_GO_ROLES:
                rows.append(
                    _item(
                        annotated.report_id,
                        span.field,
                        span.entity_type,
                        span.role,
                        "gold",
                        span.text,
                    )
                )
        rows.extend(_known_identifier_items(annotated.received.report))
    return pd.DataFrame(rows, columns=ITEM_COLUMNS)


KNOWN_KINDS = {
    "names": Entity.PERSON,
    "phones": Entity.PHONE_NUMBER,
    "emails": Entity.EMAIL_ADDRESS,
    "handles": Entity.HANDLE,
    "addresses": Entity.STREET_ADDRESS,
}


def _known_identifier_items(report: Report) -> Iterator[dict[str, str]]:
    known = report.reporter.known_identifiers
    for kind, entity in KNOWN_KINDS.items():
        for position, value in enumerate(getattr(known, kind)):
            if value.strip():
                yield _item(
                    report.report_id,
                    f"reporter.known_identifiers.{kind}[{position}]",
                    entity,
                    Role.REPORTER,
                    "known",
                    value,
                )
    if report.reporter.via_project and report.reporter.via_project.strip():
        yield _item(
            report.report_id,
            "reporter.via_project",
            Entity.ORGANIZATION,
            Role.REPORTER,
            "known",
            report.reporter.via_project,
        )


def keep_items(corpus: Sequence[AnnotatedReport]) -> pd.DataFrame:
    """Offender identifiers a release must keep: gold offender spans and structured fields.

    A structured value that equals one of the reporter's known identifiers (a form filled in
    wrongly) is the reporter's, so it is not counted.
    """
    rows: list[dict[str, str]] = []
    for annotated in corpus:
        for span in annotated.gold:
            if span.role == Role.OFFENDER and span.entity_type in KEPT_OFFENDER_ENTITIES:
                rows.append(
                    _item(
                        annotated.report_id,
                        span.field,
                        span.entity_type,
                        span.role,
                        "gold",
                        span.text,
                    )
                )
        rows.extend(_structured_offender_items(annotated.received.report))
    return pd.DataFrame(rows, columns=ITEM_COLUMNS)


STRUCTURED_KINDS = {
    "phones": Entity.PHONE_NUMBER,
    "emails": Entity.EMAIL_ADDRESS,
    "usernames": Entity.HANDLE,
    "names_used": Entity.PERSON,
}


def _structured_offender_items(report: Report) -> Iterator[dict[str, str]]:
    index = StructuredIndex(report)
    for number, offender in enumerate(report.offenders):
        values = [
            (f"offenders[{number}].{kind}[{position}]", entity, value)
            for kind, entity in STRUCTURED_KINDS.items()
            for position, value in enumerate(getattr(offender, kind))
        ] + [
            (
                f"offenders[{number}].vehicles[{position}].registration",
                Entity.VEHICLE_REGISTRATION,
                vehicle.registration,
            )
            for position, vehicle in enumerate(offender.vehicles)
            if vehicle.registration
        ]
        for path, entity, value in values:
            if not value.strip():
                continue
            span = Span(path, 0, len(value), entity, 1.0, "StructuredFields", value)
            if index.reporter_match(span) is None:
                yield _item(report.report_id, path, entity, Role.OFFENDER, "structured", value)


def _item(
    report_id: str, field: str, entity: str, role: str, source: str, text: str
) -> dict[str, str]:
    return {
        "report_id": report_id,
        "field": field,
        "entity_type": str(entity),
        "role": str(role),
        "source": source,
        "text": text,
    }


def present_in(
    items: pd.DataFrame,
    releases: dict[str, dict[str, Any]],
    part: str,
    allowed: dict[str, dict[str, list[str]]] | None = None,
) -> pd.DataFrame:
    """*items* with ``found_in``: the release paths where each value survives ('' when none).

    For ``part == "narrative"`` only narrative gold spans are checked, against the redacted
    narrative; for ``"release"`` every item is checked against every string in the release. With
    *allowed* (see :func:`allowed_sources`), a string counts only when it holds the value more
    often than the sources it is made from do outside must-go spans.
    """
    if part not in PARTS:
        raise ValueError(f"part must be one of {PARTS}, got {part!r}")
    strings = {
        report_id: [
            (path, text)
            for path, text in release_strings(release)
            if part == "release"
            or path == "release.narrative"
            or path.startswith("release.narrative.")
        ]
        for report_id, release in releases.items()
    }
    chosen = items if part == "release" else items[items.field == "narrative"]

    def found_in(item: Any) -> str:
        sources = (allowed or {}).get(item.report_id, {})

        def limit(path: str) -> int:
            return sum(
                occurrences(item.text, item.entity_type, text)
                for text in sources.get(_source_of(path), [])
            )

        return ",".join(
            path
            for path, text in strings.get(item.report_id, [])
            if occurrences(item.text, item.entity_type, text) > limit(path)
        )

    return chosen.assign(
        part=part, found_in=[found_in(item) for item in chosen.itertuples()]
    ).assign(present=lambda f: f.found_in != "")


# --- one system's run over the corpus ----------------------------------------------------------


@dataclass(slots=True)
class SystemRun:
    """What one system produced for the corpus: its spans and each report's release."""

    name: str
    predicted: pd.DataFrame
    releases: dict[str, dict[str, Any]]
    has_roles: bool = True


@dataclass(slots=True)
class Evaluation:
    """Every table ``mugs evaluate`` prints, for one or more systems."""

    summary: pd.DataFrame
    entities: pd.DataFrame
    roles: pd.DataFrame
    recognizers: pd.DataFrame
    leaks: pd.DataFrame
    losses: pd.DataFrame
    reports: int = 0
    gold_spans: int = 0
    systems: list[str] = field(default_factory=list)

    def tables(self, *, show_values: bool = False) -> dict[str, pd.DataFrame]:
        """Return the tables by name; report values appear only with *show_values*."""
        hide = [] if show_values else ["text"]
        return {
            "summary": self.summary,
            "entities": self.entities,
            "roles": self.roles,
            "recognizers": self.recognizers,
            "leaks": self.leaks.drop(columns=hide),
            "losses": self.losses.drop(columns=hide),
        }


def release_rates(
    corpus: Sequence[AnnotatedReport], releases: dict[str, dict[str, Any]]
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Leak and keep rates per part, the leaked items, and the offender items lost."""
    must_go, keep = must_go_items(corpus), keep_items(corpus)
    allowed = allowed_sources(corpus)
    rows, leaks, losses = [], [], []
    for part in PARTS:
        gone = present_in(must_go, releases, part, allowed)
        kept = present_in(keep, releases, part)
        rows.append(
            {
                "part": part,
                "must_go": len(gone),
                "leaked": int(gone.present.sum()),
                "leak_rate": gone.present.mean() if len(gone) else 0.0,
                "must_keep": len(kept),
                "kept": int(kept.present.sum()),
                "keep_rate": kept.present.mean() if len(kept) else 1.0,
            }
        )
        leaks.append(gone[gone.present])
        losses.append(kept[~kept.present])
    return (
        pd.DataFrame(rows),
        pd.concat(leaks, ignore_index=True),
        pd.concat(losses, ignore_index=True),
    )


def evaluate_runs(corpus: Sequence[AnnotatedReport], runs: Sequence[SystemRun]) -> Evaluation:
    """Score each run against the corpus and stack the tables with a ``system`` column."""
    gold = gold_frame(corpus)
    parts: dict[str, list[pd.DataFrame]] = {
        k: [] for k in ("summary", "entities", "roles", "recognizers", "leaks", "losses")
    }
    for run in runs:
        summary, leaks, losses = release_rates(corpus, run.releases)
        parts["summary"].append(summary.assign(system=run.name))
        parts["leaks"].append(leaks.assign(system=run.name))
        parts["losses"].append(losses.assign(system=run.name))
        entities = span_scores(run.predicted, gold, "entity_type")
        parts["entities"].append(entities.assign(system=run.name))
        if run.has_roles:
            parts["roles"].append(span_scores(run.predicted, gold, "role").assign(system=run.name))
        parts["recognizers"].append(recognizer_scores(run.predicted, gold).assign(system=run.name))
        logger.info("evaluated %s on %d reports", run.name, len(corpus))
    tables = {
        name: _system_first(pd.concat(frames, ignore_index=True)) if frames else pd.DataFrame()
        for name, frames in parts.items()
    }
    return Evaluation(
        **tables, reports=len(corpus), gold_spans=len(gold), systems=[run.name for run in runs]
    )


def _system_first(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.loc[:, ["system", *[c for c in frame.columns if c != "system"]]]


# --- the systems -------------------------------------------------------------------------------


def run_pipeline(corpus: Sequence[AnnotatedReport], analyzer: Analyzer | None = None) -> SystemRun:
    """Draft every corpus report with the pipeline; predictions are the review findings."""
    from pipeline.draft import draft_reports

    analyzer = analyzer or get_analyzer()
    drafts = list(draft_reports([annotated.received for annotated in corpus], analyzer))
    predicted = predicted_frame(
        {"report_id": draft["report_id"], **{k: finding[k] for k in PREDICTED_COLUMNS[1:]}}
        for draft in drafts
        for finding in draft["review"]["findings"]
    )
    return SystemRun("ours", predicted, {d["report_id"]: d["release"] for d in drafts})


def presidio_default_engine(analyzer: Analyzer) -> Any:
    """Presidio's default ``AnalyzerEngine`` (its own recognisers and NER settings) on our spaCy."""
    import presidio_analyzer
    from presidio_analyzer import AnalyzerEngine
    from presidio_analyzer.nlp_engine import NerModelConfiguration

    use_bundled_suffix_list()
    defaults = Path(presidio_analyzer.__file__).with_name("conf") / "default.yaml"
    ner = yaml.safe_load(defaults.read_text(encoding="utf-8"))["ner_model_configuration"]
    ner["low_score_entity_names"] = [n for n in ner.get("low_score_entity_names") or [] if n]
    nlp_engine = PreloadedSpacyNlpEngine(
        analyzer.nlp, analyzer.config.model.spacy_model, NerModelConfiguration.from_dict(ner)
    )
    # Presidio warns once per non-English recogniser it skips; those are not news.
    presidio_logger = logging.getLogger("presidio-analyzer")
    level = presidio_logger.level
    presidio_logger.setLevel(logging.ERROR)
    try:
        return AnalyzerEngine(nlp_engine=nlp_engine, supported_languages=["en"])
    finally:
        presidio_logger.setLevel(level)


def run_presidio_baseline(
    corpus: Sequence[AnnotatedReport], analyzer: Analyzer | None = None
) -> SystemRun:
    """Presidio's defaults: analyse each field, replace every finding; offender fields as given."""
    from presidio_anonymizer import AnonymizerEngine

    analyzer = analyzer or get_analyzer()
    engine = presidio_default_engine(analyzer)
    anonymizer = AnonymizerEngine()
    rows: list[dict[str, Any]] = []
    releases: dict[str, dict[str, Any]] = {}
    for annotated in corpus:
        report = annotated.received.report
        anonymised: dict[str, str] = {}
        for name in _baseline_fields(report):
            text = field_text(report, name) or ""
            results = engine.analyze(text=text, language="en") if text.strip() else []
            anonymised[name] = anonymizer.anonymize(text=text, analyzer_results=results).text
            rows.extend(
                {
                    "report_id": report.report_id,
                    "field": name,
                    "start": r.start,
                    "end": r.end,
                    "entity_type": str(PRESIDIO_TO_OURS.get(r.entity_type, r.entity_type)),
                    "role": "",
                    "recognizer": str(r.recognition_metadata.get("recognizer_name", "")),
                }
                for r in results
            )
        releases[report.report_id] = {
            "narrative": anonymised["narrative"],
            "offenders": [
                {
                    **offender.model_dump(exclude={"description"}),
                    "description": anonymised.get(f"offenders[{number}].description"),
                }
                for number, offender in enumerate(report.offenders)
            ],
        }
    return SystemRun("presidio", predicted_frame(rows), releases, has_roles=False)


def _baseline_fields(report: Report) -> list[str]:
    names = ["narrative", "incident.location_detail", "incident.area"]
    names += [f"offenders[{n}].description" for n in range(len(report.offenders))]
    return [name for name in names if name == "narrative" or field_text(report, name)]


def evaluate_corpus(
    corpus: Sequence[AnnotatedReport],
    *,
    baseline: str | None = None,
    analyzer: Analyzer | None = None,
) -> Evaluation:
    """Run the pipeline (and optionally a baseline) over *corpus* and score both."""
    analyzer = analyzer or get_analyzer()
    runs = [run_pipeline(corpus, analyzer)]
    if baseline == "presidio":
        runs.append(run_presidio_baseline(corpus, analyzer))
    elif baseline is not None:
        raise MugsError(f"unknown baseline '{baseline}'; available: ['presidio']")
    return evaluate_runs(corpus, runs)
