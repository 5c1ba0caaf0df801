"""Integration points other parts of peerchat connect to. Called after the change has committed."""
from __future__ import annotations

import logging

from ...services import Services

log = logging.getLogger("peerchat.sessions")


async def on_participant_removed(svc: Services, *, session_id: str, room_id: str, user_id: str, actor_id: str,
                                 reason: str, audit_id: int) -> None:
    """A facilitator removed someone from a live session: this should open a review item.

    The removal is already in `session_events` (action "removed", id `audit_id`). The review queue lives in
    server/moderation/ and is wired in here when that branch merges; until then this only logs ids.
    """
    log.info("session_participant_removed session=%s room=%s user=%s by=%s audit=%s",
             session_id, room_id, user_id, actor_id, audit_id)
