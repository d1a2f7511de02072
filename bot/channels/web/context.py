"""What every web handler uses: services, the engine, sessions, templates, and the request helpers
(current session, CSRF-checked forms, log-in and admin checks)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.templating import Jinja2Templates

from bot.channels.ratelimit import SlidingWindowLimiter
from bot.channels.web.logins import WebLogins
from bot.channels.web.render import reply_html, tel_href
from bot.channels.web.security import CSRF_FIELD, CSRF_HEADER, LoginThrottle, Session, SessionCodec, csrf_ok
from bot.config import Settings
from bot.conversation.access import AccessControl
from bot.conversation.engine import Engine
from bot.followup.insight import TeamInsight
from bot.kaart.editing import KaartEditor
from bot.services import Services

PACKAGE_DIR = Path(__file__).resolve().parent
MAX_UPLOAD_BYTES = 10 * 1024 * 1024
FORM_OVERHEAD_BYTES = 64 * 1024


class LoginRequired(Exception):
    """An anonymous visitor asked for a page that needs a log-in: show the log-in page."""


@dataclass
class WebContext:
    """Built once by create_app; handlers reach it as request.app.state.web."""

    settings: Settings
    services: Services
    engine: Engine
    access: AccessControl
    codec: SessionCodec
    logins: WebLogins
    editor: KaartEditor
    insight: TeamInsight
    clock: Callable[[], datetime]
    templates: Jinja2Templates = field(init=False)
    throttle: LoginThrottle = field(init=False)
    chat_limiter: SlidingWindowLimiter = field(init=False)
    list_cache: dict[str, Any] = field(default_factory=dict)  # kaart content hash -> search haystacks

    def __post_init__(self) -> None:
        self.templates = Jinja2Templates(directory=str(PACKAGE_DIR / "templates"))
        self.templates.env.globals.update(reply_html=reply_html, tel_href=tel_href)
        self.throttle = LoginThrottle(limit=self.settings.web_login_attempts)
        self.chat_limiter = SlidingWindowLimiter(limit=self.settings.rate_limit_per_minute)

    def render(self, request: Request, name: str, values: dict[str, Any] | None = None, *,
               status: int = 200) -> HTMLResponse:  # fmt: skip
        session = session_of(request)
        user_id = session.user_id
        context = {"csrf": session.csrf, "user_id": user_id, "logged_in": session.logged_in,
                   "is_admin": user_id is not None and self.access.is_admin(user_id), **(values or {})}  # fmt: skip
        return self.templates.TemplateResponse(request, name, context, status_code=status)


def web(request: Request) -> WebContext:
    ctx: WebContext = request.app.state.web
    return ctx


def session_of(request: Request) -> Session:
    session: Session = request.state.session
    return session


def set_session(request: Request, session: Session) -> None:
    """Replace the session (log-in, log-out); the middleware writes the cookie."""
    request.state.session = session
    request.state.write_session = True


def require_user(request: Request) -> int:
    user_id = session_of(request).user_id
    if user_id is None:
        raise LoginRequired
    return user_id


def require_admin(request: Request) -> int:
    user_id = require_user(request)
    if not web(request).access.is_admin(user_id):
        raise HTTPException(403, "Deze pagina is alleen voor beheerders.")
    return user_id


async def checked_form(request: Request, *, upload: bool = False) -> FormData:
    """Parse the form and check its CSRF token (form field or X-CSRF-Token header); 403 when wrong."""
    limit = MAX_UPLOAD_BYTES + FORM_OVERHEAD_BYTES if upload else FORM_OVERHEAD_BYTES
    length = request.headers.get("content-length", "")
    if length.isdigit() and int(length) > limit:
        raise HTTPException(413, too_large_text(int(length)) if upload else "Het formulier is te groot.")
    try:
        form = await request.form(max_files=1 if upload else 0, max_fields=200, max_part_size=limit)
    except Exception as exc:  # noqa: BLE001 - python-multipart raises several kinds
        raise HTTPException(400, "Het formulier kon niet gelezen worden.") from exc
    sent = form.get(CSRF_FIELD) or request.headers.get(CSRF_HEADER)
    if not csrf_ok(session_of(request), str(sent) if sent else None):
        raise HTTPException(403, "Het formulier is verlopen. Laad de pagina opnieuw en probeer het nog eens.")
    return form


def too_large_text(size: int) -> str:
    return (f"Het bestand is te groot ({size / 1_000_000:.1f} MB). Het maximum is "
            f"{MAX_UPLOAD_BYTES // (1024 * 1024)} MB.")  # fmt: skip


def text_field(form: FormData, name: str, *, limit: int = 20_000) -> str:
    value = form.get(name)
    return value[:limit] if isinstance(value, str) else ""


async def blocking(func: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """Run SQLite, embedding and engine work off the event loop."""
    return await asyncio.to_thread(func, *args, **kwargs)


def client_key(request: Request) -> str:
    return request.client.host if request.client else "?"


def redirect(url: str) -> Response:
    return Response(status_code=303, headers={"location": url})
