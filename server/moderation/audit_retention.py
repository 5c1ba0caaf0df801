"""Retention of the audit trails: delete entries of the moderation audit log and of the admin changes older
than PEERCHAT_AUDIT_RETENTION_DAYS, in bounded batches, and record that the job ran.

Each batch is its own short transaction (at most BATCH rows, oldest first), so a first run over years of
rows never holds a long lock or one huge transaction; a run stops after MAX_BATCHES per table and the next
run goes on. Deleting by age is idempotent: two processes running it at once (a lease handover, no Redis)
delete each row once between them. Only rows go: what they describe (a ban, a role) stays as it is.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass

from ..clock import Clock
from ..storage.admin import AdminChangeStore
from ..storage.audit import AuditStore
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
    moderation: int
    admin_changes: int
    more: bool  # a table still had expired rows when this run's batches ran out

    @property
    def total(self) -> int:
        return self.moderation + self.admin_changes


async def do_purge_audit(db: Database, clock: Clock, retention_days: int, *, batch: int = BATCH,
                         max_batches: int = MAX_BATCHES) -> AuditPurgeReport:
    """Delete audit entries older than `retention_days` (0 keeps them for ever: nothing is deleted)."""
    now = clock.now()
    stores: dict[str, type[AuditStore] | type[AdminChangeStore]] = {
        "moderation": AuditStore, "admin_changes": AdminChangeStore}
    removed = dict.fromkeys(stores, 0)
    more = False
    if retention_days > 0:
        cutoff = now - retention_days * DAY
        for table, store in stores.items():
            for _ in range(max_batches):
                async with db.transaction() as tx:
                    count = await store(tx.session).delete_before(cutoff, batch)
                removed[table] += count
                if count < batch:
                    break
            else:
                more = True
    report = AuditPurgeReport(ran_at=now, moderation=removed["moderation"], admin_changes=removed["admin_changes"],
                              more=more)
    async with db.transaction() as tx:
        await JobStore(tx.session).record(JOB_NAME, now, report.total)
    log.info("audit_retention removed=%d moderation=%d admin_changes=%d more=%s", report.total,
             report.moderation, report.admin_changes, more)
    return report
