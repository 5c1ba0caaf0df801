"""The review queue: idempotent upserts from signals, the ordered queue, and versioned workflow
(claim, release, resolve). Every change bumps the item's version; an action naming an older version is
refused with `conflict` and the current state, so two moderators acting at once never both win.
"""
from __future__ import annotations

import base64
import logging
import uuid
from dataclasses import dataclass
from typing import Any, Awaitable, Callable

import orjson

from ..broadcast import user_topic
from ..errors import DomainError, ErrorCode
from ..identity.principal import Principal
from ..identity.roles import Role, can_moderate
from ..services import Services
from ..storage.database import Transaction
from ..storage.review import OPEN, QueueKey, ReviewStore, queue_key
from ..storage.models import Message, Room
from ..storage.review_models import ReviewItem
from ..storage.room_moderators import RoomModeratorStore
from ..storage.rooms import RoomStore
from ..storage.users import UserStore
from .audit import record
from .routing import Audience, moderator_topic, route
from .shapes import item_shape
from .triage import SEVERITY_FILTERS, ItemKind, Triage, review_item_for, severity_filter
from .verdict import Severity, Verdict

log = logging.getLogger("peerchat.moderation")

MODERATORS_TOPIC = "moderators"
STATUSES = ("open", "pending", "claimed", "resolved")
OUTCOMES = ("actioned", "no_action", "dismissed")
# A held message whose review ended without approval: never posted, its text gone from the room's view.
DECLINED = "declined"
ItemChange = Callable[[Transaction, ReviewItem], Awaitable[dict[str, Any] | None]]


@dataclass(frozen=True, slots=True)
class Signal:
    """Something that needs a human: a pipeline flag, a peer's report or a help request."""

    target_type: str
    target_id: str
    room_id: str | None
    subject_id: str
    triage: Triage
    source: str
    reporter_id: str | None
    reason: str
    # What was said in a room that keeps no text: it goes out with this alert only, never to the database.
    live_text: str | None = None
    # What a staff reporter wrote for the moderators (a facilitator's reason for a removal): kept on the item.
    note: str | None = None


async def notify(svc: Services, user_id: str, code: str, message: str, **extra: Any) -> None:
    """A private notice to one person, on every process and every tab they have open."""
    await svc.broadcaster.publish(user_topic(user_id), "notice", {"code": code, "message": message, **extra})


def check_moderator(actor: Principal) -> None:
    if not can_moderate(actor.role):
        raise DomainError(ErrorCode.FORBIDDEN, "Only moderators can do this.")


async def raise_item(tx: Transaction, svc: Services, signal: Signal, now: float) -> bool:
    """Upsert the target's item inside the caller's transaction; False when the reporter had already
    reported it (nothing new). Moderators hear about it once the transaction commits."""
    store = ReviewStore(tx.session)
    created = await store.insert_if_absent({
        "id": uuid.uuid4().hex, "target_type": signal.target_type, "target_id": signal.target_id,
        "room_id": signal.room_id, "subject_id": signal.subject_id, "kind": signal.triage.kind.value,
        "severity": signal.triage.severity.value, "tier": signal.triage.tier, "score": 0, "reasons": {},
        "status": "pending", "version": 1, "created_at": now, "updated_at": now})
    item = await store.lock_target(signal.target_type, signal.target_id)
    added = await store.add_signal({"item_id": item.id, "source": signal.source, "reporter_id": signal.reporter_id,
                                    "reason": signal.reason, "created_at": now})
    fresh = created or item.status == "resolved"
    # Help asked again, new words that only the alert carries, and a new note are news without a new signal.
    if not (added or fresh or signal.source == "help" or signal.live_text is not None or signal.note):
        return False
    if item.status == "resolved":
        _reopen(item, now)
    if signal.note:
        item.notes = [*item.notes, await _staff_note(tx, signal, now)]
    triage = Triage(ItemKind(item.kind), Severity(item.severity)).stronger(signal.triage)
    item.kind, item.severity, item.tier = triage.kind.value, triage.severity.value, triage.tier
    if signal.room_id and not item.room_id:
        item.room_id = signal.room_id
    room_first = item.room_first_until is not None
    audience = await route(tx, svc, item, triage, fresh=fresh, now=now, text_in_alert=signal.live_text is not None)
    if added:
        item.score += 1
        item.reasons = {**item.reasons, signal.reason: item.reasons.get(signal.reason, 0) + 1}
    if not created:
        item.version += 1
    item.updated_at = now
    await tx.session.flush()
    shape = item_shape(await store.row(item.id))
    if signal.live_text is not None:
        shape["live_text"] = signal.live_text
    # News to whoever has not been alerted yet: a fresh item, or one its room's moderators had to themselves.
    event = "flag:new" if fresh or (room_first and audience is None) else "flag:updated"
    tx.after_commit(lambda: _announce(svc, event, shape, triage, audience))
    return added


