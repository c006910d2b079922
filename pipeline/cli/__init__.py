"""The ``mugs`` command line: one sub-command module per area of work.

Each module in this package defines ``register(subparsers)``, which adds its sub-commands and sets
``func`` on each parser to a callable taking the parsed arguments and returning an exit code.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import pkgutil
import sys
import traceback
from collections.abc import Sequence

from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from flows.runtime import flow_store, prefect_telemetry_off
from pipeline.errors import MugsError
from pipeline.settings import load_settings

STORE_FIRST = frozenset({"run"})
"""Commands whose store is opened before the command runs (see :func:`main`)."""


def build_parser() -> argparse.ArgumentParser:
    """The ``mugs`` parser with every sub-command module's commands."""
    parser = argparse.ArgumentParser(
        prog="mugs",
        description="Draft sanitised Ugly Mugs alerts and intelligence records, held for approval.",
    )
    parser.add_argument(
        "-v", "--verbose", action="store_true", help="log progress (ids and counts)"
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for module_info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if module_info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{__name__}.{module_info.name}")
        module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``mugs``; a problem it can name (a setting, a path, the database) prints one line.

    Errors of this project, an unreachable or unusable database, a missing database driver and a
    file or folder that cannot be written print ``mugs COMMAND: problem`` on stderr and exit 2,
    without a traceback. Prefect's telemetry is turned off before any command can import Prefect.
    """
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(asctime)s %(name)s %(levelname)s %(message)s",
    )
    prefect_telemetry_off()
    try:
        if args.command in STORE_FIRST:
            # The flows open the store inside Prefect tasks, where a bad setting or an unreachable
            # database is retried and logged with its traceback first: open it here instead.
            flow_store()
        return int(args.func(args) or 0)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader went away (`mugs draft x.jsonl | head`): stop quietly, and keep Python from
        # failing again when it flushes stdout at exit.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    except Exception as error:
        problem = problem_line(error)
        if problem is None:
            raise
        print(f"mugs {args.command}: {problem}", file=sys.stderr)
        return 2


def problem_line(error: BaseException) -> str | None:
    """One line naming the setting or path and the problem, or None for an unexpected error."""
    if isinstance(error, MugsError):
        return str(error)
    if isinstance(error, OperationalError):
        reason = str(error.orig).strip().splitlines()[0] if error.orig else type(error).__name__
        return f"cannot use the database MUGS_DATABASE_URL names ({_database()}): {reason}"
    if isinstance(error, ModuleNotFoundError) and _raised_in(error, "/sqlalchemy/dialects/"):
        return (
            f"MUGS_DATABASE_URL ({_database()}) needs the Python module '{error.name}', which is "
            "not installed; this project installs psycopg 3: use postgresql+psycopg://…"
        )
    if isinstance(error, OSError) and error.filename is not None:
        reason = error.strerror or type(error).__name__
        if isinstance(error, FileExistsError) and not os.path.isdir(error.filename):
            reason = "is a file where a folder is needed"  # mkdir(exist_ok=True) on a file
        where = str(error.filename) + (f" -> {error.filename2}" if error.filename2 else "")
        return f"{where}: {reason}"
    return None


def _database() -> str:
    """The configured database URL with any password masked."""
    try:
        url = load_settings().database_url
    except MugsError:
        return "unreadable"
    return make_url(url).render_as_string(hide_password=True)


def _raised_in(error: BaseException, path_part: str) -> bool:
    """Whether *error* was raised while running code whose file path contains *path_part*."""
    frames = traceback.extract_tb(error.__traceback__)
    return any(path_part in frame.filename.replace("\\", "/") for frame in frames)


if __name__ == "__main__":
    sys.exit(main())
