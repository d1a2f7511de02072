"""The web channel: create_app() builds one Starlette app with the chat (/), kaart beheer (/beheer) and
team insight (/beheer/inzicht). Everything (templates, CSS, htmx) is served from this package.

Security: signed HttpOnly SameSite=Strict session cookie with expiry, CSRF token on every form, log-in
attempts throttled per address, admin pages 403 for others, strict Content-Security-Policy (no inline script).
Privacy: request bodies are never logged; the chat keeps no message text (the page shows it, the server forgets).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.base import BaseHTTPMiddleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from bot.channels.web import beheer, chat, inzicht, transfer
from bot.channels.web.context import PACKAGE_DIR, LoginRequired, WebContext, web
from bot.channels.web.logins import WebLogins
from bot.channels.web.security import COOKIE_NAME, SessionCodec, load_secret
from bot.conversation.access import AccessControl
from bot.conversation.engine import Engine
from bot.followup.insight import TeamInsight
from bot.kaart.audit import KaartAudit
from bot.kaart.editing import KaartEditor
from bot.services import Services

SECURITY_HEADERS = {
    "content-security-policy": (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "frame-ancestors 'none'; form-action 'self'; base-uri 'none'"
    ),
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "no-referrer",
}


class SessionMiddleware(BaseHTTPMiddleware):
    """Reads the session cookie (a fresh anonymous one when missing, bad, expired or revoked by /vergeet),
    writes it back when it changed, and adds the security headers."""

    async def dispatch(
        self, request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        ctx = web(request)
        session = ctx.codec.loads(request.cookies.get(COOKIE_NAME))
        user_id = session.user_id if session is not None else None
        if user_id is not None and not await asyncio.to_thread(ctx.access.is_allowed, user_id):
            session = None  # forgotten (/vergeet) or no longer allowed
        request.state.write_session = session is None
        request.state.session = session or ctx.codec.new(None)
        response = await call_next(request)
        if request.state.write_session:
            response.set_cookie(
                COOKIE_NAME, ctx.codec.dumps(request.state.session), max_age=ctx.codec.ttl_seconds,
                httponly=True, samesite="strict", secure=ctx.settings.web_secure_cookie, path="/",
            )  # fmt: skip
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        if request.url.path.startswith("/static/"):
            response.headers["cache-control"] = "public, max-age=3600"
        else:
            response.headers.setdefault("cache-control", "no-store")
        return response


async def _login_required(request: Request, exc: Exception) -> Response:
    """An admin page or action without a log-in: 403 with the log-in page."""
    return web(request).render(request, "login.html", {"error": ""}, status=403)


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    message = (
        exc.detail if exc.status_code != 404 or exc.detail != "Not Found" else "Deze pagina bestaat niet."
    )
    return web(request).render(request, "error.html", {"message": message, "status": exc.status_code},
                               status=exc.status_code)  # fmt: skip


def build_context(services: Services, *, engine: Engine | None = None,
                  clock: Callable[[], datetime] | None = None) -> WebContext:  # fmt: skip
    """Wire the web channel over already built services (one composition, like the other channels)."""
    settings = services.settings
    clock = clock or (lambda: datetime.now(UTC))
    access = AccessControl(settings, services.store, clock=clock)
    engine = engine or Engine(services, access=access, on_reload=services.reload_knowledge, clock=clock)
    codec = SessionCodec(load_secret(settings), ttl_seconds=settings.web_session_hours * 3600)
    return WebContext(
        settings=settings, services=services, engine=engine, access=access, codec=codec,
        logins=WebLogins(settings.database_path, access, ttl=timedelta(hours=settings.invite_ttl_hours)),
        editor=KaartEditor(kaart=services.kaart, audit=KaartAudit(settings.database_path), clock=clock),
        insight=TeamInsight(settings.database_path), clock=clock,
    )  # fmt: skip


def create_app(services: Services, *, engine: Engine | None = None,
               clock: Callable[[], datetime] | None = None) -> Starlette:  # fmt: skip
    """The ASGI app. Blocking work runs in threads; the engine is shared with nothing else in this process."""
    ctx = build_context(services, engine=engine, clock=clock)
    routes = [
        *chat.routes(),
        *beheer.routes(),
        *transfer.routes(),
        *inzicht.routes(),
        Mount("/static", app=StaticFiles(directory=str(PACKAGE_DIR / "static")), name="static"),
        Route("/manifest.webmanifest", chat.manifest),
    ]
    app = Starlette(
        routes=routes,
        middleware=[Middleware(SessionMiddleware)],
        exception_handlers={LoginRequired: _login_required, HTTPException: _http_error},
    )
    app.state.web = ctx
    return app
