"""Who may do what to a session: only its own facilitators (and admins) control it."""
from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from ...errors import DomainError, ErrorCode
from ...identity.principal import Principal
from ...identity.roles import Role
from ...services import Services
from ...storage.models import Room
from ...storage.session_models import GroupSession
from ...storage.sessions import SessionStore
from ..age_bands import can_see_room
from .shapes import RoomReaders, nobody


async def check_session(store: SessionStore, session_id: str, *, lock: bool = False) -> GroupSession:
    row = await store.get(session_id, lock=lock) if len(session_id) <= 32 else None
    if row is None:
        raise DomainError(ErrorCode.NOT_FOUND, "That session doesn't exist.")
    return row


async def visible_sessions(session: AsyncSession, rows: list[GroupSession],
                           viewer: Principal | None) -> list[GroupSession]:
    """Only sessions of rooms this person may see: teen rooms' schedules are not shown to adults or the
    public, nor adult rooms' to teens, nor older adults' rooms' to younger peers (rooms/age_bands.py)."""
    rooms = {room_id: await session.get(Room, room_id) for room_id in {row.room_id for row in rows}}
    return [row for row in rows if (room := rooms[row.room_id]) is not None and can_see_room(viewer, room)]


def can_control(row: GroupSession, actor: Principal) -> bool:
    return actor.role is Role.ADMIN or actor.user_id in row.facilitators


def room_readers(svc: Services, viewer: Principal | None) -> RoomReaders:
    """Whom a session counts as "in its room" when shown over HTTP (where a pinned room message's text is for
    them alone): someone in the room now, on any process, or one who controls the session."""
    if viewer is None:
        return nobody
    return lambda row: can_control(row, viewer) or svc.presence.anywhere(row.room_id, viewer.user_id)


def check_can_control(row: GroupSession, actor: Principal) -> None:
    if not can_control(row, actor):
        raise DomainError(ErrorCode.FORBIDDEN, "Only this session's facilitators (or an admin) can do that.")


def check_can_schedule(actor: Principal) -> None:
    if actor.role not in (Role.FACILITATOR, Role.ADMIN):
        raise DomainError(ErrorCode.FORBIDDEN, "Only facilitators and admins schedule sessions.")
