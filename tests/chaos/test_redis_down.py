"""Redis stops and comes back: each process keeps serving its own clients, readiness says degraded, rate
limits fall back to stricter per-process buckets (never open), and everything recovers."""
from __future__ import annotations

import asyncio
from typing import Any

from tests.processes import CROSS_PROCESS_PUSH_S, Cluster, RedisServer, eventually


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
            await cy.wait_for("message:new", lambda m: m["seq"] == seq, timeout=CROSS_PROCESS_PUSH_S)
        except TimeoutError:
            return False
        return True
    assert await eventually(cross_process_again, timeout=30, every=0.5)
    assert reply["ok"]


async def _is(value: Any, expected: str) -> bool:
    return bool(await value == expected)


async def _help(peer: Any) -> Any:
    reply = await peer.call("help:request", {"room": "anxiety"})
    assert reply["ok"] and reply["alerted"] is True, reply
    return reply


async def test_during_an_outage_a_peer_is_told_only_what_their_process_knows_about_moderators(
        cluster: Cluster, own_redis: RedisServer) -> None:
    from tests.scale.test_multiprocess import _moderator, _moderator_token, _subscribed
    one, two = await cluster.start(2, own_redis.url)
    for server in (one, two):
        assert await eventually(lambda: _is(_redis_state(server), "ok:ok"), timeout=15)
    await _moderator(cluster, one)
    near, far = await cluster.track(await one.joined()), await cluster.track(await two.joined())
    assert await eventually(lambda: _online_says(far, True), timeout=5)

    own_redis.stop()
    for server in (one, two):
        assert await eventually(lambda: _is(_redis_state(server), "down:degraded"))
    unknown = await _help(far)  # nobody on its process, and it cannot see the other one
    assert unknown["moderator_online"] is None
    assert "can't tell right now whether a moderator is online" in unknown["message"]
    assert "emergency" in unknown["message"] and "no moderator is online" not in unknown["message"]
    assert (await _help(near))["moderator_online"] is True  # the moderator is on this process
    colleague = await _subscribed(cluster, two, await _moderator_token(cluster, one, "colleague"))
    assert (await colleague.call("mod:subscribe", {}))["moderators_online"] is None  # one here; elsewhere unknown
    await colleague.close()

    await own_redis.start()  # empty: every process publishes what it holds again
    answers = []
    while not answers or answers[-1] is not True:
        answers.append((await _help(far))["moderator_online"])
        assert len(answers) < 150, answers
        await asyncio.sleep(0.1)
    assert False not in answers, answers  # never "nobody is online" while the moderator's process re-publishes


async def _online_says(peer: Any, online: bool | None) -> bool:
    return bool((await _help(peer))["moderator_online"] is online)
