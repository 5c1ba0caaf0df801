"""The schema the migrations make: the same as the models describe (what `alembic check` checks), migration
0012's indexes come and go with it, and the audit retention's batches find their rows through them instead
of reading whole tables. Both databases."""
from __future__ import annotations

from typing import Any, AsyncIterator

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Connection, inspect, text
from sqlalchemy.ext.asyncio import AsyncEngine

from server.storage.aging import AGED, batch_delete
from server.storage.database import create_engine
from server.storage.models import Base
from server.storage.schema import alembic_config

BEFORE_0012 = "0011_queued_pushes"
# Each table the audit retention ages out by a column no earlier index starts with, and that column.
INDEXED_IN_0012 = {"session_events": "created_at", "mutes": "until", "rule_mutes": "until",
                   "watched_hits": "created_at"}


@pytest.fixture
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(database_url)
    yield engine
    await engine.dispose()


async def _migrate(engine: AsyncEngine, step: Any, revision: str) -> None:
    config = alembic_config(engine.url.render_as_string(hide_password=False))

    def run(connection: Connection) -> None:
        config.attributes["connection"] = connection
        step(config, revision)

    async with engine.begin() as connection:
        await connection.run_sync(run)


async def _age_indexes(engine: AsyncEngine) -> dict[str, list[str]]:
    """The indexed columns of each table of INDEXED_IN_0012, one index each, by index name."""
    def read(connection: Connection) -> dict[str, list[str]]:
        schema = inspect(connection)
        return {str(ix["name"]): [str(c) for c in ix["column_names"]]
                for table in INDEXED_IN_0012 for ix in schema.get_indexes(table)}
    async with engine.connect() as connection:
        return await connection.run_sync(read)


async def _differences(engine: AsyncEngine) -> list[Any]:
    def compare(connection: Connection) -> list[Any]:
        return list(compare_metadata(MigrationContext.configure(connection), Base.metadata))
    async with engine.connect() as connection:
        return await connection.run_sync(compare)


async def test_migration_0012_adds_and_removes_the_age_indexes_and_head_matches_the_models(
        engine: AsyncEngine) -> None:
    wanted = {f"ix_{table}_{column}": [column] for table, column in INDEXED_IN_0012.items()}
    assert await _differences(engine) == [], "the models and the migrated schema agree (alembic check)"
    head = await _age_indexes(engine)
    assert head.items() >= wanted.items(), head
    try:
        await _migrate(engine, command.downgrade, BEFORE_0012)
        before = await _age_indexes(engine)
        assert not wanted.keys() & before.keys(), before
        assert before == {name: columns for name, columns in head.items() if name not in wanted}, \
            "the downgrade removes only its own indexes"
    finally:
        await _migrate(engine, command.upgrade, "head")
    assert await _age_indexes(engine) == head
    assert await _differences(engine) == []


async def _plan(engine: AsyncEngine, aged: str) -> str:
    """The database's plan for one batch of the audit retention on `aged` (a key of AGED), as the job runs it.
    These tables are empty, so PostgreSQL is told to plan as for a large one, where a batch is a small part of
    the table: no whole-table or bitmap scans, so an index that can give the batch in order shows."""
    statement = batch_delete(aged, 1_700_000_000.0, 1000)
    sql = str(statement.compile(dialect=engine.dialect, compile_kwargs={"literal_binds": True}))
    async with engine.begin() as connection:
        if engine.dialect.name == "sqlite":
            rows = (await connection.execute(text(f"EXPLAIN QUERY PLAN {sql}"))).all()
            return "\n".join(str(row[-1]) for row in rows)
        for scan in ("seqscan", "bitmapscan"):
            await connection.execute(text(f"SET LOCAL enable_{scan} = off"))
        return "\n".join(str(row[0]) for row in (await connection.execute(text(f"EXPLAIN {sql}"))).all())


@pytest.mark.parametrize("aged", sorted(AGED))
async def test_each_retention_batch_reads_its_rows_through_an_index_on_their_age(
        engine: AsyncEngine, aged: str) -> None:
    key, at = AGED[aged]
    table, column = key.class_.__tablename__, at.key
    plan = await _plan(engine, aged)
    if engine.dialect.name == "sqlite":
        assert f"SEARCH {table} USING COVERING INDEX ix_{table}_{column} ({column}<?)" in plan, plan
        assert "TEMP B-TREE" not in plan, f"no sort of the whole table: {plan}"
    else:
        assert f"using ix_{table}_{column} on {table}" in plan and f"Index Cond: ({column} <" in plan, plan
        assert "Sort" not in plan, f"no sort of the whole table: {plan}"
