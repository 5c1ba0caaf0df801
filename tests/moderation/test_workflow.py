"""Claim, release, resolve with optimistic versions; concurrent moderators; context; abandoned claims."""
from __future__ import annotations

import asyncio
from typing import Any

from server.identity.roles import Role
from server.moderation.escalation import release_abandoned_claims
from tests.harness import Client, RunningServer, ServerFactory
from tests.moderation.factories import HELD, flagged_message, member, say, staff, staff_token, until


async def _reported_item(server: RunningServer, mod: Client, reason: str = "harassment") -> dict[str, Any]:
    author, _ = await member(server)
    message = await say(author, "rude words")
    reporter, _ = await member(server)
    await reporter.call("message:report", {"message_id": message["id"], "reason": reason})
    flag = await mod.wait_for("flag:new", lambda e: e["item"]["target"]["id"] == message["id"])
    return dict(flag["item"])


async def test_claim_is_seen_by_others_and_release_hands_it_back(server: RunningServer) -> None:
    ann, bob = await staff(server, name="ann"), await staff(server, name="bob")
    item = await _reported_item(server, ann)
    claimed = await ann.call("mod:claim", {"item_id": item["id"], "version": item["version"]})
    assert claimed["item"]["status"] == "claimed" and claimed["item"]["claimed_by"]["pseudonym"] == "ann"
    seen = await bob.wait_for("flag:updated", lambda e: e["item"]["status"] == "claimed")
    assert seen["item"]["version"] == claimed["item"]["version"] == item["version"] + 1
    theirs = await bob.call("mod:claim", {"item_id": item["id"], "version": seen["item"]["version"]})
    assert theirs["error"]["code"] == "conflict" and theirs["error"]["item"]["claimed_by"]["pseudonym"] == "ann"
    steal = await bob.call("mod:release", {"item_id": item["id"], "version": seen["item"]["version"]})
    assert steal["error"]["code"] == "conflict"
    released = await ann.call("mod:release", {"item_id": item["id"], "version": claimed["item"]["version"]})
    assert released["item"]["status"] == "pending" and released["item"]["claimed_by"] is None
    again = await ann.call("mod:release", {"item_id": item["id"], "version": released["item"]["version"]})
    assert again["error"]["code"] == "invalid"


async def test_an_admin_may_release_someone_elses_claim(server: RunningServer) -> None:
    mod, admin = await staff(server), await staff(server, Role.ADMIN)
    item = await _reported_item(server, mod)
    claimed = await mod.call("mod:claim", {"item_id": item["id"], "version": 1})
    released = await admin.call("mod:release", {"item_id": item["id"], "version": claimed["item"]["version"]})
    assert released["ok"] and released["item"]["status"] == "pending"


async def test_two_moderators_claiming_at_once_exactly_one_wins(server: RunningServer) -> None:
    mods = [await staff(server) for _ in range(4)]
    for _ in range(3):
        item = await _reported_item(server, mods[0])
        replies = await asyncio.gather(*[m.call("mod:claim", {"item_id": item["id"], "version": item["version"]})
                                         for m in mods])
        assert sorted(r["ok"] for r in replies) == [False, False, False, True], replies
        losers = [r for r in replies if not r["ok"]]
        assert {r["error"]["code"] for r in losers} == {"conflict"}
        assert all(r["error"]["item"]["status"] == "claimed" for r in losers)


async def test_concurrent_resolves_exactly_one_wins(server: RunningServer) -> None:
    ann, bob = await staff(server), await staff(server)
    item = await _reported_item(server, ann)
    replies = await asyncio.gather(
        ann.call("mod:resolve", {"item_id": item["id"], "version": 1, "outcome": "no_action"}),
        bob.call("mod:resolve", {"item_id": item["id"], "version": 1, "outcome": "actioned", "note": "done"}))
    assert sorted(r["ok"] for r in replies) == [False, True]
    loser = next(r for r in replies if not r["ok"])
    assert loser["error"]["code"] in {"conflict", "already_resolved"}
    assert loser["error"]["item"]["status"] == "resolved"


async def test_resolve_and_the_errors_around_it(server: RunningServer) -> None:
    mod = await staff(server)
    item = await _reported_item(server, mod)
    stale = await mod.call("mod:claim", {"item_id": item["id"], "version": item["version"] + 5})
    assert stale["error"]["code"] == "conflict" and stale["error"]["item"]["version"] == item["version"]
    for payload, code in [({"item_id": item["id"], "version": 1, "outcome": "maybe"}, "invalid"),
                          ({"item_id": item["id"], "version": 1, "outcome": "actioned", "note": "n" * 1001}, "invalid"),
                          ({"item_id": item["id"], "outcome": "actioned"}, "invalid_payload"),
                          ({"item_id": item["id"], "version": "1", "outcome": "actioned"}, "invalid_payload"),
                          ({"item_id": "0" * 32, "version": 1, "outcome": "actioned"}, "not_found")]:
        reply = await mod.call("mod:resolve", payload)
        assert reply["error"]["code"] == code, (payload, reply)
    done = await mod.call("mod:resolve", {"item_id": item["id"], "version": 1, "outcome": "actioned", "note": "ok"})
    assert done["item"]["status"] == "resolved" and done["item"]["outcome"] == "actioned"
    after = await mod.call("mod:claim", {"item_id": item["id"], "version": done["item"]["version"]})
    assert after["error"]["code"] == "already_resolved"
    assert (await mod.call("mod:queue", {}))["items"] == []
    assert [i["id"] for i in (await mod.call("mod:queue", {"status": "resolved"}))["items"]] == [item["id"]]


