"""SQLite through its own driver for the send path's batches: reads on the event loop, writes in a thread.

Through SQLAlchemy and aiosqlite every statement is about four thread hand-offs plus SQLAlchemy's
execution cost; the send path's batches were the largest share of a message's CPU. Here a write batch
is one function run in a thread of our own (one hand-off) and a read batch runs on the event loop
itself, the statements prepared once (compiled from the same SQLAlchemy constructs, so there is one
definition of each). Why reads on the loop: a thread waits for the GIL after every row it steps through
while the loop is busy (up to the 5 ms switch interval each), whereas on the loop a batch's read took
0.06 ms (p50) and 0.6 ms (p99) under load; in WAL mode a reader never waits for a writer (its busy timeout
is short all the same). Only for a SQLite file; PostgreSQL (asyncpg, no threads) and
in-memory databases keep the SQLAlchemy path.
"""
from __future__ import annotations

import asyncio
import sqlite3
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Callable, Sequence, TypeVar

from sqlalchemy.dialects import sqlite
from sqlalchemy.engine import URL
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.sql import ClauseElement
from sqlalchemy.sql.compiler import SQLCompiler

T = TypeVar("T")
READ_BUSY_TIMEOUT_MS = 200
Work = Callable[[sqlite3.Connection], T]
DIALECT = sqlite.dialect()


class Compiled:
    """A statement as SQLite text with `?` placeholders, the parameter names in their order, and the values
    the statement carries itself (literals)."""

    def __init__(self, statement: ClauseElement) -> None:
        compiled = statement.compile(dialect=DIALECT)
        assert isinstance(compiled, SQLCompiler) and "POSTCOMPILE" not in compiled.string, \
            "expanding parameters have no fixed text"
        self.sql = compiled.string
        self.names: Sequence[str] = compiled.positiontup or ()
        self._carried = compiled.params

    def params(self, values: dict[str, Any]) -> tuple[Any, ...]:
        return tuple(values[name] if name in values else self._carried[name] for name in self.names)


class DirectSqlite:
    def __init__(self, path: str, prepare: Callable[[sqlite3.Connection], None]) -> None:
        """`prepare` sets a new connection up (the engine's PRAGMAs)."""
        self.path = path
        self._prepare = prepare
        self._reader: sqlite3.Connection | None = None
        self._writer = _Thread("sqlite-write")

    @classmethod
    def for_url(cls, url: URL, prepare: Callable[[sqlite3.Connection], None]) -> DirectSqlite | None:
        """None where this does not apply: not SQLite, or a database that lives in one connection's memory."""
        if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:" \
                or url.query.get("mode") == "memory" or url.database.startswith("file:"):
            return None
        return cls(url.database, prepare)

    def read(self, work: Work[T]) -> T:
        """Runs `work` at once, on the caller's thread (the event loop's), outside any transaction."""
        return _translated(work, self._reading)

    def _reading(self) -> sqlite3.Connection:
        if self._reader is None:
            self._reader = self._connect()
            self._reader.execute(f"PRAGMA busy_timeout={READ_BUSY_TIMEOUT_MS}")
        return self._reader

    async def write(self, work: Work[T]) -> T:
        """`work` runs in one transaction, taken for writing at its start (BEGIN IMMEDIATE: a deferred one
        that read first could not wait for another writer, it would fail at once); it commits when `work`
        returns and rolls back when it raises."""
        return await self._writer.run(self._connect, lambda connection: _transaction(connection, work))

    async def close(self) -> None:
        if self._reader is not None:
            self._reader.close()
            self._reader = None
        await self._writer.close()

    def _connect(self) -> sqlite3.Connection:
        # isolation_level=None: the driver opens no transactions of its own; `write` says where they are.
        # The reader is opened on the loop's thread, the writer in its own: each is used by one thread only.
        connection = sqlite3.connect(self.path, isolation_level=None, cached_statements=64, check_same_thread=False)
        self._prepare(connection)
        return connection


def _translated(work: Work[T], connection: Callable[[], sqlite3.Connection]) -> T:
    """The driver's errors (opening the connection too) as SQLAlchemy's, so callers handle one kind whichever
    path stored the message."""
    try:
        return work(connection())
    except sqlite3.IntegrityError as exc:
        raise IntegrityError(None, None, exc) from exc
    except sqlite3.Error as exc:
        raise OperationalError(None, None, exc) from exc


def _transaction(connection: sqlite3.Connection, work: Work[T]) -> T:
    connection.execute("BEGIN IMMEDIATE")
    try:
        result = work(connection)
        connection.execute("COMMIT")
    except BaseException:
        if connection.in_transaction:
            connection.execute("ROLLBACK")
        raise
    return result


class _Thread:
    """One thread and its connection, opened on first use in that thread."""

    def __init__(self, name: str) -> None:
        self._executor = ThreadPoolExecutor(1, thread_name_prefix=name)
        self._connection: sqlite3.Connection | None = None

    async def run(self, connect: Callable[[], sqlite3.Connection], work: Work[T]) -> T:
        return await asyncio.get_running_loop().run_in_executor(self._executor, self._call, connect, work)

    def _call(self, connect: Callable[[], sqlite3.Connection], work: Work[T]) -> T:
        def connection() -> sqlite3.Connection:
            if self._connection is None:
                self._connection = connect()
            return self._connection
        return _translated(work, connection)

    async def close(self) -> None:
        if self._connection is not None:  # else the thread was never started: nothing to close in it
            await asyncio.get_running_loop().run_in_executor(self._executor, self._close_connection)
        self._executor.shutdown(wait=False)

    def _close_connection(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None
