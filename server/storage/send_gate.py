"""What a plain send must know before it is written: the room, and whether anything stands in the way.

Concurrent sends share the lookup (storage/batching.py): two statements per batch instead of five per
message inside the write lock. The common case (no closed account, mute, rule mute or running session)
then goes on to group commit; anything else goes the careful way (rooms/messages.py `_send`).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Table, bindparam, exists, literal, null, select, union_all
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.sql.expression import BindParameter, CompoundSelect

from .admin_models import RuleMute
from .batching import Batcher
from .database import Database
from .models import Room, User
from .review_models import Mute
from .session_models import GroupSession
from .sessions import ACTIVE

MAX_BATCH = 200


@dataclass(frozen=True, slots=True)
class Ask:
    slug: str
    user_id: str
    now: float


@dataclass(frozen=True, slots=True)
class Gate:
    room: Room
    clear: bool
    """Nothing but the room's own rules applies: no closed account, mute, rule mute or running session."""


class SendGate:
    def __init__(self, db: Database, max_batch: int = MAX_BATCH) -> None:
        self.db = db
        self._batcher: Batcher[Ask, Gate | None] = Batcher(self._look_batch, max_batch)

    async def look(self, slug: str, user_id: str, now: float) -> Gate | None:
        """The open room by slug and whether the sender may take the fast path; None: no such open room."""
        return await self._batcher.submit(Ask(slug, user_id, now))

    async def _look_batch(self, asks: list[Ask]) -> list[Gate | None | BaseException]:
        async with self.db.connect() as connection:
            rooms = await _rooms(connection, {a.slug for a in asks})
            blocks = await _blocks(connection, {a.user_id for a in asks}, min(a.now for a in asks))
        gates: list[Gate | None | BaseException] = []
        for ask in asks:
            found = rooms.get(ask.slug)
            if found is None:
                gates.append(None)
                continue
            room, session_active = found
            blocked = any(room_id in (None, room.id) and (kind == "closed" or until > ask.now)
                          for kind, room_id, until in blocks.get(ask.user_id, ()))
            gates.append(Gate(room, clear=not blocked and not session_active))
        return gates


# Built once with expanding parameters, so a batch assembles no SQL elements (no garbage for the collector).
# Core statements on a bare connection: an ORM session and its loading cost more than the reads themselves.
_ROOM_TABLE: Table = Room.__table__  # type: ignore[assignment]
_ROOMS = select(_ROOM_TABLE, exists().where(GroupSession.room_id == _ROOM_TABLE.c.id, GroupSession.state.in_(ACTIVE))
                .label("session_active")).where(_ROOM_TABLE.c.slug.in_(bindparam("slugs", expanding=True)),
                                                _ROOM_TABLE.c.archived_at.is_(None))
_USERS: BindParameter[str] = bindparam("users", expanding=True)
_BLOCKS: CompoundSelect[Any] = union_all(
    select(literal("closed"), User.id, null(), User.deactivated_at)
    .where(User.id.in_(_USERS), User.deactivated_at.is_not(None)),
    select(literal("mute"), Mute.user_id, Mute.room_id, Mute.until)
    .where(Mute.user_id.in_(_USERS), Mute.until > bindparam("now")),
    select(literal("rule"), RuleMute.user_id, RuleMute.room_id, RuleMute.until)
    .where(RuleMute.user_id.in_(_USERS), RuleMute.until > bindparam("now")))


async def _rooms(connection: AsyncConnection, slugs: set[str]) -> dict[str, tuple[Room, bool]]:
    found = await connection.execute(_ROOMS, {"slugs": list(slugs)})
    rooms = {}
    for row in found:
        columns = dict(row._mapping)
        is_active = columns.pop("session_active")
        rooms[row.slug] = (Room(**columns), bool(is_active))
    return rooms


async def _blocks(connection: AsyncConnection, users: set[str],
                  now: float) -> dict[str, list[tuple[str, str | None, float]]]:
    """Per user: closed accounts, mutes (room or everywhere) and rule mutes (room) that may still apply."""
    blocks: dict[str, list[tuple[str, str | None, float]]] = {}
    for kind, user_id, room_id, until in (await connection.execute(_BLOCKS, {"users": list(users), "now": now})).all():
        blocks.setdefault(user_id, []).append((kind, room_id, until))
    return blocks
