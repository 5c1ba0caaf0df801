"""Several `peerchat serve` processes on one PostgreSQL and one Redis behave as one service."""
from __future__ import annotations

import asyncio
import time
from typing import Any

import aiohttp
from prometheus_client.parser import text_string_to_metric_families

from server.clock import SystemClock
from server.identity.accounts import do_create_staff
from server.identity.roles import Role
from server.settings import RateLimits
from server.storage.database import Database
from tests.harness import Client
from tests.moderation.factories import PASSWORD
from tests.processes import Cluster, ServerProcess, eventually, redis_url


async def _online(client: Any, room: str = "anxiety") -> int:
    reply = await client.call("rooms:list", {})
    return int(next(r["online"] for r in reply["rooms"] if r["slug"] == room))


async def test_a_message_sent_on_one_process_reaches_clients_on_all(cluster: Cluster) -> None:
    servers = await cluster.start(3, redis_url())
    clients = [await cluster.track(await server.joined()) for server in servers]
    reply = await clients[0].call("message:send", {"room": "anxiety", "text": "hello all", "client_msg_id": "a1"})
    assert reply["ok"], reply
    for client in clients:
        message = await client.wait_for("message:new", lambda m: m["text"] == "hello all")
        assert message["seq"] == 1
    await clients[2].call("typing", {"room": "anxiety"})
    await clients[0].wait_for("typing")
    await asyncio.sleep(0.2)
    for client in clients:
        assert len(client.received("message:new")) == 1


async def test_presence_counts_and_members_are_shared(cluster: Cluster) -> None:
    one, two = await cluster.start(2, redis_url())
    ada = await cluster.track(await one.joined())
    await eventually(lambda: _on(two, 1))
    bo = await cluster.track(await two.joined())
    assert await eventually(lambda: _equals(_online(ada), 2))
    assert await eventually(lambda: _equals(_online(bo), 2))
    joined = await ada.wait_for("member:joined")
    assert joined["member"]["mode"] == "participant"
    status, body = await one.get_json("/api/rooms")
    assert next(r["online"] for r in body["rooms"] if r["slug"] == "anxiety") == 2
    await bo.close()
    assert await eventually(lambda: _equals(_online(ada), 1))
    await ada.wait_for("member:left")


async def _on(server: Any, count: int) -> bool:
    _, body = await server.get_json("/api/rooms")
    return bool(next(r["online"] for r in body["rooms"] if r["slug"] == "anxiety") == count)


async def _equals(value: Any, expected: int) -> bool:
    return bool(await value == expected)


async def test_a_second_join_on_another_process_is_not_announced_twice(cluster: Cluster) -> None:
    one, two = await cluster.start(2, redis_url())
    watcher = await cluster.track(await one.joined())
    token = await one.token()
    await cluster.track(await one.joined(token=token))
    await eventually(lambda: _on(two, 2))
    await cluster.track(await two.joined(token=token))
    await asyncio.sleep(0.5)
    assert len(watcher.received("member:joined")) == 1
    assert await _online(watcher) == 2


async def test_pseudonyms_are_unique_across_processes(cluster: Cluster) -> None:
    one, two = await cluster.start(2, redis_url())
    await cluster.track(await one.client(await one.token("Ada")))

    async def taken() -> bool:
        import aiohttp
        async with aiohttp.ClientSession() as http:
            async with http.post(two.url + "/api/session", json={"pseudonym": "ada"}) as response:
                body = await response.json()
                return response.status == 409 and body["error"]["code"] == "pseudonym_taken"
    assert await eventually(taken)


async def test_rate_limits_are_shared_by_all_processes(cluster: Cluster) -> None:
    """One person sends a burst's worth on each of two processes, alternating: with a bucket per process all
    of it would be accepted. The shared bucket takes the burst, then only what refilled while the sends ran,
    which the test bounds by its own measure of that time (the servers use the same wall clock)."""
    limit = RateLimits().send_message
    assert limit is not None
    servers = await cluster.start(2, redis_url(), PEERCHAT_RATE_LIMITS="true")
    token = await servers[0].token()
    clients = [await cluster.track(await server.joined(token=token)) for server in servers]
    sent: list[tuple[int, Any]] = []
    started = time.time()
    for i in range(2 * limit.burst):
        reply = await clients[i % 2].call("message:send", {"room": "anxiety", "text": f"m{i}",
                                                           "client_msg_id": f"c{i}"})
        sent.append((i % 2, reply))
    refill = (time.time() - started) * limit.per_second
    replies = [reply for _, reply in sent]
    assert all(r["ok"] for r in replies[:limit.burst]), replies
    refused = [r for r in replies if not r["ok"]]
    # 0.01: Redis keeps the bucket's times to 14 digits (0.1 ms). Something is refused unless the sends took
    # burst / per_second (10 s), the time per-process buckets would need to look shared.
    assert refused and len(replies) - len(refused) <= limit.burst + refill + 0.01, (refill, replies)
    # retry_after is at most one token's refill (a process's own fallback bucket, at half the rate, can say more)
    assert all(r["error"]["code"] == "rate_limited" and 0 < r["error"]["retry_after"] <= 1 / limit.per_second
               for r in refused), refused
    for index, server in enumerate(servers):
        told = sum(1 for at, r in sent if at == index and not r["ok"])
        assert await _rate_limited_sends(server) == told


