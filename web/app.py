"""The FastAPI app factory: security headers, templates, error pages and the page routers."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import jinja2
from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.middleware.base import BaseHTTPMiddleware, RequestResponseEndpoint

from pipeline.checker import CheckLimiter, ensure_checker_tables
from pipeline.errors import MugsError
from pipeline.store import Store
from pipeline.users import ensure_user_tables
from web.auth import CsrfError, ForbiddenError, SignInRequiredError, optional_session

logger = logging.getLogger(__name__)

WEB_DIR = Path(__file__).resolve().parent

SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "connect-src 'self'; form-action 'self'; frame-src 'self'; base-uri 'none'; "
        "frame-ancestors 'none'"
    ),
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}


class SecurityHeaders(BaseHTTPMiddleware):
    """Add the security headers to every response; pages are never cached."""

    async def dispatch(self, request: Request, call_next: RequestResponseEndpoint) -> Response:
        """Add the headers."""
        response = await call_next(request)
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        if not request.url.path.startswith("/static/"):
            response.headers["Cache-Control"] = "no-store"
        return response


def template_environment() -> jinja2.Environment:
    """The one jinja2 environment for the pages: autoescaped, strict about missing values."""
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(WEB_DIR / "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def create_app(
    store: Store,
    *,
    limiter: CheckLimiter | None = None,
    secure_cookies: bool = False,
    sync_interval: float = 5.0,
) -> FastAPI:
    """The web app on *store* (its user, session and checker tables are created if missing)."""
    ensure_user_tables(store.engine)
    ensure_checker_tables(store.engine)
    app = FastAPI(title="Ugly Mugs review", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.store = store
    app.state.limiter = limiter or CheckLimiter()
    app.state.secure_cookies = secure_cookies
    from web.casework import PublishedSync

    app.state.published = PublishedSync(store, interval=sync_interval)
    app.state.published.now()
    environment = template_environment()

    def render(
        request: Request, name: str, context: dict[str, Any], status_code: int = 200
    ) -> HTMLResponse:
        session = optional_session(request)
        page = environment.get_template(name).render(
            request=request, session=session, user=session.user if session else None,
            csrf_token=context.pop("csrf_token", session.csrf_token if session else ""), **context,
        )
        return HTMLResponse(page, status_code=status_code)

    app.state.render = render
    app.add_middleware(SecurityHeaders)
    app.mount("/static", StaticFiles(directory=WEB_DIR / "static"), name="static")
    _add_error_pages(app)

    from web import auth, member_pages, review_pages, staff_pages

    for module in (auth, review_pages, member_pages, staff_pages):
        app.include_router(module.router)
    from web import statistics_routes

    statistics_routes.register(app)
    return app


def _wants_json(request: Request) -> bool:
    accept = request.headers.get("accept", "")
    return request.url.path.startswith("/api/") or "application/json" in accept


def _add_error_pages(app: FastAPI) -> None:
    def error(request: Request, status: int, title: str, message: str) -> Response:
        if _wants_json(request):
            return JSONResponse({"error": message}, status_code=status)
        return app.state.render(request, "error.html", {"title": title, "message": message},
                                status_code=status)

    @app.exception_handler(SignInRequiredError)
    async def _signin(request: Request, _exc: SignInRequiredError) -> Response:
        if _wants_json(request):
            return JSONResponse({"error": "sign in first"}, status_code=401)
        return RedirectResponse(f"/signin?next={request.url.path}", status_code=303)

    @app.exception_handler(ForbiddenError)
    async def _forbidden(request: Request, exc: ForbiddenError) -> Response:
        return error(request, 403, "Not for your role", str(exc).capitalize() + ".")

    @app.exception_handler(CsrfError)
    async def _csrf(request: Request, _exc: CsrfError) -> Response:
        return error(request, 403, "Form expired", "The form expired or came from elsewhere: "
                     "reload the page and try again.")

    @app.exception_handler(MugsError)
    async def _mugs(request: Request, exc: MugsError) -> Response:
        # Project errors name ids, fields and problems only, never report text.
        logger.info("refused %s: %s", request.url.path, type(exc).__name__)
        from pipeline.errors import NotFound

        status = 404 if isinstance(exc, NotFound) else 409
        return error(request, status, "That did not work", str(exc))
