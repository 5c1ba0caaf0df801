"""Each room's confidentiality rules are enforced by the server, not only displayed."""
from __future__ import annotations

import asyncio
import logging

import pytest
from sqlalchemy import select

from server.identity.accounts import address_key, do_create_staff
from server.identity.roles import Role
from server.jobs import refresh_live_config
from server.rooms.retention import JOB_NAME, do_purge_expired
from server.storage.jobs import JobStore
from server.storage.models import Message
from tests.harness import Client, RunningServer, ServerFactory

DAY = 86_400


async def _admin_headers(server: RunningServer) -> dict[str, str]:
    await do_create_staff(server.services.db, server.clock, role=Role.ADMIN, username="root",
                          password="correct horse battery")
    _status, body = await server.post("/api/login", {"username": "root", "password": "correct horse battery"})
    return {"Authorization": f"Bearer {body['token']}"}


async def _patch(server: RunningServer, path: str, body: object, headers: dict[str, str]) -> tuple[int, object]:
    import aiohttp

    async with aiohttp.ClientSession() as http:
        async with http.patch(server.url + path, json=body, headers=headers) as response:
            return response.status, await response.json()


async def _send(client: Client, text: str, cid: str, room: str = "anxiety") -> dict:  # type: ignore[type-arg]
    reply = await client.call("message:send", {"room": room, "text": text, "client_msg_id": cid})
    assert reply["ok"], reply
    return reply  # type: ignore[no-any-return]


async def _stored(server: RunningServer) -> list[Message]:
    async with server.services.db.read() as session:
        return list((await session.execute(select(Message).order_by(Message.created_at))).scalars())


async def test_policy_json_and_privacy_page_describe_the_rules(server: RunningServer) -> None:
    status, body, headers = await server.get("/api/rooms/recovery/policy")
    assert status == 200
    import json

    policy = json.loads(body)
    assert policy["policy"] == {"retention_days": 7, "history": "since_joined", "contact": "hold",
                                "profanity": "mask", "held_originals": "moderators"}
    assert any("7 days" in p["text"] for p in policy["explained"])
    status, page, headers = await server.get("/rooms/recovery/privacy")
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    assert "kept for 7 days" in page and "since they first joined" in page and "not therapy" in page
    assert (await server.get("/rooms/nowhere/privacy"))[0] == 404


async def test_only_admins_change_rules_and_bad_values_are_refused(server: RunningServer) -> None:
    headers = await _admin_headers(server)
    peer = {"Authorization": f"Bearer {await server.peer_token()}"}
    assert (await _patch(server, "/api/rooms/anxiety/policy", {"retention_days": 1}, peer))[0] == 403
    assert (await _patch(server, "/api/rooms/anxiety/policy", {"retention_days": 1}, {}))[0] == 401
    for bad in ({"retention_days": -1}, {"retention_days": "7"}, {"history": "forever"}, {"colour": "red"}):
        status, body = await _patch(server, "/api/rooms/anxiety/policy", bad, headers)
        assert status == 400 and body["error"]["code"] == "invalid", bad  # type: ignore[index]
    status, body = await _patch(server, "/api/rooms/anxiety/policy", {"retention_days": 0}, headers)
    assert status == 200 and body["policy"]["retention_days"] == 0  # type: ignore[index]
    assert (await _patch(server, "/api/rooms/nowhere/policy", {"retention_days": 1}, headers))[0] == 404


async def test_changed_agreement_must_be_accepted_again_before_posting(server: RunningServer) -> None:
    headers = await _admin_headers(server)
    ada = await server.joined_peer()
    await _send(ada, "before", "a1")
    import aiohttp

    async with aiohttp.ClientSession() as http:
        async with http.put(server.url + "/api/rooms/anxiety/agreement", headers=headers,
                            json={"agreement": "New rules: be kind."}) as response:
            assert response.status == 200 and (await response.json())["agreement_version"] == 2
    update = await ada.wait_for("room:updated")
    assert update["agreement_version"] == 2
    refused = await ada.call("message:send", {"room": "anxiety", "text": "after", "client_msg_id": "a2"})
    assert refused["error"]["code"] == "agreement_required" and refused["error"]["agreement"] == "New rules: be kind."
    assert (await ada.call("room:join", {"room": "anxiety"}))["error"]["code"] == "agreement_required"
    assert (await ada.call("room:join", {"room": "anxiety", "accept_agreement": True}))["ok"]
    await _send(ada, "after", "a3")


