"""Start-up checks for the Telegram channel: the bot never starts with unusable or unsafe settings."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlparse

from bot.config import Settings, SettingsError

TOKEN_PATTERN = re.compile(r"^\d{3,20}:[A-Za-z0-9_-]{30,}$")


def startup_problem(settings: Settings) -> str | None:
    """A clear message when the bot must not start, else None."""
    token = settings.telegram_bot_token
    if not token:
        return "TELEGRAM_BOT_TOKEN ontbreekt. Zet de token van @BotFather in .env."
    if not TOKEN_PATTERN.match(token):
        return "TELEGRAM_BOT_TOKEN heeft een ongeldige vorm (verwacht: 123456:ABC…)."
    try:
        settings.validate_all()
    except SettingsError as exc:
        return str(exc)
    if not settings.allowed_users and not settings.admins:
        return (
            "Geen WIJKBOT_ALLOWED_USERS en geen WIJKBOT_ADMINS ingesteld: dan kan niemand de bot gebruiken, "
            "of zou hij open staan voor iedereen. Zet WIJKBOT_ALLOWED_USERS of WIJKBOT_ADMINS."
        )
    if urlparse(settings.telegram_api_base_url).scheme not in ("http", "https"):
        return "TELEGRAM_API_BASE_URL moet met http:// of https:// beginnen."
    if settings.webhook_url and not re.fullmatch(r"[A-Za-z0-9_-]{16,256}", settings.webhook_secret or ""):
        return "WEBHOOK_URL is gezet: zet ook WEBHOOK_SECRET (16-256 tekens: letters, cijfers, _ of -)."
    return None


@dataclass(frozen=True, slots=True)
class WebhookOptions:
    """Arguments for PTB's run_webhook/start_webhook; Telegram must send secret_token in every request."""

    listen: str
    port: int
    url_path: str
    webhook_url: str
    secret_token: str


def webhook_options(settings: Settings) -> WebhookOptions:
    """Webhook settings: listen address/port, the path taken from WEBHOOK_URL, and the secret."""
    assert settings.webhook_url and settings.webhook_secret
    return WebhookOptions(
        listen=settings.webhook_listen,
        port=settings.webhook_port,
        url_path=urlparse(settings.webhook_url).path.lstrip("/"),
        webhook_url=settings.webhook_url,
        secret_token=settings.webhook_secret,
    )
