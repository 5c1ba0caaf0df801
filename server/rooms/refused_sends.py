"""A `message:send` refused before the moderation pipeline read its text must not hide a crisis.

The refusals that come first: the gateway's send rate limit and payload checks, and do_send_message's checks
of the text (empty, too long), the client_msg_id, the room (unknown, archived, another age band's) and the
sender's place in it (not joined). Every later refusal comes after the pipeline, which holds a crisis
message for a moderator instead (messages.held_in_crisis), so none of those reaches here with a crisis;
except the database failing (`unavailable`), whose failed transaction takes any reading of it along.
"""
from __future__ import annotations

import logging
from typing import Any, Awaitable, Callable

from ..errors import DomainError, ErrorCode
from ..identity.principal import Principal
from ..moderation.unseen_crisis import crisis_reading, do_alert_unseen_crisis, worth_reading
from ..services import Services

log = logging.getLogger("peerchat.rooms")

UNREAD = frozenset({ErrorCode.RATE_LIMITED, ErrorCode.INVALID_PAYLOAD, ErrorCode.INVALID, ErrorCode.NOT_FOUND,
                    ErrorCode.NOT_MEMBER, ErrorCode.UNAVAILABLE})
GoAhead = Callable[[], Awaitable[dict[str, Any] | None]]


async def answer_refused_send(svc: Services, *, actor: Principal, sid: str, text: str, room_slug: str,
                              refusal: DomainError, go_ahead: GoAhead) -> dict[str, Any] | None:
    """Raise the refusal unchanged unless the text reads as crisis (or goes unread: worth_reading). Over the
    send limit, a crisis message is sent anyway (`go_ahead`: the normal path, which flags or holds it) within
    the crisis_send bucket; past that, or refused for any reason above, it stays refused, and the moderators
    are alerted."""
    if not text or refusal.code not in UNREAD or not await worth_reading(svc, actor=actor, sid=sid):
        raise refusal
    verdict = crisis_reading(text, actor.locale, svc.settings.max_message_chars)
    if verdict is None:
        raise refusal
    if refusal.code is ErrorCode.RATE_LIMITED:
        try:
            await svc.limiter.take("crisis_send", actor.user_id, svc.settings.rate_limits.crisis_send)
        except DomainError:
            pass  # past the crisis bucket too: refused, and the one alert below (itself bounded) goes out
        else:
            log.info("crisis_over_send_limit user=%s", actor.user_id)
            try:
                return await go_ahead()
            except DomainError as later:
                if later.code not in UNREAD:
                    raise
                refusal = later
    raise await do_alert_unseen_crisis(svc, actor=actor, room_slug=room_slug, verdict=verdict, refusal=refusal)
