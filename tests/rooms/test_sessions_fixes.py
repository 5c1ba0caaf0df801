"""Session fixes: pinned messages are read when shown (gone once deleted, text only for the room), a series
cancel touches only what the actor leads, cancelling an open confidential session erases its transcript,
and RSVPs respect age bands."""
from __future__ import annotations

import json
from typing import Any

import pytest
from sqlalchemy import select

from server.storage.models import Message
from server.storage.sessions import SessionStore
from tests.admin.api import admin, call
from tests.harness import Client, RunningServer, ServerFactory
from tests.moderation.factories import staff
from tests.rooms.sessionkit import (facilitated_lobby, http, iso_in, open_lobby, schedule, send, session_body,
                                    staff_in_room, staff_token)

SECRET = "my sister's name is Dana and she lives on Elm Street"
AGENDA = "Agenda: check-in, topic, closing round"


@pytest.fixture
async def server(make_server: ServerFactory) -> RunningServer:
    return await make_server(session_tick_seconds=0)


async def _member(server: RunningServer, session_id: str, pseudonym: str) -> tuple[Client, str]:
    """A peer in the anxiety room and in the session: (client, token)."""
    token = await server.peer_token(pseudonym)
    client = await server.connect(token)
    assert (await client.call("room:join", {"room": "anxiety", "accept_agreement": True}))["ok"]
    assert (await client.call("session:join", {"session": session_id, "as": "participant"}))["ok"]
    return client, token


async def _directory_pin(server: RunningServer) -> Any:
    """What anonymous GET /api/rooms shows as the anxiety room's next session's pin."""
    status, body = await http(server, "GET", "/api/rooms")
    assert status == 200
    return next(r for r in body["rooms"] if r["slug"] == "anxiety")["next_session"]["controls"]["pinned"]


async def _listed_pin(server: RunningServer, token: str | None) -> Any:
    status, body = await http(server, "GET", "/api/rooms/anxiety/sessions", token)
    assert status == 200
    return body["sessions"][0]["controls"]["pinned"]


async def _delete_by_author(server: RunningServer, author: Client, token: str, message_id: str) -> None:
    assert await author.call("message:delete", {"message_id": message_id}) == {"ok": True}


async def _remove_by_moderator(server: RunningServer, author: Client, token: str, message_id: str) -> None:
    mod = await staff(server)
    reporter = await server.joined_peer()
    await reporter.call("message:report", {"message_id": message_id, "reason": "harassment"})
    item = (await mod.wait_for("flag:new", lambda e: e["item"]["target"]["id"] == message_id))["item"]
    assert (await mod.call("mod:remove", {"item_id": item["id"], "version": item["version"]}))["removed"]


async def _erase_account(server: RunningServer, author: Client, token: str, message_id: str) -> None:
    status, body = await http(server, "DELETE", "/api/me", token)
    assert status == 200 and body["deleted"] is True


@pytest.mark.parametrize("gone", [_delete_by_author, _remove_by_moderator, _erase_account],
                         ids=["author_deletes", "moderator_removes", "account_erased"])
async def test_a_pinned_message_is_not_served_once_it_is_gone(server: RunningServer, gone: Any) -> None:
    fran, console, session = await facilitated_lobby(server)
    ana, ana_token = await _member(server, session["id"], "Ana")
    bea, bea_token = await _member(server, session["id"], "Bea")
    stored = (await send(ana, SECRET, "p1"))["message"]
    reply = await console.call("session:pin", {"session": session["id"], "message": stored["id"]})
    assert reply["session"]["controls"]["pinned"] == {"text": SECRET, "message": stored["id"], "by": "fran"}
    state = await bea.wait_for("session:state", lambda s: (s["controls"]["pinned"] or {}).get("message"))
    assert state["controls"]["pinned"]["text"] == SECRET, "the people in the room see what was pinned"
    assert (await _listed_pin(server, bea_token))["text"] == SECRET
    # Outside the room (anonymous directory, room listing, a peer elsewhere) the pin shows without its text.
    outsider = await server.peer_token("Elsewhere")
    for pin in (await _directory_pin(server), await _listed_pin(server, None), await _listed_pin(server, outsider)):
        assert pin == {"text": "", "message": stored["id"], "by": "fran"}
    await gone(server, ana, ana_token, stored["id"])
    assert await _directory_pin(server) is None
    assert await _listed_pin(server, bea_token) is None
    status, one = await http(server, "GET", f"/api/sessions/{session['id']}", bea_token)
    assert status == 200 and one["session"]["controls"]["pinned"] is None
    slowed = await console.call("session:slow_mode", {"session": session["id"], "seconds": 5})
    assert slowed["session"]["controls"]["pinned"] is None
    await bea.wait_for("session:state", lambda s: s["controls"]["slow_mode"] == 5 and s["controls"]["pinned"] is None)
    for path in ("/api/rooms", "/api/rooms/anxiety/sessions", f"/api/sessions/{session['id']}"):
        assert SECRET not in json.dumps((await http(server, "GET", path, bea_token))[1]), path


async def test_an_agenda_pin_is_still_shown_to_everyone(server: RunningServer) -> None:
    fran, console, session = await facilitated_lobby(server)
    assert (await console.call("session:pin", {"session": session["id"], "text": AGENDA}))["session"]
    assert await _directory_pin(server) == {"text": AGENDA, "message": None, "by": "fran"}
    assert (await _listed_pin(server, None))["text"] == AGENDA


