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

from sqlalchemy import Table, bindparam, insert, update
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
# Rooms advanced by the same count share one statement that also returns where each now stands.
_ADVANCE = (update(_ROOMS).where(_ROOMS.c.id.in_(bindparam("rooms", expanding=True)))
            .values(last_seq=_ROOMS.c.last_seq + bindparam("n")).returning(_ROOMS.c.id, _ROOMS.c.last_seq))


async def _take_seqs(connection: AsyncConnection, messages: list[Message]) -> None:
    """Advance every room in the batch (under the rows' lock) and learn where each now stands; messages get
    gapless seqs in arrival order. Usually one statement: in a batch most rooms have the same count."""
    counts = Counter(m.room_id for m in messages)
    by_count: dict[int, list[str]] = {}
    for room_id, n in counts.items():
        by_count.setdefault(n, []).append(room_id)
    next_seq: dict[str, int] = {}
    for n, rooms in sorted(by_count.items()):
        for room_id, last in await connection.execute(_ADVANCE, {"rooms": sorted(rooms), "n": n}):
            next_seq[room_id] = last - n + 1
    for message in messages:
        message.seq = next_seq[message.room_id]
        next_seq[message.room_id] += 1
