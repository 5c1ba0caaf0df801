"""The records of what people did that are kept for PEERCHAT_AUDIT_RETENTION_DAYS and no longer, and the one
statement that deletes them by age in bounded batches (moderation/audit_retention.py runs it).

Each is a log-like table with an integer key and the time after which a row only describes the past: when
it was written, or for a mute when it ended (a mute still in force is never old).
"""
from __future__ import annotations

from typing import Any

from sqlalchemy import Delete, delete, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from .admin_models import AdminChange, RuleMute, WatchedHit
from .review_models import AuditEntry, Mute
from .session_models import SessionEvent

Column = InstrumentedAttribute[Any]

# name -> (key, time it stops being current). Moderation and admin changes are the audit trails; session events
# are the facilitation trail (who muted or removed whom, with the facilitator's reason); mutes and watched-word
# hits say who was sanctioned or tripped a rule, and the audit log already keeps the record of each.
AGED: dict[str, tuple[Column, Column]] = {
    "moderation": (AuditEntry.id, AuditEntry.at),
    "admin_changes": (AdminChange.id, AdminChange.created_at),
    "session_events": (SessionEvent.id, SessionEvent.created_at),
    "mutes": (Mute.id, Mute.until),
    "rule_mutes": (RuleMute.id, RuleMute.until),
    "watched_hits": (WatchedHit.id, WatchedHit.created_at),
}


def batch_delete(name: str, cutoff: float, limit: int) -> Delete:
    """Up to `limit` rows of table `name` (a key of AGED) older than `cutoff`, oldest first: found through
    the index on their time (migration 0012), so a batch reads its own rows, never the whole table."""
    key, at = AGED[name]
    batch = select(key).where(at < cutoff).order_by(at).limit(limit)
    return delete(key.class_).where(key.in_(batch))


class AgedRowStore:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def delete_before(self, name: str, cutoff: float, limit: int) -> int:
        """Delete one batch_delete batch; returns how many rows went."""
        done = await self.session.execute(batch_delete(name, cutoff, limit))
        return int(done.rowcount)  # type: ignore[attr-defined]
