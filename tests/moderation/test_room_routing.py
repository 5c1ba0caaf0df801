"""Room-first routing: a report or rule-break flag from a room with assigned moderators alerts them first and
every moderator once none of them claims it within PEERCHAT_ROOM_ROUTING_SECONDS (or none of them watches
the queue); crisis items reach everyone at once; unassigned rooms are everyone's. The job is driven by hand
with the test clock, as the escalation tests do."""
from __future__ import annotations

import asyncio
from typing import Any

from sqlalchemy import select

from server.identity.roles import Role
from server.moderation.escalation import widen_room_first
from server.rooms.admin_audit import OPERATOR
from server.rooms.moderators import do_set_room_moderators, list_my_rooms
from server.storage.review_models import AuditEntry
from tests.admin.api import admin, call
from tests.harness import Client, RunningServer
from tests.moderation.factories import member, say, staff, staff_token, until

QUIET = 0.3  # how long a moderator who should not be alerted is watched for a stray flag:new


async def _assign(server: RunningServer, room: str, *names: str) -> None:
    await do_set_room_moderators(server.services, actor=OPERATOR, slug=room, usernames=list(names))


async def _report(server: RunningServer, reason: str = "spam", room: str = "anxiety") -> dict[str, Any]:
    """A peer reports another's message in the room; returns the reported message."""
    author, _ = await member(server, room=room)
    message = await say(author, "something unkind", room=room)
    reporter, _ = await member(server, room=room)
    reply = await reporter.call("message:report", {"message_id": message["id"], "reason": reason})
    assert reply["ok"], reply
    return message


async def _quiet(client: Client, event: str = "flag:new") -> None:
    await asyncio.sleep(QUIET)
    assert client.received(event) == [], client.received(event)


async def _widen_actions(server: RunningServer) -> list[dict[str, Any]]:
    async with server.services.db.read() as session:
        rows = (await session.execute(select(AuditEntry).where(AuditEntry.action == "route.widen"))).scalars()
        return [row.detail for row in rows]


async def test_a_report_alerts_the_rooms_moderators_first_and_everyone_after_the_routing_time(
        server: RunningServer) -> None:
    own = await staff(server, name="anxietymod")
    other = await staff(server, name="othermod")
    await _assign(server, "anxiety", "anxietymod")
    message = await _report(server)
    item = (await own.wait_for("flag:new"))["item"]
    assert item["target"]["id"] == message["id"] and item["room"] == "anxiety" and item["room_first_until"]
    await _quiet(other)
    # Nothing is hidden: the other moderator's queue lists it, and they may act on it.
    listed = (await other.call("mod:queue", {}))["items"]
    assert [i["id"] for i in listed] == [item["id"]]

    routing = server.services.settings.room_routing_seconds
    assert routing == 120
    server.clock.advance(routing - 1)
    assert await widen_room_first(server.services) == 0
    await _quiet(other)
    server.clock.advance(2)
    assert await widen_room_first(server.services) == 1
    widened = (await other.wait_for("flag:new"))["item"]
    assert widened["id"] == item["id"] and widened["room_first_until"] is None
    assert widened["version"] == item["version"] + 1
    assert (await own.wait_for("flag:new", lambda e: e["item"]["room_first_until"] is None))["item"]["id"] == item["id"]
    assert await _widen_actions(server) == [{"reason": "unclaimed"}]
    server.clock.advance(routing)
    assert await widen_room_first(server.services) == 0


async def test_a_rule_break_flag_is_routed_like_a_report(server: RunningServer) -> None:
    own = await staff(server, name="anxietymod")
    other = await staff(server, name="othermod")
    await _assign(server, "anxiety", "anxietymod")
    author, _ = await member(server)
    await say(author, "this is fucking shit")
    item = (await own.wait_for("flag:new"))["item"]
    assert item["kind"] == "profanity" and item["room_first_until"]
    await _quiet(other)


async def _claimed_by_the_rooms_moderator(server: RunningServer) -> tuple[Client, Client, dict[str, Any]]:
    """A report in a room with its own moderator, who claims it in time: (their client, another moderator's,
    the claimed item)."""
    own = await staff(server, name="anxietymod")
    other = await staff(server, name="othermod")
    await _assign(server, "anxiety", "anxietymod")
    await _report(server)
    item = (await own.wait_for("flag:new"))["item"]
    claimed = await own.call("mod:claim", {"item_id": item["id"], "version": item["version"]})
    assert claimed["ok"] and claimed["item"]["room_first_until"] is None
    return own, other, claimed["item"]


async def test_a_claim_in_time_keeps_the_item_with_the_room_and_tells_everyone_it_is_taken(
        server: RunningServer) -> None:
    _own, other, _claimed = await _claimed_by_the_rooms_moderator(server)
    update = (await other.wait_for("flag:updated"))["item"]
    assert update["status"] == "claimed" and update["claimed_by"]["pseudonym"]
    server.clock.advance(3600)
    assert await widen_room_first(server.services) == 0
    assert other.received("flag:new") == []


