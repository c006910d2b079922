"""Time the store's own work: store, draft-and-hold, approve, queue, audit verify, key rotation.

Drafts one real report once, then puts N reports with their own ids through the review workflow
with a drafter that returns a copy of that draft, so the figures are the store's (sealing,
transactions, audit chain) and not spaCy's. SQLite under a temporary MUGS_HOME by default; give
``--database-url postgresql+psycopg://…`` (and optionally ``--schema``) for PostgreSQL.

    python benchmarks/store_ops.py --reports 500
    python benchmarks/store_ops.py --reports 500 \
        --database-url postgresql+psycopg://postgres@127.0.0.1:5432/test --schema mugs_bench
"""

from __future__ import annotations

import argparse
import copy
import os
import statistics
import tempfile
import time
from collections.abc import Callable
from typing import Any

from web_latency import template_report  # the same report as the web benchmark

from pipeline import review
from pipeline.audit import verify_audit
from pipeline.draft import draft_report
from pipeline.intake import ReceivedReport, parse_report
from pipeline.settings import load_settings
from pipeline.store import Store, rotate_keys


def timed(samples: list[float], action: Callable[[], Any]) -> Any:
    """Run *action*, append its duration in seconds to *samples*, return its result."""
    started = time.perf_counter()
    result = action()
    samples.append(time.perf_counter() - started)
    return result


def summary(samples: list[float]) -> str:
    """Median and 95th percentile in milliseconds."""
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return f"median {statistics.median(ordered) * 1000:8.1f} ms   p95 {p95 * 1000:8.1f} ms"


def main() -> None:
    """Parse arguments, fill a fresh store, and print one line per operation."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=500)
    parser.add_argument("--database-url", help="default: SQLite under a temporary MUGS_HOME")
    parser.add_argument("--schema", help="PostgreSQL schema (created if missing)")
    args = parser.parse_args()

    home = tempfile.mkdtemp(prefix="mugs-store-bench-")
    os.environ["MUGS_HOME"] = home
    os.environ.pop("MUGS_KEY", None)  # a fresh key file, so rotation can be timed
    if args.database_url:
        os.environ["MUGS_DATABASE_URL"] = args.database_url
    if args.schema:
        os.environ["MUGS_DATABASE_SCHEMA"] = args.schema

    draft = draft_report(parse_report(template_report()))  # the one real draft, outside the timings

    def drafter(received: ReceivedReport) -> dict[str, Any]:
        copied = copy.deepcopy(draft)
        copied["report_id"] = received.report.report_id
        return copied

    def no_problems(*_: Any, **__: Any) -> list[str]:
        return []

    started = time.perf_counter()
    store = Store.open(load_settings())
    opened = time.perf_counter() - started
    ids = [f"R-BENCH-{number:06d}" for number in range(args.reports)]
    stored: list[float] = []
    held: list[float] = []
    approved: list[float] = []
    with store:
        for report_id in ids:
            received = parse_report({**template_report(), "report_id": report_id})
            timed(stored, lambda received=received: review.store_received(store, received))
        for report_id in ids:
            timed(
                held,
                lambda report_id=report_id: review.draft_pending(
                    store, drafter, report_ids=[report_id]
                ),
            )
        queue_started = time.perf_counter()
        waiting = review.queue(store)
        queue_time = time.perf_counter() - queue_started
        for report_id in ids:
            timed(
                approved,
                lambda report_id=report_id: review.approve(
                    store, report_id, "Bench Caseworker", guard=no_problems
                ),
            )
        verify_started = time.perf_counter()
        verification = verify_audit(store)
        verify_time = time.perf_counter() - verify_started
        rotate_started = time.perf_counter()
        rotated = rotate_keys(store)
        rotate_time = time.perf_counter() - rotate_started

    print(
        f"store: {store.engine.url.render_as_string(hide_password=True)}  reports: {args.reports}"
    )
    print(f"open a fresh store (create and migrate)   {opened * 1000:8.1f} ms")
    print(f"store one report (sealed, own txn)        {summary(stored)}")
    print(f"draft + hold one report (store side)      {summary(held)}")
    print(f"queue of {len(waiting):<6} reports                {queue_time * 1000:8.1f} ms")
    print(f"approve one report (both parts)           {summary(approved)}")
    print(f"audit verify ({verification.entries} entries)          {verify_time * 1000:8.1f} ms")
    print(f"key rotation ({rotated})  {rotate_time:8.2f} s")


if __name__ == "__main__":
    main()
