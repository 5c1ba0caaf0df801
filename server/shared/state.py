"""Builds the presence, online, moderator and rate-limit state: shared through Redis when configured, else local."""
from __future__ import annotations

from dataclasses import dataclass

from ..clock import Clock
from ..identity.online import OnlineUsers
from ..moderation.ratelimit import RateLimiter
from ..moderation.state import ModerationState
from ..rooms.presence import Presence
from ..settings import Settings
from .link import RedisLink
from .mirror import Mirror
from .ratelimit import SharedRateLimiter
from .roster import SharedModeration, SharedOnline, SharedPresence


@dataclass(slots=True)
class SharedState:
    link: RedisLink | None
    presence: Presence
    online: OnlineUsers
    limiter: RateLimiter
    moderation: ModerationState
    mirrors: tuple[Mirror, ...] = ()

    async def start(self) -> None:
        if self.link is not None:
            await self.link.start()
        for mirror in self.mirrors:
            mirror.start()

    async def stop(self) -> None:
        for mirror in self.mirrors:
            await mirror.stop()
        if self.link is not None:
            await self.link.close()


def build_shared_state(settings: Settings, clock: Clock) -> SharedState:
    if not settings.redis_url:
        return SharedState(None, Presence(), OnlineUsers(), RateLimiter(clock), ModerationState())
    link = RedisLink(settings.redis_url, settings.redis_prefix)
    presence, online, moderation = SharedPresence(link), SharedOnline(link), SharedModeration(link)
    return SharedState(link, presence, online, SharedRateLimiter(clock, link, settings.rate_limit_fallback),
                       moderation, (presence.mirror, online.mirror, moderation.mirror))
