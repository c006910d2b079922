"""SMS alerts through an HTTP gateway adapter.

The request (documented in the README, "Running the pipeline")::

    POST $MUGS_SMS_GATEWAY_URL
    Authorization: Bearer $MUGS_SMS_GATEWAY_TOKEN
    Content-Type: application/json

    {"to": "+447700900461", "message": "NUM ALERT: …", "reference": "<outbox key>"}

Any 2xx answer means the gateway accepted the message. The reference is the outbox key (a hash that
names no one): a gateway that keeps references can drop a copy resent after a crash. 4xx answers
other than 408 and 429 are permanent; 5xx, 408, 429 and network errors are worth retrying.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

import httpx
import phonenumbers

from pipeline.channels import DeliveryError
from pipeline.errors import ConfigError

CHANNEL = "sms"
RETRYABLE_STATUS = frozenset({408, 429})


@dataclass(frozen=True, slots=True)
class SmsGatewaySettings:
    """Where the gateway is and how to authenticate."""

    url: str
    token: str | None = None
    timeout: float = 30.0


def sms_gateway_settings(environ: Mapping[str, str] | None = None) -> SmsGatewaySettings:
    """The gateway settings from ``MUGS_SMS_GATEWAY_*`` (read now, not at import)."""
    env = os.environ if environ is None else environ
    url = env.get("MUGS_SMS_GATEWAY_URL") or ""
    if not url.startswith(("http://", "https://")):
        raise ConfigError(
            "MUGS_SMS_GATEWAY_URL: set it to the gateway's http:// or https:// address"
        )
    timeout = env.get("MUGS_SMS_GATEWAY_TIMEOUT") or "30"
    try:
        seconds = float(timeout)
    except ValueError:
        raise ConfigError(f"MUGS_SMS_GATEWAY_TIMEOUT: '{timeout}' is not a number") from None
    return SmsGatewaySettings(
        url=url, token=env.get("MUGS_SMS_GATEWAY_TOKEN") or None, timeout=seconds
    )


def international_number(number: str, reference: str) -> str:
    """A UK (or +international) mobile number in E.164 form, e.g. ``+447700900461``."""
    try:
        parsed = phonenumbers.parse(number, "GB")
    except phonenumbers.NumberParseException:
        raise DeliveryError(
            CHANNEL, reference, "the member's number does not parse", permanent=True
        ) from None
    if not phonenumbers.is_possible_number(parsed):
        raise DeliveryError(
            CHANNEL, reference, "the member's number is not a possible number", permanent=True
        )
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def sms_request(to: str, message: str, reference: str) -> dict[str, str]:
    """The JSON body the gateway receives."""
    return {"to": international_number(to, reference), "message": message, "reference": reference}


def send_sms(
    settings: SmsGatewaySettings,
    to: str,
    message: str,
    reference: str,
    client: httpx.Client | None = None,
) -> None:
    """POST one SMS to the gateway; raise :class:`DeliveryError` (without the text) on failure."""
    body = sms_request(to, message, reference)
    headers = {"Authorization": f"Bearer {settings.token}"} if settings.token else {}
    try:
        if client is None:
            with httpx.Client(timeout=settings.timeout) as own_client:
                response = own_client.post(settings.url, json=body, headers=headers)
        else:
            response = client.post(settings.url, json=body, headers=headers)
    except httpx.HTTPError as error:
        problem = f"{type(error).__name__} talking to the gateway"
        raise DeliveryError(CHANNEL, reference, problem) from None
    if response.is_success:
        return
    status = response.status_code
    raise DeliveryError(
        CHANNEL,
        reference,
        f"gateway answered {status}",
        permanent=400 <= status < 500 and status not in RETRYABLE_STATUS,
    )
