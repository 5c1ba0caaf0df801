"""Each pipeline decision, end to end over real sockets: what others see and what the sender is told."""
from __future__ import annotations

from sqlalchemy import select

from server.rooms.admin_audit import OPERATOR
from server.rooms.policy_changes import do_update_room_rules
from server.storage.models import Message
from tests.harness import RunningServer


async def _stored(server: RunningServer, message_id: str) -> Message:
    async with server.services.db.read() as session:
        found = (await session.execute(select(Message).where(Message.id == message_id))).scalar_one()
    return found


async def test_profanity_is_masked_for_everyone_and_the_sender_is_told(server: RunningServer) -> None:
    ada = await server.joined_peer()
    bo = await server.joined_peer()
    reply = await ada.call("message:send", {"room": "anxiety", "text": "this is sh1t", "client_msg_id": "p"})
    assert reply["decision"] == "allow_modified"
    assert [n["code"] for n in reply["notices"]] == ["profanity_masked"]
    pushed = await bo.wait_for("message:new")
    assert pushed["text"] == "this is ****" and reply["message"]["text"] == "this is ****"


async def test_contact_details_are_redacted_with_a_private_notice(server: RunningServer) -> None:
    ada = await server.joined_peer()
    bo = await server.joined_peer()
    text = "text me on 07700 900123 or jo at gmail dot com"
    reply = await ada.call("message:send", {"room": "anxiety", "text": text, "client_msg_id": "c"})
    assert reply["decision"] == "allow_modified"
    assert [n["code"] for n in reply["notices"]] == ["contact_redacted"]
    pushed = await bo.wait_for("message:new")
    assert "07700" not in pushed["text"] and "gmail" not in pushed["text"]
    assert "[contact details removed]" in pushed["text"]
    assert "07700" not in (await _stored(server, pushed["id"])).text  # type: ignore[operator]


async def test_contact_details_are_held_where_the_room_says_so(server: RunningServer) -> None:
    ada = await server.joined_peer("recovery")
    bo = await server.joined_peer("recovery")
    text = "my number is +44 7700 900123"
    reply = await ada.call("message:send", {"room": "recovery", "text": text, "client_msg_id": "h"})
    assert reply["decision"] == "hold" and reply["message"]["status"] == "held"
    assert reply["message"]["seq"] is None
    assert [n["code"] for n in reply["notices"]] == ["held_for_review"]
    stored = await _stored(server, reply["message"]["id"])
    assert stored.original == text and stored.status == "held"
    await ada.call("message:send", {"room": "recovery", "text": "hello", "client_msg_id": "h2"})
    await bo.wait_for("message:new")
    assert [m["text"] for m in bo.received("message:new")] == ["hello"]


async def test_crisis_message_is_delivered_flagged_and_the_sender_gets_resources(server: RunningServer) -> None:
    token = await server.peer_token()
    ada = await server.connect(token, auth_extra={"locale": "en-GB"})
    await ada.call("room:join", {"room": "depression", "accept_agreement": True})
    bo = await server.joined_peer("depression")
    text = "I took all my pills tonight, this is goodbye"
    reply = await ada.call("message:send", {"room": "depression", "text": text, "client_msg_id": "k"})
    assert reply["decision"] == "allow" and reply["message"]["text"] == text
    notice = next(n for n in reply["notices"] if n["code"] == "crisis_resources")
    assert any(r["phone"] and "116 123" in r["phone"] for r in notice["resources"]), notice
    assert (await bo.wait_for("message:new"))["text"] == text
    flags = (await _stored(server, reply["message"]["id"])).flags
    assert any(f["kind"] == "crisis" and f["severity"] == "imminent" and f["spans"] for f in flags), flags


async def test_profanity_is_blocked_with_a_notice_where_the_room_says_so(server: RunningServer) -> None:
    await do_update_room_rules(server.services, actor=OPERATOR, slug="grief", changes={"profanity": "block"})
    ada = await server.joined_peer("grief")
    bo = await server.joined_peer("grief")
    reply = await ada.call("message:send", {"room": "grief", "text": "f u c k this", "client_msg_id": "b"})
    assert reply["decision"] == "block" and reply["message"]["status"] == "blocked"
    assert reply["message"]["text"] is None
    assert [n["code"] for n in reply["notices"]] == ["blocked"]
    assert "wasn't posted" in reply["notices"][0]["message"]
    await ada.call("message:send", {"room": "grief", "text": "sorry, rough day", "client_msg_id": "b2"})
    await bo.wait_for("message:new")
    assert [m["text"] for m in bo.received("message:new")] == ["sorry, rough day"]
