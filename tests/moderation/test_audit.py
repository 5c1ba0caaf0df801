"""The audit log over HTTP: every action and read is there, filterable, and never holds a message body."""
from __future__ import annotations

import logging
from typing import Any

import aiohttp
import pytest

from server.clock import iso
from server.identity.roles import Role
from tests.admin.api import call
from tests.harness import RunningServer
from tests.moderation.factories import HELD, flagged_message, member, say, staff, staff_token


async def _get(server: RunningServer, token: str, path: str) -> tuple[int, Any]:
    async with aiohttp.ClientSession() as http:
        async with http.get(server.url + path, headers={"Authorization": f"Bearer {token}"}) as response:
            return response.status, await response.json()


async def test_actions_and_reads_are_audited_without_bodies(server: RunningServer) -> None:
    mod_id, mod_token = await staff_token(server, Role.MODERATOR)
    mod = await server.connect(mod_token)
    await mod.call("mod:subscribe", {})
    _admin_id, admin_token = await staff_token(server, Role.ADMIN)
    author, author_id = await member(server)
    secret_words = "my very private sentence"
    message = await say(author, secret_words)
    reporter, reporter_id = await member(server, pseudonym="Quiet Owl")
    await reporter.call("message:report", {"message_id": message["id"], "reason": "harassment"})
    item = (await mod.wait_for("flag:new"))["item"]
    held = await flagged_message(server, author_id, HELD)
    claimed = await mod.call("mod:claim", {"item_id": item["id"], "version": 1})
    await mod.call("mod:context", {"message_id": message["id"]})
    await mod.call("mod:context", {"message_id": held["id"]})
    await mod.call("mod:warn", {"item_id": item["id"], "version": claimed["item"]["version"], "note": secret_words})
    server.clock.advance(10)
    await mod.call("mod:resolve", {"item_id": item["id"], "version": claimed["item"]["version"] + 1,
                                   "outcome": "actioned", "note": secret_words})
    status, body = await _get(server, admin_token, "/api/audit")
    assert status == 200
    actions = [e["action"] for e in reversed(body["entries"])]
    assert actions == ["report", "flag", "claim", "context.read", "context.read", "held.read", "warn", "resolve"]
    assert secret_words not in str(body) and HELD.text not in str(body)
    report = next(e for e in body["entries"] if e["action"] == "report")
    assert report["actor"] == {"id": reporter_id, "role": "peer", "name": "Quiet Owl", "username": None}
    assert report["target"]["id"] == message["id"]
    flag = next(e for e in body["entries"] if e["action"] == "flag")
    assert flag["actor"] == {"id": None, "role": "system", "name": None, "username": None}
    by_actor = (await _get(server, admin_token, f"/api/audit?actor={mod_id}"))[1]["entries"]
    assert {e["actor"]["id"] for e in by_actor} == {mod_id} and len(by_actor) == 6
    held_reads = (await _get(server, admin_token, f"/api/audit?action=held.read&target={held['id']}"))[1]
    assert [e["actor"]["id"] for e in held_reads["entries"]] == [mod_id]
    late = (await _get(server, admin_token, f"/api/audit?since={iso(server.clock.now() - 1)}"))[1]["entries"]
    assert [e["action"] for e in late if e["action"] != "audit.read"] == ["resolve"]
    early = (await _get(server, admin_token, f"/api/audit?until={iso(server.clock.now() - 1)}&limit=2"))[1]
    assert len(early["entries"]) == 2 and early["next_before"] is not None
    older = (await _get(server, admin_token, f"/api/audit?before={early['next_before']}&limit=500"))[1]
    assert all(e["id"] < early["next_before"] for e in older["entries"])
    reads = (await _get(server, admin_token, "/api/audit?action=audit.read"))[1]["entries"]
    assert len(reads) >= 5


