"""The SCAS intelligence record: consent, keyed reference, golden records, parsing, CSV export."""

from __future__ import annotations

import functools
import importlib.util
import io
import json
import re
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from pipeline.drafting import time_window
from pipeline.errors import ConfigError
from pipeline.intake import parse_report
from pipeline.intelligence import (
    DEFAULT_INTELLIGENCE_CONFIG,
    age_range,
    describe_offender,
    draft_intelligence,
    general_setting,
    intelligence_frame,
    load_intelligence_config,
    offence_categories,
    pseudonymous_reference,
    words_used,
)

GOLDEN = Path(__file__).resolve().parent.parent / "fixtures" / "golden" / "golden_cases.py"
_spec = importlib.util.spec_from_file_location("golden_cases_intelligence", GOLDEN)
assert _spec and _spec.loader
golden = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(golden)
rendered = functools.cache(golden.render_case)
"""Each golden case rendered once per test session."""

KEY = b"test-key-32-bytes-long-not-secret"


def _report(intelligence: bool = True, report_id: str = "R-TEST-0001", **overrides: Any):
    data = {
        "format": 1,
        "report_id": report_id,
        "received_at": "2025-03-13T15:03:00Z",
        "channel": "web",
        "consent": {"alert": True, "intelligence": intelligence, "police_contact": False},
        "narrative": "",
    }
    data.update(overrides)
    return parse_report(data).report


def _core(narrative: str = "He punched me.", **incident: Any) -> dict[str, Any]:
    base = {
        "date": "2025-03-12",
        "time": "22:30",
        "part_of_day": "night",
        "area": "Leeds",
        "police_force": "West Yorkshire Police",
        "setting": "outcall",
        "types": ["physical_assault"],
        "contact_method": "phone",
    }
    base.update(incident)
    return {
        "narrative": narrative,
        "incident": base,
        "offenders": [
            {
                "names_used": ["Dave"],
                "phones": ["07700900461"],
                "emails": [],
                "usernames": [],
                "vehicles": [
                    {
                        "make": "Ford",
                        "model": "Focus",
                        "colour": "silver",
                        "registration": "MA19KXZ",
                    }
                ],
                "description": "White man, about 40, stocky",
            }
        ],
    }


# --- consent --------------------------------------------------------------------------------------


def test_no_record_without_intelligence_consent() -> None:
    assert draft_intelligence(_core(), _report(intelligence=False), key=KEY) is None


def test_a_record_with_intelligence_consent() -> None:
    record = draft_intelligence(_core(), _report(intelligence=True), key=KEY)
    assert record is not None
    assert record["offence_categories"] == ["Violence against the person: assault"]


def test_golden_case_without_consent_has_a_null_record() -> None:
    text = (
        golden.CASES_DIR / "indoor_two_offenders_no_intelligence" / "intelligence.json"
    ).read_text()
    assert json.loads(text) is None


# --- golden records -------------------------------------------------------------------------------


@pytest.mark.parametrize("case", golden.case_names())
def test_intelligence_record_matches_golden_file(case: str) -> None:
    expected = (golden.CASES_DIR / case / "intelligence.json").read_text(encoding="utf-8")
    assert rendered(case)["intelligence.json"] == expected, (
        f"{case}/intelligence.json changed; if on purpose, run "
        "python fixtures/golden/golden_cases.py --update-golden and review the diff"
    )


# --- the pseudonymous reference -------------------------------------------------------------------


def test_reference_is_stable_keyed_and_does_not_show_the_report_id() -> None:
    first = pseudonymous_reference("R-2025-000417", KEY)
    assert first == pseudonymous_reference("R-2025-000417", KEY)
    assert first != pseudonymous_reference("R-2025-000418", KEY)
    assert first != pseudonymous_reference("R-2025-000417", b"another-key")
    assert re.fullmatch(r"SCAS-[a-z2-7]{16}", first)
    assert "000417" not in first


def test_an_empty_key_is_refused() -> None:
    with pytest.raises(ConfigError, match="key"):
        pseudonymous_reference("R-1", b"")


