"""Retention of the records of what people did: delete the moderation audit log, the admin changes, the
facilitation trail of sessions, ended mutes and watched-word hits older than PEERCHAT_AUDIT_RETENTION_DAYS
(storage/aging.py lists them), in bounded batches, and record that the job ran.

Each batch is its own short transaction (at most BATCH rows, oldest first), so a first run over years of
rows never holds a long lock or one huge transaction; a run stops after MAX_BATCHES per table and the next
run goes on. Deleting by age is idempotent: two processes running it at once (a lease handover, no Redis)
delete each row once between them. Only rows go: what they describe (a ban, a role) stays as it is.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field

from ..clock import Clock
from ..storage.aging import AGED, AgedRowStore
from ..storage.database import Database
from ..storage.jobs import JobStore

log = logging.getLogger("peerchat.retention")

JOB_NAME = "audit_retention"
DAY = 86_400.0
BATCH = 1000
MAX_BATCHES = 50


@dataclass(frozen=True, slots=True)
class AuditPurgeReport:
    ran_at: float
    removed: dict[str, int] = field(default_factory=dict)  # rows deleted per table of storage/aging.AGED
    more: bool = False  # a table still had expired rows when this run's batches ran out

    @property
    def total(self) -> int:
        return sum(self.removed.values())


async def do_purge_audit(db: Database, clock: Clock, retention_days: int, *, batch: int = BATCH,
                         max_batches: int = MAX_BATCHES) -> AuditPurgeReport:
    """Delete the records older than `retention_days` (0 keeps them for ever: nothing is deleted)."""
    now = clock.now()
    removed = dict.fromkeys(AGED, 0)
    more = False
    if retention_days > 0:
        cutoff = now - retention_days * DAY
        for table in AGED:
            for _ in range(max_batches):
                async with db.transaction() as tx:
                    count = await AgedRowStore(tx.session).delete_before(table, cutoff, batch)
                removed[table] += count
                if count < batch:
                    break
            else:
                more = True
    report = AuditPurgeReport(ran_at=now, removed=removed, more=more)
    async with db.transaction() as tx:
        await JobStore(tx.session).record(JOB_NAME, now, report.total)
    log.info("audit_retention removed=%d %s more=%s", report.total,
             " ".join(f"{table}={count}" for table, count in removed.items()), more)
    return report
