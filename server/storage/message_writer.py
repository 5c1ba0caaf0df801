"""Group commit for plain messages: concurrent sends on one process share one transaction.

Each caller hands over a NewMessage and awaits its own outcome (storage/batching.py). Guarantees kept from
the one-message transaction:
- sequence numbers per room are gapless and follow arrival order (taken under the room rows' lock);
- a caller learns of success only after the commit, so nothing is broadcast that was not stored;
- a resend (same sender, room, client_msg_id) earlier in the same batch gets that message; one stored
  before (or by a concurrent writer) makes the batch hit the unique constraint: then each message is
  retried alone and only the duplicate sees the IntegrityError (its caller answers with the stored one).
  No lookup before the insert: resends are rare, and SQLite answered every form of a many-key lookup
  by scanning the table or the product of the key columns' lists, which grew with the table and the batch;
- a failure reaches every caller in the batch (nothing is silently lost).
"""
from __future__ import annotations

import functools
import sqlite3
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Table, bindparam, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from .batching import Batcher
from .database import Database
from .models import Message, Room
from .sqlite_direct import DIALECT, Compiled

MAX_BATCH = 200

Key = tuple[str, str, str]


@dataclass(slots=True)
class NewMessage:
    """A visible message on its way to group commit, with the columns of `Message` (models.py): a plain
    object, because building and reading an ORM instance cost ~20 µs a message against ~2 µs."""

    id: str
    room_id: str
    sender_id: str
    client_msg_id: str
    seq: int | None
    status: str
    text: str | None
    original: str | None
    decision: str
    flags: list[dict[str, Any]]
    notices: list[dict[str, Any]]
    created_at: float
    content_warning: bool = False


def _key(message: NewMessage) -> Key:
    return (message.room_id, message.sender_id, message.client_msg_id)


class MessageWriter:
    def __init__(self, db: Database, max_batch: int = MAX_BATCH) -> None:
        self.db = db
        self._batcher: Batcher[NewMessage, NewMessage] = Batcher(self._write_batch, max_batch)

    async def write(self, message: NewMessage) -> NewMessage:
        """Store a visible message with the room's next seq; returns it, or the message with the same
        client_msg_id earlier in its batch. Raises what storing raised (DomainError; IntegrityError when that
        client_msg_id was stored before)."""
        return await self._batcher.submit(message)

    async def _write_batch(self, messages: list[NewMessage]) -> list[NewMessage | BaseException]:
        try:
            return list(await self._commit(messages))
        except IntegrityError:
            return [await self._write_alone(message) for message in messages]

    async def _write_alone(self, message: NewMessage) -> NewMessage | BaseException:
        """Each message's own outcome: one that fails (the duplicate, or any error) fails only itself."""
        try:
            return (await self._commit([message]))[0]
        except Exception as exc:
            return exc

    async def _commit(self, messages: list[NewMessage]) -> list[NewMessage]:
        first: dict[Key, NewMessage] = {}
        for message in messages:
            first.setdefault(_key(message), message)
        fresh = list(first.values())
        if self.db.direct is not None:
            rows = [[getattr(m, c) if encode is None else encode(getattr(m, c)) for c, encode in _ENCODERS]
                    for m in fresh]
            counts = _counts(fresh)
            _assign(fresh, await self.db.write_direct(lambda connection: _store(connection, counts, rows)))
        else:
            async with self.db.core_transaction() as connection:
                await _take_seqs(connection, fresh)
                await connection.execute(_INSERT, [{c: getattr(m, c) for c in _COLUMNS} for m in fresh])
        return [first[_key(m)] for m in messages]


