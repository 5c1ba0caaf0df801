"""A pinned room message that leaves its room takes the pin with it, live.

The pin keeps only the message's id and its text is read when the session is shown (shapes.py), so a
reload never shows it again; this pushes `session:state` to the room at once when the message goes by any
path: its author deletes it, a moderator removes it, its author's account is erased, retention purges it
(in a server's job, or `peerchat purge`, whose push a server sends within a second: server/pushes.py).
"""
from __future__ import annotations

from typing import Iterable

from ...broadcast import Broadcaster
from ...pushes import queueable
from ...services import Services
from ...storage.database import Transaction
from ...storage.sessions import SessionStore
from .announce import queue_state_to
from .shapes import controls_of


async def queue_unpinned(broadcaster: Broadcaster, tx: Transaction, gone: Iterable[tuple[str, str]]) -> None:
    """After commit, the new state of each open or live session whose pin is one of the (room id, message id)
    pairs that just left their room."""
    by_room: dict[str, set[str]] = {}
    for room_id, message_id in gone:
        by_room.setdefault(room_id, set()).add(message_id)
    if not by_room:
        return
    for row in await SessionStore(tx.session).active_in_rooms(sorted(by_room)):
        pinned = controls_of(row)["pinned"]
        if isinstance(pinned, dict) and pinned.get("message") in by_room[row.room_id]:
            await queue_state_to(broadcaster, tx, row)


@queueable("session.unpinned")
async def announce_unpinned(svc: Services, *, gone: list[list[str]]) -> None:
    """queue_unpinned for messages already gone, [room id, message id] each: the retention purge's push."""
    async with svc.db.transaction() as tx:
        await queue_unpinned(svc.broadcaster, tx, [(room_id, message_id) for room_id, message_id in gone])


async def pinned_messages(tx: Transaction) -> dict[str, str]:
    """Every room message pinned by an open or live session (message id -> its room id)."""
    rows = await SessionStore(tx.session).active_in_rooms(None)
    return {pinned["message"]: row.room_id for row in rows
            if isinstance(pinned := controls_of(row)["pinned"], dict) and pinned.get("message")}
