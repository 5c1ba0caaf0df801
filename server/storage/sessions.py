"""SQL for scheduled group sessions: occurrences, participants, the audit trail and feedback."""
from __future__ import annotations

from typing import Any, Iterable

from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from .models import Message, User
from .review import ReviewStore
from .session_models import GroupSession, SessionEvent, SessionFeedback, SessionParticipant

UPCOMING = ("scheduled", "open", "live")
ACTIVE = ("open", "live")


class SessionStore:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def add(self, row: GroupSession | SessionParticipant | SessionEvent | SessionFeedback) -> None:
        self.session.add(row)

    async def get(self, session_id: str, *, lock: bool = False) -> GroupSession | None:
        """The row as stored now; `lock` holds it for this transaction so controls change one at a time."""
        query = select(GroupSession).where(GroupSession.id == session_id).execution_options(populate_existing=True)
        if lock:
            query = query.with_for_update()
        return (await self.session.execute(query)).scalar_one_or_none()

    async def overlapping(self, room_id: str, start: float, end: float, exclude: Iterable[str] = ()) -> bool:
        query = select(GroupSession.id).where(
            GroupSession.room_id == room_id, GroupSession.state.in_(UPCOMING),
            GroupSession.start_at < end, GroupSession.ends_at > start, GroupSession.id.not_in(list(exclude))).limit(1)
        return (await self.session.execute(query)).first() is not None

    async def listed(self, *, room_id: str | None = None, states: Iterable[str] = UPCOMING,
                     ending_after: float | None = None, limit: int = 200) -> list[GroupSession]:
        query = select(GroupSession).where(GroupSession.state.in_(list(states)))
        if room_id is not None:
            query = query.where(GroupSession.room_id == room_id)
        if ending_after is not None:
            query = query.where(GroupSession.ends_at > ending_after)
        query = query.order_by(GroupSession.start_at, GroupSession.id).limit(limit)
        return list((await self.session.execute(query)).scalars())

    async def series(self, series_id: str) -> list[GroupSession]:
        found = await self.session.execute(
            select(GroupSession).where(GroupSession.series_id == series_id).order_by(GroupSession.start_at))
        return list(found.scalars())

    async def next_per_room(self) -> dict[str, GroupSession]:
        nearest: dict[str, GroupSession] = {}
        for row in await self.listed(limit=1000):
            nearest.setdefault(row.room_id, row)
        return nearest

    async def active_in_room(self, room_id: str) -> GroupSession | None:
        found = await self.session.execute(select(GroupSession).where(
            GroupSession.room_id == room_id, GroupSession.state.in_(ACTIVE)).order_by(GroupSession.start_at).limit(1))
        return found.scalar_one_or_none()

    async def active_in_rooms(self, room_ids: list[str] | None) -> list[GroupSession]:
        """Open and live sessions in these rooms (None: in every room)."""
        query = select(GroupSession).where(GroupSession.state.in_(ACTIVE))
        if room_ids is not None:
            query = query.where(GroupSession.room_id.in_(room_ids))
        return list((await self.session.execute(query)).scalars())

    async def due(self, now: float) -> list[GroupSession]:
        """Occurrences whose scheduled time for the next state has come (or, for live ones, may have a break)."""
        found = await self.session.execute(select(GroupSession).where(or_(
            (GroupSession.state == "scheduled") & (GroupSession.opens_at <= now),
            (GroupSession.state == "open") & (GroupSession.start_at <= now),
            GroupSession.state == "live")))
        return list(found.scalars())

    async def transition(self, session_id: str, from_states: Iterable[str], to: str, **values: Any) -> bool:
        """The conditional update that makes a transition happen once, whichever process tries it."""
        found = await self.session.execute(
            update(GroupSession).where(GroupSession.id == session_id, GroupSession.state.in_(list(from_states)))
            .values(state=to, version=GroupSession.version + 1, **values)
            .execution_options(synchronize_session=False))
        return bool(getattr(found, "rowcount", 0))

    async def participant(self, session_id: str, user_id: str, *, lock: bool = False) -> SessionParticipant | None:
        query = select(SessionParticipant).where(SessionParticipant.session_id == session_id,
                                                 SessionParticipant.user_id == user_id)
        if lock:
            query = query.with_for_update()
        return (await self.session.execute(query.execution_options(populate_existing=True))).scalar_one_or_none()

    async def with_status(self, session_id: str, status: str) -> list[SessionParticipant]:
        found = await self.session.execute(select(SessionParticipant).where(
            SessionParticipant.session_id == session_id, SessionParticipant.status == status)
            .order_by(SessionParticipant.queued_at, SessionParticipant.id))
        return list(found.scalars())

    async def roster(self, session_ids: list[str]) -> list[SessionParticipant]:
        if not session_ids:
            return []
        found = await self.session.execute(
            select(SessionParticipant).where(SessionParticipant.session_id.in_(session_ids)))
        return list(found.scalars())

    async def users(self, user_ids: Iterable[str]) -> dict[str, User]:
        ids = list(set(user_ids))
        if not ids:
            return {}
        return {u.id: u for u in (await self.session.execute(select(User).where(User.id.in_(ids)))).scalars()}

    async def staff_by_username(self, usernames: list[str]) -> dict[str, User]:
        found = await self.session.execute(select(User).where(User.username.in_(usernames)))
        return {u.username or "": u for u in found.scalars()}

    async def request_feedback(self, session_id: str) -> list[str]:
        """Everyone who attended and was not removed now owes (at most) one anonymous form."""
        found = await self.session.execute(
            update(SessionParticipant).where(SessionParticipant.session_id == session_id,
                                             SessionParticipant.attended.is_(True),
                                             SessionParticipant.status != "removed")
            .values(feedback="due").returning(SessionParticipant.user_id))
        return list(found.scalars())

    async def take_feedback_slot(self, session_id: str, user_id: str) -> bool:
        found = await self.session.execute(
            update(SessionParticipant).where(SessionParticipant.session_id == session_id,
                                             SessionParticipant.user_id == user_id,
                                             SessionParticipant.feedback == "due")
            .values(feedback="given").execution_options(synchronize_session=False))
        return bool(getattr(found, "rowcount", 0))

    async def feedback(self, *, session_id: str | None = None, series_id: str | None = None) -> list[SessionFeedback]:
        query = select(SessionFeedback)
        if session_id is not None:
            query = query.where(SessionFeedback.session_id == session_id)
        if series_id is not None:
            query = query.where(SessionFeedback.series_id == series_id)
        return list((await self.session.execute(query)).scalars())

    async def delete_room_messages(self, room_id: str, since: float, until: float) -> int:
        """Erase a confidential session's transcript: every message of the room in its time window, except
        those a safety review is about: the room sees them deleted, moderators keep the review's copy until
        moderation retention ends."""
        in_window = (Message.room_id == room_id, Message.created_at >= since, Message.created_at <= until)
        reviewed = Message.id.in_(ReviewStore.message_targets())
        await self.session.execute(update(Message).where(*in_window, reviewed).values(
            status="deleted", original=func.coalesce(Message.original, Message.text), text=None)
            .execution_options(synchronize_session=False))
        found = await self.session.execute(
            delete(Message).where(Message.room_id == room_id, Message.created_at >= since,
                                  Message.created_at <= until, Message.id.not_in(ReviewStore.message_targets()))
            .execution_options(synchronize_session=False))
        return int(getattr(found, "rowcount", 0) or 0)

    async def events(self, session_id: str) -> list[SessionEvent]:
        found = await self.session.execute(
            select(SessionEvent).where(SessionEvent.session_id == session_id).order_by(SessionEvent.id))
        return list(found.scalars())
