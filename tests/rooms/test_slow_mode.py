"""Room-wide slow mode: moderators set it live, peers are held back with the seconds left (staff never, crisis
never), everyone is told, it lifts by itself, every change is audited, and the room shape carries it."""
from __future__ import annotations

import asyncio
from typing import Any

import pytest
from sqlalchemy import select

from server.identity.roles import Role
from server.rooms.slow_mode import CRISIS_GRACE_S, lift_expired_slow_modes
from server.storage.models import SlowModePost
from server.storage.review_models import AuditEntry
from tests.harness import Client, RunningServer, ServerFactory
from tests.moderation.factories import staff, staff_token
from tests.rooms import sessionkit as kit
from tests.rooms.sessionkit import http

CRISIS = "I took all my pills tonight, this is goodbye"


@pytest.fixture
async def server(make_server: ServerFactory) -> RunningServer:
    return await make_server(session_tick_seconds=0)


async def send(client: Client, text: str, msg_id: str, room: str = "anxiety") -> dict[str, Any]:
    reply: dict[str, Any] = await client.call("message:send", {"room": room, "text": text, "client_msg_id": msg_id})
    return reply


async def set_slow(client: Client, seconds: int, **more: Any) -> dict[str, Any]:
    reply: dict[str, Any] = await client.call("room:slow_mode", {"room": "anxiety", "seconds": seconds, **more})
    return reply


async def audit_rows(server: RunningServer) -> list[AuditEntry]:
    async with server.services.db.read() as session:
        found = await session.execute(select(AuditEntry).where(AuditEntry.action == "room.slow_mode")
                                      .order_by(AuditEntry.id))
        return list(found.scalars())


async def test_a_moderator_slows_the_room_and_peers_wait_their_turn(server: RunningServer) -> None:
    ada = await server.joined_peer(pseudonym="Ada")
    bo = await server.joined_peer(pseudonym="Bo")
    mod = await staff(server, Role.MODERATOR, "mia")
    reply = await set_slow(mod, 30, minutes=10, reason="pile_on")
    assert reply["ok"] and reply["room"] == "anxiety" and reply["slow_mode"]["seconds"] == 30
    assert reply["slow_mode"]["until"].endswith("Z")
    for peer in (ada, bo):
        pushed = await peer.wait_for("room:updated", lambda d: "slow_mode" in d)
        assert pushed == {"room": "anxiety", "slow_mode": reply["slow_mode"], "by": "mia"}

    assert (await send(ada, "first", "a1"))["ok"]
    refused = await send(ada, "second", "a2")
    assert refused["ok"] is False and refused["error"]["code"] == "slow_mode"
    assert refused["error"]["retry_after"] == pytest.approx(30, abs=0.01)
    assert refused["error"]["slow_mode"] == reply["slow_mode"]
    assert "30 seconds" in refused["error"]["message"]
    assert (await send(bo, "bo's own turn", "b1"))["ok"], "one person's wait is theirs alone"
    assert (await send(ada, "first", "a1"))["message"]["text"] == "first", "a resend is answered, not refused"

    server.clock.advance(12)
    again = await send(ada, "second", "a2")
    assert again["error"]["code"] == "slow_mode" and again["error"]["retry_after"] == pytest.approx(18, abs=0.01)
    server.clock.advance(18)
    assert (await send(ada, "second", "a2"))["ok"], "the message the peer kept goes once the wait is over"
    await bo.wait_for("message:new", lambda m: m["text"] == "second")
    assert [m["text"] for m in bo.received("message:new")] == ["first", "bo's own turn", "second"]

    mia = await staff(server, Role.MODERATOR, "mia2", subscribe=False)
    assert (await mia.call("room:join", {"room": "anxiety", "accept_agreement": True}))["ok"]
    for i in range(3):
        assert (await send(mia, f"staff note {i}", f"s{i}"))["ok"], "staff are exempt"

    rows = await audit_rows(server)
    assert len(rows) == 1 and rows[0].actor_role == "moderator" and rows[0].room_id == rows[0].target_id
    assert rows[0].detail == {"before": None, "after": reply["slow_mode"], "reason": "pile_on"}


