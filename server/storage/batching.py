"""Coalescing concurrent requests into one batch: callers submit and await their own outcome.

While one batch runs the next one gathers, so an idle process adds no delay and a busy one pays one
database round trip (and, for aiosqlite, one set of thread hand-offs) for many requests.
"""
from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Awaitable, Callable, Generic, TypeVar

T = TypeVar("T")
R = TypeVar("R")


@dataclass(slots=True)
class _Pending(Generic[T, R]):
    item: T
    outcome: asyncio.Future[R] = field(default_factory=lambda: asyncio.get_running_loop().create_future())


class Batcher(Generic[T, R]):
    def __init__(self, run: Callable[[list[T]], Awaitable[list[R | BaseException]]], max_batch: int) -> None:
        """`run` gets the items in arrival order and returns one result (or exception) per item."""
        self._run = run
        self.max_batch = max_batch
        self._queue: list[_Pending[T, R]] = []
        self._drainer: asyncio.Task[None] | None = None

    async def submit(self, item: T) -> R:
        pending: _Pending[T, R] = _Pending(item)
        self._queue.append(pending)
        if self._drainer is None:
            self._drainer = asyncio.create_task(self._drain())
        return await pending.outcome

    async def _drain(self) -> None:
        try:
            while self._queue:
                batch, self._queue = self._queue[:self.max_batch], self._queue[self.max_batch:]
                await self._settle(batch)
        finally:
            self._drainer = None

    async def _settle(self, batch: list[_Pending[T, R]]) -> None:
        try:
            outcomes = await self._run([p.item for p in batch])
        except BaseException as exc:
            # A failure reaches every caller in the batch: nothing is silently lost.
            for pending in batch:
                if not pending.outcome.done():
                    pending.outcome.set_exception(exc)
            if not isinstance(exc, Exception):
                raise
            return
        for pending, outcome in zip(batch, outcomes):
            if pending.outcome.done():
                continue
            if isinstance(outcome, BaseException):
                pending.outcome.set_exception(outcome)
            else:
                pending.outcome.set_result(outcome)
