"""Who may do what: every mod:* event and admin endpoint against every role, checked on the server."""
from __future__ import annotations

from typing import Any

import aiohttp
import pytest

from server.identity.roles import Role
from server.realtime.events import EVENTS
from server.settings import SettingsError, load_settings
from tests.harness import Client, RunningServer
from tests.moderation.factories import member, say, staff, staff_token

ROLES = ("peer", "listener", "facilitator", "moderator", "admin")
MODERATORS = {"moderator", "admin"}

PAYLOADS: dict[str, dict[str, Any]] = {
    "mod:subscribe": {},
    "mod:queue": {},
    "mod:claim": {"version": 1},
    "mod:release": {"version": 1},
    "mod:resolve": {"version": 1, "outcome": "no_action"},
    "mod:context": {},
    "mod:remove": {"version": 1},
    "mod:approve": {"version": 1},
    "mod:warn": {"version": 1, "note": "Please be kind."},
    "mod:mute": {"version": 1, "minutes": 5},
    "mod:kick": {"version": 1},
    "mod:ban": {"version": 1},
    "mod:set_role": {"role": "facilitator"},
}


def test_the_table_covers_every_mod_event() -> None:
    assert {name for name in EVENTS if name.startswith("mod:")} == set(PAYLOADS)


async def _as(server: RunningServer, role: str) -> Client:
    if role in ("peer", "listener"):
        client, _ = await member(server, mode="participant" if role == "peer" else "listener")
        return client
    return await staff(server, Role(role), subscribe=False)


async def test_every_mod_event_against_every_role(server: RunningServer) -> None:
    author, author_id = await member(server)
    message = await say(author, "reported")
    reporter, _ = await member(server)
    await reporter.call("message:report", {"message_id": message["id"], "reason": "spam"})
    admin = await staff(server, Role.ADMIN)
    item_id = (await admin.call("mod:queue", {}))["items"][0]["id"]
    targets = {"item_id": item_id, "message_id": message["id"], "user_id": author_id}
    for role in ROLES:
        client = await _as(server, role)
        for event, payload in PAYLOADS.items():
            fields = {k: targets[k] for k in ("item_id", "message_id", "user_id") if k in _fields(event)}
            reply = await client.call(event, {**fields, **payload})
            refused = reply.get("error", {}).get("code") == "forbidden"
            allowed = {"admin"} if event == "mod:set_role" else MODERATORS
            assert refused is (role not in allowed), (role, event, reply)


def _fields(event: str) -> frozenset[str]:
    return EVENTS[event].fields


async def test_roles_are_granted_only_downwards(server: RunningServer) -> None:
    mod = await staff(server, subscribe=False)
    admin = await staff(server, Role.ADMIN, subscribe=False)
    other_admin_id, _ = await staff_token(server, Role.ADMIN)
    facilitator_id, facilitator_token = await staff_token(server, Role.FACILITATOR)
    facilitator = await server.connect(facilitator_token)
    for client, user_id, role in [(mod, facilitator_id, "moderator"), (mod, facilitator_id, "peer"),
                                  (facilitator, facilitator_id, "admin"), (admin, other_admin_id, "moderator")]:
        reply = await client.call("mod:set_role", {"user_id": user_id, "role": role})
        assert reply["error"]["code"] == "forbidden", (role, reply)
    assert (await admin.call("mod:set_role", {"user_id": facilitator_id, "role": "wizard"}))["error"]["code"] == \
        "invalid"
    assert (await admin.call("mod:set_role", {"user_id": "0" * 32, "role": "moderator"}))["error"]["code"] == \
        "not_found"
    reply = await admin.call("mod:set_role", {"user_id": facilitator_id, "role": "moderator"})
    assert reply["user"]["role"] == "moderator"
    assert (await facilitator.wait_for("session:ended"))["code"] == "role_changed"


@pytest.mark.parametrize("path", ["/api/audit", "/api/moderation/report"])
async def test_admin_endpoints_against_every_role(server: RunningServer, path: str) -> None:
    tokens: dict[str, str | None] = {"nobody": None, "garbage": "not-a-token"}
    for role in ("peer", "facilitator", "moderator", "admin"):
        if role == "peer":
            _status, body = await server.post("/api/session", {"pseudonym": "someone"})
            tokens[role] = body["token"]
        else:
            tokens[role] = (await staff_token(server, Role(role)))[1]
    expected = {"nobody": 401, "garbage": 401, "peer": 403, "facilitator": 403, "moderator": 403, "admin": 200}
    async with aiohttp.ClientSession() as http:
        for who, token in tokens.items():
            headers = {"Authorization": f"Bearer {token}"} if token else {}
            async with http.get(server.url + path, headers=headers) as response:
                body = await response.json()
                assert response.status == expected[who], (who, body)
                if response.status != 200:
                    assert body["error"]["code"] == ("unauthorized" if expected[who] == 401 else "forbidden")


def test_webhook_settings_are_validated() -> None:
    with pytest.raises(SettingsError, match="WEBHOOK_SECRET"):
        load_settings({"PEERCHAT_ESCALATION_WEBHOOK_URL": "https://ops.example/hook"})
    with pytest.raises(SettingsError, match="http"):
        load_settings({"PEERCHAT_ESCALATION_WEBHOOK_URL": "ftp://x", "PEERCHAT_ESCALATION_WEBHOOK_SECRET": "s" * 16})
    settings = load_settings({"PEERCHAT_ESCALATION_WEBHOOK_URL": "https://ops.example/hook",
                              "PEERCHAT_ESCALATION_WEBHOOK_SECRET": "s" * 16, "PEERCHAT_ESCALATION_SECONDS": "30"})
    assert settings.escalate_after == 30 and "s" * 16 not in repr(settings)
