"""``mugs audit verify`` and ``mugs keys rotate``: integrity of the trail, rotation of the key."""

from __future__ import annotations

import argparse
import sys


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add ``audit`` (``verify``, ``show``) and ``keys`` (``rotate``, ``status``)."""
    audit = subparsers.add_parser("audit", help="the append-only, hash-chained audit trail")
    audit_commands = audit.add_subparsers(dest="audit_command", metavar="ACTION", required=True)
    verify = audit_commands.add_parser(
        "verify",
        help="check every entry's hash and link; exit 1 on a changed or missing entry",
    )
    verify.set_defaults(func=run_audit_verify)
    show = audit_commands.add_parser("show", help="print the trail (ids and actions only)")
    show.add_argument("--report", default=None, metavar="ID", help="only this report's entries")
    show.set_defaults(func=run_audit_show)

    keys = subparsers.add_parser("keys", help="the encryption keys")
    keys_commands = keys.add_subparsers(dest="keys_command", metavar="ACTION", required=True)
    rotate = keys_commands.add_parser(
        "rotate",
        help="re-encrypt everything under a new key and retire the old one",
        description="With the key file: adds a new key, re-encrypts every sealed value, then "
        "drops the old key. With MUGS_KEY=new,old: re-encrypts under the first key; then remove "
        "the old key from MUGS_KEY.",
    )
    rotate.set_defaults(func=run_keys_rotate)
    status = keys_commands.add_parser("status", help="how many values each key id seals")
    status.set_defaults(func=run_keys_status)


def run_audit_verify(args: argparse.Namespace) -> int:
    """Verify the chain."""
    from pipeline.audit import verify_audit
    from pipeline.cli.store_commands import open_store

    with open_store() as store:
        result = verify_audit(store)
    for problem in result.problems:
        print(f"mugs audit verify: {problem}", file=sys.stderr)
    if result.ok:
        print(
            f"audit trail intact: {result.entries} entries, head #{result.head_seq} "
            f"{result.head_hash}"
        )
        return 0
    print(
        f"audit trail BROKEN: {len(result.problems)} problem(s) in {result.entries} entries",
        file=sys.stderr,
    )
    return 1


def run_audit_show(args: argparse.Namespace) -> int:
    """Print the trail."""
    from pipeline.cli.store_commands import open_store

    with open_store() as store, store.begin() as connection:
        rows = store.audit_rows(connection, args.report)
    for row in rows:
        print(
            f"#{row.seq} {row.at} {row.actor:<12} {row.action:<15} {row.report_id or '-':<16} "
            f"{row.details}"
        )
    return 0


def run_keys_rotate(args: argparse.Namespace) -> int:
    """Rotate the key."""
    from pipeline.cli.store_commands import open_store
    from pipeline.store import rotate_keys

    with open_store() as store:
        counts = rotate_keys(store)
        active = store.keyring.active.key_id
    print(
        f"keys rotated: active key {active}; rows re-encrypted: "
        + ", ".join(f"{table} {count}" for table, count in sorted(counts.items()))
    )
    return 0


def run_keys_status(args: argparse.Namespace) -> int:
    """Count values per key id."""
    from pipeline.cli.store_commands import open_store

    with open_store() as store, store.begin() as connection:
        counts = store.sealed_key_ids(connection)
        active = store.keyring.active.key_id
    print(f"active key {active}")
    for key_id, count in sorted(counts.items()):
        print(f"  {key_id}: {count} sealed value(s){'' if key_id == active else '  (old key)'}")
    return 0