async def raise_for_verdict(tx: Transaction, svc: Services, message: Message, verdict: Verdict, now: float,
                            live_text: str | None = None) -> None:
    """A flagged or held message gets its review item in the same transaction that stores it, so a
    crisis flag is never lost between the two. In a room that keeps no text, `live_text` (what the room
    was shown) rides on the live alert alone, so moderators online then can read what was said."""
    triage = review_item_for(verdict)
    if triage is None:
        return
    await raise_item(tx, svc, Signal("message", message.id, message.room_id, message.sender_id, triage,
                                     "pipeline", None, triage.kind.value, live_text), now)
    record(tx.session, actor=None, action="flag", target_type="message", target_id=message.id, now=now,
           room_id=message.room_id, kind=triage.kind.value, severity=triage.severity.value)


async def _staff_note(tx: Transaction, signal: Signal, now: float) -> dict[str, Any]:
    """The note with who wrote it, by the pseudonym they had then (as a pin keeps it): a moderator may want
    to ask them more."""
    author = await UserStore(tx.session).get(signal.reporter_id) if signal.reporter_id else None
    return {"source": signal.source, "by": author.pseudonym if author else None, "text": signal.note, "at": now}


def _reopen(item: ReviewItem, now: float) -> None:
    """New information on a resolved target starts a new episode at the back of its tier."""
    item.status, item.claimed_by, item.claimed_at, item.first_claimed_at = "pending", None, None, None
    item.outcome, item.note, item.resolved_by, item.resolved_at = None, None, None, None
    item.escalated_at, item.created_at, item.score, item.reasons, item.notes = None, now, 0, {}, []


async def _announce(svc: Services, event: str, shape: dict[str, Any], triage: Triage, audience: Audience) -> None:
    metrics = svc.moderation.metrics
    metrics.flags_raised += 1
    if triage.is_crisis:
        metrics.crisis_flags += 1
        online = svc.moderation.moderator_online()
        if online is False:
            metrics.crisis_without_moderator += 1
            log.warning("crisis_flag_without_moderator item=%s kind=%s", shape["id"], shape["kind"])
        elif online is None:
            log.warning("crisis_flag_moderators_unknown item=%s kind=%s", shape["id"], shape["kind"])
    await publish_item(svc, event, shape, audience)


async def publish_item(svc: Services, event: str, shape: dict[str, Any], audience: Audience = None) -> None:
    if audience is None:
        await svc.broadcaster.publish(MODERATORS_TOPIC, event, {"item": shape})
        return
    for user_id in audience:
        await svc.broadcaster.publish(moderator_topic(user_id), event, {"item": shape})


@dataclass(frozen=True, slots=True)
class QueueRequest:
    status: str = "open"
    room: str | None = None
    severity: str | None = None
    limit: int = 50
    cursor: str | None = None
    mine: bool = False


def _encode_cursor(key: QueueKey) -> str:
    return base64.urlsafe_b64encode(orjson.dumps(list(key))).decode()


def _decode_cursor(raw: str) -> QueueKey:
    try:
        tier, score, created, item_id = orjson.loads(base64.urlsafe_b64decode(raw.encode()))
        return int(tier), int(score), float(created), str(item_id)
    except (ValueError, TypeError):
        raise DomainError(ErrorCode.INVALID, "That cursor is not one this server gave out.", field="cursor") from None


async def list_queue(svc: Services, *, actor: Principal, request: QueueRequest) -> dict[str, Any]:
    check_moderator(actor)
    if request.status not in STATUSES:
        raise DomainError(ErrorCode.INVALID, f"status is one of {', '.join(STATUSES)}.", field="status")
    if request.severity is not None and request.severity not in SEVERITY_FILTERS:
        raise DomainError(ErrorCode.INVALID, f"severity is one of {', '.join(SEVERITY_FILTERS)}.",
                          field="severity")
    if not 1 <= request.limit <= 100:
        raise DomainError(ErrorCode.INVALID, "limit must be 1 to 100.", field="limit")
    after = _decode_cursor(request.cursor) if request.cursor else None
    async with svc.db.read() as session:
        conditions: list[Any] = [ReviewItem.status.in_(OPEN) if request.status == "open"
                                 else ReviewItem.status == request.status]
        if request.room:
            room = await RoomStore(session).by_slug(request.room)
            if room is None:
                raise DomainError(ErrorCode.NOT_FOUND, "That room doesn't exist.", field="room")
            conditions.append(ReviewItem.room_id == room.id)
        if request.severity:
            conditions.append(ReviewItem.tier == severity_filter(request.severity))
        if request.mine:
            conditions.append(ReviewItem.room_id.in_(RoomModeratorStore.room_ids_of(actor.user_id)))
        rows = await ReviewStore(session).rows(*conditions, after=after, limit=request.limit + 1)
    more = len(rows) > request.limit
    rows = rows[: request.limit]
    return {"items": [item_shape(r) for r in rows],
            "next_cursor": _encode_cursor(queue_key(rows[-1].item)) if more else None}


