"""`peerchat rooms slow-mode`: the operator sets a room's slow mode, bounded and audited like the API's."""
from __future__ import annotations

import asyncio
import json
import os

from sqlalchemy import select

from server.storage.database import Database
from server.storage.review_models import AuditEntry
from tests.admin.test_admin_cli import Run, env  # noqa: F401  (the fixture)


async def _audit() -> list[AuditEntry]:
    db = Database.from_url(os.environ["PEERCHAT_DATABASE_URL"].replace("sqlite://", "sqlite+aiosqlite://", 1))
    try:
        async with db.read() as session:
            return list((await session.execute(select(AuditEntry).where(AuditEntry.action == "room.slow_mode")
                                               .order_by(AuditEntry.id))).scalars())
    finally:
        await db.close()


def test_rooms_slow_mode_on_off_and_refusals(env: Run) -> None:  # noqa: F811
    on = env("rooms", "slow-mode", "anxiety", "30", "--minutes", "10", "--reason", "flood")
    assert on.returncode == 0, on.stderr
    shown = json.loads(on.stdout)
    assert shown["room"] == "anxiety" and shown["slow_mode"]["seconds"] == 30 and shown["slow_mode"]["until"]
    listed = json.loads(env("rooms", "list").stdout)
    assert [r["slug"] for r in listed if r["slug"] == "anxiety"] == ["anxiety"]
    too_fast = env("rooms", "slow-mode", "anxiety", "3")
    assert too_fast.returncode == 1 and "5 to 900 seconds" in too_fast.stderr
    nowhere = env("rooms", "slow-mode", "nowhere", "30")
    assert nowhere.returncode == 1 and "doesn't exist" in nowhere.stderr
    off = env("rooms", "slow-mode", "anxiety", "0", "--reason", "calmer")
    assert off.returncode == 0 and json.loads(off.stdout) == {"room": "anxiety", "slow_mode": None}
    rows = asyncio.run(_audit())
    assert [(r.actor_id, r.detail["reason"], r.detail["after"] is None) for r in rows] == [
        ("operator", "flood", False), ("operator", "calmer", True)]
    assert rows[1].detail["before"] == shown["slow_mode"]
