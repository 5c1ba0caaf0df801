"""A client that stops reading is cut once its unsent backlog passes the bound; others are unaffected."""
from __future__ import annotations

import asyncio
import socket

from server import metrics
from tests.harness import ServerFactory


async def test_a_client_that_stops_reading_is_disconnected(make_server: ServerFactory) -> None:
    server = await make_server(max_backlog=30)
    sender = await server.joined_peer()
    reader = await server.joined_peer()
    stalled = await server.joined_peer()
    transport = stalled.sio.eio.ws._conn.transport  # type: ignore[union-attr]
    # a small receive buffer so the test needs hundreds of kilobytes, not megabytes, to fill the pipe
    transport.get_extra_info("socket").setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    transport.pause_reading()
    before = metrics.SLOW_CLIENTS._value.get()
    text = "\N{SMILING FACE WITH OPEN MOUTH}" * 1990  # ~8 KB on the wire per message
    sent = 0
    while metrics.SLOW_CLIENTS._value.get() == before and sent < 1500:
        server.clock.advance(2)  # unhurried and never the same text: the pipeline holds floods and repeats
        reply = await sender.call("message:send", {"room": "anxiety", "text": f"{sent} {text}",
                                                   "client_msg_id": f"m{sent}"})
        assert reply["ok"], reply
        sent += 1
    assert metrics.SLOW_CLIENTS._value.get() == before + 1, f"not cut after {sent} messages"
    await reader.wait_for("message:new", lambda m: m["seq"] == sent, timeout=10)
    assert [m["seq"] for m in reader.received("message:new")] == list(range(1, sent + 1))

    async def online() -> int:
        reply = await reader.call("rooms:list", {})
        return int(next(r["online"] for r in reply["rooms"] if r["slug"] == "anxiety"))
    for _ in range(50):
        if await online() == 2:
            break
        await asyncio.sleep(0.1)
    assert await online() == 2, "the stalled connection should have left the room"
    print(f"stalled client cut after {sent} messages")
