"""Evaluation: the span-metric chain, leak and keep detection, and ``mugs evaluate``."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pandas as pd
import pytest

from pipeline import evaluation
from pipeline.corpus import AnnotatedReport, GoldSpan, load_corpus
from pipeline.evaluation import (
    SystemRun,
    evaluate_runs,
    gold_frame,
    keep_items,
    must_go_items,
    predicted_frame,
    present_in,
    recognizer_scores,
    span_scores,
    survives,
)
from pipeline.findings import Entity, Role
from pipeline.intake import parse_report

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "evaluation_fixtures"
SMALL_CORPUS = FIXTURES / "corpus.jsonl"
SPACY_ONLY_CONFIG = FIXTURES / "analysis_spacy_only.toml"
PROJECT_CORPUS = ROOT / "fixtures" / "corpus.jsonl"


def gold(rows: list[tuple[str, int, int, str, str]]) -> pd.DataFrame:
    """Gold spans in report R-1 as (field, start, end, entity_type, role)."""
    frame = pd.DataFrame(
        [
            {
                "report_id": "R-1",
                "field": f,
                "start": s,
                "end": e,
                "entity_type": t,
                "role": r,
                "text": "x",
            }
            for f, s, e, t, r in rows
        ],
        columns=evaluation.GOLD_COLUMNS,
    )
    return evaluation._numbered(frame, "gold_id")


def predicted(rows: list[tuple[str, int, int, str, str, str]]) -> pd.DataFrame:
    """Predicted spans in report R-1 as (field, start, end, entity_type, role, recognizer)."""
    return predicted_frame(
        {
            "report_id": "R-1",
            "field": f,
            "start": s,
            "end": e,
            "entity_type": t,
            "role": r,
            "recognizer": rec,
        }
        for f, s, e, t, r, rec in rows
    )


def row(table: pd.DataFrame, by: str, key: str, match: str) -> pd.Series:
    found = table[(table[by] == key) & (table["match"] == match)]
    assert len(found) == 1, f"no single row for {key}/{match}"
    return found.iloc[0]


# --- span metrics ------------------------------------------------------------------------------

GOLD = [
    ("narrative", 0, 4, "PERSON", "offender"),  # found exactly
    ("narrative", 10, 22, "PHONE_NUMBER", "reporter"),  # found by a shorter span: overlap only
    ("narrative", 30, 40, "VENUE", "venue"),  # found with the wrong entity type
    ("narrative", 50, 56, "PERSON", "third_party"),  # missed
]
PREDICTED = [
    ("narrative", 0, 4, "PERSON", "offender", "SpacyRecognizer"),
    ("narrative", 12, 22, "PHONE_NUMBER", "reporter", "UkPhoneRecognizer"),
    ("narrative", 30, 40, "LOCATION", "venue", "SpacyRecognizer"),
    ("narrative", 60, 65, "PERSON", "unknown", "SpacyRecognizer"),  # nothing there
    ("offenders[0].phones[0]", 0, 4, "PHONE_NUMBER", "offender", "StructuredFields"),
]


def test_entity_scores_count_exact_and_overlap_matches_separately() -> None:
    table = span_scores(predicted(PREDICTED), gold(GOLD), "entity_type")
    phone_exact = row(table, "entity_type", "PHONE_NUMBER", "exact")
    phone_overlap = row(table, "entity_type", "PHONE_NUMBER", "overlap")
    assert (phone_exact.found, phone_exact.correct_pred, phone_exact.fn) == (0, 0, 1)
    assert (phone_overlap.found, phone_overlap.correct_pred, phone_overlap.fn) == (1, 1, 0)
    assert phone_overlap.precision == 1.0 and phone_overlap.recall == 1.0


def test_entity_scores_need_the_same_entity_type_and_give_p_r_f2() -> None:
    table = span_scores(predicted(PREDICTED), gold(GOLD), "entity_type")
    person = row(table, "entity_type", "PERSON", "overlap")
    # gold: 2 persons, 1 found; predicted: 2 persons, 1 correct
    assert (person.n_gold, person.n_pred, person.found, person.fp, person.fn) == (2, 2, 1, 1, 1)
    assert person.precision == 0.5 and person.recall == 0.5
    assert person.f2 == pytest.approx(0.5)
    venue = row(table, "entity_type", "VENUE", "overlap")
    assert venue.found == 0 and venue.n_pred == 0 and math.isnan(venue.precision)
    location = row(table, "entity_type", "LOCATION", "overlap")
    assert location.n_gold == 0 and location.precision == 0.0 and math.isnan(location.recall)


def test_all_row_is_the_micro_average_with_f2_weighting_recall() -> None:
    table = span_scores(predicted(PREDICTED), gold(GOLD), "entity_type")
    overall = row(table, "entity_type", "ALL", "overlap")
    # the structured-field prediction is outside the annotated fields, so it is not counted
    assert (overall.n_gold, overall.n_pred, overall.found, overall.correct_pred) == (4, 4, 2, 2)
    exact = row(table, "entity_type", "ALL", "exact")
    precision, recall = 1 / 4, 1 / 4
    assert exact.precision == precision and exact.recall == recall
    assert exact.f2 == pytest.approx(5 * precision * recall / (4 * precision + recall))


def test_f2_weights_recall_four_times_precision() -> None:
    f2 = evaluation.f_beta(pd.Series([0.5, 1.0, 0.0]), pd.Series([1.0, 0.5, 0.0]), beta=2.0)
    assert f2.tolist() == pytest.approx([2.5 / 3, 2.5 / 4.5, 0.0])


def test_role_scores_ignore_entity_type_but_need_the_same_role() -> None:
    table = span_scores(predicted(PREDICTED), gold(GOLD), "role")
    venue = row(table, "role", "venue", "exact")
    assert (venue.found, venue.correct_pred) == (1, 1)  # LOCATION over a VENUE, role right
    third_party = row(table, "role", "third_party", "overlap")
    assert (third_party.n_gold, third_party.found, third_party.recall) == (1, 0, 0.0)
    unknown = row(table, "role", "unknown", "overlap")
    assert (unknown.n_pred, unknown.fp, unknown.precision) == (1, 1, 0.0)


def test_spans_in_other_fields_never_match() -> None:
    other_field = predicted([("incident.location_detail", 0, 4, "PERSON", "offender", "X")])
    table = span_scores(other_field, gold(GOLD), "entity_type")
    assert row(table, "entity_type", "PERSON", "overlap").found == 0


def test_recogniser_breakdown_gives_precision_and_gold_found_per_recogniser() -> None:
    table = recognizer_scores(predicted(PREDICTED), gold(GOLD)).set_index("recognizer")
    spacy = table.loc["SpacyRecognizer"]
    assert (spacy.n_pred, spacy.correct_overlap, spacy.gold_found) == (3, 1, 1)
    assert spacy.precision_overlap == pytest.approx(1 / 3)
    phone = table.loc["UkPhoneRecognizer"]
    assert (phone.correct_overlap, phone.correct_exact, phone.gold_found) == (1, 0, 1)
    assert phone.share_of_gold == 0.25
    assert "StructuredFields" not in table.index


# --- what survives into a release --------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "entity_type", "text", "expected"),
    [
        # phones compare by digits, whatever the spacing or prefix
        pytest.param(
            "07911 123456", "PHONE_NUMBER", "call 07911123456 now", True, id="phone spaces removed"
        ),
        pytest.param(
            "07911123456",
            "PHONE_NUMBER",
            "ring +44 (0)7911-123-456",
            True,
            id="phone international",
        ),
        pytest.param(
            "07911 123456", "PHONE_NUMBER", "ring 447911123456", True, id="phone 44 no plus"
        ),
        pytest.param(
            "07911 123456", "PHONE_NUMBER", "[number removed] at 22:30", False, id="phone removed"
        ),
        pytest.param(
            "07911 123456", "PHONE_NUMBER", "07911 123457", False, id="phone one digit off"
        ),
        pytest.param(
            "oh seven nine one one",
            "PHONE_NUMBER",
            "said Oh  seven nine one one",
            True,
            id="phone in words",
        ),
        # names match whole words only, case and spacing folded
        pytest.param("Jo", "PERSON", "Ask Jones, enjoy", False, id="short name inside words"),
        pytest.param("Jo", "PERSON", "it was JO's flat", True, id="short name before apostrophe"),
        pytest.param("Amber", "PERSON", "the amber light", True, id="working name as common word"),
        pytest.param("Amber", "PERSON", "Ambers and ambergris", False, id="name as prefix"),
        # bare numbers (ages, flat numbers) stand alone, not inside a time or a date
        pytest.param("19", "AGE", "I'm 19, and he", True, id="age alone"),
        pytest.param(
            "19", "AGE", "at 19:30 on 2025-03-19 or 19.5", False, id="age in time or date"
        ),
        pytest.param("4B", "PREMISES_NUMBER", "flat 4b.", True, id="flat number at sentence end"),
        pytest.param(
            "Premier  Inn", "VENUE", "at the premier\ninn on", True, id="venue spacing folded"
        ),
        # plates and postcodes with or without spaces
        pytest.param("MA19 KXZ", "VEHICLE_REGISTRATION", "reg ma19kxz", True, id="plate squashed"),
        pytest.param(
            "MA19KXZ", "VEHICLE_REGISTRATION", "reg M A 1 9 K X Z", True, id="plate spaced"
        ),
        pytest.param(
            "MA19 KXZ", "VEHICLE_REGISTRATION", "reg XMA19KXZ", False, id="plate inside longer"
        ),
        pytest.param("M1 1EA", "UK_POSTCODE", "near M11EA.", True, id="postcode squashed"),
        # emails and handles in canonical form
        pytest.param(
            "Candy.Escort@Example.com",
            "EMAIL_ADDRESS",
            "mail candy.escort@example.com",
            True,
            id="email case",
        ),
        pytest.param(
            "jo@example.com",
            "EMAIL_ADDRESS",
            "mail bobjo@example.com",
            False,
            id="email inside longer",
        ),
        pytest.param("@candyxx_mcr", "HANDLE", "insta CandyXX_MCR!", True, id="handle without at"),
    ],
)
def test_survives_compares_canonically_and_word_bounded(
    value: str, entity_type: str, text: str, expected: bool
) -> None:
    assert survives(value, entity_type, text) is expected


REPORT = {
    "format": 1,
    "report_id": "R-T-1",
    "received_at": "2026-03-14T22:05:00Z",
    "channel": "support_project",
    "reporter": {
        "via_project": "Beacon Project",
        "known_identifiers": {"names": ["Candy"], "phones": ["07700 900123"]},
    },
    "consent": {"alert": True, "intelligence": False, "police_contact": False},
    "incident": {"location_detail": "Rosie's, Lever Street"},
    "offenders": [
        {
            "names_used": ["Dave"],
            "phones": ["07700 900461", "07700900123"],  # the second is the reporter's: a form error
            "vehicles": [{"registration": "MA19 KXZ"}],
        }
    ],
    "narrative": "Dave rang from 07700 900461. My maid Jo saw him at Rosie's.",
}


def annotated() -> AnnotatedReport:
    """One hand-made annotated report."""
    received = parse_report(REPORT)
    narrative = REPORT["narrative"]

    def span(field: str, text: str, entity: Entity, role: Role) -> GoldSpan:
        source = narrative if field == "narrative" else REPORT["incident"]["location_detail"]
        start = source.index(text)
        return GoldSpan(field, start, start + len(text), text, entity, role)

    return AnnotatedReport(
        received,
        [
            span("narrative", "Dave", Entity.PERSON, Role.OFFENDER),
            span("narrative", "07700 900461", Entity.PHONE_NUMBER, Role.OFFENDER),
            span("narrative", "Jo", Entity.PERSON, Role.THIRD_PARTY),
            span("narrative", "Rosie's", Entity.VENUE, Role.VENUE),
            span("incident.location_detail", "Lever Street", Entity.STREET_ADDRESS, Role.VENUE),
        ],
        (),
    )


def test_must_go_items_are_gold_must_go_spans_known_identifiers_and_the_project() -> None:
    items = must_go_items([annotated()])
    assert sorted(zip(items.source, items.field, items.role, strict=True)) == [
        ("gold", "incident.location_detail", "venue"),
        ("gold", "narrative", "third_party"),
        ("gold", "narrative", "venue"),
        ("known", "reporter.known_identifiers.names[0]", "reporter"),
        ("known", "reporter.known_identifiers.phones[0]", "reporter"),
        ("known", "reporter.via_project", "reporter"),
    ]


def test_keep_items_skip_a_structured_value_that_is_the_reporters() -> None:
    items = keep_items([annotated()])
    assert sorted(items.field) == [
        "narrative",
        "narrative",
        "offenders[0].names_used[0]",
        "offenders[0].phones[0]",
        "offenders[0].vehicles[0].registration",
    ]


def test_present_in_finds_leaks_in_html_and_reformatted_numbers_not_in_placeholders() -> None:
    release = {
        "narrative": "Dave rang from [number removed]. My maid [name removed] saw him at "
        "[venue removed].",
        "offenders": [{"names_used": ["Dave"], "phones": ["07700 900461"]}],
        "alert": {"email": "<p>Seen near Rosie&#x27;s, call 0770-090-0123</p>"},
    }
    leaks = present_in(must_go_items([annotated()]), {"R-T-1": release}, "release")
    leaked = leaks[leaks.present].set_index("field").found_in.to_dict()
    assert leaked == {
        "narrative": "release.alert.email",
        "reporter.known_identifiers.phones[0]": "release.alert.email",
    }


def test_narrative_part_checks_only_narrative_spans_against_the_redacted_narrative() -> None:
    release = {"narrative": "at Rosie's on Lever Street", "alert": {"sms": "Dave 07700 900461"}}
    items = must_go_items([annotated()])
    narrative = present_in(items, {"R-T-1": release}, "narrative")
    assert set(narrative.field) == {"narrative"}
    assert narrative.set_index("text").present.to_dict() == {"Jo": False, "Rosie's": True}
    kept = present_in(keep_items([annotated()]), {"R-T-1": release}, "narrative")
    assert not kept.present.any()  # the offender's name and phone are only in the alert
    kept_anywhere = present_in(keep_items([annotated()]), {"R-T-1": release}, "release")
    assert kept_anywhere.set_index("field").present.to_dict()["offenders[0].phones[0]"]


def decoy_report() -> AnnotatedReport:
    """Reporter and offender both called Will, a decoy 'will', and an amber car beside Amber."""
    text = "Caller Amber met Will. Will said against my will he'd come back. Amber Corsa outside."
    received = parse_report(
        {
            **REPORT,
            "report_id": "R-T-2",
            "narrative": text,
            "reporter": {"known_identifiers": {"names": ["Amber"]}},
            "offenders": [{"names_used": ["Will"]}],
        }
    )
    return AnnotatedReport(
        received,
        [
            GoldSpan("narrative", 7, 12, "Amber", Entity.PERSON, Role.REPORTER),
            GoldSpan("narrative", 17, 21, "Will", Entity.PERSON, Role.THIRD_PARTY),
            GoldSpan("narrative", 23, 27, "Will", Entity.PERSON, Role.OFFENDER),
        ],
        ("decoy",),
    )


@pytest.mark.parametrize(
    ("narrative", "leaked"),
    [
        pytest.param(
            "Caller [name removed] met [name removed]. Will said against my will he'd "
            "come back. Amber Corsa outside.",
            [],
            id="decoys and the offender's name stay",
        ),
        pytest.param(
            "Caller Amber met [name removed]. Will said against my will he'd come back. "
            "Amber Corsa outside.",
            ["Amber", "Amber"],
            id="the reporter's name too",
        ),
        pytest.param(
            "Caller [name removed] met Will. Will said against my will he'd come back. "
            "Amber Corsa outside.",
            ["Will"],
            id="the friend who shares his name",
        ),
    ],
)
def test_a_value_leaks_only_beyond_its_legitimate_occurrences(
    narrative: str, leaked: list[str]
) -> None:
    corpus = [decoy_report()]
    items = must_go_items(corpus)
    found = present_in(
        items, {"R-T-2": {"narrative": narrative}}, "release", evaluation.allowed_sources(corpus)
    )
    assert sorted(found[found.present].text) == sorted(leaked)


def test_occurrences_counts_canonical_matches() -> None:
    two_ways = "07700900461 or +447700 900461"
    assert evaluation.occurrences("07700 900461", "PHONE_NUMBER", two_ways) == 2
    assert evaluation.occurrences("Will", "PERSON", "Will, will, willing") == 2


def test_evaluate_runs_gives_leak_and_keep_rates_per_part_and_hides_values() -> None:
    corpus = [annotated()]
    release = {
        "narrative": "Dave rang from 07700 900461. My maid Jo saw him at [venue removed].",
        "offenders": [
            {
                "names_used": ["Dave"],
                "phones": ["07700 900461"],
                "vehicles": [{"registration": "MA19KXZ"}],
            }
        ],
    }
    run = SystemRun("ours", predicted([]).assign(report_id="R-T-1"), {"R-T-1": release})
    result = evaluate_runs(corpus, [run])
    summary = result.summary.set_index("part")
    counts = ["must_go", "leaked", "must_keep", "kept"]
    assert summary.loc["narrative", counts].tolist() == [2, 1, 2, 2]
    assert summary.loc["release", counts].tolist() == [6, 1, 5, 5]
    assert summary.loc["release", "leak_rate"] == pytest.approx(1 / 6)
    assert "text" not in result.tables()["leaks"].columns
    assert result.tables(show_values=True)["leaks"].text.tolist() == ["Jo", "Jo"]


def test_gold_frame_numbers_every_gold_span() -> None:
    frame = gold_frame([annotated()])
    assert frame.gold_id.tolist() == [0, 1, 2, 3, 4]
    assert set(frame.columns) >= {"report_id", "field", "start", "end", "entity_type", "role"}


# --- mugs evaluate -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def spacy_only_analyzer():
    """An analyzer with only spaCy's NER: independent of which recognisers are being written."""
    from pipeline.analysis import Analyzer
    from pipeline.config import load_analysis_config

    return Analyzer(load_analysis_config(str(SPACY_ONLY_CONFIG)))