# --- pieces ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("types", "expected"),
    [
        pytest.param(
            ["rape", "kidnap"],
            ["Sexual offences: rape", "Kidnap and false imprisonment"],
            id="rape and kidnap",
        ),
        pytest.param(
            ["harassment", "stalking"], ["Stalking and harassment"], id="shared category once"
        ),
        pytest.param([], [], id="no types"),
    ],
)
def test_incident_types_map_to_offence_categories(types: list[str], expected: list[str]) -> None:
    assert offence_categories(types) == expected


@pytest.mark.parametrize(
    ("time", "expected"),
    [
        pytest.param("22:30", "22:00–23:59", id="late evening"),
        pytest.param("00:05", "00:00–01:59", id="just after midnight"),
        pytest.param("13:00", "12:00–13:59", id="on the hour"),
        pytest.param(None, None, id="unknown"),
    ],
)
def test_time_window(time: str | None, expected: str | None) -> None:
    assert time_window(time) == expected


@pytest.mark.parametrize(
    ("setting", "account", "expected"),
    [
        pytest.param(
            "outcall",
            "He was waiting in the hotel car park.",
            "outcall to a hotel",
            id="hotel word",
        ),
        pytest.param(
            "outcall", "The worker went to a venue.", "outcall", id="a removed venue says nothing"
        ),
        pytest.param("outcall", "A house in St Pauls.", "outcall to a private address", id="house"),
        pytest.param(
            "indoor",
            "A sauna in Anderston.",
            "indoor premises (sauna or massage parlour)",
            id="sauna",
        ),
        pytest.param("street", "No names or car.", "street", id="a car not used is not a pick-up"),
        pytest.param(
            "street",
            "He picked the worker up in a van.",
            "street: picked up in a vehicle",
            id="picked up",
        ),
        pytest.param(None, "anything", None, id="unknown setting"),
    ],
)
def test_setting_in_general_terms(setting: str | None, account: str, expected: str | None) -> None:
    assert general_setting(setting, account) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("about 40", "35–45", id="about"),
        pytest.param("mid 30s", "33–36", id="mid decade"),
        pytest.param("late 20s", "26–29", id="late decade"),
        pytest.param("45 to 50", "45–50", id="range"),
        pytest.param("18 or 19", "18–19", id="either"),
        pytest.param("60ish", "55–65", id="ish"),
        pytest.param("50s", "50–59", id="decade"),
        pytest.param("late teens", "17–19", id="late teens"),
        pytest.param("tall", None, id="no age"),
    ],
)
def test_age_range_from_free_text(text: str, expected: str | None) -> None:
    assert age_range(text) == expected


@pytest.mark.parametrize(
    ("description", "expected"),
    [
        pytest.param(
            "White man, about 40, stocky, shaved head, local accent, "
            "tattoo of a swallow on his left hand",
            {
                "sex": "male",
                "age_range": "35–45",
                "height": None,
                "build": "stocky",
                "ethnicity": "White",
                "hair": "shaved head",
                "marks": ["tattoo of a swallow on his left hand"],
                "accent": "local accent",
                "other": [],
            },
            id="full description",
        ),
        pytest.param(
            "White man, about 30, 5ft 10, slim, Geordie accent, "
            "scar through left eyebrow, Newcastle United shirt",
            {
                "sex": "male",
                "age_range": "25–35",
                "height": "5ft 10",
                "build": "slim",
                "ethnicity": "White",
                "hair": None,
                "marks": ["scar through left eyebrow"],
                "accent": "Geordie accent",
                "other": ["Newcastle United shirt"],
            },
            id="height in feet and inches",
        ),
        pytest.param(
            "Black man, mid 30s, muscular, dreadlocks tied back, black puffer jacket",
            {
                "sex": "male",
                "age_range": "33–36",
                "height": None,
                "build": "muscular",
                "ethnicity": "Black",
                "hair": "dreadlocks tied back",
                "marks": [],
                "accent": None,
                "other": ["black puffer jacket"],
            },
            id="black jacket is not an ethnicity",
        ),
        pytest.param(
            "Two men, both white, 30s, one very tall with a shaved head",
            {
                "sex": "male",
                "age_range": "30–39",
                "height": None,
                "build": None,
                "ethnicity": "White",
                "hair": "one very tall with a shaved head",
                "marks": [],
                "accent": None,
                "other": [],
            },
            id="group",
        ),
        pytest.param(
            "Tall white man around 35, electrician van logo on his polo shirt",
            {
                "sex": "male",
                "age_range": "30–40",
                "height": "Tall",
                "build": None,
                "ethnicity": "White",
                "hair": None,
                "marks": [],
                "accent": None,
                "other": ["electrician van logo on his polo shirt"],
            },
            id="height, ethnicity and age in one part; a detail that says his",
        ),
        pytest.param(
            None,
            {
                "sex": None,
                "age_range": None,
                "height": None,
                "build": None,
                "ethnicity": None,
                "hair": None,
                "marks": [],
                "accent": None,
                "other": [],
            },
            id="no description",
        ),
    ],
)
def test_description_is_split_into_attributes(
    description: str | None, expected: dict[str, Any]
) -> None:
    assert describe_offender(description) == expected