async def test_since_joined_rooms_show_newcomers_nothing_from_before(server: RunningServer) -> None:
    ada = await server.joined_peer("recovery")
    await _send(ada, "said before you came", "r1", room="recovery")
    server.clock.advance(5)
    bo = await server.peer()
    joined = await bo.call("room:join", {"room": "recovery", "accept_agreement": True})
    assert joined["history"] == []
    await _send(ada, "said after", "r2", room="recovery")
    page = await bo.call("message:history", {"room": "recovery"})
    assert [m["text"] for m in page["messages"]] == ["said after"]
    assert (await bo.call("message:history", {"room": "recovery", "before": 2}))["messages"] == []
    caught_up = await bo.call("room:resume", {"room": "recovery", "after": 0})
    assert [m["text"] for m in caught_up["messages"]] == ["said after"] and caught_up["last_seq"] == 2
    assert [m["text"] for m in (await ada.call("message:history", {"room": "recovery"}))["messages"]] == [
        "said before you came", "said after"]


async def test_no_history_rooms_show_only_what_was_said_while_here(server: RunningServer) -> None:
    headers = await _admin_headers(server)
    await _patch(server, "/api/rooms/grief/policy", {"history": "none"}, headers)
    ada = await server.joined_peer("grief")
    await _send(ada, "one", "g1", room="grief")
    await ada.call("room:leave", {"room": "grief"})
    server.clock.advance(5)
    rejoined = await ada.call("room:join", {"room": "grief"})
    assert rejoined["history"] == []
    assert (await ada.call("room:resume", {"room": "grief", "after": 0}))["messages"] == []


async def test_live_only_rooms_deliver_but_never_store_text(server: RunningServer) -> None:
    headers = await _admin_headers(server)
    await _patch(server, "/api/rooms/carers/policy", {"retention_days": 0}, headers)
    ada = await server.joined_peer("carers")
    bo = await server.joined_peer("carers")
    reply = await _send(ada, "only for now", "c1", room="carers")
    assert reply["message"]["text"] == "only for now"
    pushed = await bo.wait_for("message:new")
    assert pushed["text"] == "only for now"
    assert [m.text for m in await _stored(server)] == [None]
    again = await ada.call("message:send", {"room": "carers", "text": "only for now", "client_msg_id": "c1"})
    assert again["message"]["id"] == reply["message"]["id"]


async def test_a_crisis_in_a_live_only_room_reaches_moderators_with_its_words_never_stored(
        server: RunningServer) -> None:
    headers = await _admin_headers(server)
    await _patch(server, "/api/rooms/carers/policy", {"retention_days": 0}, headers)
    moderator = await _moderator(server)
    ada = await server.joined_peer("carers")
    words = "I can't do this anymore, I want to kill myself tonight"
    await _send(ada, words, "c1", room="carers")
    flag = await moderator.wait_for("flag:new", lambda e: e["item"]["kind"] == "crisis")
    assert flag["item"]["live_text"] == words
    assert [m.text for m in await _stored(server)] == [None]
    queue = await moderator.call("mod:queue", {})
    assert "live_text" not in queue["items"][0]  # read back from the database: nothing to show


async def test_retention_purge_deletes_expired_messages_and_records_the_run(server: RunningServer) -> None:
    ada = await server.joined_peer("check-in")
    await _send(ada, "old news", "k1", room="check-in")
    anx = await server.joined_peer("anxiety")
    await _send(anx, "kept for a month", "k2")
    server.clock.advance(3 * DAY)
    await _send(ada, "fresh", "k3", room="check-in")
    report = await do_purge_expired(server.services.db, server.clock, 30)
    assert report.removed == {"check-in": 1}
    assert sorted(m.text or "" for m in await _stored(server)) == ["fresh", "kept for a month"]
    server.clock.advance(28 * DAY)
    report = await do_purge_expired(server.services.db, server.clock, 30)
    assert report.removed == {"anxiety": 1, "check-in": 1}
    async with server.services.db.read() as session:
        run = await JobStore(session).get(JOB_NAME)
    assert run is not None and run.runs == 2 and run.last_removed == 2 and run.last_run_at == server.clock.now()


