"""Members' pages: the alert feed and the number checker (page and JSON endpoint)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import JSONResponse, Response

from pipeline.checker import CheckError, RateLimitError, check_value, feed_areas, feed_entries
from pipeline.users import Session, UserRole
from web.auth import requires
from web.casework import released_now

router = APIRouter()

FEED_PAGE = 20
ALERT_READERS = (UserRole.MEMBER, UserRole.CASEWORKER, UserRole.DATA_STAFF, UserRole.ADMIN)


@router.get("/feed")
def feed(
    request: Request,
    session: Annotated[Session, Depends(requires(*ALERT_READERS))],
    area: str = "",
    page: int = 1,
) -> Response:
    """Released alerts, newest first, filterable by area or police force."""
    request.app.state.published.maybe_sync()
    engine = request.app.state.store.engine
    page = max(1, page)
    entries = feed_entries(engine, area[:100] or None, limit=FEED_PAGE + 1,
                           offset=(page - 1) * FEED_PAGE)
    return request.app.state.render(request, "feed.html", {
        "entries": entries[:FEED_PAGE], "more": len(entries) > FEED_PAGE, "page": page,
        "area": area[:100], "areas": feed_areas(engine),
    })


def _check(request: Request, session: Session, value: str) -> list:  # type: ignore[type-arg]
    request.app.state.limiter.allow(session.user.username)
    request.app.state.published.maybe_sync()
    store = request.app.state.store

    def still_released(report_ids: Iterable[str]) -> set[str]:
        return released_now(store, report_ids)

    return check_value(store.engine, value, still_released=still_released)


@router.get("/check")
def checker_page(
    request: Request, session: Annotated[Session, Depends(requires(*ALERT_READERS))]
) -> Response:
    """The number checker form."""
    return request.app.state.render(request, "checker.html", {
        "value": "", "checked": False, "matches": [], "error": None,
    })


@router.post("/check")
def checker_submit(
    request: Request,
    session: Annotated[Session, Depends(requires(*ALERT_READERS))],
    value: Annotated[str, Form()],
) -> Response:
    """Check a value and show the matching alerts' headlines and dates."""
    try:
        matches = _check(request, session, value)
    except RateLimitError as limited:
        response = request.app.state.render(request, "checker.html", {
            "value": value[:200], "checked": False, "matches": [],
            "error": str(limited).capitalize() + ".",
        }, status_code=429)
        response.headers["Retry-After"] = str(limited.retry_after)
        return response
    except CheckError as error:
        return request.app.state.render(request, "checker.html", {
            "value": value[:200], "checked": False, "matches": [],
            "error": str(error).capitalize() + ".",
        }, status_code=400)
    return request.app.state.render(request, "checker.html", {
        "value": value[:200], "checked": True, "matches": matches, "error": None,
    })


@router.get("/api/check")
def checker_api(
    request: Request,
    session: Annotated[Session, Depends(requires(*ALERT_READERS))],
    value: str = "",
) -> Response:
    """JSON: {"matches": [{"kind", "headline", "incident_date", "area", "released_on"}]}."""
    try:
        matches = _check(request, session, value)
    except RateLimitError as limited:
        return JSONResponse({"error": str(limited)}, status_code=429,
                            headers={"Retry-After": str(limited.retry_after)})
    except CheckError as error:
        return JSONResponse({"error": str(error)}, status_code=400)
    return JSONResponse({"matches": [m.to_public() for m in matches]})
