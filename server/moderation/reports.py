"""What peers raise themselves: reporting a message, and asking for help now.

A report needs the reporter to be in the message's room on this connection (they saw it); one report
per person per message, further reports add to the item's score. A help request never fails for a
detail: the person always gets crisis resources at once, and the moderators an imminent item.
"""
from __future__ import annotations

import logging
from typing import Any

from ..errors import DomainError, ErrorCode
from ..identity.principal import Principal
from ..rooms.access import check_joined
from ..rooms.age_bands import can_see_room
from ..services import Services
from ..storage.models import Message, Room
from ..storage.rooms import RoomStore
from .audit import record
from ..rooms.shapes import resources_shape
from .queue import Signal, raise_item
from .triage import HELP_REQUEST, ReportReason, triage_for_report

log = logging.getLogger("peerchat.moderation")

HELP_NOT_SENT = ("We couldn't reach the moderators just now. If you are in danger right now, call your local "
                 "emergency number or one of these services, and please press Get help again in a moment.")
HELP_SENT = ("The moderators have been alerted and will reach out to you here. If you are in danger right now, "
             "call your local emergency number or one of these services.")
# Whether a moderator watches the queue on any process (ModerationState.moderator_online). Never promise a
# reply that may not come soon, and never say nobody is there when we cannot tell (Redis down).
HELP_SENT_NOBODY_ONLINE = ("We've alerted the moderation team, but no moderator is online right now, so a reply "
                           "could take a while. If you are in danger or can't wait, please call your local emergency "
                           "number or one of these services now: they are there for you at any hour.")
HELP_SENT_UNKNOWN = ("We've alerted the moderation team, but we can't tell right now whether a moderator is online, "
                     "so a reply could take a while. If you are in danger or can't wait, please call your local "
                     "emergency number or one of these services now: they are there for you at any hour.")
ANSWERS = {True: HELP_SENT, False: HELP_SENT_NOBODY_ONLINE, None: HELP_SENT_UNKNOWN}


def check_reason(raw: str) -> ReportReason:
    try:
        return ReportReason(raw.strip().lower())
    except ValueError:
        reasons = ", ".join(r.value for r in ReportReason)
        raise DomainError(ErrorCode.INVALID, f"The reason is one of: {reasons}.", field="reason") from None


async def do_report(svc: Services, *, actor: Principal, sid: str, message_id: str, reason: str) -> dict[str, Any]:
    why = check_reason(reason)
    now = svc.clock.now()
    async with svc.db.transaction() as tx:
        message = await tx.session.get(Message, message_id)
        if message is None or message.seq is None or message.status != "visible":
            raise DomainError(ErrorCode.NOT_FOUND, "That message doesn't exist (or was removed).",
                              field="message_id")
        room = await tx.session.get(Room, message.room_id)
        assert room is not None
        check_joined(svc.presence, room, actor, sid)
        if message.sender_id == actor.user_id:
            raise DomainError(ErrorCode.INVALID, "You can't report your own message.", field="message_id")
        added = await raise_item(tx, svc, Signal("message", message.id, room.id, message.sender_id,
                                                 triage_for_report(why), "report", actor.user_id, why.value), now)
        if added:
            record(tx.session, actor=actor, action="report", target_type="message", target_id=message.id, now=now,
                   room_id=room.id, reason=why.value)
    return {"reported": True, "duplicate": not added}


async def do_help_request(svc: Services, *, actor: Principal, room_slug: str) -> dict[str, Any]:
    """Alert moderators with an imminent item about this person; an unknown room is simply left out.
    Even when storage is down the person gets the resources, and is told the alert did not go out."""
    now = svc.clock.now()
    try:
        async with svc.db.transaction() as tx:
            room = await RoomStore(tx.session).by_slug(room_slug) if room_slug else None
            # A room this person's band doesn't see counts as unknown: it must not send moderators looking
            # for them where they can't be.
            room_id = room.id if room and can_see_room(actor, room) else None
            await raise_item(tx, svc, Signal("user", actor.user_id, room_id, actor.user_id, HELP_REQUEST, "help",
                                             actor.user_id, "help"), now)
            record(tx.session, actor=actor, action="help.request", target_type="user", target_id=actor.user_id,
                   now=now, room_id=room_id)
    except DomainError as error:
        log.error("help_request_not_stored user=%s code=%s", actor.user_id, error.code.value)
        return {"resources": resources_shape(actor.locale, svc.live.book), "alerted": False,
                "message": HELP_NOT_SENT}
    online = svc.moderation.moderator_online()
    return {"resources": resources_shape(actor.locale, svc.live.book), "alerted": True, "moderator_online": online,
            "message": ANSWERS[online]}
