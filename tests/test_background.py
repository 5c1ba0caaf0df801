"""Periodic jobs: a failing run is counted and logged, and the loop goes on to the next turn."""
from __future__ import annotations

import asyncio

from prometheus_client import REGISTRY

from server.background import periodic


def _sample(name: str, job: str) -> float:
    return REGISTRY.get_sample_value(name, {"job": job}) or 0.0


async def test_failures_are_counted_and_the_job_keeps_running() -> None:
    turns: list[int] = []

    async def flaky() -> None:
        turns.append(len(turns))
        if len(turns) % 2:
            raise RuntimeError("the database went away")

    failures = _sample("peerchat_job_failures_total", "test_flaky")
    async with periodic("test_flaky", 0.01, flaky):
        while len(turns) < 4:
            await asyncio.sleep(0.01)
    assert _sample("peerchat_job_runs_total", "test_flaky") >= 4
    assert _sample("peerchat_job_failures_total", "test_flaky") - failures >= 2
    assert _sample("peerchat_job_last_success_timestamp_seconds", "test_flaky") > 0


async def test_a_job_that_never_succeeds_has_no_success_time() -> None:
    async def broken() -> None:
        raise RuntimeError("always")

    async with periodic("test_broken", 0.01, broken):
        while _sample("peerchat_job_failures_total", "test_broken") < 2:
            await asyncio.sleep(0.01)
    assert _sample("peerchat_job_last_success_timestamp_seconds", "test_broken") == 0
