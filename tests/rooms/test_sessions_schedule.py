"""Scheduling sessions over HTTP: occurrences, recurrence across DST, listings, RSVPs, iCalendar, bad input."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
from icalendar import Calendar

from tests.harness import RunningServer, ServerFactory
from tests.rooms.sessionkit import http, iso_in, schedule, session_body, staff_token


@pytest.fixture
async def server(make_server: ServerFactory) -> RunningServer:
    return await make_server(session_tick_seconds=0)


async def test_schedule_list_and_directory(server: RunningServer) -> None:
    fran = await staff_token(server, "facilitator", "fran")
    await staff_token(server, "facilitator", "sam")
    created = await schedule(server, fran, facilitators=["sam"], start=iso_in(server, 7200), capacity=8,
                             listeners_allowed=False, confidential=True)
    assert created["state"] == "scheduled" and created["room"] == "anxiety"
    assert {f["pseudonym"] for f in created["facilitators"]} == {"fran", "sam"}
    assert created["duration_minutes"] == 60 and created["capacity"] == 8 and created["attending"] == 0
    assert created["confidential"] is True and created["listeners_allowed"] is False
    status, listed = await http(server, "GET", "/api/rooms/anxiety/sessions")
    assert status == 200 and [s["id"] for s in listed["sessions"]] == [created["id"]]
    assert (await http(server, "GET", "/api/rooms/grief/sessions"))[1] == {"sessions": []}
    peer = await server.peer()
    rooms = {r["slug"]: r for r in (await peer.call("rooms:list"))["rooms"]}
    assert rooms["anxiety"]["next_session"]["id"] == created["id"] and rooms["grief"]["next_session"] is None
    status, mine = await http(server, "GET", "/api/sessions", fran)
    assert status == 200 and [s["id"] for s in mine["sessions"]] == [created["id"]]


async def test_times_accept_offsets_and_are_stored_in_utc(server: RunningServer) -> None:
    fran = await staff_token(server, "facilitator", "fran")
    utc = datetime.fromtimestamp(round(server.clock.now()) + 86400, tz=timezone.utc)
    local = utc.astimezone(timezone(-timedelta(hours=5))).isoformat()
    assert local.endswith("-05:00")
    created = await schedule(server, fran, start=local)
    assert created["start"] == utc.isoformat(timespec="milliseconds").replace("+00:00", "Z")
    assert created["opens_at"] < created["start"] < created["end"]


async def test_weekly_series_keeps_local_time_across_daylight_saving(server: RunningServer) -> None:
    fran = await staff_token(server, "facilitator", "fran")
    status, reply = await http(server, "POST", "/api/sessions", fran, session_body(
        server, start="2031-03-20T19:00:00+00:00", time_zone="Europe/London",
        recurrence={"frequency": "weekly", "count": 5, "skip": ["2031-04-10"]}))
    assert status == 201, reply
    starts = [s["start"] for s in reply["sessions"]]
    # British Summer Time starts on 30 March 2031: 19:00 in London is then 18:00 UTC.
    assert starts == ["2031-03-20T19:00:00.000Z", "2031-03-27T19:00:00.000Z", "2031-04-03T18:00:00.000Z",
                      "2031-04-17T18:00:00.000Z"]
    assert len({s["series"] for s in reply["sessions"]}) == 1
    assert reply["sessions"][0]["recurrence"]["frequency"] == "weekly"


@pytest.mark.parametrize("start, dates", [
    # The third Thursday of each month, keeping 7 pm in London across the change to summer time.
    ("2031-01-16T19:00:00+00:00", ["2031-01-16T19", "2031-02-20T19", "2031-03-20T19", "2031-04-17T18"]),
    # A first meeting on a fifth Friday: the group meets on the last Friday of every month.
    ("2031-01-31T19:00:00+00:00", ["2031-01-31T19", "2031-02-28T19", "2031-03-28T19", "2031-04-25T18"]),
])
async def test_monthly_series_meet_on_the_same_week_and_weekday(server: RunningServer, start: str,
                                                                dates: list[str]) -> None:
    fran = await staff_token(server, "facilitator", "fran")
    status, reply = await http(server, "POST", "/api/sessions", fran, session_body(
        server, start=start, time_zone="Europe/London", recurrence={"frequency": "monthly", "count": 4}))
    assert status == 201, reply
    assert [s["start"][:13] for s in reply["sessions"]] == dates
    assert reply["sessions"][0]["recurrence"]["frequency"] == "monthly"


async def test_biweekly_series_until_a_date(server: RunningServer) -> None:
    fran = await staff_token(server, "facilitator", "fran")
    status, reply = await http(server, "POST", "/api/sessions", fran, session_body(
        server, start="2031-01-06T10:00:00+01:00", time_zone="Europe/Paris",
        recurrence={"frequency": "biweekly", "until": "2031-02-03"}))
    assert status == 201, reply
    assert [s["start"][:10] for s in reply["sessions"]] == ["2031-01-06", "2031-01-20", "2031-02-03"]


async def test_update_and_cancel(server: RunningServer) -> None:
    fran = await staff_token(server, "facilitator", "fran")
    other = await staff_token(server, "facilitator", "olga")
    status, reply = await http(server, "POST", "/api/sessions", fran, session_body(
        server, start="2031-01-06T10:00:00+00:00", recurrence={"frequency": "weekly", "count": 3}))
    first, second, third = reply["sessions"]
    status, changed = await http(server, "PATCH", f"/api/sessions/{first['id']}", fran,
                                 {"title": "New title", "capacity": 4, "duration_minutes": 90})
    assert status == 200 and changed["session"]["title"] == "New title"
    assert changed["session"]["capacity"] == 4 and changed["session"]["end"] == "2031-01-06T11:30:00.000Z"
    assert (await http(server, "PATCH", f"/api/sessions/{first['id']}", other, {"title": "Mine"}))[0] == 403
    assert (await http(server, "DELETE", f"/api/sessions/{first['id']}", other))[0] == 403
    status, cancelled = await http(server, "DELETE", f"/api/sessions/{second['id']}?series=true", fran)
    assert status == 200 and cancelled == {"cancelled": [second["id"], third["id"]]}
    listed = (await http(server, "GET", "/api/rooms/anxiety/sessions"))[1]["sessions"]
    assert [s["id"] for s in listed] == [first["id"]]
    status, again = await http(server, "PATCH", f"/api/sessions/{second['id']}", fran, {"title": "Back"})
    assert status == 409 and again["error"]["code"] == "conflict"


async def test_rsvp(server: RunningServer) -> None:
    fran = await staff_token(server, "facilitator", "fran")
    created = await schedule(server, fran)
    peer = await server.peer_token("Robin")
    path = f"/api/sessions/{created['id']}/rsvp"
    status, reply = await http(server, "POST", path, peer)
    assert status == 200 and reply["session"]["rsvps"] == 1
    assert (await http(server, "POST", path, peer))[1]["session"]["rsvps"] == 1
    assert (await http(server, "DELETE", path, peer))[1]["session"]["rsvps"] == 0
    assert (await http(server, "POST", path))[0] == 401
    assert (await http(server, "POST", "/api/sessions/nope/rsvp", peer))[0] == 404


async def test_a_signed_in_caller_is_told_whether_they_rsvped(server: RunningServer) -> None:
    fran = await staff_token(server, "facilitator", "fran")
    created = await schedule(server, fran)
    robin, sky = await server.peer_token("Robin"), await server.peer_token("Sky")
    path = f"/api/sessions/{created['id']}"

    async def rsvped(token: str | None) -> list[object]:
        """What each reading route says to this caller (absent: the key is not in the shape)."""
        one = (await http(server, "GET", path, token))[1]["session"] if token else {}
        room = (await http(server, "GET", "/api/rooms/anxiety/sessions", token))[1]["sessions"][0]
        return [one.get("rsvped", "absent"), room.get("rsvped", "absent")]

    assert await rsvped(robin) == [False, False]
    status, reply = await http(server, "POST", f"{path}/rsvp", robin)
    assert status == 200 and reply["session"]["rsvped"] is True and reply["session"]["rsvps"] == 1
    assert await rsvped(robin) == [True, True]
    assert await rsvped(sky) == [False, False], "another person's RSVP is not theirs"
    assert await rsvped(None) == ["absent", "absent"], "nobody signed in: no rsvped at all"
    staff = (await http(server, "GET", "/api/sessions", fran))[1]["sessions"]
    assert [s["rsvped"] for s in staff] == [False] and staff[0]["rsvps"] == 1
    status, reply = await http(server, "DELETE", f"{path}/rsvp", robin)
    assert status == 200 and reply["session"]["rsvped"] is False and reply["session"]["rsvps"] == 0
    assert await rsvped(robin) == [False, False]


async def test_icalendar_feeds_validate(server: RunningServer) -> None:
    fran = await staff_token(server, "facilitator", "fran")
    status, reply = await http(server, "POST", "/api/sessions", fran, session_body(
        server, title="Grief circle; with, commas", room="grief", start="2031-01-06T10:00:00+00:00",
        recurrence={"frequency": "weekly", "count": 2}))
    assert status == 201
    anxiety = await schedule(server, fran, description="Bring a cup of tea.\nAll welcome.")
    await http(server, "DELETE", f"/api/sessions/{reply['sessions'][1]['id']}", fran)
    status, body = await http(server, "GET", "/api/sessions.ics")
    assert status == 200 and "\r\n" in body
    calendar = Calendar.from_ical(body)
    assert str(calendar["VERSION"]) == "2.0" and calendar["PRODID"]
    events = calendar.walk("VEVENT")
    assert len(events) == 3
    by_uid = {str(e["UID"]): e for e in events}
    grief = by_uid[f"{reply['sessions'][0]['id']}@peerchat"]
    assert str(grief["SUMMARY"]) == "Grief circle; with, commas"
    assert grief.decoded("DTSTART") == datetime(2031, 1, 6, 10, tzinfo=timezone.utc)
    assert grief.decoded("DTEND") == datetime(2031, 1, 6, 11, tzinfo=timezone.utc)
    assert "not therapy" in str(grief["DESCRIPTION"]) and grief["DTSTAMP"]
    assert str(by_uid[f"{reply['sessions'][1]['id']}@peerchat"]["STATUS"]) == "CANCELLED"
    status, room_body = await http(server, "GET", "/api/rooms/anxiety/sessions.ics")
    room_events = Calendar.from_ical(room_body).walk("VEVENT")
    assert [str(e["UID"]) for e in room_events] == [f"{anxiety['id']}@peerchat"]
    assert "Bring a cup of tea." in str(room_events[0]["DESCRIPTION"])
    assert (await http(server, "GET", "/api/rooms/nowhere/sessions.ics"))[0] == 404


async def test_only_facilitators_and_admins_schedule(server: RunningServer) -> None:
    peer = await server.peer_token()
    moderator = await staff_token(server, "moderator", "mona")
    admin = await staff_token(server, "admin", "ada")
    await staff_token(server, "facilitator", "fran")
    assert (await http(server, "POST", "/api/sessions", None, session_body(server)))[0] == 401
    assert (await http(server, "POST", "/api/sessions", "forged", session_body(server)))[0] == 401
    for token in (peer, moderator):
        status, reply = await http(server, "POST", "/api/sessions", token, session_body(server))
        assert status == 403 and reply["error"]["code"] == "forbidden"
    assert (await http(server, "GET", "/api/sessions", peer))[0] == 403
    status, reply = await http(server, "POST", "/api/sessions", admin, session_body(server))
    assert status == 400 and reply["error"]["field"] == "facilitators"
    status, reply = await http(server, "POST", "/api/sessions", admin, session_body(server, facilitators=["fran"]))
    assert status == 201 and [f["pseudonym"] for f in reply["sessions"][0]["facilitators"]] == ["fran"]


BAD: list[tuple[str, dict[str, Any], int, str, str]] = [
    ("start in the past", {"start": "PAST"}, 400, "invalid", "start"),
    ("start without offset", {"start": "2031-01-06T10:00:00"}, 400, "invalid", "start"),
    ("start not a date", {"start": "next tuesday"}, 400, "invalid", "start"),
    ("capacity zero", {"capacity": 0}, 400, "invalid", "capacity"),
    ("capacity not a number", {"capacity": "ten"}, 400, "invalid", "capacity"),
    ("duration over 8 hours", {"duration_minutes": 481}, 400, "invalid", "duration_minutes"),
    ("unknown time zone", {"time_zone": "Mars/Olympus"}, 400, "invalid", "time_zone"),
    ("path-like time zone", {"time_zone": "../../etc/passwd"}, 400, "invalid", "time_zone"),
    ("yearly recurrence", {"recurrence": {"frequency": "yearly", "count": 3}}, 400, "invalid", "recurrence"),
    ("count and until", {"recurrence": {"frequency": "weekly", "count": 3, "until": "2031-02-01"}}, 400,
     "invalid", "recurrence"),
    ("neither count nor until", {"recurrence": {"frequency": "weekly"}}, 400, "invalid", "recurrence"),
    ("too many meetings", {"recurrence": {"frequency": "weekly", "count": 60}}, 400, "invalid", "recurrence"),
    ("skip off the series", {"recurrence": {"frequency": "weekly", "count": 2, "skip": ["2031-01-07"]}}, 400,
     "invalid", "recurrence"),
    ("bad skip date", {"recurrence": {"frequency": "weekly", "count": 2, "skip": ["soon"]}}, 400, "invalid",
     "recurrence"),
    ("recurrence not an object", {"recurrence": "weekly"}, 400, "invalid", "recurrence"),
    ("unknown facilitator", {"facilitators": ["ghost"]}, 400, "invalid", "facilitators"),
    ("missing title", {"title": None}, 400, "invalid", "title"),
    ("unknown field", {"colour": "blue"}, 400, "invalid", "colour"),
    ("unknown room", {"room": "nowhere"}, 404, "not_found", ""),
]


@pytest.mark.parametrize("case", BAD, ids=[c[0] for c in BAD])
async def test_bad_schedules_are_refused(server: RunningServer, case: tuple[str, dict[str, Any], int, str, str]
                                         ) -> None:
    _name, fields, status, code, field = case
    fran = await staff_token(server, "facilitator", "fran")
    if fields.get("start") == "PAST":
        fields = {"start": iso_in(server, -60)}
    if "start" not in fields:
        fields = {**fields, "start": "2031-01-06T10:00:00+00:00"}
    body = {k: v for k, v in session_body(server, **fields).items() if v is not None}
    got_status, reply = await http(server, "POST", "/api/sessions", fran, body)
    assert got_status == status, reply
    assert reply["error"]["code"] == code and reply["error"].get("field", "") == field
    assert reply["error"]["message"]


async def test_overlapping_sessions_in_one_room_are_refused(server: RunningServer) -> None:
    fran = await staff_token(server, "facilitator", "fran")
    await schedule(server, fran, start="2031-01-06T10:00:00+00:00", duration_minutes=60)
    status, reply = await http(server, "POST", "/api/sessions", fran, session_body(
        server, start="2031-01-06T10:30:00+00:00"))
    assert status == 409 and reply["error"]["code"] == "conflict" and reply["error"]["field"] == "start"
    status, reply = await http(server, "POST", "/api/sessions", fran, session_body(
        server, start="2030-12-30T10:30:00+00:00", recurrence={"frequency": "weekly", "count": 2}))
    assert status == 409 and "2031-01-06" in reply["error"]["message"]
    back_to_back = await schedule(server, fran, start="2031-01-06T11:00:00+00:00")
    assert back_to_back["state"] == "scheduled"
    other_room = await schedule(server, fran, room="grief", start="2031-01-06T10:30:00+00:00")
    assert other_room["room"] == "grief"
