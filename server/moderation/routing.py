"""Room-first routing: a report or rule-break flag from a room with assigned moderators alerts those
moderators first, and everyone once none of them has claimed it within PEERCHAT_ROOM_ROUTING_SECONDS or
none of them watches the queue (escalation.widen_room_first). Crisis items are never held back, nor items
about one of the room's own moderators, nor those of a room that keeps no text (their alert alone carries it).

Routing decides who is alerted (`flag:new`), never who may see or act: every moderator's queue lists every
item and any moderator may act on any. The window lives on the item (room_first_until), the assignments in
room_moderators and who watches in the deployment-wide ModerationState, so every process routes alike.
"""
from __future__ import annotations

from ..services import Services
from ..storage.database import Transaction
from ..storage.review_models import ReviewItem
from ..storage.room_moderators import RoomModeratorStore
from .triage import Triage

# Who hears of a change to an item: these moderators (their queue pages), or None for every moderator.
Audience = tuple[str, ...] | None


def moderator_topic(user_id: str) -> str:
    """One moderator's queue pages (mod:subscribe), not their other tabs."""
    return f"moderator:{user_id}"


async def route(tx: Transaction, svc: Services, item: ReviewItem, triage: Triage, *, fresh: bool,
                now: float, text_in_alert: bool = False) -> Audience:
    """A fresh item of a room whose moderators watch the queue becomes theirs first; later news of it goes
    to them while it is. A crisis is everyone's at once, also when an item turns into one; so is an item
    whose words only this alert carries (`text_in_alert`): a moderator alerted later could never read them."""
    if (triage.is_crisis or text_in_alert or item.room_id is None or not svc.settings.room_routing_seconds
            or (not fresh and item.room_first_until is None)):
        item.room_first_until = None
        return None
    assigned = await RoomModeratorStore(tx.session).user_ids(item.room_id)
    # An item about one of the room's own moderators is never theirs first: they could dismiss it unseen.
    if item.subject_id in assigned or not svc.moderation.watching(assigned):
        item.room_first_until = None
        return None
    if fresh:
        item.room_first_until = now + svc.settings.room_routing_seconds
    return tuple(assigned)
