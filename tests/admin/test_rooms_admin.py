"""Rooms made, changed and archived by admins over the API, live for connected clients; teen rooms apart."""
from __future__ import annotations

import asyncio
from typing import Any

from sqlalchemy import select

from server.jobs import refresh_live_config
from server.storage.admin_models import AdminChange
from tests.admin.api import admin, call
from tests.rooms import sessionkit
from tests.harness import RunningServer, ServerFactory

NEW_ROOM = {"slug": "new-dads", "name": "New dads", "description": "For fathers.", "agreement": "Be kind.",
            "capacity": 20, "listeners_allowed": False}


async def test_create_edit_archive_reach_connected_clients_and_are_audited(server: RunningServer) -> None:
    token = await admin(server)
    watcher = await server.joined_peer("anxiety")
    status, body = await call(server, "POST", "/api/rooms", NEW_ROOM, token)
    assert status == 201 and body["room"]["policy"]["retention_days"] == 30 and body["room"]["age_band"] == "adults"
    assert (await watcher.wait_for("rooms:changed"))["change"] == "created"
    listed = await watcher.call("rooms:list")
    assert "new-dads" in [r["slug"] for r in listed["rooms"]]
    bo = await server.peer()
    joined = await bo.call("room:join", {"room": "new-dads", "accept_agreement": True})
    assert joined["ok"] and joined["room"]["capacity"] == 20
    status, body = await call(server, "PATCH", "/api/rooms/new-dads",
                              {"name": "Dads", "agreement": "Be kinder.", "policy": {"retention_days": 3}}, token)
    assert status == 200 and body["room"]["agreement_version"] == 2 and body["room"]["policy"]["retention_days"] == 3
    update = await bo.wait_for("room:updated", lambda u: u.get("name") == "Dads")
    assert update["agreement_version"] == 2 and update["policy"]["retention_days"] == 3
    status, body = await call(server, "POST", "/api/rooms/new-dads/archive", None, token)
    assert status == 200 and body["room"]["archived_at"]
    assert (await bo.wait_for("room:updated", lambda u: u.get("archived")))["room"] == "new-dads"
    refused = await bo.call("message:send", {"room": "new-dads", "text": "hello", "client_msg_id": "x1"})
    assert refused["error"]["code"] == "not_found"
    assert "new-dads" not in [r["slug"] for r in (await watcher.call("rooms:list"))["rooms"]]
    status, body = await call(server, "GET", "/api/admin/rooms", None, token)
    assert [r for r in body["rooms"] if r["slug"] == "new-dads"][0]["archived_at"]
    async with server.services.db.read() as session:
        actions = [c.action for c in (await session.execute(select(AdminChange).order_by(AdminChange.id))).scalars()]
    assert actions == ["staff.add", "room.create", "room.edit", "room.archive"]
    status, body = await call(server, "GET", "/api/admin/changes?limit=2", None, token)
    assert [c["action"] for c in body["changes"]] == ["room.archive", "room.edit"]
    assert body["changes"][1]["before"]["name"] == "New dads" and body["changes"][1]["after"]["name"] == "Dads"


async def test_bad_room_input_gets_clear_errors(server: RunningServer) -> None:
    token = await admin(server)
    cases = [
        ({**NEW_ROOM, "slug": "anxiety"}, 409, "slug"),
        ({**NEW_ROOM, "agreement": "   "}, 400, "agreement"),
        ({**NEW_ROOM, "slug": "Bad Slug!"}, 400, "slug"),
        ({**NEW_ROOM, "capacity": 0}, 400, "capacity"),
        ({**NEW_ROOM, "age_band": "kids"}, 400, "age_band"),
        ({**NEW_ROOM, "policy": {"history": "forever"}}, 400, "history"),
        ({**NEW_ROOM, "colour": "red"}, 400, "colour"),
        ({"slug": "x-room", "name": "X"}, 400, "agreement"),
    ]
    for body, status, field in cases:
        got, answer = await call(server, "POST", "/api/rooms", body, token)
        assert (got, answer["error"].get("field")) == (status, field), (body, answer)
    assert (await call(server, "PATCH", "/api/rooms/anxiety", {"agreement": ""}, token))[0] == 400
    assert (await call(server, "PATCH", "/api/rooms/nowhere", {"name": "x"}, token))[0] == 404
    assert (await call(server, "POST", "/api/rooms/nowhere/archive", None, token))[0] == 404


