"""The review queue's background jobs: escalate crisis items nobody has claimed (imminent ones after
PEERCHAT_ESCALATION_SECONDS, other crisis items after PEERCHAT_CRISIS_ESCALATION_SECONDS; once per deployment),
alert every moderator to items their room's moderators did not claim in time or no longer watch for
(routing.py; once per deployment), and hand back the claims of moderators who went away from this process (in
every process: only the process they were connected to saw them go), or who hold claims while connected nowhere
(their process died or restarted, and its memory of them with it). Driven by the injected clock; tests call
them directly.

An escalation re-alerts every moderator and admin (`flag:escalated` on their own topics, so it reaches
them even when they are not watching the queue) and, when configured, POSTs a signed webhook that
carries ids and triage only, never a message or a pseudonym.
"""
from __future__ import annotations

import asyncio
import hashlib
import hmac
import logging
from typing import Any

import aiohttp
import orjson

from ..broadcast import user_topic
from ..clock import iso
from ..services import Services
from ..storage.review import ReviewStore
from ..storage.room_moderators import RoomModeratorStore
from ..storage.sanctions import SanctionStore
from .audit import record
from .queue import publish_item
from .shapes import item_shape

log = logging.getLogger("peerchat.moderation")

WEBHOOK_TIMEOUT = 5.0


def sign(secret: str, timestamp: str, body: bytes) -> str:
    """`sha256=<hex>` of HMAC-SHA256(secret, "<timestamp>." + body): the receiver recomputes and compares."""
    return "sha256=" + hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()


async def escalate_unclaimed(svc: Services) -> int:
    now = svc.clock.now()
    async with svc.db.transaction() as tx:
        store = ReviewStore(tx.session)
        due = await store.due_for_escalation(now - svc.settings.escalate_after,
                                             now - svc.settings.escalate_crisis_after)
        for item in due:
            item.escalated_at, item.version, item.updated_at = now, item.version + 1, now
            record(tx.session, actor=None, action="escalate", target_type=item.target_type,
                   target_id=item.target_id, now=now, item_id=item.id, room_id=item.room_id,
                   waited=round(now - item.created_at, 1))
        await tx.session.flush()
        shapes = [item_shape(await store.row(item.id)) for item in due]
        staff = await SanctionStore(tx.session).moderator_ids() if due else []
    for shape in shapes:
        svc.moderation.metrics.escalations += 1
        log.warning("crisis_item_escalated item=%s severity=%s", shape["id"], shape["severity"])
        await publish_item(svc, "flag:updated", shape)
        for user_id in staff:
            await svc.broadcaster.publish(user_topic(user_id), "flag:escalated", {"item": shape})
        await _post_webhook(svc, shape, now)
    return len(shapes)


async def widen_room_first(svc: Services) -> int:
    """Items only their room's moderators were alerted to go to everyone (`flag:new`) once the routing time
    is up or none of those moderators watches the queue any more (on any process, as far as this one can
    tell: when it cannot, everyone is alerted; a false alarm beats a missed report)."""
    now = svc.clock.now()
    async with svc.db.transaction() as tx:
        store, assignments = ReviewStore(tx.session), RoomModeratorStore(tx.session)
        widened = []
        for item in await store.room_first():
            due = item.room_first_until is not None and item.room_first_until <= now
            if not due and item.room_id and svc.moderation.watching(await assignments.user_ids(item.room_id)):
                continue
            item.room_first_until, item.version, item.updated_at = None, item.version + 1, now
            record(tx.session, actor=None, action="route.widen", target_type=item.target_type,
                   target_id=item.target_id, now=now, item_id=item.id, room_id=item.room_id,
                   reason="unclaimed" if due else "room_moderators_away")
            widened.append(item)
        await tx.session.flush()
        shapes = [item_shape(await store.row(item.id)) for item in widened]
    for shape in shapes:
        log.info("room_first_widened item=%s room=%s", shape["id"], shape["room"])
        await publish_item(svc, "flag:new", shape)
    return len(shapes)


async def _post_webhook(svc: Services, shape: dict[str, Any], now: float) -> None:
    url, secret = svc.settings.escalation_webhook_url, svc.settings.escalation_webhook_secret
    if not url or not secret:
        return
    body = orjson.dumps({"event": "crisis.escalated", "sent_at": iso(now), "item": {
        key: shape[key] for key in ("id", "kind", "severity", "priority", "room", "created_at", "escalated_at")}})
    timestamp = str(int(now))
    headers = {"Content-Type": "application/json", "X-Peerchat-Timestamp": timestamp,
               "X-Peerchat-Signature": sign(secret, timestamp, body)}
    outcome = "error"
    try:
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=WEBHOOK_TIMEOUT)) as http:
            async with http.post(url, data=body, headers=headers) as response:
                outcome = str(response.status)
    except (aiohttp.ClientError, asyncio.TimeoutError, OSError) as error:
        outcome = type(error).__name__
    if not outcome.startswith("2"):
        svc.moderation.metrics.webhook_failures += 1
        log.error("escalation_webhook_failed item=%s outcome=%s", shape["id"], outcome)


async def release_abandoned_claims(svc: Services) -> int:
    """Claims of moderators offline longer than claim_release_after go back to the team. A moderator who
    left this process but is still connected to another is not gone: that process releases their claims
    when they leave it too."""
    now = svc.clock.now()
    await _notice_claimers_connected_nowhere(svc, now)
    left_here = svc.moderation.offline_before(now - svc.settings.claim_release_after)
    elsewhere = [user_id for user_id in left_here if svc.online.anywhere(user_id)]
    svc.moderation.forget_offline(elsewhere)
    gone = [user_id for user_id in left_here if user_id not in elsewhere]
    if not gone:
        return 0
    async with svc.db.transaction() as tx:
        store = ReviewStore(tx.session)
        items = await store.claimed_by_any(gone)
        for item in items:
            record(tx.session, actor=None, action="claim.expire", target_type=item.target_type,
                   target_id=item.target_id, now=now, item_id=item.id, room_id=item.room_id,
                   moderator_id=item.claimed_by)
            item.status, item.claimed_by, item.claimed_at = "pending", None, None
            item.version, item.updated_at = item.version + 1, now
        await tx.session.flush()
        shapes = [item_shape(await store.row(item.id)) for item in items]
    svc.moderation.forget_offline(gone)
    svc.moderation.metrics.claims_released += len(shapes)
    for shape in shapes:
        await publish_item(svc, "flag:updated", shape)
    return len(shapes)


async def _notice_claimers_connected_nowhere(svc: Services, now: float) -> None:
    """A moderator whose process was killed or restarted left no trace of leaving anywhere: count them as
    gone from now when no process has them connected. Only while this process sees every process (Redis
    up), so nobody connected to a process out of sight loses their claims; every process may count them,
    and the release takes each claim once (FOR UPDATE, WHERE status = 'claimed')."""
    if not svc.moderation.sees_everyone():
        return
    async with svc.db.read() as session:
        claimers = await ReviewStore(session).claimers()
    for user_id in claimers:
        if not svc.online.anywhere(user_id):
            svc.moderation.gone(user_id, now=now)
