"""The member alert: golden files per channel, rewriting tables, SMS limits, templates, escaping."""

from __future__ import annotations

import base64
import copy
import functools
import hashlib
import importlib.util
import json
import re
from pathlib import Path
from typing import Any

import pytest

from pipeline.drafting import (
    DEFAULT_DRAFTING_CONFIG,
    AlertTemplateError,
    draft_alert,
    format_phone,
    format_registration,
    headline,
    load_drafting_config,
    load_template,
    plain_words,
    render_template,
    rewrite_narrative,
    smooth_placeholders,
    sms_encoding,
    sms_length,
    sms_segments,
    to_gsm7,
)
from pipeline.errors import ConfigError, MugsError
from pipeline.intake import parse_report

GOLDEN = Path(__file__).resolve().parent.parent / "fixtures" / "golden" / "golden_cases.py"
_spec = importlib.util.spec_from_file_location("golden_cases", GOLDEN)
assert _spec and _spec.loader
golden = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(golden)
rendered = functools.cache(golden.render_case)
"""Each golden case rendered once per test session."""

ALERT_FILES = ("alert.json", "email.html", "email.txt", "sms.txt", "feed.html")


@pytest.fixture(autouse=True)
def test_pseudonym_key(monkeypatch: pytest.MonkeyPatch) -> None:
    """A fixed pseudonym key, so a draft without an explicit key never reads a home folder."""
    monkeypatch.setenv("MUGS_PSEUDONYM_KEY", "5a" * 32)


def _report(**overrides: Any):
    data = {
        "format": 1,
        "report_id": "R-TEST-0001",
        "received_at": "2025-03-13T15:03:00Z",
        "channel": "web",
        "consent": {"alert": True, "intelligence": True, "police_contact": False},
        "narrative": "",
    }
    data.update(overrides)
    return parse_report(data).report


def _core(narrative: str = "", **incident: Any) -> dict[str, Any]:
    base = {
        "date": "2025-03-12",
        "time": "22:30",
        "part_of_day": "night",
        "area": "Leeds",
        "police_force": "West Yorkshire Police",
        "setting": "outcall",
        "types": ["robbery"],
        "contact_method": "phone",
    }
    base.update(incident)
    return {"narrative": narrative, "incident": base, "offenders": []}


# --- golden files ---------------------------------------------------------------------------------


@pytest.mark.parametrize("case", golden.case_names())
@pytest.mark.parametrize("file_name", ALERT_FILES)
def test_rendered_alert_matches_golden_file(case: str, file_name: str) -> None:
    expected = (golden.CASES_DIR / case / file_name).read_text(encoding="utf-8")
    assert rendered(case)[file_name] == expected, (
        f"{case}/{file_name} changed; if on purpose, run "
        "python fixtures/golden/golden_cases.py --update-golden and review the diff"
    )


def test_there_are_at_least_four_golden_cases() -> None:
    assert len(golden.case_names()) >= 4


# --- third person, slang, placeholders ---------------------------------------------------------


@pytest.mark.parametrize(
    ("narrative", "expected"),
    [
        # first person
        pytest.param("I opened the door.", "The worker opened the door.", id="I at sentence start"),
        pytest.param(
            "He grabbed me and took my bag.",
            "He grabbed the worker and took the worker's bag.",
            id="me and my",
        ),
        pytest.param(
            "I think he was drunk.", "The worker thinks he was drunk.", id="present tense agrees"
        ),
        pytest.param(
            "I'm scared and I've blocked him.",
            "The worker is scared and the worker has blocked him.",
            id="contractions",
        ),
        pytest.param(
            "when i asked he left", "When the worker asked he left", id="lower-case i from a phone"
        ),
        pytest.param("I hurt myself running.", "The worker hurt the worker running.", id="myself"),
        # caseworker notes and support projects
        pytest.param(
            "Caller says she was picked up in Holbeck.",
            "The worker was picked up in Holbeck.",
            id="caller says she",
        ),
        pytest.param(
            "Caller reports a man in a blue car.",
            "The worker reports a man in a blue car.",
            id="caller reports",
        ),
        pytest.param(
            "A member met a man at the station.",
            "A worker met a man at the station.",
            id="a member",
        ),
        pytest.param(
            "Our client was pushed to the floor.",
            "The worker was pushed to the floor.",
            id="our client",
        ),
        # the reporter's pronouns
        pytest.param(
            "He hit her across the face and took her purse.",
            "He hit the worker across the face and took the worker's purse.",
            id="her as object and possessive",
        ),
        pytest.param(
            "She's seen him every night.",
            "The worker has seen him every night.",
            id="she's plus participle is has",
        ),
        pytest.param(
            "My name is [name removed], [age removed] years. I work alone.",
            "The worker works alone.",
            id="a name and age given and removed leave nothing behind",
        ),
        pytest.param(
            "I rang my friend and she came over with her brother.",
            "The worker rang the worker's friend and she came over with her brother.",
            id="in her own account 'she' is someone else",
        ),
        pytest.param(
            "He said he'd get her deported.",
            "He said he'd get the worker deported.",
            id="her before a participle is an object",
        ),
        pytest.param(
            "I'm a male escort.", "The worker is an escort.", id="reporter's gender removed"
        ),
        # quoted speech is his words: never rewritten
        pytest.param(
            'He said "I will find you" to me.',
            'He said "I will find you" to the worker.',
            id="quotes kept verbatim",
        ),
        pytest.param(
            "I\u2019ve had 6 texts today.",
            "The worker has had 6 texts today.",
            id="curly apostrophe",
        ),
    ],
)
def test_narrative_is_rewritten_in_the_third_person(narrative: str, expected: str) -> None:
    assert rewrite_narrative(narrative) == expected


