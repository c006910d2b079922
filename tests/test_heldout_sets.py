"""The held-out and blind sets: each loads, is rebuilt exactly from its sources, and uses only
Ofcom's drama-range numbers."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from pipeline.corpus import load_corpus

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
sys.path.insert(0, str(FIXTURES))

from build_holdout import build_holdout  # noqa: E402

from tests.test_corpus import uk_numbers_outside_drama_ranges  # noqa: E402

SETS = [
    pytest.param("holdout.jsonl", "holdout_src", "H", id="held-out red-team set"),
    pytest.param("blind.jsonl", "blind_src", "B", id="blind set"),
    pytest.param("blind2.jsonl", "blind2_src", "C", id="blind set C"),
    pytest.param("blind3.jsonl", "blind3_src", "D", id="blind set D"),
    pytest.param("blind4.jsonl", "blind4_src", "E", id="blind set E"),
    pytest.param("blind5.jsonl", "blind5_src", "F", id="blind set F"),
    pytest.param("blind6.jsonl", "blind6_src", "G", id="blind set G"),
]


@pytest.mark.parametrize(("built", "sources", "prefix"), SETS)
def test_a_set_is_its_sources_built(built: str, sources: str, prefix: str) -> None:
    lines = build_holdout(FIXTURES / sources, prefix)
    committed = [json.loads(line) for line in (FIXTURES / built).read_text("utf-8").split("\n")
                 if line.strip()]  # fmt: skip
    assert committed == json.loads(json.dumps(lines, ensure_ascii=False))
    assert len(load_corpus(FIXTURES / built)) == len(lines) >= 24


@pytest.mark.parametrize(("built", "sources", "prefix"), SETS)
def test_a_set_uses_only_drama_range_numbers(built: str, sources: str, prefix: str) -> None:
    for line in (FIXTURES / built).read_text("utf-8").split("\n"):
        if line.strip():
            report = json.loads(line)["report"]
            _, outside = uk_numbers_outside_drama_ranges(json.dumps(report, ensure_ascii=False))
            assert outside == [], report["report_id"]
