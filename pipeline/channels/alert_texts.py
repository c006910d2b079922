"""The alert texts a caseworker may write, and the parts of each channel rebuilt from them.

An edit replaces one text of the alert, never a whole channel: the headline, the email's subject
or text, the SMS text, or the website entry's title, summary, area or account
(``alert.feed.details.what_happened``). Everything else in a channel is made, not written:

* **HTML is never edited.** Editing an email text rebuilds ``alert.email.html`` from the email's
  subject and text; editing a website text rebuilds ``alert.feed.html`` with the alert's own
  template (``alert_templates/feed_entry.j2``). Both templates autoescape, so whatever a caseworker
  types reaches a mail client or a web page as text, never as markup; the feed pages can then show
  the stored HTML as it is.
* The SMS counts (segments, encoding, characters) are counted again from the edited text.
* Generated identifiers (the feed id) and structured values (date, police force, offender
  details) are not texts.

A channel the release guard blocked is ``{"blocked": [...]}``. Each edit writes one of its texts
into it; it stays blocked until every text in :data:`REQUIRED_TEXTS` is written, and is then
assembled whole (a rebuilt website entry takes its date, force and offender details from the
redacted core the alert was drafted from, unless the guard blocked those too).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from pipeline.channels.feed import feed_templates

HEADLINE = "headline"
CHANNEL_TEXTS: dict[str, tuple[str, ...]] = {
    "email": ("subject", "text"),
    "sms": ("text",),
    "feed": ("title", "summary", "area", "details.what_happened"),
}
"""The texts of each channel a caseworker may write (dotted, under ``alert.<channel>.``)."""

REQUIRED_TEXTS: dict[str, tuple[str, ...]] = {
    "email": ("subject", "text"),
    "sms": ("text",),
    "feed": ("title", "summary", "details.what_happened"),
}
"""What a blocked channel needs written before it is whole (and approvable) again."""


def is_blocked(value: Any) -> bool:
    """Whether *value* is an output the release guard replaced by its explanation."""
    return isinstance(value, dict) and "blocked" in value


def _get(node: Any, dotted: str) -> Any:
    for key in dotted.split("."):
        if not isinstance(node, dict):
            return None
        node = node.get(key)
    return node


def _put(node: dict[str, Any], dotted: str, text: str) -> None:
    keys = dotted.split(".")
    for key in keys[:-1]:
        child = node.get(key)
        if not isinstance(child, dict):
            child = node[key] = {}
        node = child
    node[keys[-1]] = text


def alert_text_fields(alert: Mapping[str, Any]) -> list[str]:
    """Every text of *alert* a caseworker may write, as ``alert.…`` paths (blocked ones too)."""
    paths = [f"alert.{HEADLINE}"] if HEADLINE in alert else []
    for channel, texts in CHANNEL_TEXTS.items():
        if alert.get(channel) is not None:
            paths += [f"alert.{channel}.{text}" for text in texts]
    return paths


def unwritten_texts(alert: Mapping[str, Any]) -> dict[str, list[str]]:
    """Each channel (and the headline) that cannot be sent as it is, and the texts it still needs.

    A channel the release guard blocked, or one that is not a whole channel (a value stored by an
    older version), needs the texts of :data:`REQUIRED_TEXTS` that are not written yet.
    """
    gaps: dict[str, list[str]] = {}
    if HEADLINE in alert and not isinstance(alert[HEADLINE], str):
        gaps[f"alert.{HEADLINE}"] = [f"alert.{HEADLINE}"]
    for channel, required in REQUIRED_TEXTS.items():
        value = alert.get(channel)
        if value is None:
            continue
        missing = [t for t in required if not isinstance(_get(value, t), str)]
        if is_blocked(value) or not isinstance(value, dict) or missing:
            gaps[f"alert.{channel}"] = [f"alert.{channel}.{t}" for t in missing or required]
    return gaps


def write_alert_text(
    alert: dict[str, Any], field_path: str, text: str, core: Mapping[str, Any], feed_id: str
) -> None:
    """Write one text of *alert* (an ``alert.…`` path from :func:`alert_text_fields`) in place.

    The channel's derived parts are rebuilt from its texts. A blocked channel keeps the text and
    stays blocked until its last required text is written. *core* is the redacted release the
    alert was drafted from; *feed_id* is the report's feed id, used if the feed is rebuilt.
    """
    relative = field_path.removeprefix("alert.")
    if relative == HEADLINE:
        alert[HEADLINE] = text
        return
    channel, _, leaf = relative.partition(".")
    current = alert.get(channel)
    if isinstance(current, dict) and not is_blocked(current):
        _put(current, leaf, text)
        _rebuild(channel, current, core, feed_id)
        return
    partial: dict[str, Any] = (
        current
        if isinstance(current, dict) and is_blocked(current)
        else {"blocked": [f"alert.{channel} is incomplete"]}
    )
    _put(partial, leaf, text)
    if all(isinstance(_get(partial, t), str) for t in REQUIRED_TEXTS[channel]):
        partial = {key: value for key, value in partial.items() if key != "blocked"}
        _rebuild(channel, partial, core, feed_id)
    alert[channel] = partial


def _rebuild(channel: str, value: dict[str, Any], core: Mapping[str, Any], feed_id: str) -> None:
    if channel == "email":
        value["html"] = email_html(str(value.get("subject") or ""), str(value.get("text") or ""))
    elif channel == "sms":
        value.update(sms_counts(str(value.get("text") or "")))
    elif channel == "feed":
        incident = _mapping(core.get("incident"))
        value.setdefault("id", feed_id)
        value.setdefault("date", incident.get("date"))
        value.setdefault("area", None)
        value.setdefault("police_force", incident.get("police_force"))
        details = value.setdefault("details", {})
        details.setdefault("offenders", feed_offenders(core.get("offenders")))
        details.setdefault("what_happened", "")
        value["html"] = feed_entry_html(value)


def email_html(subject: str, text: str) -> str:
    """The HTML part of an edited email: its text, escaped, a paragraph per blank-line block."""
    blocks = [block for block in text.replace("\r\n", "\n").split("\n\n") if block.strip()]
    paragraphs = [block.strip("\n").split("\n") for block in blocks]
    template = feed_templates().get_template("edited_email.html.j2")
    return template.render(subject=subject, paragraphs=paragraphs)


def sms_counts(text: str) -> dict[str, Any]:
    """The SMS's segments, encoding and characters, counted as the drafter counts them."""
    from pipeline.drafting import sms_encoding, sms_length, sms_segments

    return {
        "segments": sms_segments(text),
        "encoding": sms_encoding(text),
        "characters": sms_length(text),
    }


