"""Held messages end to end: who may read and approve them, what approval posts, what happens when a
review ends without approval, and warnings only ever go down the roles."""
from __future__ import annotations

import uuid
from typing import Any

import aiohttp
import pytest
from sqlalchemy import select, update

from server.identity.roles import Role
from server.moderation.queue import OUTCOMES
from server.rooms.retention import DAY, do_purge_expired
from server.storage.models import Message
from server.storage.review_models import ReviewItem
from tests.harness import Client, RunningServer
from tests.moderation.factories import HELD, flagged_message, member, staff, staff_token

MODERATION_DAYS = 30
NUMBER = "call me on +44 7700 900123"


async def _set_rules(server: RunningServer, room: str, rules: dict[str, Any]) -> None:
    """Through the admin API, as an admin would."""
    _admin_id, token = await staff_token(server, Role.ADMIN)
    async with aiohttp.ClientSession() as http:
        async with http.patch(f"{server.url}/api/rooms/{room}/policy", json=rules,
                              headers={"Authorization": f"Bearer {token}"}) as response:
            assert response.status == 200, await response.text()


async def _send(client: Client, text: str, room: str, client_msg_id: str | None = None) -> dict[str, Any]:
    reply = await client.call("message:send", {"room": room, "text": text,
                                               "client_msg_id": client_msg_id or uuid.uuid4().hex})
    assert reply["ok"], reply
    return dict(reply["message"])


async def _flood_held(client: Client, text: str, room: str) -> dict[str, Any]:
    """The third copy of the same text within 5 minutes is held whole: its stored text is what was typed."""
    await _send(client, text, room)
    await _send(client, text, room)
    held = await _send(client, text, room)
    assert held["status"] == "held", held
    return held


async def _item(mod: Client, message_id: str) -> dict[str, Any]:
    return dict((await mod.wait_for("flag:new", lambda e: e["item"]["target"]["id"] == message_id))["item"])


async def _row(server: RunningServer, message_id: str) -> Message | None:
    async with server.services.db.read() as session:
        return (await session.execute(select(Message).where(Message.id == message_id))).scalar_one_or_none()


async def test_held_text_is_hidden_from_moderators_where_only_admins_may_read_it(server: RunningServer) -> None:
    await _set_rules(server, "anxiety", {"held_originals": "admins"})
    mod = await staff(server)
    author, _ = await member(server)
    held = await _flood_held(author, "my private words, again", "anxiety")
    await _item(mod, held["id"])
    context = await mod.call("mod:context", {"message_id": held["id"]})
    assert context["message"]["status"] == "held" and context["message"]["text"] is None
    assert "only admins" in context["message"]["hidden"] and "original" not in context["message"]
    assert "private words" not in str(context["message"]), "the two earlier copies were posted; this one is held"
    admin = await staff(server, Role.ADMIN)
    seen = await admin.call("mod:context", {"message_id": held["id"]})
    assert seen["message"]["original"] == seen["message"]["text"] == "my private words, again"


async def test_moderators_see_what_approval_posts_beside_the_edited_text(server: RunningServer) -> None:
    mod = await staff(server)
    author, _ = await member(server, room="recovery")
    watcher, _ = await member(server, room="recovery")
    held = await _send(author, NUMBER, "recovery")
    item = await _item(mod, held["id"])
    context = await mod.call("mod:context", {"message_id": held["id"]})
    assert context["message"]["original"] == NUMBER
    assert "[contact details removed]" in context["message"]["text"] and "7700" not in context["message"]["text"]
    reply = await mod.call("mod:approve", {"item_id": item["id"], "version": item["version"]})
    assert reply["ok"], reply
    assert (await watcher.wait_for("message:new", lambda m: m["id"] == held["id"]))["text"] == NUMBER


async def test_a_moderator_cannot_approve_what_the_room_lets_only_admins_read(server: RunningServer) -> None:
    await _set_rules(server, "recovery", {"held_originals": "admins"})
    mod = await staff(server)
    author, _ = await member(server, room="recovery")
    watcher, _ = await member(server, room="recovery")
    held = await _send(author, NUMBER, "recovery")
    item = await _item(mod, held["id"])
    refused = await mod.call("mod:approve", {"item_id": item["id"], "version": item["version"]})
    assert refused["error"]["code"] == "forbidden" and "admin" in refused["error"]["message"]
    row = await _row(server, held["id"])
    assert row is not None and row.status == "held" and row.seq is None
    admin = await staff(server, Role.ADMIN)
    approved = await admin.call("mod:approve", {"item_id": item["id"], "version": item["version"]})
    assert approved["ok"], approved
    pushed = await watcher.wait_for("message:new", lambda m: m["id"] == held["id"])
    assert pushed["text"] == NUMBER
    assert [m["id"] for m in watcher.received("message:new")] == [held["id"]]


