"""Settings come only from PEERCHAT_* variables and are validated at start."""
from __future__ import annotations

import pytest

from server.settings import SettingsError, load_settings


def test_defaults_work_on_a_laptop() -> None:
    settings = load_settings({})
    assert (settings.host, settings.port) == ("127.0.0.1", 8080)
    assert settings.database_url.startswith("sqlite+aiosqlite:///")
    assert "http://127.0.0.1:8080" in settings.origins and "http://localhost:8080" in settings.origins
    assert settings.rate_limits.send_message is not None


def test_plain_urls_get_async_drivers() -> None:
    settings = load_settings({"PEERCHAT_DATABASE_URL": "postgresql://u@db/peerchat"})
    assert settings.database_url == "postgresql+asyncpg://u@db/peerchat"


@pytest.mark.parametrize("env, needle", [
    ({"PEERCHAT_PORT": "99999"}, "PEERCHAT_PORT"),
    ({"PEERCHAT_DATABASE_URL": "mysql://x"}, "PEERCHAT_DATABASE_URL"),
    ({"PEERCHAT_SECRET_KEY": "short"}, "at least 32"),
    ({"PEERCHAT_REDIS_URL": "redis://127.0.0.1:6379/0"}, "PEERCHAT_SECRET_KEY is required"),
    ({"PEERCHAT_ALLOWED_ORIGINS": "https://a.example,*"}, "never '*'"),
    ({"PEERCHAT_RATE_LIMITS": "maybe"}, "true or false"),
    ({"PEERCHAT_TRUSTED_PROXIES": "10.0.0.0/8, nginx"}, "PEERCHAT_TRUSTED_PROXIES"),
    ({"PEERCHAT_TRUSTED_PROXIES": "10.0.0.1/8"}, "PEERCHAT_TRUSTED_PROXIES"),
    ({"PEERCHAT_LOG_LEVEL": "loud"}, "PEERCHAT_LOG_LEVEL"),
])
def test_bad_settings_name_the_variable(env: dict[str, str], needle: str) -> None:
    with pytest.raises(SettingsError, match=needle):
        load_settings(env)


def test_audit_retention_defaults_to_a_year_and_zero_keeps_for_ever() -> None:
    assert load_settings({}).audit_retention_days == 365
    assert load_settings({"PEERCHAT_AUDIT_RETENTION_DAYS": "0"}).audit_retention_days == 0
    for bad in ("-1", "3651", "a year"):
        with pytest.raises(SettingsError, match="PEERCHAT_AUDIT_RETENTION_DAYS"):
            load_settings({"PEERCHAT_AUDIT_RETENTION_DAYS": bad})


def test_rate_limits_can_be_switched_off() -> None:
    assert load_settings({"PEERCHAT_RATE_LIMITS": "off"}).rate_limits.send_message is None


def test_trusted_proxies_and_log_level_are_parsed() -> None:
    settings = load_settings({"PEERCHAT_TRUSTED_PROXIES": "172.28.0.0/24, 10.0.0.5,fd00::/8",
                              "PEERCHAT_LOG_LEVEL": "debug"})
    assert [str(n) for n in settings.trusted_proxies] == ["172.28.0.0/24", "10.0.0.5/32", "fd00::/8"]
    assert settings.log_level == "DEBUG" and load_settings({}).trusted_proxies == ()


@pytest.mark.parametrize("url, exposed", [
    ("redis://10.0.0.7:6379/0", True), ("redis://:secret@10.0.0.7:6379/0", False),
    ("redis://127.0.0.1:6379/0", False), ("redis://localhost/1", False), ("rediss://user:pw@cache.example:6380", False),
])
def test_redis_on_another_host_without_a_password_is_noticed(url: str, exposed: bool) -> None:
    settings = load_settings({"PEERCHAT_REDIS_URL": url, "PEERCHAT_SECRET_KEY": "k" * 32})
    assert settings.redis_without_password is exposed
