"""Each connection's send queue (realtime/engine.py): upstream asyncio.Queue's order and bookkeeping with a
`get` that engine.io's `wait_for` can await without a Task; and, through real sockets, every member gets
each message of a burst from several senders exactly once, and a long-polling client gets and sends."""
from __future__ import annotations

import asyncio

import pytest

from server.realtime.engine import SendQueue
from tests.harness import RunningServer


async def test_items_come_out_in_order_whether_the_get_waits_or_not() -> None:
    queue = SendQueue()
    waiting = queue.get()
    queue.put_nowait("a")
    await queue.put("b")
    assert await waiting == "a"
    assert await queue.get() == "b"
    assert queue.empty()


async def test_a_wait_that_timed_out_leaves_the_next_item_queued() -> None:
    queue = SendQueue()
    with pytest.raises(asyncio.TimeoutError):
        await asyncio.wait_for(queue.get(), 0.01)
    queue.put_nowait("late")
    assert queue.qsize() == 1
    assert await asyncio.wait_for(queue.get(), 1) == "late"


async def test_overlapping_waits_are_served_in_turn_and_a_cancelled_one_is_skipped() -> None:
    queue = SendQueue()
    first, cancelled, last = queue.get(), queue.get(), queue.get()
    cancelled.cancel()
    queue.put_nowait(1)
    queue.put_nowait(2)
    assert (await first, await last) == (1, 2)
    assert queue.empty()


async def test_join_waits_for_every_item_to_be_marked_done() -> None:
    queue = SendQueue()
    queue.put_nowait("x")
    queue.put_nowait(None)
    joined = asyncio.create_task(queue.join())
    assert await queue.get() == "x"
    queue.task_done()
    await asyncio.sleep(0)
    assert not joined.done()
    assert queue.get_nowait() is None
    queue.task_done()
    await asyncio.wait_for(joined, 1)


async def test_every_member_gets_a_burst_from_several_senders_exactly_once(server: RunningServer) -> None:
    members = [await server.joined_peer() for _ in range(5)]
    replies = await asyncio.gather(*(
        sender.call("message:send", {"room": "anxiety", "text": f"checking in, round {n}",
                                     "client_msg_id": f"s{index}-{n}"})
        for n in range(4) for index, sender in enumerate(members[:3])))
    assert all(reply["ok"] for reply in replies), replies
    stored = sorted(reply["message"]["seq"] for reply in replies)
    for member in members:
        await member.wait_for("message:new", lambda _: len(member.received("message:new")) >= len(stored))
        await asyncio.sleep(0.05)  # a duplicate, if any, would arrive right behind
        assert sorted(m["seq"] for m in member.received("message:new")) == stored


async def test_a_long_polling_client_gets_and_sends_messages(server: RunningServer) -> None:
    """Browsers start on long-polling: each GET waits on the send queue until a packet comes or the poll
    times out."""
    poller = await server.connect(await server.peer_token(), transports=("polling",))
    assert (await poller.call("room:join", {"room": "anxiety", "accept_agreement": True}))["ok"]
    member = await server.joined_peer()
    for n in range(3):
        reply = await member.call("message:send",
                                  {"room": "anxiety", "text": f"still here {n}", "client_msg_id": f"w{n}"})
        assert reply["ok"], reply
        await poller.wait_for("message:new", lambda m, n=n: m["client_msg_id"] == f"w{n}")
    reply = await poller.call("message:send", {"room": "anxiety", "text": "me too", "client_msg_id": "p1"})
    assert reply["ok"], reply
    await member.wait_for("message:new", lambda m: m["client_msg_id"] == "p1")
    assert [m["client_msg_id"] for m in poller.received("message:new")] == ["w0", "w1", "w2", "p1"]
    # The server says goodbye through the queue, which ends the pending poll at once. (A client that says
    # goodbye itself leaves its last poll waiting out the ping timeout in engine.io, 45 s here, and the
    # server's clean-up waits for it.)
    sio = server.services.broadcaster._sio  # type: ignore[attr-defined]
    await sio.eio.disconnect(poller.sio.eio.sid)
