"""Moderator actions end to end: remove, approve, warn, mute, remove from a room, ban, reach out."""
from __future__ import annotations

from typing import Any

import pytest
import socketio

from server.identity.roles import Role
from server.jobs import refresh_live_config
from server.storage.rooms import RoomStore
from server.storage.users import UserStore
from tests.harness import Client, RunningServer, ServerFactory
from tests.moderation.factories import HELD, flagged_message, member, say, staff, staff_token, until


async def _item_for(server: RunningServer, mod: Client, message: dict[str, Any]) -> dict[str, Any]:
    reporter, _ = await member(server)
    await reporter.call("message:report", {"message_id": message["id"], "reason": "harassment"})
    return dict((await mod.wait_for("flag:new", lambda e: e["item"]["target"]["id"] == message["id"]))["item"])


async def test_remove_deletes_the_text_everywhere(server: RunningServer) -> None:
    mod = await staff(server)
    author, _ = await member(server)
    watcher, _ = await member(server)
    message = await say(author, "nasty")
    item = await _item_for(server, mod, message)
    reply = await mod.call("mod:remove", {"item_id": item["id"], "version": item["version"]})
    assert reply["removed"] == {"room": "anxiety", "id": message["id"], "seq": message["seq"]}
    assert reply["item"]["version"] == item["version"] + 1
    for client in (author, watcher):
        assert (await client.wait_for("message:removed"))["id"] == message["id"]
    assert (await author.wait_for("notice", lambda n: n["code"] == "message_removed"))["message_id"] == message["id"]
    history = await watcher.call("message:history", {"room": "anxiety"})
    assert [(m["id"], m["text"], m["status"]) for m in history["messages"]] == [(message["id"], None, "removed")]
    again = await mod.call("mod:remove", {"item_id": item["id"], "version": reply["item"]["version"]})
    assert again["error"]["code"] == "invalid"


async def test_remove_refuses_a_message_of_another_room(server: RunningServer) -> None:
    mod = await staff(server)
    author, _ = await member(server)
    item = await _item_for(server, mod, await say(author, "here"))
    elsewhere, _ = await member(server, room="grief")
    other = await say(elsewhere, "there", room="grief")
    for message_id, code in [(other["id"], "invalid"), ("0" * 32, "not_found")]:
        reply = await mod.call("mod:remove", {"item_id": item["id"], "version": 1, "message_id": message_id})
        assert reply["error"]["code"] == code
    help_asker, _ = await member(server)
    await help_asker.call("help:request", {})
    help_item = (await mod.wait_for("flag:new", lambda e: e["item"]["kind"] == "help"))["item"]
    reply = await mod.call("mod:remove", {"item_id": help_item["id"], "version": 1})
    assert reply["error"]["code"] == "invalid" and reply["error"]["field"] == "message_id"


async def test_approving_a_held_message_delivers_it_with_the_next_seq(server: RunningServer) -> None:
    mod = await staff(server)
    author, author_id = await member(server)
    watcher, _ = await member(server)
    first = await say(author, "first")
    held = await flagged_message(server, author_id, HELD)
    item = (await mod.wait_for("flag:new", lambda e: e["item"]["target"]["id"] == held["id"]))["item"]
    await say(author, "second")
    reply = await mod.call("mod:approve", {"item_id": item["id"], "version": item["version"]})
    assert reply["approved"] == {"room": "anxiety", "id": held["id"], "seq": first["seq"] + 2}
    delivered = await watcher.wait_for("message:new", lambda m: m["id"] == held["id"])
    assert delivered["text"] == HELD.text and delivered["status"] == "visible"
    await author.wait_for("notice", lambda n: n["code"] == "message_approved")
    again = await mod.call("mod:approve", {"item_id": item["id"], "version": reply["item"]["version"]})
    assert again["error"]["code"] == "invalid"
    visible_item = await _item_for(server, mod, first)
    reply = await mod.call("mod:approve", {"item_id": visible_item["id"], "version": 1})
    assert reply["error"]["code"] == "invalid"


async def test_warn_is_a_private_notice(server: RunningServer) -> None:
    mod = await staff(server)
    author, _ = await member(server)
    watcher, _ = await member(server)
    item = await _item_for(server, mod, await say(author, "hm"))
    blank = await mod.call("mod:warn", {"item_id": item["id"], "version": 1, "note": "  "})
    assert blank["error"]["code"] == "invalid"
    reply = await mod.call("mod:warn", {"item_id": item["id"], "version": 1, "note": "Please be kind."})
    assert reply["ok"]
    warning = await author.wait_for("notice", lambda n: n["code"] == "moderator_warning")
    assert warning["message"] == "Please be kind."
    assert not watcher.received("notice")