def test_words_used_are_his_quoted_words_not_names_or_scare_quotes() -> None:
    narrative = (
        'A man known as "Big Al" said "you\'ll do what I say" and called it a "deposit". '
        'Client "Matt" said \u201cwe know where you live\u201d.'
    )
    assert words_used(narrative, ["Matt"]) == ["you'll do what I say", "we know where you live"]


def test_modus_operandi_comes_from_keyword_tables() -> None:
    narrative = (
        "He locked the doors and drove for forty minutes. He pulled a knife, punched me and "
        "took the condom off. I managed to get out and ran down the road."
    )
    record = draft_intelligence(_core(narrative), _report(), key=KEY)
    assert record is not None
    mo = record["modus_operandi"]
    assert "locked the worker in" in mo["control"]
    assert "drove the worker away" in mo["control"]
    assert mo["weapons"] == ["knife"]
    assert "punched" in mo["violence"]
    assert mo["sexual_acts"] == ["condom removed without consent"]
    assert "the worker ran or got away" in mo["escape"]


def test_record_never_reads_the_raw_report_text() -> None:
    report = _report(
        narrative="RAW-NARRATIVE-SECRET",
        reporter={
            "known_identifiers": {"names": ["Sarah Secret"]},
            "via_project": "Secret Project",
        },
        incident={"location_detail": "Secret Hotel, room 9"},
    )
    dumped = json.dumps(draft_intelligence(_core(), report, key=KEY))
    for secret in ("RAW-NARRATIVE-SECRET", "Sarah Secret", "Secret Project", "Secret Hotel"):
        assert secret not in dumped


# --- export ---------------------------------------------------------------------------------------


def test_frame_has_one_row_per_offender_and_flat_lists() -> None:
    two = _core()
    two["offenders"].append(
        {
            "names_used": ["Mo", "Mohammed"],
            "phones": [],
            "emails": [],
            "usernames": [],
            "vehicles": [],
            "description": None,
        }
    )
    records = [
        draft_intelligence(two, _report(report_id="R-1"), key=KEY),
        draft_intelligence(_core(), _report(intelligence=False, report_id="R-2"), key=KEY),
        draft_intelligence({**_core(), "offenders": []}, _report(report_id="R-3"), key=KEY),
    ]
    frame = intelligence_frame(records)
    assert len(frame) == 3  # two offenders of R-1, one row for R-3, nothing for R-2 (no consent)
    assert frame["offender_number"].tolist()[:2] == [1, 2]
    assert pd.isna(frame["offender_number"].iloc[2])
    assert frame["names_used"].iloc[1] == "Mo; Mohammed"
    assert frame["vehicles"].iloc[0] == "silver Ford Focus MA19 KXZ"
    assert frame["offender_age_range"].iloc[0] == "35–45"
    csv = frame.to_csv(index=False)
    assert pd.read_csv(io.StringIO(csv)).shape == frame.shape
    assert not any(isinstance(v, list) for v in frame.to_dict("list").values() for v in v)


def test_a_bad_pattern_in_the_config_names_the_key(tmp_path: Path) -> None:
    text = DEFAULT_INTELLIGENCE_CONFIG.read_text(encoding="utf-8")
    bad = tmp_path / "intelligence.toml"
    bad.write_text(text.replace("'\\bknife'", "'(knife'"))
    with pytest.raises(ConfigError) as error:
        load_intelligence_config(str(bad))
    assert str(bad) in str(error.value)
    assert "weapons.knife" in str(error.value)