async def test_entries_say_who_where_and_whom_and_filter_by_name_and_room(server: RunningServer) -> None:
    mod_id, mod_token = await staff_token(server, Role.MODERATOR, "mira")
    mod = await server.connect(mod_token)
    await mod.call("mod:subscribe", {})
    _admin_id, token = await staff_token(server, Role.ADMIN, "root")
    author, author_id = await member(server, pseudonym="Ada")
    message = await say(author, "you never listen")
    reporter, reporter_id = await member(server, pseudonym="Quiet Owl")
    await reporter.call("message:report", {"message_id": message["id"], "reason": "harassment"})
    item = (await mod.wait_for("flag:new"))["item"]
    await flagged_message(server, author_id, HELD)
    asker, asker_id = await member(server, room="carers", pseudonym="Bo")
    assert (await asker.call("help:request", {"room": "carers"}))["ok"]
    claimed = await mod.call("mod:claim", {"item_id": item["id"], "version": item["version"]})
    resolved = await mod.call("mod:resolve", {"item_id": item["id"], "version": claimed["item"]["version"],
                                              "outcome": "no_action", "note": "talked it through"})
    assert resolved["ok"], resolved

    entries = (await _get(server, token, "/api/audit"))[1]["entries"]
    by_action = {e["action"]: e for e in entries}
    report = by_action["report"]
    assert report["actor"] == {"id": reporter_id, "role": "peer", "name": "Quiet Owl", "username": None}
    assert report["target"] == {"type": "message", "id": message["id"], "person": {"id": author_id, "name": "Ada"}}
    assert report["room"] == {"slug": "anxiety", "name": "Anxiety"} and report["detail"] == {"reason": "harassment"}
    resolve = by_action["resolve"]
    assert resolve["actor"] == {"id": mod_id, "role": "moderator", "name": "mira", "username": "mira"}
    assert resolve["detail"] == {"outcome": "no_action", "with_note": True} and resolve["item_id"] == item["id"]
    help_request = by_action["help.request"]
    assert help_request["target"]["person"] == {"id": asker_id, "name": "Bo"}
    assert help_request["room"] == {"slug": "carers", "name": "Carers"}

    async def actions(query: str) -> list[str]:
        status, body = await _get(server, token, f"/api/audit?{query}")
        assert status == 200, body
        return [e["action"] for e in body["entries"]]
    assert await actions("who=mira") == await actions("who=MIRA") == ["resolve", "claim"]
    assert await actions("who=quiet%20owl") == await actions("who=QuietOwl") == ["report"]
    assert await actions("who=system") == ["flag"]
    assert await actions("who=nobody") == []
    assert "report" in await actions("who=%20%20")  # a blank name filters nothing
    assert await actions("room=carers") == ["help.request"]
    assert "help.request" not in await actions("room=anxiety")
    assert await actions("room=anxiety&who=mira&action=claim") == ["claim"]
    status, body = await _get(server, token, "/api/audit?room=nowhere")
    assert status == 404 and body["error"]["field"] == "room"


async def test_a_resolutions_note_is_read_on_the_item_and_the_log_says_only_that_there_is_one(
        server: RunningServer, caplog: pytest.LogCaptureFixture) -> None:
    """Where the log points (README: "the note stays on the review item"): every way staff see a resolved item
    carries the note and who wrote it; peers and the server's logs never do, and the two agree on a blank note."""
    ann_id, ann_token = await staff_token(server, Role.MODERATOR, "ann")
    ann = await server.connect(ann_token)
    assert (await ann.call("mod:subscribe", {}))["ok"]
    bob = await staff(server, name="bob")
    _admin_id, admin_token = await staff_token(server, Role.ADMIN)
    author, _ = await member(server)
    message = await say(author, "you never listen")
    reporters = [(await member(server))[0] for _ in range(3)]
    await reporters[0].call("message:report", {"message_id": message["id"], "reason": "harassment"})
    item = (await ann.wait_for("flag:new"))["item"]
    assert (item["resolved_by"], item["resolution_note"]) == (None, None)

    note = "Spoke to them privately; <b>calmer</b> now"
    with caplog.at_level(logging.DEBUG):
        done = await ann.call("mod:resolve", {"item_id": item["id"], "version": item["version"],
                                              "outcome": "no_action", "note": f"  {note}\n"})
    resolved = done["item"]
    assert resolved["resolution_note"] == note and resolved["notes"] == []
    assert resolved["resolved_by"] == {"id": ann_id, "pseudonym": "ann", "role": "moderator"}
    assert (await bob.wait_for("flag:updated", lambda e: e["item"]["status"] == "resolved"))["item"] == resolved
    assert (await bob.call("mod:queue", {"status": "resolved"}))["items"] == [resolved]
    late = await bob.call("mod:claim", {"item_id": item["id"], "version": resolved["version"]})
    assert late["error"]["code"] == "already_resolved" and late["error"]["item"] == resolved
    entries = (await _get(server, admin_token, "/api/audit?action=resolve"))[1]["entries"]
    assert [e["detail"] for e in entries] == [{"outcome": "no_action", "with_note": True}]
    assert "calmer" not in str(entries) and "calmer" not in caplog.text
    for peer in (author, *reporters):
        assert "calmer" not in str(peer.events)

    # New information reopens it: a new episode, judged afresh, shows no earlier resolution.
    await reporters[1].call("message:report", {"message_id": message["id"], "reason": "spam"})
    reopened = (await bob.wait_for("flag:new", lambda e: e["item"]["version"] > resolved["version"]))["item"]
    assert reopened["status"] == "pending"
    assert (reopened["resolved_by"], reopened["resolution_note"]) == (None, None)
    blank = await bob.call("mod:resolve", {"item_id": item["id"], "version": reopened["version"],
                                           "outcome": "dismissed", "note": " \n "})
    assert blank["item"]["resolution_note"] is None and blank["item"]["resolved_by"]["pseudonym"] == "bob"
    entries = (await _get(server, admin_token, "/api/audit?action=resolve"))[1]["entries"]
    assert entries[0]["detail"] == {"outcome": "dismissed", "with_note": False}


