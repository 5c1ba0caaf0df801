"""Room-wide slow mode: moderators slow a heated room down, for everyone but staff, and never for crisis.

The setting lives on the room row, which every send reads (storage/send_gate.py), so a change holds on
every process from the very next message; people in the room are told with room:updated (within a second
when the command line made the change: server/pushes.py). Each person's
last post under slow mode is one row claimed atomically by the send (storage/slow_mode.py), so two tabs or
two processes cannot both slip a message through. A message the pipeline flags as crisis is never held
back and exempts its author for CRISIS_GRACE_S: someone in crisis may write fast, and their next words
may not read as crisis to the filters. Only a message the room sees is a post: one blocked, or held for a
moderator, neither waits for a turn nor uses one, so someone who says it another way is not made to wait twice.
"""
from __future__ import annotations

import logging
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from ..broadcast import room_topic
from ..clock import iso
from ..errors import DomainError, ErrorCode
from ..identity.principal import Principal
from ..identity.roles import can_moderate
from ..moderation.audit import record
from ..moderation.verdict import Decision, FlagKind, Verdict
from ..pushes import push_after_commit, queueable
from ..services import Services
from ..storage.models import Room
from ..storage.slow_mode import SlowModeStore
from .access import check_room

log = logging.getLogger("peerchat.rooms")

MIN_SECONDS = 5
MAX_SECONDS = 15 * 60
MAX_MINUTES = 24 * 60
CRISIS_GRACE_S = 15 * 60.0
REASONS = ("pile_on", "flood", "distressing_post", "heated", "calmer", "other")


def seconds_in_force(room: Room, now: float) -> int:
    """The room's slow mode at `now`: 0 when off or when its time is up (even before the job lifts it)."""
    seconds = room.slow_mode_seconds or 0
    until = room.slow_mode_until
    return seconds if seconds and (until is None or until > now) else 0


def slow_mode_shape(room: Room, now: float) -> dict[str, Any] | None:
    """What clients show: None when off, else the seconds between messages and when it lifts (or null)."""
    seconds = seconds_in_force(room, now)
    if not seconds:
        return None
    return {"seconds": seconds, "until": iso(room.slow_mode_until) if room.slow_mode_until is not None else None}


def check_slow_mode_request(seconds: object, minutes: object, reason: object) -> tuple[int, int | None, str]:
    if isinstance(seconds, bool) or not isinstance(seconds, int) or not (
            seconds == 0 or MIN_SECONDS <= seconds <= MAX_SECONDS):
        raise DomainError(ErrorCode.INVALID, f"Slow mode is 0 (off) or {MIN_SECONDS} to {MAX_SECONDS} seconds.",
                          field="seconds")
    if minutes is not None and (isinstance(minutes, bool) or not isinstance(minutes, int)
                                or not 1 <= minutes <= MAX_MINUTES):
        raise DomainError(ErrorCode.INVALID, f"It can lift by itself after 1 to {MAX_MINUTES} minutes, or leave "
                          "it out to keep it until you turn it off.", field="minutes")
    reason = reason or "other"
    if reason not in REASONS:
        raise DomainError(ErrorCode.INVALID, f"The reason is one of: {', '.join(REASONS)}.", field="reason")
    return seconds, minutes if seconds else None, str(reason)


async def _set(svc: Services, actor: Principal, slug: str, seconds: int, minutes: int | None,
               reason: str) -> tuple[Room, dict[str, Any] | None]:
    now = svc.clock.now()
    async with svc.db.transaction() as tx:
        room = await check_room(tx.session, slug)
        before = slow_mode_shape(room, now)
        room.slow_mode_seconds = seconds
        room.slow_mode_until = now + minutes * 60 if minutes else None
        after = slow_mode_shape(room, now)
        if not seconds:
            await SlowModeStore(tx.session).forget_room(room.id, now)
        record(tx.session, actor=actor, action="room.slow_mode", target_type="room", target_id=room.id, now=now,
               room_id=room.id, before=before, after=after, reason=reason)
        await push_after_commit(svc, tx, announce, room_id=room.id, slug=room.slug, shape=after, by=actor.pseudonym)
    log.info("slow_mode_set room=%s actor=%s seconds=%d minutes=%s reason=%s", slug, actor.user_id, seconds,
             minutes, reason)
    return room, after


async def do_set_slow_mode(svc: Services, *, actor: Principal, slug: str, seconds: object, minutes: object = None,
                           reason: object = None) -> dict[str, Any]:
    """Moderators and admins turn a room's slow mode on (for `minutes`, or until turned off) or off (0)."""
    if not can_moderate(actor.role):
        raise DomainError(ErrorCode.FORBIDDEN, "Only moderators and admins can change a room's slow mode.")
    room, shape = await _set(svc, actor, slug, *check_slow_mode_request(seconds, minutes, reason))
    return {"room": room.slug, "slow_mode": shape}


@queueable("room.slow_mode")
async def announce(svc: Services, *, room_id: str, slug: str, shape: dict[str, Any] | None, by: str | None) -> None:
    """Everyone in the room, on every process, sees slow mode go on or off."""
    await svc.broadcaster.publish(room_topic(room_id), "room:updated", {"room": slug, "slow_mode": shape, "by": by})


def counts_as_post(verdict: Verdict) -> bool:
    """Whether the room sees the message now. A held one may be approved later: a moderator's decision then,
    which slow mode never holds back (staff are exempt)."""
    return verdict.decision.rank < Decision.HOLD.rank


async def check_slow_mode(session: AsyncSession, room: Room, actor: Principal, verdict: Verdict,
                          now: float) -> None:
    """Inside the send's transaction, once the message's final verdict is known (pipeline and watched-word
    escalation): refuse it with `slow_mode` and the seconds left if its author posted here too recently.
    Staff are exempt; a crisis message always goes and exempts its author for a while; a blocked or held
    message is not a post."""
    if actor.role.is_staff:
        return
    store = SlowModeStore(session)
    if verdict.flag_of(FlagKind.CRISIS) is not None:
        await store.exempt_until(room.id, actor.user_id, now + CRISIS_GRACE_S)
        return
    seconds = seconds_in_force(room, now)
    if not seconds or not counts_as_post(verdict):
        return
    last = await store.claim(room.id, actor.user_id, now, seconds)
    if last is not None:
        left = max(seconds - (now - last), 0.001)
        raise DomainError(ErrorCode.SLOW_MODE, f"Slow mode is on in this room: one message every {seconds} "
                          f"seconds. You can send again in {int(left + 0.999)} s; your message is kept.",
                          retry_after=left, slow_mode=slow_mode_shape(room, now))


async def lift_expired_slow_modes(svc: Services) -> int:
    """The periodic job: slow modes whose time is up are turned off, audited as the server's, and announced;
    rows of posts and crisis exemptions that no longer count are deleted."""
    now = svc.clock.now()
    async with svc.db.transaction() as tx:
        await SlowModeStore(tx.session).forget_stale(now, MAX_SECONDS)
        lifted = await SlowModeStore(tx.session).lift_expired(now)
        for room_id, _slug, seconds, until in lifted:
            await SlowModeStore(tx.session).forget_room(room_id, now)
            record(tx.session, actor=None, action="room.slow_mode", target_type="room", target_id=room_id, now=now,
                   room_id=room_id, before={"seconds": seconds, "until": iso(until)}, after=None, reason="expired")
    for room_id, slug, _seconds, _until in lifted:
        await announce(svc, room_id=room_id, slug=slug, shape=None, by=None)
    return len(lifted)
