"""Rate limits shared by every process: one token bucket per (action, subject) in Redis, updated by a
Lua script so concurrent processes cannot both spend the last token.

When Redis fails the limiter never opens: it falls back to the in-process buckets with a stricter
limit (a fraction of the rate and burst), because each process now counts only what it sees.
"""
from __future__ import annotations

import math

from redis.exceptions import RedisError

from ..clock import Clock
from ..errors import DomainError, ErrorCode
from ..moderation.ratelimit import RateLimit, RateLimiter
from .link import RedisLink

TAKE = """
local rate, burst = tonumber(ARGV[1]), tonumber(ARGV[2])
local now, need, cost = tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5])
local saved = redis.call('HMGET', KEYS[1], 't', 'u')
local tokens = tonumber(saved[1]) or burst
local updated = tonumber(saved[2]) or now
tokens = math.min(burst, tokens + math.max(0, now - updated) * rate)
if tokens < need then return tostring((need - tokens) / rate) end
redis.call('HSET', KEYS[1], 't', tostring(tokens - cost), 'u', tostring(now))
redis.call('EXPIRE', KEYS[1], tonumber(ARGV[6]))
return '-1'
"""


class SharedRateLimiter(RateLimiter):
    def __init__(self, clock: Clock, link: RedisLink, fallback_factor: float) -> None:
        super().__init__(clock)
        self._link = link
        self._factor = fallback_factor
        self._script = link.redis.register_script(TAKE)

    async def take(self, action: str, subject: str, limit: RateLimit | None, cost: float = 1.0) -> None:
        await self._shared(action, subject, limit, need=cost, cost=cost)

    async def ensure(self, action: str, subject: str, limit: RateLimit | None) -> None:
        await self._shared(action, subject, limit, need=1.0, cost=0.0)

    def fallback(self, limit: RateLimit) -> RateLimit:
        return RateLimit(per_second=limit.per_second * self._factor, burst=max(1, int(limit.burst * self._factor)))

    async def _shared(self, action: str, subject: str, limit: RateLimit | None, need: float, cost: float) -> None:
        if limit is None:
            return
        if self._link.up:
            ttl = math.ceil(limit.burst / limit.per_second) + 60
            try:
                wait = float(await self._script(keys=[self._link.key("rl", action, subject)], args=[
                    limit.per_second, limit.burst, self._clock.now(), need, cost, ttl]))
            except (RedisError, OSError) as error:
                self._link.failed(error)
            else:
                if wait >= 0:
                    raise DomainError(ErrorCode.RATE_LIMITED, "You're going a little fast. Please wait a moment.",
                                      retry_after=wait)
                return
        self._take(action, subject, self.fallback(limit), need=need, cost=cost)