async def test_the_room_shape_tells_clients_the_current_slow_mode(server: RunningServer) -> None:
    mod = await staff(server, Role.ADMIN, "ada")
    await set_slow(mod, 60)
    ada = await server.peer()
    joined = await ada.call("room:join", {"room": "anxiety", "accept_agreement": True})
    assert joined["room"]["slow_mode"] == {"seconds": 60, "until": None}
    listed = (await ada.call("rooms:list", {}))["rooms"]
    assert next(r for r in listed if r["slug"] == "anxiety")["slow_mode"] == {"seconds": 60, "until": None}
    assert next(r for r in listed if r["slug"] != "anxiety")["slow_mode"] is None
    status, body = await http(server, "GET", "/api/rooms")
    assert status == 200 and next(r for r in body["rooms"] if r["slug"] == "anxiety")["slow_mode"]["seconds"] == 60

    off = await set_slow(mod, 0, reason="calmer")
    assert off == {"ok": True, "room": "anxiety", "slow_mode": None}
    await ada.wait_for("room:updated", lambda d: d.get("slow_mode", "") is None)
    assert (await ada.call("room:join", {"room": "anxiety", "accept_agreement": True}))["room"]["slow_mode"] is None
    for i in range(3):
        assert (await send(ada, f"free again {i}", f"f{i}"))["ok"]
    rows = await audit_rows(server)
    assert [r.detail["after"] for r in rows] == [{"seconds": 60, "until": None}, None]
    assert rows[1].detail["before"] == {"seconds": 60, "until": None} and rows[1].detail["reason"] == "calmer"


async def test_only_moderators_and_admins_set_it_within_bounds(server: RunningServer) -> None:
    peer = await server.joined_peer()
    _fid, fran = await staff_token(server, Role.FACILITATOR, "fran")
    facilitator = await server.connect(fran)
    for who in (peer, facilitator):
        assert (await set_slow(who, 30))["error"]["code"] == "forbidden"
    mod = await staff(server)
    for payload, field in (({"seconds": 4}, "seconds"), ({"seconds": 901}, "seconds"), ({}, "seconds"),
                           ({"seconds": 30, "minutes": 0}, "minutes"), ({"seconds": 30, "minutes": 1441}, "minutes"),
                           ({"seconds": 30, "reason": "because I said so"}, "reason")):
        reply = await mod.call("room:slow_mode", {"room": "anxiety", **payload})
        assert reply["ok"] is False and reply["error"]["code"] == "invalid" and reply["error"]["field"] == field
    assert (await set_slow(mod, 30, room="nowhere"))["error"]["code"] == "not_found"
    assert await audit_rows(server) == []

    # The same over HTTP: moderators and admins, nobody else.
    _mid, mod_token = await staff_token(server, Role.MODERATOR, "moe")
    status, body = await http(server, "PUT", "/api/rooms/anxiety/slow_mode", mod_token,
                              {"seconds": 900, "minutes": 1440, "reason": "flood"})
    assert status == 200 and body["slow_mode"]["seconds"] == 900
    status, body = await http(server, "PUT", "/api/rooms/anxiety/slow_mode", fran, {"seconds": 0})
    assert status == 403 and body["error"]["code"] == "forbidden"
    status, body = await http(server, "PUT", "/api/rooms/anxiety/slow_mode", mod_token, {"seconds": 2})
    assert status == 400 and body["error"]["field"] == "seconds"
    assert len(await audit_rows(server)) == 1


