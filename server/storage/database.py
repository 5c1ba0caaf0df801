"""The database handle: engine, sessions, and a transaction helper that runs callbacks after commit.

Side effects (fan-out, acks) are registered inside a transaction and run only once it has committed,
so nothing is ever broadcast that was not stored.
"""
from __future__ import annotations

import asyncio
import logging
from contextlib import asynccontextmanager
from typing import Any, AsyncIterator, Awaitable, Callable, TypeVar

from sqlalchemy import event
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine

from ..errors import DomainError, ErrorCode
from .sqlite_direct import DirectSqlite, Work

log = logging.getLogger(__name__)
T = TypeVar("T")

AfterCommit = Callable[[], Awaitable[None]]


class Transaction:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self._after_commit: list[AfterCommit] = []

    def after_commit(self, callback: AfterCommit) -> None:
        self._after_commit.append(callback)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def create_engine(url: str) -> AsyncEngine:
    if url.startswith("sqlite"):
        # Every aiosqlite connection is a thread plus four PRAGMAs to open. The default pool (5 + 10 overflow)
        # closed and reopened overflow connections on every busy moment: thousands of threads under load.
        engine = create_async_engine(url, pool_size=16, max_overflow=0) if ":memory:" not in url \
            else create_async_engine(url)
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        return engine
    # A short connect timeout makes sends fail fast with `unavailable` while PostgreSQL is down.
    return create_async_engine(url, pool_size=10, max_overflow=20, pool_pre_ping=True, pool_timeout=10,
                               connect_args={"timeout": 5})


class Database:
    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine
        self.is_sqlite = engine.dialect.name == "sqlite"
        self._sessions = async_sessionmaker(engine, expire_on_commit=False)
        # SQLite has one writer; queueing writers here avoids "database is locked" under load.
        self._write_lock = asyncio.Lock() if self.is_sqlite else None
        self.direct = DirectSqlite.for_url(engine.url, lambda connection: _sqlite_pragmas(connection, None)) \
            if self.is_sqlite else None
        """The send path's batches on a SQLite file go through here (storage/sqlite_direct.py)."""

    @classmethod
    def from_url(cls, url: str) -> Database:
        return cls(create_engine(url))

    @asynccontextmanager
    async def read(self) -> AsyncIterator[AsyncSession]:
        try:
            async with self._sessions() as session:
                yield session
        except (OperationalError, DBAPIError, OSError) as exc:
            raise _unavailable(exc) from exc

    @asynccontextmanager
    async def connect(self) -> AsyncIterator[AsyncConnection]:
        """Reads on a bare connection, without an ORM session (see core_transaction)."""
        try:
            async with self.engine.connect() as connection:
                yield connection
        except (OperationalError, DBAPIError, OSError) as exc:
            raise _unavailable(exc) from exc

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[Transaction]:
        """One unit of work; callbacks registered with after_commit run once it has committed."""
        tx: Transaction
        try:
            async with self._writer():
                async with self._sessions() as session:
                    async with session.begin():
                        tx = Transaction(session)
                        yield tx
        except (OperationalError, OSError) as exc:
            raise _unavailable(exc) from exc
        for callback in tx._after_commit:
            await callback()

    @asynccontextmanager
    async def core_transaction(self) -> AsyncIterator[AsyncConnection]:
        """A transaction on a bare connection, without an ORM session: the per-batch cost of the hot path
        (a session, its identity map and ORM execution) was larger than the statements themselves."""
        try:
            async with self._writer():
                async with self.engine.begin() as connection:
                    yield connection
        except (OperationalError, OSError) as exc:
            raise _unavailable(exc) from exc

    def read_direct(self, work: Work[T]) -> T:
        """`work` on the event loop's own thread (storage/sqlite_direct.py says why)."""
        assert self.direct is not None
        try:
            return self.direct.read(work)
        except OperationalError as exc:
            raise _unavailable(exc) from exc

    async def write_direct(self, work: Work[T]) -> T:
        """`work` in one transaction, queued behind this process's other writers like core_transaction."""
        assert self.direct is not None
        try:
            async with self._writer():
                return await self.direct.write(work)
        except OperationalError as exc:
            raise _unavailable(exc) from exc

    @asynccontextmanager
    async def _writer(self) -> AsyncIterator[None]:
        if self._write_lock is None:
            yield
            return
        async with self._write_lock:
            yield

    async def close(self) -> None:
        if self.direct is not None:
            await self.direct.close()
        await self.engine.dispose()


def _unavailable(exc: BaseException) -> DomainError:
    log.error("database_unavailable error=%s", type(exc).__name__)
    return DomainError(ErrorCode.UNAVAILABLE, "The service is having trouble storing messages. "
                       "Please try again in a moment.", retry_after=5)