# Built once with expanding parameters: statements assembled per batch left thousands of cyclic SQL
# elements behind for the garbage collector (60-150 ms pauses under load).
_MESSAGES: Table = Message.__table__  # type: ignore[assignment]
_ROOMS: Table = Room.__table__  # type: ignore[assignment]
_COLUMNS = [c.key for c in _MESSAGES.columns]
assert set(NewMessage.__dataclass_fields__) == set(_COLUMNS), "NewMessage must carry every column of Message"
# RETURNING makes SQLAlchemy send one multi-row INSERT ("insertmanyvalues") instead of an executemany, whose
# every row costs the database thread a turn at the GIL from the busy event loop.
_INSERT = insert(_MESSAGES).returning(_MESSAGES.c.id)
_ADVANCE = update(_ROOMS).where(_ROOMS.c.id == bindparam("room")).values(last_seq=_ROOMS.c.last_seq + bindparam("n"))
_ADVANCE_ONE = _ADVANCE.returning(_ROOMS.c.last_seq)
_LAST_SEQS = select(_ROOMS.c.id, _ROOMS.c.last_seq).where(_ROOMS.c.id.in_(bindparam("rooms", expanding=True)))
# On a SQLite file (storage/sqlite_direct.py): the same statements as SQLite text, a whole batch in one call
# in the writer thread; rows carry the driver's own values (JSON as text, booleans as 0/1).
_ADVANCE_SQLITE = Compiled(_ADVANCE_ONE)
_INSERT_SQLITE = Compiled(insert(_MESSAGES))
_ENCODERS = [(name, _MESSAGES.c[name].type.bind_processor(DIALECT)) for name in _INSERT_SQLITE.names]
_SEQ, _ROOM_ID = _INSERT_SQLITE.names.index("seq"), _INSERT_SQLITE.names.index("room_id")


def _counts(messages: list[NewMessage]) -> dict[str, int]:
    """Messages per room, rooms in a fixed order: two writers lock the same rows in the same order."""
    return dict(sorted(Counter(m.room_id for m in messages).items()))


def _numbered(room_ids: Iterable[str], first: dict[str, int]) -> list[int]:
    """Gapless seqs in arrival order from each room's first new seq."""
    next_seq = dict(first)
    seqs = []
    for room_id in room_ids:
        seqs.append(next_seq[room_id])
        next_seq[room_id] += 1
    return seqs


def _assign(messages: list[NewMessage], first: dict[str, int]) -> None:
    for message, seq in zip(messages, _numbered((m.room_id for m in messages), first)):
        message.seq = seq


def _store(connection: sqlite3.Connection, counts: dict[str, int], rows: list[list[Any]]) -> dict[str, int]:
    """In the writer thread, inside its transaction: advance each room, insert the rows with their seqs;
    returns each room's first new seq."""
    first: dict[str, int] = {}
    for room_id, n in counts.items():
        found = connection.execute(_ADVANCE_SQLITE.sql, _ADVANCE_SQLITE.params({"room": room_id, "n": n})).fetchone()
        if found is None:
            raise LookupError(f"room {room_id} is gone")
        first[room_id] = found[0] - n + 1
    for row, seq in zip(rows, _numbered((row[_ROOM_ID] for row in rows), first)):
        row[_SEQ] = seq
    connection.execute(_insert_rows(len(rows)), [value for row in rows for value in row])
    return first


@functools.lru_cache(maxsize=MAX_BATCH)
def _insert_rows(n: int) -> str:
    """One INSERT of n rows: executemany steps once per row, and each step is a turn at the GIL the writer
    thread waits for while the event loop is busy (up to the 5 ms switch interval)."""
    head, row = _INSERT_SQLITE.sql.split(" VALUES ")
    return f"{head} VALUES {', '.join([row] * n)}"


async def _take_seqs(connection: AsyncConnection, messages: list[NewMessage]) -> None:
    """Advance every room in the batch (under the rows' lock), then learn where each now stands; messages
    get gapless seqs in arrival order. One room (the usual batch in group rooms) is one statement."""
    counts = _counts(messages)
    if len(counts) == 1:
        [(room_id, n)] = counts.items()
        last = (await connection.execute(_ADVANCE_ONE, {"room": room_id, "n": n})).scalar_one()
        next_seq = {room_id: last - n + 1}
    else:
        # Rooms in a fixed order, one row at a time: two processes' batches lock the same rows in the same
        # order, never a deadlock (an UPDATE ... WHERE id IN (...) locks them in whatever order it scans).
        await connection.execute(_ADVANCE, [{"room": room_id, "n": n} for room_id, n in counts.items()])
        found = await connection.execute(_LAST_SEQS, {"rooms": list(counts)})
        next_seq = {room_id: last - counts[room_id] + 1 for room_id, last in found.all()}
    _assign(messages, next_seq)
