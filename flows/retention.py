"""The ``retention`` flow: the nightly purge of raw text from reports closed long enough ago."""

from __future__ import annotations

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE

from flows.runtime import flow_store
from pipeline.retention import purge_closed


@task(retries=2, retry_delay_seconds=[5, 30], persist_result=False, cache_policy=NO_CACHE)
def purge(days: int | None) -> list[str]:
    """Purge raw text of reports closed more than *days* (default: the setting) ago; their ids."""
    return purge_closed(flow_store(), days=days, actor="retention flow")


@flow(name="retention", persist_result=False, validate_parameters=True)
def retention_flow(days: int | None = None) -> dict[str, int]:
    """Run the retention purge once."""
    purged = purge(days)
    get_run_logger().info("retention: purged %d report(s): %s", len(purged), ", ".join(purged))
    return {"purged": len(purged)}


def run_retention(days: int | None = None) -> dict[str, int]:
    """Run the retention flow once."""
    return retention_flow(days=days)