def test_keep_pronouns_keeps_her_pronouns_but_not_the_first_person() -> None:
    text = "Caller says she was hit. He took her phone and I rang back."
    kept = rewrite_narrative(text, keep_pronouns=True)
    assert kept == "The worker was hit. He took her phone and the worker rang back."


def test_possessive_her_uses_spacy_tags_when_a_pipeline_is_given(nlp) -> None:
    assert rewrite_narrative("He held her down and took her keys.", nlp=nlp) == (
        "He held the worker down and took the worker's keys."
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("the punter paid", "the client paid", id="punter"),
        pytest.param("cos he was drunk", "because he was drunk", id="cos"),
        pytest.param("b4 he left he sent a pic", "before he left he sent a photo", id="b4 and pic"),
        pytest.param(
            "he wanted FS and GFE",
            "he wanted full service (sex) and girlfriend experience",
            id="FS and GFE",
        ),
        pytest.param("booked for 2hrs", "booked for 2 hours", id="hours joined to a number"),
        pytest.param(
            "an outcall, then another outcall",
            "an outcall (a booking at the client's place), then another outcall",
            id="outcall explained once",
        ),
        pytest.param("txt me ofc", "text me of course", id="txt and ofc"),
        pytest.param("Cos it was late", "Because it was late", id="capital kept"),
    ],
)
def test_slang_and_abbreviations_become_plain_words(text: str, expected: str) -> None:
    assert plain_words(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "He booked me at [venue removed] in [room number removed].",
            "He booked me at a venue.",
            id="venue and room merge into a venue",
        ),
        pytest.param(
            "Outcall to the [venue removed] on [address removed], [room number removed].",
            "Outcall to a venue.",
            id="venue, street and room",
        ),
        pytest.param(
            "[name removed] and I left.", "Another person and I left.", id="name at sentence start"
        ),
        pytest.param(
            "A house on [address removed] in St Pauls.",
            "A house in St Pauls.",
            id="street dropped, district kept",
        ),
        pytest.param(
            "Her friend [name removed] was waiting.",
            "Her friend was waiting.",
            id="name after a relation dropped",
        ),
        pytest.param(
            "The owner, [name removed], saw him.", "The owner saw him.", id="apposition dropped"
        ),
        pytest.param(
            "He rang my work phone [number removed] twice.",
            "He rang my work phone twice.",
            id="number after phone dropped",
        ),
        pytest.param(
            "Caller is [age removed] and new to working.",
            "Caller is new to working.",
            id="age removed with its and",
        ),
        pytest.param(
            "a [age removed] year old [nationality removed] woman",
            "A woman",
            id="age and nationality adjectives",
        ),
        pytest.param(
            "Reported by [organisation removed].",
            "Reported by a support service.",
            id="organisation",
        ),
        pytest.param(
            "Works from [room number removed], [address removed], Southsea ([postcode removed]).",
            "Works in Southsea.",
            id="address run before a town",
        ),
        pytest.param("I reported it. [name removed]", "I reported it.", id="signature dropped"),
    ],
)
def test_placeholders_are_smoothed_into_sentences(text: str, expected: str) -> None:
    assert smooth_placeholders(text) == expected