async def test_it_lifts_by_itself_when_its_time_is_up(server: RunningServer) -> None:
    ada = await server.joined_peer()
    mod = await staff(server)
    await set_slow(mod, 120, minutes=2, reason="distressing_post")
    assert (await send(ada, "one", "1"))["ok"]
    assert (await send(ada, "two", "2"))["error"]["code"] == "slow_mode"
    server.clock.advance(121)
    # Sends treat it as off at once, before the job has run; the room shape agrees.
    assert (await send(ada, "three", "3"))["ok"] and (await send(ada, "four", "4"))["ok"]
    assert (await ada.call("rooms:list", {}))["rooms"][0]["slow_mode"] is None
    assert await lift_expired_slow_modes(server.services) == 1
    await ada.wait_for("room:updated", lambda d: d.get("slow_mode", "") is None and d["by"] is None)
    assert await lift_expired_slow_modes(server.services) == 0, "lifted once, whoever runs the job again"
    lifted = (await audit_rows(server))[-1]
    assert lifted.actor_role == "system" and lifted.detail["reason"] == "expired" and lifted.detail["after"] is None


async def test_a_crisis_message_is_never_held_back(server: RunningServer) -> None:
    ada = await server.joined_peer("depression")
    bo = await server.joined_peer("depression")
    mod = await staff(server)
    assert (await mod.call("room:slow_mode", {"room": "depression", "seconds": 600}))["ok"]
    assert (await send(ada, "it has been a hard week", "1", "depression"))["ok"]
    crisis = await send(ada, CRISIS, "2", "depression")
    assert crisis["ok"] and crisis["message"]["status"] == "visible", "crisis goes through slow mode"
    assert any(n["code"] == "crisis_resources" for n in crisis["notices"])
    # What someone in crisis writes next may not read as crisis: they write freely for a while.
    for i in range(3):
        assert (await send(ada, f"please, anyone {i}", f"f{i}", "depression"))["ok"]
    assert (await send(bo, "I'm here", "b1", "depression"))["ok"]
    assert (await send(bo, "are you safe?", "b2", "depression"))["error"]["code"] == "slow_mode", \
        "the exemption is the person's, not the room's"
    server.clock.advance(CRISIS_GRACE_S + 1)
    assert (await send(ada, "thank you all", "t1", "depression"))["ok"]
    assert (await send(ada, "feeling calmer", "t2", "depression"))["error"]["code"] == "slow_mode"


async def test_a_crisis_message_goes_even_while_the_person_waits(server: RunningServer) -> None:
    ada = await server.joined_peer("depression")
    mod = await staff(server)
    await mod.call("room:slow_mode", {"room": "depression", "seconds": 600})
    assert (await send(ada, "ok", "1", "depression"))["ok"]
    assert (await send(ada, "still here", "2", "depression"))["error"]["code"] == "slow_mode"
    assert (await send(ada, CRISIS, "3", "depression"))["ok"]


async def test_sends_at_the_same_moment_let_one_message_through(server: RunningServer) -> None:
    token = await server.peer_token("Ada")
    tabs = [await server.connect(token) for _ in range(2)]
    for tab in tabs:
        assert (await tab.call("room:join", {"room": "anxiety", "accept_agreement": True}))["ok"]
    await set_slow(await staff(server), 30)
    replies = await asyncio.gather(*[send(tabs[i % 2], f"at once {i}", f"c{i}") for i in range(6)])
    assert sum(1 for r in replies if r["ok"]) == 1, replies
    assert {r["error"]["code"] for r in replies if not r["ok"]} == {"slow_mode"}


async def test_a_blocked_message_does_not_use_the_turn(make_server: ServerFactory) -> None:
    server = await make_server(session_tick_seconds=0)
    admin = await staff(server, Role.ADMIN, "root", subscribe=False)
    status, _ = await http(server, "PATCH", "/api/rooms/anxiety",
                           (await staff_token(server, Role.ADMIN, "root2"))[1], {"policy": {"profanity": "block"}})
    assert status == 200
    await set_slow(admin, 30)
    ada = await server.joined_peer()
    blocked = await send(ada, "you shit", "1")
    assert blocked["ok"] and blocked["message"]["status"] == "blocked"
    assert (await send(ada, "sorry, I mean it kindly", "2"))["ok"]


async def _watch_words(server: RunningServer) -> None:
    """An admin's watched words for the anxiety room's peers: one blocked, one held for a moderator."""
    token = (await staff_token(server, Role.ADMIN, "root"))[1]
    for kind, text, action in (("word", "bozo", "block"), ("phrase", "meet up", "hold")):
        status, body = await http(server, "POST", "/api/watched-words", token,
                                  {"kind": kind, "text": text, "action": action})
        assert status == 201, body


