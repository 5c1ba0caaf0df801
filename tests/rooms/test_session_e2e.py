"""A whole session over real sockets: a facilitator and three peers, from the calendar to the feedback."""
from __future__ import annotations

from server.rooms.sessions.lifecycle import run_session_tick
from tests.harness import ServerFactory
from tests.rooms.sessionkit import http, iso_in, send, staff_token


async def test_a_full_facilitated_session(make_server: ServerFactory) -> None:
    server = await make_server(session_tick_seconds=0)
    fran = await staff_token(server, "facilitator", "fran")
    status, created = await http(server, "POST", "/api/sessions", fran, {
        "room": "anxiety", "title": "Thursday anxiety circle", "start": iso_in(server, 7200),
        "duration_minutes": 90, "capacity": 3, "lobby_minutes": 10, "time_zone": "Europe/London"})
    assert status == 201
    sid = created["sessions"][0]["id"]

    names = ("Ana", "Ben", "Cat")
    tokens = {name: await server.peer_token(name) for name in names}
    peers = {name: await server.connect(token) for name, token in tokens.items()}
    ids = {}
    for name, client in peers.items():
        status, rsvp = await http(server, "POST", f"/api/sessions/{sid}/rsvp", tokens[name])
        assert status == 200
        ids[name] = (await client.call("room:join", {"room": "anxiety", "accept_agreement": True}))["you"]["id"]
    assert rsvp["session"]["rsvps"] == 3
    console = await server.connect(fran)
    assert (await console.call("room:join", {"room": "anxiety", "accept_agreement": True}))["ok"]

    server.clock.advance(7200 - 600 + 1)  # the lobby opens ten minutes before the start
    assert await run_session_tick(server.services) == [(sid, "open")]
    for client in peers.values():
        await client.wait_for("session:state", lambda s: s["state"] == "open")
        assert (await client.call("session:join", {"session": sid}))["status"] == "in"

    started = await console.call("session:start", {"session": sid})
    assert started["session"]["state"] == "live" and started["session"]["attending"] == 3
    for client in peers.values():
        await client.wait_for("session:state", lambda s: s["state"] == "live")

    # A raise-hand round: only the person given the floor (and the facilitator) writes.
    await console.call("session:pin", {"session": sid, "text": "Round: one word for your week"})
    await console.call("session:rounds", {"session": sid, "on": True})
    for name in ("Cat", "Ana"):
        await peers[name].call("hand:raise", {"session": sid})
    state = await console.wait_for("session:state", lambda s: len(s["controls"]["hands"]) == 2)
    queue = [h["id"] for h in state["controls"]["hands"]]
    assert queue == [ids["Cat"], ids["Ana"]]
    for speaker_id in queue:
        await console.call("turn:give", {"session": sid, "user": speaker_id})
        speaker = next(name for name, uid in ids.items() if uid == speaker_id)
        assert (await send(peers[speaker], f"{speaker}: tired", f"r-{speaker}"))["ok"]
        assert (await send(peers["Ben"], "me?", f"x-{speaker}"))["error"]["code"] == "not_your_turn"
    await console.call("session:rounds", {"session": sid, "on": False})

    # Open discussion with slow mode.
    await console.call("session:slow_mode", {"session": sid, "seconds": 20})
    assert (await send(peers["Ben"], "Can I share something?", "b1"))["ok"]
    slowed = await send(peers["Ben"], "And another thing", "b2")
    assert slowed["error"]["code"] == "slow_mode" and slowed["error"]["retry_after"] == 20
    server.clock.advance(20)
    assert (await send(peers["Ben"], "And another thing", "b2"))["ok"]

    # A mute.
    await console.call("session:mute", {"session": sid, "user": ids["Ben"]})
    assert (await peers["Ben"].wait_for("session:muted"))["muted"] is True
    server.clock.advance(20)
    assert (await send(peers["Ben"], "hello?", "b3"))["error"]["code"] == "muted"
    await console.call("session:unmute", {"session": sid, "user": ids["Ben"]})

    for client in peers.values():
        await client.wait_for("message:new", lambda m: m["text"] == "And another thing")
        seen = [m["text"] for m in client.received("message:new")]
        assert seen == ["Cat: tired", "Ana: tired", "Can I share something?", "And another thing"]

    ended = await console.call("session:end", {"session": sid})
    assert ended["session"]["state"] == "ended"
    ratings = {"Ana": 5, "Ben": 3, "Cat": 4}
    for name, client in peers.items():
        form = await client.wait_for("session:feedback_request")
        assert form["session"] == sid
        reply = await client.call("feedback:submit", {"session": sid, "rating": ratings[name], "heard": True,
                                                      "safe": name != "Ben", "text": f"thanks from {len(name)}"})
        assert reply["ok"] and reply["decision"] == "allow"

    status, aggregate = await http(server, "GET", f"/api/sessions/{sid}/feedback", fran)
    assert status == 200
    assert aggregate["session"]["responses"] == 3 and aggregate["session"]["rating_average"] == 4.0
    assert aggregate["session"]["felt_heard"] == 1.0 and aggregate["session"]["felt_safe"] == 0.667
    assert aggregate["series"] == aggregate["session"]
