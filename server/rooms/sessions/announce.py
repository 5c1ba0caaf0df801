"""Two things every session change does: write an audit row in its transaction, push state after commit."""
from __future__ import annotations

from typing import Any

from ...broadcast import Broadcaster, room_topic, user_topic
from ...services import Services
from ...storage.database import Transaction
from ...storage.session_models import GroupSession, SessionEvent
from ...storage.sessions import SessionStore
from .shapes import describe_one, everyone


def record(tx: Transaction, row: GroupSession, action: str, *, actor_id: str | None, now: float,
           target_id: str | None = None, **detail: Any) -> SessionEvent:
    event = SessionEvent(session_id=row.id, actor_id=actor_id, action=action, target_id=target_id, detail=detail,
                         created_at=now)
    SessionStore(tx.session).add(event)
    return event


async def queue_state(svc: Services, tx: Transaction, row: GroupSession) -> dict[str, Any]:
    """Flush, shape the session as it now is, and send `session:state` to its room once committed (to the
    people in the room, so with a pinned room message's text; every caller is in the room or controls it)."""
    return await queue_state_to(svc.broadcaster, tx, row)


async def queue_state_to(broadcaster: Broadcaster, tx: Transaction, row: GroupSession) -> dict[str, Any]:
    """queue_state for callers that hold a broadcaster but no Services (the retention job)."""
    await tx.session.flush()
    shape = await describe_one(tx.session, row, in_room=everyone)
    tx.after_commit(lambda: broadcaster.publish(room_topic(row.room_id), "session:state", shape))
    return shape


def queue_personal(svc: Services, tx: Transaction, user_id: str, event: str, payload: dict[str, Any]) -> None:
    tx.after_commit(lambda: svc.broadcaster.publish(user_topic(user_id), event, payload))
