"""A crisis message refused before the pipeline reads it (over the send rate limit, a room the sender can't post
in, a payload the server can't take) still reaches the moderators at once, and its sender the crisis lines;
ordinary messages refused there are answered exactly as before. Both databases."""
from __future__ import annotations

import uuid
from typing import Any

import pytest

from server.moderation.ratelimit import RateLimit
from server.settings import RateLimits
from tests.admin.api import admin, call
from tests.harness import Client, RunningServer, ServerFactory
from tests.moderation.factories import member, staff
from tests.rooms.test_older_adults import TEEN_ROOM
from tests.rooms.test_refused_crisis import CRISIS

ALERT_WITHIN = 1.0  # seconds: the product promises moderators see crisis language within a second
SLOW = RateLimits.only(send_message=RateLimit(per_second=0.01, burst=2), crisis_send=RateLimit(0.01, 2))
LIMITED = "You're going a little fast. Please wait a moment."
NOT_POSTED = "Your message wasn't posted, but it sounds like you may be going through something very hard."


async def _send(client: Client, text: str, room: str = "anxiety", **fields: Any) -> dict[str, Any]:
    payload = {"room": room, "text": text, "client_msg_id": uuid.uuid4().hex, **fields}
    return dict(await client.call("message:send", payload))


def _refused_in_crisis(reply: dict[str, Any], code: str, reason: str) -> dict[str, Any]:
    """The refusal's own code and reason, then that the moderators were alerted, with the crisis lines."""
    assert not reply["ok"], reply
    error = dict(reply["error"])
    assert error["code"] == code and error["message"].startswith(f"{reason} {NOT_POSTED}"), error
    assert error["alerted"] is True and error["moderator_online"] is True, error
    assert "moderators have been alerted" in error["message"]
    assert error["resources"] and all(r["name"] for r in error["resources"]), "the crisis lines come with it"
    return error


async def _person_alert(mod: Client, user_id: str) -> dict[str, Any]:
    event = await mod.wait_for("flag:new", lambda e: e["item"]["target"] == {"type": "user", "id": user_id},
                               timeout=ALERT_WITHIN)
    item = dict(event["item"])
    assert item["kind"] == "crisis" and item["severity"] in {"imminent", "high"}, item
    return item


async def _open_items_about(mod: Client, user_id: str) -> list[dict[str, Any]]:
    queue = await mod.call("mod:queue", {})
    assert queue["ok"], queue
    return [item for item in queue["items"] if item["subject"]["id"] == user_id]


async def test_a_crisis_over_the_send_limit_is_sent_and_alerts_at_once(make_server: ServerFactory) -> None:
    server = await make_server(rate_limits=SLOW)
    mod = await staff(server)
    peer, _ = await member(server)
    watcher, _ = await member(server)
    for text in ("one", "two"):
        assert (await _send(peer, text))["ok"]
    limited = await _send(peer, "three")
    assert limited["error"]["code"] == "rate_limited" and set(limited["error"]) == {"code", "message", "retry_after"}, \
        "an ordinary message over the limit is refused exactly as before"

    reply = await _send(peer, CRISIS)
    assert reply["ok"] and reply["message"]["status"] == "visible", reply
    assert [n["code"] for n in reply["notices"]] == ["crisis_resources"] and reply["notices"][0]["resources"]
    flag = await mod.wait_for("flag:new", lambda e: e["item"]["target"]["id"] == reply["message"]["id"],
                              timeout=ALERT_WITHIN)
    assert flag["item"]["kind"] == "crisis" and flag["item"]["room"] == "anxiety", flag
    await watcher.wait_for("message:new", lambda m: m["id"] == reply["message"]["id"])
    assert (await _send(peer, "four"))["error"]["code"] == "rate_limited", "the crisis path opens nothing else"