def test_whole_narrative_rewrite_reads_like_an_alert() -> None:
    narrative = (
        "[name removed] and I went to the [venue removed] on [address removed]. "
        "He punched me and took my phone."
    )
    assert rewrite_narrative(narrative) == (
        "Another person and the worker went to a venue. "
        "He punched the worker and took the worker's phone."
    )


def test_identifiers_in_the_narrative_are_never_rewritten() -> None:
    narrative = "He emailed from u.r.me@example.com and texted from 07700900461, reg MA19 KXZ."
    offenders = [
        {
            "names_used": [],
            "phones": ["07700900461"],
            "emails": ["u.r.me@example.com"],
            "usernames": [],
            "vehicles": [],
        }
    ]
    assert rewrite_narrative(narrative, offenders) == (
        "He emailed from u.r.me@example.com and texted from 07700 900461, registration MA19 KXZ."
    )


def test_greetings_and_sign_offs_are_dropped() -> None:
    narrative = "Dear team,\n\nHe did not pay me.\n\nKind regards,\n[name removed]"
    assert rewrite_narrative(narrative) == "He did not pay the worker."


# --- details of the person ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("number", "expected"),
    [
        pytest.param("07700900461", "07700 900461", id="mobile without spaces"),
        pytest.param("+44 7700 900461", "07700 900461", id="international mobile"),
        pytest.param("0044 (0)7700-900-461", "07700 900461", id="messy international"),
        pytest.param("01314960215", "0131 496 0215", id="Edinburgh landline"),
        pytest.param("020 7946 0388", "020 7946 0388", id="London landline"),
    ],
)
def test_phone_numbers_are_written_one_uniform_way(number: str, expected: str) -> None:
    assert format_phone(number) == expected


@pytest.mark.parametrize(
    ("registration", "expected"),
    [
        pytest.param("ma19kxz", ("MA19 KXZ", True), id="current format"),
        pytest.param("P472KLM", ("P472 KLM", True), id="prefix format"),
        pytest.param("hjk 482t", ("HJK 482T", True), id="suffix format"),
        pytest.param("LK17", ("LK17", False), id="partial"),
        pytest.param("YT13 C", ("YT13 C", False), id="partial with space"),
    ],
)
def test_registrations_are_normalised_and_partial_ones_marked(
    registration: str, expected: tuple[str, bool]
) -> None:
    assert format_registration(registration) == expected


@pytest.mark.parametrize("area", ["St Albans", "Kings Cross", "Manchester city centre", "Holbeck"])
def test_headline_keeps_a_general_area(area: str) -> None:
    assert f"– {area} –" in headline(_core(area=area))


@pytest.mark.parametrize(
    "area",
    [
        pytest.param("Premier Inn, Portland Street", id="hotel and street"),
        pytest.param("M1 1EA", id="postcode"),
        pytest.param("Flat 4, Lever St", id="flat"),
        pytest.param("Room 214", id="room number"),
        pytest.param("Lever St", id="abbreviated street"),
    ],
)
def test_headline_never_uses_a_venue_street_or_postcode_as_the_area(area: str) -> None:
    line = headline(_core(area=area))
    assert area not in line
    assert "West Yorkshire Police" in line


def test_alert_never_reads_the_raw_report_text() -> None:
    report = _report(
        narrative="RAW-NARRATIVE-SECRET",
        reporter={
            "known_identifiers": {"names": ["Sarah Secret"], "phones": ["07911 123456"]},
            "via_project": "Secret Project",
        },
        incident={"location_detail": "Secret Hotel, room 9"},
    )
    alert = draft_alert(_core("He did not pay."), report)
    dumped = json.dumps(alert)
    for secret in (
        "RAW-NARRATIVE-SECRET",
        "Sarah Secret",
        "07911 123456",
        "Secret Project",
        "Secret Hotel",
    ):
        assert secret not in dumped


def test_draft_alert_does_not_change_the_core() -> None:
    core = _core("I was robbed at [venue removed].")
    before = copy.deepcopy(core)
    draft_alert(core, _report())
    assert core == before


