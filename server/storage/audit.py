"""SQL for the audit log. Append and read; the only delete is retention's, by age (storage/aging.py)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from .models import Message, Room, User
from .review_models import AuditEntry


@dataclass(frozen=True, slots=True)
class AuditQuery:
    actor_id: str | None = None
    # Several people (a name shared by more than one account); None in it stands for the server itself.
    actor_ids: tuple[str | None, ...] | None = None
    action: str | None = None
    target_id: str | None = None
    room_id: str | None = None
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
        if query.actor_ids is not None:
            ids = [i for i in query.actor_ids if i is not None]
            either = [AuditEntry.actor_id.in_(ids)] if ids else []
            if None in query.actor_ids:
                either.append(AuditEntry.actor_id.is_(None))
            # Nobody answers to the name: match nothing (an entry always has an id).
            conditions.append(or_(*either) if either else AuditEntry.id.is_(None))
        if query.action:
            conditions.append(AuditEntry.action == query.action)
        if query.target_id:
            conditions.append(AuditEntry.target_id == query.target_id)
        if query.room_id:
            conditions.append(AuditEntry.room_id == query.room_id)
        if query.since is not None:
            conditions.append(AuditEntry.at >= query.since)
        if query.until is not None:
            conditions.append(AuditEntry.at < query.until)
        if query.before_id is not None:
            conditions.append(AuditEntry.id < query.before_id)
        found = await self.session.execute(
            select(AuditEntry).where(*conditions).order_by(AuditEntry.id.desc()).limit(query.limit))
        return found.scalars().all()


class AuditNames:
    """What a page of entries refers to, by id: people, rooms and the authors of messages. Ids only in, names
    only out; never a message's text."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def people(self, ids: set[str]) -> dict[str, User]:
        if not ids:
            return {}
        found = await self.session.execute(select(User).where(User.id.in_(ids)))
        return {user.id: user for user in found.scalars()}

    async def rooms(self, ids: set[str]) -> dict[str, Room]:
        if not ids:
            return {}
        found = await self.session.execute(select(Room).where(Room.id.in_(ids)))
        return {room.id: room for room in found.scalars()}

    async def room_id_of(self, slug: str) -> str | None:
        """Archived rooms too: their entries stay in the log."""
        return (await self.session.execute(select(Room.id).where(Room.slug == slug))).scalar_one_or_none()

    async def authors(self, message_ids: set[str]) -> dict[str, str]:
        """message id -> its sender's id, for the messages that still exist."""
        if not message_ids:
            return {}
        found = await self.session.execute(select(Message.id, Message.sender_id).where(Message.id.in_(message_ids)))
        return {message_id: sender_id for message_id, sender_id in found}

    async def people_called(self, name: str, key: str) -> tuple[str, ...]:
        """Everyone whose username is `name` (any case: usernames are stored in lower case) or whose pseudonym
        compares equal (`key`); both columns are indexed."""
        found = await self.session.execute(select(User.id).where(
            or_(User.username == name.lower(), User.pseudonym_key == key)))
        return tuple(found.scalars())
