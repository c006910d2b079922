"""The caseworkers' pages: the queue and the review of one draft, with its actions."""

from __future__ import annotations

import json
import logging
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from pipeline import review
from pipeline.errors import MugsError
from pipeline.review_edits import decide
from pipeline.users import Session, UserRole
from web.auth import requires
from web.casework import review_page_data, waiting_queue

logger = logging.getLogger(__name__)

router = APIRouter()

Caseworker = Annotated[Session, Depends(requires(UserRole.CASEWORKER))]

EDITABLE = (
    ("alert.headline", "Headline"),
    ("alert.sms.text", "SMS"),
    ("alert.email.subject", "Email subject"),
    ("alert.email.text", "Email (plain text)"),
    ("alert.feed.title", "Website title"),
    ("alert.feed.summary", "Website summary"),
    ("alert.feed.details.what_happened", "Website: what happened"),
)
"""The alert texts the page offers for editing (any other path stays a CLI edit).

Every text a blocked channel needs to be rebuilt is here. HTML is never offered: an edit of an
email or website text rebuilds that channel's HTML (``pipeline.channels.alert_texts``).
"""


QUEUE_PAGE_SIZE = 100
"""Drafts shown on one page of the queue."""


@router.get("/queue")
def queue_page(request: Request, session: Caseworker, start: int = 0) -> Response:
    """Drafts waiting, most severe and oldest first, a page at a time (``?start=N``)."""
    page = waiting_queue(request.app.state.store, QUEUE_PAGE_SIZE, max(start, 0))
    return request.app.state.render(request, "queue.html", {"rows": page.rows, "page": page})


def _render_review(request: Request, report_id: str, *, notice: list[str] | None = None,
                   problem: str | None = None, status_code: int = 200) -> Response:
    data = review_page_data(request.app.state.store, report_id)
    release = data["view"].get("release") or {}
    editable = [(path, label, _text_at(release, path)) for path, label in EDITABLE
                if path in data["view"]["editable_fields"]]
    intelligence = release.get("intelligence")
    return request.app.state.render(request, "review.html", {
        **data,
        "release": release,
        "editable": editable,
        "intelligence_json": json.dumps(intelligence, indent=2, ensure_ascii=False)
        if intelligence else None,
        "notice": notice or [],
        "problem": problem,
    }, status_code=status_code)


def _text_at(tree: dict[str, Any], path: str) -> str:
    node: Any = tree
    for key in path.split("."):
        node = node.get(key) if isinstance(node, dict) else None
    return node if isinstance(node, str) else ""


@router.get("/review/{report_id}")
def review_page(request: Request, report_id: str, session: Caseworker) -> Response:
    """The original report beside the draft, every finding, previews, actions and audit trail."""
    return _render_review(request, report_id)


def _back(report_id: str, anchor: str = "") -> Response:
    return RedirectResponse(f"/review/{report_id}{anchor}", status_code=303)


def _attempt(request: Request, report_id: str, action: Any) -> Response | None:
    """Run a workflow action; on a project error show the page again with the problem."""
    try:
        action()
    except MugsError as error:
        logger.info("review action on %s refused: %s", report_id, type(error).__name__)
        return _render_review(request, report_id, problem=str(error), status_code=409)
    return None


@router.post("/review/{report_id}/decide")
def decide_finding(
    request: Request, report_id: str, session: Caseworker,
    key: Annotated[str, Form()], decision: Annotated[str, Form()], version: Annotated[int, Form()],
) -> Response:
    """Keep or remove one finding; the draft and its previews are drafted again."""
    store = request.app.state.store
    failed = _attempt(request, report_id, lambda: decide(
        store, report_id, session.user.username, {key: decision}, expected_version=version))
    return failed or _back(report_id, "#findings")


@router.post("/review/{report_id}/edit")
def edit_text(
    request: Request, report_id: str, session: Caseworker,
    field: Annotated[str, Form()], text: Annotated[str, Form()], version: Annotated[int, Form()],
) -> Response:
    """Replace one alert text; the release guard checks it at once and again at approval."""
    if field not in dict(EDITABLE):
        return _render_review(request, report_id, status_code=400,
                              problem=f"field '{field[:60]}' is not editable here")
    problems: list[str] = []

    def run() -> None:
        problems.extend(review.edit(request.app.state.store, report_id, session.user.username,
                                    field, text.replace("\r\n", "\n"), expected_version=version))

    failed = _attempt(request, report_id, run)
    if failed:
        return failed
    if problems:
        return _render_review(request, report_id, notice=[
            "Saved, but the release guard blocks approval until this is fixed:", *problems])
    return _back(report_id, "#previews")


@router.post("/review/{report_id}/approve")
def approve(
    request: Request, report_id: str, session: Caseworker, version: Annotated[int, Form()],
    part: Annotated[list[str] | None, Form()] = None,
) -> Response:
    """Approve the alert and/or the SCAS record (default: every pending part)."""
    store = request.app.state.store
    failed = _attempt(request, report_id, lambda: review.approve(
        store, report_id, session.user.username, part or None, expected_version=version))
    return failed or _back(report_id)


@router.post("/review/{report_id}/reject")
def reject(
    request: Request, report_id: str, session: Caseworker, version: Annotated[int, Form()],
    reason: Annotated[str, Form()],
) -> Response:
    """Reject the draft with a reason (kept sealed)."""
    store = request.app.state.store
    failed = _attempt(request, report_id, lambda: review.reject(
        store, report_id, session.user.username, reason, expected_version=version))
    return failed or RedirectResponse("/queue", status_code=303)


@router.post("/review/{report_id}/ask")
def ask(
    request: Request, report_id: str, session: Caseworker, version: Annotated[int, Form()],
    question: Annotated[str, Form()],
) -> Response:
    """Ask the member for more information (the question is kept sealed)."""
    store = request.app.state.store
    failed = _attempt(request, report_id, lambda: review.ask_for_information(
        store, report_id, session.user.username, question, expected_version=version))
    return failed or RedirectResponse("/queue", status_code=303)


@router.post("/review/{report_id}/resume")
def resume(
    request: Request, report_id: str, session: Caseworker, version: Annotated[int, Form()],
) -> Response:
    """Put a report that was waiting for information back in review."""
    store = request.app.state.store
    failed = _attempt(request, report_id, lambda: review.resume(
        store, report_id, session.user.username, expected_version=version))
    return failed or _back(report_id)
