"""What a plain send must know before it is written: the room, and whether anything stands in the way.

Concurrent sends share the lookup (storage/batching.py): one statement per batch instead of five per
message inside the write lock. The common case (no closed account, mute, rule mute, running session or
slow mode)
then goes on to group commit; anything else goes the careful way (rooms/messages.py `_send`).
"""
from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Sequence

from sqlalchemy import Select, Table, bindparam, exists, func, literal, null, or_, select, type_coerce, union_all
from sqlalchemy.sql.expression import BindParameter, ColumnElement, CompoundSelect

from .admin_models import RuleMute
from .batching import Batcher
from .database import Database
from .models import Room, User
from .review_models import Mute
from .session_models import GroupSession
from .sessions import ACTIVE
from .sqlite_direct import DIALECT, Compiled

MAX_BATCH = 200


@dataclass(frozen=True, slots=True)
class Ask:
    slug: str
    user_id: str
    now: float


@dataclass(frozen=True, slots=True)
class Gate:
    room: Room
    """The room's row as read, without last_seq (shared by the sends that read the same row)."""
    clear: bool
    """Nothing but the room's own rules applies: no closed account, mute, rule mute, running session or slow
    mode."""


class SendGate:
    def __init__(self, db: Database, max_batch: int = MAX_BATCH) -> None:
        self.db = db
        self._batcher: Batcher[Ask, Gate | None] = Batcher(self._look_batch, max_batch)
        self._rooms = RoomCache(decode=db.direct is not None)

    async def look(self, slug: str, user_id: str, now: float) -> Gate | None:
        """The open room by slug and whether the sender may take the fast path; None: no such open room."""
        return await self._batcher.submit(Ask(slug, user_id, now))

    async def _look_batch(self, asks: list[Ask]) -> list[Gate | None | BaseException]:
        slugs, users, now = list({a.slug for a in asks}), list({a.user_id for a in asks}), min(a.now for a in asks)
        rows: Iterable[Sequence[Any]]
        if self.db.direct is not None:
            if len(slugs) == 1 and len(users) == 1:
                look, values = _LOOK_SQLITE_ONE, {"slugs": slugs[0], "users": users[0], "now": now}
            else:
                look, values = _LOOK_SQLITE, {"slugs": json.dumps(slugs), "users": json.dumps(users), "now": now}
            params = look.params(values)
            rows = self.db.read_direct(lambda connection: _fetch(connection, look.sql, params))
        else:
            async with self.db.connect() as connection:
                rows = (await connection.execute(_LOOK, {"slugs": slugs, "users": users, "now": now})).all()
        rooms, blocks = _split(rows, self._rooms)
        gates: list[Gate | None | BaseException] = []
        for ask in asks:
            found = rooms.get(ask.slug)
            if found is None:
                gates.append(None)
                continue
            room, session_active = found
            blocked = any(room_id in (None, room.id) and (kind == "closed" or until > ask.now)
                          for kind, room_id, until in blocks.get(ask.user_id, ()))
            slow = bool(room.slow_mode_seconds) and (room.slow_mode_until is None or room.slow_mode_until > ask.now)
            gates.append(Gate(room, clear=not blocked and not session_active and not slow))
        return gates


# One statement: the rooms (block columns null) and, after them, the senders' blocks (room columns null).
# Each statement on aiosqlite is four thread hand-offs and SQLAlchemy's fixed cost; two were half the read.
# Built once with expanding parameters, so a batch assembles no SQL elements (no garbage for the collector).
# Core on a bare connection: an ORM session and its loading cost more than the reads themselves.
# On a SQLite file the same statement runs on SQLite's own driver (storage/sqlite_direct.py), its lists
# passed as JSON arrays so that its text, prepared once, fits every batch.
_ROOM_TABLE: Table = Room.__table__  # type: ignore[assignment]
# Not last_seq: it moves with every message (group commit takes seqs under the row's lock), so a Room read
# with it would never be reused; the gate's Room leaves it unset.
_ROOM_READ = [c for c in _ROOM_TABLE.columns if c.key != "last_seq"]
_ROOM_COLUMNS = [c.key for c in _ROOM_READ]
_ROOM_DECODERS = [c.type.result_processor(DIALECT, None) for c in _ROOM_READ]
_BLOCK_COLUMNS = ["block_kind", "block_user", "block_room", "block_until"]
_NOW: BindParameter[float] = bindparam("now")
_NO_ROOM = [type_coerce(null(), c.type).label(c.key) for c in _ROOM_READ] + [null().label("session_active")]
Within = Callable[[Any, str], ColumnElement[bool]]


