"""One typed Settings object: the only place that reads the environment."""

from __future__ import annotations

import re
from functools import cached_property
from pathlib import Path

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot.followup.clock import Preset, PresetError, parse_presets

PROJECT_ROOT = Path(__file__).resolve().parent.parent

_DURATION = re.compile(r"^\s*(\d+)\s*([smhd])\s*$")
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


class SettingsError(ValueError):
    """A setting has a value we cannot use; the message is shown to the operator."""


def parse_duration(text: str) -> int:
    """Parse '3d', '12h', '30m' or '10s' into seconds."""
    match = _DURATION.match(text)
    if not match:
        raise SettingsError(f"Ongeldige duur '{text}': gebruik bijvoorbeeld 3d, 12h, 30m of 10s.")
    seconds = int(match.group(1)) * _UNIT_SECONDS[match.group(2)]
    if seconds <= 0:
        raise SettingsError(f"Duur '{text}' moet groter dan nul zijn.")
    return seconds


def parse_id_list(text: str, *, name: str) -> list[int]:
    """Parse a comma/space separated list of numeric Telegram ids."""
    ids: list[int] = []
    for part in re.split(r"[,\s;]+", text.strip()):
        if not part:
            continue
        if not re.fullmatch(r"-?\d{1,20}", part):
            raise SettingsError(f"{name}: '{part}' is geen numeriek Telegram-id.")
        ids.append(int(part))
    return ids


