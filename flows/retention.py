"""The ``retention`` flow: the nightly purge of raw text.

It drops the raw text of reports closed long enough ago (issue 4's purge) and, given the inbox,
the processed inbox files (raw reports as they arrived) kept longer than a few days.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE

from flows.runtime import flow_store
from pipeline.inbox import purge_done
from pipeline.retention import purge_closed

DEFAULT_INBOX_KEEP_DAYS = 7


@task(retries=2, retry_delay_seconds=[5, 30], persist_result=False, cache_policy=NO_CACHE)
def purge(days: int | None) -> list[str]:
    """Purge raw text of reports closed more than *days* (default: the setting) ago; their ids."""
    return purge_closed(flow_store(), days=days, actor="retention flow")


@task(retries=2, retry_delay_seconds=[5, 30], persist_result=False, cache_policy=NO_CACHE)
def purge_inbox(inbox: str, keep_days: int) -> int:
    """Delete processed inbox files older than *keep_days*; how many."""
    return purge_done(Path(inbox), dt.timedelta(days=keep_days))


@flow(name="retention", persist_result=False, validate_parameters=True)
def retention_flow(
    days: int | None = None, inbox: str | None = None,
    inbox_keep_days: int = DEFAULT_INBOX_KEEP_DAYS,
) -> dict[str, int]:
    """Run the retention purge once (and clear old processed inbox files when given the inbox)."""
    purged = purge(days)
    removed = purge_inbox(inbox, inbox_keep_days) if inbox else 0
    get_run_logger().info("retention: purged %d report(s): %s; %d inbox file(s) deleted",
                          len(purged), ", ".join(purged), removed)
    return {"purged": len(purged), "inbox_files_deleted": removed}


def run_retention(
    days: int | None = None, inbox: str | None = None,
    inbox_keep_days: int = DEFAULT_INBOX_KEEP_DAYS,
) -> dict[str, int]:
    """Run the retention flow once."""
    return retention_flow(days=days, inbox=inbox, inbox_keep_days=inbox_keep_days)
