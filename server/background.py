"""Periodic background jobs: run on an interval, log failures, never die silently, stop on shutdown."""
from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import AsyncIterator, Awaitable, Callable

log = logging.getLogger("peerchat.jobs")


async def _loop(name: str, interval: float, job: Callable[[], Awaitable[object]]) -> None:
    while True:
        await asyncio.sleep(interval)
        try:
            await job()
        except Exception:
            log.exception("job_failed job=%s", name)


@contextlib.asynccontextmanager
async def periodic(name: str, interval: float, job: Callable[[], Awaitable[object]]) -> AsyncIterator[None]:
    task = asyncio.create_task(_loop(name, interval, job), name=f"job:{name}")
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
