"""``mugs run sanitise|release|retention`` (each flow once) and ``mugs serve`` (on schedules).

Prefect is imported only when one of these commands runs: it takes seconds, and the other
commands do not need it.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table

STAGE_LABELS = {
    "files": "inbox files",
    "reports": "reports drafted",
    "deliveries": "deliveries sent",
}


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add ``run`` (with ``sanitise``, ``release``, ``retention``) and ``serve``."""
    run = subparsers.add_parser("run", help="run one Prefect flow once, with progress")
    flows = run.add_subparsers(dest="flow", metavar="FLOW", required=True)

    sanitise = flows.add_parser(
        "sanitise",
        help="store the inbox's reports, draft them and hold them for review",
        description="Reads every .json/.jsonl file in --inbox (moved to DIR/done/ after; refused "
        "reports' errors beside them), then drafts every stored report still waiting. "
        "MUGS_TASK_RUNNER=dask runs the drafting on a Dask cluster (MUGS_DASK_ADDRESS).",
    )
    sanitise.add_argument(
        "--inbox",
        default=None,
        metavar="DIR",
        help="inbox folder (default: only draft what is stored)",
    )
    sanitise.add_argument("--batch-size", type=int, default=50, help="reports per batch")
    sanitise.add_argument(
        "--shard",
        type=int,
        default=0,
        help="draft only this share of the waiting reports (0-based)",
    )
    sanitise.add_argument(
        "--shards", type=int, default=1, help="how many sanitise processes split the drafting"
    )
    sanitise.add_argument(
        "--task-runner",
        choices=["thread", "dask"],
        default=None,
        help="override MUGS_TASK_RUNNER for this run",
    )
    sanitise.set_defaults(func=run_sanitise_command)

    release = flows.add_parser(
        "release",
        help="send approved alerts to members, publish the feed, export to SCAS",
    )
    release.add_argument("--batch-size", type=int, default=50, help="deliveries per batch")
    release.set_defaults(func=run_release_command)

    retention = flows.add_parser("retention", help="purge raw text of long-closed reports")
    retention.add_argument(
        "--days", type=int, default=None, help="override MUGS_RETENTION_DAYS for this run"
    )
    retention.add_argument(
        "--inbox",
        default=None,
        metavar="DIR",
        help="also delete processed files in DIR/done/ older than --inbox-days",
    )
    retention.add_argument(
        "--inbox-days", type=int, default=7, help="days to keep processed inbox files (default 7)"
    )
    retention.set_defaults(func=run_retention_command)

    serve = subparsers.add_parser(
        "serve",
        help="serve the three flows on cron schedules (needs `prefect server start`)",
        description="Registers sanitise (every 5 minutes), release (every 15) and retention "
        "(nightly) with the Prefect server PREFECT_API_URL names, and runs them as scheduled "
        "until stopped. --dry-run prints the schedules and exits.",
    )
    serve.add_argument(
        "--inbox",
        default=None,
        metavar="DIR",
        help="inbox folder (default: MUGS_INBOX or $MUGS_HOME/inbox)",
    )
    serve.add_argument(
        "--dry-run",
        action="store_true",
        help="build the deployments and print their schedules; start nothing",
    )
    serve.set_defaults(func=run_serve_command)


@contextmanager
def _progress(console: Console) -> Iterator[Callable[[str, int, int], None]]:
    """A rich progress bar per stage, advanced by the flows' batch reports."""
    from flows.runtime import progress_hook

    tasks: dict[str, TaskID] = {}
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=console, transient=False) as progress:

        def advance(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = progress.add_task(STAGE_LABELS.get(stage, stage), total=total)
            progress.update(tasks[stage], completed=done, total=total)

        with progress_hook(advance):
            yield advance


def _summary(console: Console, title: str, totals: dict[str, int]) -> None:
    table = Table(title=title, show_header=True)
    table.add_column("outcome")
    table.add_column("count", justify="right")
    for name, count in totals.items():
        table.add_row(name, str(count))
    console.print(table)


def run_sanitise_command(args: argparse.Namespace) -> int:
    """Run the sanitise flow once; exit 1 if a report was refused or failed to draft."""
    from flows.sanitise import run_sanitise

    console = Console(stderr=True)
    inbox = str(Path(args.inbox).resolve()) if args.inbox else None
    with _progress(console):
        totals = run_sanitise(
            inbox=inbox,
            batch_size=args.batch_size,
            shard=args.shard,
            shards=args.shards,
            runner=args.task_runner,
        )
    _summary(console, "sanitise", totals)
    return 1 if totals.get("refused") or totals.get("failed") else 0


def run_release_command(args: argparse.Namespace) -> int:
    """Run the release flow once; exit 1 if a delivery failed or is still pending."""
    from flows.release import run_release

    console = Console(stderr=True)
    with _progress(console):
        totals = run_release(batch_size=args.batch_size)
    _summary(console, "release", totals)
    return 1 if totals.get("failed") or totals.get("pending") else 0


def run_retention_command(args: argparse.Namespace) -> int:
    """Run the retention flow once."""
    from flows.retention import run_retention

    console = Console(stderr=True)
    inbox = str(Path(args.inbox).resolve()) if args.inbox else None
    totals = run_retention(days=args.days, inbox=inbox, inbox_keep_days=args.inbox_days)
    _summary(console, "retention", totals)
    return 0


def run_serve_command(args: argparse.Namespace) -> int:
    """Serve the deployments on their schedules (or print them with --dry-run)."""
    from flows.serve import build_deployments, default_inbox, serve_deployments

    inbox = Path(args.inbox).resolve() if args.inbox else default_inbox()
    if args.dry_run:
        for deployment in build_deployments(inbox):
            crons = [s.schedule.cron for s in deployment.schedules]  # type: ignore[attr-defined]
            print(f"{deployment.name}\t{deployment.flow_name}\t{', '.join(crons)}")  # type: ignore[attr-defined]
        return 0
    serve_deployments(inbox)
    return 0
