"""History pages by the room's sequence number."""
from __future__ import annotations

from tests.harness import Client, RunningServer


async def _fill(server: RunningServer, client: Client, count: int) -> None:
    for i in range(1, count + 1):
        server.clock.advance(2)  # an unhurried writer: the pipeline holds bursts as floods
        reply = await client.call("message:send", {"room": "anxiety", "text": f"m{i}", "client_msg_id": f"h{i}"})
        assert reply["ok"]


async def test_history_pages_backwards_and_forwards(server: RunningServer) -> None:
    ada = await server.joined_peer()
    await _fill(server, ada, 25)
    latest = await ada.call("message:history", {"room": "anxiety", "limit": 10})
    assert [m["seq"] for m in latest["messages"]] == list(range(16, 26))
    assert latest["has_more"] is True and latest["last_seq"] == 25
    older = await ada.call("message:history", {"room": "anxiety", "before": 16, "limit": 10})
    assert [m["seq"] for m in older["messages"]] == list(range(6, 16))
    oldest = await ada.call("message:history", {"room": "anxiety", "before": 6, "limit": 10})
    assert [m["seq"] for m in oldest["messages"]] == [1, 2, 3, 4, 5] and oldest["has_more"] is False
    missed = await ada.call("message:history", {"room": "anxiety", "after": 20})
    assert [m["text"] for m in missed["messages"]] == ["m21", "m22", "m23", "m24", "m25"]
    assert missed["has_more"] is False
    gap = await ada.call("message:history", {"room": "anxiety", "after": 0, "limit": 3})
    assert [m["seq"] for m in gap["messages"]] == [1, 2, 3] and gap["has_more"] is True


async def test_history_checks_its_arguments(server: RunningServer) -> None:
    ada = await server.joined_peer()
    bad = [{"room": "anxiety", "limit": 101}, {"room": "anxiety", "limit": 0},
           {"room": "anxiety", "before": 5, "after": 1}, {"room": "anxiety", "after": -1},
           {"room": "anxiety", "before": "5"}, {"room": "anxiety", "limit": True}]
    for payload in bad:
        reply = await ada.call("message:history", payload)
        assert reply["error"]["code"] in {"invalid", "invalid_payload"}, (payload, reply)


async def test_history_needs_the_room_joined(server: RunningServer) -> None:
    outsider = await server.peer()
    reply = await outsider.call("message:history", {"room": "anxiety"})
    assert reply["error"]["code"] == "not_member"
