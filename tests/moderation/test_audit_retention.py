"""Retention of the audit trails: entries of the moderation audit log and of the admin changes older than
PEERCHAT_AUDIT_RETENTION_DAYS go in bounded batches, the run is recorded and measured, one server of a
deployment runs it, and 0 keeps them."""
from __future__ import annotations

import asyncio
import time
import uuid

from prometheus_client import REGISTRY
from sqlalchemy import func, select

from server.moderation.audit_retention import JOB_NAME, do_purge_audit
from server.moderation.people import MAX_MUTE_MINUTES
from server.storage.admin_models import AdminChange, RuleMute, WatchedHit
from server.storage.jobs import JobStore
from server.storage.review_models import AuditEntry, Mute
from server.storage.session_models import SessionEvent
from tests.admin.api import PASSWORD, call, staff_token
from tests.harness import RunningServer, ServerFactory
from tests.moderation.factories import member, say, staff
from tests.processes import redis_url
from tests.rooms import sessionkit as kit

DAY = 86_400


async def _counts(server: RunningServer) -> tuple[int, int]:
    async with server.services.db.read() as session:
        audit = (await session.execute(select(func.count()).select_from(AuditEntry))).scalar_one()
        changes = (await session.execute(select(func.count()).select_from(AdminChange))).scalar_one()
    return int(audit), int(changes)


async def _activity(server: RunningServer, token: str, name: str, reads: int) -> None:
    """`reads` moderation audit entries (each read of the log is one) and one admin change."""
    for _ in range(reads):
        assert (await call(server, "GET", "/api/audit?limit=1", token=token))[0] == 200
    status, body = await call(server, "POST", "/api/staff",
                              {"username": name, "role": "moderator", "password": "a long enough password"},
                              token=token)
    assert status == 201, body


async def _sign_in(server: RunningServer) -> str:
    status, body = await server.post("/api/login", {"username": "root", "password": PASSWORD})
    assert status == 200, body
    return str(body["token"])


async def test_old_entries_go_in_bounded_batches_and_each_run_is_recorded(server: RunningServer) -> None:
    token = await staff_token(server)
    await _activity(server, token, "old1", 3)
    await _activity(server, token, "old2", 2)
    server.clock.advance(200 * DAY)
    token = await _sign_in(server)
    await _activity(server, token, "recent", 1)
    server.clock.advance(166 * DAY)  # the first five reads and three changes (root's account too): 366 days old
    assert await _counts(server) == (6, 4)

    first = await do_purge_audit(server.services.db, server.clock, 365, batch=2, max_batches=1)
    assert (first.removed["moderation"], first.removed["admin_changes"], first.more) == (2, 2, True)
    assert await _counts(server) == (4, 2)
    second = await do_purge_audit(server.services.db, server.clock, 365, batch=2)
    assert (second.removed["moderation"], second.removed["admin_changes"], second.more) == (3, 1, False)
    assert await _counts(server) == (1, 1)  # the recent read and the recent change stay
    async with server.services.db.read() as session:
        entries = (await session.execute(select(AuditEntry))).scalars().all()
        change = (await session.execute(select(AdminChange))).scalar_one()
        run = await JobStore(session).get(JOB_NAME)
    assert [e.at for e in entries] == [server.clock.now() - 166 * DAY] and change.target == "staff:recent"
    assert run is not None and run.runs == 2 and run.last_removed == 4 and run.last_run_at == server.clock.now()

    server.clock.advance(3650 * DAY)
    kept = await do_purge_audit(server.services.db, server.clock, 0)
    assert kept.total == 0 and await _counts(server) == (1, 1)  # 0 keeps them for ever


async def _activity_rows(server: RunningServer) -> dict[str, int]:
    async with server.services.db.read() as session:
        return {model.__tablename__: int((await session.execute(select(func.count()).select_from(model))).scalar_one())
                for model in (SessionEvent, Mute, RuleMute, WatchedHit)}


async def _muted_by_a_moderator(server: RunningServer, peer_id: str, message: dict[str, object]) -> None:
    """Another peer reports `message`; a moderator mutes its author in the room for as long as a mute lasts."""
    mod = await staff(server)
    reporter, _ = await member(server)
    assert (await reporter.call("message:report", {"message_id": message["id"], "reason": "harassment"}))["ok"]
    item = (await mod.wait_for("flag:new", lambda e: e["item"]["subject"]["id"] == peer_id))["item"]
    muted = await mod.call("mod:mute", {"item_id": item["id"], "version": item["version"],
                                        "minutes": MAX_MUTE_MINUTES})
    assert muted["ok"], muted


