"""Reading a room's history by sequence number: pages back in time, or everything after a point."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..errors import DomainError, ErrorCode
from ..identity.principal import Principal
from ..services import Services
from ..storage.messages import MessageStore
from .access import check_joined, check_room
from .policy import HistoryVisibility, RoomRules
from .presence import Present
from .shapes import message_shape, user_shape


def visible_since(rules: RoomRules, present: Present) -> float | None:
    """The oldest moment this person may read back to under the room's rules (None: all that is kept)."""
    if rules.history is HistoryVisibility.SINCE_JOINED:
        return present.member_since
    if rules.history is HistoryVisibility.NONE:
        return present.here_since
    return None


@dataclass(frozen=True, slots=True)
class HistoryRequest:
    room: str
    before: int | None
    after: int | None
    limit: int


async def get_history(svc: Services, *, actor: Principal, sid: str, request: HistoryRequest) -> dict[str, Any]:
    if request.before is not None and request.after is not None:
        raise DomainError(ErrorCode.INVALID, "Ask for messages before a point or after it, not both.")
    if not 1 <= request.limit <= svc.settings.history_page_max:
        raise DomainError(ErrorCode.INVALID, f"limit must be 1 to {svc.settings.history_page_max}.",
                          field="limit")
    async with svc.db.read() as session:
        room = await check_room(session, request.room)
        present = check_joined(svc.presence, room, actor, sid)
        rows = await MessageStore(session).page(room.id, before=request.before, after=request.after,
                                                limit=request.limit + 1,
                                                since=visible_since(RoomRules.from_json(room.policy), present))
    more = len(rows) > request.limit
    rows = rows[: request.limit] if request.after is not None else rows[-request.limit:]
    return {
        "room": room.slug,
        "messages": [message_shape(m, user_shape(u), room.slug) for m, u in rows],
        "has_more": more,
        "last_seq": room.last_seq,
    }
