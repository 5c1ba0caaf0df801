"""Review items from peer reports, help requests and pipeline flags; live pushes; queue order and paging."""
from __future__ import annotations

import asyncio
import logging

import pytest

from server.moderation.ratelimit import RateLimit
from server.moderation.verdict import Severity
from server.settings import RateLimits
from tests.harness import RunningServer, ServerFactory
from tests.moderation.factories import HELD, crisis_verdict, flagged_message, member, say, staff


async def test_reports_reach_every_subscribed_moderator_and_merge_into_one_item(server: RunningServer) -> None:
    mods = [await staff(server) for _ in range(3)]
    author, author_id = await member(server)
    message = await say(author, "something unkind")
    reporters = [(await member(server))[0] for _ in range(4)]
    replies = await asyncio.gather(*[r.call("message:report", {"message_id": message["id"], "reason": "harassment"})
                                     for r in reporters])
    assert all(r == {"ok": True, "reported": True, "duplicate": False} for r in replies), replies
    for mod in mods:
        new = await mod.wait_for("flag:new")
        assert new["item"]["target"] == {"type": "message", "id": message["id"]}
        assert new["item"]["subject"]["id"] == author_id and "text" not in new["item"]
        await mod.wait_for("flag:updated", lambda e: e["item"]["score"] == 4)
        assert len(mod.received("flag:new")) == 1
    queue = await mods[0].call("mod:queue", {})
    assert [(i["kind"], i["score"], i["reasons"]) for i in queue["items"]] == [("abuse", 4, {"harassment": 4})]


async def test_one_report_per_peer_per_message(server: RunningServer) -> None:
    mod = await staff(server)
    author, _ = await member(server)
    message = await say(author, "hello")
    reporter, _ = await member(server)
    first = await reporter.call("message:report", {"message_id": message["id"], "reason": "spam"})
    again = await reporter.call("message:report", {"message_id": message["id"], "reason": "other"})
    assert first["duplicate"] is False and again == {"ok": True, "reported": True, "duplicate": True}
    queue = await mod.call("mod:queue", {})
    assert queue["items"][0]["score"] == 1 and queue["items"][0]["version"] == 1


async def test_bad_reports_are_refused_with_clear_codes(server: RunningServer) -> None:
    author, _ = await member(server)
    message = await say(author, "hello")
    reporter, _ = await member(server)
    outsider, _ = await member(server, room="grief")
    cases = [
        (reporter, {"message_id": message["id"], "reason": "boring"}, "invalid"),
        (reporter, {"message_id": "0" * 32, "reason": "spam"}, "not_found"),
        (reporter, {"message_id": message["id"]}, "invalid_payload"),
        (reporter, {"message_id": message["id"], "reason": "spam", "extra": 1}, "invalid_payload"),
        (author, {"message_id": message["id"], "reason": "spam"}, "invalid"),
        (outsider, {"message_id": message["id"], "reason": "spam"}, "not_member"),
    ]
    for client, payload, code in cases:
        reply = await client.call("message:report", payload)
        assert reply["ok"] is False and reply["error"]["code"] == code, (payload, reply)


async def test_report_floods_are_rate_limited(make_server: ServerFactory) -> None:
    server = await make_server(review_tick=3600.0, rate_limits=RateLimits.only(report=RateLimit(0.1, 5)))
    author, _ = await member(server)
    messages = [await say(author, f"m{i}") for i in range(6)]
    reporter, _ = await member(server)
    replies = [await reporter.call("message:report", {"message_id": m["id"], "reason": "spam"}) for m in messages]
    assert [r["ok"] for r in replies] == [True] * 5 + [False]
    assert replies[5]["error"]["code"] == "rate_limited" and replies[5]["error"]["retry_after"] > 0
    server.clock.advance(10)
    assert (await reporter.call("message:report", {"message_id": messages[5]["id"], "reason": "spam"}))["ok"]


async def test_help_request_sends_resources_at_once_and_tops_the_queue(server: RunningServer) -> None:
    mod = await staff(server)
    author, _ = await member(server)
    message = await say(author, "hello")
    reporter, _ = await member(server)
    await reporter.call("message:report", {"message_id": message["id"], "reason": "crisis"})
    asker, asker_id = await member(server)
    reply = await asker.call("help:request", {"room": "anxiety"})
    assert reply["ok"] and reply["alerted"] is True and reply["moderator_online"] is True
    assert reply["message"].startswith("The moderators have been alerted and will reach out")
    text = " ".join(str(r) for r in reply["resources"])
    for needle in ("988", "findahelpline.com", "emergency"):  # the default locale is en-US
        assert needle in text
    flag = await mod.wait_for("flag:new", lambda e: e["item"]["kind"] == "help")
    assert flag["item"]["severity"] == "imminent" and flag["item"]["room"] == "anxiety"
    assert flag["item"]["subject"]["id"] == asker_id and flag["item"]["target"]["type"] == "user"
    queue = await mod.call("mod:queue", {})
    assert [i["kind"] for i in queue["items"]] == ["help", "crisis"]
    again = await asker.call("help:request", {})
    assert again["ok"]
    await mod.wait_for("flag:updated", lambda e: e["item"]["kind"] == "help")


