"""Completeness scores, and the questions a caseworker can ask, for the alert and the record."""

from __future__ import annotations

import functools
import importlib.util
from pathlib import Path
from typing import Any

import pytest

from pipeline.completeness import (
    CHECKS,
    DEFAULT_COMPLETENESS_CONFIG,
    load_completeness_config,
    score_completeness,
)
from pipeline.errors import ConfigError
from pipeline.intake import parse_report

GOLDEN = Path(__file__).resolve().parent.parent / "fixtures" / "golden" / "golden_cases.py"
_spec = importlib.util.spec_from_file_location("golden_cases_completeness", GOLDEN)
assert _spec and _spec.loader
golden = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(golden)
rendered = functools.cache(golden.render_case)
"""Each golden case rendered once per test session."""

FULL_NARRATIVE = (
    "He booked an outcall by phone and when I arrived he locked the door, punched me twice and "
    'took my phone and all the cash I had. He said "you will regret telling anyone" and I ran out '
    "when he "
    "went to the bathroom. Silver Ford Focus outside."
)


def _report(intelligence: bool = True):
    return parse_report(
        {
            "format": 1,
            "report_id": "R-TEST-0001",
            "received_at": "2025-03-13T15:03:00Z",
            "channel": "web",
            "consent": {"alert": True, "intelligence": intelligence, "police_contact": False},
            "narrative": "",
        }
    ).report


def _full_core() -> dict[str, Any]:
    return {
        "narrative": FULL_NARRATIVE,
        "incident": {
            "date": "2025-03-12",
            "time": "22:30",
            "part_of_day": "night",
            "area": "Leeds",
            "police_force": "West Yorkshire Police",
            "setting": "outcall",
            "types": ["robbery", "physical_assault"],
            "contact_method": "phone",
        },
        "offenders": [
            {
                "names_used": ["Dave"],
                "phones": ["07700 900461"],
                "emails": [],
                "usernames": [],
                "vehicles": [
                    {
                        "make": "Ford",
                        "model": "Focus",
                        "colour": "silver",
                        "registration": "MA19 KXZ",
                    }
                ],
                "description": (
                    "White man, about 40, 6ft, stocky, shaved head, local accent, "
                    "swallow tattoo on hand"
                ),
            }
        ],
    }


@pytest.mark.parametrize("case", golden.case_names())
def test_completeness_matches_golden_file(case: str) -> None:
    expected = (golden.CASES_DIR / case / "completeness.json").read_text(encoding="utf-8")
    assert rendered(case)["completeness.json"] == expected


def test_a_full_report_scores_100_with_nothing_to_ask() -> None:
    result = score_completeness(_full_core(), _report())
    assert result == {
        "alert": {"score": 100, "missing": []},
        "intelligence": {"score": 100, "missing": []},
    }


def test_no_intelligence_score_without_consent() -> None:
    result = score_completeness(_full_core(), _report(intelligence=False))
    assert result["intelligence"] is None
    assert result["alert"]["score"] == 100


def test_missing_facts_become_questions_for_the_member() -> None:
    core = _full_core()
    core["incident"].update(time=None, part_of_day=None)
    core["offenders"][0]["vehicles"][0]["registration"] = None
    core["offenders"][0]["description"] = "White man, about 40"
    result = score_completeness(core, _report())
    assert result["alert"]["missing"] == [
        "What time of day did it happen?",
        "Can you describe his height and build?",
        "Do you know the car's registration, even part of it?",
    ]
    assert 0 < result["alert"]["score"] < 100
    assert (
        "What time did it happen, as near as you can remember?" in result["intelligence"]["missing"]
    )


def test_vehicle_questions_do_not_apply_to_an_online_report() -> None:
    core = {
        "narrative": "He sent messages threatening to tell my family unless I paid.",
        "incident": {
            "date": "2025-03-12",
            "time": None,
            "part_of_day": None,
            "area": None,
            "police_force": "Thames Valley Police",
            "setting": "online",
            "types": ["blackmail"],
            "contact_method": "social_media",
        },
        "offenders": [
            {
                "names_used": [],
                "phones": [],
                "emails": [],
                "usernames": ["troll99"],
                "vehicles": [],
                "description": None,
            }
        ],
    }
    missing = score_completeness(core, _report())["alert"]["missing"]
    assert "Do you know the car's registration, even part of it?" not in missing
    assert "Do you have his email address, or the username or profile he used?" not in missing
    assert "Which town or area did it happen in?" not in missing  # the force area stands in


def test_an_empty_report_scores_low_and_asks_everything_that_applies() -> None:
    core = {
        "narrative": "",
        "incident": {
            "date": None,
            "time": None,
            "part_of_day": None,
            "area": None,
            "police_force": None,
            "setting": None,
            "types": [],
            "contact_method": None,
        },
        "offenders": [],
    }
    result = score_completeness(core, _report())
    assert result["alert"]["score"] == 0
    assert result["intelligence"]["score"] == 0
    assert "What date did it happen?" in result["alert"]["missing"]
    assert "Do you have the number he called or texted from?" in result["alert"]["missing"]


def test_every_check_has_a_weight_and_question() -> None:
    config = load_completeness_config()
    for output, checks in CHECKS.items():
        assert set(getattr(config, output)) == set(checks)


def test_a_config_with_an_unknown_check_fails_naming_it(tmp_path: Path) -> None:
    text = DEFAULT_COMPLETENESS_CONFIG.read_text(encoding="utf-8")
    bad = tmp_path / "completeness.toml"
    bad.write_text(text.replace("[alert.phone]", "[alert.telephone]"))
    with pytest.raises(ConfigError) as error:
        load_completeness_config(str(bad))
    assert "telephone" in str(error.value) and "phone" in str(error.value)
    assert str(bad) in str(error.value)