async def test_mute_in_a_room_and_everywhere_expires(server: RunningServer) -> None:
    mod = await staff(server)
    author, _ = await member(server)
    item = await _item_for(server, mod, await say(author, "loud"))
    reply = await mod.call("mod:mute", {"item_id": item["id"], "version": 1, "minutes": 10})
    assert reply["muted"]["room"] == "anxiety"
    await author.wait_for("notice", lambda n: n["code"] == "muted")
    refused = await author.call("message:send", {"room": "anxiety", "text": "hi", "client_msg_id": "m1"})
    assert refused["error"]["code"] == "muted" and 599 <= refused["error"]["retry_after"] <= 600
    assert refused["error"]["until"] in refused["error"]["message"]
    assert (await author.call("room:join", {"room": "grief", "accept_agreement": True}))["ok"]
    assert (await author.call("message:send", {"room": "grief", "text": "hi", "client_msg_id": "m2"}))["ok"]
    everywhere = await mod.call("mod:mute", {"item_id": item["id"], "version": 2, "minutes": 20, "everywhere": True})
    assert everywhere["muted"]["room"] is None
    assert (await author.call("message:send", {"room": "grief", "text": "x", "client_msg_id": "m3"}))["error"][
        "code"] == "muted"
    assert (await author.call("help:request", {"room": "grief"}))["ok"]
    server.clock.advance(20 * 60 + 1)
    assert (await author.call("message:send", {"room": "anxiety", "text": "back", "client_msg_id": "m4"}))["ok"]
    for minutes in (0, 7 * 24 * 60 + 1):
        bad = await mod.call("mod:mute", {"item_id": item["id"], "version": 3, "minutes": minutes})
        assert bad["error"]["code"] == "invalid"


async def test_remove_from_a_room(server: RunningServer) -> None:
    mod = await staff(server)
    author, author_id = await member(server)
    watcher, _ = await member(server)
    item = await _item_for(server, mod, await say(author, "go away"))
    reply = await mod.call("mod:kick", {"item_id": item["id"], "version": 1})
    assert reply["kicked"] == {"user_id": author_id, "room": "anxiety"}
    assert (await author.wait_for("room:removed"))["room"] == "anxiety"
    await watcher.wait_for("member:left", lambda e: e["member"]["id"] == author_id)
    sent = await author.call("message:send", {"room": "anxiety", "text": "still here?", "client_msg_id": "k"})
    assert sent["error"]["code"] == "not_member"
    gone = await mod.call("mod:kick", {"item_id": item["id"], "version": 2})
    assert gone["error"]["code"] == "not_member"


async def test_ban_closes_the_account_and_its_sockets(server: RunningServer) -> None:
    mod = await staff(server)
    author, author_id = await member(server)
    second_tab = await server.connect(server.services.signer.issue(author_id, 0))
    item = await _item_for(server, mod, await say(author, "abuse"))
    reply = await mod.call("mod:ban", {"item_id": item["id"], "version": 1})
    assert reply["banned"] == {"user_id": author_id}
    for client in (author, second_tab):
        assert (await client.wait_for("session:ended"))["code"] == "banned"
    await until(lambda: not author.sio.connected and not second_tab.sio.connected)
    with pytest.raises(socketio.exceptions.ConnectionError):
        await server.connect(server.services.signer.issue(author_id, 0))
    status, _ = await server.post("/api/session", {"pseudonym": "fresh start"})
    assert status == 201
    refused = await mod.call("mod:ban", {"item_id": item["id"], "version": 2})
    assert refused["error"]["code"] == "invalid"


async def test_ban_closes_sockets_on_every_process(make_server: ServerFactory) -> None:
    first, second = await make_server(), await make_server()
    mod = await staff(first)
    author, author_id = await member(first)
    elsewhere = await second.connect(second.services.signer.issue(author_id, 0))
    await second.services.live.refresh(second.services.db, second.clock.now())
    item = await _item_for(first, mod, await say(author, "abuse"))
    assert (await mod.call("mod:ban", {"item_id": item["id"], "version": 1}))["ok"]
    await until(lambda: not author.sio.connected)
    assert elsewhere.sio.connected, "the other process has not looked at the counters yet"
    second.clock.advance(1.0)
    await refresh_live_config(second.services)
    await until(lambda: not elsewhere.sio.connected)


