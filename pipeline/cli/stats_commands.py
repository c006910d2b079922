"""``mugs stats``: protected statistics (CSV tables and charts) from the store into a folder."""

from __future__ import annotations

import argparse
import datetime as dt
import logging
from pathlib import Path

from pipeline.disclosure import DEFAULT_THRESHOLD
from pipeline.settings import load_settings
from pipeline.statistics import Period, compute_statistics, metadata_from_store, write_export
from pipeline.store import Store

logger = logging.getLogger(__name__)


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add ``stats``."""
    parser = subparsers.add_parser(
        "stats",
        help="write statistics for researchers (suppressed small cells) as CSV and charts",
        description="Count the stored reports by incident type, month, police force area and "
        "setting, consent shares by year and time to release, with every count under the "
        "threshold suppressed (and enough others that none can be worked back from the totals). "
        "Writes CSV tables, PNG and SVG charts and about.txt into --out; the same store gives "
        "byte-identical files.",
    )
    parser.add_argument(
        "--out", required=True, type=Path, help="folder to write (created if missing)"
    )
    parser.add_argument("--since", type=_day, default=None, help="first day received, YYYY-MM-DD")
    parser.add_argument("--until", type=_day, default=None, help="last day received, YYYY-MM-DD")
    parser.add_argument(
        "--threshold",
        type=_threshold,
        default=DEFAULT_THRESHOLD,
        help=f"suppress counts from 1 to N-1 (default {DEFAULT_THRESHOLD})",
    )
    parser.set_defaults(func=run_stats)


def _day(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text) if len(text) == 10 else _not_a_day(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date written YYYY-MM-DD") from None


def _not_a_day(text: str) -> dt.date:
    raise ValueError(text)


def _threshold(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{value} is below 1; use a threshold of 1 or more")
    return value


def run_stats(args: argparse.Namespace) -> int:
    """Write the protected statistics of the configured store into ``--out``."""
    # Made first, so that an unusable --out fails (OSError, one line from the CLI) before the
    # store is read.
    args.out.mkdir(parents=True, exist_ok=True)
    store = Store.open(load_settings())
    try:
        frame = metadata_from_store(store)
    finally:
        store.close()
    statistics = compute_statistics(frame, Period(args.since, args.until), args.threshold)
    files = write_export(statistics, args.out)
    logger.info("stats: wrote %d files", len(files))
    print(f"{statistics.source_line()}\nWrote {len(files)} files to {args.out}")
    return 0
