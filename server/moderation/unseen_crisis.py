"""Crisis in a message refused before the pipeline read it (over the send limit, a room the sender can't post
in, a payload the server can't take): the moderators still hear of it at once and the sender still gets the
crisis lines, while the message itself stays refused.

One item per person (its target is the person, as for Get help), never one per message; while it is open a
later crisis message refreshes its alert with the newest words (`flag:updated`), as often as crisis_alert
allows. The words ride on the live alert only (`live_text`), never stored, and the item names a room only
when the person is in it, so nothing said here reaches a room, or outlives the alert, and no room the
person can't see is named. This module never posts or stores the message.

Reading costs CPU that a flood of refused frames could otherwise buy at will: a text is read only up to
about a message's length (reading_window), and past a per-connection budget only while the person has no
open crisis item (worth_reading).
"""
from __future__ import annotations

import logging

from ..errors import DomainError, ErrorCode
from ..identity.principal import Principal
from ..rooms.age_bands import can_see_room
from ..rooms.shapes import resources_shape
from ..services import Services
from ..storage.database import Transaction
from ..storage.review import ReviewStore
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
# Of a text longer than any message, its end is read too: a long post often ends with what matters most.
TAIL_CHARS = 300


def reading_window(text: str, max_chars: int) -> str:
    """What of a refused text is read: all of it when trimmed (as a send trims) it is no longer than
    `max_chars` + TAIL_CHARS, so every text that could be a message is read whole; else its first `max_chars`
    and last TAIL_CHARS characters, so a 16 KiB frame costs a reading no dearer than a message's."""
    text = text.strip()
    if len(text) <= max_chars + TAIL_CHARS:
        return text
    return f"{text[:max_chars]}\n{text[-TAIL_CHARS:]}"


def crisis_reading(text: str, locale: str, max_chars: int) -> Verdict | None:
    """The pipeline's verdict on the reading window of `text` when it reads as crisis, else None. Room rules
    play no part in finding crisis, so the default policy reads it as any room would."""
    window = without_unstorable(reading_window(text, max_chars))
    verdict = review(window, RoomPolicy(locale=locale), SenderContext())
    return verdict if verdict.flag_of(FlagKind.CRISIS) is not None else None


async def worth_reading(svc: Services, *, actor: Principal, sid: str) -> bool:
    """Whether to read a refused text for crisis: always within this connection's crisis_read budget; past
    it, unless the person's crisis item is open already, when a reading could only refresh an alert the
    moderators have (and crisis_alert would mostly refuse that): a flood can't buy a reading per frame."""
    try:
        svc.limiter.check("crisis_read", sid, svc.settings.rate_limits.crisis_read)
        return True
    except DomainError:
        pass
    if not svc.open_crisis.may_be_open(actor.user_id):
        return True
    if await _crisis_item_open(svc, actor.user_id):
        return False
    svc.open_crisis.saw_closed(actor.user_id)
    return True


async def do_alert_unseen_crisis(svc: Services, *, actor: Principal, room_slug: str, verdict: Verdict,
                                 refusal: DomainError) -> DomainError:
    """Raise (or refresh) this person's crisis item and return the refusal to give: the same code, fields
    and reason, then that a moderator was alerted (or couldn't be), with the crisis lines."""
    if refusal.code is ErrorCode.UNAVAILABLE:
        # No item can be written: this very send just failed to reach the database, and trying again now would
        # only make the person wait a second time for the crisis lines. They are told no moderator heard; a
        # resend (the web client's outbox resends `unavailable`, same client_msg_id) posts and flags it later.
        log.error("unseen_crisis_not_stored user=%s code=%s", actor.user_id, refusal.code.value)
        alerted = False
    else:
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
        if await _crisis_item_open(svc, actor.user_id):
            svc.open_crisis.saw_open(actor.user_id)
            return True  # written moments ago, and still in the queue
        # Resolved (or never stored) since the last write: the cap must not leave this crisis unseen. Only
        # a moderator's resolution opens this door again, so a flood still can't write more.
    flag = verdict.flag_of(FlagKind.CRISIS)
    assert flag is not None
    now = svc.clock.now()
    # The newest words, refreshing an open item's alert too (flag:updated); a text longer than a message
    # keeps its end, where its crisis words may be.
    words = reading_window(verdict.text, svc.settings.max_message_chars - TAIL_CHARS - 1)
    try:
        async with svc.db.transaction() as tx:
            room_id = await _room_they_are_in(tx, svc, actor, room_slug)
            await raise_item(tx, svc, Signal("user", actor.user_id, room_id, actor.user_id,
                                             Triage(ItemKind.CRISIS, flag.severity), SOURCE, actor.user_id, REASON,
                                             words), now)
            record(tx.session, actor=None, action="flag", target_type="user", target_id=actor.user_id, now=now,
                   room_id=room_id, kind=ItemKind.CRISIS.value, severity=flag.severity.value,
                   refused=refusal.code.value)
    except DomainError as error:
        log.error("unseen_crisis_not_stored user=%s code=%s", actor.user_id, error.code.value)
        return False
    svc.open_crisis.saw_open(actor.user_id)
    log.info("unseen_crisis user=%s refused=%s severity=%s", actor.user_id, refusal.code.value, flag.severity.value)
    return True


async def _crisis_item_open(svc: Services, user_id: str) -> bool:
    """Whether the person's own crisis item is open; False when the database can't say, so the text is
    read and the alert's write is tried (and its failure told) rather than assumed."""
    try:
        async with svc.db.read() as session:
            return await ReviewStore(session).is_open("user", user_id, ItemKind.CRISIS.value)
    except DomainError:
        return False


async def _room_they_are_in(tx: Transaction, svc: Services, actor: Principal, room_slug: str) -> str | None:
    """The room the message was for, only if the person is in it: an unknown room, another band's or one
    they haven't joined is left out, so moderators aren't sent looking where the person is not."""
    if not 0 < len(room_slug) <= SLUG_MAX:
        return None
    room = await RoomStore(tx.session).by_slug(room_slug)
    if room is None or not can_see_room(actor, room) or not svc.presence.anywhere(room.id, actor.user_id):
        return None
    return room.id
