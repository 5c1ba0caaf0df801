"""Fixtures: every server test runs once on SQLite and once on PostgreSQL (when configured)."""
from __future__ import annotations

import asyncio
import os
import shutil
from pathlib import Path
from typing import AsyncIterator

import pytest
from sqlalchemy import text

from server.moderation.pipeline import review
from server.moderation.policy import RoomPolicy, SenderContext
from server.storage.database import create_engine
from server.storage.models import Base
from server.storage.schema import upgrade_to_head
from tests.harness import RunningServer, ServerFactory, start_server

IN_CI = os.environ.get("CI", "").lower() == "true"
PG_URL_VAR = "PEERCHAT_TEST_DATABASE_URL"


@pytest.fixture(scope="session", autouse=True)
def _matchers_built() -> None:
    """Build the pipeline's matchers once, before any test: on a machine that never ran peerchat this
    compiles the Hyperscan databases (seconds) and caches them, so server processes that tests start
    load them at once instead of each compiling them within its start-up deadline."""
    review("warm up", RoomPolicy(), SenderContext())


async def _migrate_fresh(url: str, reset_schema: bool) -> None:
    engine = create_engine(url)
    try:
        if reset_schema:
            async with engine.begin() as connection:
                await connection.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
                await connection.execute(text("CREATE SCHEMA public"))
        await upgrade_to_head(engine)
    finally:
        await engine.dispose()


async def _truncate(url: str) -> None:
    engine = create_engine(url)
    try:
        async with engine.begin() as connection:
            tables = ", ".join(t.name for t in Base.metadata.sorted_tables)
            await connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    finally:
        await engine.dispose()


def _postgres_url() -> str:
    raw = os.environ.get(PG_URL_VAR, "")
    if not raw:
        reason = f"{PG_URL_VAR} is not set, so the PostgreSQL run of this test is skipped"
        if IN_CI:
            pytest.fail(f"{reason}; under CI=true it must be set (see .ci/run)")
        pytest.skip(reason)
    return raw.replace("postgresql://", "postgresql+asyncpg://", 1)


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "migrated.sqlite3"
    asyncio.run(_migrate_fresh(f"sqlite+aiosqlite:///{path}", reset_schema=False))
    return path


@pytest.fixture(scope="session")
def postgres_migrated() -> str:
    url = _postgres_url()
    try:
        asyncio.run(_migrate_fresh(url, reset_schema=True))
    except OSError as error:
        message = f"PostgreSQL at {PG_URL_VAR} is unreachable: {error}"
        pytest.fail(message) if IN_CI else pytest.skip(message)
    return url


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A freshly migrated, empty database of each kind."""
    if request.param == "sqlite":
        path = tmp_path / "peerchat.sqlite3"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        return f"sqlite+aiosqlite:///{path}"
    url: str = request.getfixturevalue("postgres_migrated")
    asyncio.run(_truncate(url))
    return url


@pytest.fixture
async def make_server(database_url: str) -> AsyncIterator[ServerFactory]:
    started: list[RunningServer] = []

    async def make(**overrides: object) -> RunningServer:
        server = await start_server(database_url, **overrides)
        started.append(server)
        return server

    yield make
    for server in started:
        await server.stop()


@pytest.fixture
async def server(make_server: ServerFactory) -> RunningServer:
    return await make_server()
