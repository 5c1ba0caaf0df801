"""Only a session's own facilitators (and admins) control it: every control, refused for everyone else."""
from __future__ import annotations

from typing import Any

import pytest

from tests.harness import Client, RunningServer, ServerFactory
from tests.rooms.sessionkit import http, join, open_lobby, schedule, staff_in_room, staff_token

CONTROLS: list[tuple[str, dict[str, Any]]] = [
    ("session:start", {}),
    ("session:end", {}),
    ("session:mute", {"user": "TARGET"}),
    ("session:unmute", {"user": "TARGET"}),
    ("session:slow_mode", {"seconds": 10}),
    ("session:lock", {}),
    ("session:unlock", {}),
    ("session:pin", {"text": "agenda"}),
    ("session:rounds", {"on": True}),
    ("turn:give", {"user": "TARGET"}),
    ("hand:lower", {"user": "TARGET"}),
    ("session:break", {"minutes": 5}),
    ("session:remove", {"user": "TARGET"}),
]
OUTSIDERS = ["peer", "listener", "moderator", "other facilitator"]


async def _outsider(server: RunningServer, kind: str, session_id: str) -> tuple[Client, str]:
    if kind in ("peer", "listener"):
        client, _, _ = await join(server, session_id, mode="participant" if kind == "peer" else "listener")
        return client, ""
    role, name = ("moderator", "mona") if kind == "moderator" else ("facilitator", "olga")
    token = await staff_token(server, role, name)
    if role == "facilitator":
        await schedule(server, token, room="grief")  # they lead a session, just not this one
    return await staff_in_room(server, token), token


@pytest.fixture
async def server(make_server: ServerFactory) -> RunningServer:
    return await make_server(session_tick_seconds=0)


@pytest.mark.parametrize("kind", OUTSIDERS)
async def test_every_control_is_refused_for_outsiders(server: RunningServer, kind: str) -> None:
    fran = await staff_token(server, "facilitator", "fran")
    session = await schedule(server, fran)
    await open_lobby(server, session)
    _target, target_id, _ = await join(server, session["id"])
    outsider, token = await _outsider(server, kind, session["id"])
    for name, fields in CONTROLS:
        payload = {"session": session["id"], **{k: target_id if v == "TARGET" else v for k, v in fields.items()}}
        reply = await outsider.call(name, payload)
        assert reply["ok"] is False and reply["error"]["code"] == "forbidden", (kind, name, reply)
    if token:
        for method, path, body in (("PATCH", "", {"title": "Taken over"}), ("DELETE", "", None),
                                   ("GET", "/feedback", None)):
            status, reply = await http(server, method, f"/api/sessions/{session['id']}{path}", token, body)
            assert status == 403 and reply["error"]["code"] == "forbidden", (kind, method, reply)
    status, reply = await http(server, "GET", f"/api/sessions/{session['id']}", fran)
    assert reply["session"]["state"] == "open" and reply["session"]["controls"]["locked"] is False


@pytest.mark.parametrize("role", ["facilitator", "admin"])
async def test_the_sessions_facilitators_and_admins_may_control_it(server: RunningServer, role: str) -> None:
    fran = await staff_token(server, "facilitator", "fran")
    session = await schedule(server, fran)
    await open_lobby(server, session)
    _target, target_id, _ = await join(server, session["id"])
    token = fran if role == "facilitator" else await staff_token(server, "admin", "ada")
    controller = await staff_in_room(server, token)
    for name, fields in [CONTROLS[0], *CONTROLS[2:], CONTROLS[1]]:
        payload = {"session": session["id"], **{k: target_id if v == "TARGET" else v for k, v in fields.items()}}
        reply = await controller.call(name, payload)
        assert reply["ok"], (role, name, reply)
