"""Token-bucket rate limits, keyed by (action, subject), on an injected clock."""
from __future__ import annotations

from dataclasses import dataclass

from ..clock import Clock
from ..errors import DomainError, ErrorCode


@dataclass(frozen=True, slots=True)
class RateLimit:
    per_second: float
    burst: int


@dataclass(slots=True)
class _Bucket:
    tokens: float
    updated: float


class RateLimiter:
    """In-process buckets; idle buckets are pruned so the table cannot grow without bound."""

    def __init__(self, clock: Clock, max_buckets: int = 100_000) -> None:
        self._clock = clock
        self._buckets: dict[tuple[str, str], _Bucket] = {}
        self._max_buckets = max_buckets

    def check(self, action: str, subject: str, limit: RateLimit | None, cost: float = 1.0) -> None:
        """Take `cost` tokens or raise rate_limited with the seconds until enough have refilled."""
        self._take(action, subject, limit, need=cost, cost=cost)

    def ensure_available(self, action: str, subject: str, limit: RateLimit | None) -> None:
        """Raise rate_limited if a token would not be available, without taking one (login failures)."""
        self._take(action, subject, limit, need=1.0, cost=0.0)

    async def take(self, action: str, subject: str, limit: RateLimit | None, cost: float = 1.0) -> None:
        """`check` for callers that may run on several processes (the Redis limiter shares the bucket)."""
        self.check(action, subject, limit, cost)

    async def ensure(self, action: str, subject: str, limit: RateLimit | None) -> None:
        """`ensure_available`, shared across processes like `take`."""
        self.ensure_available(action, subject, limit)

    def _take(self, action: str, subject: str, limit: RateLimit | None, need: float, cost: float) -> None:
        if limit is None:
            return
        now = self._clock.now()
        key = (action, subject)
        bucket = self._buckets.get(key)
        if bucket is None:
            if len(self._buckets) >= self._max_buckets:
                self._prune(now)
            bucket = self._buckets[key] = _Bucket(tokens=float(limit.burst), updated=now)
        bucket.tokens = min(float(limit.burst), bucket.tokens + (now - bucket.updated) * limit.per_second)
        bucket.updated = now
        if bucket.tokens < need:
            wait = (need - bucket.tokens) / limit.per_second
            raise DomainError(ErrorCode.RATE_LIMITED, "You're going a little fast. Please wait a moment.",
                              retry_after=wait)
        bucket.tokens -= cost

    def _prune(self, now: float) -> None:
        stale = [k for k, b in self._buckets.items() if now - b.updated > 3600]
        for key in stale or list(self._buckets)[: len(self._buckets) // 2]:
            del self._buckets[key]
