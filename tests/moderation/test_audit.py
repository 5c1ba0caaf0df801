"""The audit log over HTTP: every action and read is there, filterable, and never holds a message body."""
from __future__ import annotations

from typing import Any

import aiohttp

from server.clock import iso
from server.identity.roles import Role
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
    reporter, reporter_id = await member(server)
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
    assert report["actor"] == {"id": reporter_id, "role": "peer"} and report["target"]["id"] == message["id"]
    flag = next(e for e in body["entries"] if e["action"] == "flag")
    assert flag["actor"] == {"id": None, "role": "system"}
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
