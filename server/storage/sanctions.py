"""SQL for sanctions: timed mutes (per room or everywhere) and the staff accounts alerts go to."""
from __future__ import annotations

from typing import Sequence

from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from .models import User
from .review_models import Mute


class SanctionStore:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def add_mute(self, mute: Mute) -> None:
        self.session.add(mute)

    async def posting_state(self, user_id: str, room_id: str, now: float) -> tuple[float | None, float | None]:
        """(account closed at, end of the longest mute now covering this room), in one query."""
        muted_until = (select(func.max(Mute.until)).where(
            Mute.user_id == user_id, Mute.until > now, or_(Mute.room_id.is_(None), Mute.room_id == room_id))
            .scalar_subquery())
        found = await self.session.execute(select(User.deactivated_at, muted_until).where(User.id == user_id))
        closed_at, until = found.one()
        return closed_at, until

    async def moderator_ids(self) -> Sequence[str]:
        """Active moderator and admin accounts: who an escalation re-alerts."""
        found = await self.session.execute(select(User.id).where(
            User.role.in_(("moderator", "admin")), User.deactivated_at.is_(None)))
        return found.scalars().all()