def _listed(column: Any, name: str) -> ColumnElement[bool]:
    return column.in_(bindparam(name, expanding=True))


def _in_json(column: Any, name: str) -> ColumnElement[bool]:
    return column.in_(select(func.json_each(bindparam(name)).table_valued("value")))


def _equal(column: Any, name: str) -> ColumnElement[bool]:
    return column == bindparam(name)


def _block(kind: str, user: Any, room: Any, until: Any) -> Select[Any]:
    return select(*_NO_ROOM, literal(kind).label("block_kind"), user.label("block_user"),
                  room.label("block_room"), until.label("block_until"))


def _look(within: Within) -> CompoundSelect[Any]:
    return union_all(
        # The states as plain parameters, not an IN list (expanded when executed): SQLite's text is final.
        select(*_ROOM_READ, exists().where(GroupSession.room_id == _ROOM_TABLE.c.id,
                                           or_(*(GroupSession.state == state for state in ACTIVE)))
               .label("session_active"), *(null().label(name) for name in _BLOCK_COLUMNS))
        .where(within(_ROOM_TABLE.c.slug, "slugs"), _ROOM_TABLE.c.archived_at.is_(None)),
        _block("closed", User.id, null(), User.deactivated_at)
        .where(within(User.id, "users"), User.deactivated_at.is_not(None)),
        _block("mute", Mute.user_id, Mute.room_id, Mute.until).where(within(Mute.user_id, "users"), Mute.until > _NOW),
        _block("rule", RuleMute.user_id, RuleMute.room_id, RuleMute.until)
        .where(within(RuleMute.user_id, "users"), RuleMute.until > _NOW))


_LOOK = _look(_listed)
_LOOK_SQLITE = Compiled(_look(_in_json))
# Below saturation most batches hold one send (84 % at 500 msg/s in rooms of 20): plain parameters instead of
# four json_each scans halve that statement's time (28 -> 14 us).
_LOOK_SQLITE_ONE = Compiled(_look(_equal))


_SLUG = _ROOM_COLUMNS.index("slug")
Blocks = dict[str, list[tuple[str, str | None, float]]]


def _fetch(connection: sqlite3.Connection, sql: str, params: tuple[Any, ...]) -> list[Any]:
    return connection.execute(sql, params).fetchall()


class RoomCache:
    """The Room last built from each slug's row, reused while the row read is identical: building an ORM
    object per row was a tenth of the send path's CPU. The row is still read every time, so this is exact.
    With `decode` the rows are the driver's own values (SQLite's: JSON as text, booleans as 0/1)."""

    MAX_ROOMS = 10_000

    def __init__(self, *, decode: bool = False) -> None:
        self._by_slug: dict[str, tuple[tuple[Any, ...], Room]] = {}
        self._decode = decode

    def room(self, values: tuple[Any, ...]) -> Room:
        slug = values[_SLUG]
        known = self._by_slug.get(slug)
        if known is not None and known[0] == values:
            return known[1]
        if len(self._by_slug) >= self.MAX_ROOMS:
            self._by_slug.clear()
        fields = values if not self._decode else \
            tuple(value if decode is None else decode(value) for decode, value in zip(_ROOM_DECODERS, values))
        room = Room(**dict(zip(_ROOM_COLUMNS, fields)))
        self._by_slug[slug] = (values, room)
        return room


def _split(rows: Iterable[Sequence[Any]], cache: RoomCache) -> tuple[dict[str, tuple[Room, bool]], Blocks]:
    """Rooms by slug (with whether a session runs there); per user: closed accounts, mutes (room or
    everywhere) and rule mutes (room) that may still apply."""
    rooms: dict[str, tuple[Room, bool]] = {}
    blocks: Blocks = {}
    width = len(_ROOM_COLUMNS)
    for row in rows:
        kind, user_id, room_id, until = row[width + 1:]
        if kind is None:
            room = cache.room(tuple(row[:width]))
            rooms[room.slug] = (room, bool(row[width]))
        else:
            blocks.setdefault(user_id, []).append((kind, room_id, until))
    return rooms, blocks
