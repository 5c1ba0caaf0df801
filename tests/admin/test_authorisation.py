"""Every admin endpoint: no token -> 401, a peer or any other staff role -> 403, an admin -> allowed."""
from __future__ import annotations

import pytest

from server.identity.roles import Role
from tests.admin.api import call, staff_token
from tests.harness import RunningServer

ENDPOINTS = [
    ("POST", "/api/rooms", {"slug": "x-room", "name": "X", "agreement": "Be kind."}),
    ("PATCH", "/api/rooms/anxiety", {"name": "Worry"}),
    ("POST", "/api/rooms/grief/archive", None),
    ("GET", "/api/admin/rooms", None),
    ("PUT", "/api/rooms/anxiety/moderators", {"moderators": []}),
    ("PATCH", "/api/rooms/anxiety/policy", {"retention_days": 5}),
    ("PUT", "/api/rooms/anxiety/agreement", {"agreement": "New."}),
    ("GET", "/api/staff", None),
    ("POST", "/api/staff", {"username": "newbie", "role": "facilitator", "password": "correct horse battery"}),
    ("PATCH", "/api/staff/target", {"role": "moderator"}),
    ("POST", "/api/staff/target/deactivate", None),
    ("POST", "/api/staff/target/reactivate", None),
    ("POST", "/api/staff/target/password", {"password": "another long password"}),
    ("GET", "/api/admin/changes", None),
    ("GET", "/api/watched-words", None),
    ("POST", "/api/watched-words", {"kind": "word", "text": "bozo", "action": "mask"}),
    ("PATCH", "/api/watched-words/some-id", {"action": "block"}),
    ("DELETE", "/api/watched-words/some-id", None),
    ("POST", "/api/watched-words/check", {"text": "hello", "room": "anxiety"}),
    ("GET", "/api/admin/crisis-resources", None),
    ("POST", "/api/crisis-resources", {"region": "GB", "name": "Line", "phone": "123"}),
    ("PATCH", "/api/crisis-resources/some-id", {"hours": "24/7"}),
    ("DELETE", "/api/crisis-resources/some-id", None),
]


async def test_every_admin_endpoint_refuses_everyone_but_admins(server: RunningServer) -> None:
    tokens = {"peer": await server.peer_token()}
    for role in (Role.FACILITATOR, Role.MODERATOR, Role.ADMIN):
        tokens[role.value] = await staff_token(server, f"{role.value}1", role)
    await staff_token(server, "target", Role.FACILITATOR)
    for method, path, body in ENDPOINTS:
        status, answer = await call(server, method, path, body)
        assert status == 401 and answer["error"]["code"] == "unauthorized", (method, path)
        for who in ("peer", "facilitator", "moderator"):
            status, answer = await call(server, method, path, body, tokens[who])
            assert status == 403 and answer["error"]["code"] == "forbidden", (method, path, who)
        status, answer = await call(server, method, path, body, tokens["admin"])
        assert status not in (401, 403), (method, path, answer)


@pytest.mark.parametrize("locale", ["en-GB", "not a locale!"])
async def test_the_resource_view_is_public(server: RunningServer, locale: str) -> None:
    status, body = await call(server, "GET", f"/api/crisis-resources?locale={locale}")
    assert status == 200 and body["resources"]
