"""Group commit for plain messages: concurrent sends on one process share one transaction.

Each caller hands over a Message and awaits its own outcome (storage/batching.py). Guarantees kept from
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

from collections import Counter

from sqlalchemy import Table, bindparam, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from .batching import Batcher
from .database import Database
from .models import Message, Room

MAX_BATCH = 200

Key = tuple[str, str, str]


def _key(message: Message) -> Key:
    return (message.room_id, message.sender_id, message.client_msg_id)


class MessageWriter:
    def __init__(self, db: Database, max_batch: int = MAX_BATCH) -> None:
        self.db = db
        self._batcher: Batcher[Message, Message] = Batcher(self._write_batch, max_batch)

    async def write(self, message: Message) -> Message:
        """Store a visible message with the room's next seq; returns it, or the message with the same
        client_msg_id earlier in its batch. Raises what storing raised (DomainError; IntegrityError when that
        client_msg_id was stored before)."""
        return await self._batcher.submit(message)

    async def _write_batch(self, messages: list[Message]) -> list[Message | BaseException]:
        try:
            return list(await self._commit(messages))
        except IntegrityError:
            return [await self._write_alone(message) for message in messages]

    async def _write_alone(self, message: Message) -> Message | BaseException:
        """Each message's own outcome: one that fails (the duplicate, or any error) fails only itself."""
        try:
            return (await self._commit([message]))[0]
        except Exception as exc:
            return exc

    async def _commit(self, messages: list[Message]) -> list[Message]:
        first: dict[Key, Message] = {}
        for message in messages:
            first.setdefault(_key(message), message)
        fresh = list(first.values())
        async with self.db.core_transaction() as connection:
            await _take_seqs(connection, fresh)
            await connection.execute(_INSERT, [{c: getattr(m, c) for c in _COLUMNS} for m in fresh])
        return [first[_key(m)] for m in messages]


# Built once with expanding parameters: statements assembled per batch left thousands of cyclic SQL
# elements behind for the garbage collector (60-150 ms pauses under load).
_MESSAGES: Table = Message.__table__  # type: ignore[assignment]
_ROOMS: Table = Room.__table__  # type: ignore[assignment]
_COLUMNS = [c.key for c in _MESSAGES.columns]
# RETURNING makes SQLAlchemy send one multi-row INSERT ("insertmanyvalues") instead of an executemany, whose
# every row costs the database thread a turn at the GIL from the busy event loop.
_INSERT = insert(_MESSAGES).returning(_MESSAGES.c.id)
_ADVANCE = update(_ROOMS).where(_ROOMS.c.id == bindparam("room")).values(last_seq=_ROOMS.c.last_seq + bindparam("n"))
_ADVANCE_ONE = _ADVANCE.returning(_ROOMS.c.last_seq)
_LAST_SEQS = select(_ROOMS.c.id, _ROOMS.c.last_seq).where(_ROOMS.c.id.in_(bindparam("rooms", expanding=True)))


async def _take_seqs(connection: AsyncConnection, messages: list[Message]) -> None:
    """Advance every room in the batch (under the rows' lock), then learn where each now stands; messages
    get gapless seqs in arrival order. One room (the usual batch in group rooms) is one statement."""
    counts = Counter(m.room_id for m in messages)
    if len(counts) == 1:
        [(room_id, n)] = counts.items()
        last = (await connection.execute(_ADVANCE_ONE, {"room": room_id, "n": n})).scalar_one()
        next_seq = {room_id: last - n + 1}
    else:
        # Rooms in a fixed order, one row at a time: two processes' batches lock the same rows in the same
        # order, never a deadlock (an UPDATE ... WHERE id IN (...) locks them in whatever order it scans).
        await connection.execute(_ADVANCE, [{"room": room_id, "n": n} for room_id, n in sorted(counts.items())])
        found = await connection.execute(_LAST_SEQS, {"rooms": list(counts)})
        next_seq = {room_id: last - counts[room_id] + 1 for room_id, last in found.all()}
    for message in messages:
        message.seq = next_seq[message.room_id]
        next_seq[message.room_id] += 1
