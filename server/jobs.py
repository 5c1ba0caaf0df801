"""The periodic jobs of a server process, and where each one runs.

Once per deployment, in the process that holds the jobs lease (shared/lease.py); in every process when
there is no Redis to hold a lease in, or Redis does not answer (each job is idempotent):
- retention_purge: deletes expired rows of the shared database; one scan is the whole job.
- audit_retention: deletes audit entries (moderation and admin changes) and the other records of what people
  did (storage/aging.py) past PEERCHAT_AUDIT_RETENTION_DAYS, in bounded batches; off when that is 0 (kept for ever).
- review_escalation: re-alerts every moderator and POSTs the on-call webhook; once per item, not once
  per process.
- room_routing: alerts every moderator to items only their room's moderators were alerted to, once the
  routing time is up or none of those moderators watches the queue on any process; once per item.
- session_transitions: moves scheduled sessions on in the shared database and announces each move
  through the broadcaster, which already reaches every process.
- slow_mode_expiry: turns off the room slow modes whose time is up and announces it (a conditional
  UPDATE, so a second runner finds nothing to do); sends already treat an expired slow mode as off.

In every process, because each acts on what only that process holds in memory:
- live_config: reloads this process's cached rules and resources, and closes or removes this process's
  connections of people banned, deactivated or kicked by another process. It also sends the pushes the
  command line queued, in whichever process takes them first (server/pushes.py): once per deployment.
- claim_release: hands back the claims of moderators who went offline from this process; only this
  process saw them go. While it sees every process (Redis up) it also counts as gone, from then on, anyone
  holding claims while connected nowhere: their process died or restarted, and nobody saw them leave.
"""
from __future__ import annotations

import contextlib
from typing import AsyncIterator, Awaitable, Callable

from .background import always, periodic
from .identity.staff import close_outdated_here
from .metrics import JOBS_LEADER
from .moderation.audit_retention import do_purge_audit
from .moderation.escalation import escalate_unclaimed, release_abandoned_claims, widen_room_first
from .moderation.live_config import KICKS, PUSHES, ROOMS, STAFF
from .moderation.people import remove_kicked_here
from .pushes import run_queued_pushes
from .rooms.membership import remove_other_band_here
from .rooms.retention import do_purge_expired
from .rooms.sessions.lifecycle import run_session_tick
from .rooms.slow_mode import lift_expired_slow_modes
from .services import Services
from .shared.lease import JobLease
from .shared.link import RedisLink


# What this process does when a counter moved, in this order: a room's peers of another band are out of it
# before the push telling the room of its change.
ON_MOVE: tuple[tuple[str, Callable[[Services], Awaitable[object]]], ...] = (
    (STAFF, close_outdated_here), (KICKS, remove_kicked_here), (ROOMS, remove_other_band_here),
    (PUSHES, run_queued_pushes))


async def refresh_live_config(svc: Services) -> None:
    """The once-a-second look at the live-config counters, and what this process does when one moved. Work that
    fails (the database blinked) is tried again at the next look: the counter may not move again for days, and
    until then a closed account's sockets would stay open here, or the command line's pushes unsent."""
    await svc.live.refresh(svc.db, svc.clock.now())
    moved = svc.live.take_moved()
    pending = [name for name, _work in ON_MOVE if name in moved]
    try:
        for name, work in ON_MOVE:
            if name in moved:
                await work(svc)
                pending.remove(name)
    finally:
        svc.live.put_back(pending)


@contextlib.asynccontextmanager
async def run_jobs(svc: Services, link: RedisLink | None) -> AsyncIterator[None]:
    settings = svc.settings
    lease = JobLease(link) if link is not None else None
    once = lease.runs_jobs if lease is not None else always
    JOBS_LEADER.set_function(lambda: float(once()))
    async with contextlib.AsyncExitStack() as jobs:
        if lease is not None:
            await lease.start()
            jobs.push_async_callback(lease.release)
        await jobs.enter_async_context(periodic(
            "retention_purge", settings.purge_interval,
            lambda: do_purge_expired(svc.db, svc.clock, settings.moderation_retention_days, svc), once))
        if settings.audit_retention_days:
            await jobs.enter_async_context(periodic(
                "audit_retention", settings.purge_interval,
                lambda: do_purge_audit(svc.db, svc.clock, settings.audit_retention_days), once))
        await jobs.enter_async_context(periodic("review_escalation", settings.review_tick,
                                                lambda: escalate_unclaimed(svc), once))
        await jobs.enter_async_context(periodic("room_routing", settings.review_tick,
                                                lambda: widen_room_first(svc), once))
        if settings.session_tick_seconds:
            await jobs.enter_async_context(periodic("session_transitions", settings.session_tick_seconds,
                                                    lambda: run_session_tick(svc), once))
            await jobs.enter_async_context(periodic("slow_mode_expiry", settings.session_tick_seconds,
                                                    lambda: lift_expired_slow_modes(svc), once))
        await jobs.enter_async_context(periodic("live_config", svc.live.max_age, lambda: refresh_live_config(svc)))
        await jobs.enter_async_context(periodic("claim_release", settings.review_tick,
                                                lambda: release_abandoned_claims(svc)))
        yield
