"""Redis stops and comes back: each process keeps serving its own clients, readiness says degraded, rate
limits fall back to stricter per-process buckets (never open), and everything recovers."""
from __future__ import annotations

from typing import Any

from tests.processes import Cluster, RedisServer, eventually


async def _redis_state(server: Any) -> str:
    status, body = await server.get_json("/readyz")
    assert status == 200, body
    return str(body["redis"]) + ":" + str(body["status"])


async def test_processes_survive_a_redis_outage_and_recover(cluster: Cluster, own_redis: RedisServer) -> None:
    one, two = await cluster.start(2, own_redis.url, PEERCHAT_RATE_LIMITS="true")
    for server in (one, two):  # the first send must count on Redis, not on a link still connecting
        assert await eventually(lambda: _is(_redis_state(server), "ok:ok"), timeout=15)
    token = await one.token()
    ada = await cluster.track(await one.joined(token=token))
    bo = await cluster.track(await one.joined())
    cy = await cluster.track(await two.joined())
    reply = await ada.call("message:send", {"room": "anxiety", "text": "before", "client_msg_id": "m0"})
    await cy.wait_for("message:new", lambda m: m["seq"] == 1)

    own_redis.stop()
    for server in (one, two):
        assert await eventually(lambda: _is(_redis_state(server), "down:degraded"))
    replies = [await ada.call("message:send", {"room": "anxiety", "text": f"during {i}", "client_msg_id": f"d{i}"})
               for i in range(8)]
    accepted = [r for r in replies if r["ok"]]
    # stricter per-process fallback: half the burst of 10 (one was spent before the outage, on Redis)
    assert len(accepted) == 5, [str(r)[:150] for r in replies]
    assert all(r["error"]["code"] == "rate_limited" for r in replies if not r["ok"])
    last = accepted[-1]["message"]["seq"]
    await bo.wait_for("message:new", lambda m: m["seq"] == last)  # same process: still live
    metrics = await one.text("/metrics")
    assert "peerchat_redis_up 0.0" in metrics

    await own_redis.start()
    for server in (one, two):
        assert await eventually(lambda: _is(_redis_state(server), "ok:ok"), timeout=15)
    missed = await cy.call("room:resume", {"room": "anxiety", "after": 1})
    assert [m["seq"] for m in missed["messages"]] == list(range(2, last + 1))

    async def cross_process_again() -> bool:
        reply = await bo.call("message:send", {"room": "anxiety", "text": f"after {len(bo.events)}",
                                               "client_msg_id": f"a{len(bo.events)}"})
        assert reply["ok"], reply
        seq = reply["message"]["seq"]
        try:
            await cy.wait_for("message:new", lambda m: m["seq"] == seq, timeout=1)
        except TimeoutError:
            return False
        return True
    assert await eventually(cross_process_again, timeout=30, every=0.5)
    assert reply["ok"]


async def _is(value: Any, expected: str) -> bool:
    return bool(await value == expected)
