"""The review workflow: intake into the store, drafting, edits, approval, release and withdrawal.

States and the actions between them are data (:data:`TRANSITIONS`)::

    received --draft--> drafted --hold--> in_review --approve--> approved --release--> released
                                          in_review --reject--> rejected
                                          in_review --ask--> needs_information --resume--> in_review
                                          released --withdraw--> withdrawn

The member alert and the intelligence record are approved separately (``parts``); the report is
``approved`` when every part the member consented to is. Every change checks the report's version
(optimistic locking) and appends an audit entry in the same transaction. Functions take and return
ids and metadata; report text stays sealed in the store and never reaches a log or an exception.
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from sqlalchemy import Connection
from sqlalchemy.exc import IntegrityError

from pipeline.errors import (
    ConfigError,
    IntakeError,
    ReleaseBlocked,
    StaleVersion,
    StoreError,
    WrongState,
)
from pipeline.intake import ReceivedReport, parse_report
from pipeline.store import Store, StoredReport, utc_now

logger = logging.getLogger(__name__)

Drafter = Callable[[ReceivedReport], dict[str, Any]]
Guard = Callable[[str, ReceivedReport], list[str]]


class State(StrEnum):
    """Where a report is in the workflow."""

    RECEIVED = "received"
    DRAFTED = "drafted"
    IN_REVIEW = "in_review"
    APPROVED = "approved"
    REJECTED = "rejected"
    NEEDS_INFORMATION = "needs_information"
    RELEASED = "released"
    WITHDRAWN = "withdrawn"


class Part(StrEnum):
    """What is approved on its own: the member alert and the SCAS intelligence record."""

    ALERT = "alert"
    INTELLIGENCE = "intelligence"


class PartState(StrEnum):
    """Where one part is: waiting, approved, or not wanted by the member."""

    PENDING = "pending"
    APPROVED = "approved"
    NO_CONSENT = "no_consent"


@dataclass(frozen=True, slots=True)
class Transition:
    """An action, the states it may start from, and the state it leads to."""

    action: str
    sources: frozenset[State]
    target: State


def _transition(action: str, sources: Iterable[State], target: State) -> tuple[str, Transition]:
    return action, Transition(action, frozenset(sources), target)


TRANSITIONS: dict[str, Transition] = dict(
    [
        _transition("draft", {State.RECEIVED}, State.DRAFTED),
        _transition("hold", {State.DRAFTED}, State.IN_REVIEW),
        _transition("edit", {State.IN_REVIEW}, State.IN_REVIEW),
        _transition("approve_part", {State.IN_REVIEW}, State.IN_REVIEW),
        _transition("approve", {State.IN_REVIEW}, State.APPROVED),
        _transition("reject", {State.IN_REVIEW, State.NEEDS_INFORMATION}, State.REJECTED),
        _transition("ask", {State.IN_REVIEW}, State.NEEDS_INFORMATION),
        _transition("resume", {State.NEEDS_INFORMATION}, State.IN_REVIEW),
        _transition("release", {State.APPROVED}, State.RELEASED),
        _transition("withdraw", {State.RELEASED}, State.WITHDRAWN),
    ]
)
"""Every allowed move; anything else is :class:`~pipeline.errors.WrongState`."""

CLOSED_STATES = frozenset({State.REJECTED, State.RELEASED, State.WITHDRAWN})
"""A report is closed on entering one of these; retention counts from then."""

OPEN_STATES = (
    State.RECEIVED,
    State.DRAFTED,
    State.IN_REVIEW,
    State.NEEDS_INFORMATION,
    State.APPROVED,
)
"""What ``mugs queue`` lists by default: everything not yet closed."""

MAX_ACTOR_LENGTH = 100


def transition_for(report: StoredReport, action: str) -> Transition:
    """Find the transition for *action* from the report's state; raise WrongState if none."""
    transition = TRANSITIONS[action]
    if State(report.state) not in transition.sources:
        allowed = ", ".join(sorted(transition.sources))
        raise WrongState(
            f"report {report.report_id}: cannot {action.replace('_', ' ')} a report that is "
            f"{report.state} (only from: {allowed})"
        )
    return transition


def check_actor(actor: str) -> str:
    """Check a caseworker's name as given with ``--as``: one line, 1–100 characters."""
    name = " ".join(actor.split())
    if not name or len(name) > MAX_ACTOR_LENGTH:
        raise StoreError(f"--as: give the caseworker's name (1–{MAX_ACTOR_LENGTH} characters)")
    return name


