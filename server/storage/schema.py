"""Alembic is the only way a schema is made: upgrade to head, or tell the operator what to run."""
from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

CHECKOUT_MIGRATIONS_DIR = Path(__file__).resolve().parents[2] / "migrations"


class SchemaNotReady(RuntimeError):
    """The database is missing migrations; the message says what to run."""


class MigrationsNotFound(SchemaNotReady):
    """The migration scripts themselves are missing, so no schema can be checked or made."""


def migrations_dir() -> Path:
    """The Alembic scripts: the source checkout's top-level migrations/ (editable installs, tests), else
    ./migrations. They are not package data, so a regular install (the Docker image) has none beside the
    package; the image copies them into its working directory, /app, as `alembic` itself reads ./alembic.ini."""
    for candidate in (CHECKOUT_MIGRATIONS_DIR, Path.cwd() / "migrations"):
        if (candidate / "env.py").is_file():
            return candidate
    raise MigrationsNotFound(
        f"The migrations are in neither {CHECKOUT_MIGRATIONS_DIR} (a source checkout) nor "
        f"{Path.cwd() / 'migrations'} (the working directory). Run peerchat from the directory that holds "
        "migrations/ and alembic.ini (/app in the Docker image).")


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(migrations_dir()))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


async def upgrade_to_head(engine: AsyncEngine) -> None:
    config = alembic_config(engine.url.render_as_string(hide_password=False))

    def run(connection: Connection) -> None:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")

    async with engine.begin() as connection:
        await connection.run_sync(run)


async def check_schema(engine: AsyncEngine) -> None:
    """Raise SchemaNotReady unless the database is at the newest migration."""
    heads = set(ScriptDirectory.from_config(alembic_config(str(engine.url))).get_heads())

    def current(connection: Connection) -> set[str]:
        return set(MigrationContext.configure(connection).get_current_heads())

    async with engine.connect() as connection:
        found = await connection.run_sync(current)
    if found != heads:
        state = "has no schema yet" if not found else "is on an older schema"
        raise SchemaNotReady(f"The database {state}. Run `peerchat migrate` (or `make run`) first.")