# --- SMS ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "encoding", "characters", "segments"),
    [
        pytest.param("a" * 160, "GSM-7", 160, 1, id="160 GSM-7 fits one"),
        pytest.param("a" * 161, "GSM-7", 161, 2, id="161 GSM-7 needs two"),
        pytest.param("a" * 306, "GSM-7", 306, 2, id="306 GSM-7 is two parts of 153"),
        pytest.param("a" * 307, "GSM-7", 307, 3, id="307 GSM-7 needs three"),
        pytest.param("€" * 80, "GSM-7", 160, 1, id="extension characters count twice"),
        pytest.param("é£" * 50, "GSM-7", 100, 1, id="GSM accents and pound"),
        pytest.param(
            "a" * 69 + "\U0001f600", "UCS-2", 71, 2, id="emoji forces UCS-2, counted in UTF-16"
        ),
        pytest.param("ç" * 70, "UCS-2", 70, 1, id="70 UCS-2 fits one"),
        pytest.param("ç" * 135, "UCS-2", 135, 3, id="135 UCS-2 is three parts of 67"),
    ],
)
def test_sms_length_and_segments(text: str, encoding: str, characters: int, segments: int) -> None:
    assert (sms_encoding(text), sms_length(text), sms_segments(text)) == (
        encoding,
        characters,
        segments,
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "\u201cDon\u2019t\u201d \u2013 he said\u2026",
            '"Don\'t" - he said...',
            id="quotes, dash, ellipsis",
        ),
        pytest.param(
            "Jos\u00e9 in Kraków", "José in Krakow", id="GSM accent kept, others stripped"
        ),
        pytest.param("Zoë", "Zoe", id="diaeresis not in GSM-7 on e"),
    ],
)
def test_sms_text_is_transliterated_to_gsm7(text: str, expected: str) -> None:
    assert to_gsm7(text) == expected
    assert sms_encoding(to_gsm7(text)) == "GSM-7"


def _offender(
    phones: int = 0,
    emails: int = 0,
    registrations: int = 0,
    description: str | None = None,
    names: tuple[str, ...] = (),
) -> dict[str, Any]:
    return {
        "names_used": list(names),
        "phones": [f"07700 9{n:05d}" for n in range(phones)],
        "emails": [f"someone.with.a.long.address{n}@example.com" for n in range(emails)],
        "usernames": [],
        "vehicles": [
            {
                "make": "Ford",
                "model": "Transit",
                "colour": "white",
                "registration": f"MA{10 + n} KXZ",
            }
            for n in range(registrations)
        ],
        "description": description,
    }


SMS_CASES = [
    pytest.param([_offender(phones=1, registrations=1)], id="one phone and one registration"),
    pytest.param([_offender(phones=40)], id="forty phones"),
    pytest.param([_offender(emails=20)], id="twenty long emails"),
    pytest.param([_offender(phones=5, emails=5, registrations=5)], id="five of each"),
    pytest.param([_offender(phones=3, description="Very tall, " * 60)], id="very long description"),
    pytest.param([_offender(phones=30, names=("Zoë\U0001f600",))], id="emoji name forces UCS-2"),
    pytest.param([_offender(phones=8), _offender(registrations=8)], id="two offenders"),
]


@pytest.mark.parametrize("offenders", SMS_CASES)
def test_sms_fits_three_segments_and_never_cuts_a_value(offenders: list[dict[str, Any]]) -> None:
    core = _core("x", types=["robbery", "physical_assault"], area="Manchester city centre")
    core["offenders"] = offenders
    sms = draft_alert(core, _report())["sms"]
    limits = load_drafting_config().sms
    assert sms["segments"] <= limits.max_segments
    assert sms["segments"] == sms_segments(sms["text"])
    assert sms["characters"] == sms_length(sms["text"])
    phones = {format_phone(p) for o in offenders for p in o["phones"]}
    emails = {e for o in offenders for e in o["emails"]}
    registrations = {v["registration"] for o in offenders for v in o["vehicles"]}
    items = sms["text"].rstrip(".").split(". ")
    for item in items:
        if item.startswith("Tel "):
            assert item[4:] in phones
        if item.startswith("Email "):
            assert item[6:] in emails
        if item.startswith("Reg "):
            assert item[4:] in registrations
    # Every digit run in the message belongs to a whole value or to the date line.
    for number in re.findall(r"\b07700 \d+", sms["text"]):
        assert number in phones


def test_sms_puts_incident_area_phone_and_registration_first() -> None:
    core = _core("x", area="Manchester city centre")
    core["offenders"] = [
        _offender(phones=1, registrations=1, description="White man, about 40", names=("Dave",))
    ]
    text = draft_alert(core, _report())["sms"]["text"]
    positions = [
        text.index(part) for part in ("robbery", "Manchester city centre", "Tel ", "Reg ", "Dave")
    ]
    assert positions == sorted(positions)


