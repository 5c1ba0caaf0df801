"""A crisis message refused before the pipeline reads it (over the send rate limit, a room the sender can't post
in, a payload the server can't take) still reaches the moderators at once, and its sender the crisis lines;
ordinary messages refused there are answered exactly as before. Both databases.

"At once" is checked by order, not by the clock, so a loaded machine can't fail it and a late alert can't
pass: the alert must have left the server before the sender's answer did (the product's "within a second"
for the whole path is measured by bench/crisis_latency.py)."""
from __future__ import annotations

import uuid
from typing import Any, Callable, NamedTuple

import pytest

from server.moderation.ratelimit import RateLimit
from server.settings import RateLimits
from tests.admin.api import admin, call
from tests.harness import Client, RunningServer, ServerFactory
from tests.moderation.factories import member, staff
from tests.rooms.test_older_adults import TEEN_ROOM
from tests.rooms.test_refused_crisis import CRISIS

SLOW = RateLimits.only(send_message=RateLimit(per_second=0.01, burst=2), crisis_send=RateLimit(0.01, 2))
LIMITED = "You're going a little fast. Please wait a moment."
JOIN_FIRST = "Join the room first."
FOLLOW_UP = "I have the pills here and I am taking them all tonight"
FILLER = ("the weather was grey again and the bus was late " * 320)[:15000]
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


async def _sent_before_the_answer(mod: Client, event: str, match: Callable[[Any], bool]) -> dict[str, Any]:
    """The moderator's `event` matching `match`, called once the sender has had their answer: it must have
    been sent with the refusal, not after it. One round trip on the moderator's own connection brings, in
    order, everything the server sent them before, however slowly this machine runs."""
    assert (await mod.call("mod:queue", {}))["ok"]
    found = [data for data in mod.received(event) if match(data)]
    assert found, f"no matching {event} had left the server when the sender was answered"
    return dict(found[-1])


async def _person_alert(mod: Client, user_id: str) -> dict[str, Any]:
    event = await _sent_before_the_answer(mod, "flag:new",
                                          lambda e: e["item"]["target"] == {"type": "user", "id": user_id})
    item = dict(event["item"])
    assert item["kind"] == "crisis" and item["severity"] in {"imminent", "high"}, item
    return item


async def _open_items_about(mod: Client, user_id: str) -> list[dict[str, Any]]:
    queue = await mod.call("mod:queue", {})
    assert queue["ok"], queue
    return [item for item in queue["items"] if item["subject"]["id"] == user_id]


async def _resolve_about(mod: Client, user_id: str) -> dict[str, Any]:
    """Resolve the person's own open item, as a moderator who has spoken with them would."""
    [item] = [i for i in await _open_items_about(mod, user_id) if i["target"]["type"] == "user"]
    reply = await mod.call("mod:resolve", {"item_id": item["id"], "version": item["version"],
                                           "outcome": "no_action", "note": ""})
    assert reply["ok"], reply
    return dict(reply["item"])


async def _rate_limited_sends(server: RunningServer) -> float:
    status, body, _ = await server.get("/metrics")
    assert status == 200
    prefix = 'peerchat_rate_limited_total{action="send_message"} '
    return next((float(line[len(prefix):]) for line in body.splitlines() if line.startswith(prefix)), 0.0)


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
    flag = await _sent_before_the_answer(mod, "flag:new", lambda e: e["item"]["target"]["id"] == reply["message"]["id"])
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


class Outside(NamedTuple):
    server: RunningServer
    mod: Client
    peer: Client
    peer_id: str
    first: dict[str, Any]  # the moderator's alert for the peer's first crisis message


async def _crisis_from_outside(make_server: ServerFactory, limit: str, burst: int) -> Outside:
    """A server with only the `limit` bucket on (`burst` at once, then hardly any), a moderator, and a peer
    in the grief room whose crisis message to the anxiety room was refused and alerted the moderator."""
    server = await make_server(rate_limits=RateLimits.only(**{limit: RateLimit(0.01, burst)}))
    mod = await staff(server)
    peer, peer_id = await member(server, room="grief")
    _refused_in_crisis(await _send(peer, CRISIS), "not_member", JOIN_FIRST)
    return Outside(server, mod, peer, peer_id, await _person_alert(mod, peer_id))


async def test_follow_up_crisis_words_refresh_the_open_items_alert_as_often_as_the_cap_allows(
        make_server: ServerFactory) -> None:
    _, mod, peer, peer_id, first = await _crisis_from_outside(make_server, "crisis_alert", 2)

    _refused_in_crisis(await _send(peer, FOLLOW_UP), "not_member", JOIN_FIRST)
    update = await _sent_before_the_answer(mod, "flag:updated", lambda e: e["item"]["id"] == first["id"])
    assert update["item"]["live_text"] == FOLLOW_UP, "the moderator sees they are still writing, and what"
    assert update["item"]["version"] > first["version"] and update["item"]["status"] == "pending"
    _refused_in_crisis(await _send(peer, CRISIS + " again"), "not_member", JOIN_FIRST)  # the cap is used up

    [item] = [i for i in await _open_items_about(mod, peer_id) if i["target"]["type"] == "user"]
    assert item["score"] == 1 and "live_text" not in item, "still one item, and its words are never stored"
    await _resolve_about(mod, peer_id)
    await mod.wait_for("flag:updated", lambda e: e["item"]["status"] == "resolved")
    refreshes = [e["item"]["live_text"] for e in mod.received("flag:updated") if "live_text" in e["item"]]
    assert refreshes == [FOLLOW_UP], "refreshed within crisis_alert, not once per message"
    assert len([e for e in mod.received("flag:new") if e["item"]["id"] == first["id"]]) == 1


