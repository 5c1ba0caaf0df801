"""Helpers for the session tests: staff accounts, authenticated HTTP calls, scheduling a session."""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

import aiohttp

from server.identity.accounts import do_create_staff
from server.identity.roles import Role
from server.rooms.admin_audit import OPERATOR
from server.rooms.sessions.lifecycle import run_session_tick
from server.rooms.sessions.scheduling import get_session
from tests.harness import Client, RunningServer


async def http(server: RunningServer, method: str, path: str, token: str | None = None,
               body: Any = None) -> tuple[int, Any]:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    async with aiohttp.ClientSession() as session:
        async with session.request(method, server.url + path, json=body, headers=headers) as response:
            if response.content_type == "application/json":
                return response.status, await response.json()
            return response.status, await response.text()


async def staff_token(server: RunningServer, role: str, username: str) -> str:
    user = await do_create_staff(server.services.db, server.clock, role=Role(role), username=username,
                                 password="correct horse battery")
    return server.services.signer.issue(user.id, user.token_version)


async def staff_in_room(server: RunningServer, token: str, room: str = "anxiety") -> Client:
    client = await server.connect(token)
    reply = await client.call("room:join", {"room": room, "accept_agreement": True})
    assert reply["ok"], reply
    return client


def iso_in(server: RunningServer, seconds: float) -> str:
    """An ISO-8601 time with offset, `seconds` from the server's (fake) now."""
    return datetime.fromtimestamp(round(server.clock.now() + seconds), tz=timezone.utc).isoformat()


def session_body(server: RunningServer, **fields: Any) -> dict[str, Any]:
    body = {"room": "anxiety", "title": "Evening anxiety circle", "description": "A gentle weekly group.",
            "start": iso_in(server, 3600), "duration_minutes": 60, "capacity": 10}
    body.update(fields)
    return body


async def schedule(server: RunningServer, token: str, **fields: Any) -> dict[str, Any]:
    status, reply = await http(server, "POST", "/api/sessions", token, session_body(server, **fields))
    assert status == 201, reply
    return reply["sessions"][0]


async def open_lobby(server: RunningServer, session: dict[str, Any]) -> None:
    """Move the clock to the session's lobby time and run the scheduler once."""
    opens = datetime.fromisoformat(session["opens_at"]).timestamp()
    server.clock.advance(max(0.0, opens - server.clock.now()) + 1)
    await run_session_tick(server.services)
    assert (await get_session(server.services, session["id"], viewer=OPERATOR))["state"] == "open"


async def facilitated_lobby(server: RunningServer) -> tuple[str, Client, dict[str, Any]]:
    """The facilitator fran's token, her console in the anxiety room, and a session of hers with its lobby open."""
    fran = await staff_token(server, "facilitator", "fran")
    console = await staff_in_room(server, fran)
    session = await schedule(server, fran)
    await open_lobby(server, session)
    return fran, console, session


async def join(server: RunningServer, session_id: str, mode: str = "participant",
               pseudonym: str | None = None) -> tuple[Client, str, dict[str, Any]]:
    """A new peer who joins the session's room and then the session: (client, user id, session:join reply)."""
    client = await server.peer(pseudonym)
    joined = await client.call("room:join", {"room": "anxiety", "accept_agreement": True})
    assert joined["ok"], joined
    reply = await client.call("session:join", {"session": session_id, "as": mode})
    assert reply["ok"], reply
    return client, joined["you"]["id"], reply


async def send(client: Client, text: str, msg_id: str, room: str = "anxiety") -> dict[str, Any]:
    reply: dict[str, Any] = await client.call("message:send", {"room": room, "text": text, "client_msg_id": msg_id})
    return reply


def renewed(server: RunningServer, token: str) -> str:
    """The same person signing in again after the fake clock has moved past their token's lifetime."""
    claims = server.services.signer.verify(token, max_age=10**9)
    return server.services.signer.issue(claims.user_id, claims.version)
