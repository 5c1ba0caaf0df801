"""SQL for background-job heartbeats: when each job last ran and what it did, so a silent stop shows."""
from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from .models import JobRun


class JobStore:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, name: str) -> JobRun | None:
        return await self.session.get(JobRun, name)

    async def record(self, name: str, at: float, removed: int) -> None:
        run = await self.session.get(JobRun, name)
        if run is None:
            run = JobRun(name=name, runs=0)
            self.session.add(run)
        run.last_run_at = at
        run.last_removed = removed
        run.runs += 1
