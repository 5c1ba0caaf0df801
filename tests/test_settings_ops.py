"""The scale-out and operations settings: defaults, parsing, and every bad value refused by name."""
from __future__ import annotations

import pytest

from server.realtime.sockets import build_socket_server
from server.settings import SettingsError, load_settings

BASE = {"PEERCHAT_SECRET_KEY": "x" * 40}


def test_defaults_and_values() -> None:
    settings = load_settings(BASE)
    assert (settings.rate_limit_fallback, settings.max_backlog, settings.resume_max) == (0.5, 1000, 500)
    assert settings.admin_ui_password is None
    settings = load_settings({**BASE, "PEERCHAT_RATE_LIMIT_FALLBACK": "0.25", "PEERCHAT_SHUTDOWN_DRAIN": "0",
                              "PEERCHAT_REDIS_PREFIX": "blue", "PEERCHAT_ADMIN_UI_PASSWORD": "p" * 16})
    assert settings.rate_limit_fallback == 0.25 and settings.shutdown_drain == 0 and settings.redis_prefix == "blue"
    assert "p" * 16 not in repr(settings)


@pytest.mark.parametrize("name,value", [
    ("PEERCHAT_RATE_LIMIT_FALLBACK", "0"), ("PEERCHAT_RATE_LIMIT_FALLBACK", "1.5"),
    ("PEERCHAT_RATE_LIMIT_FALLBACK", "half"), ("PEERCHAT_MAX_BACKLOG", "5"), ("PEERCHAT_RESUME_MAX", "0"),
    ("PEERCHAT_SHUTDOWN_TIMEOUT", "0.5"), ("PEERCHAT_SHUTDOWN_DRAIN", "-1"), ("PEERCHAT_ADMIN_UI_PASSWORD", "short"),
])
def test_bad_values_are_refused_by_name(name: str, value: str) -> None:
    with pytest.raises(SettingsError, match=name):
        load_settings({**BASE, name: value})


def test_admin_ui_is_instrumented_only_when_its_password_is_set() -> None:
    off = build_socket_server(load_settings(BASE))
    on = build_socket_server(load_settings({**BASE, "PEERCHAT_ADMIN_UI_PASSWORD": "p" * 20}))
    assert "/admin" not in off.handlers and "/admin" in on.handlers
