"""``mugs ingest``, ``mugs queue``, ``mugs show``, ``mugs purge``, ``mugs erase-member``."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from pipeline.errors import IntakeError
from pipeline.intake import read_path
from pipeline.review import OPEN_STATES, IngestOutcome, State
from pipeline.settings import load_settings
from pipeline.store import Store, StoredReport, utc_now


def open_store() -> Store:
    """Open the store the environment names (created and migrated if new)."""
    return Store.open(load_settings())


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add ``ingest``, ``queue``, ``show``, ``purge`` and ``erase-member``."""
    ingest = subparsers.add_parser(
        "ingest",
        help="store reports (sealed), draft them and hold them for review",
        description="Store each report in PATH (.json, .jsonl or - for stdin) first, then draft "
        "every report still waiting to be drafted (including any left by an earlier crash). "
        "A report id already stored is not stored again; different content under the same id "
        "is kept aside and reported.",
    )
    ingest.add_argument("path", help="a .json or .jsonl file, or - for stdin")
    ingest.add_argument("--no-draft", action="store_true", help="only store; draft later")
    ingest.set_defaults(func=run_ingest)

    queue = subparsers.add_parser("queue", help="list reports waiting on a caseworker")
    queue.add_argument(
        "--state",
        action="append",
        choices=[str(s) for s in State],
        help="only this state (repeatable; default: every open state)",
    )
    queue.add_argument("--json", action="store_true", help="one JSON object per report")
    queue.set_defaults(func=run_queue)

    show = subparsers.add_parser("show", help="show one report's draft, review, edits and audit")
    show.add_argument("report_id", metavar="ID")
    show.add_argument("--json", action="store_true", help="everything as one JSON object")
    show.add_argument("--raw", action="store_true", help="include the raw report (sealed at rest)")
    show.set_defaults(func=run_show)

    purge = subparsers.add_parser(
        "purge",
        help="drop raw text of reports closed longer than the retention period",
        description="Drops the raw report, reporter identifiers, removed values, notes and edit "
        "diffs of reports closed (rejected, released, withdrawn) more than MUGS_RETENTION_DAYS "
        "days ago; sanitised and approved outputs stay.",
    )
    purge.add_argument(
        "--days", type=int, default=None, help="override MUGS_RETENTION_DAYS for this run"
    )
    purge.set_defaults(func=run_purge)

    erase = subparsers.add_parser(
        "erase-member",
        help="erase a member who left: their data, all but released outputs",
    )
    erase.add_argument("member_id", metavar="MEMBER_ID")
    erase.add_argument("--as", dest="actor", default="erasure", help="who asked for the erasure")
    erase.set_defaults(func=run_erase_member)


def run_ingest(args: argparse.Namespace) -> int:
    """Store every good report, then draft everything pending; exit 1 if anything went wrong."""
    from pipeline.review import draft_pending, store_received

    problems = 0
    outcomes: dict[str, int] = {}
    with open_store() as store:
        for item in read_path(args.path):
            if isinstance(item, IntakeError):
                problems += 1
                print(f"mugs ingest: {item}", file=sys.stderr)
                continue
            outcome = store_received(store, item)
            outcomes[outcome] = outcomes.get(outcome, 0) + 1
            if outcome == IngestOutcome.CONFLICT:
                problems += 1
                print(
                    f"mugs ingest: report {item.report_id}: already stored with different "
                    "content; the new copy is kept aside, the stored one is unchanged",
                    file=sys.stderr,
                )
            else:
                print(f"{item.report_id}: {outcome}")
        if not args.no_draft:
            run = draft_pending(store)
            for report_id in run.drafted:
                print(f"{report_id}: drafted, in review")
            for report_id in run.failed:
                problems += 1
                print(
                    f"mugs ingest: report {report_id}: drafting failed; it stays received "
                    "and is drafted again on the next run",
                    file=sys.stderr,
                )
    summary = ", ".join(f"{count} {outcome}" for outcome, count in sorted(outcomes.items()))
    print(f"ingest: {summary or 'nothing stored'}; {problems} problem(s)", file=sys.stderr)
    return 1 if problems else 0


