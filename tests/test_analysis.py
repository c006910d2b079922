"""The analyzer: the recognisers it must load, offline loading, and what survives a whole draft."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.analysis import load_spacy
from pipeline.config import load_analysis_config
from pipeline.draft import draft_report
from pipeline.errors import ConfigError
from pipeline.intake import parse_report

EXPECTED_RECOGNIZERS = [
    "ProperNameRecognizer",
    "SpacyRecognizer",
    "UkPhoneRecognizer",
    "UkVehicleRegistrationRecognizer",
    "EmailAddressRecognizer",
    "HandleRecognizer",
    "UkPostcodeRecognizer",
    "StreetAddressRecognizer",
    "PremisesNumberRecognizer",
    "VenueRecognizer",
    "SelfReferenceRecognizer",
    "ThirdPartyRecognizer",
    "ReporterDescriptionRecognizer",
    "AgeRecognizer",
    "CompanionRecognizer",
    "SalutationRecognizer",
]
PER_REPORT_RECOGNIZERS = [
    "KnownIdentifierRecognizer",
    "SupportProjectRecognizer",
    "LocationDetailRecognizer",
]


def test_every_recognizer_is_loaded_into_the_engine(analyzer):
    assert sorted(analyzer.recognizer_names) == sorted(EXPECTED_RECOGNIZERS)


def test_no_us_or_bank_recognizers_make_noise(analyzer):
    names = " ".join(analyzer.recognizer_names)
    for unwanted in ("UsSsn", "UsLicense", "UsBank", "CreditCard", "Iban", "UsPassport"):
        assert unwanted not in names


def test_per_report_recognizers_are_built_for_each_report(analyzer):
    report = parse_report(REPORT).report
    names = sorted(r.name for r in analyzer.ad_hoc_recognizers(report))
    assert names == sorted(PER_REPORT_RECOGNIZERS)


def test_spacy_keeps_the_components_that_lemmas_and_roles_need(analyzer):
    for component in ("tagger", "attribute_ruler", "lemmatizer", "parser", "ner"):
        assert component in analyzer.nlp.pipe_names


def test_a_missing_model_is_a_clear_error_not_a_download():
    with pytest.raises(ConfigError, match="not an installed package"):
        load_spacy("en_core_web_nonexistent")


def test_tldextract_uses_its_bundled_list(analyzer):
    import tldextract.tldextract as module

    assert module.TLD_EXTRACTOR.suffix_list_urls == ()
    assert module.extract("someone@mail.example.co.uk".split("@")[1]).suffix == "co.uk"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        pytest.param(
            ("recognizers", "enabled", ["NoSuchRecognizer"]), "available:", id="unknown recogniser"
        ),
        pytest.param(
            ("analysis", "score_threshold", 3), "score_threshold", id="threshold out of range"
        ),
        pytest.param(("analysis", "fields", ["reporter.names"]), "allowed:", id="unknown field"),
    ],
)
def test_bad_configuration_names_the_file_and_key(tmp_path: Path, change, message):
    import tomllib

    from pipeline.analysis import Analyzer

    data = tomllib.loads(Path("pipeline/analysis.toml").read_text())
    section, key, value = change
    data[section][key] = value
    lines = []
    for name, table in data.items():
        for sub, subtable in [(k, v) for k, v in table.items() if isinstance(v, dict)]:
            lines.append(f"[{name}.{sub}]")
            lines += [f"{k} = {json.dumps(v)}" for k, v in subtable.items()]
        lines.append(f"[{name}]")
        lines += [f"{k} = {json.dumps(v)}" for k, v in table.items() if not isinstance(v, dict)]
    bad = tmp_path / "bad.toml"
    bad.write_text("\n".join(lines))
    with pytest.raises(ConfigError) as error:
        Analyzer(load_analysis_config(str(bad)))
    assert str(bad) in str(error.value) and message in str(error.value)


REPORT = {
    "format": 1,
    "report_id": "R-TEST-ANALYSIS",
    "received_at": "2026-03-14T22:05:00Z",
    "channel": "web",
    "reporter": {
        "via_project": "Harbour Women's Project",
        "known_identifiers": {
            "names": ["Sarah Louise Jones", "Candy"],
            "phones": ["07700 900123"],
            "emails": ["candy.escort@example.com"],
            "handles": ["candyxx_mcr"],
        },
    },
    "consent": {"alert": True, "intelligence": True, "police_contact": False},
    "incident": {
        "date": "2026-03-12",
        "time": "22:30",
        "area": "Manchester",
        "police_force": "Greater Manchester Police",
        "setting": "outcall",
        "location_detail": "Premier Inn, Portland Street, room 214",
        "types": ["robbery", "physical_assault"],
        "contact_method": "phone",
    },
    "offenders": [
        {
            "names_used": ["Dave"],
            "phones": ["07700 900461"],
            "vehicles": [
                {"make": "Ford", "model": "Focus", "colour": "silver", "registration": "MA19 KXZ"}
            ],
            "description": "White man, about 40, stocky, shaved head",
        }
    ],
    "narrative": "",
}

REPORTER_PHONE_FORMATS = [
    pytest.param("07700 900123", id="as known"),
    pytest.param("07700900123", id="no space"),
    pytest.param("+44 7700 900123", id="+44"),
    pytest.param("+44 (0)7700 900123", id="+44 (0)"),
    pytest.param("447700900123", id="447"),
    pytest.param("07700-900-123", id="dashes"),
    pytest.param("07700.900.123", id="dots"),
    pytest.param("0 7 7 0 0 9 0 0 1 2 3", id="spaced digits"),
    pytest.param("oh seven seven double oh nine double oh one two three", id="in words"),
    pytest.param("(07700) 900123", id="brackets"),
    pytest.param("07700 9OO l23", id="letters typed for digits"),
    pytest.param("seven seven zero zero nine zero zero one two three", id="words without the 0"),
]


def _draft(narrative: str) -> dict:
    data = json.loads(json.dumps(REPORT))
    data["narrative"] = narrative
    return draft_report(parse_report(data))


@pytest.mark.parametrize("written", REPORTER_PHONE_FORMATS)
def test_the_reporters_phone_never_survives_in_any_format(analyzer, written):
    draft = _draft(f"He rang me on {written} from 07700 900461 and booked an hour.")
    release = json.dumps(draft["release"])
    assert "900123" not in release.replace(" ", "").replace("-", "").replace(".", "")
    assert "one two three" not in release
    assert "07700 900461" in draft["release"]["narrative"]


@pytest.mark.parametrize(
    "mention",
    [
        pytest.param("I'm Candy", id="working name"),
        pytest.param("i'm CANDY", id="working name in capitals"),
        pytest.param("email me at candy.escort@example.com", id="email"),
        pytest.param("email me at candy dot escort at example dot com", id="email in words"),
        pytest.param("my insta is @CandyXX_MCR", id="handle in other case"),
        pytest.param("my real name is Sarah Jones", id="part of the legal name"),
        pytest.param("Harbour Women's Project helped me report", id="the support project"),
        pytest.param("we were at the premier inn, room 214", id="venue from the location detail"),
    ],
)
def test_reporter_and_venue_details_never_reach_the_release(analyzer, mention):
    draft = _draft(
        f"{mention}. He punched me and took £200. His car was a silver Focus, reg MA19 KXZ."
    )
    release = json.dumps(draft["release"]).lower()
    for value in ("candy", "escort", "sarah", "jones", "harbour", "premier", "214"):
        assert value not in release
    assert "MA19 KXZ" in draft["release"]["narrative"]


def test_offender_details_stay(analyzer):
    draft = _draft("Dave texted from 07700 900461. He drove a silver Ford Focus, reg MA19 KXZ.")
    narrative = draft["release"]["narrative"]
    assert "07700 900461" in narrative and "MA19 KXZ" in narrative and "Dave" in narrative
    assert draft["release"]["offenders"][0]["phones"] == ["07700 900461"]
    assert draft["release"]["offenders"][0]["vehicles"][0]["registration"] == "MA19 KXZ"


def test_nothing_outside_review_carries_a_removed_value(analyzer):
    draft = _draft("I'm Candy, my friend Kelly drove me to the Premier Inn on Portland Street.")
    removed = [f["text"] for f in draft["review"]["findings"] if f["action"] != "keep"]
    assert removed
    release = json.dumps(draft["release"])
    for value in removed:
        assert value not in release


def test_a_name_he_gave_with_a_rank_stays_and_passes_the_guard(analyzer):
    data = json.loads(json.dumps(REPORT))
    data["offenders"] = [{"names_used": ["Officer Brown"], "phones": ["07700 900461"]}]
    data["narrative"] = 'A man claiming to be "Officer Brown" rang from 07700 900461.'
    draft = draft_report(parse_report(data), analyzer)
    assert draft["review"]["guard"]["blocked"] == []
    assert "Officer Brown" in draft["release"]["narrative"]
