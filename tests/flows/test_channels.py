"""The channels against real local servers: SMTP on loopback, an HTTP SMS gateway, files."""

from __future__ import annotations

import datetime as dt
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from pipeline.channels import DeliveryError
from pipeline.channels.feed import FeedEntry, FeedSite, feed_site, publish_feed
from pipeline.channels.mail import send_email, smtp_settings
from pipeline.channels.sms import send_sms, sms_gateway_settings, sms_request
from pipeline.errors import ConfigError

ALERT_FEED = {
    "id": "alert-0123456789ab",
    "title": "Robbery – Manchester city centre – Wednesday 12 March 2025, night",
    "date": "2025-03-12",
    "area": "Manchester city centre",
    "police_force": "Greater Manchester Police",
    "summary": "Robbery reported in Manchester city centre, Wednesday 12 March 2025, night.",
    "details": {"offenders": [], "what_happened": "He took the bag & ran <fast>."},
    "html": '<article class="alert" id="alert-0123456789ab"><p>He took the bag &amp; ran '
    "&lt;fast&gt;.</p></article>\n",
}


def test_email_reaches_a_real_smtp_server_with_text_html_and_the_reference(smtp_server):
    settings = smtp_settings()

    send_email(
        settings,
        "member@example.org",
        "NUM alert: robbery",
        "Plain text body",
        "<p>HTML body</p>",
        "0f1e2d3c4b5a69788796a5b4c3d2e1f0",
    )

    assert len(smtp_server.messages) == 1
    recipients, message = smtp_server.messages[0]
    assert recipients == ["member@example.org"]
    assert message["Subject"] == "NUM alert: robbery"
    assert message["From"] == "alerts@mugs.test"
    assert message["Message-ID"] == "<0f1e2d3c4b5a69788796a5b4c3d2e1f0@mugs.test>"
    parts = {
        part.get_content_type(): part.get_payload(decode=True).decode()
        for part in message.walk()
        if not part.is_multipart()
    }
    assert parts["text/plain"].strip() == "Plain text body"
    assert parts["text/html"].strip() == "<p>HTML body</p>"