async def test_kick_removes_the_person_on_every_process(make_server: ServerFactory) -> None:
    first, second = await make_server(), await make_server()
    mod = await staff(first)
    author, author_id = await member(first)
    elsewhere = await second.connect(second.services.signer.issue(author_id, 0))
    assert (await elsewhere.call("room:join", {"room": "anxiety", "accept_agreement": True}))["ok"]
    await second.services.live.refresh(second.services.db, second.clock.now())
    item = await _item_for(first, mod, await say(author, "go away"))
    assert (await mod.call("mod:kick", {"item_id": item["id"], "version": 1}))["ok"]
    assert (await author.wait_for("room:removed"))["room"] == "anxiety"
    async with second.services.db.read() as session:
        room = await RoomStore(session).by_slug("anxiety")
    assert room is not None and second.services.presence.get(room.id, author_id) is not None, \
        "the other process has not looked at the counters yet"
    second.clock.advance(1.0)
    # The send path looks at the counters too; the tick must still act on what that look saw.
    await second.services.live.refresh(second.services.db, second.clock.now())
    await refresh_live_config(second.services)
    sent = await elsewhere.call("message:send", {"room": "anxiety", "text": "still here?", "client_msg_id": "k"})
    assert sent["error"]["code"] == "not_member"
    assert elsewhere.sio.connected, "a kick removes from the room; it does not sign the person out"
    rejoined = await elsewhere.call("room:join", {"room": "anxiety", "accept_agreement": True})
    assert rejoined["ok"]
    second.clock.advance(1.0)
    await refresh_live_config(second.services)
    assert (await elsewhere.call("message:send", {"room": "anxiety", "text": "back", "client_msg_id": "b"}))["ok"]


async def test_a_demoted_moderator_no_longer_reads_or_writes_their_support_conversations(
        server: RunningServer) -> None:
    mod_id, token = await staff_token(server, Role.MODERATOR, "molly")
    mod = await server.connect(token)
    peer, peer_id = await member(server, room=None)
    conversation = (await mod.call("support:open", {"user_id": peer_id}))["conversation"]
    assert (await peer.call("support:send", {"conversation_id": conversation["id"], "text": "I relapsed"}))["ok"]
    admin = await staff(server, Role.ADMIN)
    assert (await admin.call("mod:set_role", {"user_id": mod_id, "role": "facilitator"}))["ok"]
    async with server.services.db.read() as session:
        version = (await UserStore(session).get(mod_id)).token_version  # type: ignore[union-attr]
    demoted = await server.connect(server.services.signer.issue(mod_id, version))
    for event, payload in (("support:history", {"conversation_id": conversation["id"]}),
                           ("support:send", {"conversation_id": conversation["id"], "text": "still here"})):
        assert (await demoted.call(event, payload))["error"]["code"] == "not_found", event
    history = await peer.call("support:history", {"conversation_id": conversation["id"]})
    assert [m["text"] for m in history["messages"]] == ["I relapsed"]  # the peer keeps their side


async def test_moderators_cannot_act_on_staff_at_their_level(server: RunningServer) -> None:
    mod = await staff(server)
    other_id, token = await staff_token(server, Role.MODERATOR)
    other = await server.connect(token)
    await other.call("room:join", {"room": "anxiety", "accept_agreement": True})
    message = await say(other, "staff message")
    item = await _item_for(server, mod, message)
    for event, extra in [("mod:ban", {}), ("mod:mute", {"minutes": 5}), ("mod:kick", {})]:
        reply = await mod.call(event, {"item_id": item["id"], "version": 1, **extra})
        assert reply["error"]["code"] == "forbidden", (event, reply)
    admin = await staff(server, Role.ADMIN)
    muted = await admin.call("mod:mute", {"item_id": item["id"], "version": 1, "minutes": 5})
    assert muted["muted"]["user_id"] == other_id


async def test_reach_out_privately(server: RunningServer) -> None:
    mod = await staff(server)
    peer, peer_id = await member(server, room=None)
    outsider, _ = await member(server, room=None)
    opened = await mod.call("support:open", {"user_id": peer_id})
    conversation = opened["conversation"]
    assert conversation["user"]["id"] == peer_id and opened["messages"] == []
    assert (await peer.wait_for("support:opened"))["conversation"]["id"] == conversation["id"]
    sent = await mod.call("support:send", {"conversation_id": conversation["id"], "text": "How are you doing?"})
    assert sent["ok"]
    assert (await peer.wait_for("support:message"))["text"] == "How are you doing?"
    server.clock.advance(1)
    assert (await peer.call("support:send", {"conversation_id": conversation["id"], "text": "Not great."}))["ok"]
    await mod.wait_for("support:message", lambda m: m["text"] == "Not great.")
    history = await peer.call("support:history", {"conversation_id": conversation["id"]})
    assert [m["text"] for m in history["messages"]] == ["How are you doing?", "Not great."]
    reopened = await mod.call("support:open", {"user_id": peer_id})
    assert reopened["conversation"]["id"] == conversation["id"] and len(reopened["messages"]) == 2
    for client, event, payload, code in [
        (outsider, "support:send", {"conversation_id": conversation["id"], "text": "hi"}, "not_found"),
        (outsider, "support:history", {"conversation_id": conversation["id"]}, "not_found"),
        (outsider, "support:open", {"user_id": peer_id}, "forbidden"),
        (mod, "support:open", {"user_id": "0" * 32}, "not_found"),
        (mod, "support:send", {"conversation_id": conversation["id"], "text": " "}, "invalid"),
    ]:
        reply = await client.call(event, payload)
        assert reply["error"]["code"] == code, (event, reply)
    assert not outsider.received("support:message")