async def test_a_release_by_the_rooms_moderator_hands_the_item_to_everyone_not_back_to_the_room(
        server: RunningServer) -> None:
    """Releasing means "I can't take this": a new room-first window would keep it from everyone else for nothing."""
    own, other, claimed = await _claimed_by_the_rooms_moderator(server)
    released = await own.call("mod:release", {"item_id": claimed["id"], "version": claimed["version"]})
    assert released["ok"] and released["item"]["room_first_until"] is None
    update = (await other.wait_for("flag:updated", lambda e: e["item"]["status"] == "pending"))["item"]
    assert update["id"] == claimed["id"] and update["claimed_by"] is None and update["room_first_until"] is None
    assert await widen_room_first(server.services) == 0 and await _widen_actions(server) == []


async def test_crisis_reaches_every_moderator_at_once_even_in_an_assigned_room(server: RunningServer) -> None:
    own = await staff(server, name="anxietymod")
    other = await staff(server, name="othermod")
    await _assign(server, "anxiety", "anxietymod")
    author, _ = await member(server)
    await say(author, "I'm going to end it tonight")
    for mod in (own, other):
        item = (await mod.wait_for("flag:new"))["item"]
        assert item["kind"] == "crisis" and item["room"] == "anxiety" and item["room_first_until"] is None
    await _report(server, reason="crisis")
    for mod in (own, other):
        await mod.wait_for("flag:new", lambda e: e["item"]["kind"] == "crisis" and e["item"]["reasons"] == {
            "crisis": 1})


async def test_an_item_that_turns_into_a_crisis_goes_to_everyone_at_once(server: RunningServer) -> None:
    own = await staff(server, name="anxietymod")
    other = await staff(server, name="othermod")
    await _assign(server, "anxiety", "anxietymod")
    message = await _report(server)
    assert (await own.wait_for("flag:new"))["item"]["room_first_until"]
    await _quiet(other)
    crisis_reporter, _ = await member(server)
    reply = await crisis_reporter.call("message:report", {"message_id": message["id"], "reason": "crisis"})
    assert reply["ok"], reply
    widened = (await other.wait_for("flag:new"))["item"]
    assert widened["kind"] == "crisis" and widened["room_first_until"] is None and widened["score"] == 2


async def test_further_reports_in_the_window_go_to_the_rooms_moderators_only(server: RunningServer) -> None:
    own = await staff(server, name="anxietymod")
    other = await staff(server, name="othermod")
    await _assign(server, "anxiety", "anxietymod")
    message = await _report(server)
    await own.wait_for("flag:new")
    another, _ = await member(server)
    assert (await another.call("message:report", {"message_id": message["id"], "reason": "other"}))["ok"]
    update = (await own.wait_for("flag:updated"))["item"]
    assert update["score"] == 2 and update["room_first_until"]
    await _quiet(other, "flag:updated")
    await _quiet(other)


async def test_an_unassigned_room_alerts_everyone_as_before(server: RunningServer) -> None:
    own = await staff(server, name="griefmod")
    other = await staff(server, name="othermod")
    await _assign(server, "grief", "griefmod")
    await _report(server, room="anxiety")
    for mod in (own, other):
        item = (await mod.wait_for("flag:new"))["item"]
        assert item["room"] == "anxiety" and item["room_first_until"] is None
    assert await widen_room_first(server.services) == 0


async def test_when_none_of_the_rooms_moderators_is_online_everyone_is_alerted_at_once(
        server: RunningServer) -> None:
    await staff(server, name="anxietymod", subscribe=False)  # signed in, but not watching the queue
    other = await staff(server, name="othermod")
    await _assign(server, "anxiety", "anxietymod")
    await _report(server)
    item = (await other.wait_for("flag:new"))["item"]
    assert item["room_first_until"] is None


async def test_when_the_rooms_moderators_leave_in_the_window_everyone_is_alerted_at_the_next_tick(
        server: RunningServer) -> None:
    own = await staff(server, name="anxietymod")
    other = await staff(server, name="othermod")
    await _assign(server, "anxiety", "anxietymod")
    await _report(server)
    item = (await own.wait_for("flag:new"))["item"]
    assert await widen_room_first(server.services) == 0
    await own.close()
    await until(lambda: server.services.moderation.moderators_online() == 1)
    assert await widen_room_first(server.services) == 1
    assert (await other.wait_for("flag:new"))["item"]["id"] == item["id"]
    assert await _widen_actions(server) == [{"reason": "room_moderators_away"}]