def test_email_to_a_closed_port_is_a_retryable_error_without_the_text(monkeypatch):
    monkeypatch.setenv("MUGS_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("MUGS_SMTP_PORT", "9")  # discard port: nothing listens on loopback
    monkeypatch.setenv("MUGS_SMTP_TIMEOUT", "2")

    with pytest.raises(DeliveryError) as caught:
        send_email(smtp_settings(), "member@example.org", "subject", "SECRET BODY", None, "k1")

    assert not caught.value.permanent
    assert "SECRET" not in str(caught.value)
    assert str(caught.value).startswith("email delivery k1:")


def test_smtp_settings_are_read_when_asked_and_bad_numbers_fail_naming_the_variable():
    settings = smtp_settings(
        {"MUGS_SMTP_HOST": "mail.example.org", "MUGS_SMTP_PORT": "587", "MUGS_SMTP_STARTTLS": "1"}
    )
    assert (settings.host, settings.port, settings.starttls) == ("mail.example.org", 587, True)
    with pytest.raises(ConfigError, match="MUGS_SMTP_PORT"):
        smtp_settings({"MUGS_SMTP_PORT": "twenty-five"})


def test_sms_request_is_the_documented_json_with_an_international_number():
    assert sms_request("07700 900461", "NUM ALERT: text", "abc123") == {
        "to": "+447700900461",
        "message": "NUM ALERT: text",
        "reference": "abc123",
    }


def test_sms_is_posted_to_the_gateway_with_the_bearer_token(sms_gateway):
    send_sms(sms_gateway_settings(), "07700 900461", "NUM ALERT: robbery", "ref-1")

    assert sms_gateway.requests == [
        {
            "path": "/messages",
            "authorization": "Bearer test-token-6f1c",
            "content_type": "application/json",
            "body": {"to": "+447700900461", "message": "NUM ALERT: robbery", "reference": "ref-1"},
        }
    ]


@pytest.mark.parametrize(
    ("status", "permanent"),
    [
        pytest.param(500, False, id="server error is retried"),
        pytest.param(429, False, id="rate limit is retried"),
        pytest.param(400, True, id="bad request is permanent"),
        pytest.param(401, True, id="bad token is permanent"),
    ],
)
def test_gateway_refusals_say_whether_a_retry_can_help(sms_gateway, status, permanent):
    sms_gateway.status = status

    with pytest.raises(DeliveryError) as caught:
        send_sms(sms_gateway_settings(), "07700 900461", "SECRET MESSAGE", "ref-2")

    assert caught.value.permanent is permanent
    assert str(caught.value) == f"sms delivery ref-2: gateway answered {status}"


def test_sms_gateway_url_must_be_set():
    with pytest.raises(ConfigError, match="MUGS_SMS_GATEWAY_URL"):
        sms_gateway_settings({})


def test_feed_is_written_as_html_rss_and_json_newest_first(tmp_path: Path):
    older = FeedEntry(
        {
            **ALERT_FEED,
            "id": "alert-older0000000",
            "title": "Older",
            "html": '<article id="alert-older0000000"><p>Older</p></article>',
        },
        dt.datetime(2025, 3, 1, 9, 0, tzinfo=dt.UTC),
    )
    newer = FeedEntry(ALERT_FEED, dt.datetime(2025, 3, 14, 9, 0, tzinfo=dt.UTC))
    site = FeedSite(url="https://example.org/alerts/")

    paths = publish_feed(
        tmp_path / "feed",
        site,
        [older, newer],
        updated=dt.datetime(2025, 3, 14, 10, 0, tzinfo=dt.UTC),
    )

    assert [p.name for p in paths] == ["index.html", "feed.xml", "feed.json"]
    rss = ET.fromstring((tmp_path / "feed" / "feed.xml").read_text(encoding="utf-8"))
    items = rss.findall("./channel/item")
    assert [item.findtext("guid") for item in items] == ["alert-0123456789ab", "alert-older0000000"]
    assert items[0].findtext("link") == "https://example.org/alerts/#alert-0123456789ab"
    assert items[0].findtext("pubDate") == "Fri, 14 Mar 2025 09:00:00 GMT"
    assert items[0].findtext("description") == ALERT_FEED["html"]
    document = json.loads((tmp_path / "feed" / "feed.json").read_text(encoding="utf-8"))
    assert document["version"] == "https://jsonfeed.org/version/1.1"
    assert [item["id"] for item in document["items"]] == [
        "alert-0123456789ab",
        "alert-older0000000",
    ]
    assert document["items"][0]["_mugs"]["police_force"] == "Greater Manchester Police"
    page = (tmp_path / "feed" / "index.html").read_text(encoding="utf-8")
    assert page.index("alert-0123456789ab") < page.index("alert-older0000000")
    assert "ran &lt;fast&gt;." in page  # the approved HTML as drafted, not escaped twice


def test_an_empty_feed_says_so(tmp_path: Path):
    publish_feed(tmp_path, FeedSite(), [])
    assert "There are no alerts." in (tmp_path / "index.html").read_text(encoding="utf-8")
    assert ET.fromstring((tmp_path / "feed.xml").read_text()).findall("./channel/item") == []


def test_feed_url_must_be_http():
    with pytest.raises(ConfigError, match="MUGS_FEED_URL"):
        feed_site({"MUGS_FEED_URL": "file:///etc"})


def test_a_withdrawal_notice_is_plain_text_not_html_escaped() -> None:
    from pipeline.outbox import withdrawal_notice

    notice = withdrawal_notice({"headline": "Alert: robbery & threats – Leeds"})
    assert "robbery & threats" in notice["text"] and "&amp;" not in notice["text"]
    assert "&amp;" not in notice["sms"]