def test_sms_with_an_emoji_uses_ucs2_limits() -> None:
    core = _core("x")
    core["offenders"] = [_offender(phones=2, names=("Zoë\U0001f600",), description="tall, " * 40)]
    sms = draft_alert(core, _report())["sms"]
    assert sms["encoding"] == "UCS-2"
    assert "Zo" in sms["text"]
    assert 2 * 67 < sms["characters"] <= 3 * 67


def test_a_fact_that_would_force_ucs2_past_the_limit_is_dropped_whole() -> None:
    core = _core("x")
    core["offenders"] = [_offender(phones=30, names=("Zoë\U0001f600",))]
    sms = draft_alert(core, _report())["sms"]
    assert sms["encoding"] == "GSM-7"
    assert "Zo" not in sms["text"]


# --- templates ------------------------------------------------------------------------------------


def test_unknown_template_names_it_and_the_available_ones() -> None:
    with pytest.raises(AlertTemplateError) as error:
        load_template("letter.j2")
    message = str(error.value)
    assert "letter.j2" in message
    for name in ("email_html.j2", "email_text.j2", "sms.j2", "feed_entry.j2"):
        assert name in message
    assert isinstance(error.value, MugsError)


def test_a_missing_template_value_is_an_error_not_an_empty_string() -> None:
    with pytest.raises(AlertTemplateError, match="sms.j2"):
        render_template("sms.j2")


def test_script_in_a_narrative_is_escaped_in_every_html_channel() -> None:
    core = _core('He wrote <script>alert("x")</script> & left')
    core["offenders"] = [_offender(phones=1, description="<b>tall</b>")]
    alert = draft_alert(core, _report())
    for html in (alert["email"]["html"], alert["feed"]["html"]):
        assert "<script>" not in html
        assert "&lt;script&gt;" in html
        assert "<b>tall</b>" not in html
    assert "<script>" in alert["email"]["text"]


def test_every_channel_is_present() -> None:
    alert = draft_alert(_core("He did not pay."), _report())
    assert set(alert) == {"headline", "email", "sms", "feed"}
    assert set(alert["email"]) == {"subject", "html", "text"}
    assert set(alert["sms"]) == {"text", "segments", "encoding", "characters"}
    assert set(alert["feed"]) == {
        "id",
        "title",
        "date",
        "area",
        "police_force",
        "summary",
        "details",
        "html",
    }
    assert "R-TEST-0001" not in alert["feed"]["id"]


def test_the_feed_id_is_a_keyed_hash_that_cannot_be_recomputed_from_the_report_id() -> None:
    core, report = _core("He did not pay."), _report()
    first = draft_alert(core, report, key=b"one key")["feed"]["id"]
    # Report ids are sequential: an unkeyed hash of one is found by hashing every likely id.
    unkeyed = hashlib.sha256(f"feed:{report.report_id}".encode()).digest()
    assert first != "alert-" + base64.b32encode(unkeyed).decode("ascii").lower()[:12]
    assert draft_alert(core, report, key=b"one key")["feed"]["id"] == first  # stable
    assert draft_alert(core, report, key=b"another key")["feed"]["id"] != first
    assert re.fullmatch(r"alert-[a-z2-7]{12}", first)
    assert first in draft_alert(core, report, key=b"one key")["feed"]["html"]


def test_the_feed_id_is_not_the_scas_reference_made_with_the_same_key() -> None:
    from pipeline.intelligence import pseudonymous_reference

    report = _report()
    feed = draft_alert(_core("He did not pay."), report, key=b"one key")["feed"]["id"]
    reference = pseudonymous_reference(report.report_id, b"one key")
    assert feed.removeprefix("alert-")[:8] not in reference


# --- configuration --------------------------------------------------------------------------------


def test_a_bad_drafting_config_names_the_file_and_the_key(tmp_path: Path) -> None:
    text = DEFAULT_DRAFTING_CONFIG.read_text(encoding="utf-8")
    bad = tmp_path / "drafting.toml"
    bad.write_text(text.replace("max_segments = 3", "max_segments = 0"))
    with pytest.raises(ConfigError) as error:
        load_drafting_config(str(bad))
    assert str(bad) in str(error.value)
    assert "sms.max_segments" in str(error.value)


def test_a_drafting_config_without_wording_for_an_incident_type_fails(tmp_path: Path) -> None:
    text = DEFAULT_DRAFTING_CONFIG.read_text(encoding="utf-8")
    bad = tmp_path / "drafting.toml"
    bad.write_text(text.replace('kidnap = "kidnap"\n', ""))
    with pytest.raises(ConfigError, match="kidnap"):
        load_drafting_config(str(bad))
