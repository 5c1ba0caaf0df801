"""Escalation of unclaimed imminent items: re-alerts staff and POSTs a signed webhook (a real receiver)."""
from __future__ import annotations

import hashlib
import hmac
from typing import Any, AsyncIterator

import orjson
import pytest
from aiohttp import web

from server.identity.roles import Role
from server.moderation.escalation import escalate_unclaimed
from tests.harness import RunningServer, ServerFactory
from tests.moderation.factories import member, staff

SECRET = "webhook-secret-0123456789"


class Receiver:
    def __init__(self) -> None:
        self.calls: list[tuple[dict[str, str], bytes]] = []
        self.status = 204
        self.url = ""


@pytest.fixture
async def receiver() -> AsyncIterator[Receiver]:
    got = Receiver()

    async def hook(request: web.Request) -> web.Response:
        got.calls.append((dict(request.headers), await request.read()))
        return web.Response(status=got.status)

    app = web.Application()
    app.router.add_post("/hook", hook)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    got.url = f"http://127.0.0.1:{runner.addresses[0][1]}/hook"
    yield got
    await runner.cleanup()


async def _with_webhook(make_server: ServerFactory, receiver: Receiver) -> RunningServer:
    return await make_server(review_tick=3600.0, escalation_webhook_url=receiver.url,
                             escalation_webhook_secret=SECRET)


async def test_unclaimed_imminent_item_escalates_once_with_a_signed_webhook(make_server: ServerFactory,
                                                                            receiver: Receiver) -> None:
    server = await _with_webhook(make_server, receiver)
    watching = await staff(server)
    away_admin = await staff(server, Role.ADMIN, subscribe=False)
    asker, _ = await member(server)
    await asker.call("help:request", {"room": "anxiety"})
    item = (await watching.wait_for("flag:new"))["item"]
    server.clock.advance(59)
    await escalate_unclaimed(server.services)
    assert receiver.calls == [] and not watching.received("flag:escalated")
    server.clock.advance(2)
    await escalate_unclaimed(server.services)
    for client in (watching, away_admin):
        escalated = await client.wait_for("flag:escalated")
        assert escalated["item"]["id"] == item["id"] and escalated["item"]["escalated_at"]
    assert len(receiver.calls) == 1
    headers, body = receiver.calls[0]
    expected = hmac.new(SECRET.encode(), headers["X-Peerchat-Timestamp"].encode() + b"." + body,
                        hashlib.sha256).hexdigest()
    assert headers["X-Peerchat-Signature"] == f"sha256={expected}"
    sent: dict[str, Any] = orjson.loads(body)
    assert sent["event"] == "crisis.escalated" and sent["item"]["id"] == item["id"]
    assert set(sent["item"]) == {"id", "kind", "severity", "priority", "room", "created_at", "escalated_at"}
    server.clock.advance(120)
    await escalate_unclaimed(server.services)
    assert len(receiver.calls) == 1 and server.services.moderation.metrics.escalations == 1


async def test_a_claimed_or_lower_item_does_not_escalate(make_server: ServerFactory, receiver: Receiver) -> None:
    server = await _with_webhook(make_server, receiver)
    mod = await staff(server)
    asker, _ = await member(server)
    await asker.call("help:request", {})
    item = (await mod.wait_for("flag:new"))["item"]
    await mod.call("mod:claim", {"item_id": item["id"], "version": item["version"]})
    author, _ = await member(server)
    message = await author.call("message:send", {"room": "anxiety", "text": "hi", "client_msg_id": "a"})
    reporter, _ = await member(server)
    await reporter.call("message:report", {"message_id": message["message"]["id"], "reason": "spam"})
    server.clock.advance(3600)
    await escalate_unclaimed(server.services)
    assert receiver.calls == [] and not mod.received("flag:escalated")


async def test_other_crisis_items_escalate_later_than_imminent_ones(
        make_server: ServerFactory, receiver: Receiver) -> None:
    server = await _with_webhook(make_server, receiver)
    mod = await staff(server)
    author, _ = await member(server)
    message = await author.call("message:send", {"room": "anxiety", "text": "hi", "client_msg_id": "a"})
    reporter, _ = await member(server)
    await reporter.call("message:report", {"message_id": message["message"]["id"], "reason": "crisis"})
    item = (await mod.wait_for("flag:new"))["item"]
    assert item["kind"] == "crisis" and item["severity"] == "high"
    server.clock.advance(server.services.settings.escalate_crisis_after - 1)
    await escalate_unclaimed(server.services)
    assert receiver.calls == [] and not mod.received("flag:escalated")
    server.clock.advance(2)
    await escalate_unclaimed(server.services)
    assert (await mod.wait_for("flag:escalated"))["item"]["id"] == item["id"]
    assert len(receiver.calls) == 1


async def test_webhook_failure_is_counted_and_alerts_still_go_out(make_server: ServerFactory,
                                                                  receiver: Receiver) -> None:
    receiver.status = 500
    server = await _with_webhook(make_server, receiver)
    mod = await staff(server)
    asker, _ = await member(server)
    await asker.call("help:request", {})
    server.clock.advance(61)
    await escalate_unclaimed(server.services)
    await mod.wait_for("flag:escalated")
    assert server.services.moderation.metrics.webhook_failures == 1


async def test_escalation_without_webhook_configured(server: RunningServer) -> None:
    admin = await staff(server, Role.ADMIN)
    asker, _ = await member(server)
    await asker.call("help:request", {})
    server.clock.advance(61)
    await escalate_unclaimed(server.services)
    escalated = await admin.wait_for("flag:escalated")
    assert escalated["item"]["kind"] == "help"
    audit = await admin.call("mod:queue", {})
    assert audit["items"][0]["escalated_at"] is not None
