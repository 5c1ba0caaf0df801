"""Crisis in a message refused before the pipeline read it (over the send limit, a room the sender can't post
in, a payload the server can't take): the moderators still hear of it at once and the sender still gets the
crisis lines, while the message itself stays refused.

One item per person (its target is the person, as for Get help), never one per message. The words ride on
the live alert only (`live_text`), never stored, and the item names a room only when the person is in it,
so nothing said here reaches a room, or outlives the alert, and no room the person can't see is named.
This module never posts or stores the message.
"""
from __future__ import annotations

import logging

from ..errors import DomainError
from ..identity.principal import Principal
from ..rooms.age_bands import can_see_room
from ..rooms.shapes import resources_shape
from ..services import Services
from ..storage.database import Transaction
from ..storage.rooms import RoomStore
from ..unicode_text import without_unstorable
from .audit import record
from .pipeline import review
from .policy import RoomPolicy, SenderContext
from .queue import Signal, raise_item
from .reports import ANSWERS, HELP_NOT_SENT
from .triage import ItemKind, Triage
from .verdict import FlagKind, Verdict

log = logging.getLogger("peerchat.moderation")

SOURCE = "crisis"
REASON = "crisis_not_posted"
SLUG_MAX = 48


def crisis_reading(text: str, locale: str) -> Verdict | None:
    """The pipeline's verdict on `text` when it reads as crisis, else None. Room rules play no part in
    finding crisis, so the default policy reads it as any room would."""
    verdict = review(without_unstorable(text), RoomPolicy(locale=locale), SenderContext())
    return verdict if verdict.flag_of(FlagKind.CRISIS) is not None else None


async def do_alert_unseen_crisis(svc: Services, *, actor: Principal, room_slug: str, verdict: Verdict,
                                 refusal: DomainError) -> DomainError:
    """Raise (or refresh) this person's crisis item and return the refusal to give: the same code, fields
    and reason, then that a moderator was alerted (or couldn't be), with the crisis lines."""
    alerted = await _alert(svc, actor, room_slug, verdict, refusal)
    extra = dict(refusal.extra, resources=resources_shape(actor.locale, svc.live.book), alerted=alerted)
    online = svc.moderation.moderator_online() if alerted else None
    if alerted:
        extra["moderator_online"] = online
    answer = ANSWERS[online] if alerted else HELP_NOT_SENT
    sentence = (f"{refusal.message} Your message wasn't posted, but it sounds like you may be going through "
                f"something very hard. {answer}")
    return DomainError(refusal.code, sentence, retry_after=refusal.retry_after, **extra)


async def _alert(svc: Services, actor: Principal, room_slug: str, verdict: Verdict, refusal: DomainError) -> bool:
    try:
        await svc.limiter.take("crisis_alert", actor.user_id, svc.settings.rate_limits.crisis_alert)
    except DomainError:
        return True  # this person's alert was written moments ago and its item is in the queue
    flag = verdict.flag_of(FlagKind.CRISIS)
    assert flag is not None
    now = svc.clock.now()
    try:
        async with svc.db.transaction() as tx:
            room_id = await _room_they_are_in(tx, svc, actor, room_slug)
            await raise_item(tx, svc, Signal("user", actor.user_id, room_id, actor.user_id,
                                             Triage(ItemKind.CRISIS, flag.severity), SOURCE, actor.user_id, REASON,
                                             verdict.text[: svc.settings.max_message_chars]), now)
            record(tx.session, actor=None, action="flag", target_type="user", target_id=actor.user_id, now=now,
                   room_id=room_id, kind=ItemKind.CRISIS.value, severity=flag.severity.value,
                   refused=refusal.code.value)
    except DomainError as error:
        log.error("unseen_crisis_not_stored user=%s code=%s", actor.user_id, error.code.value)
        return False
    log.info("unseen_crisis user=%s refused=%s severity=%s", actor.user_id, refusal.code.value, flag.severity.value)
    return True


async def _room_they_are_in(tx: Transaction, svc: Services, actor: Principal, room_slug: str) -> str | None:
    """The room the message was for, only if the person is in it: an unknown room, another band's or one
    they haven't joined is left out, so moderators aren't sent looking where the person is not."""
    if not 0 < len(room_slug) <= SLUG_MAX:
        return None
    room = await RoomStore(tx.session).by_slug(room_slug)
    if room is None or not can_see_room(actor, room) or not svc.presence.anywhere(room.id, actor.user_id):
        return None
    return room.id
