"""The ``release`` flow: approved reports to members, the website feed and the SCAS export.

Every delivery is an outbox row written ``pending`` before anything is sent and ``sent`` after
(:mod:`pipeline.outbox`), so a re-run or a crash never sends one twice and never skips one. Only
the sending tasks retry; a delivery still failing after its retries stays pending for the next run.
"""

from __future__ import annotations

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.futures import wait

from flows.runtime import batches, flow_store, report_progress
from pipeline.outbox import (
    MEMBER_CHANNELS,
    deliver,
    export_intelligence,
    finish_release,
    pending_keys,
    plan_release_safely,
    plan_withdrawals,
    publish_website,
    releasable_reports,
)

IO_RETRIES = 2
IO_RETRY_DELAY = [1, 5]
SEND_RETRIES = 3
SEND_RETRY_DELAY = [2, 10, 30]


@task(retries=IO_RETRIES, retry_delay_seconds=IO_RETRY_DELAY, persist_result=False,
      cache_policy=NO_CACHE)
def approved_reports() -> list[str]:
    """Ids of approved reports not yet released."""
    return releasable_reports(flow_store())


@task(retries=IO_RETRIES, retry_delay_seconds=IO_RETRY_DELAY, persist_result=False,
      cache_policy=NO_CACHE)
def plan_deliveries(report_id: str) -> int:
    """Write a pending outbox row for each delivery the report needs; how many are new."""
    new = plan_release_safely(flow_store(), report_id)
    get_run_logger().info("report %s: %d new deliveries planned", report_id, new)
    return new


@task(retries=IO_RETRIES, retry_delay_seconds=IO_RETRY_DELAY, persist_result=False,
      cache_policy=NO_CACHE)
def plan_withdrawal_notices() -> int:
    """Write a pending notice for every member sent an alert that was since withdrawn."""
    return plan_withdrawals(flow_store())


@task(retries=IO_RETRIES, retry_delay_seconds=IO_RETRY_DELAY, persist_result=False,
      cache_policy=NO_CACHE)
def pending_member_deliveries() -> list[str]:
    """Outbox keys of every email, SMS and withdrawal notice still to send (any run's)."""
    return pending_keys(flow_store(), [str(channel) for channel in MEMBER_CHANNELS])


@task(retries=SEND_RETRIES, retry_delay_seconds=SEND_RETRY_DELAY, persist_result=False,
      cache_policy=NO_CACHE)
def send_delivery(delivery_key: str) -> str:
    """Send one email or SMS; its new status."""
    status = deliver(flow_store(), delivery_key)
    get_run_logger().info("delivery %s: %s", delivery_key, status)
    return status


@task(retries=IO_RETRIES, retry_delay_seconds=IO_RETRY_DELAY, persist_result=False,
      cache_policy=NO_CACHE)
def publish_feed() -> int:
    """Rebuild the website feed with the newly approved alerts; how many are new."""
    return publish_website(flow_store())


@task(retries=IO_RETRIES, retry_delay_seconds=IO_RETRY_DELAY, persist_result=False,
      cache_policy=NO_CACHE)
def export_scas() -> int:
    """Write the approved intelligence records to the SCAS export; how many."""
    return export_intelligence(flow_store())


@task(retries=IO_RETRIES, retry_delay_seconds=IO_RETRY_DELAY, persist_result=False,
      cache_policy=NO_CACHE)
def close_release(report_id: str) -> bool:
    """Mark the report released if nothing of it is pending any more."""
    return finish_release(flow_store(), report_id)


@flow(name="release", persist_result=False, validate_parameters=True)
def release_flow(batch_size: int = 50) -> dict[str, int]:
    """Plan, send, publish and export every approved report; mark each released when done."""
    logger = get_run_logger()
    report_ids = approved_reports()
    planned = sum(plan_deliveries(report_id) for report_id in report_ids)
    planned += plan_withdrawal_notices()
    keys = pending_member_deliveries()
    totals = {"reports": len(report_ids), "planned": planned, "sent": 0, "failed": 0,
              "cancelled": 0, "skipped": 0, "pending": 0}
    done = 0
    for batch in batches(keys, batch_size):
        futures = send_delivery.map(batch)
        wait(futures)
        for future in futures:
            outcome = future.result() if future.state.is_completed() else "pending"
            totals[outcome] = totals.get(outcome, 0) + 1
        done += len(batch)
        report_progress("deliveries", done, len(keys))
    totals["feed"] = publish_feed()
    totals["scas"] = export_scas()
    totals["released"] = sum(bool(close_release(report_id)) for report_id in report_ids)
    logger.info("release: %s", totals)
    return totals


def run_release(batch_size: int = 50) -> dict[str, int]:
    """Run the release flow once."""
    return release_flow(batch_size=batch_size)
