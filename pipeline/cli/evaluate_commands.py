"""``mugs evaluate``: score the pipeline (and a baseline) against an annotated corpus."""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path

import pandas as pd
from rich.console import Console
from rich.table import Table

from pipeline.analysis import get_analyzer
from pipeline.corpus import load_corpus
from pipeline.evaluation import MATCHES, Evaluation, evaluate_corpus

FORMATS = ("table", "csv", "json")
BASELINES = ("presidio",)


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add ``evaluate``."""
    parser = subparsers.add_parser(
        "evaluate",
        help="score redaction against an annotated corpus (leak rate, keep rate, P/R/F2)",
        description="Draft every report of an annotated corpus and print the leak rate, the keep "
        "rate, span precision/recall/F2 per entity type and role (exact and overlap) and a "
        "per-recogniser breakdown. Report values are never printed unless --show-values is given.",
    )
    parser.add_argument("corpus", help="an annotated corpus .jsonl file, or the folder holding one")
    parser.add_argument(
        "--baseline",
        choices=BASELINES,
        default=None,
        help="also run this baseline on the same corpus, in the same run",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=None,
        help="also write every table as CSV and JSON into this folder",
    )
    parser.add_argument(
        "--format",
        choices=FORMATS,
        default="table",
        dest="output_format",
        help="how to print the tables (default: table)",
    )
    parser.add_argument(
        "--show-values",
        action="store_true",
        help="show the leaked or lost values (only for synthetic research data)",
    )
    parser.set_defaults(func=run_evaluate)


def run_evaluate(args: argparse.Namespace) -> int:
    """Evaluate the corpus and print (and optionally write) every table."""
    corpus = load_corpus(args.corpus)
    evaluation = evaluate_corpus(corpus, baseline=args.baseline, analyzer=get_analyzer())
    tables = printable_tables(evaluation, show_values=args.show_values)
    if args.out is not None:
        write_tables(tables, args.out)
    if args.output_format == "csv":
        for name, frame in tables.items():
            sys.stdout.write(f"# {name}\n{frame.to_csv(index=False)}\n")
    elif args.output_format == "json":
        payload = {
            name: json.loads(frame.to_json(orient="records")) for name, frame in tables.items()
        }
        sys.stdout.write(json.dumps(payload, indent=2) + "\n")
    else:
        # Piped output would otherwise be cut to 80 columns.
        print_tables(evaluation, tables, Console(width=None if sys.stdout.isatty() else 160))
    return 0


def printable_tables(evaluation: Evaluation, *, show_values: bool) -> dict[str, pd.DataFrame]:
    """Return the evaluation's tables without internal columns, with values only if asked."""
    tables = evaluation.tables(show_values=show_values)
    for name in ("leaks", "losses"):
        tables[name] = tables[name].drop(columns=["present"], errors="ignore")
    return tables


def write_tables(tables: dict[str, pd.DataFrame], folder: Path) -> None:
    """Write each table as ``<name>.csv`` and ``<name>.json`` into *folder*."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, frame in tables.items():
        frame.to_csv(folder / f"{name}.csv", index=False)
        frame.to_json(folder / f"{name}.json", orient="records", indent=2)


def _number(value: object, digits: int = 3) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return str(value)


def _rate(count: int, total: int) -> str:
    return f"{count}/{total} ({count / total:.1%})" if total else "0/0 (–)"


def rates_table(summary: pd.DataFrame) -> Table:
    """Leak and keep rates, one column per system."""
    systems = list(dict.fromkeys(summary.system))
    table = Table(title="Leak rate (must be 0) and keep rate (target ≥ 95%)")
    table.add_column("measure")
    for system in systems:
        table.add_column(system, justify="right")
    measures = (("leak rate", "leaked", "must_go"), ("keep rate", "kept", "must_keep"))
    for measure, count, total in measures:
        for part in ("narrative", "release"):
            cells = []
            for system in systems:
                row = summary[(summary.system == system) & (summary.part == part)].iloc[0]
                cells.append(_rate(int(row[count]), int(row[total])))
            table.add_row(f"{measure} ({part})", *cells)
    return table


def scores_table(scores: pd.DataFrame, by: str, system: str) -> Table:
    """P/R/F2 per entity type or role for one system, exact and overlap side by side."""
    frame = scores[scores.system == system]
    table = Table(title=f"{system}: span precision / recall / F2 per {by.replace('_', ' ')}")
    table.add_column(by.replace("_", " "))
    table.add_column("gold", justify="right")
    table.add_column("pred", justify="right")
    for match in MATCHES:
        for metric in ("P", "R", "F2"):
            table.add_column(f"{match} {metric}", justify="right")
    for key, rows in frame.groupby(by, sort=False):
        by_match = {row.match: row for row in rows.itertuples()}
        first = next(iter(by_match.values()))
        cells = [str(key), str(first.n_gold), str(first.n_pred)]
        for match in MATCHES:
            row = by_match[match]
            cells += [_number(row.precision), _number(row.recall), _number(row.f2)]
        table.add_row(*cells)
    return table


def frame_table(frame: pd.DataFrame, title: str) -> Table:
    """Any frame as a rich table."""
    table = Table(title=title)
    for column in frame.columns:
        table.add_column(str(column))
    for row in frame.itertuples(index=False):
        table.add_row(*[_number(value) for value in row])
    return table


def print_tables(evaluation: Evaluation, tables: dict[str, pd.DataFrame], console: Console) -> None:
    """Print the readable report: rates, then scores per system, then the breakdowns."""
    console.print(
        f"{evaluation.reports} reports, {evaluation.gold_spans} gold spans; "
        f"systems: {', '.join(evaluation.systems)}"
    )
    console.print(rates_table(tables["summary"]))
    for system in evaluation.systems:
        console.print(scores_table(tables["entities"], "entity_type", system))
        if not tables["roles"].empty and system in set(tables["roles"].system):
            console.print(scores_table(tables["roles"], "role", system))
    console.print(frame_table(tables["recognizers"], "Per recogniser (overlap, same entity type)"))
    for name, title in (
        ("leaks", "Leaks: must-go details that survive"),
        ("losses", "Losses: offender identifiers missing"),
    ):
        frame = tables[name]
        if frame.empty:
            console.print(f"{title}: none")
        else:
            console.print(frame_table(frame, f"{title} ({len(frame)})"))
