"""Email alerts over SMTP (``smtplib``), text and HTML in one message.

| variable | default | meaning |
| --- | --- | --- |
| ``MUGS_SMTP_HOST`` | ``localhost`` | SMTP server |
| ``MUGS_SMTP_PORT`` | ``25`` | its port |
| ``MUGS_SMTP_FROM`` | ``alerts@localhost`` | the From address |
| ``MUGS_SMTP_USER`` / ``MUGS_SMTP_PASSWORD`` | none | log in when both are set |
| ``MUGS_SMTP_STARTTLS`` | ``0`` | ``1`` to upgrade the connection with STARTTLS first |
| ``MUGS_SMTP_TIMEOUT`` | ``30`` | seconds |
"""

from __future__ import annotations

import os
import smtplib
from collections.abc import Mapping
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate

from pipeline.channels import DeliveryError
from pipeline.errors import ConfigError

CHANNEL = "email"


@dataclass(frozen=True, slots=True)
class SmtpSettings:
    """Where and how to hand email over."""

    host: str = "localhost"
    port: int = 25
    sender: str = "alerts@localhost"
    username: str | None = None
    password: str | None = None
    starttls: bool = False
    timeout: float = 30.0


def _number(environ: Mapping[str, str], name: str, default: str) -> float:
    value = environ.get(name) or default
    try:
        return float(value)
    except ValueError:
        raise ConfigError(f"{name}: '{value}' is not a number") from None


def smtp_settings(environ: Mapping[str, str] | None = None) -> SmtpSettings:
    """The SMTP settings from ``MUGS_SMTP_*`` (default: the process environment, read now)."""
    env = os.environ if environ is None else environ
    starttls = (env.get("MUGS_SMTP_STARTTLS") or "0").strip().lower()
    if starttls not in {"0", "1", "true", "false", "yes", "no"}:
        raise ConfigError(f"MUGS_SMTP_STARTTLS: '{starttls}' is not one of 0, 1")
    return SmtpSettings(
        host=env.get("MUGS_SMTP_HOST") or "localhost",
        port=int(_number(env, "MUGS_SMTP_PORT", "25")),
        sender=env.get("MUGS_SMTP_FROM") or "alerts@localhost",
        username=env.get("MUGS_SMTP_USER") or None,
        password=env.get("MUGS_SMTP_PASSWORD") or None,
        starttls=starttls in {"1", "true", "yes"},
        timeout=_number(env, "MUGS_SMTP_TIMEOUT", "30"),
    )


def build_message(
    settings: SmtpSettings, to: str, subject: str, text: str, html: str | None, reference: str
) -> EmailMessage:
    """The email: plain text with an HTML alternative; the Message-ID carries the reference."""
    message = EmailMessage()
    message["From"] = settings.sender
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = formatdate(localtime=False)
    domain = settings.sender.rpartition("@")[2] or "localhost"
    # A stable Message-ID lets a mail server or client drop a copy resent after a crash.
    message["Message-ID"] = f"<{reference}@{domain}>"
    message.set_content(text)
    if html:
        message.add_alternative(html, subtype="html")
    return message


def send_email(
    settings: SmtpSettings, to: str, subject: str, text: str, html: str | None, reference: str
) -> None:
    """Send one alert email; raise :class:`DeliveryError` (without the text) if refused."""
    message = build_message(settings, to, subject, text, html, reference)
    try:
        with smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout) as smtp:
            if settings.starttls:
                smtp.starttls()
            if settings.username and settings.password:
                smtp.login(settings.username, settings.password)
            refused = smtp.send_message(message)
    except smtplib.SMTPRecipientsRefused:
        raise DeliveryError(
            CHANNEL, reference, "the recipient was refused", permanent=True
        ) from None
    except smtplib.SMTPResponseException as error:
        raise DeliveryError(
            CHANNEL,
            reference,
            f"server answered {error.smtp_code}",
            permanent=500 <= error.smtp_code < 600,
        ) from None
    except (TimeoutError, smtplib.SMTPException, OSError) as error:
        problem = f"{type(error).__name__} talking to the server"
        raise DeliveryError(CHANNEL, reference, problem) from None
    if refused:
        raise DeliveryError(CHANNEL, reference, "the recipient was refused", permanent=True)
