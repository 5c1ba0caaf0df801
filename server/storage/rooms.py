"""SQL for rooms and memberships."""
from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from .models import Membership, Room


class RoomStore:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def by_slug(self, slug: str) -> Room | None:
        found = await self.session.execute(select(Room).where(Room.slug == slug, Room.archived_at.is_(None)))
        return found.scalar_one_or_none()

    async def list_open(self) -> list[Room]:
        found = await self.session.execute(
            select(Room).where(Room.archived_at.is_(None)).order_by(Room.position, Room.name))
        return list(found.scalars())

    async def all_rooms(self) -> list[Room]:
        """Open and archived rooms alike: retention applies to both."""
        return list((await self.session.execute(select(Room))).scalars())

    async def slug_of(self, room_id: str) -> str | None:
        return (await self.session.execute(select(Room.slug).where(Room.id == room_id))).scalar_one_or_none()

    async def slugs(self) -> set[str]:
        return set((await self.session.execute(select(Room.slug))).scalars())

    def add(self, room: Room) -> None:
        self.session.add(room)

    async def next_seq(self, room_id: str) -> int:
        """Take the room's next sequence number; the row lock this takes orders concurrent senders."""
        found = await self.session.execute(
            update(Room).where(Room.id == room_id).values(last_seq=Room.last_seq + 1).returning(Room.last_seq))
        return int(found.scalar_one())

    async def membership(self, room_id: str, user_id: str) -> Membership | None:
        found = await self.session.execute(
            select(Membership).where(Membership.room_id == room_id, Membership.user_id == user_id))
        return found.scalar_one_or_none()

    def add_membership(self, membership: Membership) -> None:
        self.session.add(membership)