def _age(report: StoredReport) -> str:
    hours = int(report.age(utc_now()).total_seconds() // 3600)
    return f"{hours // 24}d{hours % 24:02d}h"


def _score(value: float | None) -> str:
    return "-" if value is None else f"{value:.0f}"


def queue_entry(report: StoredReport) -> dict[str, Any]:
    """One queue line as data (no report text)."""
    return {
        "report_id": report.report_id,
        "state": report.state,
        "version": report.version,
        "alert": report.alert_state,
        "intelligence": report.intelligence_state,
        "incident_types": list(report.incident_types),
        "completeness": {
            "alert": report.completeness_alert,
            "intelligence": report.completeness_intelligence,
        },
        "flagged": report.flagged_count,
        "blocked": report.blocked_count,
        "received_at": report.received_at.isoformat(),
        "age": _age(report),
    }


def run_queue(args: argparse.Namespace) -> int:
    """Print the queue, oldest first."""
    from pipeline.review import queue

    with open_store() as store:
        reports = queue(store, args.state or [str(s) for s in OPEN_STATES])
    if args.json:
        for report in reports:
            print(json.dumps(queue_entry(report)))
        return 0
    header = (
        f"{'report':<16} {'state':<18} {'v':>3} {'alert':<10} {'intel':<10} "
        f"{'compl.':>6} {'flag':>4} {'age':>7}  types"
    )
    print(header)
    for report in reports:
        print(
            f"{report.report_id:<16} {report.state:<18} {report.version:>3} "
            f"{report.alert_state:<10} {report.intelligence_state:<10} "
            f"{_score(report.completeness_alert):>6} {report.flagged_count or 0:>4} "
            f"{_age(report):>7}  {', '.join(report.incident_types)}"
        )
    print(f"{len(reports)} report(s)", file=sys.stderr)
    return 0


def _print_texts(release: dict[str, Any], fields: list[str]) -> None:
    for path in fields:
        node: Any = release
        for key in path.split("."):
            node = node.get(key) if isinstance(node, dict) else None
        if path.endswith(".html"):
            continue
        text = json.dumps(node, ensure_ascii=False) if isinstance(node, dict) else (node or "")
        print(f"  [{path}]")
        for line in str(text).splitlines() or [""]:
            print(f"    {line}")


def run_show(args: argparse.Namespace) -> int:
    """Print one report for a caseworker."""
    from pipeline.review import report_view

    with open_store() as store:
        view = report_view(store, args.report_id, include_raw=args.raw)
    if args.json:
        print(json.dumps(view, ensure_ascii=False, indent=1))
        return 0
    print(f"report {view['report_id']}  version {view['version']}  state {view['state']}")
    print(f"  alert: {view['parts']['alert']}   intelligence: {view['parts']['intelligence']}")
    print(
        f"  types: {', '.join(view['incident_types']) or '-'}   date: {view['incident_date']}"
        f"   force: {view['police_force']}   setting: {view['setting']}"
    )
    print(f"  consent: {view['consent']}   completeness: {view['completeness']}")
    if view["intake_conflicts"]:
        print(f"  ! {view['intake_conflicts']} differing copy(ies) of this report arrived later")
    if view["purged"]:
        print("  raw text purged (retention or erasure)")
    if view["note"]:
        print(f"  note ({view['note']['action']} by {view['note']['by']}): {view['note']['text']}")
    if isinstance(view["release"], dict):
        print("texts (edit with: mugs edit ID --as NAME --field FIELD --file FILE):")
        _print_texts(view["release"], view["editable_fields"])
    review = view["review"] or {}
    findings = [f for f in review.get("findings", []) if f.get("action") != "keep"]
    if findings:
        print("removed or flagged (review only):")
        for finding in findings:
            print(
                f"  {finding['action']:<7} {finding['role']:<12} {finding['entity_type']:<16} "
                f"{finding['field']}: {finding['text']!r}  ({finding['reason']})"
            )
    for item in view["edits"]:
        problems = "; ".join(item["guard_problems"]) or "guard: ok"
        print(f"edit by {item['actor']} at {item['at']} of {item['field']} ({problems}):")
        print("".join(f"    {line}\n" for line in item["diff"].splitlines()), end="")
    for item in view["approvals"]:
        print(f"approved {item['part']} by {item['actor']} at {item['at']}")
    print("audit:")
    for entry in view["audit"]:
        print(
            f"  #{entry['seq']} {entry['at']} {entry['actor']}: {entry['action']}"
            f" {entry.get('from', '')}{' -> ' + entry['to'] if entry.get('to') else ''}"
        )
    if args.raw:
        print("raw report:")
        print(json.dumps(view["raw"], ensure_ascii=False, indent=1))
    return 0


def run_purge(args: argparse.Namespace) -> int:
    """Purge raw text past retention."""
    from pipeline.retention import purge_closed

    with open_store() as store:
        purged = purge_closed(store, days=args.days)
    for report_id in purged:
        print(f"{report_id}: raw text purged")
    print(f"purge: {len(purged)} report(s)", file=sys.stderr)
    return 0


def run_erase_member(args: argparse.Namespace) -> int:
    """Erase a member's data."""
    from pipeline.retention import erase_member

    with open_store() as store:
        erasure = erase_member(store, args.member_id, actor=args.actor)
    for report_id in erasure.deleted_reports:
        print(f"{report_id}: deleted (never released)")
    for report_id in erasure.reduced_reports:
        print(f"{report_id}: reduced to its released outputs")
    print(
        f"erase-member: roster entry {'erased' if erasure.member_found else 'not found'}; "
        f"{len(erasure.deleted_reports)} deleted, {len(erasure.reduced_reports)} reduced",
        file=sys.stderr,
    )
    return 0
