"""The audit trail: an append-only, hash-chained log of every action, and its verification.

Each entry's hash covers the previous entry's hash and its own fields, and ``audit_head`` records
the newest entry's number and hash: a changed entry breaks its own hash, a deleted entry leaves a
gap and breaks the next entry's link, and a deleted newest entry no longer matches the head.
Entries hold ids, names of caseworkers, actions, states and counts: never report text. (Anyone who
can rewrite the whole table and its head can rewrite history; note the head hash from ``mugs audit
verify`` somewhere else to detect that too.)
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pipeline.store import Store


def canonical_details(details: dict[str, Any]) -> str:
    """Write an entry's details as canonical JSON (sorted keys, no spaces)."""
    return json.dumps(details, sort_keys=True, separators=(",", ":"), ensure_ascii=True)


def entry_hash(
    prev_hash: str, seq: int, at: str, actor: str, action: str, report_id: str | None, details: str
) -> str:
    """Hash (SHA-256) an entry's fields chained to the previous entry's hash."""
    fields = [prev_hash, str(seq), at, actor, action, report_id or "", details]
    return hashlib.sha256(json.dumps(fields, ensure_ascii=True).encode("ascii")).hexdigest()


@dataclass(frozen=True, slots=True)
class Verification:
    """What ``mugs audit verify`` found."""

    entries: int
    head_seq: int
    head_hash: str
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """No entry was changed, removed or inserted."""
        return not self.problems


def verify_audit(store: Store) -> Verification:
    """Check every link of the chain and the head; list each problem by entry number."""
    from pipeline.store import GENESIS_HASH

    with store.begin() as connection:
        rows = store.audit_rows(connection)
        head = store.audit_head_row(connection)
    problems: list[str] = []
    if head is None:
        problems.append("the audit head row is missing (deleted)")
    head_seq, head_hash = head or (0, GENESIS_HASH)
    expected_seq, prev_hash = 1, GENESIS_HASH
    for row in rows:
        if row.seq != expected_seq:
            missing = (
                f"{expected_seq}"
                if row.seq == expected_seq + 1
                else f"{expected_seq}–{row.seq - 1}"
            )
            problems.append(f"entry {missing} missing (deleted) before entry {row.seq}")
        if row.prev_hash != prev_hash:
            problems.append(f"entry {row.seq}: link to the previous entry is broken")
        recomputed = entry_hash(
            row.prev_hash, row.seq, row.at, row.actor, row.action, row.report_id, row.details
        )
        if recomputed != row.entry_hash:
            problems.append(f"entry {row.seq}: changed after it was written (hash does not match)")
        expected_seq, prev_hash = row.seq + 1, row.entry_hash
    last_seq = rows[-1].seq if rows else 0
    if last_seq != head_seq or prev_hash != head_hash:
        if last_seq < head_seq:
            problems.append(f"newest entries {last_seq + 1}–{head_seq} missing (deleted)")
        else:
            problems.append(f"head records entry {head_seq}, the trail ends at entry {last_seq}")
    return Verification(len(rows), head_seq, head_hash, problems)


def report_trail(store: Store, report_id: str) -> list[dict[str, Any]]:
    """One report's audit entries as data (for ``mugs show`` and the web app)."""
    with store.begin() as connection:
        rows = store.audit_rows(connection, report_id)
    return [
        {
            "seq": row.seq,
            "at": row.at,
            "actor": row.actor,
            "action": row.action,
            **json.loads(row.details),
        }
        for row in rows
    ]
