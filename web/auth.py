"""Sign-in, sessions, CSRF and role checks for every page.

A session is a random token in an HttpOnly, SameSite=Strict cookie; the server keeps only its hash
(``pipeline.users``). Every POST carries the session's CSRF token in a hidden ``csrf_token`` field
or an ``X-CSRF-Token`` header. The sign-in form, with no session yet, uses a double-submit token
in its own cookie.
"""

from __future__ import annotations

import hmac
import logging
import secrets
from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from pipeline.errors import MugsError
from pipeline.users import (
    Session,
    UserRole,
    authenticate,
    end_session,
    session_for,
    start_session,
)

logger = logging.getLogger(__name__)

SESSION_COOKIE = "mugs_session"
SIGNIN_CSRF_COOKIE = "mugs_signin_csrf"
HOME_BY_ROLE = {
    UserRole.MEMBER: "/feed",
    UserRole.CASEWORKER: "/queue",
    UserRole.DATA_STAFF: "/stats",
    UserRole.RESEARCHER: "/stats",
    UserRole.ADMIN: "/admin/users",
}

router = APIRouter()


class SignInRequiredError(MugsError):
    """No live session: the handler sends the browser to the sign-in page."""


class ForbiddenError(MugsError):
    """The signed-in role may not see this page; names the page's roles, never data."""

    def __init__(self, allowed: frozenset[UserRole]) -> None:
        self.allowed = allowed
        super().__init__("this page is for: " + ", ".join(sorted(r.value for r in allowed)))


class CsrfError(MugsError):
    """A form arrived without the session's CSRF token."""


def current_session(request: Request) -> Session:
    """The request's live session, or :class:`SignInRequiredError`."""
    cached = getattr(request.state, "mugs_session", None)
    if cached is not None:
        return cached
    token = request.cookies.get(SESSION_COOKIE)
    session = session_for(request.app.state.store.engine, token) if token else None
    if session is None:
        raise SignInRequiredError()
    request.state.mugs_session = session
    return session


def optional_session(request: Request) -> Session | None:
    """The live session if there is one."""
    try:
        return current_session(request)
    except SignInRequiredError:
        return None


def requires(*roles: UserRole) -> Callable[[Request], Awaitable[Session]]:
    """A dependency that lets only *roles* through (and checks CSRF on POST)."""
    allowed = frozenset(roles)

    async def dependency(request: Request) -> Session:
        session = current_session(request)
        if session.user.role not in allowed:
            logger.info("refused %s to role %s", request.url.path, session.user.role.value)
            raise ForbiddenError(allowed)
        if request.method == "POST":
            await check_csrf(request, session.csrf_token)
        return session

    return dependency


async def check_csrf(request: Request, expected: str) -> None:
    """Raise :class:`CsrfError` unless the request carries *expected*."""
    sent = request.headers.get("x-csrf-token")
    if sent is None:
        form = await request.form()
        value = form.get("csrf_token")
        sent = value if isinstance(value, str) else None
    if not sent or not hmac.compare_digest(sent, expected):
        raise CsrfError()


@router.get("/signin")
def signin_page(request: Request, next: str = "/") -> Response:
    """The sign-in form."""
    token = secrets.token_urlsafe(32)
    response = request.app.state.render(
        request, "signin.html", {"csrf_token": token, "next": safe_next(next), "error": None}
    )
    response.set_cookie(SIGNIN_CSRF_COOKIE, token, httponly=True, samesite="strict",
                        secure=request.app.state.secure_cookies, path="/signin")
    return response


@router.post("/signin")
def signin(
    request: Request,
    username: Annotated[str, Form()],
    password: Annotated[str, Form()],
    csrf_token: Annotated[str, Form()],
    next: Annotated[str, Form()] = "/",
) -> Response:
    """Check the password; start a session and go to the role's home page."""
    cookie = request.cookies.get(SIGNIN_CSRF_COOKIE) or ""
    if not cookie or not hmac.compare_digest(cookie, csrf_token):
        raise CsrfError()
    engine = request.app.state.store.engine
    user = authenticate(engine, username.strip().lower(), password)
    if user is None:
        logger.info("failed sign-in")
        token = secrets.token_urlsafe(32)
        response = request.app.state.render(
            request, "signin.html",
            {"csrf_token": token, "next": safe_next(next), "error": "Wrong username or password."},
            status_code=401,
        )
        response.set_cookie(SIGNIN_CSRF_COOKIE, token, httponly=True, samesite="strict",
                            secure=request.app.state.secure_cookies, path="/signin")
        return response
    target = safe_next(next)
    if target == "/":
        target = HOME_BY_ROLE[user.role]
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(SESSION_COOKIE, start_session(engine, user), httponly=True,
                        samesite="strict", secure=request.app.state.secure_cookies, path="/")
    response.delete_cookie(SIGNIN_CSRF_COOKIE, path="/signin")
    logger.info("signed in %s as %s", user.username, user.role.value)
    return response


@router.post("/signout")
async def signout(request: Request) -> Response:
    """End the session."""
    session = current_session(request)
    await check_csrf(request, session.csrf_token)
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        end_session(request.app.state.store.engine, token)
    response = RedirectResponse("/signin", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.get("/")
def home(session: Annotated[Session, Depends(current_session)]) -> Response:
    """Send each role to its first page."""
    return RedirectResponse(HOME_BY_ROLE[session.user.role], status_code=303)


def safe_next(target: str) -> str:
    """A local path to go to after sign-in (never another site)."""
    if not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target
