"""Rooms for older adults (60 and over), on both databases: kept for the peers who said they are 60 or over,
who keep every adult room too; other adults and teens never see or join them; staff see all. Every place
that enforces age bands: rooms:list, GET /api/rooms, joining, in-room events and resume, room pages, session
lists, calendar feeds, RSVPs, rooms:changed, and a band change removing the peers who no longer fit, on
every process."""
from __future__ import annotations

import asyncio
from typing import Any

from server.jobs import refresh_live_config
from server.rooms.policy import RoomRules
from tests.admin.api import admin, call
from tests.harness import Client, RunningServer, ServerFactory
from tests.rooms import sessionkit

OLDER_ROOM = {"slug": "later-life", "name": "Later life", "description": "For people 60 and over.",
              "agreement": "Be kind.", "capacity": 20, "listeners_allowed": True, "age_band": "older"}
TEEN_ROOM = {**OLDER_ROOM, "slug": "teen-talk", "name": "Teen talk", "age_band": "teens"}
NOT_FOUND = "not_found"


async def _token(server: RunningServer, band: str, name: str) -> str:
    status, body = await server.post("/api/session", {"pseudonym": name, "age_band": band})
    assert status == 201 and body["user"]["age_band"] == band, body
    return str(body["token"])


async def _peer(server: RunningServer, band: str, name: str) -> Client:
    return await server.connect(await _token(server, band, name))


async def _join(client: Client, room: str) -> Any:
    return await client.call("room:join", {"room": room, "accept_agreement": True})


async def _listed(client: Client) -> set[str]:
    return {r["slug"] for r in (await client.call("rooms:list"))["rooms"]}


async def _http_listed(server: RunningServer, token: str | None) -> set[str]:
    status, body = await sessionkit.http(server, "GET", "/api/rooms", token)
    assert status == 200, body
    return {r["slug"] for r in body["rooms"]}


async def test_a_peer_says_they_are_60_or_over_and_a_wrong_band_lists_the_valid_ones(server: RunningServer) -> None:
    assert await _token(server, "older", "Maud")
    status, body = await server.post("/api/session", {"pseudonym": "Nell", "age_band": "seniors"})
    assert status == 400 and body["error"]["field"] == "age_band"
    assert body["error"]["message"] == "age_band is one of: adults, teens, older."


async def test_admins_make_and_edit_rooms_for_older_adults(server: RunningServer) -> None:
    token = await admin(server)
    for method, path in (("POST", "/api/rooms"), ("PATCH", "/api/rooms/anxiety")):
        status, body = await call(server, method, path, {**OLDER_ROOM, "age_band": "seniors"} if method == "POST"
                                  else {"age_band": "seniors"}, token)
        assert status == 400 and body["error"]["field"] == "age_band", body
        assert body["error"]["message"] == "age_band is one of: adults, teens, older."
    status, body = await call(server, "PATCH", "/api/rooms/anxiety", {"age_band": "older"}, token)
    assert status == 200 and body["room"]["age_band"] == "older"
    status, body = await call(server, "GET", "/api/admin/changes?limit=1", None, token)
    assert body["changes"][0]["before"]["age_band"] == "adults" and body["changes"][0]["after"]["age_band"] == "older"


