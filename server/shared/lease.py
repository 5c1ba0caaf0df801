"""Which process runs the once-per-deployment jobs: the holder of a lease in Redis.

One key holds the id of the leading process with a time to live. At every heartbeat of the link each
process runs one script: take the key when it is free (SET NX PX) or renew it when it already holds it
(compare-and-renew), so exactly one process holds it at a time. A holder that dies stops renewing and the
key expires after LEASE_SECONDS; the first process to beat after that takes over. A graceful shutdown
deletes the key (compare-and-delete) so the takeover does not wait for the expiry.

Fail safe: while Redis does not answer, every process runs the jobs itself. They are idempotent
(conditional updates), and an escalation run twice is better than a crisis item nobody escalates.
"""
from __future__ import annotations

import logging
import math
import time

from redis.exceptions import RedisError

from .link import HEARTBEAT_SECONDS, RedisLink

log = logging.getLogger("peerchat.shared")

# Three heartbeats: one late or failed renewal does not hand the jobs over.
LEASE_SECONDS = 3 * HEARTBEAT_SECONDS

TAKE_OR_RENEW = """
local holder = redis.call('get', KEYS[1])
if holder == false or holder == ARGV[1] then
  redis.call('set', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return 1
end
return 0
"""

RELEASE = """
if redis.call('get', KEYS[1]) == ARGV[1] then
  return redis.call('del', KEYS[1])
end
return 0
"""


class JobLease:
    def __init__(self, link: RedisLink, seconds: float = LEASE_SECONDS) -> None:
        self._link = link
        self._key = link.key("jobs_leader")
        self._ttl_ms = int(seconds * 1000)
        self._take_or_renew = link.redis.register_script(TAKE_OR_RENEW)
        self._release = link.redis.register_script(RELEASE)
        # Real monotonic time, not the injected clock: Redis expires the key in real time. Counted from
        # before the request, so this process never believes in a lease Redis has already dropped.
        self._held_until = -math.inf
        self._closed = False

    def runs_jobs(self) -> bool:
        """True while this process holds the lease, or while Redis is unreachable (fail safe)."""
        return not self._link.up or time.monotonic() < self._held_until

    async def start(self) -> None:
        """Try at once (the first job tick should not wait a heartbeat), then at every heartbeat."""
        self._link.on_tick(self.keep)
        try:
            await self.keep()
        except (RedisError, OSError) as error:
            self._link.failed(error)

    async def keep(self) -> None:
        if self._closed:
            return
        asked = time.monotonic()
        held = await self._take_or_renew(keys=[self._key], args=[self._link.process_id, self._ttl_ms])
        was_leading = asked < self._held_until
        self._held_until = asked + self._ttl_ms / 1000 if held else -math.inf
        if bool(held) != was_leading:
            log.info("jobs_lease %s process=%s", "taken" if held else "lost", self._link.process_id)

    async def release(self) -> None:
        """On shutdown: hand the lease back so another process takes over at its next heartbeat."""
        self._closed = True
        if time.monotonic() >= self._held_until:
            return
        self._held_until = -math.inf
        try:
            await self._release(keys=[self._key], args=[self._link.process_id])
        except (RedisError, OSError) as error:
            log.warning("jobs_lease_release_failed error=%s", type(error).__name__)