async def _rate_limited_sends(server: ServerProcess) -> float:
    """The process's own count of sends refused by the rate limit (0 before its first)."""
    return sum(sample.value for family in text_string_to_metric_families(await server.text("/metrics"))
               for sample in family.samples
               if sample.name == "peerchat_rate_limited_total" and sample.labels.get("action") == "send_message")


async def _moderator_token(cluster: Cluster, server: ServerProcess, username: str = "mo") -> str:
    db = Database.from_url(cluster.database_url)
    try:
        await do_create_staff(db, SystemClock(), role=Role.MODERATOR, username=username, password=PASSWORD)
    finally:
        await db.close()
    async with aiohttp.ClientSession() as http:
        async with http.post(server.url + "/api/login", json={"username": username, "password": PASSWORD}) as response:
            body = await response.json()
            assert response.status == 200, body
    return str(body["token"])


async def _subscribed(cluster: Cluster, server: ServerProcess, token: str) -> Client:
    mod = await cluster.track(await server.client(token))
    assert (await mod.call("mod:subscribe", {}))["ok"]
    return mod


async def _moderator(cluster: Cluster, server: ServerProcess, username: str = "mo") -> Client:
    return await _subscribed(cluster, server, await _moderator_token(cluster, server, username))


async def _reported_item(author: Client, reporter: Client, mod: Client, text: str) -> Any:
    """The review item a peer's report of the author's message raises, as the moderator sees it arrive."""
    sent = await author.call("message:send", {"room": "anxiety", "text": text, "client_msg_id": "reported"})
    await reporter.wait_for("message:new", lambda m: m["id"] == sent["message"]["id"])
    await reporter.call("message:report", {"message_id": sent["message"]["id"], "reason": "harassment"})
    return (await mod.wait_for("flag:new"))["item"]


async def test_a_kick_on_one_process_removes_the_person_from_the_room_on_every_process(cluster: Cluster) -> None:
    one, two = await cluster.start(2, redis_url())
    mod = await _moderator(cluster, one)
    watcher = await cluster.track(await one.joined())
    author = await cluster.track(await two.joined())
    item = await _reported_item(author, watcher, mod, "go away")
    await eventually(lambda: _on(one, 2))  # process one sees the author (on two) in the room

    kicked = await mod.call("mod:kick", {"item_id": item["id"], "version": item["version"]})
    assert kicked["ok"], kicked
    asked = time.monotonic()
    assert (await author.wait_for("room:removed"))["room"] == "anxiety"
    await watcher.wait_for("member:left", lambda e: e["member"]["id"] == kicked["kicked"]["user_id"])
    took = time.monotonic() - asked
    assert took < 2.0, took  # one look at the counters (1 s) and one presence notice, with slack
    again = await author.call("message:send", {"room": "anxiety", "text": "still here?", "client_msg_id": "k2"})
    assert again["error"]["code"] == "not_member"
    assert author.sio.connected


async def test_a_moderator_still_connected_to_another_process_keeps_their_claims(cluster: Cluster) -> None:
    one, two = await cluster.start(2, redis_url(), PEERCHAT_CLAIM_RELEASE_SECONDS="10")
    token = await _moderator_token(cluster, one)
    on_one, on_two = await _subscribed(cluster, one, token), await _subscribed(cluster, two, token)
    colleague = await _moderator(cluster, one, "colleague")
    reporter = await cluster.track(await one.joined())
    author = await cluster.track(await one.joined())
    item = await _reported_item(author, reporter, colleague, "whatever")
    assert (await on_two.call("mod:claim", {"item_id": item["id"], "version": item["version"]}))["ok"]

    await on_two.close()  # process two sees them leave; process one still has them
    await asyncio.sleep(13)  # past the 10 s release timeout and a tick of every process's job
    queue = await colleague.call("mod:queue", {})
    assert [i["status"] for i in queue["items"] if i["id"] == item["id"]] == ["claimed"]

    await on_one.close()
    released = await colleague.wait_for("flag:updated", lambda e: e["item"]["id"] == item["id"]
                                        and e["item"]["status"] == "pending", timeout=20)
    assert released["item"]["claimed_by"] is None
