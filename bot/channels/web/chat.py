"""Web chat routes: log-in page, log-in/out, a chat turn, button presses, due reminders, the manifest.

No message text is stored or logged: the typed text goes to the engine and is echoed once in the response.
"""

from __future__ import annotations

from datetime import UTC, datetime

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from bot.channels.web.context import (
    blocking,
    checked_form,
    client_key,
    redirect,
    require_user,
    session_of,
    set_session,
    text_field,
    web,
)
from bot.channels.web.render import MAX_INPUT_CHARS, event_from_text
from bot.conversation.engine import Engine
from bot.conversation.types import Event, Outcome, Reply

QUICK_COMMANDS = (("Vragen", "/vragen"), ("Partner zoeken", "/partner"), ("Open verwijzingen", "/open"),
                  ("Mijn wijk", "/wijk"), ("Hulp", "/help"))  # fmt: skip


async def home(request: Request) -> Response:
    """The chat for a logged-in member, else the log-in page."""
    ctx = web(request)
    if not session_of(request).logged_in:
        return ctx.render(request, "login.html", {"error": ""})
    return ctx.render(request, "chat.html", {"quick": QUICK_COMMANDS, "turns": []})


async def login(request: Request) -> Response:
    """Redeem an invite code (or an admin log-in code) and start a session."""
    ctx = web(request)
    form = await checked_form(request)
    if not ctx.throttle.allow(client_key(request)):
        error = "Te veel pogingen. Wacht een kwartier en probeer het dan opnieuw."
        return ctx.render(request, "login.html", {"error": error}, status=429)
    code = text_field(form, "code", limit=100)
    user_id = await blocking(ctx.logins.redeem, code)
    if user_id is None:
        error = "Deze code klopt niet, is al gebruikt of is verlopen. Vraag een nieuwe code aan je beheerder."
        return ctx.render(request, "login.html", {"error": error}, status=400)
    set_session(request, ctx.codec.new(user_id))
    return redirect("/")


async def logout(request: Request) -> Response:
    await checked_form(request)
    set_session(request, web(request).codec.new(None))
    return redirect("/")


async def _turn(request: Request, event: Event, echo: str) -> Response:
    ctx = web(request)
    if not ctx.chat_limiter.allow(event.user_id):
        outcome = Outcome(
            replies=[Reply(text="Even rustig aan: je stuurt veel berichten. Probeer het zo weer.")]
        )
    else:
        outcome = await blocking(ctx.engine.handle, event)
    turns = [{"echo": echo, "replies": outcome.replies}]
    if request.headers.get("hx-request") == "true":
        return ctx.render(request, "_turn.html", {"turn": turns[0]})
    return ctx.render(request, "chat.html", {"quick": QUICK_COMMANDS, "turns": turns})


async def say(request: Request) -> Response:
    """One typed message (or /command)."""
    user_id = require_user(request)
    form = await checked_form(request)
    text = text_field(form, "text", limit=MAX_INPUT_CHARS)
    return await _turn(request, event_from_text(user_id, text), text)


async def press(request: Request) -> Response:
    """A pressed reply button."""
    user_id = require_user(request)
    form = await checked_form(request)
    data, label = text_field(form, "data", limit=64), text_field(form, "label", limit=80)
    return await _turn(request, Event(user_id=user_id, kind="button", data=data), label)


async def reminders(request: Request) -> Response:
    """Due reminders of this member (the page polls this); each is shown once, then marked sent."""
    user_id = require_user(request)
    ctx = web(request)
    replies = await blocking(_due_replies, ctx.engine, user_id)
    if not replies:
        return Response(status_code=204)
    return ctx.render(request, "_turn.html", {"turn": {"echo": "", "replies": replies}})


def _due_replies(engine: Engine, user_id: int) -> list[Reply]:
    now = datetime.now(UTC)
    out: list[Reply] = []
    for pending in engine.pending_reminders():
        if pending.user_id != user_id or pending.due_at > now:
            continue
        reply = engine.reminder_due(pending.id)
        if reply is not None:
            out.append(reply)
        engine.reminder_sent(pending.id)
    return out


async def manifest(request: Request) -> Response:
    """Web app manifest: installable on a phone's home screen."""
    payload = {
        "name": "wijkbot", "short_name": "wijkbot", "lang": "nl", "start_url": "/", "scope": "/",
        "display": "standalone", "background_color": "#ffffff", "theme_color": "#1f5f8b",
        "description": "Assistent voor het sociale wijkteam: samenwerken, sociale kaart en terugkoppeling.",
        "icons": [{"src": "/static/icon.svg", "sizes": "any", "type": "image/svg+xml", "purpose": "any"},
                  {"src": "/static/icon-192.png", "sizes": "192x192", "type": "image/png"}],
    }  # fmt: skip
    return JSONResponse(payload, media_type="application/manifest+json")


def routes() -> list[Route]:
    return [
        Route("/", home),
        Route("/login", login, methods=["POST"]),
        Route("/logout", logout, methods=["POST"]),
        Route("/chat", say, methods=["POST"]),
        Route("/chat/knop", press, methods=["POST"]),
        Route("/chat/herinneringen", reminders),
    ]
