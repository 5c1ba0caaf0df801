"""Checks shared by room events: the room exists and this connection has joined it."""
from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from ..errors import DomainError, ErrorCode
from ..identity.principal import Principal
from ..storage.models import Room
from ..storage.rooms import RoomStore
from .age_bands import check_room_band
from .presence import Presence, Present


async def check_room(session: AsyncSession, slug: str) -> Room:
    room = await RoomStore(session).by_slug(slug)
    if room is None:
        raise DomainError(ErrorCode.NOT_FOUND, "That room doesn't exist (or is no longer open).")
    return room


async def check_visible_room(session: AsyncSession, slug: str, viewer: Principal | None) -> Room:
    """A room this person (None: someone not signed in) may see; the other band's answer as missing ones."""
    room = await check_room(session, slug)
    check_room_band(viewer, room)
    return room


def check_joined(presence: Presence, room: Room, actor: Principal, sid: str) -> Present:
    """Return how this person is in the room, or refuse with not_member if this connection has not joined."""
    check_room_band(actor, room)
    present = presence.get(room.id, actor.user_id)
    if present is None or not presence.is_in(room.id, actor.user_id, sid):
        raise DomainError(ErrorCode.NOT_MEMBER, "Join the room first.")
    return present
