"""A session's pinned room message that leaves the room takes the pin with it live: every way a message goes
(its author, a moderator, account erasure, retention in the server or from the command line) pushes
session:state without the pin to the room."""
from __future__ import annotations

from typing import Any

import pytest

from server.rooms.retention import DAY, do_purge_expired
from tests.admin.test_cli_live import _command
from tests.harness import Client, RunningServer, ServerFactory
from tests.rooms.sessionkit import facilitated_lobby, http, send
from tests.rooms.test_sessions_fixes import SECRET, _delete_by_author, _erase_account, _member, _remove_by_moderator


@pytest.fixture
async def server(make_server: ServerFactory) -> RunningServer:
    server = await make_server(session_tick_seconds=0)
    # A month ago: what is said here is past the anxiety room's 30 days by the command line's (real) clock.
    server.clock.advance(-31 * DAY)
    return server


async def _purged_by_retention(server: RunningServer, author: Client, token: str, message_id: str) -> None:
    server.clock.advance(31 * DAY)  # the anxiety room keeps messages 30 days
    report = await do_purge_expired(server.services.db, server.clock, 90, server.services)
    assert report.removed.get("anxiety", 0) >= 1


async def _purged_by_the_command(server: RunningServer, author: Client, token: str, message_id: str) -> None:
    await _command(server, server.services.settings.database_url, "purge")


async def _next_state(client: Client, seen: int) -> Any:
    """The first session:state after the `seen` ones already received."""
    await client.wait_for("session:state", lambda s: len(client.received("session:state")) > seen)
    return client.received("session:state")[seen]


@pytest.mark.parametrize("gone", [_delete_by_author, _remove_by_moderator, _erase_account, _purged_by_retention,
                                  _purged_by_the_command],
                         ids=["author_deletes", "moderator_removes", "account_erased", "retention_purges",
                              "purge_command"])
async def test_the_room_sees_the_pin_go_with_its_message(server: RunningServer, gone: Any) -> None:
    _, console, session = await facilitated_lobby(server)
    ana, ana_token = await _member(server, session["id"], "Ana")
    bea, _ = await _member(server, session["id"], "Bea")
    stored = (await send(ana, SECRET, "p1"))["message"]
    assert (await console.call("session:pin", {"session": session["id"], "message": stored["id"]}))["ok"]
    for client in (bea, console):
        await client.wait_for("session:state", lambda s: (s["controls"]["pinned"] or {}).get("text") == SECRET)
    before = {client: len(client.received("session:state")) for client in (bea, console)}
    await gone(server, ana, ana_token, stored["id"])
    for client in (bea, console):
        unpinned = await _next_state(client, before[client])
        assert unpinned["id"] == session["id"] and unpinned["controls"]["pinned"] is None
        assert unpinned["state"] == "open"
    assert len(bea.received("session:state")) == before[bea] + 1, "one push, no more"


async def test_an_unpinned_message_leaving_pushes_nothing(server: RunningServer) -> None:
    fran, console, session = await facilitated_lobby(server)
    ana, _ = await _member(server, session["id"], "Ana")
    bea, _ = await _member(server, session["id"], "Bea")
    pinned = (await send(ana, "this one is pinned", "p1"))["message"]
    other = (await send(ana, "this one is not", "p2"))["message"]
    assert (await console.call("session:pin", {"session": session["id"], "message": pinned["id"]}))["ok"]
    await bea.wait_for("session:state", lambda s: s["controls"]["pinned"] is not None)
    before = len(bea.received("session:state"))
    assert await ana.call("message:delete", {"message_id": other["id"]}) == {"ok": True}
    await bea.wait_for("message:deleted", lambda d: d["id"] == other["id"])
    assert (await ana.call("message:delete", {"message_id": pinned["id"]})) == {"ok": True}
    assert (await _next_state(bea, before))["controls"]["pinned"] is None
    assert len(bea.received("session:state")) == before + 1
    status, body = await http(server, "GET", f"/api/sessions/{session['id']}", fran)
    assert status == 200 and body["session"]["controls"]["pinned"] is None
