"""Anonymous feedback after a session: one form per attendee, moderated text, aggregates only from three."""
from __future__ import annotations

from typing import Any

import pytest

from tests.harness import Client, RunningServer, ServerFactory
from tests.rooms.sessionkit import http, join, open_lobby, renewed, schedule, staff_in_room, staff_token


@pytest.fixture
async def server(make_server: ServerFactory) -> RunningServer:
    return await make_server(session_tick_seconds=0)


async def _run(server: RunningServer, fran: str, peers: int, **fields: Any) -> tuple[dict[str, Any], list[Client]]:
    console = await staff_in_room(server, fran)
    session = await schedule(server, fran, **fields)
    await open_lobby(server, session)
    clients = [(await join(server, session["id"]))[0] for _ in range(peers)]
    await console.call("session:start", {"session": session["id"]})
    assert (await console.call("session:end", {"session": session["id"]}))["ok"]
    await console.close()
    return session, clients


def _form(session_id: str, rating: int, heard: bool = True, safe: bool = True, text: str = "") -> dict[str, Any]:
    return {"session": session_id, "rating": rating, "heard": heard, "safe": safe, "text": text}


async def test_forms_and_aggregates(server: RunningServer) -> None:
    fran = await staff_token(server, "facilitator", "fran")
    session, clients = await _run(server, fran, 4)
    sid = session["id"]
    for client in clients:
        request = await client.wait_for("session:feedback_request")
        assert request["session"] == sid and [q["id"] for q in request["questions"]] == ["rating", "heard", "safe",
                                                                                         "text"]
    path = f"/api/sessions/{sid}/feedback"
    reply = await clients[0].call("feedback:submit", _form(sid, 5, text="Thank you, I felt less alone"))
    assert reply == {"ok": True, "decision": "allow", "notices": []}
    again = await clients[0].call("feedback:submit", _form(sid, 1))
    assert again["error"]["code"] == "conflict"
    await clients[1].call("feedback:submit", _form(sid, 3, heard=False))
    status, hidden = await http(server, "GET", path, fran)
    assert status == 200 and hidden == {"session": {"enough": False, "minimum": 3},
                                        "series": {"enough": False, "minimum": 3}}
    await clients[2].call("feedback:submit", _form(sid, 4, safe=False, text="More time for the closing round"))
    status, shown = await http(server, "GET", path, fran)
    summary = shown["session"]
    assert summary["enough"] is True and summary["responses"] == 3 and summary["rating_average"] == 4.0
    assert summary["ratings"] == {"1": 0, "2": 0, "3": 1, "4": 1, "5": 1}
    assert summary["felt_heard"] == pytest.approx(2 / 3, abs=0.001) and summary["felt_safe"] == pytest.approx(
        2 / 3, abs=0.001)
    assert summary["comments"] == ["More time for the closing round", "Thank you, I felt less alone"]
    assert "pseudonym" not in str(shown) and "user" not in str(shown)


async def test_series_aggregate_and_who_may_see_it(server: RunningServer) -> None:
    fran = await staff_token(server, "facilitator", "fran")
    admin = await staff_token(server, "admin", "ada")
    olga = await staff_token(server, "facilitator", "olga")
    peer = await server.peer_token()
    status, reply = await http(server, "POST", "/api/sessions", fran, {
        "room": "anxiety", "title": "Weekly", "start": "2031-01-06T10:00:00+00:00", "duration_minutes": 60,
        "capacity": 5, "recurrence": {"frequency": "weekly", "count": 2}})
    first, second = reply["sessions"]
    for occurrence, ratings in ((first, [5, 4]), (second, [2])):
        await open_lobby(server, occurrence)
        console = await staff_in_room(server, renewed(server, fran))
        clients = [(await join(server, occurrence["id"]))[0] for _ in ratings]
        await console.call("session:end", {"session": occurrence["id"]})
        for client, rating in zip(clients, ratings):
            assert (await client.call("feedback:submit", _form(occurrence["id"], rating)))["ok"]
        for client in (*clients, console):
            await client.close()
    admin, olga, peer = (renewed(server, t) for t in (admin, olga, peer))
    status, shown = await http(server, "GET", f"/api/sessions/{second['id']}/feedback", admin)
    assert shown["session"] == {"enough": False, "minimum": 3}
    assert shown["series"]["responses"] == 3 and shown["series"]["rating_average"] == pytest.approx(3.67)
    for token, code in ((olga, 403), (peer, 403), (None, 401)):
        assert (await http(server, "GET", f"/api/sessions/{first['id']}/feedback", token))[0] == code


async def test_feedback_bad_input_and_who_may_give_it(server: RunningServer) -> None:
    fran = await staff_token(server, "facilitator", "fran")
    session, clients = await _run(server, fran, 1)
    sid = session["id"]
    stranger = await server.peer()
    assert (await stranger.call("feedback:submit", _form(sid, 4)))["error"]["code"] == "conflict"
    for bad in ({"session": sid, "rating": 0, "heard": True, "safe": True},
                {"session": sid, "rating": 6, "heard": True, "safe": True},
                {"session": sid, "rating": "5", "heard": True, "safe": True},
                {"session": sid, "rating": 3, "heard": "yes", "safe": True},
                {"session": sid, "rating": 3, "heard": True, "safe": True, "name": "me"}):
        assert (await clients[0].call("feedback:submit", bad))["error"]["code"] == "invalid_payload", bad
    missing = await clients[0].call("feedback:submit", {"session": sid, "heard": True, "safe": True})
    assert missing["error"]["code"] == "invalid" and missing["error"]["field"] == "rating"
    too_long = await clients[0].call("feedback:submit", _form(sid, 3, text="x" * 2001))
    assert too_long["error"]["code"] == "invalid" and too_long["error"]["field"] == "text"
    assert (await clients[0].call("feedback:submit", _form("nope", 3)))["error"]["code"] == "not_found"
    assert (await clients[0].call("feedback:submit", _form(sid, 3)))["ok"], "refusals did not use up the form"


async def test_a_comment_that_speaks_of_crisis_reaches_the_moderators_and_brings_help(server: RunningServer) -> None:
    fran = await staff_token(server, "facilitator", "fran")
    mod = await server.connect(await staff_token(server, "moderator", "mona"))
    assert (await mod.call("mod:subscribe", {}))["ok"]
    session, clients = await _run(server, fran, 1)
    await clients[0].wait_for("session:feedback_request")
    reply = await clients[0].call("feedback:submit", _form(session["id"], 1, text="I want to kill myself tonight"))
    assert reply["ok"], reply
    crisis = next(n for n in reply["notices"] if n["code"] == "crisis_resources")
    assert "988" in " ".join(str(r) for r in crisis["resources"])
    flag = await mod.wait_for("flag:new", lambda e: e["item"]["kind"] == "crisis")
    assert flag["item"]["severity"] == "imminent" and flag["item"]["target"]["type"] == "user"
    # The facilitators' view stays anonymous: an aggregate, never who wrote what.
    status, feedback = await http(server, "GET", f"/api/sessions/{session['id']}/feedback", fran)
    assert status == 200 and feedback["session"] == {"enough": False, "minimum": 3}