@pytest.mark.parametrize("outcome", OUTCOMES)
async def test_a_review_ending_without_approval_tells_the_author_and_the_purge_ends_it(
        server: RunningServer, outcome: str) -> None:
    """check-in keeps messages 2 days; a reviewed one stays for moderation retention after the review."""
    mod = await staff(server)
    author, _ = await member(server, room="check-in")
    watcher, _ = await member(server, room="check-in")
    cid = uuid.uuid4().hex
    await _send(author, "same again", "check-in")
    await _send(author, "same again", "check-in")
    held = await _send(author, "same again", "check-in", client_msg_id=cid)
    assert held["status"] == "held"
    item = await _item(mod, held["id"])
    resolved = await mod.call("mod:resolve", {"item_id": item["id"], "version": item["version"], "outcome": outcome})
    assert resolved["declined"] == {"room": "check-in", "id": held["id"]}
    notice = await author.wait_for("notice", lambda n: n["code"] == "message_not_posted")
    assert notice["room"] == "check-in" and notice["message_id"] == held["id"]
    assert "won't be posted" in notice["message"] and not watcher.received("notice")
    row = await _row(server, held["id"])
    assert row is not None and (row.status, row.text, row.original, row.seq) == ("declined", None, "same again", None)
    resent = await author.call("message:send", {"room": "check-in", "text": "same again", "client_msg_id": cid})
    assert (resent["message"]["status"], resent["message"]["text"]) == ("declined", None)
    assert held["id"] not in [m["id"] for m in watcher.received("message:new")]
    server.clock.advance(MODERATION_DAYS * DAY - 60)
    await do_purge_expired(server.services.db, server.clock, MODERATION_DAYS)
    assert await _row(server, held["id"]) is not None, "kept while moderation retention runs"
    server.clock.advance(120)
    await do_purge_expired(server.services.db, server.clock, MODERATION_DAYS)
    assert await _row(server, held["id"]) is None


async def test_a_message_left_held_by_an_older_server_is_purged_after_its_review(server: RunningServer) -> None:
    """Before declining existed, a resolved review left its message `held`, and the purge skipped it for ever."""
    mod = await staff(server)
    _author, author_id = await member(server)
    held = await flagged_message(server, author_id, HELD)
    await _item(mod, held["id"])
    async with server.services.db.transaction() as tx:
        await tx.session.execute(update(ReviewItem).where(ReviewItem.target_id == held["id"]).values(
            status="resolved", outcome="no_action", resolved_at=server.clock.now()))
    server.clock.advance((MODERATION_DAYS + 1) * DAY)
    report = await do_purge_expired(server.services.db, server.clock, MODERATION_DAYS)
    assert report.removed.get("anxiety") == 1 and await _row(server, held["id"]) is None


async def test_approval_in_a_room_that_keeps_no_messages_delivers_live_only(server: RunningServer) -> None:
    await _set_rules(server, "carers", {"retention_days": 0})
    mod = await staff(server)
    author, _ = await member(server, room="carers")
    watcher, _ = await member(server, room="carers")
    held = await _flood_held(author, "only for now, only for now", "carers")
    item = await _item(mod, held["id"])
    reply = await mod.call("mod:approve", {"item_id": item["id"], "version": item["version"]})
    assert reply["ok"], reply
    pushed = await watcher.wait_for("message:new", lambda m: m["id"] == held["id"])
    assert pushed["text"] == "only for now, only for now" and pushed["status"] == "visible"
    row = await _row(server, held["id"])
    assert row is not None and (row.status, row.text, row.original) == ("visible", None, None)
    newcomer, _ = await member(server, room=None)
    joined = await newcomer.call("room:join", {"room": "carers", "accept_agreement": True})
    page = await newcomer.call("message:history", {"room": "carers"})
    assert "only for now" not in str(joined) and "only for now" not in str(page)
    assert held["id"] in [m["id"] for m in page["messages"]]


async def test_moderators_cannot_warn_people_at_or_above_their_role(server: RunningServer) -> None:
    admin_id, admin_token = await staff_token(server, Role.ADMIN)
    admin = await server.connect(admin_token)
    other_mod_id, _ = await staff_token(server, Role.MODERATOR)
    mod = await staff(server)
    for subject_id in (admin_id, other_mod_id):
        message = await flagged_message(server, subject_id, HELD)
        item = await _item(mod, message["id"])
        refused = await mod.call("mod:warn", {"item_id": item["id"], "version": item["version"], "note": "Careful."})
        assert refused["error"]["code"] == "forbidden", refused
    assert not admin.received("notice")
    admin_mod = await staff(server, Role.ADMIN)
    allowed = await admin_mod.call("mod:warn", {"item_id": item["id"], "version": item["version"], "note": "Careful."})
    assert allowed["ok"], allowed