async def test_a_crisis_past_the_alert_cap_reopens_an_item_resolved_meanwhile(make_server: ServerFactory) -> None:
    _, mod, peer, peer_id, first = await _crisis_from_outside(make_server, "crisis_alert", 1)
    await _resolve_about(mod, peer_id)

    _refused_in_crisis(await _send(peer, FOLLOW_UP), "not_member", JOIN_FIRST)
    again = await _sent_before_the_answer(mod, "flag:new", lambda e: e["item"].get("live_text") == FOLLOW_UP)
    assert again["item"]["id"] == first["id"] and again["item"]["status"] == "pending", \
        "told 'alerted' while the cap is used up: the resolved item is raised again, so that is true"
    [item] = [i for i in await _open_items_about(mod, peer_id) if i["target"]["type"] == "user"]
    assert item["kind"] == "crisis"


async def test_past_the_reading_budget_only_someone_whose_crisis_item_is_open_goes_unread(
        make_server: ServerFactory) -> None:
    server, mod, peer, peer_id, first = await _crisis_from_outside(make_server, "crisis_read", 2)
    _refused_in_crisis(await _send(peer, FOLLOW_UP), "not_member", JOIN_FIRST)
    unread = await _send(peer, CRISIS)
    assert unread == {"ok": False, "error": {"code": "not_member", "message": JOIN_FIRST}}, \
        "past this connection's budget, with the item open, the text is not read again"

    await _resolve_about(mod, peer_id)
    _refused_in_crisis(await _send(peer, CRISIS + " now"), "not_member", JOIN_FIRST)
    again = await _sent_before_the_answer(mod, "flag:new", lambda e: e["item"].get("live_text") == CRISIS + " now")
    assert again["item"]["id"] == first["id"], "once it is resolved, the next text is read and raises it again"

    other, other_id = await member(server, room="grief")
    for _ in range(2):
        assert (await _send(other, "hello anxiety room"))["error"]["code"] == "not_member"
    _refused_in_crisis(await _send(other, CRISIS), "not_member", JOIN_FIRST)
    await _person_alert(mod, other_id)  # past the budget, but without an open item: read as ever


async def test_a_refused_text_is_read_up_to_a_messages_length_and_its_end(server: RunningServer) -> None:
    mod = await staff(server)
    peer, peer_id = await member(server)
    too_long = (await _send(peer, FILLER))["error"]
    assert too_long["code"] == "invalid_payload" and "alerted" not in too_long
    buried = FILLER[:3000] + " " + CRISIS + " " + FILLER[:11000]
    assert (await _send(peer, buried))["error"] == too_long, "past a message's length, the middle is not read"
    posted = await _send(peer, CRISIS)
    await _sent_before_the_answer(mod, "flag:new", lambda e: e["item"]["target"]["id"] == posted["message"]["id"])
    assert not [e for e in mod.received("flag:new") if e["item"]["target"]["id"] == peer_id], "nobody was alerted"

    for text, ending in ((" " * 9000 + CRISIS, CRISIS), (CRISIS + " " + FILLER, FILLER[-40:]),
                         (FILLER + " " + CRISIS, CRISIS)):
        peer, peer_id = await member(server)
        _refused_in_crisis(await _send(peer, text), "invalid_payload", too_long["message"])
        item = await _person_alert(mod, peer_id)
        assert len(item["live_text"]) <= 2000 and item["live_text"].endswith(ending), \
            "a text a message could be is read whole (trimmed); a longer one, its beginning and its end (kept)"


async def test_a_crisis_message_sent_over_the_limit_is_not_counted_as_rate_limited(make_server: ServerFactory) -> None:
    server = await make_server(rate_limits=SLOW)
    peer, _ = await member(server)
    for text in ("one", "two"):
        assert (await _send(peer, text))["ok"]
    before = await _rate_limited_sends(server)
    assert (await _send(peer, CRISIS))["ok"], "sent anyway, from the crisis_send bucket"
    assert await _rate_limited_sends(server) == before
    assert (await _send(peer, "three"))["error"]["code"] == "rate_limited"
    assert await _rate_limited_sends(server) == before + 1
    assert (await _send(peer, CRISIS))["ok"]
    assert (await _send(peer, CRISIS))["error"]["code"] == "rate_limited", "past the crisis bucket too"
    assert await _rate_limited_sends(server) == before + 2