async def test_past_the_crisis_bucket_one_alert_per_person_and_the_sender_is_told(make_server: ServerFactory) -> None:
    server = await make_server(rate_limits=SLOW)
    mod = await staff(server)
    peer, peer_id = await member(server)
    for text in ("one", "two", CRISIS, CRISIS):
        assert (await _send(peer, text))["ok"], "two within the send limit, two more within the crisis bucket"

    first = _refused_in_crisis(await _send(peer, CRISIS), "rate_limited", LIMITED)
    assert first["retry_after"] > 0, "a client still knows when to send it again"
    alert = await _person_alert(mod, peer_id)
    assert alert["room"] == "anxiety", "the room they are in, where a moderator can find them"
    assert alert["live_text"] == CRISIS, "the words ride on the alert"
    for _ in range(3):
        _refused_in_crisis(await _send(peer, CRISIS + " please"), "rate_limited", LIMITED)

    about = [i for i in await _open_items_about(mod, peer_id) if i["target"]["type"] == "user"]
    assert len(about) == 1 and about[0]["id"] == alert["id"] and about[0]["score"] == 1, about
    assert "live_text" not in about[0], "the words are never stored with the item"
    person_alerts = [e for e in mod.received("flag:new") if e["item"]["target"]["type"] == "user"]
    assert len(person_alerts) == 1, "one alert per person, not one per message"


async def test_crisis_to_a_room_one_is_not_in_alerts_and_names_no_room(server: RunningServer) -> None:
    mod = await staff(server)
    peer, peer_id = await member(server, room="grief")
    ordinary = await _send(peer, "hello anxiety room")
    assert ordinary == {"ok": False, "error": {"code": "not_member", "message": "Join the room first."}}

    error = _refused_in_crisis(await _send(peer, CRISIS), "not_member", "Join the room first.")
    item = await _person_alert(mod, peer_id)
    assert item["room"] is None, "not tied to a room the person isn't in"
    assert item["live_text"] == CRISIS
    assert mod.received("flag:new")[0]["item"]["id"] == item["id"], "the ordinary refusal alerted nobody"
    assert "anxiety" not in str(error).lower()


async def test_crisis_to_a_room_one_cannot_see_answers_like_a_missing_room(server: RunningServer) -> None:
    token = await admin(server)
    assert (await call(server, "POST", "/api/rooms", TEEN_ROOM, token))[0] == 201
    assert (await call(server, "POST", "/api/rooms/grief/archive", None, token))[0] == 200
    mod = await staff(server)
    answers = []
    for room in ("no-such-room", "grief", TEEN_ROOM["slug"]):
        peer, peer_id = await member(server)
        ordinary = await _send(peer, "is anyone here", room=room)
        assert ordinary["error"] == {"code": "not_found", "message": "That room doesn't exist (or is no longer open)."}
        error = _refused_in_crisis(await _send(peer, CRISIS, room=room), "not_found", ordinary["error"]["message"])
        item = await _person_alert(mod, peer_id)
        assert item["room"] is None, item
        answers.append({**error, "resources": None})
    assert answers[0] == answers[1] == answers[2], "unknown, archived and another band's room answer alike"
    assert not any(room in str(answers) for room in ("grief", "teen", "Teen"))


@pytest.mark.parametrize("fields, code", [
    ({"text": CRISIS + " " + "x" * 2000}, "invalid"),
    ({"text": CRISIS + " " + "x" * 8000}, "invalid_payload"),
    ({"client_msg_id": "not a valid id!"}, "invalid"),
    ({"text": CRISIS + "\x00"}, "invalid_payload"),
    ({"mood": "awful"}, "invalid_payload"),
])
async def test_crisis_in_a_payload_refused_before_reading_still_alerts(server: RunningServer, fields: dict[str, Any],
                                                                       code: str) -> None:
    mod = await staff(server)
    peer, peer_id = await member(server)
    fields = dict(fields)
    text = fields.pop("text", CRISIS)
    ordinary = await _send(peer, text.replace(CRISIS, "h" * len(CRISIS)), **fields)
    assert ordinary["error"]["code"] == code and "alerted" not in ordinary["error"], ordinary
    _refused_in_crisis(await _send(peer, text, **fields), code, ordinary["error"]["message"])
    item = await _person_alert(mod, peer_id)
    assert item["room"] == "anxiety", "they are in the room they wrote to"
    assert item["live_text"].startswith(CRISIS) and len(item["live_text"]) <= 2000
