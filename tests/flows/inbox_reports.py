"""Reports for the flow tests: corpus reports in the intake format, written as inbox files."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

CORPUS = Path(__file__).resolve().parents[2] / "fixtures" / "corpus.jsonl"


def corpus_reports(count: int) -> list[dict[str, Any]]:
    """The first *count* reports of the corpus, in the intake format."""
    reports = []
    with CORPUS.open(encoding="utf-8") as lines:
        for line in lines:
            reports.append(json.loads(line)["report"])
            if len(reports) == count:
                break
    return reports


def write_inbox(inbox: Path, name: str, reports: list[dict[str, Any]]) -> Path:
    """Write reports as one .jsonl file in *inbox*."""
    inbox.mkdir(parents=True, exist_ok=True)
    path = inbox / name
    path.write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in reports), encoding="utf-8"
    )
    return path
