"""The ``mugs`` command line: one sub-command module per area of work.

Each module in this package defines ``register(subparsers)``, which adds its sub-commands and sets
``func`` on each parser to a callable taking the parsed arguments and returning an exit code.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import pkgutil
import sys
from collections.abc import Sequence

from pipeline.errors import MugsError


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
    """Run ``mugs``; errors of this project print one line and exit 2."""
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(asctime)s %(name)s %(levelname)s %(message)s",
    )
    try:
        return int(args.func(args) or 0)
    except MugsError as error:
        print(f"mugs {args.command}: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
