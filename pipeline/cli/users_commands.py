"""``mugs users add/remove/list``: accounts for the web app (argon2-hashed passwords)."""

from __future__ import annotations

import argparse
import getpass
import os
import sys

from pipeline.settings import load_settings
from pipeline.store import Store
from pipeline.users import (
    UserRole,
    add_user,
    ensure_user_tables,
    list_users,
    parse_role,
    remove_user,
)

PASSWORD_VARIABLE = "MUGS_NEW_PASSWORD"


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add ``users``."""
    parser = subparsers.add_parser("users", help="add, remove or list web app accounts")
    commands = parser.add_subparsers(dest="users_command", metavar="ACTION", required=True)
    add = commands.add_parser(
        "add",
        help="add an account",
        description=f"Add an account. The password is asked for twice, or read from "
        f"${PASSWORD_VARIABLE} (for scripts); it is never an argument, so it stays out of "
        "shell history.",
    )
    add.add_argument("username")
    add.add_argument("--role", required=True, choices=[role.value for role in UserRole])
    add.set_defaults(func=run_add)
    remove = commands.add_parser("remove", help="remove an account and end its sessions")
    remove.add_argument("username")
    remove.set_defaults(func=run_remove)
    listing = commands.add_parser("list", help="list accounts and roles")
    listing.set_defaults(func=run_list)


def _store() -> Store:
    store = Store.open(load_settings())
    ensure_user_tables(store.engine)
    return store


def _password() -> str:
    given = os.environ.get(PASSWORD_VARIABLE)
    if given:
        return given
    first = getpass.getpass("Password: ")
    if getpass.getpass("Again: ") != first:
        print("mugs users add: the passwords differ", file=sys.stderr)
        raise SystemExit(2)
    return first


def run_add(args: argparse.Namespace) -> int:
    """Add the account."""
    role = parse_role(args.role)
    password = _password()
    store = _store()
    try:
        add_user(store.engine, args.username, password, role)
    finally:
        store.close()
    print(f"added {args.username} ({role.value})")
    return 0


def run_remove(args: argparse.Namespace) -> int:
    """Remove the account."""
    store = _store()
    try:
        remove_user(store.engine, args.username)
    finally:
        store.close()
    print(f"removed {args.username}")
    return 0


def run_list(args: argparse.Namespace) -> int:
    """Print each account and its role."""
    store = _store()
    try:
        for user in list_users(store.engine):
            print(f"{user.username}\t{user.role.value}")
    finally:
        store.close()
    return 0
