"""The annotated synthetic corpus loads, its gold spans are right, and it covers what it claims."""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from pathlib import Path

import pytest

from pipeline.corpus import AnnotatedReport, CorpusError, field_text, load_corpus
from pipeline.errors import MugsError
from pipeline.findings import Entity, Role
from pipeline.intake import read_path
from pipeline.report import IncidentType, Setting

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
CORPUS = FIXTURES / "corpus.jsonl"

DRAMA_RANGE = re.compile(
    r"""
    7700900\d{3}                   # mobiles 07700 900000-900999
    | 1(?:1[3-8]|[2-6]1)4960\d{3}  # 0113-0118 and 0121-0161 496 0xxx
    | 2079460\d{3}                 # London 020 7946 0xxx
    | 1914980\d{3}                 # Tyneside 0191 498 0xxx
    """,
    re.VERBOSE,
)
"""UK national significant numbers that Ofcom keeps for drama (no leading 0 or 44)."""

PHONE_LIKE_RUN = re.compile(r"\+?\(?\d[\d\s().-]{8,}\d")
"""Digits with the separators people write inside phone numbers (spaces, dashes, brackets)."""

UK_NUMBER_IN_DIGITS = re.compile(r"(?:44|0)(?P<nsn>[127]\d{9})")
"""A UK number in national (0...) or international (44...) form inside a string of bare digits."""


@pytest.fixture(scope="module")
def corpus() -> list[AnnotatedReport]:
    """The whole corpus, loaded once."""
    return load_corpus(CORPUS)


def test_corpus_loads_from_file_or_folder_with_at_least_150_reports(
    corpus: list[AnnotatedReport],
) -> None:
    assert len(corpus) >= 150
    assert [r.report_id for r in load_corpus(FIXTURES)] == [r.report_id for r in corpus]


def test_report_ids_are_unique(corpus: list[AnnotatedReport]) -> None:
    ids = [r.report_id for r in corpus]
    assert len(ids) == len(set(ids))


def test_every_gold_span_is_the_text_at_its_offsets(corpus: list[AnnotatedReport]) -> None:
    for annotated in corpus:
        for span in annotated.gold:
            text = field_text(annotated.received.report, span.field)
            assert text is not None, (annotated.report_id, span.field)
            assert text[span.start : span.end] == span.text, (annotated.report_id, span.field)
            assert span.text == span.text.strip() and span.text


def test_every_entity_type_and_role_is_a_pipeline_value(corpus: list[AnnotatedReport]) -> None:
    entities = {span.entity_type for r in corpus for span in r.gold}
    roles = {span.role for r in corpus for span in r.gold}
    assert entities <= set(Entity)
    assert roles <= set(Role)
    # The corpus exercises every entity type and every role at least once.
    assert entities == set(Entity)
    assert roles == set(Role)


def test_gold_spans_in_one_field_do_not_overlap(corpus: list[AnnotatedReport]) -> None:
    for annotated in corpus:
        by_field = sorted(annotated.gold, key=lambda s: (s.field, s.start))
        for first, second in zip(by_field, by_field[1:], strict=False):
            if first.field == second.field:
                assert first.end <= second.start, (annotated.report_id, first.field, first.start)


def test_at_least_a_third_of_reports_are_tagged_hard(corpus: list[AnnotatedReport]) -> None:
    hard = sum("hard" in r.tags for r in corpus)
    assert hard * 3 >= len(corpus)


def test_every_incident_type_setting_and_channel_appears(corpus: list[AnnotatedReport]) -> None:
    types = {t for r in corpus for t in r.received.report.incident.types}
    settings = {r.received.report.incident.setting for r in corpus}
    channels = {r.received.report.channel for r in corpus}
    assert types == set(IncidentType)
    assert set(Setting) <= settings
    assert {"web", "app", "phone", "email", "support_project"} == {str(c) for c in channels}


def test_corpus_has_the_deliberately_awkward_cases(corpus: list[AnnotatedReport]) -> None:
    tags = Counter(tag for r in corpus for tag in r.tags)
    for tag in (
        "unicode",
        "empty_narrative",
        "no_offender_ids",
        "several_phones",
        "long",
        "obfuscated_number",
        "obfuscated_email",
        "both_numbers",
        "common_word_name",
        "person_like_venue",
        "chain_hotel",
        "partial_plate",
        "identifier_variant",
        "unknown_owner",
        "reporter_age",
        "reporter_nationality",
        "advert_url",
    ):
        assert tags[tag] >= 1, tag
    assert tags["long"] >= 5


def uk_numbers_outside_drama_ranges(text: str) -> tuple[int, list[str]]:
    """How many UK phone numbers *text* holds, and those outside Ofcom's drama ranges."""
    text = unicodedata.normalize("NFKC", text)
    text = re.sub("[\u200b\u200c\u200d\u2060\ufeff\u00ad]", "", text)
    found = 0
    outside = []
    for run in PHONE_LIKE_RUN.finditer(text):
        digits = re.sub(r"\D", "", run.group())
        for number in UK_NUMBER_IN_DIGITS.finditer(digits):
            found += 1
            if not DRAMA_RANGE.fullmatch(number["nsn"]):
                outside.append(number["nsn"])
    return found, outside