class Settings(BaseSettings):
    """All configuration of wijkbot. Every field is documented in .env.example."""

    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", populate_by_name=True
    )

    # Where things live
    data_dir: Path = Field(default=Path("data"), validation_alias="WIJKBOT_DATA_DIR")
    knowledge_dir: Path = Field(default=PROJECT_ROOT / "knowledge", validation_alias="WIJKBOT_KNOWLEDGE_DIR")
    prompts_dir: Path = Field(default=PROJECT_ROOT / "prompts", validation_alias="WIJKBOT_PROMPTS_DIR")
    log_level: str = Field(default="INFO", validation_alias="WIJKBOT_LOG_LEVEL")
    # Native threads per numeric pool (BLAS, OpenMP); applied when `bot` is imported (bot/threads.py)
    threads: int = Field(default=1, validation_alias="WIJKBOT_THREADS", ge=1, le=64)

    # Vector store: embedded by default, a Chroma server when CHROMA_HOST is set
    chroma_host: str | None = Field(default=None, validation_alias="CHROMA_HOST")
    chroma_port: int = Field(default=8000, validation_alias="CHROMA_PORT")

    # LLM (optional): on when OPENAI_API_KEY or OPENAI_BASE_URL is set
    openai_api_key: str | None = Field(default=None, validation_alias="OPENAI_API_KEY")
    openai_base_url: str | None = Field(default=None, validation_alias="OPENAI_BASE_URL")
    openai_model: str = Field(default="gpt-4o-mini", validation_alias="OPENAI_MODEL")
    openai_timeout: float = Field(default=20.0, validation_alias="OPENAI_TIMEOUT", gt=0, le=20)
    openai_max_tokens: int = Field(default=400, validation_alias="OPENAI_MAX_TOKENS", gt=0, le=2000)
    openai_transcribe_model: str | None = Field(default=None, validation_alias="OPENAI_TRANSCRIBE_MODEL")

    # Telegram (optional): on when TELEGRAM_BOT_TOKEN is set
    telegram_bot_token: str | None = Field(default=None, validation_alias="TELEGRAM_BOT_TOKEN")
    telegram_api_base_url: str = Field(
        default="https://api.telegram.org/bot", validation_alias="TELEGRAM_API_BASE_URL"
    )
    webhook_url: str | None = Field(default=None, validation_alias="WEBHOOK_URL")
    webhook_secret: str | None = Field(default=None, validation_alias="WEBHOOK_SECRET")
    webhook_listen: str = Field(default="0.0.0.0", validation_alias="WEBHOOK_LISTEN")
    webhook_port: int = Field(default=8443, validation_alias="WEBHOOK_PORT")
    # Overall outgoing Telegram messages per second (Telegram's flood limit is ~30); 0 turns it off
    telegram_max_rate: float = Field(default=30.0, validation_alias="WIJKBOT_TELEGRAM_MAX_RATE", ge=0)

    # Access, follow-up, privacy, limits
    allowed_users_raw: str = Field(default="", validation_alias="WIJKBOT_ALLOWED_USERS")
    admins_raw: str = Field(default="", validation_alias="WIJKBOT_ADMINS")
    followup_presets_raw: str = Field(default="1wd,3d,1w,2w", validation_alias="WIJKBOT_FOLLOWUP_PRESETS")
    followup_checkin_raw: str = Field(default="3h", validation_alias="WIJKBOT_FOLLOWUP_CHECKIN")
    retention_days: int = Field(default=90, validation_alias="WIJKBOT_RETENTION_DAYS", ge=1)
    rate_limit_per_minute: int = Field(default=20, validation_alias="WIJKBOT_RATE_LIMIT", ge=1)
    invite_ttl_hours: int = Field(default=72, validation_alias="WIJKBOT_INVITE_TTL_HOURS", ge=1)
    context_ttl_hours: int = Field(default=24, validation_alias="WIJKBOT_CONTEXT_TTL_HOURS", ge=1)

    # Web app (`wijkbot web`): chat, kaart beheer and team insight on one port
    web_host: str = Field(default="127.0.0.1", validation_alias="WIJKBOT_WEB_HOST")
    web_port: int = Field(default=8080, validation_alias="WIJKBOT_WEB_PORT", ge=1, le=65535)
    web_secret: str | None = Field(default=None, validation_alias="WIJKBOT_WEB_SECRET")
    web_session_hours: int = Field(default=12, validation_alias="WIJKBOT_WEB_SESSION_HOURS", ge=1, le=24 * 30)
    web_secure_cookie: bool = Field(default=False, validation_alias="WIJKBOT_WEB_SECURE_COOKIE")
    web_login_attempts: int = Field(default=10, validation_alias="WIJKBOT_WEB_LOGIN_ATTEMPTS", ge=1)
    web_stale_months: int = Field(default=12, validation_alias="WIJKBOT_WEB_STALE_MONTHS", ge=1, le=120)

    @field_validator(
        "web_secret",
        "chroma_host",
        "openai_api_key",
        "openai_base_url",
        "telegram_bot_token",
        "webhook_url",
        "webhook_secret",
        "openai_transcribe_model",
        mode="before",
    )
    @classmethod
    def _empty_is_none(cls, value: object) -> object:
        if isinstance(value, str) and not value.strip():
            return None
        return value

    @property
    def llm_enabled(self) -> bool:
        return bool(self.openai_api_key or self.openai_base_url)

    @cached_property
    def allowed_users(self) -> list[int]:
        return parse_id_list(self.allowed_users_raw, name="WIJKBOT_ALLOWED_USERS")

    @cached_property
    def admins(self) -> list[int]:
        return parse_id_list(self.admins_raw, name="WIJKBOT_ADMINS")

    @cached_property
    def followup_presets(self) -> list[Preset]:
        """Reminder choices, e.g. '1wd,3d,1w,2w' (morgen, over 3 dagen, over een week, over 2 weken); see bot/followup/clock.py."""
        try:
            return parse_presets(self.followup_presets_raw)
        except PresetError as exc:
            raise SettingsError(f"WIJKBOT_FOLLOWUP_PRESETS: {exc}") from exc

    @cached_property
    def followup_checkin(self) -> int:
        """Seconds until the check-in after an acute or anonymous referral ("Is het gelukt?")."""
        return parse_duration(self.followup_checkin_raw)

    # Derived locations inside the data directory
    @property
    def chroma_dir(self) -> Path:
        return self.data_dir / "chroma"

    @property
    def index_dir(self) -> Path:
        return self.data_dir / "index"

    @property
    def database_path(self) -> Path:
        return self.data_dir / "wijkbot.sqlite3"

    @property
    def kaart_dir(self) -> Path:
        return self.data_dir / "kaart"

    @property
    def web_secret_path(self) -> Path:
        """Where the web app keeps its generated cookie-signing key when WIJKBOT_WEB_SECRET is not set."""
        return self.data_dir / "web_secret"

    @property
    def publication_path(self) -> Path:
        return self.knowledge_dir / "publicatie" / "samenwerken-in-de-wijk.txt"

    @property
    def documents_dir(self) -> Path:
        return self.knowledge_dir / "documenten"

    @property
    def example_kaart_path(self) -> Path:
        return self.knowledge_dir / "sociale_kaart" / "voorbeeld.csv"

    def validate_all(self) -> None:
        """Raise SettingsError for any derived value that cannot be parsed."""
        _ = self.allowed_users, self.admins, self.followup_presets, self.followup_checkin
