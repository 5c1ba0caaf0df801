"""Broadcasts without a task per recipient (realtime/manager.py FanOut): the same deliveries as
python-socketio's own emit, also when one member's connection is past its ping timeout."""
from __future__ import annotations

import time

from tests.harness import RunningServer


async def test_everyone_else_gets_the_message_when_one_member_went_silent(server: RunningServer) -> None:
    ada, ben, cy, dee = [await server.joined_peer() for _ in range(4)]
    sio = server.services.broadcaster._sio  # type: ignore[attr-defined]
    silent = sio.eio.sockets[ben.sio.eio.sid]
    silent.last_ping = time.time() - 3600  # ben's last ping went unanswered long ago
    reply = await ada.call("message:send", {"room": "anxiety", "text": "is anyone here?", "client_msg_id": "m1"})
    assert reply["ok"] and reply["decision"] == "allow", reply
    for member in (ada, cy, dee):
        message = await member.wait_for("message:new", lambda m: m["client_msg_id"] == "m1")
        assert message["seq"] == reply["message"]["seq"]
    # engine.io closed ben's connection on the way, as it does for a client past its ping timeout; the next
    # message reaches the others without him.
    assert silent.closed
    reply = await cy.call("message:send", {"room": "anxiety", "text": "I'm here", "client_msg_id": "m2"})
    assert reply["ok"], reply
    for member in (ada, dee):
        await member.wait_for("message:new", lambda m: m["client_msg_id"] == "m2")
