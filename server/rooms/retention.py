"""Retention: delete what each room's rules say is no longer kept, and record that the job ran."""
from __future__ import annotations

import logging
from dataclasses import dataclass

from ..clock import Clock
from ..pushes import push_after_commit
from ..services import Services
from ..storage.database import Database
from ..storage.jobs import JobStore
from ..storage.messages import MessageStore
from ..storage.review import ReviewStore
from ..storage.rooms import RoomStore
from .policy import RoomRules
from .sessions.pins import announce_unpinned, pinned_messages

log = logging.getLogger("peerchat.retention")

JOB_NAME = "retention_purge"
DAY = 86_400.0
# Rooms that never store text still keep a row per message (id, seq, sender, time) so resends stay
# idempotent; an hour is far longer than any client retries.
LIVE_ONLY_ROW_SECONDS = 3_600.0


@dataclass(frozen=True, slots=True)
class PurgeReport:
    ran_at: float
    removed: dict[str, int]
    review_items: int = 0

    @property
    def total(self) -> int:
        return sum(self.removed.values())


async def do_purge_expired(db: Database, clock: Clock, moderation_retention_days: int,
                           svc: Services | None = None) -> PurgeReport:
    """Delete expired messages room by room, then review items resolved longer ago than moderation
    retention; a message stays while a review needs it, whatever its room's retention. With the services of
    a server's job or of `peerchat purge` (which queues the push for a server), a purged message pinned by a
    session leaves the pin live."""
    now = clock.now()
    moderation_cutoff = now - moderation_retention_days * DAY
    removed: dict[str, int] = {}
    async with db.transaction() as tx:
        rooms = await RoomStore(tx.session).all_rooms()
        store, reviews = MessageStore(tx.session), ReviewStore(tx.session)
        pins = await pinned_messages(tx)
        pinned_before = await store.visible_texts(pins)
        under_review = reviews.retained_message_ids(moderation_cutoff)
        for room in rooms:
            rules = RoomRules.from_json(room.policy)
            keep = rules.retention_days * DAY if rules.stores_messages else LIVE_ONLY_ROW_SECONDS
            count = await store.purge_older_than(room.id, now - keep, under_review)
            if count:
                removed[room.slug] = count
        if svc is not None and pinned_before:
            still = await store.visible_texts(pins)
            if gone := [[pins[m], m] for m in pinned_before if m not in still]:
                await push_after_commit(svc, tx, announce_unpinned, gone=gone)
        items = await reviews.purge_resolved_before(moderation_cutoff)
        report = PurgeReport(ran_at=now, removed=removed, review_items=items)
        await JobStore(tx.session).record(JOB_NAME, now, report.total)
    log.info("retention_purge removed=%d rooms=%d review_items=%d", report.total, len(removed), items)
    return report