async def test_a_moderator_knows_their_rooms_and_filters_the_queue_by_them(server: RunningServer) -> None:
    own = await staff(server, name="anxietymod")
    assert (await own.call("mod:subscribe", {}))["my_rooms"] == []
    await _report(server, room="grief")
    await own.wait_for("flag:new")
    assert (await own.call("mod:queue", {"mine": True}))["items"] == []
    await _assign(server, "anxiety", "anxietymod")
    await _assign(server, "grief", "anxietymod")
    await own.wait_for("moderator:rooms", lambda e: e["rooms"] == ["anxiety", "grief"])
    assert (await own.call("mod:subscribe", {}))["my_rooms"] == ["anxiety", "grief"]
    mine = (await own.call("mod:queue", {"mine": True}))["items"]
    assert [i["room"] for i in mine] == ["grief"]
    await _assign(server, "grief")
    await own.wait_for("moderator:rooms", lambda e: e["rooms"] == ["anxiety"])
    assert (await own.call("mod:queue", {"mine": True}))["items"] == []
    assert len((await own.call("mod:queue", {}))["items"]) == 1
    bad = await own.call("mod:queue", {"mine": "yes"})
    assert bad["ok"] is False and bad["error"]["code"] == "invalid_payload"


async def test_routing_time_zero_alerts_everyone_at_once(make_server: Any) -> None:
    server = await make_server(review_tick=3600.0, room_routing_seconds=0)
    await staff(server, name="anxietymod")
    other = await staff(server, name="othermod")
    await _assign(server, "anxiety", "anxietymod")
    await _report(server)
    assert (await other.wait_for("flag:new"))["item"]["room_first_until"] is None


async def test_a_report_about_one_of_the_rooms_moderators_alerts_everyone_at_once(server: RunningServer) -> None:
    own = await staff(server, name="anxietymod")
    other = await staff(server, name="othermod")
    await _assign(server, "anxiety", "anxietymod")
    assert (await own.call("room:join", {"room": "anxiety", "accept_agreement": True}))["ok"]
    message = await say(own, "something unkind")
    reporter, _ = await member(server)
    assert (await reporter.call("message:report", {"message_id": message["id"], "reason": "harassment"}))["ok"]
    # Never theirs alone first: the person reported could otherwise quietly dismiss it before anyone else hears.
    item = (await other.wait_for("flag:new"))["item"]
    assert item["target"]["id"] == message["id"] and item["room_first_until"] is None


async def test_a_flag_in_a_room_that_keeps_no_text_alerts_everyone_at_once_with_its_words(
        server: RunningServer) -> None:
    status, _ = await call(server, "PATCH", "/api/rooms/carers/policy", {"retention_days": 0}, await admin(server))
    assert status == 200
    await staff(server, name="carersmod")
    other = await staff(server, name="othermod")
    await _assign(server, "carers", "carersmod")
    author, _ = await member(server, room="carers")
    message = await say(author, "this is fucking shit", room="carers")
    # The words travel only with this alert: a moderator alerted later could never read them.
    item = (await other.wait_for("flag:new"))["item"]
    assert item["live_text"] == message["text"] and item["room_first_until"] is None


async def test_a_moderator_demoted_and_promoted_again_is_not_alerted_first_for_their_old_rooms(
        server: RunningServer) -> None:
    """Losing the role (here by mod:set_role) takes them off the room in the same change: promoted again, they
    are a moderator like any other until an admin gives them rooms again, so everyone is alerted at once."""
    user_id, token = await staff_token(server, Role.MODERATOR, "anxietymod")
    other = await staff(server, name="othermod")
    root = await staff(server, Role.ADMIN, "root", subscribe=False)
    await _assign(server, "anxiety", "anxietymod")
    for role in ("peer", "moderator"):
        assert (await root.call("mod:set_role", {"user_id": user_id, "role": role}))["ok"]
    again = await server.connect(server.services.signer.issue(user_id, 2))  # each change revoked the tokens
    assert token and (await again.call("mod:subscribe", {}))["my_rooms"] == []
    await _report(server)
    for mod in (again, other):
        assert (await mod.wait_for("flag:new"))["item"]["room_first_until"] is None


async def test_a_banned_moderator_looks_after_no_room(server: RunningServer) -> None:
    own = await staff(server, name="anxietymod")
    root_id, token = await staff_token(server, Role.ADMIN, "root")
    root = await server.connect(token)
    assert (await root.call("mod:subscribe", {}))["ok"]
    await _assign(server, "anxiety", "anxietymod", "root")
    assert (await own.call("room:join", {"room": "anxiety", "accept_agreement": True}))["ok"]
    message = await say(own, "something unkind")
    reporter, _ = await member(server)
    assert (await reporter.call("message:report", {"message_id": message["id"], "reason": "harassment"}))["ok"]
    item = (await root.wait_for("flag:new"))["item"]
    assert (await root.call("mod:ban", {"item_id": item["id"], "version": item["version"]}))["ok"]
    assert await list_my_rooms(server.services, item["subject"]["id"]) == []
    assert await list_my_rooms(server.services, root_id) == ["anxiety"]
