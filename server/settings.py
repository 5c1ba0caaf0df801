"""Settings: one frozen value read from PEERCHAT_* environment variables and validated at start.

This is the only module that reads os.environ.
"""
from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field, replace
from ipaddress import IPv4Network, IPv6Network, ip_network
from pathlib import Path
from urllib.parse import urlsplit
from typing import Callable, Mapping, TypeVar

from .moderation.ratelimit import RateLimit

PACKAGE_ROOT = Path(__file__).resolve().parent
DEFAULT_WEB_DIR = PACKAGE_ROOT.parent / "web" / "dist"


class SettingsError(ValueError):
    """A setting is missing or malformed; the message names the variable."""


@dataclass(frozen=True, slots=True)
class RateLimits:
    """Token buckets per action; None switches one off (the test settings switch them all off)."""

    send_message: RateLimit | None = RateLimit(per_second=1.0, burst=10)
    join_room: RateLimit | None = RateLimit(per_second=0.1, burst=10)
    typing: RateLimit | None = RateLimit(per_second=1.0, burst=3)
    history: RateLimit | None = RateLimit(per_second=2.0, burst=20)
    create_session: RateLimit | None = RateLimit(per_second=0.05, burst=10)
    login_account: RateLimit | None = RateLimit(per_second=5 / 1800, burst=5)
    login_address: RateLimit | None = RateLimit(per_second=20 / 1800, burst=20)
    report: RateLimit | None = RateLimit(per_second=0.1, burst=5)
    # A message over the send limit that reads as crisis is sent anyway, within this separate bucket (20 a
    # minute), so someone in crisis writing fast is heard at once and the crisis words can't flood a room.
    crisis_send: RateLimit | None = RateLimit(per_second=1 / 3, burst=20)
    # Writes of the one crisis alert per person for crisis messages refused unread (rooms/refused_sends.py):
    # a flood of them past every other limit costs the database no more than this.
    crisis_alert: RateLimit | None = RateLimit(per_second=0.1, burst=5)
    # Refused texts read for crisis, per connection: past it, the texts of someone whose crisis item is open
    # already go unread (a flood can't buy a reading per frame); everyone else's are still read.
    crisis_read: RateLimit | None = RateLimit(per_second=1.0, burst=30)

    @classmethod
    def disabled(cls) -> RateLimits:
        return cls.only()

    @classmethod
    def only(cls, **limits: RateLimit) -> RateLimits:
        """Every limit off except the ones given: how tests turn on the one they check."""
        return cls(**{name: limits.get(name) for name in cls.__dataclass_fields__})


@dataclass(frozen=True, slots=True)
class Settings:
    host: str = "127.0.0.1"
    port: int = 8080
    database_url: str = "sqlite+aiosqlite:///var/peerchat.sqlite3"
    redis_url: str | None = None
    secret_key: str = field(default_factory=lambda: secrets.token_urlsafe(32), repr=False)
    secret_key_generated: bool = True
    allowed_origins: tuple[str, ...] = ()
    trusted_proxies: tuple[IPv4Network | IPv6Network, ...] = ()
    peer_token_ttl: float = 12 * 3600
    staff_token_ttl: float = 8 * 3600
    max_message_chars: int = 2000
    max_frame_bytes: int = 16 * 1024
    history_on_join: int = 50
    history_page_max: int = 100
    moderation_retention_days: int = 30
    audit_retention_days: int = 365
    locale: str = "en-US"
    purge_interval: float = 3600
    web_dir: Path = DEFAULT_WEB_DIR
    log_level: str = "INFO"
    log_json: bool = False
    uvloop: bool = True
    rate_limits: RateLimits = field(default_factory=RateLimits)
    escalate_after: float = 60.0
    escalate_crisis_after: float = 300.0
    claim_release_after: float = 120.0
    room_routing_seconds: float = 120.0
    review_tick: float = 1.0
    escalation_webhook_url: str | None = None
    escalation_webhook_secret: str | None = field(default=None, repr=False)
    session_tick_seconds: float = 5.0
    redis_prefix: str = "peerchat"
    rate_limit_fallback: float = 0.5
    max_backlog: int = 1000
    max_connections_per_user: int = 5
    resume_max: int = 500
    shutdown_drain: float = 2.0
    shutdown_timeout: float = 20.0
    admin_ui_password: str | None = field(default=None, repr=False)

    @property
    def redis_without_password(self) -> bool:
        """Redis on another host with no password: whoever reaches it reads and injects every room's traffic."""
        if not self.redis_url:
            return False
        parsed = urlsplit(self.redis_url)
        return not parsed.password and parsed.hostname not in (None, "127.0.0.1", "localhost", "::1")

    @property
    def origins(self) -> list[str]:
        if self.allowed_origins:
            return list(self.allowed_origins)
        hosts = {self.host, "127.0.0.1", "localhost"}
        return sorted(f"http://{h}:{self.port}" for h in hosts)

    def with_overrides(self, **changes: object) -> Settings:
        return replace(self, **changes)  # type: ignore[arg-type]