async def test_authors_delete_their_messages_and_cannot_probe_others(server: RunningServer) -> None:
    ada = await server.joined_peer()
    bo = await server.joined_peer()
    mine = await _send(ada, "regret this", "d1")
    theirs = await _send(bo, "not yours", "d2")
    assert await ada.call("message:delete", {"message_id": mine["message"]["id"]}) == {"ok": True}
    deleted = await bo.wait_for("message:deleted")
    assert deleted == {"room": "anxiety", "id": mine["message"]["id"], "seq": 1}
    history = await bo.call("message:history", {"room": "anxiety"})
    assert [(m["status"], m["text"]) for m in history["messages"]] == [("deleted", None), ("visible", "not yours")]
    other = await ada.call("message:delete", {"message_id": theirs["message"]["id"]})
    missing = await ada.call("message:delete", {"message_id": "0" * 32})
    twice = await ada.call("message:delete", {"message_id": mine["message"]["id"]})
    assert other == missing == twice
    assert other["error"]["code"] == "not_found"


async def test_deleting_an_account_erases_everything_it_wrote(server: RunningServer) -> None:
    token = await server.peer_token("Leaving")
    ada = await server.connect(token)
    await ada.call("room:join", {"room": "anxiety", "accept_agreement": True})
    bo = await server.joined_peer()
    await _send(ada, "first", "e1")
    await _send(bo, "reply", "e2")
    await _send(ada, "second", "e3")
    import aiohttp

    async with aiohttp.ClientSession() as http:
        async with http.delete(server.url + "/api/me", headers={"Authorization": f"Bearer {token}"}) as response:
            assert response.status == 200
            assert await response.json() == {"deleted": True, "messages_deleted": 2}
    await bo.wait_for("message:deleted", lambda e: e["seq"] == 3)
    assert [m.text for m in await _stored(server)] == ["reply"]
    for _ in range(40):
        if not ada.sio.connected:
            break
        await ada.sio.sleep(0.05)
    assert not ada.sio.connected
    with pytest.raises(Exception):
        await server.connect(token)


async def test_account_delete_event_needs_confirmation(server: RunningServer) -> None:
    ada = await server.joined_peer()
    assert (await ada.call("account:delete", {}))["error"]["code"] == "invalid"
    assert (await ada.call("account:delete", {"confirm": True})) == {"ok": True, "messages_deleted": 0}


async def test_a_deleted_account_is_disconnected_on_every_process(make_server: ServerFactory) -> None:
    first = await make_server()
    second = await make_server()
    token = await first.peer_token()
    there = await second.connect(token)
    assert (await there.call("room:join", {"room": "anxiety", "accept_agreement": True}))["ok"]
    await second.services.live.refresh(second.services.db, second.clock.now())
    here = await first.connect(token)
    assert (await here.call("account:delete", {"confirm": True}))["ok"]
    second.clock.advance(1.0)
    await refresh_live_config(second.services)
    for _ in range(40):
        if not there.sio.connected:
            break
        await asyncio.sleep(0.05)
    assert not there.sio.connected


def test_address_keys_hide_addresses_and_rotate_daily() -> None:
    secret = "s" * 40
    today = address_key(secret, "203.0.113.7", 1_800_000_000)
    assert "203" not in today and today == address_key(secret, "203.0.113.7", 1_800_000_100)
    assert today != address_key(secret, "203.0.113.7", 1_800_000_000 + DAY)
    assert today != address_key(secret, "203.0.113.8", 1_800_000_000)