async def test_older_adults_rooms_are_theirs_and_they_keep_the_adult_rooms(server: RunningServer) -> None:
    token = await admin(server)
    older, adult, teen = (await _peer(server, "older", "Maud"), await _peer(server, "adults", "Ann"),
                          await _peer(server, "teens", "Tia"))
    staff = await server.connect(token)
    status, body = await call(server, "POST", "/api/rooms", OLDER_ROOM, token)
    assert status == 201 and body["room"]["age_band"] == "older"
    assert body["room"]["policy"] == RoomRules().to_json()  # an adult room's defaults
    assert (await call(server, "POST", "/api/rooms", TEEN_ROOM, token))[0] == 201

    # rooms:changed reaches whoever sees the new room's band, and nobody else.
    assert (await older.wait_for("rooms:changed", lambda c: c["room"] == "later-life"))["change"] == "created"
    await staff.wait_for("rooms:changed", lambda c: c["room"] == "later-life")
    await teen.wait_for("rooms:changed", lambda c: c["room"] == "teen-talk")
    assert (await call(server, "PATCH", "/api/rooms/anxiety", {"description": "Worry, together."}, token))[0] == 200
    await older.wait_for("rooms:changed", lambda c: c["room"] == "anxiety")  # adult rooms' changes too
    await adult.wait_for("rooms:changed", lambda c: c["room"] == "anxiety")
    assert not [c for c in adult.received("rooms:changed") if c["room"] != "anxiety"]
    assert not [c for c in teen.received("rooms:changed") if c["room"] != "teen-talk"]

    # rooms:list and GET /api/rooms, by token and without.
    older_token, adult_token = await _token(server, "older", "Olive"), await _token(server, "adults", "Abe")
    teen_token = await _token(server, "teens", "Tom")
    for rooms in (await _listed(older), await _http_listed(server, older_token)):
        assert {"later-life", "anxiety"} <= rooms and "teen-talk" not in rooms
    for rooms in (await _listed(adult), await _http_listed(server, adult_token), await _http_listed(server, None)):
        assert "anxiety" in rooms and not {"later-life", "teen-talk"} & rooms
    for rooms in (await _listed(teen), await _http_listed(server, teen_token)):
        assert rooms == {"teen-talk"}
    assert {"later-life", "anxiety", "teen-talk"} <= await _listed(staff)

    # Joining: the older adult joins both; the other adult and the teen are told the room doesn't exist.
    assert (await _join(older, "later-life"))["ok"] and (await _join(older, "anxiety"))["ok"]
    assert (await _join(staff, "later-life"))["ok"]
    for client, room in ((adult, "later-life"), (teen, "later-life"), (teen, "anxiety")):
        assert (await _join(client, room))["error"]["code"] == NOT_FOUND, room
    sent = await older.call("message:send", {"room": "later-life", "text": "Hello all", "client_msg_id": "o1"})
    assert sent["ok"]
    assert (await staff.wait_for("message:new", lambda m: m["room"] == "later-life"))["text"] == "Hello all"
    # Every in-room event answers an adult as for a room that does not exist, resume included.
    for event, payload in (("room:leave", {"room": "later-life"}), ("message:history", {"room": "later-life"}),
                           ("room:resume", {"room": "later-life", "after": 0}),
                           ("message:send", {"room": "later-life", "text": "hi", "client_msg_id": "a1"})):
        assert (await adult.call(event, payload))["error"]["code"] == NOT_FOUND, event
    resumed = await older.call("room:resume", {"room": "later-life", "after": 0})
    assert resumed["ok"] and [m["text"] for m in resumed["messages"]] == ["Hello all"]
    assert (await older.call("room:resume", {"room": "anxiety", "after": 0}))["ok"]


async def test_older_adults_rooms_pages_schedules_and_rsvps(server: RunningServer) -> None:
    token = await admin(server)
    assert (await call(server, "POST", "/api/rooms", OLDER_ROOM, token))[0] == 201
    fran = await sessionkit.staff_token(server, "facilitator", "fran")
    later_circle = await sessionkit.schedule(server, fran, room="later-life", title="Later life circle")
    adult_circle = await sessionkit.schedule(server, fran, title="Adult circle")
    older, adult = await _token(server, "older", "Maud"), await server.peer_token()
    teen = await _token(server, "teens", "Tia")
    public = ("/api/rooms/later-life/policy", "/rooms/later-life/privacy", "/api/rooms/later-life/sessions",
              "/api/rooms/later-life/sessions.ics")
    for path in (*public, f"/api/sessions/{later_circle['id']}"):
        for caller in (adult, teen):
            assert (await sessionkit.http(server, "GET", path, caller))[0] == 404, path
        assert (await sessionkit.http(server, "GET", path, None))[0] == (404 if path in public else 401), path
        for caller in (older, fran):
            assert (await sessionkit.http(server, "GET", path, caller))[0] == 200, path
    for path in ("/api/rooms/anxiety/policy", "/rooms/anxiety/privacy", f"/api/sessions/{adult_circle['id']}"):
        assert (await sessionkit.http(server, "GET", path, older))[0] == 200, path
    for caller, shown, hidden in ((None, {"Adult circle"}, {"Later life circle"}),
                                  (adult, {"Adult circle"}, {"Later life circle"}),
                                  (teen, set(), {"Adult circle", "Later life circle"}),
                                  (older, {"Adult circle", "Later life circle"}, set())):
        status, feed = await sessionkit.http(server, "GET", "/api/sessions.ics", caller)
        assert status == 200 and all(t in feed for t in shown) and not any(t in feed for t in hidden), caller
    status, listed = await sessionkit.http(server, "GET", "/api/rooms/later-life/sessions", older)
    assert status == 200 and [s["title"] for s in listed["sessions"]] == ["Later life circle"]
    assert {s["title"] for s in (await sessionkit.http(server, "GET", "/api/sessions", fran))[1]["sessions"]} == {
        "Later life circle", "Adult circle"}
    # RSVPs: the older adult to both circles; the other adult and the teen not to the later-life one.
    for session in (later_circle, adult_circle):
        status, body = await sessionkit.http(server, "POST", f"/api/sessions/{session['id']}/rsvp", older)
        assert status == 200 and body["session"]["rsvped"] is True, body
    for caller in (adult, teen):
        assert (await sessionkit.http(server, "POST", f"/api/sessions/{later_circle['id']}/rsvp", caller))[0] == 404


