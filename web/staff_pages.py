"""Pages for researchers, data staff and admins: protected statistics and user accounts."""

from __future__ import annotations

import logging
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from pipeline.statistics import StatisticsError, compute_statistics, metadata_from_store
from pipeline.users import (
    Session,
    UserError,
    UserRole,
    add_user,
    list_users,
    parse_role,
    remove_user,
)
from web.auth import requires

logger = logging.getLogger(__name__)

router = APIRouter()

STATISTICS_READERS = (UserRole.RESEARCHER, UserRole.DATA_STAFF, UserRole.ADMIN, UserRole.CASEWORKER)


@router.get("/stats")
def statistics_page(
    request: Request, session: Annotated[Session, Depends(requires(*STATISTICS_READERS))]
) -> Response:
    """The protected statistics tables (small cells suppressed); no report is opened."""
    try:
        statistics = compute_statistics(metadata_from_store(request.app.state.store))
    except StatisticsError as error:
        return request.app.state.render(request, "stats.html", {"tables": {}, "source": str(error)})
    except ValueError:
        # pipeline.statistics cannot yet tabulate some very small stores; say so, not a 500.
        logger.warning("statistics could not be computed for this store")
        return request.app.state.render(request, "stats.html", {
            "tables": {}, "source": "Too few reports to publish statistics yet."})
    tables = {name.replace("_", " ").capitalize(): frame
              for name, frame in statistics.tables().items()}
    return request.app.state.render(request, "stats.html", {
        "tables": {name: (list(frame.columns), frame.astype(str).values.tolist())
                   for name, frame in tables.items()},
        "source": statistics.source_line(),
    })


Admin = Annotated[Session, Depends(requires(UserRole.ADMIN))]


def _users_page(request: Request, problem: str | None = None, status_code: int = 200) -> Response:
    return request.app.state.render(request, "users.html", {
        "users": list_users(request.app.state.store.engine), "roles": [r.value for r in UserRole],
        "problem": problem,
    }, status_code=status_code)


@router.get("/admin/users")
def users_page(request: Request, session: Admin) -> Response:
    """Every account and its role."""
    return _users_page(request)


@router.post("/admin/users")
def add_account(
    request: Request, session: Admin, username: Annotated[str, Form()],
    password: Annotated[str, Form()], role: Annotated[str, Form()],
) -> Response:
    """Add an account."""
    try:
        engine = request.app.state.store.engine
        add_user(engine, username.strip().lower(), password, parse_role(role))
    except UserError as error:
        return _users_page(request, str(error), 400)
    return RedirectResponse("/admin/users", status_code=303)


@router.post("/admin/users/{username}/remove")
def remove_account(request: Request, username: str, session: Admin) -> Response:
    """Remove an account (not one's own)."""
    if username == session.user.username:
        return _users_page(request, "you cannot remove your own account", 400)
    try:
        remove_user(request.app.state.store.engine, username)
    except UserError as error:
        return _users_page(request, str(error), 404)
    return RedirectResponse("/admin/users", status_code=303)