def check_version(report: StoredReport, expected_version: int | None) -> int:
    """Return the version to write against: the caller's (still current), else the stored one."""
    if expected_version is None:
        return report.version
    if expected_version != report.version:
        raise StaleVersion(
            f"report {report.report_id}: changed by someone else (you had version "
            f"{expected_version}, it is now {report.version}); look at it again with "
            f"`mugs show {report.report_id}`"
        )
    return expected_version


def _move(
    store: Store,
    connection: Connection,
    report: StoredReport,
    action: str,
    actor: str,
    version: int,
    *,
    values: dict[str, Any] | None = None,
    sealed: dict[str, Any] | None = None,
    details: dict[str, Any] | None = None,
) -> int:
    """Apply one transition: update state and version, and append its audit entry."""
    transition = transition_for(report, action)
    now = utc_now()
    changes = dict(values or {}, state=str(transition.target))
    if transition.target in CLOSED_STATES and report.closed_at is None:
        changes.setdefault("closed_at", now)
    new_version = store.update_report(connection, report.report_id, version, changes, sealed)
    store.append_audit(
        connection,
        actor=actor,
        action=action,
        report_id=report.report_id,
        details={
            "from": report.state,
            "to": str(transition.target),
            "version": new_version,
            **(details or {}),
        },
    )
    logger.info(
        "report %s: %s by %s (%s -> %s)",
        report.report_id,
        action,
        actor,
        report.state,
        transition.target,
    )
    return new_version


# intake and drafting ---------------------------------------------------------------------------


class IngestOutcome(StrEnum):
    """What storing a received report did."""

    STORED = "stored"
    DUPLICATE = "duplicate"
    CONFLICT = "conflict"


