"""Periodic background jobs: run on an interval, log failures, never die silently, stop on shutdown."""
from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import AsyncIterator, Awaitable, Callable

from .metrics import JOB_FAILURES, JOB_LAST_SUCCESS, JOB_RUNS

log = logging.getLogger("peerchat.jobs")

Gate = Callable[[], bool]


def always() -> bool:
    return True


async def _loop(name: str, interval: float, job: Callable[[], Awaitable[object]], runs_here: Gate) -> None:
    runs, failures = JOB_RUNS.labels(job=name), JOB_FAILURES.labels(job=name)
    succeeded = JOB_LAST_SUCCESS.labels(job=name)
    while True:
        await asyncio.sleep(interval)
        if not runs_here():
            continue
        runs.inc()
        try:
            await job()
        except Exception:
            failures.inc()
            log.exception("job_failed job=%s", name)
        else:
            succeeded.set_to_current_time()


@contextlib.asynccontextmanager
async def periodic(name: str, interval: float, job: Callable[[], Awaitable[object]],
                   runs_here: Gate = always) -> AsyncIterator[None]:
    """Run `job` every `interval` seconds, skipping the turns when `runs_here()` says another process has them."""
    task = asyncio.create_task(_loop(name, interval, job, runs_here), name=f"job:{name}")
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
