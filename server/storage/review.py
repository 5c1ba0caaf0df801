"""SQL for the review queue: idempotent upserts, locked reads for versioned actions, the ordered queue."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Sequence

from sqlalchemy import Select, and_, delete, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from .models import Room, User
from .review_models import ReviewItem, ReviewSignal

OPEN = ("pending", "claimed")
QueueKey = tuple[int, int, float, str]


@dataclass(frozen=True, slots=True)
class ItemRow:
    """An item with what its wire shape needs: the room's slug, the person concerned, the claimer and the
    moderator who resolved it (None once their account is gone)."""

    item: ReviewItem
    room_slug: str | None
    subject: User
    claimer: User | None
    resolver: User | None


def insert_ignoring_duplicates(session: AsyncSession, model: Any, values: dict[str, Any]) -> Any:
    """INSERT ... ON CONFLICT DO NOTHING for either dialect: concurrent upserts never raise."""
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    return dialect.insert(model).values(**values).on_conflict_do_nothing()


def queue_key(item: ReviewItem) -> QueueKey:
    return (item.tier, item.score, item.created_at, item.id)


class ReviewStore:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def insert_if_absent(self, values: dict[str, Any]) -> bool:
        """Create the item for a target unless one exists; True when this call created it."""
        result = await self.session.execute(insert_ignoring_duplicates(self.session, ReviewItem, values))
        return bool(result.rowcount)  # type: ignore[attr-defined]

    async def add_signal(self, values: dict[str, Any]) -> bool:
        """Record one reporter's signal; False when that reporter already signalled this item."""
        result = await self.session.execute(insert_ignoring_duplicates(self.session, ReviewSignal, values))
        return bool(result.rowcount)  # type: ignore[attr-defined]

    async def lock_target(self, target_type: str, target_id: str) -> ReviewItem:
        found = await self.session.execute(select(ReviewItem).where(
            ReviewItem.target_type == target_type, ReviewItem.target_id == target_id).with_for_update())
        return found.scalar_one()

    async def is_open(self, target_type: str, target_id: str, kind: str) -> bool:
        """Whether the target's item is open and of this kind: one indexed read, no lock."""
        found = await self.session.execute(select(ReviewItem.id).where(
            ReviewItem.target_type == target_type, ReviewItem.target_id == target_id,
            ReviewItem.status.in_(OPEN), ReviewItem.kind == kind))
        return found.first() is not None

    async def lock(self, item_id: str) -> ReviewItem | None:
        """The item, row-locked until commit so two moderators' actions serialise on it."""
        found = await self.session.execute(select(ReviewItem).where(ReviewItem.id == item_id).with_for_update())
        return found.scalar_one_or_none()

    async def rows(self, *conditions: Any, after: QueueKey | None = None, limit: int = 100) -> list[ItemRow]:
        """Items in queue order (tier, score high first; then oldest first), after a keyset cursor."""
        subject, claimer, resolver = aliased(User), aliased(User), aliased(User)
        query = (select(ReviewItem, Room.slug, subject, claimer, resolver)
                 .join(subject, subject.id == ReviewItem.subject_id)
                 .outerjoin(Room, Room.id == ReviewItem.room_id)
                 .outerjoin(claimer, claimer.id == ReviewItem.claimed_by)
                 .outerjoin(resolver, resolver.id == ReviewItem.resolved_by)
                 .where(*conditions))
        if after is not None:
            tier, score, created, item_id = after
            query = query.where(or_(
                ReviewItem.tier < tier,
                and_(ReviewItem.tier == tier, ReviewItem.score < score),
                and_(ReviewItem.tier == tier, ReviewItem.score == score, ReviewItem.created_at > created),
                and_(ReviewItem.tier == tier, ReviewItem.score == score, ReviewItem.created_at == created,
                     ReviewItem.id > item_id)))
        query = query.order_by(ReviewItem.tier.desc(), ReviewItem.score.desc(), ReviewItem.created_at,
                               ReviewItem.id).limit(limit)
        return [ItemRow(*found) for found in (await self.session.execute(query)).all()]

    async def row(self, item_id: str) -> ItemRow:
        return (await self.rows(ReviewItem.id == item_id, limit=1))[0]

    async def due_for_escalation(self, imminent_cutoff: float, crisis_cutoff: float) -> Sequence[ReviewItem]:
        """Unclaimed, never escalated: imminent items (tier 5) created before the first cutoff, other crisis
        items (tier 4) before the second."""
        found = await self.session.execute(select(ReviewItem).where(
            ReviewItem.status == "pending", ReviewItem.escalated_at.is_(None),
            or_(and_(ReviewItem.tier >= 5, ReviewItem.created_at <= imminent_cutoff),
                and_(ReviewItem.tier == 4, ReviewItem.created_at <= crisis_cutoff))).with_for_update())
        return found.scalars().all()

    async def room_first(self) -> Sequence[ReviewItem]:
        """Pending items only their room's moderators have been alerted to, locked for widening."""
        found = await self.session.execute(select(ReviewItem).where(
            ReviewItem.status == "pending", ReviewItem.room_first_until.is_not(None)).with_for_update())
        return found.scalars().all()

    async def claimers(self) -> list[str]:
        """Everyone who holds a claim right now."""
        found = await self.session.execute(select(ReviewItem.claimed_by).where(
            ReviewItem.status == "claimed", ReviewItem.claimed_by.is_not(None)).distinct())
        return [str(user_id) for user_id in found.scalars().all()]

    async def claimed_by_any(self, user_ids: Sequence[str]) -> Sequence[ReviewItem]:
        found = await self.session.execute(select(ReviewItem).where(
            ReviewItem.status == "claimed", ReviewItem.claimed_by.in_(user_ids)).with_for_update())
        return found.scalars().all()

    async def since(self, start: float) -> Sequence[ReviewItem]:
        """Items created since `start`, plus every open one: what the team figures are computed from."""
        found = await self.session.execute(select(ReviewItem).where(
            or_(ReviewItem.created_at >= start, ReviewItem.status.in_(OPEN))))
        return found.scalars().all()

    @staticmethod
    def retained_message_ids(moderation_cutoff: float) -> Select[str]:
        """Messages a review still needs: open items, and items resolved after the moderation cutoff."""
        return select(ReviewItem.target_id).where(
            ReviewItem.target_type == "message",
            or_(ReviewItem.status != "resolved", ReviewItem.resolved_at >= moderation_cutoff))

    async def purge_resolved_before(self, cutoff: float) -> int:
        """Resolved items past moderation retention go, with their signals (ON DELETE CASCADE)."""
        found = await self.session.execute(delete(ReviewItem).where(
            ReviewItem.status == "resolved", ReviewItem.resolved_at < cutoff))
        return int(getattr(found, "rowcount", 0) or 0)

    @staticmethod
    def message_targets() -> Select[str]:
        """Every message some review item is about, open or resolved (purge drops the old resolved ones)."""
        return select(ReviewItem.target_id).where(ReviewItem.target_type == "message")

    async def reassign_subject(self, user_id: str, to_user_id: str) -> None:
        await self.session.execute(update(ReviewItem).where(ReviewItem.subject_id == user_id).values(
            subject_id=to_user_id))