N = TypeVar("N", int, float)


def _number(env: Mapping[str, str], name: str, default: N, low: N, high: N, kind: Callable[[str], N],
            what: str) -> N:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = kind(raw)
    except ValueError:
        raise SettingsError(f"{name} must be {what}, got {raw!r}") from None
    if not low <= value <= high:
        raise SettingsError(f"{name} must be between {low} and {high}, got {value}")
    return value


def _int(env: Mapping[str, str], name: str, default: int, low: int, high: int) -> int:
    return _number(env, name, default, low, high, int, "a whole number")


def _float(env: Mapping[str, str], name: str, default: float, low: float, high: float) -> float:
    return _number(env, name, default, low, high, float, "a number")


def _bool(env: Mapping[str, str], name: str, default: bool) -> bool:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    if raw.lower() in {"1", "true", "yes", "on"}:
        return True
    if raw.lower() in {"0", "false", "no", "off"}:
        return False
    raise SettingsError(f"{name} must be true or false, got {raw!r}")


def _database_url(raw: str) -> str:
    """Accept plain postgresql:// and sqlite:// URLs and pick the async drivers for them."""
    if raw.startswith(("postgres://", "postgresql://")):
        return "postgresql+asyncpg://" + raw.split("://", 1)[1]
    if raw.startswith("sqlite://") and not raw.startswith("sqlite+aiosqlite://"):
        return "sqlite+aiosqlite://" + raw.split("://", 1)[1]
    if raw.startswith(("postgresql+asyncpg://", "sqlite+aiosqlite://")):
        return raw
    raise SettingsError("PEERCHAT_DATABASE_URL must be a sqlite:// or postgresql:// URL")


def _locale(raw: str) -> str:
    parts = raw.replace("_", "-").split("-")
    if not (2 <= len(parts[0]) <= 3 and parts[0].isalpha()) or len(parts) > 2:
        raise SettingsError(f"PEERCHAT_LOCALE must look like en-GB, got {raw!r}")
    return raw


