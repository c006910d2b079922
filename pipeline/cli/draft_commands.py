"""``mugs draft``: print the draft of each report, one JSON object per line."""

from __future__ import annotations

import argparse
import json
import sys

from pipeline.draft import draft_reports
from pipeline.errors import IntakeError
from pipeline.intake import ReceivedReport, read_path


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add ``draft``."""
    parser = subparsers.add_parser(
        "draft",
        help="draft the alert and record for reports (nothing is stored or sent)",
        description="Print one JSON object per report: {report_id, release, review}. Bad reports "
        "are reported on stderr with their line, id and field; the others are still drafted.",
    )
    parser.add_argument("path", help="a .json or .jsonl file, or - for stdin")
    parser.add_argument("--indent", type=int, default=None, help="pretty-print with this indent")
    parser.set_defaults(func=run_draft)


def run_draft(args: argparse.Namespace) -> int:
    """Draft every good report; exit 1 if any report was refused or none was read."""
    errors: list[IntakeError] = []
    drafted = 0

    def good_reports() -> list[ReceivedReport]:
        reports = []
        for item in read_path(args.path):
            if isinstance(item, IntakeError):
                errors.append(item)
                print(f"mugs draft: {item}", file=sys.stderr)
            else:
                reports.append(item)
        return reports

    for draft in draft_reports(good_reports()):
        sys.stdout.write(json.dumps(draft, ensure_ascii=False, indent=args.indent) + "\n")
        drafted += 1
    sys.stdout.flush()
    if not drafted and not errors:
        source = "stdin" if args.path == "-" else args.path
        print(f"mugs draft: no report was read from {source} (it is empty)", file=sys.stderr)
        return 1
    return 1 if errors else 0
