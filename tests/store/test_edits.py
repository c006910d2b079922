"""Edits write texts, never channels: blocked channels are rebuilt whole, HTML is never written.

The stand-in drafter gives each report the alert of the golden case ``outcall_robbery`` (every
channel, as the real drafter makes it), so these run without the NLP.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from store_reports import fake_draft, fake_guard, make_report

from pipeline import review
from pipeline.drafting import feed_id
from pipeline.errors import ReleaseBlocked, StoreError
from pipeline.intake import ReceivedReport
from pipeline.review import Part
from pipeline.store import Store

GOLDEN = Path(__file__).parents[2] / "fixtures" / "golden" / "cases" / "outcall_robbery"
ALERT: dict[str, Any] = json.loads((GOLDEN / "alert.json").read_text(encoding="utf-8"))
CORE: dict[str, Any] = json.loads((GOLDEN / "case.json").read_text(encoding="utf-8"))["core"]
REPORT_ID = "R-TEST-000001"
PSEUDONYM_KEY = "5a" * 32


@pytest.fixture(autouse=True)
def pseudonym_key(monkeypatch: pytest.MonkeyPatch) -> bytes:
    """The key behind feed ids (a rebuilt website entry gets its id made again)."""
    monkeypatch.setenv("MUGS_PSEUDONYM_KEY", PSEUDONYM_KEY)
    return bytes.fromhex(PSEUDONYM_KEY)


def drafter(**blocked: str) -> Callable[[ReceivedReport], dict[str, Any]]:
    """A drafter whose alert is the golden one, with each named channel blocked by the guard."""

    def draft(received: ReceivedReport) -> dict[str, Any]:
        result = fake_draft(received)
        release = result["release"]
        release["incident"] = copy.deepcopy(CORE["incident"])
        release["offenders"] = copy.deepcopy(CORE["offenders"])
        release["alert"] = copy.deepcopy(ALERT)
        for channel, kind in blocked.items():
            release["alert"][channel] = {"blocked": [f"blocked: a reporter {kind} was found"]}
        return result

    return draft


def held(store: Store, **blocked: str) -> str:
    """One report stored, drafted with the golden alert (channels blocked as named), in review."""
    review.store_received(store, make_report(REPORT_ID))
    assert review.draft_pending(store, drafter(**blocked)).drafted == [REPORT_ID]
    return REPORT_ID


def edit(store: Store, field_path: str, text: str) -> list[str]:
    return review.edit(store, REPORT_ID, "Ann", field_path, text, guard=fake_guard)


def current_alert(store: Store) -> dict[str, Any]:
    return review.report_view(store, REPORT_ID)["release"]["alert"]


def approve_alert(store: Store) -> dict[str, Any]:
    review.approve(store, REPORT_ID, "Ann", [Part.ALERT], guard=fake_guard)
    return review.approved_outputs(store, REPORT_ID)["alert"]


# --- which fields are texts -----------------------------------------------------------------------


def test_the_editable_fields_are_the_alerts_texts_only(store: Store) -> None:
    held(store)
    fields = review.report_view(store, REPORT_ID)["editable_fields"]
    alert_fields = [f for f in fields if f.startswith("alert.")]
    assert alert_fields == [
        "alert.headline",
        "alert.email.subject",
        "alert.email.text",
        "alert.sms.text",
        "alert.feed.title",
        "alert.feed.summary",
        "alert.feed.area",
        "alert.feed.details.what_happened",
    ]
    assert "intelligence.account" in fields and "intelligence.reference" not in fields


def test_a_part_without_consent_has_no_texts(store: Store) -> None:
    review.store_received(store, make_report(REPORT_ID, intelligence=False))
    review.draft_pending(store, drafter())
    fields = review.report_view(store, REPORT_ID)["editable_fields"]
    assert fields and not [f for f in fields if f.startswith("intelligence")]


def test_a_blocked_channel_is_offered_by_the_texts_that_rebuild_it(store: Store) -> None:
    held(store, email="phone")
    fields = review.report_view(store, REPORT_ID)["editable_fields"]
    assert "alert.email" not in fields
    assert {"alert.email.subject", "alert.email.text"} <= set(fields)


@pytest.mark.parametrize(
    "field_path",
    [
        pytest.param("alert.email", id="a whole channel"),
        pytest.param("alert.feed.details", id="a group of the website entry"),
        pytest.param("alert.feed.details.offenders", id="a list"),
        pytest.param("alert.email.html", id="the email's HTML"),
        pytest.param("alert.feed.html", id="the website's HTML"),
        pytest.param("alert.feed.id", id="the feed id"),
        pytest.param("alert.sms.encoding", id="a value counted from the text"),
    ],
)
def test_only_a_text_can_be_replaced(store: Store, field_path: str) -> None:
    held(store)
    with pytest.raises(StoreError, match=f"field '{field_path}' is not an editable text") as caught:
        edit(store, field_path, "<b>x</b>")
    assert "alert.email.text" in str(caught.value)  # the message lists the texts there are
    assert current_alert(store) == ALERT


# --- a blocked channel is rebuilt whole -----------------------------------------------------------


def test_a_blocked_email_stays_blocked_until_its_subject_and_text_are_written(
    store: Store,
) -> None:
    held(store, email="phone")
    with pytest.raises(ReleaseBlocked, match="alert.email blocked by the release guard") as caught:
        review.approve(store, REPORT_ID, "Ann", [Part.ALERT], guard=fake_guard)
    assert "--field alert.email.subject`" in str(caught.value)
    assert "--field alert.email.text`" in str(caught.value)
    assert "--field alert.email`" not in str(caught.value)

    assert edit(store, "alert.email.text", "He robbed a worker.\n\nTake care.") == []
    assert "blocked" in current_alert(store)["email"]
    with pytest.raises(ReleaseBlocked, match="alert.email blocked") as caught:
        review.approve(store, REPORT_ID, "Ann", [Part.ALERT], guard=fake_guard)
    assert "alert.email.subject" in str(caught.value)
    assert "--field alert.email.text`" not in str(caught.value)  # that one is written

    assert edit(store, "alert.email.subject", "NUM alert: robbery & assault") == []
    email = approve_alert(store)["email"]
    assert set(email) == {"subject", "text", "html"}
    assert (email["subject"], email["text"]) == (
        "NUM alert: robbery & assault",
        "He robbed a worker.\n\nTake care.",
    )
    assert "<title>NUM alert: robbery &amp; assault</title>" in email["html"]
    assert "<p>He robbed a worker.</p>\n<p>Take care.</p>" in email["html"]


def test_a_blocked_sms_is_rebuilt_with_its_counts(store: Store) -> None:
    held(store, sms="phone")
    edit(store, "alert.sms.text", "NUM ALERT: robbery, Manchester. Take care – he’s violent.")
    assert approve_alert(store)["sms"] == {
        "text": "NUM ALERT: robbery, Manchester. Take care – he’s violent.",
        "segments": 1,
        "encoding": "UCS-2",
        "characters": 57,
    }


def test_a_blocked_website_entry_is_rebuilt_with_its_id_and_offender_details(
    store: Store, pseudonym_key: bytes
) -> None:
    held(store, feed="name")
    edit(store, "alert.feed.title", "Alert: robbery – Manchester")
    edit(store, "alert.feed.summary", "Reported: robbery in Manchester.")
    with pytest.raises(ReleaseBlocked, match="alert.feed.details.what_happened"):
        review.approve(store, REPORT_ID, "Ann", [Part.ALERT], guard=fake_guard)
    edit(store, "alert.feed.details.what_happened", "He <script>x</script> took the bag.")

    feed = approve_alert(store)["feed"]
    assert feed["id"] == feed_id(REPORT_ID, pseudonym_key)  # as the drafter would make it
    assert (feed["date"], feed["police_force"]) == ("2025-03-12", "Greater Manchester Police")
    assert feed["details"]["offenders"] == ALERT["feed"]["details"]["offenders"]
    assert f'<article class="alert" id="{feed["id"]}">' in feed["html"]
    assert "<h2>Alert: robbery – Manchester</h2>" in feed["html"]
    assert "registration <strong>MA19 KXZ</strong>" in feed["html"]
    assert "<script>" not in feed["html"] and "&lt;script&gt;" in feed["html"]


# --- HTML is rebuilt from the texts, never kept stale, never written ------------------------------


def test_editing_the_email_text_rebuilds_its_html_so_removed_words_are_gone(store: Store) -> None:
    held(store)
    assert "Dave" in ALERT["email"]["html"]
    edit(store, "alert.email.text", "A man robbed a worker <b>in Manchester</b>.")
    html = approve_alert(store)["email"]["html"]
    assert "Dave" not in html  # the old HTML part would have sent what the edit took out
    assert "<b>" not in html and "&lt;b&gt;in Manchester&lt;/b&gt;" in html


def test_editing_a_website_text_rebuilds_its_html_with_the_alert_template(store: Store) -> None:
    held(store)
    edit(store, "alert.feed.summary", 'Reported: robbery <img src=x onerror="alert(1)">.')
    feed = approve_alert(store)["feed"]
    assert "<img" not in feed["html"] and "&lt;img src=x" in feed["html"]
    unchanged = ALERT["feed"]["html"].split('<h3>Details of the person involved</h3>')[1]
    assert feed["html"].endswith(unchanged)  # the rest of the entry is as drafted


def test_an_unedited_website_entry_rebuilds_to_exactly_the_drafted_html() -> None:
    from pipeline.channels.alert_texts import feed_entry_html, feed_offenders

    assert feed_entry_html(ALERT["feed"]) == ALERT["feed"]["html"]
    assert feed_offenders(CORE["offenders"]) == ALERT["feed"]["details"]["offenders"]


@pytest.mark.parametrize(
    "case", sorted(p.name for p in GOLDEN.parent.iterdir() if (p / "alert.json").is_file())
)
def test_every_drafted_golden_alert_is_whole_as_it_is(case: str) -> None:
    from pipeline.channels.alert_texts import unwritten_texts

    alert = json.loads((GOLDEN.parent / case / "alert.json").read_text(encoding="utf-8"))
    assert unwritten_texts(alert) == {}


def test_an_edited_headline_replaces_a_blocked_headline(store: Store) -> None:
    held(store, headline="name")
    with pytest.raises(ReleaseBlocked, match="--field alert.headline`"):
        review.approve(store, REPORT_ID, "Ann", [Part.ALERT], guard=fake_guard)
    edit(store, "alert.headline", "Alert: robbery – Manchester")
    assert approve_alert(store)["headline"] == "Alert: robbery – Manchester"


def test_a_whole_record_blocked_by_the_guard_says_it_cannot_be_rebuilt(store: Store) -> None:
    def blocked_record(received: ReceivedReport) -> dict[str, Any]:
        draft = drafter()(received)
        draft["release"]["intelligence"] = {"blocked": ["blocked: a reporter name was found"]}
        return draft

    review.store_received(store, make_report(REPORT_ID))
    review.draft_pending(store, blocked_record)
    assert not any(
        f.startswith("intelligence")
        for f in review.report_view(store, REPORT_ID)["editable_fields"]
    )
    with pytest.raises(ReleaseBlocked, match="cannot be rebuilt by an edit: reject the report"):
        review.approve(store, REPORT_ID, "Ann", [Part.INTELLIGENCE], guard=fake_guard)
