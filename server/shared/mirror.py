"""Mirror per-process entries into Redis hashes and cache what the other live processes hold.

The owner keeps its own entries in memory (authoritative for its connections) and calls `touch(group,
item)` whenever one changes; a writer task writes the current value (or deletes it) and tells the other
processes, which re-read that group. Reads never wait for Redis: they see the local entries plus the
cached remote ones, at most one notice (or one heartbeat, when a notice is lost) behind. Entries of a
process that died vanish when its heartbeat expires.
"""
from __future__ import annotations

import asyncio
import logging
from typing import Callable

from redis.exceptions import RedisError

from .link import RedisLink

log = logging.getLogger("peerchat.shared")

SEPARATOR = "\x1f"
LocalValue = Callable[[str, str], "str | None"]
LocalItems = Callable[[], "list[tuple[str, str]]"]


class Mirror:
    def __init__(self, link: RedisLink, name: str, local_value: LocalValue, local_items: LocalItems) -> None:
        self._link = link
        self._name = name
        self._local_value = local_value
        self._local_items = local_items
        self._dirty: set[tuple[str, str]] = set()
        self._wake = asyncio.Event()
        self._remote: dict[str, dict[str, list[str]]] = {}
        self._task: asyncio.Task[None] | None = None
        link.on_notice(name, self._refresh_group)
        link.on_up(self._republish)
        link.on_tick(self._refresh_all)

    def start(self) -> None:
        self._task = asyncio.create_task(self._writer())

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)

    def touch(self, group: str, item: str) -> None:
        self._dirty.add((group, item))
        self._wake.set()

    def remote(self, group: str) -> dict[str, list[str]]:
        """item -> values held by other live processes (empty while Redis is down)."""
        return self._remote.get(group, {}) if self._link.up else {}

    def _key(self, group: str) -> str:
        return self._link.key(self._name, group)

    async def _writer(self) -> None:
        while True:
            await self._wake.wait()
            self._wake.clear()
            if not self._link.up:
                continue
            batch, self._dirty = self._dirty, set()
            try:
                await self._write(batch)
            except (RedisError, OSError) as error:
                self._dirty |= batch
                self._link.failed(error)

    async def _write(self, batch: set[tuple[str, str]]) -> None:
        me = self._link.process_id
        groups = sorted({group for group, _ in batch})
        async with self._link.redis.pipeline(transaction=False) as pipe:
            for group, item in batch:
                value = self._local_value(group, item)
                field = f"{me}{SEPARATOR}{item}"
                if value is None:
                    pipe.hdel(self._key(group), field)
                else:
                    pipe.hset(self._key(group), field, value)
            if groups:
                pipe.sadd(self._link.key(self._name), *groups)
            await pipe.execute()
        for group in groups:
            await self._link.notify(self._name, group)

    async def _republish(self) -> None:
        """Redis came back (perhaps empty): write every local entry again."""
        for group, item in self._local_items():
            self._dirty.add((group, item))
        self._wake.set()

    async def _refresh_all(self) -> None:
        groups = {str(g) for g in await self._link.redis.smembers(self._link.key(self._name))}
        for group in groups | set(self._remote):
            await self._refresh_group(group)

    async def _refresh_group(self, group: str) -> None:
        try:
            await self._read_group(group)
        except (RedisError, OSError) as error:
            self._link.failed(error)

    async def _read_group(self, group: str) -> None:
        raw = await self._link.redis.hgetall(self._key(group))
        entries = {str(k): str(v) for k, v in raw.items()}  # decode_responses=True: already str
        me = self._link.process_id
        owners = {field.partition(SEPARATOR)[0] for field in entries} - {me}
        live = self._link.live_processes
        live = live | await self._link.check_live(owners - live)
        found: dict[str, list[str]] = {}
        dead: list[str] = []
        for field, value in entries.items():
            process, _, item = field.partition(SEPARATOR)
            if process == me:
                continue
            if process not in live:
                dead.append(field)
                continue
            found.setdefault(item, []).append(value)
        if found:
            self._remote[group] = found
        else:
            self._remote.pop(group, None)
        if dead:
            await self._link.redis.hdel(self._key(group), *dead)