async def test_a_confidential_rooms_words_never_reach_the_log(server: RunningServer) -> None:
    """A room that keeps no text and lets only admins read held words: the log stays ids and codes, whatever
    moderators type about it, so it can outlive the room's retention without keeping what was said."""
    _admin_id, token = await staff_token(server, Role.ADMIN, "root")
    status, _ = await call(server, "PATCH", "/api/rooms/carers/policy",
                           {"retention_days": 0, "held_originals": "admins", "contact": "hold"}, token=token)
    assert status == 200
    mod = await staff(server)
    ada, _ada_id = await member(server, room="carers", pseudonym="Ada")
    crisis_words = "I can't do this anymore, I want to kill myself tonight"
    await say(ada, crisis_words, room="carers")
    item = (await mod.wait_for("flag:new", lambda e: e["item"]["kind"] == "crisis"))["item"]
    assert item["live_text"] == crisis_words
    held_words = "write to me at ada.hidden@example.com"
    held = await say(ada, held_words, room="carers")
    assert held["status"] == "held"
    admin = await server.connect(token)
    assert (await admin.call("mod:context", {"message_id": held["id"]}))["message"]["original"] == held_words
    claimed = await mod.call("mod:claim", {"item_id": item["id"], "version": item["version"]})
    version = claimed["item"]["version"]
    assert (await mod.call("mod:warn", {"item_id": item["id"], "version": version, "note": crisis_words}))["ok"]
    assert (await mod.call("mod:resolve", {"item_id": item["id"], "version": version + 1, "outcome": "actioned",
                                           "note": f"She wrote: {crisis_words}"}))["ok"]
    seen = ""
    for query in ("", "room=carers", f"target={held['id']}", "action=warn", "action=resolve", "who=system"):
        status, body = await _get(server, token, f"/api/audit?{query}")
        assert status == 200 and body["entries"], (query, body)
        seen += str(body)
    assert "held.read" in seen and "with_note" in seen
    for words in (crisis_words, "kill myself", held_words, "ada.hidden"):
        assert words not in seen


async def test_bad_audit_filters_are_refused(server: RunningServer) -> None:
    _admin_id, token = await staff_token(server, Role.ADMIN)
    for query in ("since=yesterday", "until=2026-13-01", "limit=0", "limit=501", "before=-3", "limit=x"):
        status, body = await _get(server, token, f"/api/audit?{query}")
        assert status == 400 and body["error"]["code"] == "invalid", query


async def test_team_figures_over_http(server: RunningServer) -> None:
    mod = await staff(server)
    _admin_id, token = await staff_token(server, Role.ADMIN)
    asker, _ = await member(server)
    await asker.call("help:request", {})
    item = (await mod.wait_for("flag:new"))["item"]
    server.clock.advance(30)
    claimed = await mod.call("mod:claim", {"item_id": item["id"], "version": item["version"]})
    server.clock.advance(90)
    await mod.call("mod:resolve", {"item_id": item["id"], "version": claimed["item"]["version"], "outcome": "actioned"})
    other, _ = await member(server)
    await other.call("help:request", {})
    server.clock.advance(5)
    status, figures = await _get(server, token, "/api/moderation/report")
    assert status == 200
    imminent = figures["severities"]["imminent"]
    assert imminent["raised"] == 2 and imminent["open"] == 1
    assert imminent["time_to_claim"]["median_seconds"] == 30 and imminent["time_to_resolve"]["median_seconds"] == 120
    assert figures["queue_length"] == 1 and figures["oldest_open_age_seconds"] == 5
    status, body = await _get(server, token, "/api/moderation/report?days=0")
    assert status == 400
