"""Intake: each bad input gets an error naming report, field and problem; nothing else is lost."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.errors import IntakeError
from pipeline.intake import ReceivedReport, normalise, read_path, read_text

GOOD = {
    "format": 1,
    "report_id": "R-2026-000001",
    "received_at": "2026-03-14T22:05:00Z",
    "channel": "web",
    "consent": {"alert": True, "intelligence": False, "police_contact": False},
    "incident": {"date": "2026-03-12", "time": "22:30", "types": ["robbery"]},
    "narrative": "He took the money back.",
}


def with_change(path: str, value: object) -> dict:
    report = json.loads(json.dumps(GOOD))
    node = report
    keys = path.split(".")
    for key in keys[:-1]:
        node = node[key]
    if value is KeyError:
        del node[keys[-1]]
    else:
        node[keys[-1]] = value
    return report


def only(text: str) -> ReceivedReport | IntakeError:
    items = list(read_text(text, source="test.json", jsonl=False))
    assert len(items) == 1
    return items[0]


@pytest.mark.parametrize(
    ("path", "value", "field", "problem"),
    [
        pytest.param("narrative", KeyError, "narrative", "required", id="missing narrative"),
        pytest.param(
            "consent.alert", KeyError, "consent.alert", "required", id="missing consent flag"
        ),
        pytest.param("format", 2, "format", "must be 1", id="wrong format version"),
        pytest.param("channel", "fax", "channel", "'web'", id="unknown channel names the choices"),
        pytest.param(
            "incident.types",
            ["robbery", "mugging"],
            "incident.types[1]",
            "mugging",
            id="unknown incident type",
        ),
        pytest.param(
            "incident.date", "12/03/2026", "incident.date", "YYYY-MM-DD", id="malformed date"
        ),
        pytest.param(
            "incident.date", "2026-02-30", "incident.date", "YYYY-MM-DD", id="impossible date"
        ),
        pytest.param("incident.time", "10pm", "incident.time", "HH:MM", id="malformed time"),
        pytest.param(
            "received_at", "2026-03-14T22:05:00", "received_at", "offset", id="no timezone"
        ),
        pytest.param("consent.alert", "yes", "consent.alert", "boolean", id="wrong type"),
        pytest.param("narrative", 42, "narrative", "string", id="narrative not text"),
        pytest.param("surprise", 1, "surprise", "not a field", id="unknown field"),
    ],
)
def test_bad_field_is_named_with_the_report_id(path, value, field, problem):
    error = only(json.dumps(with_change(path, value)))
    assert isinstance(error, IntakeError)
    assert error.field == field
    assert error.report_id == "R-2026-000001"
    assert problem.lower() in error.problem.lower()


def test_a_good_report_is_read():
    received = only(json.dumps(GOOD))
    assert isinstance(received, ReceivedReport)
    assert received.report.incident.types == ["robbery"]


def test_a_huge_narrative_is_refused_without_quoting_it():
    big = "x" * 5_000_000
    error = only(json.dumps(with_change("narrative", big)))
    assert isinstance(error, IntakeError)
    assert error.field == "narrative" and error.report_id == "R-2026-000001"
    assert "100,000" in error.problem
    assert "xxxx" not in str(error)


def test_one_bad_line_in_a_batch_does_not_stop_the_others(tmp_path: Path):
    lines = [
        json.dumps(GOOD),
        "{not json",
        json.dumps(with_change("report_id", "R-2")),
        json.dumps(with_change("channel", "pigeon") | {"report_id": "R-3"}),
    ]
    batch = tmp_path / "batch.jsonl"
    batch.write_text("\n".join(lines) + "\n", encoding="utf-8")
    items = list(read_path(batch))
    assert [type(i).__name__ for i in items] == [
        "ReceivedReport",
        "IntakeError",
        "ReceivedReport",
        "IntakeError",
    ]
    assert items[1].line == 2 and "not valid JSON" in items[1].problem
    assert items[3].line == 4 and items[3].report_id == "R-3" and items[3].field == "channel"


def test_binary_and_non_utf8_files_are_named(tmp_path: Path):
    binary = tmp_path / "photo.json"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    latin = tmp_path / "latin.json"
    latin.write_bytes(json.dumps(GOOD).replace("money", "caf\u00e9").encode("latin-1"))
    (binary_error,) = read_path(binary)
    (latin_error,) = read_path(latin)
    assert "binary" in binary_error.problem and binary_error.source == str(binary)
    assert "not UTF-8" in latin_error.problem


def test_a_missing_file_is_an_error_not_a_crash(tmp_path: Path):
    (error,) = read_path(tmp_path / "nope.json")
    assert isinstance(error, IntakeError) and "no such file" in error.problem


def test_error_messages_never_carry_narrative_text():
    secret = "Sapphire-unique-marker"
    report = with_change("channel", "fax")
    report["narrative"] = f"My name is {secret}"
    error = only(json.dumps(report))
    assert secret not in str(error)


@pytest.mark.parametrize(
    ("raw", "normalised"),
    [
        pytest.param("07700\u200b900461", "07700900461", id="zero-width space inside a number"),
        pytest.param("\uff10\uff17\uff17\uff10\uff10", "07700", id="full-width digits"),
        pytest.param("ca\u00adndy", "candy", id="soft hyphen"),
        pytest.param("\ufb01ne", "fine", id="ligature"),
    ],
)
def test_normalisation(raw, normalised):
    assert normalise(raw).text == normalised


def test_offsets_map_back_to_the_original():
    raw = "ring \u200b07700 \u200b900461 now"
    result = normalise(raw)
    start = result.text.index("07700")
    end = start + len("07700 900461")
    original_start, original_end = result.to_original(start, end)
    assert raw[original_start:original_end].replace("\u200b", "") == "07700 900461"


def test_offsets_of_a_range_end_at_its_last_character_not_at_a_zero_width_one_after_it():
    raw = "\uff2a\uff41\uff44\uff45\u200b rang"  # full-width "Jade", then a zero-width space
    result = normalise(raw)
    assert result.text == "Jade rang"
    assert result.to_original(0, 4) == (0, 4)
    assert result.to_original(5, 9) == (6, 10)
    assert result.to_original(3, 3) == (3, 3)


# --- .jsonl lines: only "\n" (or "\r\n") ends one ------------------------------------------------


@pytest.mark.parametrize(
    "separator",
    [
        pytest.param("\u2028", id="line separator U+2028"),
        pytest.param("\u2029", id="paragraph separator U+2029"),
        pytest.param("\x85", id="next line U+0085"),
    ],
)
def test_a_separator_inside_a_narrative_does_not_split_the_report(tmp_path: Path, separator):
    first = with_change("narrative", f"He took the money.{separator}Then he left.")
    lines = [
        json.dumps(first, ensure_ascii=False),
        "{not json",
        json.dumps(with_change("report_id", "R-3"), ensure_ascii=False),
    ]
    batch = tmp_path / "batch.jsonl"
    batch.write_bytes(("\r\n".join(lines) + "\r\n").encode("utf-8"))

    items = list(read_path(batch))

    assert [type(i).__name__ for i in items] == ["ReceivedReport", "IntakeError", "ReceivedReport"]
    assert separator in items[0].report.narrative
    assert items[1].line == 2
    assert items[2].report_id == "R-3"


# --- deep nesting: an intake error, never a RecursionError ---------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("[" * 100_000, id="100k open arrays"),
        pytest.param('{"narrative": ' + "[" * 100_000, id="deep inside an object"),
        pytest.param("[" * 100_000 + "]" * 100_000, id="100k closed arrays"),
        pytest.param(
            json.dumps(with_change("narrative", [[[[[[[[[[[[[[[[[[[[["deep"]]]]]]]]]]]]]]]]]]]]])),
            id="valid JSON, 22 levels",
        ),
        pytest.param(
            json.dumps(with_change("narrative", {})).replace("{}", "[" * 900 + "]" * 900),
            id="valid JSON, 900 levels",
        ),
    ],
)
def test_deeply_nested_json_is_a_line_error_naming_file_and_line(tmp_path: Path, text):
    batch = tmp_path / "nested.jsonl"
    batch.write_text(json.dumps(GOOD) + "\n" + text + "\n" + json.dumps(GOOD) + "\n")

    items = list(read_path(batch))

    assert [type(i).__name__ for i in items] == ["ReceivedReport", "IntakeError", "ReceivedReport"]
    assert (items[1].source, items[1].line) == (str(batch), 2)
    assert str(items[1]).startswith(f"{batch}:2")
    assert items[1].problem.startswith("is nested too deeply")


def test_a_nested_report_is_refused_with_its_id():
    nested: object = "deep"
    for _ in range(21):
        nested = [nested]
    error = only(json.dumps(with_change("narrative", nested)))
    assert isinstance(error, IntakeError)
    assert error.report_id == "R-2026-000001" and "nested too deeply" in error.problem


def test_a_deeply_nested_json_file_is_one_error():
    (error,) = read_text('{"narrative": ' + "[" * 100_000, source="deep.json", jsonl=None)
    assert isinstance(error, IntakeError)
    assert str(error).startswith("deep.json: is nested too deeply")
