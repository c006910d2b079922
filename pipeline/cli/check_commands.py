"""``mugs check VALUE``: the members' number checker on the command line (released alerts only)."""

from __future__ import annotations

import argparse
import json

from pipeline.checker import check_value, ensure_checker_tables
from pipeline.settings import load_settings
from pipeline.store import Store


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add ``check``."""
    parser = subparsers.add_parser(
        "check",
        help="check a phone, email, username or registration against released alerts",
        description="Look a phone number (any format), email, username or vehicle registration "
        "(full or part) up in released alerts. Prints each match's headline and dates; exit 1 when "
        "an alert matches, 0 when none does.",
    )
    parser.add_argument("value", help="e.g. '07700 900461', '+447700900461', 'MA19 KXZ', 'MA19'")
    parser.add_argument("--json", action="store_true", help="print the matches as JSON")
    parser.set_defaults(func=run_check)


def run_check(args: argparse.Namespace) -> int:
    """Sync released alerts into the index, then look the value up."""
    from web.casework import released_now, sync_published

    store = Store.open(load_settings())
    try:
        ensure_checker_tables(store.engine)
        sync_published(store)
        matches = check_value(
            store.engine, args.value, still_released=lambda ids: released_now(store, ids)
        )
    finally:
        store.close()
    if args.json:
        print(json.dumps({"matches": [m.to_public() for m in matches]}, ensure_ascii=False))
    elif not matches:
        print("No released alert mentions this. Not every incident is reported: stay careful.")
    else:
        print(f"{len(matches)} released alert(s) mention this:")
        for match in matches:
            when = f"incident {match.incident_date}, " if match.incident_date else ""
            print(f"- {match.headline} ({when}released {match.released_at.date().isoformat()})")
    return 1 if matches else 0
