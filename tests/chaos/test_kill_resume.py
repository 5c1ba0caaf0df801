"""SIGKILL one of two processes in the middle of a stream from several senders: clients reconnect to the
other, resume from the last sequence number they saw, and end with every stored message exactly once;
senders whose ack was lost resend with the same client_msg_id and nothing doubles.
"""
from __future__ import annotations

import asyncio
import signal
from typing import Any

from sqlalchemy import select

from server.storage.database import Database
from server.storage.models import Message
from tests.harness import Client
from tests.processes import Cluster, ServerProcess, eventually, redis_url

PER_SENDER = 30


class Peer:
    """A client that follows the protocol: keeps the last seq, rejoins and resumes after a reconnect."""

    def __init__(self, name: str, token: str) -> None:
        self.name = name
        self.token = token
        self.connections: list[Client] = []
        self.resumed: list[dict[str, Any]] = []

    @property
    def client(self) -> Client:
        return self.connections[-1]

    def last_seq(self) -> int:
        return max(self.seen(), default=0)

    def seen(self) -> dict[int, dict[str, Any]]:
        found: dict[int, dict[str, Any]] = {}
        for message in self.resumed + [m for c in self.connections for m in c.received("message:new")]:
            found[message["seq"]] = message
        return found

    async def connect(self, server: ServerProcess) -> None:
        client = Client()
        await client.connect(server.url, self.token)
        self.connections.append(client)
        reply = await client.call("room:join", {"room": "anxiety", "accept_agreement": True})
        assert reply["ok"], reply
        if len(self.connections) > 1:
            missed = await client.call("room:resume", {"room": "anxiety", "after": self.last_seq()})
            assert missed["ok"] and not missed["reload"], missed
            self.resumed += missed["messages"]

    async def send_all(self, home: list[ServerProcess], count: int) -> None:
        for i in range(count):
            payload = {"room": "anxiety", "text": f"{self.name} says {i}", "client_msg_id": f"{self.name}-{i}"}
            while True:
                try:
                    reply = await self.client.call("message:send", payload, timeout=2)
                except Exception:  # ack lost: the process died under us
                    reply = None
                if reply is not None and reply["ok"]:
                    break
                await self.reconnect(home)
            await asyncio.sleep(0.01)

    async def reconnect(self, home: list[ServerProcess]) -> None:
        alive = [s for s in home if s.proc is not None and s.proc.poll() is None]
        if self.client.sio.connected and self.client.sio.connection_url.endswith(str(alive[0].port)):
            return
        await self.connect(alive[0])


async def test_sigkill_mid_stream_loses_and_doubles_nothing(cluster: Cluster) -> None:
    one, two = await cluster.start(2, redis_url())
    home = [one, two]
    peers = [Peer(f"p{i}", await one.token()) for i in range(6)]
    for i, peer in enumerate(peers):
        await peer.connect(one if i % 2 == 0 else two)
    senders, readers = peers[:3], peers[3:]
    sending = [asyncio.create_task(p.send_all(home if p is not peers[1] else [two], PER_SENDER)) for p in senders]
    await eventually(lambda: _stored_at_least(peers[4], 20), timeout=15, every=0.02)
    one.signal(signal.SIGKILL)
    one.proc.wait(5)  # type: ignore[union-attr]
    for peer in readers:
        await eventually(lambda: _gone_or_alive(peer, two), timeout=10)
        if not peer.client.sio.connected:
            await peer.connect(two)
    await asyncio.wait_for(asyncio.gather(*sending), 60)
    for peer in senders:  # a sender that had finished before the kill still has to reconnect
        await eventually(lambda: _gone_or_alive(peer, two), timeout=10)
        if not peer.client.sio.connected:
            await peer.connect(two)

    db = Database.from_url(cluster.database_url)
    try:
        async with db.read() as session:
            every = list((await session.execute(select(Message).order_by(Message.seq))).scalars())
    finally:
        await db.close()
    assert len(every) == 3 * PER_SENDER
    assert len({(m.sender_id, m.client_msg_id) for m in every}) == len(every)
    # Fast senders trip the pipeline's flood rule: those messages are held for a moderator (stored, the
    # sender told), the rest are delivered with gapless sequence numbers.
    stored = [m for m in every if m.seq is not None]
    assert all(m.status == "held" for m in every if m.seq is None)
    assert [m.seq for m in stored] == list(range(1, len(stored) + 1))
    expected = [(m.seq, m.id) for m in stored]
    for peer in peers:
        await eventually(lambda: _has(peer, len(stored)), timeout=10)
        assert [(seq, m["id"]) for seq, m in sorted(peer.seen().items())] == expected
        for connection in peer.connections:
            live = [m["seq"] for m in connection.received("message:new")]
            # (live order across processes may differ from seq order; clients sort by seq)
            assert len(live) == len(set(live)), "a connection got the same message twice"


async def _stored_at_least(peer: Peer, count: int) -> bool:
    return peer.last_seq() >= count


async def _gone_or_alive(peer: Peer, survivor: ServerProcess) -> bool:
    return not peer.client.sio.connected or peer.client.sio.connection_url.endswith(str(survivor.port))


async def _has(peer: Peer, count: int) -> bool:
    """Catch up as the protocol says: from the first gap in seq (a message committed by the killed process
    whose live fan-out died with it), else from the last seq seen."""
    seen = peer.seen()
    if len(seen) < count and peer.client.sio.connected:
        after = next(seq for seq in range(1, count + 2) if seq not in seen) - 1
        missed = await peer.client.call("room:resume", {"room": "anxiety", "after": after})
        peer.resumed += missed["messages"]
    return len(peer.seen()) >= count
