"""Group commit on the send path (server/storage/message_writer.py, send_gate.py): concurrent plain sends
share one transaction, and every guarantee of the one-message transaction still holds."""
from __future__ import annotations

import asyncio

from tests.harness import RunningServer


async def test_concurrent_sends_in_several_rooms_keep_gapless_seq_per_room(server: RunningServer) -> None:
    rooms = ["anxiety", "grief"]
    senders = {room: [await server.joined_peer(room=room) for _ in range(4)] for room in rooms}
    watchers = {room: await server.joined_peer(room=room, mode="listener") for room in rooms}
    calls = [senders[room][i % 4].call("message:send", {"room": room, "text": f"{room} {i}",
                                                        "client_msg_id": f"{room}{i}"})
             for i in range(20) for room in rooms]
    replies = await asyncio.gather(*calls)
    assert all(r["ok"] and r["decision"] == "allow" for r in replies), replies
    for room in rooms:
        mine = [r["message"] for r in replies if r["message"]["room"] == room]
        assert sorted(m["seq"] for m in mine) == list(range(1, 21))
        await watchers[room].wait_for("message:new", lambda m: m["seq"] == 20)
        assert sorted(m["seq"] for m in watchers[room].received("message:new")) == list(range(1, 21))


async def test_a_resend_in_the_same_batch_as_its_original_is_stored_once(server: RunningServer) -> None:
    ada = await server.joined_peer()
    bo = await server.joined_peer()
    replies = await asyncio.gather(
        ada.call("message:send", {"room": "anxiety", "text": "first", "client_msg_id": "one"}),
        bo.call("message:send", {"room": "anxiety", "text": "other", "client_msg_id": "one"}),
        ada.call("message:send", {"room": "anxiety", "text": "first", "client_msg_id": "one"}))
    assert replies[0] == replies[2]
    assert replies[1]["message"]["id"] != replies[0]["message"]["id"]  # same client_msg_id, other sender
    assert sorted(r["message"]["seq"] for r in replies[:2]) == [1, 2]


async def test_a_resend_in_a_batch_fails_only_itself(server: RunningServer) -> None:
    """A resend of a stored message shares a batch with new ones: the batch hits the unique constraint
    (nothing is looked up before the insert), each message is retried alone, the others are stored with
    gapless seqs and the resend answers with the stored one."""
    ada = await server.joined_peer()
    others = [await server.joined_peer() for _ in range(3)]
    first = await ada.call("message:send", {"room": "anxiety", "text": "mine", "client_msg_id": "raced"})
    replies = await asyncio.gather(
        ada.call("message:send", {"room": "anxiety", "text": "mine", "client_msg_id": "raced"}),
        *[c.call("message:send", {"room": "anxiety", "text": f"fine {i}", "client_msg_id": f"f{i}"})
          for i, c in enumerate(others)])
    assert replies[0] == first
    assert all(r["ok"] and r["decision"] == "allow" for r in replies[1:]), replies
    assert sorted(r["message"]["seq"] for r in replies[1:]) == [2, 3, 4]
    history = await ada.call("message:history", {"room": "anxiety"})
    assert [m["seq"] for m in history["messages"]] == [1, 2, 3, 4]