async def _in_anxiety(server: RunningServer, band: str, name: str) -> Client:
    client = await _peer(server, band, name)
    assert (await _join(client, "anxiety"))["ok"]
    return client


async def _next_look(server: RunningServer) -> None:
    """The other process's once-a-second look at the live-config counters."""
    server.clock.advance(1.0)
    await refresh_live_config(server.services)


async def test_a_band_change_removes_the_peers_who_no_longer_fit_on_every_process(
        make_server: ServerFactory) -> None:
    first, second = await make_server(), await make_server()
    token = await admin(first)
    adults = [await _in_anxiety(first, "adults", "Ann"), await _in_anxiety(second, "adults", "Abe")]
    olders = [await _in_anxiety(first, "older", "Maud"), await _in_anxiety(second, "older", "Olive")]
    staff = await sessionkit.staff_in_room(first, token)
    await second.services.live.refresh(second.services.db, second.clock.now())

    # Made a room for older adults: the younger adults leave, on both processes; the older adults stay.
    assert (await call(first, "PATCH", "/api/rooms/anxiety", {"age_band": "older"}, token))[0] == 200
    assert "different age group" in (await adults[0].wait_for("room:removed"))["message"]
    await _next_look(second)
    await adults[1].wait_for("room:removed")
    for number, client in enumerate(olders):
        assert (await client.call("message:send", {"room": "anxiety", "text": f"still here {number}",
                                                   "client_msg_id": f"o{number}"}))["ok"]
    for adult in adults:
        assert (await adult.call("message:history", {"room": "anxiety"}))["error"]["code"] == NOT_FOUND
        assert (await _join(adult, "anxiety"))["error"]["code"] == NOT_FOUND

    # Back to a room for all adults: nobody leaves (older adults see adult rooms).
    assert (await call(first, "PATCH", "/api/rooms/anxiety", {"age_band": "adults"}, token))[0] == 200
    await _next_look(second)
    assert (await _join(adults[0], "anxiety"))["ok"]

    # Made a teen room: every adult leaves, older ones included, on both processes; staff stay.
    assert (await call(first, "PATCH", "/api/rooms/anxiety", {"age_band": "teens"}, token))[0] == 200
    await olders[0].wait_for("room:removed")
    await adults[0].wait_for("room:removed", lambda r: len(adults[0].received("room:removed")) == 2)
    await _next_look(second)
    await olders[1].wait_for("room:removed")
    await asyncio.sleep(0.2)
    assert [len(c.received("room:removed")) for c in (*olders, *adults)] == [1, 1, 2, 1]
    for client in olders:
        assert (await client.call("message:history", {"room": "anxiety"}))["error"]["code"] == NOT_FOUND
    assert staff.sio.connected and not staff.received("room:removed")


async def test_help_from_a_room_outside_ones_band_names_no_room(server: RunningServer) -> None:
    """Get help with another band's room (a stale link, a guess) still alerts, and names no room: nothing
    sends the moderators looking for this person where they can't be."""
    token = await admin(server)
    assert (await call(server, "POST", "/api/rooms", TEEN_ROOM, token))[0] == 201
    assert (await call(server, "POST", "/api/rooms", OLDER_ROOM, token))[0] == 201
    mod = await server.connect(token)
    assert (await mod.call("mod:subscribe", {}))["ok"]
    for band, name, room in (("adults", "Ann", "teen-talk"), ("adults", "Abe", "later-life"),
                             ("teens", "Tia", "anxiety"), ("older", "Maud", "later-life")):
        asker = await _peer(server, band, name)
        reply = await asker.call("help:request", {"room": room})
        assert reply["ok"] and reply["alerted"] and reply["resources"], reply
        flag = await mod.wait_for("flag:new", lambda e, who=name: e["item"]["kind"] == "help"
                                  and e["item"]["subject"]["pseudonym"] == who)
        assert flag["item"]["room"] == (room if band == "older" else None), flag["item"]
