"""The once-per-deployment jobs (retention, escalation, session transitions) run in exactly one of several
processes: the holder of the Redis lease. Another takes over when it dies or shuts down, and every process
runs them while Redis is unreachable (fail safe). Counted through each process's /metrics."""
from __future__ import annotations

import asyncio
import re
import signal
import time

import redis.asyncio as aioredis

from server.shared.lease import LEASE_SECONDS
from server.shared.link import HEARTBEAT_SECONDS
from tests.processes import Cluster, RedisServer, ServerProcess, eventually, redis_url

ONCE = ("review_escalation", "session_transitions")
EVERYWHERE = ("live_config", "claim_release")
FAST_TICKS = {"PEERCHAT_SESSION_TICK_SECONDS": "1"}
# The lease expires, a survivor's next heartbeat takes it, its next one-second job tick runs; plus slack
# for a loaded two-core machine.
TAKEOVER_BOUND = LEASE_SECONDS + HEARTBEAT_SECONDS + 1.0 + 3.0


async def _figures(server: ServerProcess) -> dict[str, float]:
    """peerchat_jobs_leader as "leader", and each job's peerchat_job_runs_total under the job's name."""
    text = await server.text("/metrics")
    runs = {m[1]: float(m[2]) for m in re.finditer(r'^peerchat_job_runs_total\{job="(\w+)"\} (\S+)$', text, re.M)}
    leader = re.search(r"^peerchat_jobs_leader (\S+)$", text, re.M)
    assert leader is not None, text[-2000:]
    return {**runs, "leader": float(leader[1])}


async def _all(servers: list[ServerProcess]) -> list[dict[str, float]]:
    return list(await asyncio.gather(*(_figures(s) for s in servers)))


async def _one_leader_running(servers: list[ServerProcess]) -> ServerProcess | None:
    """The single process that leads and has run the jobs since it took over, when there is exactly one."""
    figures = await _all(servers)
    leaders = [s for s, f in zip(servers, figures) if f["leader"] == 1.0]
    if len(leaders) != 1:
        return None
    await asyncio.sleep(2.5)  # two more one-second ticks: only the leader's once-jobs move
    after = await _all(servers)
    moved = [s for s, before, now in zip(servers, figures, after)
             if any(now[job] > before[job] for job in ONCE)]
    return leaders[0] if moved == leaders else None


async def test_exactly_one_process_runs_the_jobs_and_another_takes_over_when_it_dies(cluster: Cluster) -> None:
    servers = await cluster.start(3, redis_url(), **FAST_TICKS)
    leader = await eventually(lambda: _one_leader_running(servers), timeout=15)
    figures = await _all(servers)
    for server, counts in zip(servers, figures):
        for job in EVERYWHERE:
            assert counts[job] > 0, (job, counts)
        if server is not leader:
            assert counts["leader"] == 0.0 and all(counts[job] == 0.0 for job in ONCE), counts
    assert all(figures[servers.index(leader)][job] > 0 for job in ONCE)

    leader.stop()  # SIGKILL: no release, the lease has to expire
    killed_at = time.monotonic()
    survivors = [s for s in servers if s is not leader]
    successor = await eventually(lambda: _one_leader_running(survivors), timeout=TAKEOVER_BOUND + 5)
    took = time.monotonic() - killed_at
    assert took <= TAKEOVER_BOUND + 2.5, took  # _one_leader_running itself watches for 2.5 s
    other = next(s for s in survivors if s is not successor)
    assert all(count == 0.0 for job, count in (await _figures(other)).items() if job in ONCE + ("leader",))


async def test_a_leader_that_shuts_down_hands_the_lease_back(cluster: Cluster) -> None:
    url = redis_url()
    servers = await cluster.start(2, url, **FAST_TICKS)
    leader = await eventually(lambda: _one_leader_running(servers), timeout=15)
    key = f"{leader.env['PEERCHAT_REDIS_PREFIX']}:jobs_leader"
    redis = aioredis.Redis.from_url(url, decode_responses=True)
    try:
        holder = await redis.get(key)
        assert holder
        leader.signal(signal.SIGTERM)
        assert leader.proc is not None
        await asyncio.to_thread(leader.proc.wait, 20)
        # Without the release the key would keep the old holder for up to LEASE_SECONDS after its last renewal.
        assert await redis.get(key) != holder
    finally:
        await redis.aclose()
    survivor = next(s for s in servers if s is not leader)
    assert await eventually(lambda: _one_leader_running([survivor]), timeout=HEARTBEAT_SECONDS + 5) is survivor


async def test_every_process_runs_the_jobs_while_redis_is_down(cluster: Cluster, own_redis: RedisServer) -> None:
    servers = await cluster.start(2, own_redis.url, **FAST_TICKS)
    await eventually(lambda: _one_leader_running(servers), timeout=15)
    own_redis.stop()

    async def both_run() -> bool:
        before = await _all(servers)
        await asyncio.sleep(2.5)
        after = await _all(servers)
        return all(f["leader"] == 1.0 and all(a[job] > f[job] for job in ONCE) for f, a in zip(before, after))
    assert await eventually(both_run, timeout=15)

    await own_redis.start()
    assert await eventually(lambda: _one_leader_running(servers), timeout=20)


async def test_a_process_without_redis_runs_the_jobs_itself(cluster: Cluster) -> None:
    server, = await cluster.start(1, None, **FAST_TICKS)
    assert await eventually(lambda: _one_leader_running([server]), timeout=15) is server
