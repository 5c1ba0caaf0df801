"""Sending messages: delivery in order, validation, idempotent resends, gapless sequence numbers."""
from __future__ import annotations

import asyncio

from server.moderation.ratelimit import RateLimit
from server.settings import RateLimits
from tests.harness import RunningServer, ServerFactory


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


async def test_text_is_trimmed_and_length_checked(server: RunningServer) -> None:
    ada = await server.joined_peer()
    reply = await ada.call("message:send", {"room": "anxiety", "text": "  hi there \n", "client_msg_id": "a"})
    assert reply["message"]["text"] == "hi there"
    for text in ("", "   \n\t ", "x" * 2001):
        reply = await ada.call("message:send", {"room": "anxiety", "text": text, "client_msg_id": "b"})
        assert reply == {"ok": False, "error": {"code": "invalid", "message": reply["error"]["message"],
                                                "field": "text"}}
    reply = await ada.call("message:send", {"room": "anxiety", "text": "x" * 2000, "client_msg_id": "c"})
    assert reply["ok"] and reply["message"]["seq"] == 2


async def test_resend_with_same_client_msg_id_returns_the_stored_message(server: RunningServer) -> None:
    ada = await server.joined_peer()
    bo = await server.joined_peer()
    first = await ada.call("message:send", {"room": "anxiety", "text": "once", "client_msg_id": "same"})
    again = await ada.call("message:send", {"room": "anxiety", "text": "once", "client_msg_id": "same"})
    assert first == again
    await bo.wait_for("message:new")
    await ada.call("message:send", {"room": "anxiety", "text": "next", "client_msg_id": "other"})
    await bo.wait_for("message:new", lambda m: m["text"] == "next")
    assert [m["text"] for m in bo.received("message:new")] == ["once", "next"]


async def test_concurrent_resends_create_one_message(server: RunningServer) -> None:
    ada = await server.joined_peer()
    replies = await asyncio.gather(*[
        ada.call("message:send", {"room": "anxiety", "text": "retry", "client_msg_id": "dup"}) for _ in range(10)])
    assert {r["message"]["id"] for r in replies} == {replies[0]["message"]["id"]}
    history = await ada.call("message:history", {"room": "anxiety"})
    assert [m["text"] for m in history["messages"]] == ["retry"]


async def test_fifty_concurrent_sends_get_gapless_sequence_numbers(server: RunningServer) -> None:
    senders = [await server.joined_peer() for _ in range(10)]
    watcher = await server.joined_peer(mode="listener")
    replies = await asyncio.gather(*[
        senders[i % 10].call("message:send", {"room": "anxiety", "text": f"n{i}", "client_msg_id": f"c{i}"})
        for i in range(50)])
    assert all(r["ok"] for r in replies), replies
    assert sorted(r["message"]["seq"] for r in replies) == list(range(1, 51))
    await watcher.wait_for("message:new", lambda m: m["seq"] == 50)
    assert sorted(m["seq"] for m in watcher.received("message:new")) == list(range(1, 51))


async def test_sending_needs_a_joined_room_and_participant_mode(server: RunningServer) -> None:
    outsider = await server.peer()
    reply = await outsider.call("message:send", {"room": "anxiety", "text": "hi", "client_msg_id": "x"})
    assert reply["error"]["code"] == "not_member"
    listener = await server.joined_peer(mode="listener")
    reply = await listener.call("message:send", {"room": "anxiety", "text": "hi", "client_msg_id": "x"})
    assert reply["error"]["code"] == "listener_mode"
    reply = await listener.call("message:send", {"room": "nowhere", "text": "hi", "client_msg_id": "x"})
    assert reply["error"]["code"] == "not_found"


async def test_invalid_client_msg_id_is_refused(server: RunningServer) -> None:
    ada = await server.joined_peer()
    for bad in ("", "has space", "x" * 65):
        reply = await ada.call("message:send", {"room": "anxiety", "text": "hi", "client_msg_id": bad})
        assert reply["error"]["code"] in {"invalid", "invalid_payload"}, reply


async def test_send_rate_limit_answers_with_retry_after(make_server: ServerFactory) -> None:
    server = await make_server(rate_limits=RateLimits.only(send_message=RateLimit(1.0, 3)))
    ada = await server.joined_peer()
    replies = [await ada.call("message:send", {"room": "anxiety", "text": f"t{i}", "client_msg_id": f"r{i}"})
               for i in range(4)]
    assert [r["ok"] for r in replies] == [True, True, True, False]
    assert replies[3]["error"]["code"] == "rate_limited"
    assert 0 < replies[3]["error"]["retry_after"] <= 1.0
    server.clock.advance(1.0)
    reply = await ada.call("message:send", {"room": "anxiety", "text": "later", "client_msg_id": "r9"})
    assert reply["ok"]


async def test_content_warning_travels_with_the_message_and_its_history(server: RunningServer) -> None:
    ada = await server.joined_peer()
    bo = await server.joined_peer()
    reply = await ada.call("message:send", {"room": "anxiety", "text": "a hard day", "client_msg_id": "cw",
                                            "content_warning": True})
    assert reply["message"]["content_warning"] is True
    pushed = await bo.wait_for("message:new")
    assert pushed["content_warning"] is True
    plain = await ada.call("message:send", {"room": "anxiety", "text": "hello", "client_msg_id": "plain"})
    assert plain["message"]["content_warning"] is False
    history = await bo.call("message:history", {"room": "anxiety", "after": 0})
    assert [m["content_warning"] for m in history["messages"]] == [True, False]
    bad = await ada.call("message:send", {"room": "anxiety", "text": "x", "client_msg_id": "b",
                                          "content_warning": "yes"})
    assert bad["error"]["code"] == "invalid_payload" and bad["error"]["field"] == "content_warning"