async def test_logs_never_contain_message_text_tokens_or_contact_details(
        server: RunningServer, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    token = await server.peer_token("Sparrow")
    ada = await server.connect(token)
    await ada.call("room:join", {"room": "anxiety", "accept_agreement": True})
    secrets = ["my secret worry about tomorrow", "call me on 07700 900123", "jo@example.org"]
    for i, text in enumerate(secrets):
        await ada.call("message:send", {"room": "anxiety", "text": text, "client_msg_id": f"l{i}"})
    await ada.call("message:history", {"room": "anxiety"})
    await server.post("/api/login", {"username": "nobody", "password": "hunter2hunter2"})
    await ada.call("account:delete", {"confirm": True})
    logged = "\n".join(record.getMessage() + (record.exc_text or "") for record in caplog.records)
    assert logged, "the flow logs something"
    for needle in [*secrets, "07700", "900123", "jo@example", token, token.split(".")[0], "hunter2"]:
        assert needle not in logged, needle


async def _moderator(server: RunningServer) -> Client:
    await do_create_staff(server.services.db, server.clock, role=Role.MODERATOR, username="mona",
                          password="correct horse battery")
    _status, body = await server.post("/api/login", {"username": "mona", "password": "correct horse battery"})
    moderator = await server.connect(body["token"])
    assert (await moderator.call("mod:subscribe", {}))["ok"]
    return moderator


async def test_messages_under_review_outlive_room_retention_then_go_with_moderation_retention(
        server: RunningServer) -> None:
    moderator = await _moderator(server)
    ada = await server.joined_peer("check-in")
    crisis = await _send(ada, "I can't go on, I want to end my life", "r1", room="check-in")
    await _send(ada, "ordinary chat", "r2", room="check-in")
    flag = await moderator.wait_for("flag:new", lambda f: f["item"]["target"]["id"] == crisis["message"]["id"])
    server.clock.advance(3 * DAY)
    report = await do_purge_expired(server.services.db, server.clock, 30)
    assert report.removed == {"check-in": 1}, "the ordinary message goes; the one under review stays"
    assert [m.id for m in await _stored(server)] == [crisis["message"]["id"]]
    item = flag["item"]
    resolved = await moderator.call("mod:resolve", {"item_id": item["id"], "version": item["version"],
                                                    "outcome": "actioned", "note": "reached out"})
    assert resolved["ok"], resolved
    server.clock.advance(29 * DAY)
    assert (await do_purge_expired(server.services.db, server.clock, 30)).total == 0
    server.clock.advance(2 * DAY)
    report = await do_purge_expired(server.services.db, server.clock, 30)
    assert (report.removed, report.review_items) == ({"check-in": 1}, 1)
    assert await _stored(server) == []


async def test_erasing_an_account_keeps_only_what_a_review_needs_detached(server: RunningServer) -> None:
    moderator = await _moderator(server)
    token = await server.peer_token("Leaving")
    ada = await server.connect(token)
    await ada.call("room:join", {"room": "anxiety", "accept_agreement": True})
    bo = await server.joined_peer()
    crisis = await _send(ada, "tonight I will take all my pills", "x1")
    await _send(ada, "just chatting", "x2")
    await moderator.wait_for("flag:new", lambda f: f["item"]["target"]["id"] == crisis["message"]["id"])
    assert (await ada.call("account:delete", {"confirm": True}))["messages_deleted"] == 2
    await bo.wait_for("message:deleted", lambda e: e["id"] == crisis["message"]["id"])
    history = await bo.call("message:history", {"room": "anxiety"})
    assert [(m["status"], m["text"]) for m in history["messages"]] == [("deleted", None)]
    assert history["messages"][0]["sender"]["pseudonym"] == "Deleted account"
    context = await moderator.call("mod:context", {"message_id": crisis["message"]["id"]})
    assert context["message"]["original"] == "tonight I will take all my pills"
    assert context["message"]["sender"]["pseudonym"] == "Deleted account"
    queue = await moderator.call("mod:queue", {})
    assert [i["subject"]["pseudonym"] for i in queue["items"]] == ["Deleted account"]
    assert "Leaving" not in str(queue)


async def test_a_rule_change_applies_to_the_very_next_send(server: RunningServer) -> None:
    """The send gate reuses the Room built from an unchanged row; a changed row is a new Room at once."""
    headers = await _admin_headers(server)
    ada = await server.joined_peer()
    await _send(ada, "kept", "k1")
    status, _body = await _patch(server, "/api/rooms/anxiety/policy", {"retention_days": 0}, headers)
    assert status == 200
    delivered = await _send(ada, "not kept", "k2")
    assert delivered["message"]["text"] == "not kept"
    assert [m.text for m in await _stored(server)] == ["kept", None]
