"""Room-first routing across two real processes on one PostgreSQL and one Redis: an assignment made on one
process holds on the other, a report raised on one process alerts the room's moderator watching on the
other first, everyone after PEERCHAT_ROOM_ROUTING_SECONDS (the job runs once, wherever the lease is), and
once that moderator has gone from every process, the room's next report goes to everyone at once."""
from __future__ import annotations

import asyncio
import uuid
from typing import Any

import aiohttp

from server.clock import SystemClock
from server.identity.accounts import do_create_staff
from server.identity.roles import Role
from server.storage.database import Database
from tests.harness import Client
from tests.processes import CROSS_PROCESS_PUSH_S, Cluster, ServerProcess, eventually, redis_url
from tests.scale.test_multiprocess import PASSWORD, _moderator

ROUTING_SECONDS = 3


async def _admin_token(cluster: Cluster, server: ServerProcess) -> str:
    db = Database.from_url(cluster.database_url)
    try:
        await do_create_staff(db, SystemClock(), role=Role.ADMIN, username="root", password=PASSWORD)
    finally:
        await db.close()
    async with aiohttp.ClientSession() as http:
        async with http.post(server.url + "/api/login", json={"username": "root", "password": PASSWORD}) as response:
            return str((await response.json())["token"])


async def _assign(server: ServerProcess, token: str, *names: str) -> None:
    async with aiohttp.ClientSession() as http:
        async with http.put(server.url + "/api/rooms/anxiety/moderators", json={"moderators": list(names)},
                            headers={"Authorization": f"Bearer {token}"}) as response:
            assert response.status == 200, await response.text()


async def _report(cluster: Cluster, server: ServerProcess, text: str) -> str:
    author = await cluster.track(await server.joined())
    reporter = await cluster.track(await server.joined())
    sent = await author.call("message:send", {"room": "anxiety", "text": text, "client_msg_id": uuid.uuid4().hex})
    assert sent["ok"], sent
    await reporter.wait_for("message:new", lambda m: m["id"] == sent["message"]["id"])
    reply = await reporter.call("message:report", {"message_id": sent["message"]["id"], "reason": "spam"})
    assert reply["ok"], reply
    return str(sent["message"]["id"])


async def _online(mod: Client, count: int) -> Any:
    reply = await mod.call("mod:subscribe", {})
    return reply if reply["moderators_online"] == count else None


async def test_routing_holds_across_processes(cluster: Cluster) -> None:
    one, two = await cluster.start(2, redis_url(), PEERCHAT_ROOM_ROUTING_SECONDS=str(ROUTING_SECONDS))
    other = await _moderator(cluster, one, "othermod")
    own = await _moderator(cluster, two, "anxmod")
    await _assign(one, await _admin_token(cluster, one), "anxmod")
    assert (await own.wait_for("moderator:rooms"))["rooms"] == ["anxiety"]  # told on its own process
    await eventually(lambda: _online(other, 2), timeout=5)  # process one sees the moderator on process two

    message_id = await _report(cluster, one, "cheap watches")
    item = (await own.wait_for("flag:new", lambda e: e["item"]["target"]["id"] == message_id))["item"]
    assert item["room_first_until"] and item["room"] == "anxiety"
    await asyncio.sleep(1)
    assert other.received("flag:new") == []
    listed = (await other.call("mod:queue", {}))["items"]
    assert [i["id"] for i in listed] == [item["id"]]  # never hidden from anyone's queue
    widened = (await other.wait_for("flag:new", timeout=ROUTING_SECONDS + 5))["item"]
    assert widened["id"] == item["id"] and widened["room_first_until"] is None
    await asyncio.sleep(1.5)
    assert len(other.received("flag:new")) == 1  # widened once, by one process

    await own.close()
    await eventually(lambda: _online(other, 1), timeout=5)
    second = await _report(cluster, two, "more watches")
    alert = (await other.wait_for("flag:new", lambda e: e["item"]["target"]["id"] == second,
                                  timeout=CROSS_PROCESS_PUSH_S))["item"]
    # At once, not widened by the job later (which bumps the version): the item's first alert reached everyone.
    assert alert["room_first_until"] is None and alert["version"] == 1, alert