async def act_on_item(svc: Services, *, actor: Principal, item_id: str, version: int, action: str,
                      change: ItemChange, admin_override: bool = False, **detail: Any) -> dict[str, Any]:
    """Lock the item, refuse missing / resolved / stale / someone-else's, apply the change, bump the
    version, audit it, and tell every moderator after commit."""
    check_moderator(actor)
    now = svc.clock.now()
    async with svc.db.transaction() as tx:
        store = ReviewStore(tx.session)
        item = await store.lock(item_id)
        if item is None:
            raise DomainError(ErrorCode.NOT_FOUND, "That review item doesn't exist.", field="item_id")
        current = item_shape(await store.row(item.id))
        if item.status == "resolved":
            raise DomainError(ErrorCode.ALREADY_RESOLVED, "That item has already been resolved.", item=current)
        if item.version != version:
            raise DomainError(ErrorCode.CONFLICT, "Someone else changed this item first; here is its current "
                              "state.", item=current)
        if item.claimed_by not in (None, actor.user_id) and not (admin_override and actor.role is Role.ADMIN):
            raise DomainError(ErrorCode.CONFLICT, "Another moderator has claimed this item.", item=current)
        extra = await change(tx, item) or {}
        # Someone is on it: the item is no longer its room's moderators' alone, and everyone hears of it.
        item.room_first_until = None
        item.version += 1
        item.updated_at = now
        record(tx.session, actor=actor, action=action, target_type=item.target_type, target_id=item.target_id,
               now=now, item_id=item.id, room_id=item.room_id, **detail)
        await tx.session.flush()
        shape = item_shape(await store.row(item.id))
        tx.after_commit(lambda: publish_item(svc, "flag:updated", shape))
    return {"item": shape, **extra}


async def do_claim(svc: Services, *, actor: Principal, item_id: str, version: int) -> dict[str, Any]:
    async def claim(_tx: Transaction, item: ReviewItem) -> None:
        now = svc.clock.now()
        item.status, item.claimed_by, item.claimed_at = "claimed", actor.user_id, now
        item.first_claimed_at = item.first_claimed_at or now
    return await act_on_item(svc, actor=actor, item_id=item_id, version=version, action="claim", change=claim)


async def do_release(svc: Services, *, actor: Principal, item_id: str, version: int) -> dict[str, Any]:
    """The claimer (or an admin) hands the item back to the team."""
    async def release(_tx: Transaction, item: ReviewItem) -> None:
        if item.status != "claimed":
            raise DomainError(ErrorCode.INVALID, "That item isn't claimed.", field="item_id")
        item.status, item.claimed_by, item.claimed_at = "pending", None, None
    return await act_on_item(svc, actor=actor, item_id=item_id, version=version, action="release",
                             change=release, admin_override=True)


async def do_resolve(svc: Services, *, actor: Principal, item_id: str, version: int, outcome: str,
                     note: str) -> dict[str, Any]:
    """Close the item; a message still held is then declined (see _decline_if_held) and the reply says so.
    The note stays on the item (shapes.py); the log records only whether there is one, so the two agree
    on a note of blanks: there is none."""
    if outcome not in OUTCOMES:
        raise DomainError(ErrorCode.INVALID, f"outcome is one of {', '.join(OUTCOMES)}.", field="outcome")
    note = note.strip()
    if len(note) > 1000:
        raise DomainError(ErrorCode.INVALID, "Notes can be up to 1000 characters.", field="note")

    async def resolve(tx: Transaction, item: ReviewItem) -> dict[str, Any] | None:
        item.status, item.outcome, item.note = "resolved", outcome, note or None
        item.resolved_by, item.resolved_at = actor.user_id, svc.clock.now()
        return await _decline_if_held(tx, svc, item)
    return await act_on_item(svc, actor=actor, item_id=item_id, version=version, action="resolve",
                             change=resolve, outcome=outcome, with_note=bool(note))


async def _decline_if_held(tx: Transaction, svc: Services, item: ReviewItem) -> dict[str, Any] | None:
    """A review that ends without approval means the held message is not posted. Without this it stayed
    `held` for ever (never purged, its author never told). The room never sees its text again; the
    review's copy stays in `original` (readable under the room's held_originals rule) until retention
    purges it, moderation retention after resolution. The author is told, kindly, what happened."""
    if item.target_type != "message":
        return None
    message = await tx.session.get(Message, item.target_id)
    if message is None or message.status != "held":
        return None
    room = await tx.session.get(Room, message.room_id)
    assert room is not None
    message.status, message.original, message.text = DECLINED, message.original or message.text, None
    sender_id, told = message.sender_id, {"room": room.slug, "message_id": message.id}
    sentence = (f"A moderator has looked at your message in {room.name} that was waiting for review, and it "
                "won't be posted. Nobody else in the room saw it. You're very welcome to keep talking: what you "
                "have to say matters.")
    tx.after_commit(lambda: notify(svc, sender_id, "message_not_posted", sentence, **told))
    return {"declined": {"room": room.slug, "id": message.id}}