def feed_offenders(offenders: Any) -> list[dict[str, Any]]:
    """The website's offender details from the redacted core's offenders (none if it is blocked)."""
    from pipeline.drafting import has_details, offender_details

    if not isinstance(offenders, list):
        return []
    details = [offender_details(o) for o in offenders if isinstance(o, dict)]
    # As in the drafter, the vehicle summary is left to the template (feed_entry_html adds it).
    return [
        {**d, "vehicles": [_without_summary(car) for car in d["vehicles"]]}
        for d in details
        if has_details(d)
    ]


def _without_summary(vehicle: Mapping[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in vehicle.items() if key != "summary"}


def _with_vehicle_summaries(offenders: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    from pipeline.drafting import describe_vehicle

    return [
        {
            **offender,
            "vehicles": [
                {**car, "summary": describe_vehicle(dict(car))["summary"]}
                for car in offender.get("vehicles") or []
            ],
        }
        for offender in offenders
    ]


def feed_entry_html(feed: Mapping[str, Any]) -> str:
    """The website entry's HTML, rendered from its texts by the alert template (autoescaped)."""
    from pipeline.drafting import render_template

    details = _mapping(feed.get("details"))
    offenders = [o for o in details.get("offenders") or [] if isinstance(o, dict)]
    return render_template(
        "feed_entry.j2",
        feed=feed,
        offenders=_with_vehicle_summaries(offenders),
        what_happened=details.get("what_happened") or "",
    )


def _mapping(value: object) -> Mapping[str, Any]:
    """*value* when it is a mapping (a stored draft part), else an empty one."""
    return value if isinstance(value, Mapping) else {}
