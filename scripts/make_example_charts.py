"""Draw the README's example charts from a synthetic store of 5,000 invented reports.

    .venv/bin/python scripts/make_example_charts.py [--out docs/charts] [--reports 5000] [--seed 7]

A throw-away store (SQLite, in a temporary MUGS_HOME) is filled with invented metadata rows (no text
at all) through the store's tables, then the same export as ``mugs stats`` is written to ``--out``.
Same arguments, same files, byte for byte.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pipeline.settings import load_settings  # noqa: E402
from pipeline.statistics import (  # noqa: E402
    compute_statistics,
    metadata_from_store,
    store_metadata_rows,
    synthetic_metadata_rows,
    write_export,
)
from pipeline.store import Store  # noqa: E402

SOURCE = "SYNTHETIC example data (invented, not real reports)"


def main() -> int:
    """Fill a temporary store with synthetic reports and write the export."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("docs/charts"))
    parser.add_argument("--reports", type=int, default=5_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="mugs-example-") as home:
        store = Store.open(load_settings({"MUGS_HOME": home}))
        try:
            store_metadata_rows(store, synthetic_metadata_rows(args.reports, seed=args.seed))
            statistics = compute_statistics(metadata_from_store(store), source=SOURCE)
        finally:
            store.close()
    files = write_export(statistics, args.out)
    print(statistics.source_line())
    print(f"wrote {len(files)} files to {args.out}: {', '.join(files)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
