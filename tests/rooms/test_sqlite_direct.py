"""The send path's SQLite batches on the driver itself (server/storage/sqlite_direct.py): used only for a
SQLite file, a failed write batch leaves nothing behind, and the driver's errors arrive as SQLAlchemy's."""
from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy.exc import IntegrityError, OperationalError

from server.errors import DomainError, ErrorCode
from server.storage.database import Database


@pytest.mark.parametrize("url, direct", [
    ("sqlite+aiosqlite:///{tmp}/file.sqlite3", True),
    ("sqlite+aiosqlite:///:memory:", False),
    ("postgresql+asyncpg://postgres@127.0.0.1/x", False),
])
async def test_only_a_sqlite_file_takes_the_direct_path(tmp_path: Path, url: str, direct: bool) -> None:
    db = Database.from_url(url.format(tmp=tmp_path))
    try:
        assert (db.direct is not None) is direct
    finally:
        await db.close()


async def test_a_failed_write_rolls_back_and_errors_are_translated(tmp_path: Path) -> None:
    db = Database.from_url(f"sqlite+aiosqlite:///{tmp_path}/file.sqlite3")
    try:
        await db.write_direct(lambda c: c.execute("CREATE TABLE t (k TEXT PRIMARY KEY)"))

        def insert_twice(connection: sqlite3.Connection) -> None:
            connection.execute("INSERT INTO t VALUES ('a')")
            connection.execute("INSERT INTO t VALUES ('a')")
        with pytest.raises(IntegrityError):
            await db.write_direct(insert_twice)
        assert db.read_direct(lambda c: c.execute("SELECT count(*) FROM t").fetchone()) == (0,)
        with pytest.raises(DomainError) as refused:
            db.read_direct(lambda c: c.execute("SELECT * FROM missing"))
        assert refused.value.code is ErrorCode.UNAVAILABLE
        assert isinstance(refused.value.__cause__, OperationalError)
    finally:
        await db.close()
