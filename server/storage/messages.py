"""SQL for messages: storing, idempotent lookup, and history pages by sequence number."""
from __future__ import annotations

from sqlalchemy import Select, delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from .models import Message, User


class MessageStore:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def add(self, message: Message) -> None:
        self.session.add(message)

    async def by_client_id(self, room_id: str, sender_id: str, client_msg_id: str) -> Message | None:
        found = await self.session.execute(select(Message).where(
            Message.room_id == room_id, Message.sender_id == sender_id, Message.client_msg_id == client_msg_id))
        return found.scalar_one_or_none()

    async def page(self, room_id: str, *, before: int | None, after: int | None, limit: int,
                   since: float | None = None) -> list[tuple[Message, User]]:
        """Delivered messages in sequence order: the `limit` after `after`, else the `limit` before `before`;
        none older than `since`."""
        query = (select(Message, User).join(User, User.id == Message.sender_id)
                 .where(Message.room_id == room_id, Message.seq.is_not(None)))
        if since is not None:
            query = query.where(Message.created_at >= since)
        if after is not None:
            query = query.where(Message.seq > after).order_by(Message.seq).limit(limit)
            return [(m, u) for m, u in (await self.session.execute(query)).all()]
        if before is not None:
            query = query.where(Message.seq < before)
        rows = (await self.session.execute(query.order_by(Message.seq.desc()).limit(limit))).all()
        return [(m, u) for m, u in reversed(rows)]

    async def visible_texts(self, room_of: dict[str, str]) -> dict[str, str]:
        """The text of each message (id -> its room) that is still visible, with text, in that room."""
        if not room_of:
            return {}
        found = await self.session.execute(select(Message.id, Message.room_id, Message.text).where(
            Message.id.in_(list(room_of)), Message.status == "visible", Message.text.is_not(None)))
        return {message_id: text for message_id, room_id, text in found.all()
                if text and room_of[message_id] == room_id}

    async def get(self, message_id: str) -> Message | None:
        return await self.session.get(Message, message_id)

    async def purge_older_than(self, room_id: str, cutoff: float, keep: Select[str]) -> int:
        """Delete a room's messages older than the cutoff, except those `keep` names (a review needs them).

        Held messages get no exemption of their own: every hold raises a review item, so one still
        waiting is kept by its open review, and one whose review ended (declined, or left `held` by an
        older server) goes once moderation retention is over, like any other reviewed message."""
        result = await self.session.execute(delete(Message).where(
            Message.room_id == room_id, Message.created_at < cutoff, Message.id.not_in(keep)))
        return int(getattr(result, "rowcount", 0) or 0)

    async def erase_sender(self, sender_id: str, *, keep: Select[str],
                           detach_to: str) -> list[tuple[str, str, int | None]]:
        """Delete everything one person wrote except what `keep` names (an open safety review), which is
        detached from them; returns (room_id, message_id, seq) of every delivered message, now gone."""
        rows = (await self.session.execute(select(Message.room_id, Message.id, Message.seq).where(
            Message.sender_id == sender_id))).all()
        # The review's copy moves to `original`, readable by moderators only; the room sees it deleted.
        await self.session.execute(update(Message).where(Message.sender_id == sender_id, Message.id.in_(keep))
                                   .values(sender_id=detach_to, status="deleted",
                                           original=func.coalesce(Message.original, Message.text), text=None))
        await self.session.execute(delete(Message).where(Message.sender_id == sender_id))
        return [(room_id, message_id, seq) for room_id, message_id, seq in rows if seq is not None]

    async def mark_deleted(self, message_id: str) -> None:
        await self.session.execute(update(Message).where(Message.id == message_id).values(
            status="deleted", text=None))

    async def around(self, room_id: str, at: float, *, seq: int | None, before: int,
                     after: int) -> tuple[list[tuple[Message, User]], list[tuple[Message, User]]]:
        """Delivered messages just before and just after a message, for a moderator's context view: by
        sequence number when it has one (several messages can share a timestamp), else by time (held)."""
        query = (select(Message, User).join(User, User.id == Message.sender_id)
                 .where(Message.room_id == room_id, Message.seq.is_not(None)))
        is_earlier = Message.seq < seq if seq is not None else Message.created_at <= at
        is_later = Message.seq > seq if seq is not None else Message.created_at > at
        earlier = (await self.session.execute(query.where(is_earlier)
                                              .order_by(Message.seq.desc()).limit(before))).all() if before else []
        later = (await self.session.execute(query.where(is_later)
                                            .order_by(Message.seq).limit(after))).all() if after else []
        return [(m, u) for m, u in reversed(earlier)], [(m, u) for m, u in later]