async def test_a_new_report_reopens_a_resolved_item(server: RunningServer) -> None:
    mod = await staff(server)
    author, _ = await member(server)
    message = await say(author, "again")
    first, _ = await member(server)
    await first.call("message:report", {"message_id": message["id"], "reason": "spam"})
    item = (await mod.wait_for("flag:new"))["item"]
    await mod.call("mod:resolve", {"item_id": item["id"], "version": 1, "outcome": "dismissed"})
    second, _ = await member(server)
    await second.call("message:report", {"message_id": message["id"], "reason": "harassment"})
    reopened = await mod.wait_for("flag:new", lambda e: e["item"]["status"] == "pending" and e["item"]["version"] > 1)
    assert reopened["item"]["id"] == item["id"] and reopened["item"]["kind"] == "abuse"


async def test_context_returns_neighbours_and_held_text(server: RunningServer) -> None:
    mod = await staff(server)
    author, author_id = await member(server)
    for i in range(5):
        await say(author, f"before {i}")
    server.clock.advance(1)
    held = await flagged_message(server, author_id, HELD)
    server.clock.advance(1)
    for i in range(3):
        await say(author, f"after {i}")
    context = await mod.call("mod:context", {"message_id": held["id"], "before": 2, "after": 2})
    assert context["message"]["text"] == HELD.text and context["message"]["status"] == "held"
    assert [m["text"] for m in context["before"]] == ["before 3", "before 4"]
    assert [m["text"] for m in context["after"]] == ["after 0", "after 1"]
    none = await mod.call("mod:context", {"message_id": held["id"], "before": 0, "after": 0})
    assert none["before"] == [] and none["after"] == []
    for payload, code in [({"message_id": "0" * 32}, "not_found"),
                          ({"message_id": held["id"], "before": 51}, "invalid"),
                          ({"message_id": held["id"], "before": -1}, "invalid_payload"), ({}, "invalid_payload")]:
        reply = await mod.call("mod:context", payload)
        assert reply["error"]["code"] == code, (payload, reply)


async def test_context_of_a_delivered_message_goes_by_sequence_when_times_are_equal(server: RunningServer) -> None:
    """Messages sent in the same instant (the clock does not move here) are still each other's context."""
    mod = await staff(server)
    author, _ = await member(server)
    sent = [await say(author, f"same instant {i}") for i in range(4)]
    context = await mod.call("mod:context", {"message_id": sent[2]["id"], "before": 5, "after": 5})
    assert [m["text"] for m in context["before"]] == ["same instant 0", "same instant 1"]
    assert [m["text"] for m in context["after"]] == ["same instant 3"]


async def test_claims_of_a_moderator_who_left_are_released_after_the_timeout(server: RunningServer) -> None:
    ann, bob = await staff(server), await staff(server)
    item = await _reported_item(server, ann)
    await ann.call("mod:claim", {"item_id": item["id"], "version": 1})
    await ann.close()
    await until(lambda: bool(server.services.moderation.offline_since))
    server.clock.advance(server.services.settings.claim_release_after - 1)
    await release_abandoned_claims(server.services)
    assert (await bob.call("mod:queue", {}))["items"][0]["status"] == "claimed"
    server.clock.advance(2)
    await release_abandoned_claims(server.services)
    released = await bob.wait_for("flag:updated", lambda e: e["item"]["status"] == "pending")
    assert released["item"]["claimed_by"] is None
    assert server.services.moderation.metrics.claims_released == 1


async def test_claims_of_a_moderator_gone_before_a_restart_are_released_after_it(make_server: ServerFactory) -> None:
    before = await make_server()
    ann = await staff(before, name="ann")
    item = await _reported_item(before, ann)
    await ann.call("mod:claim", {"item_id": item["id"], "version": 1})
    await ann.close()
    after = await make_server()  # a fresh process on the same database: it never saw ann leave
    bob = await staff(after, name="bob")
    await release_abandoned_claims(after.services)  # ann is connected nowhere: counted as gone from now
    after.clock.advance(after.services.settings.claim_release_after - 1)
    await release_abandoned_claims(after.services)
    assert (await bob.call("mod:queue", {}))["items"][0]["status"] == "claimed"
    after.clock.advance(2)
    await release_abandoned_claims(after.services)
    released = await bob.wait_for("flag:updated", lambda e: e["item"]["status"] == "pending")
    assert released["item"]["claimed_by"] is None


async def test_a_moderator_with_another_tab_open_keeps_their_claims(server: RunningServer) -> None:
    ann_id, token = await staff_token(server, Role.MODERATOR)
    ann, second_tab = await server.connect(token), await server.connect(token)
    await ann.call("mod:subscribe", {})
    item = await _reported_item(server, ann)
    await ann.call("mod:claim", {"item_id": item["id"], "version": 1})
    await ann.close()
    await until(lambda: server.services.online.connection_count(ann_id) == 1)
    server.clock.advance(server.services.settings.claim_release_after + 1)
    await release_abandoned_claims(server.services)
    queue = await second_tab.call("mod:queue", {})
    assert queue["items"][0]["status"] == "claimed"
