"""SQL for administration: the admin audit, watched words with their hits and mutes, crisis resources,
staff accounts, the live-configuration version counters and the pushes queued by the command line."""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from .admin_models import (AdminChange, ConfigVersion, CrisisResourceRow, QueuedPush, RuleMute, WatchedHit,
                           WatchedWord)
from .models import User


class ConfigVersionStore:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def all(self) -> dict[str, int]:
        rows = await self.session.execute(select(ConfigVersion.name, ConfigVersion.version))
        return {name: version for name, version in rows}

    async def bump(self, name: str) -> None:
        """Take the next version; the row lock orders concurrent admins, and a missing row starts at 1."""
        found = await self.session.execute(update(ConfigVersion).where(ConfigVersion.name == name)
                                           .values(version=ConfigVersion.version + 1))
        if not found.rowcount:  # type: ignore[attr-defined]
            self.session.add(ConfigVersion(name=name, version=1))


class QueuedPushStore:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def add(self, name: str, args: dict[str, Any], now: float) -> None:
        self.session.add(QueuedPush(name=name, args=args, created_at=now))

    async def take_all(self) -> list[tuple[str, dict[str, Any], float]]:
        """Delete every queued push and return them, oldest first. One statement: of two processes taking
        at once, the second finds the rows gone, so each push is taken once."""
        taken = await self.session.execute(delete(QueuedPush).returning(
            QueuedPush.id, QueuedPush.name, QueuedPush.args, QueuedPush.created_at))
        return [(row.name, row.args, row.created_at) for row in sorted(taken, key=lambda row: row.id)]


class AdminChangeStore:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def add(self, change: AdminChange) -> None:
        self.session.add(change)

    async def latest(self, limit: int, before_id: int | None = None) -> list[AdminChange]:
        query = select(AdminChange).order_by(AdminChange.id.desc()).limit(limit)
        if before_id is not None:
            query = query.where(AdminChange.id < before_id)
        return list((await self.session.execute(query)).scalars())


class WatchedWordStore:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def all(self) -> list[WatchedWord]:
        return list((await self.session.execute(select(WatchedWord).order_by(WatchedWord.created_at))).scalars())

    async def get(self, rule_id: str) -> WatchedWord | None:
        return await self.session.get(WatchedWord, rule_id)

    async def same(self, kind: str, text: str, room_id: str | None) -> WatchedWord | None:
        scope = WatchedWord.room_id.is_(None) if room_id is None else WatchedWord.room_id == room_id
        found = await self.session.execute(select(WatchedWord).where(
            WatchedWord.kind == kind, WatchedWord.text == text, scope).limit(1))
        return found.scalar_one_or_none()

    def add(self, rule: WatchedWord) -> None:
        self.session.add(rule)

    async def delete(self, rule_id: str) -> None:
        await self.session.execute(delete(WatchedWord).where(WatchedWord.id == rule_id))

    async def add_hits(self, user_id: str, room_id: str, rule_ids: Sequence[str], now: float) -> None:
        self.session.add_all(WatchedHit(user_id=user_id, room_id=room_id, rule_id=r, created_at=now)
                             for r in rule_ids)

    async def messages_with_hits_since(self, user_id: str, room_id: str, since: float) -> int:
        """How many of the sender's messages in this room hit a rule since a time (one per message)."""
        found = await self.session.execute(select(func.count(func.distinct(WatchedHit.created_at))).where(
            WatchedHit.user_id == user_id, WatchedHit.room_id == room_id, WatchedHit.created_at >= since))
        return int(found.scalar_one())

    async def forget_hits(self, user_id: str, *, before: float) -> None:
        """Hits older than the escalation window are no use: dropped as the same sender hits again."""
        await self.session.execute(delete(WatchedHit).where(WatchedHit.user_id == user_id,
                                                            WatchedHit.created_at < before))

    def add_mute(self, mute: RuleMute) -> None:
        self.session.add(mute)

    async def muted_until(self, user_id: str, room_id: str, now: float) -> float | None:
        found = await self.session.execute(select(func.max(RuleMute.until)).where(
            RuleMute.user_id == user_id, RuleMute.room_id == room_id, RuleMute.until > now))
        return found.scalar_one_or_none()


class CrisisResourceStore:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def all(self) -> list[CrisisResourceRow]:
        query = select(CrisisResourceRow).order_by(CrisisResourceRow.region, CrisisResourceRow.position,
                                                   CrisisResourceRow.name)
        return list((await self.session.execute(query)).scalars())

    async def get(self, resource_id: str) -> CrisisResourceRow | None:
        return await self.session.get(CrisisResourceRow, resource_id)

    def add(self, row: CrisisResourceRow) -> None:
        self.session.add(row)

    async def delete(self, resource_id: str) -> None:
        await self.session.execute(delete(CrisisResourceRow).where(CrisisResourceRow.id == resource_id))


class StaffStore:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def all(self) -> list[User]:
        found = await self.session.execute(select(User).where(User.role != "peer").order_by(User.username))
        return list(found.scalars())

    async def by_username(self, username: str, *, lock: bool = False) -> User | None:
        query = select(User).where(User.username == username, User.role != "peer")
        return (await self.session.execute(query.with_for_update() if lock else query)).scalar_one_or_none()

    async def active_admin_ids(self) -> list[str]:
        """Locked, so two admins demoting each other at once cannot leave nobody in charge."""
        found = await self.session.execute(select(User.id).where(
            User.role == "admin", User.deactivated_at.is_(None)).with_for_update())
        return list(found.scalars())

    async def standing_of(self, user_ids: Iterable[str]) -> dict[str, tuple[str, int, bool]]:
        """Per existing account: role, token version and whether it is deactivated (in chunks: one IN list
        per 500 ids stays under every database's limit on bound parameters)."""
        ids = list(user_ids)
        standing: dict[str, tuple[str, int, bool]] = {}
        for first in range(0, len(ids), 500):
            found = await self.session.execute(select(User.id, User.role, User.token_version, User.deactivated_at)
                                               .where(User.id.in_(ids[first:first + 500])))
            standing.update((row.id, (row.role, row.token_version, row.deactivated_at is not None)) for row in found)
        return standing
