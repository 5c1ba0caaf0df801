"""A rule that refuses a message (a mute, a session's turn, a listener's seat) never hides a crisis from the
moderators: a refused message that reads as crisis is held for them, and its sender gets the resources."""
from __future__ import annotations

import uuid
from typing import Any

from tests.harness import Client, RunningServer
from tests.moderation.factories import member, say, staff
from tests.rooms.sessionkit import facilitated_lobby, join, send

CRISIS = "I can't do this anymore, I'm going to kill myself tonight"


async def _send(client: Client, text: str, room: str = "anxiety") -> dict[str, Any]:
    return dict(await client.call("message:send", {"room": room, "text": text, "client_msg_id": uuid.uuid4().hex}))


def _held_for_a_moderator(reply: dict[str, Any]) -> None:
    assert reply["ok"] and reply["decision"] == "hold", reply
    assert reply["message"]["status"] == "held" and reply["message"]["seq"] is None
    codes = [notice["code"] for notice in reply["notices"]]
    assert codes == ["crisis_resources", "held_for_review"], codes
    assert reply["notices"][0]["resources"], "the sender is offered the crisis lines with the notice"
    assert "gone to a moderator" in reply["notices"][1]["message"]


async def _crisis_item(mod: Client, message_id: str) -> dict[str, Any]:
    event = await mod.wait_for("flag:new", lambda e: e["item"]["target"]["id"] == message_id)
    item = dict(event["item"])
    assert item["kind"] == "crisis" and item["severity"] in {"imminent", "high"}, item
    return item


async def test_a_muted_peer_in_crisis_reaches_the_moderators_and_nobody_else(server: RunningServer) -> None:
    mod = await staff(server)
    author, _ = await member(server)
    watcher, _ = await member(server)
    reporter, _ = await member(server)
    first = await say(author, "leave me alone all of you")
    await reporter.call("message:report", {"message_id": first["id"], "reason": "harassment"})
    item = (await mod.wait_for("flag:new", lambda e: e["item"]["target"]["id"] == first["id"]))["item"]
    assert (await mod.call("mod:mute", {"item_id": item["id"], "version": item["version"], "minutes": 30}))["ok"]

    assert (await _send(author, "hello again"))["error"]["code"] == "muted", "an ordinary message is refused"
    reply = await _send(author, CRISIS)
    _held_for_a_moderator(reply)
    assert "muted you" in reply["notices"][1]["message"], "the sender still learns why it isn't in the room"
    crisis = await _crisis_item(mod, reply["message"]["id"])
    assert reply["message"]["id"] not in [m["id"] for m in watcher.received("message:new")]

    approved = await mod.call("mod:approve", {"item_id": crisis["id"], "version": crisis["version"]})
    assert approved["ok"], approved
    shown = await watcher.wait_for("message:new", lambda m: m["id"] == reply["message"]["id"])
    assert shown["text"] == CRISIS, "a moderator may still post it"


async def test_a_listener_in_crisis_reaches_the_moderators(server: RunningServer) -> None:
    mod = await staff(server)
    listener, _ = await member(server, mode="listener")
    assert (await _send(listener, "just a thought"))["error"]["code"] == "listener_mode"
    reply = await _send(listener, CRISIS)
    _held_for_a_moderator(reply)
    await _crisis_item(mod, reply["message"]["id"])


async def test_crisis_outside_ones_turn_in_a_session_reaches_the_moderators(server: RunningServer) -> None:
    mod = await staff(server)
    _, console, session = await facilitated_lobby(server)
    sid = session["id"]
    ana, ana_id, _ = await join(server, sid)
    bea, _, _ = await join(server, sid)
    await console.call("session:rounds", {"session": sid, "on": True})
    await console.call("turn:give", {"session": sid, "user": ana_id})
    assert (await send(bea, "can I say something", "b1"))["error"]["code"] == "not_your_turn"
    reply = await send(bea, CRISIS, "b2")
    _held_for_a_moderator(reply)
    assert "only the person whose turn it is" in reply["notices"][1]["message"]
    await _crisis_item(mod, reply["message"]["id"])
    assert reply["message"]["id"] not in [m["id"] for m in ana.received("message:new")]

    await console.call("session:mute", {"session": sid, "user": ana_id})
    reply = await send(ana, CRISIS, "a1")
    _held_for_a_moderator(reply)
    await _crisis_item(mod, reply["message"]["id"])
