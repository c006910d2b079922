"""Caseworker actions on a held report: approve, reject, ask, resume, edit, release, withdraw."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from pipeline.errors import StoreError
from pipeline.review import Part


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("report_id", metavar="ID")
    parser.add_argument(
        "--as",
        dest="actor",
        required=True,
        metavar="NAME",
        help="the caseworker's name (recorded in the audit trail)",
    )
    parser.add_argument(
        "--version",
        dest="expected_version",
        type=int,
        default=None,
        metavar="N",
        help="the version you reviewed (mugs show); refused if it has changed",
    )


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add the caseworker actions."""
    approve = subparsers.add_parser(
        "approve",
        help="approve the alert and/or intelligence record of a report in review",
        description="Approves the given part (default: every part the member consented to). "
        "Every edited text is checked again by the release guard first.",
    )
    _common(approve)
    approve.add_argument(
        "--part",
        action="append",
        choices=[str(p) for p in Part],
        help="approve only this part (repeatable)",
    )
    approve.set_defaults(func=run_approve)

    reject = subparsers.add_parser("reject", help="reject a draft (closes the report)")
    _common(reject)
    reject.add_argument("--reason", required=True, help="why (kept encrypted)")
    reject.set_defaults(func=run_reject)

    ask = subparsers.add_parser("needs-info", help="hold a draft until the member answers")
    _common(ask)
    ask.add_argument("--question", required=True, help="what is missing (kept encrypted)")
    ask.set_defaults(func=run_needs_info)

    resume = subparsers.add_parser(
        "resume", help="put a report waiting for information back in review"
    )
    _common(resume)
    resume.set_defaults(func=run_resume)

    edit = subparsers.add_parser(
        "edit",
        help="replace one text of the alert or record (kept as a diff, guard-checked)",
    )
    _common(edit)
    edit.add_argument(
        "--field",
        required=True,
        metavar="PATH",
        help="one text, e.g. alert.sms.text, alert.email.text, intelligence.account (mugs show "
        "lists them); HTML is never edited: it is rebuilt from the channel's texts",
    )
    edit.add_argument("--file", required=True, metavar="FILE", help="the new text, or - for stdin")
    edit.set_defaults(func=run_edit)

    release = subparsers.add_parser(
        "release",
        help="release one approved report now: send, publish and export it like `mugs run release`",
        description="Runs the release flow's steps for this report only: plans its deliveries in "
        "the outbox, sends each email and SMS once, publishes its website entry, exports its SCAS "
        "record, then marks it released. A delivery that fails for now stays pending and the "
        "report approved, for the next `mugs run release`. Exit 1 unless it is released with "
        "nothing failed.",
    )
    _common(release)
    release.set_defaults(func=run_release)

    withdraw = subparsers.add_parser("withdraw", help="withdraw a released alert")
    _common(withdraw)
    withdraw.add_argument("--reason", default=None, help="why (kept encrypted)")
    withdraw.set_defaults(func=run_withdraw)


def _open():  # noqa: ANN202 - the store, opened by the shared helper
    from pipeline.cli.store_commands import open_store

    return open_store()


def run_approve(args: argparse.Namespace) -> int:
    """Approve parts of a report."""
    from pipeline.review import approve

    with _open() as store:
        report = approve(
            store, args.report_id, args.actor, args.part, expected_version=args.expected_version
        )
    print(
        f"{report.report_id}: {report.state} (alert {report.alert_state}, intelligence "
        f"{report.intelligence_state}), version {report.version}"
    )
    return 0


def run_reject(args: argparse.Namespace) -> int:
    """Reject a draft."""
    from pipeline.review import reject

    with _open() as store:
        report = reject(
            store, args.report_id, args.actor, args.reason, expected_version=args.expected_version
        )
    print(f"{report.report_id}: {report.state}, version {report.version}")
    return 0


def run_needs_info(args: argparse.Namespace) -> int:
    """Ask for more information."""
    from pipeline.review import ask_for_information

    with _open() as store:
        report = ask_for_information(
            store, args.report_id, args.actor, args.question, expected_version=args.expected_version
        )
    print(f"{report.report_id}: {report.state}, version {report.version}")
    return 0


def run_resume(args: argparse.Namespace) -> int:
    """Back to review."""
    from pipeline.review import resume

    with _open() as store:
        report = resume(store, args.report_id, args.actor, expected_version=args.expected_version)
    print(f"{report.report_id}: {report.state}, version {report.version}")
    return 0


def _read_text(path: str) -> str:
    if path == "-":
        return sys.stdin.read()
    file = Path(path)
    if not file.is_file():
        raise StoreError(f"--file {path}: no such file")
    return file.read_text(encoding="utf-8")


def run_edit(args: argparse.Namespace) -> int:
    """Edit one text; exit 1 if the guard blocks it."""
    from pipeline.review import edit

    text = _read_text(args.file)
    with _open() as store:
        problems = edit(
            store,
            args.report_id,
            args.actor,
            args.field,
            text,
            expected_version=args.expected_version,
        )
    for problem in problems:
        print(f"mugs edit: report {args.report_id}: {args.field}: {problem}", file=sys.stderr)
    if problems:
        print(
            f"{args.report_id}: edit kept, but {args.field} cannot be approved until it passes "
            "the guard",
            file=sys.stderr,
        )
        return 1
    print(f"{args.report_id}: {args.field} edited; guard: ok")
    return 0


def run_release(args: argparse.Namespace) -> int:
    """Release one approved report through the outbox; exit 1 unless every delivery went."""
    from pipeline.outbox import release_report

    with _open() as store:
        outcome = release_report(
            store, args.report_id, args.actor, expected_version=args.expected_version
        )
    state = "released" if outcome.released else "still approved (deliveries pending)"
    print(f"{outcome.report_id}: {state}, version {outcome.version}")
    counts = ", ".join(f"{n} {status}" for status, n in sorted(outcome.statuses.items()))
    print(f"deliveries: {counts or 'none'}")
    if not outcome.released:
        print(
            f"mugs release: report {outcome.report_id}: some deliveries are still pending; "
            "`mugs run release` retries them and then marks it released",
            file=sys.stderr,
        )
    return 0 if outcome.complete else 1


def run_withdraw(args: argparse.Namespace) -> int:
    """Withdraw a released alert."""
    from pipeline.review import withdraw

    with _open() as store:
        report = withdraw(
            store, args.report_id, args.actor, args.reason, expected_version=args.expected_version
        )
    print(f"{report.report_id}: {report.state}, version {report.version}")
    return 0