async def test_a_message_blocked_or_held_by_a_watched_word_does_not_use_the_turn(server: RunningServer) -> None:
    """Nobody saw it, so the sender may say it another way at once instead of waiting the whole interval."""
    await _watch_words(server)
    await set_slow(await staff(server, Role.MODERATOR, "mia"), 60)
    ada = await server.joined_peer()
    blocked = await send(ada, "you bozo", "1")
    assert blocked["ok"] and blocked["message"]["status"] == "blocked"
    held = await send(ada, "shall we meet up later?", "2")
    assert held["ok"] and held["message"]["status"] == "held"
    assert (await send(ada, "sorry, let me put that kindly", "3"))["message"]["status"] == "visible"
    # Only the message the room saw counts: while waiting, a held or blocked one is not refused either.
    assert (await send(ada, "and one more thing", "4"))["error"]["code"] == "slow_mode"
    assert (await send(ada, "let's meet up", "5"))["message"]["status"] == "held"
    server.clock.advance(60)
    assert (await send(ada, "and one more thing", "4"))["message"]["status"] == "visible"


async def test_in_a_session_a_blocked_or_held_message_does_not_use_the_turn(server: RunningServer) -> None:
    await _watch_words(server)
    _fran, console, session = await kit.facilitated_lobby(server)
    ana, _, _ = await kit.join(server, session["id"])
    assert (await console.call("session:slow_mode", {"session": session["id"], "seconds": 600}))["ok"]
    assert (await send(ana, "you bozo", "1"))["message"]["status"] == "blocked"
    assert (await send(ana, "we could meet up after", "2"))["message"]["status"] == "held"
    assert (await send(ana, "checking in, sorry", "3"))["message"]["status"] == "visible"
    assert (await send(ana, "and another thing", "4"))["error"]["code"] == "slow_mode"


async def test_a_sessions_slow_mode_never_holds_back_crisis_either(server: RunningServer) -> None:
    fran = await kit.staff_token(server, "facilitator", "fran")
    console = await kit.staff_in_room(server, fran)
    session = await kit.schedule(server, fran)
    await kit.open_lobby(server, session)
    ana, _, _ = await kit.join(server, session["id"])
    assert (await console.call("session:slow_mode", {"session": session["id"], "seconds": 600}))["ok"]
    assert (await send(ana, "checking in", "1"))["ok"]
    assert (await send(ana, "and another thing", "2"))["error"]["code"] == "slow_mode"
    crisis = await send(ana, CRISIS, "3")
    assert crisis["ok"] and crisis["message"]["status"] == "visible"


async def test_the_job_forgets_who_wrote_crisis_once_it_no_longer_matters(server: RunningServer) -> None:
    """A row saying someone wrote a crisis message in a room must not outlive its use (the message itself may
    be purged after days); rows still holding someone back stay."""
    ada = await server.joined_peer("depression")
    bo = await server.joined_peer("anxiety")
    mod = await staff(server)
    assert (await send(ada, CRISIS, "c1", "depression"))["ok"]  # slow mode off there: only the exemption
    await set_slow(mod, 600)

    async def rows() -> list[tuple[str, float | None, float | None]]:
        async with server.services.db.read() as session:
            found = await session.execute(select(SlowModePost.room_id, SlowModePost.last_post_at,
                                                 SlowModePost.crisis_until))
            return [tuple(row) for row in found.all()]

    assert len(await rows()) == 1
    server.clock.advance(CRISIS_GRACE_S + 1)
    assert (await send(bo, "one", "1"))["ok"]
    await lift_expired_slow_modes(server.services)
    assert [crisis for _room, _last, crisis in await rows()] == [None], "only bo's claim, which still counts"
    assert (await send(bo, "two", "2"))["error"]["code"] == "slow_mode"
    server.clock.advance(601)
    assert (await send(bo, "three", "3"))["ok"]
