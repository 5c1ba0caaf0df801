"""`room:resume`: the catch-up event clients send after reconnecting (docs/protocol.md)."""
from __future__ import annotations

from typing import Any

from ..rooms.resume import get_missed
from .events import SEQ_MAX, Call, event


@event("room:resume", "room", "after", limit="history")
async def room_resume(call: Call) -> dict[str, Any]:
    p = call.payload
    after = p.optional_int("after", low=0, high=SEQ_MAX) or 0
    return await get_missed(call.svc, actor=call.actor, sid=call.sid, room_slug=p.string("room", max_length=48),
                            after=after)
