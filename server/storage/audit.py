"""SQL for the audit log. Append and read only: no update or delete exists here, on purpose."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from .review_models import AuditEntry


@dataclass(frozen=True, slots=True)
class AuditQuery:
    actor_id: str | None = None
    action: str | None = None
    target_id: str | None = None
    since: float | None = None
    until: float | None = None
    before_id: int | None = None
    limit: int = 100


class AuditStore:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def append(self, entry: AuditEntry) -> None:
        self.session.add(entry)

    async def search(self, query: AuditQuery) -> Sequence[AuditEntry]:
        """Newest first; `before_id` pages further back."""
        conditions = []
        if query.actor_id:
            conditions.append(AuditEntry.actor_id == query.actor_id)
        if query.action:
            conditions.append(AuditEntry.action == query.action)
        if query.target_id:
            conditions.append(AuditEntry.target_id == query.target_id)
        if query.since is not None:
            conditions.append(AuditEntry.at >= query.since)
        if query.until is not None:
            conditions.append(AuditEntry.at < query.until)
        if query.before_id is not None:
            conditions.append(AuditEntry.id < query.before_id)
        found = await self.session.execute(
            select(AuditEntry).where(*conditions).order_by(AuditEntry.id.desc()).limit(query.limit))
        return found.scalars().all()