async def test_a_series_cancel_leaves_occurrences_someone_else_leads(server: RunningServer) -> None:
    fran = await staff_token(server, "facilitator", "fran")
    olga = await staff_token(server, "facilitator", "olga")
    ada = await staff_token(server, "admin", "ada")
    status, reply = await http(server, "POST", "/api/sessions", fran, session_body(
        server, start="2031-01-06T10:00:00+00:00", recurrence={"frequency": "weekly", "count": 4}))
    assert status == 201
    first, second, third, fourth = reply["sessions"]
    status, handed = await http(server, "PATCH", f"/api/sessions/{third['id']}", ada, {"facilitators": ["olga"]})
    assert status == 200 and [f["pseudonym"] for f in handed["session"]["facilitators"]] == ["olga"]
    status, cancelled = await http(server, "DELETE", f"/api/sessions/{second['id']}?series=true", fran)
    assert status == 200 and cancelled == {"cancelled": [second["id"], fourth["id"]], "skipped": 1}
    status, kept = await http(server, "GET", f"/api/sessions/{third['id']}", olga)
    assert status == 200 and kept["session"]["state"] == "scheduled"
    listed = (await http(server, "GET", "/api/rooms/anxiety/sessions"))[1]["sessions"]
    assert [s["id"] for s in listed] == [first["id"], third["id"]]
    status, everything = await http(server, "DELETE", f"/api/sessions/{first['id']}?series=true", ada)
    assert status == 200 and everything == {"cancelled": [first["id"], third["id"]]}, "admins control them all"


async def test_cancelling_an_open_confidential_session_erases_its_transcript(server: RunningServer) -> None:
    fran = await staff_token(server, "facilitator", "fran")
    await staff_in_room(server, fran)
    before = await server.joined_peer()
    assert (await send(before, "said before the session", "o1"))["ok"]
    session = await schedule(server, fran, confidential=True)
    await open_lobby(server, session)
    ana, _ = await _member(server, session["id"], "Ana")
    assert (await send(ana, "something very personal", "s1"))["ok"]
    status, reply = await http(server, "DELETE", f"/api/sessions/{session['id']}", fran)
    assert status == 200 and reply == {"cancelled": [session["id"]]}
    notice = await ana.wait_for("session:transcript_deleted")
    assert notice == {"session": session["id"], "room": "anxiety"}
    history = await ana.call("message:history", {"room": "anxiety"})
    assert [m["text"] for m in history["messages"]] == ["said before the session"]
    async with server.services.db.read() as db:
        texts = list((await db.execute(select(Message.text))).scalars())
        actions = [e.action for e in await SessionStore(db).events(session["id"])]
    assert texts == ["said before the session"]
    assert actions[-2:] == ["cancelled", "transcript_deleted"]


async def test_cancelling_is_no_erase_unless_open_and_confidential(server: RunningServer) -> None:
    fran = await staff_token(server, "facilitator", "fran")
    open_plain = await schedule(server, fran)
    later_secret = await schedule(server, fran, confidential=True, start=iso_in(server, 3 * 3600))
    await open_lobby(server, open_plain)
    ana, _ = await _member(server, open_plain["id"], "Ana")
    assert (await send(ana, "an ordinary session", "n1"))["ok"]
    for session in (open_plain, later_secret):
        assert (await http(server, "DELETE", f"/api/sessions/{session['id']}", fran))[0] == 200
    history = await ana.call("message:history", {"room": "anxiety"})
    assert [m["text"] for m in history["messages"]] == ["an ordinary session"]
    async with server.services.db.read() as db:
        for session in (open_plain, later_secret):
            assert "transcript_deleted" not in [e.action for e in await SessionStore(db).events(session["id"])]
    assert ana.received("session:transcript_deleted") == []


async def test_rsvp_is_only_for_sessions_of_your_age_band(server: RunningServer) -> None:
    token = await admin(server)
    room = {"slug": "teen-talk", "name": "Teen talk", "description": "For teens.", "agreement": "Be kind.",
            "capacity": 20, "listeners_allowed": True, "age_band": "teens"}
    assert (await call(server, "POST", "/api/rooms", room, token))[0] == 201
    fran = await staff_token(server, "facilitator", "fran")
    teen_circle = await schedule(server, fran, room="teen-talk", title="Teen circle")
    adult_circle = await schedule(server, fran, title="Adult circle")
    status, body = await server.post("/api/session", {"pseudonym": "teeny", "age_band": "teens"})
    assert status == 201
    teen, adult = body["token"], await server.peer_token("grown")
    missing = (await http(server, "POST", "/api/sessions/nope/rsvp", adult))[1]
    for caller, session in ((adult, teen_circle), (teen, adult_circle)):
        for method in ("POST", "DELETE"):
            status, reply = await http(server, method, f"/api/sessions/{session['id']}/rsvp", caller)
            assert (status, reply) == (404, missing), (method, session["title"])
    for caller, session in ((teen, teen_circle), (adult, adult_circle)):
        status, reply = await http(server, "POST", f"/api/sessions/{session['id']}/rsvp", caller)
        assert status == 200 and reply["session"]["rsvps"] == 1
    status, staff_reply = await http(server, "POST", f"/api/sessions/{teen_circle['id']}/rsvp", fran)
    assert status == 200 and staff_reply["session"]["rsvps"] == 2, "staff see every band's rooms"