async def test_teen_rooms_and_adult_rooms_never_see_each_others_peers(server: RunningServer) -> None:
    token = await admin(server)
    status, body = await call(server, "POST", "/api/rooms", {**NEW_ROOM, "slug": "teen-talk", "age_band": "teens"},
                              token)
    assert status == 201
    assert body["room"]["policy"] == {"retention_days": 7, "history": "since_joined", "contact": "hold",
                                      "profanity": "block", "held_originals": "moderators"}
    status, teen_session = await server.post("/api/session", {"pseudonym": "teeny", "age_band": "teens"})
    assert status == 201 and teen_session["user"]["age_band"] == "teens"
    teen = await server.connect(teen_session["token"])
    adult = await server.peer()
    assert [r["slug"] for r in (await teen.call("rooms:list"))["rooms"]] == ["teen-talk"]
    status, listed = await sessionkit.http(server, "GET", "/api/rooms", teen_session["token"])
    assert status == 200 and [r["slug"] for r in listed["rooms"]] == ["teen-talk"]
    assert "teen-talk" not in [r["slug"] for r in (await sessionkit.http(server, "GET", "/api/rooms"))[1]["rooms"]]
    assert "teen-talk" not in [r["slug"] for r in (await adult.call("rooms:list"))["rooms"]]
    assert (await adult.call("room:join", {"room": "teen-talk", "accept_agreement": True}))["error"]["code"] == \
        "not_found"
    assert (await teen.call("room:join", {"room": "anxiety", "accept_agreement": True}))["error"]["code"] == \
        "not_found"
    for room in ("anxiety", "no-such-room"):  # leaving says nothing about which adult rooms exist
        assert (await teen.call("room:leave", {"room": room}))["error"]["code"] == "not_found"
    assert (await teen.call("room:join", {"room": "teen-talk", "accept_agreement": True}))["ok"]
    blocked = await teen.call("message:send", {"room": "teen-talk", "text": "fuck this", "client_msg_id": "t1"})
    assert blocked["decision"] == "block"
    status, body = await server.post("/api/session", {"pseudonym": "kiddo", "age_band": "toddlers"})
    assert status == 400 and body["error"]["field"] == "age_band"
    await call(server, "PATCH", "/api/rooms/teen-talk", {"age_band": "adults"}, token)
    refused = await teen.call("message:send", {"room": "teen-talk", "text": "hi", "client_msg_id": "t2"})
    assert refused["error"]["code"] == "not_found"
    assert "teen-talk" in [r["slug"] for r in (await adult.call("rooms:list"))["rooms"]]


async def test_teen_rooms_pages_and_schedules_are_hidden_from_adults_and_the_public(server: RunningServer) -> None:
    token = await admin(server)
    assert (await call(server, "POST", "/api/rooms", {**NEW_ROOM, "slug": "teen-talk", "age_band": "teens"},
                       token))[0] == 201
    fran = await sessionkit.staff_token(server, "facilitator", "fran")
    teen_circle = await sessionkit.schedule(server, fran, room="teen-talk", title="Teen circle")
    adult_circle = await sessionkit.schedule(server, fran, title="Adult circle")
    status, teen_session = await server.post("/api/session", {"pseudonym": "teeny", "age_band": "teens"})
    teen = teen_session["token"]
    adult = await server.peer_token()
    public = ("/api/rooms/teen-talk/policy", "/rooms/teen-talk/privacy", "/api/rooms/teen-talk/sessions",
              "/api/rooms/teen-talk/sessions.ics")
    for path in (*public, f"/api/sessions/{teen_circle['id']}"):
        assert (await sessionkit.http(server, "GET", path, adult))[0] == 404, path
        assert (await sessionkit.http(server, "GET", path, None))[0] == (404 if path in public else 401), path
        assert (await sessionkit.http(server, "GET", path, teen))[0] == 200, path
        assert (await sessionkit.http(server, "GET", path, fran))[0] == 200, path
    assert (await sessionkit.http(server, "GET", "/api/rooms/anxiety/policy", teen))[0] == 404
    assert (await sessionkit.http(server, "GET", f"/api/sessions/{adult_circle['id']}", teen))[0] == 404
    for caller, shown, hidden in ((None, "Adult circle", "Teen circle"), (adult, "Adult circle", "Teen circle"),
                                  (teen, "Teen circle", "Adult circle")):
        status, feed = await sessionkit.http(server, "GET", "/api/sessions.ics", caller)
        assert status == 200 and shown in feed and hidden not in feed
    assert {s["title"] for s in (await sessionkit.http(server, "GET", "/api/sessions", fran))[1]["sessions"]} == {
        "Teen circle", "Adult circle"}
    assert (await sessionkit.http(server, "GET", "/api/rooms/anxiety/policy", "not-a-token"))[0] == 401


async def _teen(server: RunningServer, room: str) -> Any:
    status, session = await server.post("/api/session", {"pseudonym": f"teen{len(server.services.online.principals())}",
                                                         "age_band": "teens"})
    assert status == 201
    teen = await server.connect(session["token"])
    assert (await teen.call("room:join", {"room": room, "accept_agreement": True}))["ok"]
    return teen


async def test_a_room_made_a_teen_room_keeps_no_adult_peer_on_any_process(make_server: ServerFactory) -> None:
    first = await make_server()
    second = await make_server()
    token = await admin(first)
    adult_here = await first.joined_peer("anxiety")
    adult_there = await second.joined_peer("anxiety")
    staff_here = await first.connect(token)
    assert (await staff_here.call("room:join", {"room": "anxiety", "accept_agreement": True}))["ok"]
    await second.services.live.refresh(second.services.db, second.clock.now())
    assert (await call(first, "PATCH", "/api/rooms/anxiety", {"age_band": "teens"}, token))[0] == 200
    removed = await adult_here.wait_for("room:removed")
    assert removed["room"] == "anxiety" and "different age group" in removed["message"]
    # The other process takes its adult out at its next look at the counters.
    second.clock.advance(1.0)
    await refresh_live_config(second.services)
    await adult_there.wait_for("room:removed")
    for number, server in enumerate((first, second)):
        teen = await _teen(server, "anxiety")
        assert (await teen.call("message:send", {"room": "anxiety", "text": "I am 14 and scared",
                                                 "client_msg_id": f"t{number}"}))["ok"]
    await staff_here.wait_for("message:new", lambda m: m["text"] == "I am 14 and scared")
    await asyncio.sleep(0.2)
    for adult in (adult_here, adult_there):
        assert not [m for m in adult.received("message:new") if "14" in m["text"]]
        assert not [e for e in adult.received("member:joined") if e["member"]["pseudonym"].startswith("teen")]
        assert (await adult.call("message:history", {"room": "anxiety"}))["error"]["code"] == "not_found"
    assert staff_here.sio.connected and not staff_here.received("room:removed")