@pytest.fixture()
def cli(monkeypatch: pytest.MonkeyPatch, spacy_only_analyzer):
    """``mugs`` with the spaCy-only analyzer and without the alert/record drafting."""
    import pipeline.cli.evaluate_commands as commands
    import pipeline.outputs as outputs
    from pipeline.cli import main

    monkeypatch.setattr(commands, "get_analyzer", lambda: spacy_only_analyzer)
    monkeypatch.setattr(outputs, "add_outputs", lambda release, review, received: None)
    return main


def test_cli_prints_rates_and_scores_for_ours_and_presidio_and_writes_tables(
    cli, spacy_only_analyzer, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    arguments = ["evaluate", str(SMALL_CORPUS), "--baseline", "presidio", "--out", str(tmp_path)]
    assert cli(arguments) == 0
    printed = capsys.readouterr().out
    expected = evaluation.evaluate_corpus(
        load_corpus(SMALL_CORPUS), baseline="presidio", analyzer=spacy_only_analyzer
    )
    for record in expected.summary.itertuples():
        assert f"{record.leaked}/{record.must_go} ({record.leak_rate:.1%})" in printed
        assert f"{record.kept}/{record.must_keep} ({record.keep_rate:.1%})" in printed
    overall = expected.entities.query("system == 'ours' and entity_type == 'ALL'")
    for value in overall.f2:
        assert f"{value:.3f}" in printed
    assert "per role" in printed and "Per recogniser" in printed
    for name in ("summary", "entities", "roles", "recognizers", "leaks", "losses"):
        assert (tmp_path / f"{name}.csv").is_file()
        assert json.loads((tmp_path / f"{name}.json").read_text()) is not None
    written = pd.read_csv(tmp_path / "summary.csv")
    assert written.system.tolist() == ["ours", "ours", "presidio", "presidio"]
    assert set(pd.read_csv(tmp_path / "roles.csv").system) == {"ours"}


def test_cli_never_prints_report_values_unless_asked(
    cli, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli(["evaluate", str(SMALL_CORPUS), "--baseline", "presidio", "--format", "json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["leaks"], "the spaCy-only analyzer should leak something in this corpus"
    assert all("text" not in leak for leak in payload["leaks"] + payload["losses"])
    values = {span.text for report in load_corpus(SMALL_CORPUS) for span in report.gold}
    leaked_ids = {leak["report_id"] for leak in payload["leaks"]}
    assert leaked_ids
    flat = json.dumps(payload)
    assert not [value for value in values if len(value) >= 4 and f'"{value}"' in flat]

    assert cli(["evaluate", str(SMALL_CORPUS), "--format", "csv", "--show-values"]) == 0
    shown = capsys.readouterr().out
    assert "# leaks" in shown and ",text" in shown.split("# leaks", 1)[1].splitlines()[1]


# --- the guarantee, on the project's corpus --------------------------------------------


@pytest.mark.slow
def test_project_corpus_has_no_leaks_and_keeps_offender_identifiers(analyzer) -> None:
    result = evaluation.evaluate_corpus(load_corpus(PROJECT_CORPUS), analyzer=analyzer)
    summary = result.summary.set_index("part")
    leaks = result.leaks[["part", "report_id", "field", "entity_type", "role"]]
    losses = result.losses[["part", "report_id", "field", "entity_type"]]
    assert summary.leaked.sum() == 0, f"leaks:\n{leaks.to_string()}"
    assert (summary.keep_rate >= 0.95).all(), (
        f"keep rates {summary.keep_rate.to_dict()}; lost:\n{losses.to_string()}"
    )
