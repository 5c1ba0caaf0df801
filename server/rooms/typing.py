"""Typing indicators: ephemeral, never stored, only from participants who joined on this connection."""
from __future__ import annotations

from ..broadcast import room_topic
from ..errors import DomainError, ErrorCode
from ..identity.principal import Principal
from ..services import Services
from .access import check_joined, check_room


async def do_typing(svc: Services, *, actor: Principal, sid: str, room_slug: str) -> None:
    async with svc.db.read() as session:
        room = await check_room(session, room_slug)
    if check_joined(svc.presence, room, actor, sid).mode == "listener":
        raise DomainError(ErrorCode.LISTENER_MODE, "Listeners don't send typing indicators.")
    await svc.broadcaster.publish(room_topic(room.id), "typing", {"room": room.slug, "user": actor.public()},
                                  skip_sid=sid)
