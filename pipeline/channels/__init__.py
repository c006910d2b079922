"""Delivery channels: email over SMTP, SMS through an HTTP gateway, and the static website feed.

Each channel takes already-approved text and one recipient, and raises
:class:`DeliveryError` naming the channel, the delivery reference and the problem (a status code or
an exception type), never the message. Settings are read from the environment when a channel is
used, never at import time.
"""

from __future__ import annotations

from pipeline.errors import MugsError


class DeliveryError(MugsError):
    """A message could not be handed to its channel; ``permanent`` when retrying cannot help."""

    def __init__(
        self, channel: str, reference: str, problem: str, *, permanent: bool = False
    ) -> None:
        self.channel = channel
        self.reference = reference
        self.problem = problem
        self.permanent = permanent
        super().__init__(f"{channel} delivery {reference}: {problem}")