def load_settings(env: Mapping[str, str] | None = None) -> Settings:
    env = os.environ if env is None else env
    secret = env.get("PEERCHAT_SECRET_KEY", "")
    redis_url = env.get("PEERCHAT_REDIS_URL") or None
    if secret and len(secret) < 32:
        raise SettingsError("PEERCHAT_SECRET_KEY must be at least 32 characters")
    if redis_url and not secret:
        raise SettingsError("PEERCHAT_SECRET_KEY is required when PEERCHAT_REDIS_URL is set, "
                            "so every process accepts the same tokens")
    origins = tuple(o.strip().rstrip("/") for o in env.get("PEERCHAT_ALLOWED_ORIGINS", "").split(",") if o.strip())
    if "*" in origins:
        raise SettingsError("PEERCHAT_ALLOWED_ORIGINS must list exact origins, never '*'")
    webhook_url = env.get("PEERCHAT_ESCALATION_WEBHOOK_URL") or None
    webhook_secret = env.get("PEERCHAT_ESCALATION_WEBHOOK_SECRET") or None
    if webhook_url and not (webhook_secret and len(webhook_secret) >= 16):
        raise SettingsError("PEERCHAT_ESCALATION_WEBHOOK_SECRET (at least 16 characters) is required when "
                            "PEERCHAT_ESCALATION_WEBHOOK_URL is set, so the receiver can verify the signature")
    if webhook_url and not webhook_url.startswith(("https://", "http://")):
        raise SettingsError("PEERCHAT_ESCALATION_WEBHOOK_URL must be an http:// or https:// URL")
    base = Settings()
    return Settings(
        host=env.get("PEERCHAT_HOST", base.host),
        port=_int(env, "PEERCHAT_PORT", base.port, 0, 65535),
        database_url=_database_url(env.get("PEERCHAT_DATABASE_URL", base.database_url)),
        redis_url=redis_url,
        secret_key=secret or base.secret_key,
        secret_key_generated=not secret,
        allowed_origins=origins,
        trusted_proxies=_networks(env, "PEERCHAT_TRUSTED_PROXIES"),
        peer_token_ttl=_int(env, "PEERCHAT_PEER_TOKEN_HOURS", 12, 1, 24 * 30) * 3600,
        staff_token_ttl=_int(env, "PEERCHAT_STAFF_TOKEN_HOURS", 8, 1, 24 * 7) * 3600,
        locale=_locale(env.get("PEERCHAT_LOCALE", "en-US")),
        moderation_retention_days=_int(env, "PEERCHAT_MODERATION_RETENTION_DAYS", 30, 1, 3650),
        audit_retention_days=_int(env, "PEERCHAT_AUDIT_RETENTION_DAYS", base.audit_retention_days, 0, 3650),
        purge_interval=_int(env, "PEERCHAT_PURGE_INTERVAL_MINUTES", 60, 1, 24 * 60) * 60,
        web_dir=Path(env.get("PEERCHAT_WEB_DIR", str(DEFAULT_WEB_DIR))),
        log_level=_log_level(env.get("PEERCHAT_LOG_LEVEL", "INFO")),
        log_json=_bool(env, "PEERCHAT_LOG_JSON", False),
        uvloop=_bool(env, "PEERCHAT_UVLOOP", True),
        session_tick_seconds=_int(env, "PEERCHAT_SESSION_TICK_SECONDS", 5, 0, 300),
        rate_limits=RateLimits() if _bool(env, "PEERCHAT_RATE_LIMITS", True) else RateLimits.disabled(),
        escalate_after=_int(env, "PEERCHAT_ESCALATION_SECONDS", 60, 5, 3600),
        escalate_crisis_after=_int(env, "PEERCHAT_CRISIS_ESCALATION_SECONDS", 300, 30, 24 * 3600),
        claim_release_after=_int(env, "PEERCHAT_CLAIM_RELEASE_SECONDS", 120, 10, 24 * 3600),
        room_routing_seconds=_int(env, "PEERCHAT_ROOM_ROUTING_SECONDS", 120, 0, 3600),
        escalation_webhook_url=webhook_url,
        escalation_webhook_secret=webhook_secret,
        redis_prefix=env.get("PEERCHAT_REDIS_PREFIX", base.redis_prefix),
        rate_limit_fallback=_float(env, "PEERCHAT_RATE_LIMIT_FALLBACK", base.rate_limit_fallback, 0.01, 1.0),
        max_backlog=_int(env, "PEERCHAT_MAX_BACKLOG", base.max_backlog, 10, 1_000_000),
        max_connections_per_user=_int(env, "PEERCHAT_MAX_CONNECTIONS_PER_USER", base.max_connections_per_user,
                                      1, 1000),
        resume_max=_int(env, "PEERCHAT_RESUME_MAX", base.resume_max, 1, 100_000),
        shutdown_drain=_float(env, "PEERCHAT_SHUTDOWN_DRAIN", base.shutdown_drain, 0.0, 300.0),
        shutdown_timeout=_float(env, "PEERCHAT_SHUTDOWN_TIMEOUT", base.shutdown_timeout, 1.0, 600.0),
        admin_ui_password=_admin_ui_password(env),
    )


def _networks(env: Mapping[str, str], name: str) -> tuple[IPv4Network | IPv6Network, ...]:
    """Comma-separated addresses or networks ("172.28.0.0/24, 10.0.0.5")."""
    try:
        return tuple(ip_network(part.strip()) for part in env.get(name, "").split(",") if part.strip())
    except ValueError as error:
        raise SettingsError(f"{name} must list IP addresses or networks such as 10.0.0.0/8: {error}") from None


_LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")


def _log_level(raw: str) -> str:
    if raw.upper() not in _LOG_LEVELS:
        raise SettingsError(f"PEERCHAT_LOG_LEVEL must be one of {', '.join(_LOG_LEVELS)}, got {raw!r}")
    return raw.upper()


def _admin_ui_password(env: Mapping[str, str]) -> str | None:
    """The Socket.IO Admin UI is off unless an admin sets a long password for it."""
    raw = env.get("PEERCHAT_ADMIN_UI_PASSWORD") or None
    if raw is not None and len(raw) < 16:
        raise SettingsError("PEERCHAT_ADMIN_UI_PASSWORD must be at least 16 characters")
    return raw