async def test_help_with_no_moderator_online_promises_no_reply_and_points_to_help_now(server: RunningServer) -> None:
    asker, _ = await member(server)
    reply = await asker.call("help:request", {"room": "anxiety"})
    assert reply["ok"] and reply["alerted"] is True and reply["moderator_online"] is False
    assert "no moderator is online right now" in reply["message"] and "will reach out" not in reply["message"]
    assert "emergency" in reply["message"] and "988" in " ".join(str(r) for r in reply["resources"])
    mod = await staff(server)  # the item waits for the first moderator who arrives
    queue = await mod.call("mod:queue", {})
    assert [i["kind"] for i in queue["items"]] == ["help"]


async def test_help_request_with_an_unknown_room_still_alerts(server: RunningServer) -> None:
    mod = await staff(server)
    asker, _ = await member(server, room=None)
    reply = await asker.call("help:request", {"room": "no-such-room"})
    assert reply["ok"] and reply["resources"]
    flag = await mod.wait_for("flag:new")
    assert flag["item"]["room"] is None
    bad = await asker.call("help:request", {"room": 7})
    assert bad["error"]["code"] == "invalid_payload"


async def test_crisis_with_no_moderator_online_waits_at_the_top_and_is_counted(
        server: RunningServer, caplog: pytest.LogCaptureFixture) -> None:
    asker, _ = await member(server)
    with caplog.at_level(logging.WARNING, logger="peerchat.moderation"):
        reply = await asker.call("help:request", {"room": "anxiety"})
    assert reply["ok"] and reply["resources"]
    assert server.services.moderation.metrics.crisis_without_moderator == 1
    assert any("crisis_flag_without_moderator" in r.getMessage() for r in caplog.records)
    late = await staff(server)
    queue = await late.call("mod:queue", {})
    assert queue["items"][0]["kind"] == "help"


async def test_pipeline_flags_create_items_with_the_message(server: RunningServer) -> None:
    mod = await staff(server)
    _author, author_id = await member(server)
    crisis = await flagged_message(server, author_id, crisis_verdict("...", Severity.HIGH))
    held = await flagged_message(server, author_id, HELD)
    await mod.wait_for("flag:new", lambda e: e["item"]["target"]["id"] == held["id"])
    queue = await mod.call("mod:queue", {})
    assert [(i["target"]["id"], i["kind"], i["priority"]) for i in queue["items"]] == [
        (crisis["id"], "crisis", 4), (held["id"], "contact", 1)]


async def test_queue_order_filters_and_cursor(server: RunningServer) -> None:
    mod = await staff(server)
    author, author_id = await member(server)
    peers = [(await member(server))[0] for _ in range(3)]
    spam_once, spam_twice = await say(author, "a"), await say(author, "b")
    harassment = await say(author, "c")
    await peers[0].call("message:report", {"message_id": spam_once["id"], "reason": "spam"})
    server.clock.advance(1)
    for peer in peers[:2]:
        await peer.call("message:report", {"message_id": spam_twice["id"], "reason": "other"})
    await peers[0].call("message:report", {"message_id": harassment["id"], "reason": "harassment"})
    await flagged_message(server, author_id, crisis_verdict("x"))
    server.clock.advance(1)
    grief, _ = await member(server, room="grief")
    await grief.call("help:request", {"room": "grief"})
    queue = await mod.call("mod:queue", {})
    order = [(i["kind"], i["score"]) for i in queue["items"]]
    assert order == [("crisis", 1), ("help", 1), ("abuse", 1), ("report", 2), ("report", 1)]
    pages, cursor = [], None
    while True:
        page = await mod.call("mod:queue", {"limit": 2, **({"cursor": cursor} if cursor else {})})
        pages.append([i["kind"] for i in page["items"]])
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert pages == [["crisis", "help"], ["abuse", "report"], ["report"]]
    assert [i["kind"] for i in (await mod.call("mod:queue", {"room": "grief"}))["items"]] == ["help"]
    assert [i["kind"] for i in (await mod.call("mod:queue", {"severity": "report"}))["items"]] == ["report"] * 2
    assert (await mod.call("mod:queue", {"status": "resolved"}))["items"] == []
    for payload, code in [({"status": "gone"}, "invalid"), ({"severity": "huge"}, "invalid"),
                          ({"limit": 101}, "invalid"), ({"cursor": "bm9wZQ"}, "invalid"),
                          ({"room": "nowhere"}, "not_found"), ({"limit": "x"}, "invalid_payload")]:
        reply = await mod.call("mod:queue", payload)
        assert reply["error"]["code"] == code, (payload, reply)
