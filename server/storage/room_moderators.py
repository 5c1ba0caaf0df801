"""SQL for the moderators assigned to rooms: who looks after a room, and which rooms a moderator has."""
from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Select, delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from .admin_models import RoomModerator
from .models import Room, User
from .review import insert_ignoring_duplicates


class RoomModeratorStore:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def user_ids(self, room_id: str) -> list[str]:
        found = await self.session.execute(select(RoomModerator.user_id).where(RoomModerator.room_id == room_id))
        return sorted(found.scalars())

    async def accounts(self, room_id: str | None = None) -> list[tuple[str, User]]:
        """(room id, account) of every assignment, or one room's, by username."""
        query = select(RoomModerator.room_id, User).join(User, User.id == RoomModerator.user_id)
        if room_id is not None:
            query = query.where(RoomModerator.room_id == room_id)
        found = await self.session.execute(query.order_by(User.username))
        return [(rid, user) for rid, user in found.all()]

    async def rooms_of(self, user_id: str) -> list[tuple[str, str]]:
        """(room id, slug) of each room this person looks after, by slug."""
        found = await self.session.execute(select(Room.id, Room.slug)
                                           .join(RoomModerator, RoomModerator.room_id == Room.id)
                                           .where(RoomModerator.user_id == user_id).order_by(Room.slug))
        return [(room_id, slug) for room_id, slug in found.all()]

    async def slugs_of(self, user_id: str) -> list[str]:
        return [slug for _room_id, slug in await self.rooms_of(user_id)]

    async def remove_everywhere(self, user_id: str) -> None:
        await self.session.execute(delete(RoomModerator).where(RoomModerator.user_id == user_id))

    @staticmethod
    def room_ids_of(user_id: str) -> Select[str]:
        """The rooms a moderator looks after, as a subquery for the queue's My rooms filter."""
        return select(RoomModerator.room_id).where(RoomModerator.user_id == user_id)

    async def replace(self, room_id: str, user_ids: Sequence[str], now: float) -> None:
        """Exactly these moderators look after the room from now; those kept keep their first assignment time.
        Two admins assigning the same person at once both succeed (the insert ignores the duplicate)."""
        current = set(await self.user_ids(room_id))
        gone = current - set(user_ids)
        if gone:
            await self.session.execute(delete(RoomModerator).where(RoomModerator.room_id == room_id,
                                                                   RoomModerator.user_id.in_(gone)))
        for user_id in sorted(set(user_ids) - current):
            await self.session.execute(insert_ignoring_duplicates(self.session, RoomModerator, {
                "room_id": room_id, "user_id": user_id, "assigned_at": now}))
