"""Sending messages: delivery in order, validation, idempotent resends, gapless sequence numbers."""
from __future__ import annotations

import asyncio

from tests.harness import RunningServer


async def test_two_peers_see_each_others_messages_in_order(server: RunningServer) -> None:
    ada = await server.joined_peer(pseudonym="Ada")
    bo = await server.joined_peer(pseudonym="Bo")
    for i in range(5):
        sender = ada if i % 2 == 0 else bo
        reply = await sender.call("message:send", {"room": "anxiety", "text": f"hello {i}", "client_msg_id": f"m{i}"})
        assert reply["ok"], reply
        assert reply["message"]["seq"] == i + 1
        assert reply["decision"] == "allow"
    for client in (ada, bo):
        await client.wait_for("message:new", lambda m: m["seq"] == 5)
        assert [m["text"] for m in client.received("message:new")] == [f"hello {i}" for i in range(5)]
        assert [m["seq"] for m in client.received("message:new")] == [1, 2, 3, 4, 5]
    assert ada.received("message:new")[1]["sender"]["pseudonym"] == "Bo"
