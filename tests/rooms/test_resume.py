"""room:resume: exactly the missed messages in order, `reload` past the cap, and bad input refused."""
from __future__ import annotations

from tests.harness import ServerFactory


async def test_resume_returns_what_was_missed_or_asks_for_a_reload(make_server: ServerFactory) -> None:
    server = await make_server(resume_max=5)
    ada = await server.joined_peer()
    for i in range(8):
        server.clock.advance(2)  # an unhurried writer: bursts are held as floods
        assert (await ada.call("message:send", {"room": "anxiety", "text": f"m{i}", "client_msg_id": f"c{i}"}))["ok"]
    missed = await ada.call("room:resume", {"room": "anxiety", "after": 4})
    assert missed["ok"] and missed["reload"] is False and missed["last_seq"] == 8
    assert [m["seq"] for m in missed["messages"]] == [5, 6, 7, 8]
    assert (await ada.call("room:resume", {"room": "anxiety", "after": 8}))["messages"] == []
    far = await ada.call("room:resume", {"room": "anxiety", "after": 2})
    assert far["reload"] is True and far["messages"] == [] and far["last_seq"] == 8


async def test_resume_refuses_bad_input_and_outsiders(make_server: ServerFactory) -> None:
    server = await make_server()
    ada = await server.joined_peer()
    for payload in ({"room": "anxiety", "after": -1}, {"room": "anxiety", "after": "3"},
                    {"room": "anxiety", "after": 1, "extra": 1}, {"room": 5, "after": 0}):
        reply = await ada.call("room:resume", payload)
        assert reply["error"]["code"] == "invalid_payload", payload
    outsider = await server.peer()
    assert (await outsider.call("room:resume", {"room": "anxiety", "after": 0}))["error"]["code"] == "not_member"
    assert (await ada.call("room:resume", {"room": "nowhere", "after": 0}))["error"]["code"] == "not_found"
