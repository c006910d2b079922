"""The ``sanitise`` flow: inbox files into the store, then every waiting report drafted and held.

Idempotent: a report id already stored is a no-op, and only reports still ``received`` are drafted
(including any left by an earlier crash). Retries sit on the I/O tasks only; a report that fails
to draft is counted and left ``received`` for a caseworker, and the batch goes on.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.futures import wait

from flows.runtime import batches, flow_store, report_progress, task_runner
from pipeline.errors import ConfigError
from pipeline.inbox import inbox_files, ingest_file
from pipeline.review import State, draft_pending

IO_RETRIES = 2
IO_RETRY_DELAY = [1, 5]


@task(retries=IO_RETRIES, retry_delay_seconds=IO_RETRY_DELAY, persist_result=False,
      cache_policy=NO_CACHE)
def list_inbox(inbox: str) -> list[str]:
    """Paths of the inbox files waiting to be read."""
    return [str(path) for path in inbox_files(Path(inbox))]


@task(retries=IO_RETRIES, retry_delay_seconds=IO_RETRY_DELAY, persist_result=False,
      cache_policy=NO_CACHE)
def store_inbox_file(path: str) -> dict[str, int]:
    """Store one file's reports, record its refused ones, move it to done/; counts only."""
    outcome = ingest_file(flow_store(), Path(path))
    get_run_logger().info("inbox file %s: %s", Path(path).name, outcome.counts())
    return outcome.counts()


def in_shard(report_id: str, shard: int, shards: int) -> bool:
    """Whether *report_id* belongs to *shard* of *shards* (a stable hash split)."""
    digest = hashlib.sha256(report_id.encode()).digest()
    return int.from_bytes(digest[:8], "big") % shards == shard


@task(retries=IO_RETRIES, retry_delay_seconds=IO_RETRY_DELAY, persist_result=False,
      cache_policy=NO_CACHE)
def reports_to_draft(shard: int = 0, shards: int = 1) -> list[str]:
    """Ids of the stored reports still waiting to be drafted (this shard's share of them)."""
    store = flow_store()
    with store.begin() as connection:
        waiting = store.report_ids(connection, state=str(State.RECEIVED))
    return [report_id for report_id in waiting if in_shard(report_id, shard, shards)]


@task(persist_result=False, cache_policy=NO_CACHE)
def draft_and_hold(report_id: str) -> str:
    """Draft one stored report and hold it for review: ``drafted``, ``failed`` or ``skipped``."""
    run = draft_pending(flow_store(), report_ids=[report_id], actor="sanitise flow")
    outcome = "drafted" if run.drafted else "failed" if run.failed else "skipped"
    get_run_logger().info("report %s: %s", report_id, outcome)
    return outcome


@flow(name="sanitise", persist_result=False, validate_parameters=True)
def sanitise_flow(
    inbox: str | None = None, batch_size: int = 50, shard: int = 0, shards: int = 1
) -> dict[str, int]:
    """Read the inbox (if given), then draft every waiting report and hold it for review.

    Several sanitise processes (on one machine or several, against one PostgreSQL store) split
    the drafting by giving each its own ``shard`` of ``shards``; each reads its own inbox folder.
    """
    if not 0 <= shard < shards:
        raise ConfigError(f"shard: {shard} is not between 0 and shards - 1 ({shards - 1})")
    logger = get_run_logger()
    totals = {"files": 0, "stored": 0, "duplicate": 0, "conflict": 0, "refused": 0,
              "drafted": 0, "failed": 0, "skipped": 0}
    if inbox:
        files = list_inbox(inbox)
        totals["files"] = len(files)
        for done, path in enumerate(files, start=1):
            for name, count in store_inbox_file(path).items():
                totals[name] += count
            report_progress("files", done, len(files))
    pending = reports_to_draft(shard, shards)
    drafted = 0
    for batch in batches(pending, batch_size):
        futures = draft_and_hold.map(batch)
        wait(futures)
        for future in futures:
            state = future.state
            outcome = future.result() if state.is_completed() else "failed"
            totals[outcome] += 1
        drafted += len(batch)
        report_progress("reports", drafted, len(pending))
    logger.info("sanitise: %s", totals)
    return totals


def run_sanitise(
    inbox: str | None = None, batch_size: int = 50, shard: int = 0, shards: int = 1,
    runner: str | None = None,
) -> dict[str, int]:
    """Run the flow once on *runner* (``thread``/``dask``; default: ``MUGS_TASK_RUNNER``)."""
    environ = dict(os.environ, MUGS_TASK_RUNNER=runner) if runner else None
    configured = sanitise_flow.with_options(task_runner=task_runner(environ))
    return configured(inbox=inbox, batch_size=batch_size, shard=shard, shards=shards)
