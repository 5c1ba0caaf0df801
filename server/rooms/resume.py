"""Catching up after a reconnect: everything after the last sequence number a client saw, or, when it
has been away too long, an instruction to reload rather than an unbounded replay. Like history, it shows
nothing the room's rules hide from this person (a newcomer asking from 0 in a since-joined room).
"""
from __future__ import annotations

from typing import Any

from ..identity.principal import Principal
from ..services import Services
from ..storage.messages import MessageStore
from .access import check_joined, check_room
from .history import visible_since
from .policy import RoomRules
from .shapes import message_shape, user_shape


async def get_missed(svc: Services, *, actor: Principal, sid: str, room_slug: str, after: int) -> dict[str, Any]:
    async with svc.db.read() as session:
        room = await check_room(session, room_slug)
        present = check_joined(svc.presence, room, actor, sid)
        if room.last_seq - after > svc.settings.resume_max:
            return {"room": room.slug, "reload": True, "messages": [], "last_seq": room.last_seq}
        rows = await MessageStore(session).page(room.id, before=None, after=after,
                                                limit=max(1, room.last_seq - after),
                                                since=visible_since(RoomRules.from_json(room.policy), present))
    return {"room": room.slug, "reload": False, "messages": [message_shape(m, user_shape(u), room.slug)
                                                             for m, u in rows], "last_seq": room.last_seq}
