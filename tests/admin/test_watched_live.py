"""Watched words over the API and sockets: live on every process, escalation, mutes, bad rules."""
from __future__ import annotations

from typing import Any

from tests.admin.api import admin, call
from tests.harness import Client, RunningServer, ServerFactory


async def send(client: Client, text: str, cid: str, room: str = "anxiety") -> Any:
    return await client.call("message:send", {"room": room, "text": text, "client_msg_id": cid})


async def test_a_saved_rule_applies_to_the_next_message_on_every_process(make_server: ServerFactory) -> None:
    first = await make_server()
    second = await make_server()
    token = await admin(first)
    there = await second.joined_peer("anxiety")
    assert (await send(there, "you bozo", "b0"))["decision"] == "allow"
    status, body = await call(first, "POST", "/api/watched-words", {"kind": "word", "text": "bozo", "action": "mask"},
                              token)
    assert status == 201
    here = await first.joined_peer("anxiety")
    assert (await send(here, "you bozo", "h1"))["message"]["text"] == "you ****"
    second.clock.advance(1.0)  # the other process looks at the counters at most once a second
    masked = await send(there, "you bozo", "b1")
    assert masked["message"]["text"] == "you ****" and masked["notices"][0]["code"] == "watched_masked"
    rule_id = body["rule"]["id"]
    assert (await call(first, "PATCH", f"/api/watched-words/{rule_id}", {"action": "block"}, token))[0] == 200
    assert (await send(here, "what a bozo", "h2"))["decision"] == "block"
    assert (await call(first, "DELETE", f"/api/watched-words/{rule_id}", None, token))[0] == 200
    assert (await send(here, "bozo is fine now", "h3"))["decision"] == "allow"
    status, listed = await call(first, "GET", "/api/watched-words", None, token)
    assert listed["rules"] == []


async def test_room_rules_exceptions_and_the_try_it_box(server: RunningServer) -> None:
    token = await admin(server)
    await call(server, "POST", "/api/watched-words", {"kind": "phrase", "text": "meet up", "action": "hold",
                                                      "room": "recovery"}, token)
    await call(server, "POST", "/api/watched-words", {"kind": "word", "text": "*dealer*", "action": "block"}, token)
    await call(server, "POST", "/api/watched-words", {"kind": "phrase", "text": "card dealer", "action": "allow"},
               token)
    status, answer = await call(server, "POST", "/api/watched-words/check", {"text": "shall we meet up?",
                                                                             "room": "recovery"}, token)
    assert status == 200 and answer["decision"] == "hold" and answer["flags"][0]["kind"] == "watched"
    status, answer = await call(server, "POST", "/api/watched-words/check", {"text": "shall we meet up?",
                                                                             "room": "anxiety"}, token)
    assert answer["decision"] == "allow"
    status, answer = await call(server, "POST", "/api/watched-words/check", {"text": "my drugdealer", "room": "grief"},
                                token)
    assert answer["decision"] == "block"
    status, answer = await call(server, "POST", "/api/watched-words/check",
                                {"text": "I was a card dealer once", "room": "grief"}, token)
    assert answer["decision"] == "allow"
    peer = await server.joined_peer("recovery")
    held = await send(peer, "shall we meet up?", "m1", room="recovery")
    assert held["decision"] == "hold" and [n["code"] for n in held["notices"]] == ["held_for_review"]


async def test_bad_rules_get_clear_errors(server: RunningServer) -> None:
    token = await admin(server)
    await call(server, "POST", "/api/watched-words", {"kind": "word", "text": "bozo", "action": "mask"}, token)
    cases = [
        ({"kind": "word", "text": "a", "action": "mask"}, 400, "text"),
        ({"kind": "pattern", "text": "(unclosed", "action": "flag"}, 400, "text"),
        ({"kind": "pattern", "text": "(?<=x)y", "action": "flag"}, 400, "text"),
        ({"kind": "pattern", "text": ".*", "action": "flag"}, 400, "text"),
        ({"kind": "word", "text": "bozo", "action": "mask"}, 409, "text"),
        ({"kind": "glob", "text": "bozo", "action": "mask"}, 400, "kind"),
        ({"kind": "word", "text": "bozo", "action": "explode"}, 400, "action"),
        ({"kind": "word", "text": "zappo", "action": "mute", "mute_minutes": 0}, 400, "mute_minutes"),
        ({"kind": "word", "text": "zappo", "action": "mute", "colour": 1}, 400, "colour"),
    ]
    for body, status, field in cases:
        got, answer = await call(server, "POST", "/api/watched-words", body, token)
        assert (got, answer["error"].get("field")) == (status, field), (body, answer)
    status, answer = await call(server, "POST", "/api/watched-words", {"kind": "word", "text": "zappo",
                                                                       "action": "mute", "room": "nowhere"}, token)
    assert status == 404
    assert (await call(server, "PATCH", "/api/watched-words/nope", {"action": "mask"}, token))[0] == 404
    assert (await call(server, "DELETE", "/api/watched-words/nope", None, token))[0] == 404


async def test_repeats_escalate_to_a_timed_mute_but_crisis_is_never_turned_away(server: RunningServer) -> None:
    token = await admin(server)
    await call(server, "POST", "/api/watched-words", {"kind": "word", "text": "bozo", "action": "mask"}, token)
    peer = await server.joined_peer("anxiety")
    first = await send(peer, "bozo", "e1")
    assert [n["code"] for n in first["notices"]] == ["watched_masked"]
    server.clock.advance(60)
    second = await send(peer, "bozo again", "e2")
    assert [n["code"] for n in second["notices"]] == ["watched_masked", "watched_warning"]
    server.clock.advance(60)
    third = await send(peer, "bozo thrice", "e3")
    assert third["decision"] == "allow_modified" and third["notices"][-1]["code"] == "posting_paused"
    refused = await send(peer, "just saying hi", "e4")
    assert refused["error"]["code"] == "muted" and 0 < refused["error"]["retry_after"] <= 600
    crisis = await send(peer, "I want to kill myself", "e5")
    assert crisis["decision"] == "hold"
    assert [n["code"] for n in crisis["notices"]] == ["crisis_resources", "held_for_review"]
    assert crisis["notices"][0]["resources"]
    server.clock.advance(601)
    assert (await send(peer, "hello again", "e6"))["decision"] == "allow"


async def test_a_mute_rule_mutes_at_once_for_its_minutes(server: RunningServer) -> None:
    token = await admin(server)
    await call(server, "POST", "/api/watched-words", {"kind": "word", "text": "zappo", "action": "mute",
                                                      "mute_minutes": 2}, token)
    peer = await server.joined_peer("anxiety")
    muted = await send(peer, "zappo", "z1")
    assert muted["decision"] == "block" and muted["notices"][0]["code"] == "muted"
    refused = await send(peer, "hello", "z2")
    assert refused["error"]["code"] == "muted" and refused["error"]["retry_after"] == 120
    elsewhere = await peer.call("room:join", {"room": "grief", "accept_agreement": True})
    assert elsewhere["ok"] and (await send(peer, "hello", "z3", room="grief"))["decision"] == "allow"
    server.clock.advance(121)
    assert (await send(peer, "hello", "z4"))["decision"] == "allow"
