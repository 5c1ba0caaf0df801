"""One process's connection to Redis: liveness, a process id with a heartbeat, and change notices.

Redis is optional at run time even when configured: when it stops answering the link reports `up =
False`, callers fall back to per-process behaviour, and when it returns the link tells its listeners to
re-publish what they hold (Redis may have restarted empty).
"""
from __future__ import annotations

import asyncio
import logging
import time
import uuid
from typing import Awaitable, Callable

import redis.asyncio as aioredis
from redis.exceptions import RedisError

log = logging.getLogger("peerchat.shared")

HEARTBEAT_SECONDS = 2.0
PROCESS_TTL_SECONDS = 10.0
# After an outage Redis may have restarted empty, or every process's heartbeat may have lapsed: each live
# process re-publishes at its next heartbeat (within HEARTBEAT_SECONDS plus a timeout), and its notice
# makes the others re-read. A short blip (our own last heartbeat still there) needs no wait.
RESETTLE_SECONDS = 2 * HEARTBEAT_SECONDS
BLIP_SECONDS = PROCESS_TTL_SECONDS - HEARTBEAT_SECONDS
REDIS_TIMEOUT_SECONDS = 1.0
Notice = Callable[[str], Awaitable[None]]
Hook = Callable[[], Awaitable[None]]


class RedisLink:
    def __init__(self, url: str, prefix: str) -> None:
        self.url = url
        self.prefix = prefix
        self.process_id = uuid.uuid4().hex[:16]
        self.redis = aioredis.Redis.from_url(url, socket_timeout=REDIS_TIMEOUT_SECONDS,
                                             socket_connect_timeout=REDIS_TIMEOUT_SECONDS, decode_responses=True)
        self.up = False
        self.settled_at = 0.0
        self._beaten = False
        self.live_processes: frozenset[str] = frozenset()
        self._on_notice: dict[str, Notice] = {}
        self._on_up: list[Hook] = []
        self._on_tick: list[Hook] = []
        self._tasks: list[asyncio.Task[None]] = []

    def key(self, *parts: str) -> str:
        return ":".join((self.prefix, *parts))

    def on_notice(self, kind: str, handler: Notice) -> None:
        """Call `handler(body)` for every notice of this kind another process sends."""
        self._on_notice[kind] = handler

    def on_up(self, hook: Hook) -> None:
        self._on_up.append(hook)

    def on_tick(self, hook: Hook) -> None:
        self._on_tick.append(hook)

    def settled(self) -> bool:
        """Up, and past the re-publishing that follows an outage: the other processes' entries are complete."""
        return self.up and time.monotonic() >= self.settled_at

    def failed(self, error: BaseException) -> None:
        """A caller's Redis command failed: go to per-process mode until the heartbeat succeeds again."""
        if self.up:
            log.warning("redis_down error=%s", type(error).__name__)
        self.up = False

    async def check_live(self, processes: set[str]) -> set[str]:
        """Which of these processes (not yet in `live_processes`) have a fresh heartbeat."""
        if not processes:
            return set()
        ordered = sorted(processes)
        scores = await self.redis.zmscore(self.key("processes"), ordered)
        cutoff = time.time() - PROCESS_TTL_SECONDS
        fresh = {p for p, score in zip(ordered, scores) if score is not None and score > cutoff}
        self.live_processes = self.live_processes | fresh
        return fresh

    async def notify(self, kind: str, body: str) -> None:
        await self.redis.publish(self.key("notices"), f"{kind}\x1f{self.process_id}\x1f{body}")

    async def start(self) -> None:
        await self._beat()
        self._tasks = [asyncio.create_task(self._heartbeat()), asyncio.create_task(self._listen())]

    async def close(self) -> None:
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        if self.up:
            try:
                await self.redis.zrem(self.key("processes"), self.process_id)
            except (RedisError, OSError):
                pass
        await self.redis.aclose()

    async def _beat(self) -> None:
        first, self._beaten = not self._beaten, True
        try:
            now = time.time()
            async with self.redis.pipeline(transaction=False) as pipe:
                pipe.zscore(self.key("processes"), self.process_id)
                pipe.zadd(self.key("processes"), {self.process_id: now})
                pipe.zremrangebyscore(self.key("processes"), 0, now - PROCESS_TTL_SECONDS)
                pipe.zrange(self.key("processes"), 0, -1)
                last, *_, members = await pipe.execute()
        except (RedisError, OSError) as error:
            self.failed(error)
            return
        self.live_processes = frozenset(members)
        if not self.up:
            self.up = True
            blip = last is not None and now - float(last) < BLIP_SECONDS
            self.settled_at = time.monotonic() + (0.0 if first or blip else RESETTLE_SECONDS)
            log.info("redis_up process=%s", self.process_id)
            for hook in self._on_up:
                await self._run(hook)
        for hook in self._on_tick:
            await self._run(hook)

    async def _run(self, hook: Hook) -> None:
        try:
            await hook()
        except (RedisError, OSError) as error:
            self.failed(error)

    async def _heartbeat(self) -> None:
        while True:
            await asyncio.sleep(HEARTBEAT_SECONDS)
            await self._beat()

    async def _listen(self) -> None:
        channel = self.key("notices")
        while True:
            try:
                async with self.redis.pubsub(ignore_subscribe_messages=True) as pubsub:
                    await pubsub.subscribe(channel)
                    while True:
                        message = await pubsub.get_message(timeout=HEARTBEAT_SECONDS)
                        if message is not None:
                            await self._dispatch(str(message["data"]))
            except (RedisError, OSError) as error:
                self.failed(error)
                await asyncio.sleep(HEARTBEAT_SECONDS)

    async def _dispatch(self, data: str) -> None:
        kind, sender, body = (data.split("\x1f", 2) + ["", ""])[:3]
        handler = self._on_notice.get(kind)
        if handler is not None and sender != self.process_id:
            await handler(body)
