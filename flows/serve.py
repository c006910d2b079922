"""The three deployments on cron schedules, served by one long-running process.

``prefect.serve`` needs a real Prefect server (``prefect server start`` and ``PREFECT_API_URL``
pointing at it): the ephemeral server that ``mugs run`` starts lives only as long as one run and
runs no schedules.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from pipeline.settings import load_settings

SANITISE_CRON = "*/5 * * * *"
RELEASE_CRON = "*/15 * * * *"
RETENTION_CRON = "30 2 * * *"
TIMEZONE = "Europe/London"


@dataclass(frozen=True, slots=True)
class Schedule:
    """One deployment as ``mugs serve`` will start it."""

    name: str
    flow: str
    cron: str
    parameters: dict[str, object]


def default_inbox(environ: Mapping[str, str] | None = None) -> Path:
    """The inbox the scheduled sanitise flow reads: ``MUGS_INBOX`` or ``$MUGS_HOME/inbox``."""
    env = os.environ if environ is None else environ
    configured = env.get("MUGS_INBOX")
    return Path(configured).expanduser() if configured else load_settings(env).home / "inbox"


def schedules(inbox: Path) -> list[Schedule]:
    """The three schedules: sanitise every 5 minutes, release every 15, retention nightly."""
    return [
        Schedule("sanitise-every-5-minutes", "sanitise", SANITISE_CRON, {"inbox": str(inbox)}),
        Schedule("release-every-15-minutes", "release", RELEASE_CRON, {}),
        Schedule("retention-nightly", "retention", RETENTION_CRON, {"inbox": str(inbox)}),
    ]


def build_deployments(inbox: Path) -> list[object]:
    """Prefect ``RunnerDeployment`` objects for the three schedules (nothing is started)."""
    from prefect.schedules import Cron

    from flows.release import release_flow
    from flows.retention import retention_flow
    from flows.runtime import task_runner
    from flows.sanitise import sanitise_flow

    flows = {
        "sanitise": sanitise_flow.with_options(task_runner=task_runner()),
        "release": release_flow,
        "retention": retention_flow,
    }
    return [
        flows[schedule.flow].to_deployment(
            name=schedule.name,
            schedule=Cron(schedule.cron, timezone=TIMEZONE),
            parameters=schedule.parameters,
            tags=["mugs"],
        )
        for schedule in schedules(inbox)
    ]


def serve_deployments(inbox: Path) -> None:
    """Register the deployments with the Prefect server and run them on schedule (blocks)."""
    from prefect import serve

    inbox.mkdir(mode=0o700, parents=True, exist_ok=True)
    serve(*build_deployments(inbox))  # type: ignore[arg-type]
