"""The session's say on a message: called by rooms.messages.do_send_message inside its transaction.

While a session is open or live in a room, only its admitted participants post (facilitators, admins and
moderators always can, so safety never waits on a turn), subject to mute, turn-taking and slow mode. Slow
mode never holds back a message the pipeline reads as crisis: someone in crisis may write fast.
"""
from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from ...errors import DomainError, ErrorCode
from ...identity.principal import Principal
from ...identity.roles import can_moderate
from ...storage.models import Room
from ...storage.sessions import SessionStore
from .access import can_control
from .shapes import controls_of


async def check_session_allows_post(session: AsyncSession, room: Room, actor: Principal, now: float, *,
                                    crisis: bool) -> None:
    store = SessionStore(session)
    row = await store.active_in_room(room.id)
    if row is None or can_control(row, actor) or can_moderate(actor.role):
        return
    controls = controls_of(row)
    person = await store.participant(row.id, actor.user_id, lock=True)
    status = person.status if person else "none"
    if status == "waitlisted":
        raise DomainError(ErrorCode.NOT_IN_SESSION, "You're on this session's waitlist; you can write once a "
                          "place frees up.")
    if status == "removed":
        raise DomainError(ErrorCode.NOT_IN_SESSION, "A facilitator removed you from this session.")
    if status != "in" and controls["locked"]:
        raise DomainError(ErrorCode.SESSION_LOCKED, "A session is running here and is closed to new joiners.")
    if person is None or status != "in":
        raise DomainError(ErrorCode.NOT_IN_SESSION, f"The session \"{row.title}\" is running in this room: "
                          "join it to take part.")
    if person.mode == "listener":
        raise DomainError(ErrorCode.LISTENER_MODE, "You joined this session as a listener. Rejoin it as a "
                          "participant to write.")
    if person.muted:
        raise DomainError(ErrorCode.MUTED, "A facilitator has muted you in this session for now.")
    speaker = controls["speaker"]
    if controls["rounds"] and (speaker is None or speaker["id"] != actor.user_id):
        raise DomainError(ErrorCode.NOT_YOUR_TURN, "It's a round: only the person whose turn it is writes now. "
                          "Raise your hand to ask for a turn.")
    slow = controls["slow_mode"]
    if slow and not crisis and person.last_post_at is not None and now - person.last_post_at < slow:
        raise DomainError(ErrorCode.SLOW_MODE, f"Slow mode is on: one message every {slow} seconds.",
                          retry_after=slow - (now - person.last_post_at))
    person.last_post_at = now