@pytest.mark.parametrize(
    ("text", "outside"),
    [
        pytest.param("rang from 07700 900461", [], id="drama mobile"),
        pytest.param("call 0113 496 0123 or 020 7946 0999", [], id="drama landlines"),
        pytest.param("+44 (0)7700 900461 or 447700900461", [], id="drama international forms"),
        pytest.param("0 7 7 0 0 9 0 0 4 6 1", [], id="drama spaced digits"),
        pytest.param("\uff10\uff17\uff17\uff10\uff10 900461", [], id="drama full-width"),
        pytest.param("my number is 07911 123456", ["7911123456"], id="real mobile range"),
        pytest.param("ring 07700-901-461", ["7700901461"], id="07700 outside 900xxx"),
        pytest.param("+44 20 7946 1234", ["2079461234"], id="London outside 7946 0xxx"),
        pytest.param("0161 496 1234", ["1614961234"], id="Manchester outside 496 0xxx"),
    ],
)
def test_drama_range_check_flags_real_looking_numbers(text: str, outside: list[str]) -> None:
    found, flagged = uk_numbers_outside_drama_ranges(text)
    assert found == 1 + text.count(" or ")
    assert flagged == outside


def test_every_phone_number_in_every_report_is_in_ofcom_drama_ranges() -> None:
    # Reads the raw lines, so numbers in every field (known identifiers, offenders, narrative,
    # full-width digits once normalised) are checked, annotated or not.
    total = 0
    for line in CORPUS.read_text(encoding="utf-8").splitlines():
        report = json.loads(line)["report"]
        found, outside = uk_numbers_outside_drama_ranges(json.dumps(report, ensure_ascii=False))
        total += found
        assert outside == [], report["report_id"]
    assert total > 300


def test_no_number_is_a_reporters_in_one_report_and_someone_elses_in_another(
    corpus: list[AnnotatedReport],
) -> None:
    # A shared number would make cross-report linking tie a reporter to an offender.
    owners: dict[str, set[tuple[str, str]]] = {}
    for annotated in corpus:
        report = annotated.received.report
        numbers = [(p, "reporter") for p in report.reporter.known_identifiers.phones]
        numbers += [(p, "offender") for o in report.offenders for p in o.phones]
        numbers += [
            (s.text, str(s.role)) for s in annotated.gold if s.entity_type == Entity.PHONE_NUMBER
        ]
        for text, role in numbers:
            digits = re.sub(r"\D", "", unicodedata.normalize("NFKC", text))
            if len(digits) >= 10:
                owners.setdefault(digits[-10:], set()).add((annotated.report_id, role))
    for number, seen in owners.items():
        roles = {role for _, role in seen}
        reporters = {report_id for report_id, role in seen if role == "reporter"}
        shared = len({report_id for report_id, _ in seen}) > 1
        assert not ("reporter" in roles and len(roles) > 1 and shared), number
        assert len(reporters) <= 1, number


def test_a_span_whose_text_does_not_match_is_refused_naming_report_not_text(
    tmp_path: Path,
) -> None:
    line = json.loads(CORPUS.read_text(encoding="utf-8").splitlines()[0])
    span = line["gold"][0]
    span["start"] += 1
    (tmp_path / "corpus.jsonl").write_text(json.dumps(line) + "\n", encoding="utf-8")
    with pytest.raises(MugsError) as raised:
        load_corpus(tmp_path)
    message = str(raised.value)
    assert line["report"]["report_id"] in message and "gold span 0" in message
    assert span["text"] not in message


def test_an_unknown_entity_type_is_refused_with_the_valid_choices(tmp_path: Path) -> None:
    line = json.loads(CORPUS.read_text(encoding="utf-8").splitlines()[0])
    line["gold"][0]["entity_type"] = "PHONE"
    path = tmp_path / "bad.jsonl"
    path.write_text(json.dumps(line) + "\n", encoding="utf-8")
    with pytest.raises(CorpusError, match="PHONE_NUMBER"):
        load_corpus(path)


def test_a_missing_corpus_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(CorpusError, match="no such corpus file"):
        load_corpus(tmp_path)


def test_samples_read_as_intended_good_reports_and_four_bad_lines_with_one_good() -> None:
    samples = FIXTURES / "samples"
    for path in sorted(samples.glob("*.json")) + [samples / "batch.jsonl"]:
        results = list(read_path(path))
        assert results and all(not isinstance(r, MugsError) for r in results), path.name
    bad = list(read_path(samples / "bad_batch.jsonl"))
    problems = [r for r in bad if isinstance(r, MugsError)]
    assert len(bad) == 4 and len(problems) == 3
    assert {p.field for p in problems} == {"consent", "incident.types[1]", "incident.date"}
