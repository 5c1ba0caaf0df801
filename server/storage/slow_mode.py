"""SQL for room-wide slow mode: each person's claim on their next message, and lifting expired slow modes."""
from __future__ import annotations

from sqlalchemy import delete, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from .models import Room, SlowModePost


class SlowModeStore:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def _insert(self) -> postgresql.Insert | sqlite.Insert:
        dialect = postgresql if self.session.get_bind().dialect.name == "postgresql" else sqlite
        return dialect.insert(SlowModePost)

    async def claim(self, room_id: str, user_id: str, now: float, seconds: int) -> float | None:
        """Record a post at `now` unless this person posted here less than `seconds` ago (and no crisis
        exempts them); one statement, so two sends at once (two tabs, two processes) cannot both pass.
        Returns None when the post may go ahead, else when their last post was."""
        post = SlowModePost.__table__.c
        claim = self._insert().values(room_id=room_id, user_id=user_id, last_post_at=now).on_conflict_do_update(
            index_elements=[post.room_id, post.user_id], set_={"last_post_at": now},
            where=or_(post.last_post_at.is_(None), post.last_post_at <= now - seconds, post.crisis_until > now),
        ).returning(post.last_post_at)
        if (await self.session.execute(claim)).first() is not None:
            return None
        last = await self.session.execute(select(SlowModePost.last_post_at).where(
            SlowModePost.room_id == room_id, SlowModePost.user_id == user_id))
        return float(last.scalar_one() or 0.0)

    async def exempt_until(self, room_id: str, user_id: str, until: float) -> None:
        """A crisis message: this person writes freely here until `until`."""
        post = SlowModePost.__table__.c
        await self.session.execute(self._insert().values(room_id=room_id, user_id=user_id, crisis_until=until)
                                   .on_conflict_do_update(index_elements=[post.room_id, post.user_id],
                                                          set_={"crisis_until": until}))

    async def forget_room(self, room_id: str, now: float) -> None:
        """Slow mode is off: the next time it is on, everyone starts afresh (crisis exemptions still hold)."""
        await self.session.execute(delete(SlowModePost).where(
            SlowModePost.room_id == room_id,
            or_(SlowModePost.crisis_until.is_(None), SlowModePost.crisis_until <= now)))

    async def forget_stale(self, now: float, longest: float) -> None:
        """Rows that can no longer hold anyone back or exempt anyone (last post over `longest` seconds ago, any
        crisis exemption over): a row saying someone wrote crisis here must not outlive its use."""
        await self.session.execute(delete(SlowModePost).where(
            or_(SlowModePost.last_post_at.is_(None), SlowModePost.last_post_at <= now - longest),
            or_(SlowModePost.crisis_until.is_(None), SlowModePost.crisis_until <= now)))

    async def lift_expired(self, now: float) -> list[tuple[str, str, int, float]]:
        """Turn off every slow mode whose time is up; returns (room id, slug, seconds, until) of each,
        once: a second process running the same statement finds nothing left to lift."""
        due = await self.session.execute(select(Room.id, Room.slug, Room.slow_mode_seconds, Room.slow_mode_until)
                                         .where(Room.slow_mode_seconds > 0, Room.slow_mode_until <= now))
        lifted = []
        for room_id, slug, seconds, until in due.all():
            done = await self.session.execute(update(Room).where(
                Room.id == room_id, Room.slow_mode_seconds == seconds, Room.slow_mode_until == until)
                .values(slow_mode_seconds=0, slow_mode_until=None))
            if getattr(done, "rowcount", 0) and until is not None:
                lifted.append((room_id, slug, seconds, until))
        return lifted