async def test_the_facilitation_trail_ended_mutes_and_watched_word_hits_go_with_the_audit(
        server: RunningServer) -> None:
    """Who a facilitator muted or removed (with the reason), who was muted by a rule and who tripped one are records
    of people like the audit log's: kept as long, then deleted. A mute still in force is never old."""
    token = await staff_token(server)
    rule = {"kind": "word", "text": "bozo", "action": "mute", "mute_minutes": MAX_MUTE_MINUTES}
    assert (await call(server, "POST", "/api/watched-words", rule, token))[0] == 201
    peer, peer_id = await member(server)
    unkind = await say(peer, "something unkind")
    sent = await peer.call("message:send", {"room": "anxiety", "text": "you bozo", "client_msg_id": "m1"})
    assert sent["ok"] and sent["message"]["status"] == "blocked"
    await _muted_by_a_moderator(server, peer_id, unkind)
    await kit.schedule(server, await kit.staff_token(server, "facilitator", "fran"))
    assert await _activity_rows(server) == {"session_events": 1, "mutes": 1, "rule_mutes": 1, "watched_hits": 1}

    server.clock.advance(2 * DAY)
    report = await do_purge_audit(server.services.db, server.clock, 1)
    assert {table: report.removed[table] for table in ("session_events", "watched_hits", "mutes", "rule_mutes")} == {
        "session_events": 1, "watched_hits": 1, "mutes": 0, "rule_mutes": 0}
    assert await _activity_rows(server) == {"session_events": 0, "mutes": 1, "rule_mutes": 1, "watched_hits": 0}
    server.clock.advance(6 * DAY)  # the mutes ended a day ago: not yet older than the retention
    ended = await do_purge_audit(server.services.db, server.clock, 1)
    assert (ended.removed["mutes"], ended.removed["rule_mutes"]) == (0, 0)
    server.clock.advance(1 * DAY + 1)
    old = await do_purge_audit(server.services.db, server.clock, 1)
    assert (old.removed["mutes"], old.removed["rule_mutes"]) == (1, 1)
    assert await _activity_rows(server) == {"session_events": 0, "mutes": 0, "rule_mutes": 0, "watched_hits": 0}


def _sample(name: str) -> float:
    return REGISTRY.get_sample_value(name, {"job": JOB_NAME}) or 0.0


async def test_the_job_runs_on_the_purge_interval_and_is_measured(make_server: ServerFactory) -> None:
    server = await make_server(purge_interval=0.05, audit_retention_days=1)
    token = await staff_token(server)
    await _activity(server, token, "kai", 2)
    runs = _sample("peerchat_job_runs_total")
    succeeded = _sample("peerchat_job_last_success_timestamp_seconds")
    server.clock.advance(2 * DAY)

    async def purged_and_recorded() -> None:
        """Rows gone, a heartbeat of a run after the clock moved, and a success counted since."""
        while True:
            async with server.services.db.read() as session:
                run = await JobStore(session).get(JOB_NAME)
            if (await _counts(server) == (0, 0) and run is not None and run.last_run_at == server.clock.now()
                    and _sample("peerchat_job_last_success_timestamp_seconds") > succeeded):
                return
            await asyncio.sleep(0.05)
    await asyncio.wait_for(purged_and_recorded(), 10)
    assert _sample("peerchat_job_runs_total") > runs


async def test_zero_switches_the_job_off(make_server: ServerFactory) -> None:
    server = await make_server(purge_interval=0.05, audit_retention_days=0)
    token = await staff_token(server)
    await _activity(server, token, "kai", 1)
    server.clock.advance(20 * 365 * DAY)
    await asyncio.sleep(0.4)  # several purge intervals
    assert await _counts(server) == (1, 2)  # the read, root's account and kai's
    async with server.services.db.read() as session:
        assert await JobStore(session).get(JOB_NAME) is None


async def test_one_server_of_a_deployment_runs_it(make_server: ServerFactory) -> None:
    """Two servers on one database and one Redis: only the holder of the jobs lease runs the job. Their
    clocks differ by 1000 s, so each heartbeat says whose run it was (last_run_at is the runner's clock)."""
    shared = {"purge_interval": 0.05, "audit_retention_days": 1, "redis_url": redis_url(),
              "redis_prefix": f"audit-{uuid.uuid4().hex[:8]}"}
    first = await make_server(**shared)
    second = await make_server(**shared)
    second.clock.advance(1000)
    clocks = {first.clock.now(): "first", second.clock.now(): "second"}

    async def heartbeats(seconds: float) -> tuple[set[str], int]:
        """Whose runs were seen over `seconds`, and how many runs there were."""
        seen: set[str] = set()
        runs: list[int] = []
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            async with first.services.db.read() as session:
                run = await JobStore(session).get(JOB_NAME)
            if run is not None:
                seen.add(clocks[run.last_run_at])
                runs.append(run.runs)
            await asyncio.sleep(0.02)
        return seen, (runs[-1] - runs[0]) if runs else 0

    await heartbeats(3.0)  # until one has taken the lease (each runs the jobs while it cannot yet tell)
    seen, runs = await heartbeats(1.5)
    assert len(seen) == 1 and runs >= 5, (seen, runs)
