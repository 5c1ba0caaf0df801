"""The session's say on a message: called by rooms.messages.do_send_message inside its transaction.

While a session is open or live in a room, only its admitted participants post (facilitators, admins and
moderators always can, so safety never waits on a turn), subject to mute, turn-taking and slow mode. Slow
mode never holds back a message the pipeline reads as crisis (someone in crisis may write fast), and only a
message the room sees uses a turn: one blocked or held for a moderator is no post (rooms/slow_mode.py).
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from ...errors import DomainError, ErrorCode
from ...identity.principal import Principal
from ...identity.roles import can_moderate
from ...moderation.verdict import FlagKind, Verdict
from ...storage.models import Room
from ...storage.session_models import SessionParticipant
from ...storage.sessions import SessionStore
from ..slow_mode import counts_as_post
from .access import can_control
from .shapes import controls_of


@dataclass(frozen=True, slots=True)
class Seat:
    """A participant allowed to write in the running session: their row (locked until the send commits) and
    the session's slow mode, which check_session_turn applies once the message's fate is known."""

    person: SessionParticipant
    slow_mode: int


async def check_session_allows_post(session: AsyncSession, room: Room, actor: Principal) -> Seat | None:
    """Refuse a post the session does not allow now; None when no session binds this person."""
    store = SessionStore(session)
    row = await store.active_in_room(room.id)
    if row is None or can_control(row, actor) or can_moderate(actor.role):
        return None
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
    return Seat(person, controls["slow_mode"])


def check_session_turn(seat: Seat | None, verdict: Verdict, now: float) -> None:
    """Session slow mode, once the message's final verdict is known: refuse it if its author posted too
    recently (never a crisis message), else count it as their post; a blocked or held one neither waits nor
    counts, so whoever says it another way is not made to wait twice."""
    if seat is None or not counts_as_post(verdict):
        return
    person, slow = seat.person, seat.slow_mode
    crisis = verdict.flag_of(FlagKind.CRISIS) is not None
    if slow and not crisis and person.last_post_at is not None and now - person.last_post_at < slow:
        raise DomainError(ErrorCode.SLOW_MODE, f"Slow mode is on: one message every {slow} seconds.",
                          retry_after=slow - (now - person.last_post_at))
    person.last_post_at = now