def _canonical(obj: Any) -> str:
    return json.dumps(obj, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def _part_state(consented: bool) -> str:
    return str(PartState.PENDING if consented else PartState.NO_CONSENT)


def _new_report_values(received: ReceivedReport) -> dict[str, Any]:
    report = received.report
    incident = report.incident
    now = utc_now()
    return {
        "report_id": report.report_id,
        "state": str(State.RECEIVED),
        "alert_state": _part_state(report.consent.alert),
        "intelligence_state": _part_state(report.consent.intelligence),
        "channel": str(report.channel),
        "received_at": report.received_at.astimezone(dt.UTC),
        "stored_at": now,
        "updated_at": now,
        "incident_date": incident.date,
        "police_force": incident.police_force,
        "setting": str(incident.setting) if incident.setting else None,
        "contact_method": str(incident.contact_method) if incident.contact_method else None,
        "consent_alert": report.consent.alert,
        "consent_intelligence": report.consent.intelligence,
        "consent_police_contact": report.consent.police_contact,
    }


def store_received(
    store: Store, received: ReceivedReport, *, actor: str = "intake"
) -> IngestOutcome:
    """Store a raw report (sealed) in its own transaction; the same id twice is one report."""
    try:
        return _store_received(store, received, actor)
    except IntegrityError:
        # Another process stored the same id between our check and our insert: compare with it.
        return _store_received(store, received, actor)


def _store_received(store: Store, received: ReceivedReport, actor: str) -> IngestOutcome:
    report_id = received.report_id
    with store.begin() as connection:
        if store.report_exists(connection, report_id):
            existing = store.get_report(connection, report_id)
            stored_raw = store.open_report(existing, "raw")
            if stored_raw is None or _canonical(stored_raw) == _canonical(received.original):
                logger.info("report %s: already stored; intake is a no-op", report_id)
                return IngestOutcome.DUPLICATE
            store.add_intake_conflict(connection, report_id, received.original)
            store.append_audit(
                connection,
                actor=actor,
                action="intake_conflict",
                report_id=report_id,
                details={"state": existing.state},
            )
            logger.warning("report %s: sent again with different content; kept aside", report_id)
            return IngestOutcome.CONFLICT
        member_id = received.report.reporter.member_id
        values = _new_report_values(received)
        values["member_ref"] = store.member_ref(member_id) if member_id else None
        store.insert_report(
            connection,
            values,
            sealed={
                "raw": received.original,
                "reporter": received.report.reporter.model_dump(mode="json"),
                "member": member_id,
            },
            incident_types=[str(kind) for kind in received.report.incident.types],
        )
        store.append_audit(
            connection,
            actor=actor,
            action="receive",
            report_id=report_id,
            details={"to": str(State.RECEIVED), "version": 1, "channel": values["channel"]},
        )
    return IngestOutcome.STORED


@dataclass(slots=True)
class DraftRun:
    """What one :func:`draft_pending` run did, by report id."""

    drafted: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


def received_report(store: Store, report: StoredReport) -> ReceivedReport:
    """Parse the stored raw report again (for drafting and for the guard)."""
    raw = store.open_report(report, "raw")
    if raw is None:
        raise WrongState(f"report {report.report_id}: its raw text was purged")
    return parse_report(raw)


def _draft_metadata(draft: dict[str, Any]) -> dict[str, Any]:
    review = draft.get("review") or {}
    completeness = review.get("completeness") or {}

    def score(part: str) -> float | None:
        value = (completeness.get(part) or {}).get("score")
        return float(value) if isinstance(value, int | float) else None

    return {
        "completeness_alert": score("alert"),
        "completeness_intelligence": score("intelligence"),
        "flagged_count": (review.get("summary") or {}).get("flagged"),
        "blocked_count": len((review.get("guard") or {}).get("blocked") or []),
    }


def _default_drafter() -> Drafter:
    from pipeline.draft import draft_report

    return draft_report


def _record_failure(
    store: Store, report_id: str, actor: str, error: str, field: str | None
) -> None:
    """Put a drafting failure in the report's audit trail, once while it keeps failing the same way.

    The report stays ``received`` and is tried again on the next run; the entry names the error's
    type (and the field, for a stored report that no longer parses), never its message, which may
    quote report text.
    """
    details = {"error": error, "field": field}
    with store.begin() as connection:
        trail = store.audit_rows(connection, report_id)
        last = trail[-1] if trail else None
        if last is not None and last.action == "draft_failed":
            if json.loads(last.details) == details:
                return
        store.append_audit(
            connection, actor=actor, action="draft_failed", report_id=report_id, details=details
        )


def draft_pending(
    store: Store,
    drafter: Drafter | None = None,
    *,
    report_ids: Sequence[str] | None = None,
    actor: str = "drafter",
) -> DraftRun:
    """Draft every report still ``received`` (or just *report_ids*) and hold it for review."""
    drafter = drafter or _default_drafter()
    run = DraftRun()
    with store.begin() as connection:
        pending = store.report_ids(connection, state=str(State.RECEIVED))
    if report_ids is not None:
        wanted = set(report_ids)
        pending = [report_id for report_id in pending if report_id in wanted]
    for report_id in pending:
        with store.begin() as connection:
            report = store.get_report(connection, report_id)
        try:
            draft = drafter(received_report(store, report))
        except ConfigError:
            raise  # the drafter's configuration is broken: every report would fail the same way
        except IntakeError as error:
            logger.error(
                "report %s: stored report no longer parses (field %s)", report_id, error.field
            )
            _record_failure(store, report_id, actor, "IntakeError", error.field)
            run.failed.append(report_id)
            continue
        except Exception as error:  # noqa: BLE001 - one bad report must not stop the batch
            # Only the type: an exception's message may quote report text.
            logger.error("report %s: drafting failed (%s)", report_id, type(error).__name__)
            _record_failure(store, report_id, actor, type(error).__name__, None)
            run.failed.append(report_id)
            continue
        try:
            _hold_draft(store, report, draft, actor)
        except (StaleVersion, WrongState):
            run.skipped.append(report_id)  # another process drafted it first
            continue
        run.drafted.append(report_id)
    return run


def _hold_draft(store: Store, report: StoredReport, draft: dict[str, Any], actor: str) -> None:
    release = draft["release"]
    with store.begin() as connection:
        version = _move(
            store,
            connection,
            report,
            "draft",
            actor,
            report.version,
            values={"drafted_at": utc_now(), **_draft_metadata(draft)},
            sealed={"draft": release, "release": release, "review": draft.get("review")},
        )
        drafted = store.get_report(connection, report.report_id)
        _move(store, connection, drafted, "hold", actor, version)


# caseworker actions ----------------------------------------------------------------------------


def _part_of(field_path: str) -> Part:
    head = field_path.split(".", 1)[0]
    try:
        return Part(head)
    except ValueError:
        raise StoreError(
            f"field '{field_path}': edit a text under 'alert.' or 'intelligence.' "
            "(see `mugs show ID` for the fields)"
        ) from None


def _get_path(tree: Any, path: str) -> Any:
    node = tree
    for key in path.split("."):
        if not isinstance(node, dict) or key not in node:
            return None
        node = node[key]
    return node


OPAQUE_FIELDS = frozenset({"intelligence.reference"})
"""Generated identifiers in the record: not texts a caseworker writes."""


def _record_fields(node: Any, path: str) -> list[str]:
    """The record's text leaves (a string, or an empty value a text may fill)."""
    if isinstance(node, dict) and "blocked" not in node:
        return [
            field_path
            for key, value in node.items()
            for field_path in _record_fields(value, f"{path}.{key}")
        ]
    if (isinstance(node, str) or node is None) and path not in OPAQUE_FIELDS:
        return [path]
    return []


def editable_fields(release: dict[str, Any]) -> list[str]:
    """Dotted paths of every text under the alert and the record a caseworker may replace.

    Only texts: never a channel, a list or a generated id, and never HTML (an edit rebuilds it;
    :mod:`pipeline.channels.alert_texts`). A channel the release guard blocked is listed by the
    texts that rebuild it (``alert.email.subject``, ``alert.email.text``). A record blocked as a
    whole has no texts to write: it is rejected or sent back for information.
    """
    from pipeline.channels.alert_texts import alert_text_fields

    alert = release.get(Part.ALERT)
    paths = alert_text_fields(alert) if isinstance(alert, dict) else []
    record = release.get(Part.INTELLIGENCE)
    if isinstance(record, dict):
        paths += _record_fields(record, str(Part.INTELLIGENCE))
    return paths


def write_text(release: dict[str, Any], field_path: str, text: str, report_id: str) -> None:
    """Put *text* at *field_path* (an editable text) of *release*; rebuild what derives from it."""
    fields = editable_fields(release)
    if field_path not in fields:
        raise StoreError(
            f"report {report_id}: field '{field_path}' is not an editable text of the draft; "
            f"the texts are: {', '.join(fields) or 'none'}"
        )
    if _part_of(field_path) == Part.ALERT:
        from pipeline.channels.alert_texts import write_alert_text

        feed_id = _get_path(release, "alert.feed.id")
        if not isinstance(feed_id, str):
            # Only a website entry rebuilt after the guard blocked it needs its id made again.
            feed_id = _feed_id(report_id) if field_path.startswith("alert.feed.") else ""
        write_alert_text(release[Part.ALERT], field_path, text, release, feed_id)
        return
    keys = field_path.split(".")
    parent = _get_path(release, ".".join(keys[:-1]))
    parent[keys[-1]] = text


def _feed_id(report_id: str) -> str:
    from pipeline.drafting import feed_id
    from pipeline.pseudonym import pseudonym_key

    return feed_id(report_id, pseudonym_key())


def _text(value: Any) -> str:
    if isinstance(value, str):
        return value
    return "" if value is None else json.dumps(value, ensure_ascii=False, indent=1)


def _default_guard() -> Guard:
    from pipeline.guard import check_text

    return check_text


def edit(
    store: Store,
    report_id: str,
    actor: str,
    field_path: str,
    text: str,
    *,
    expected_version: int | None = None,
    guard: Guard | None = None,
) -> list[str]:
    """Replace one text of the draft; keep the change as a diff; return the guard's problems."""
    actor = check_actor(actor)
    part = _part_of(field_path)
    guard = guard or _default_guard()
    with store.begin() as connection:
        report = store.get_report(connection, report_id)
    version = check_version(report, expected_version)
    transition_for(report, "edit")
    _require_pending(report, part)
    release = store.open_report(report, "release")
    before = _text(_get_path(release, field_path))
    write_text(release, field_path, text, report_id)
    problems = guard(text, received_report(store, report))
    diff = "\n".join(
        difflib.unified_diff(
            before.splitlines(),
            text.splitlines(),
            lineterm="",
            fromfile=f"{field_path} (before)",
            tofile=f"{field_path} (after, {actor})",
        )
    )
    with store.begin() as connection:
        _move(
            store,
            connection,
            report,
            "edit",
            actor,
            version,
            sealed={"release": release},
            details={"part": str(part), "field": field_path, "guard_problems": len(problems)},
        )
        store.add_edit(connection, report_id, str(part), field_path, actor, diff, problems)
    return problems


def _require_pending(report: StoredReport, part: Part) -> None:
    state = getattr(report, f"{part}_state")
    if state == PartState.NO_CONSENT:
        what = "an alert" if part == Part.ALERT else "an intelligence record"
        raise WrongState(f"report {report.report_id}: the member did not consent to {what}")
    if state == PartState.APPROVED:
        raise WrongState(f"report {report.report_id}: the {part} is already approved")


def _blocked_paths(node: Any, path: str) -> list[str]:
    if isinstance(node, dict):
        if "blocked" in node:
            return [path]
        return [p for key, value in node.items() for p in _blocked_paths(value, f"{path}.{key}")]
    return []


def _unsendable(report_id: str, part: Part, value: dict[str, Any]) -> str | None:
    """Why *part* cannot be approved as it stands (blocked or incomplete), naming what to edit."""
    if part == Part.ALERT:
        from pipeline.channels.alert_texts import unwritten_texts

        gaps = unwritten_texts(value)
        if not gaps:
            return None
        commands = ", ".join(
            f"`mugs edit {report_id} --field {field_path}`"
            for texts in gaps.values()
            for field_path in texts
        )
        return (
            f"report {report_id}: {', '.join(gaps)} blocked by the release guard or incomplete; "
            f"write the missing texts first: {commands}"
        )
    blocked = _blocked_paths(value, str(part))
    if not blocked:
        return None
    # The guard blocks the record as a whole: there is no text left to correct.
    return (
        f"report {report_id}: {', '.join(blocked)} blocked by the release guard; a whole record "
        "cannot be rebuilt by an edit: reject the report or ask for information"
    )


def _check_part(
    store: Store,
    report: StoredReport,
    part: Part,
    release: dict[str, Any],
    guard: Guard,
    edited_fields: set[str],
    received: ReceivedReport | None,
) -> None:
    value = release.get(part)
    if not isinstance(value, dict):
        raise WrongState(f"report {report.report_id}: there is no drafted {part} to approve")
    problem = _unsendable(report.report_id, part, value)
    if problem:
        raise ReleaseBlocked(problem)
    for field_path in sorted(edited_fields):
        if _part_of(field_path) != part or received is None:
            continue
        problems = guard(_text(_get_path(release, field_path)), received)
        if problems:
            raise ReleaseBlocked(
                f"report {report.report_id}: edited {field_path}: " + "; ".join(problems)
            )


def approve(
    store: Store,
    report_id: str,
    actor: str,
    parts: Sequence[Part | str] | None = None,
    *,
    expected_version: int | None = None,
    guard: Guard | None = None,
) -> StoredReport:
    """Approve the given parts (default: every pending part) after re-checking every edit."""
    actor = check_actor(actor)
    guard = guard or _default_guard()
    with store.begin() as connection:
        report = store.get_report(connection, report_id)
        edited = {row.field for row in store.edits_of(connection, report_id)}
    version = check_version(report, expected_version)
    transition_for(report, "approve_part")
    wanted = (
        [Part(p) for p in parts]
        if parts
        else [p for p in Part if getattr(report, f"{p}_state") == PartState.PENDING]
    )
    for part in wanted:
        _require_pending(report, part)
    release = store.open_report(report, "release") or {}
    received = received_report(store, report) if edited else None
    for part in wanted:
        _check_part(store, report, part, release, guard, edited, received)
    now = utc_now()
    with store.begin() as connection:
        values = {f"{part}_state": str(PartState.APPROVED) for part in wanted}
        states = {p: values.get(f"{p}_state", getattr(report, f"{p}_state")) for p in Part}
        complete = all(state != PartState.PENDING for state in states.values())
        # The version-checked update goes first: a second approver stops here with StaleVersion.
        _move(
            store,
            connection,
            report,
            "approve" if complete else "approve_part",
            actor,
            version,
            values=values,
            details={"parts": [str(p) for p in wanted]},
        )
        for part in wanted:
            store.add_approval(connection, report_id, str(part), actor, release[part], now)
        return store.get_report(connection, report_id)


def _simple_action(
    store: Store,
    report_id: str,
    actor: str,
    action: str,
    *,
    expected_version: int | None,
    note: str | None = None,
    values: dict[str, Any] | None = None,
) -> StoredReport:
    actor = check_actor(actor)
    with store.begin() as connection:
        report = store.get_report(connection, report_id)
        version = check_version(report, expected_version)
        sealed = (
            {"note": {"action": action, "by": actor, "text": note}} if note is not None else None
        )
        _move(
            store,
            connection,
            report,
            action,
            actor,
            version,
            values=values,
            sealed=sealed,
            details={"note": note is not None},
        )
        return store.get_report(connection, report_id)


def reject(
    store: Store, report_id: str, actor: str, reason: str, *, expected_version: int | None = None
) -> StoredReport:
    """Reject the draft; the reason is kept sealed."""
    if not reason.strip():
        raise StoreError(f"report {report_id}: --reason is required to reject")
    return _simple_action(
        store, report_id, actor, "reject", expected_version=expected_version, note=reason
    )


def ask_for_information(
    store: Store, report_id: str, actor: str, question: str, *, expected_version: int | None = None
) -> StoredReport:
    """Hold the draft until the member answers a question (kept sealed)."""
    return _simple_action(
        store, report_id, actor, "ask", expected_version=expected_version, note=question
    )


def resume(
    store: Store, report_id: str, actor: str, *, expected_version: int | None = None
) -> StoredReport:
    """Put a report that was waiting for information back in review."""
    return _simple_action(store, report_id, actor, "resume", expected_version=expected_version)


def mark_released(
    store: Store, report_id: str, actor: str, *, expected_version: int | None = None
) -> StoredReport:
    """Mark an approved report released, once every delivery it needed has gone.

    Only :func:`pipeline.outbox.finish_release` should call this: it checks the report's outbox
    first (the release flow and ``mugs release`` both end there). Called directly, it would close
    a report nothing was sent for, since the release flow only picks up approved reports.
    """
    return _simple_action(
        store,
        report_id,
        actor,
        "release",
        expected_version=expected_version,
        values={"released_at": utc_now()},
    )


def withdraw(
    store: Store,
    report_id: str,
    actor: str,
    reason: str | None = None,
    *,
    expected_version: int | None = None,
) -> StoredReport:
    """Withdraw a released alert (the flows send the withdrawal notice)."""
    return _simple_action(
        store,
        report_id,
        actor,
        "withdraw",
        expected_version=expected_version,
        note=reason,
        values={"withdrawn_at": utc_now()},
    )


# reading ---------------------------------------------------------------------------------------


def approved_outputs(store: Store, report_id: str) -> dict[str, Any]:
    """Return the final approved text of each part, by part name (what the flows send)."""
    with store.begin() as connection:
        store.get_report(connection, report_id)
        return {row.part: row.final for row in store.approvals_of(connection, report_id)}


def queue(store: Store, states: Sequence[str] | None = None) -> list[StoredReport]:
    """List reports waiting on someone (default: every open state), oldest first."""
    wanted = [str(State(s)) for s in states] if states else [str(s) for s in OPEN_STATES]
    with store.begin() as connection:
        return store.list_reports(connection, wanted)


def report_view(store: Store, report_id: str, *, include_raw: bool = False) -> dict[str, Any]:
    """Everything a caseworker sees about one report, as JSON-able data."""
    from pipeline.audit import report_trail

    with store.begin() as connection:
        report = store.get_report(connection, report_id)
        edit_rows = store.edits_of(connection, report_id)
        approval_rows = store.approvals_of(connection, report_id)
        conflicts = store.intake_conflict_count(connection, report_id)
    release = store.open_report(report, "release")
    view: dict[str, Any] = {
        "report_id": report.report_id,
        "version": report.version,
        "state": report.state,
        "parts": {"alert": report.alert_state, "intelligence": report.intelligence_state},
        "incident_types": list(report.incident_types),
        "incident_date": report.incident_date.isoformat() if report.incident_date else None,
        "police_force": report.police_force,
        "setting": report.setting,
        "consent": {
            "alert": report.consent_alert,
            "intelligence": report.consent_intelligence,
            "police_contact": report.consent_police_contact,
        },
        "completeness": {
            "alert": report.completeness_alert,
            "intelligence": report.completeness_intelligence,
        },
        "received_at": report.received_at.isoformat(),
        "released_at": report.released_at.isoformat() if report.released_at else None,
        "purged": report.purged_at is not None,
        "intake_conflicts": conflicts,
        "release": release,
        "editable_fields": editable_fields(release) if isinstance(release, dict) else [],
        "review": store.open_report(report, "review"),
        "note": store.open_report(report, "note"),
        "edits": [
            {
                "at": e.at.isoformat(),
                "actor": e.actor,
                "field": e.field,
                "diff": e.diff,
                "guard_problems": list(e.problems),
            }
            for e in edit_rows
        ],
        "approvals": [
            {"part": a.part, "actor": a.actor, "at": a.at.isoformat()} for a in approval_rows
        ],
        "audit": report_trail(store, report_id),
    }
    if include_raw:
        view["raw"] = store.open_report(report, "raw")
    return view
