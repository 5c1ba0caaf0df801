"""Taking part in a session: a place (or the waitlist), listener mode, leaving, and first-in-line promotion.

The session row is locked while places change, so two processes never hand out the same last place.
"""
from __future__ import annotations

from typing import Any

from ...clock import iso
from ...errors import DomainError, ErrorCode
from ...identity.principal import Principal
from ...services import Services
from ...storage.database import Transaction
from ...storage.session_models import GroupSession, SessionParticipant
from ...storage.sessions import SessionStore
from .access import can_control, check_session
from .announce import queue_personal, queue_state
from .shapes import controls_of

MODES = ("participant", "listener")


def check_session_open(row: GroupSession) -> None:
    if row.state == "scheduled":
        raise DomainError(ErrorCode.SESSION_NOT_OPEN, f"The lobby opens at {iso(row.opens_at)}.")
    if row.state not in ("open", "live"):
        raise DomainError(ErrorCode.SESSION_NOT_OPEN, f"That session is {row.state}.")


def new_participant(row: GroupSession, user_id: str) -> SessionParticipant:
    return SessionParticipant(session_id=row.id, user_id=user_id, status="none", mode="participant", rsvp=False,
                              attended=False, muted=False, feedback="none")


async def do_join_session(svc: Services, *, actor: Principal, sid: str, session_id: str,
                          mode: str) -> dict[str, Any]:
    if mode not in MODES:
        raise DomainError(ErrorCode.INVALID, "Join as a participant or as a listener.", field="as")
    now = svc.clock.now()
    async with svc.db.transaction() as tx:
        store = SessionStore(tx.session)
        row = await check_session(store, session_id, lock=True)
        if not svc.presence.is_in(row.room_id, actor.user_id, sid):
            raise DomainError(ErrorCode.NOT_MEMBER, "Join the session's room first.")
        check_session_open(row)
        if can_control(row, actor):
            return {"status": "facilitator", "position": None, "session": await queue_state(svc, tx, row)}
        if mode == "listener" and not row.listeners_allowed:
            raise DomainError(ErrorCode.LISTENERS_NOT_ALLOWED, "This session asks everyone to take part, so "
                              "listening only isn't available.")
        person = await store.participant(row.id, actor.user_id, lock=True)
        if person is None:
            person = new_participant(row, actor.user_id)
            store.add(person)
        if person.status == "removed":
            raise DomainError(ErrorCode.FORBIDDEN, "A facilitator removed you from this session.")
        if person.status not in ("in", "waitlisted"):
            if controls_of(row)["locked"]:
                raise DomainError(ErrorCode.SESSION_LOCKED, "The facilitator has closed this session to new "
                                  "joiners.")
            full = len(await store.with_status(row.id, "in")) >= row.capacity
            person.status, person.queued_at = ("waitlisted", now) if full else ("in", None)
            person.attended = person.attended or not full
        person.mode = mode
        shape = await queue_state(svc, tx, row)
        position = await _position(store, row, actor.user_id)
    return {"status": person.status, "position": position, "session": shape}


async def _position(store: SessionStore, row: GroupSession, user_id: str) -> int | None:
    waiting = [p.user_id for p in await store.with_status(row.id, "waitlisted")]
    return waiting.index(user_id) + 1 if user_id in waiting else None


async def do_leave_session(svc: Services, *, actor: Principal, session_id: str) -> dict[str, Any]:
    async with svc.db.transaction() as tx:
        store = SessionStore(tx.session)
        row = await check_session(store, session_id, lock=True)
        person = await store.participant(row.id, actor.user_id, lock=True)
        if person is None or person.status not in ("in", "waitlisted"):
            raise DomainError(ErrorCode.NOT_IN_SESSION, "You are not in that session.")
        await release(svc, tx, store, row, person, "left")
        await queue_state(svc, tx, row)
    return {}


async def on_member_left_room(svc: Services, room_id: str, user_id: str) -> None:
    """Hooked into room leave/disconnect: someone who left the room frees their place for the waitlist."""
    async with svc.db.read() as session:
        active = await SessionStore(session).active_in_room(room_id)
    if active is None:
        return
    async with svc.db.transaction() as tx:
        store = SessionStore(tx.session)
        row = await check_session(store, active.id, lock=True)
        person = await store.participant(row.id, user_id, lock=True)
        if person is None or person.status not in ("in", "waitlisted"):
            return
        await release(svc, tx, store, row, person, "left")
        await queue_state(svc, tx, row)


async def release(svc: Services, tx: Transaction, store: SessionStore, row: GroupSession,
                  person: SessionParticipant, status: str) -> None:
    """Take someone off the floor (place, hand, turn); a freed place goes to the first in line."""
    person.status = status
    controls = controls_of(row)
    speaker = controls["speaker"]
    row.controls = {**controls, "hands": [h for h in controls["hands"] if h["id"] != person.user_id],
                    "speaker": None if speaker and speaker["id"] == person.user_id else speaker}
    row.version += 1
    await tx.session.flush()
    await promote(svc, tx, store, row)


async def promote(svc: Services, tx: Transaction, store: SessionStore, row: GroupSession) -> None:
    """Fill free places from the waitlist in order (not while locked), then tell everyone still waiting."""
    waiting = await store.with_status(row.id, "waitlisted")
    if not controls_of(row)["locked"]:
        free = row.capacity - len(await store.with_status(row.id, "in"))
        while free > 0 and waiting:
            first = waiting.pop(0)
            first.status, first.attended, first.queued_at = "in", True, None
            queue_personal(svc, tx, first.user_id, "session:admitted", {"session": row.id})
            free -= 1
    for position, person in enumerate(waiting, start=1):
        queue_personal(svc, tx, person.user_id, "session:waitlist", {"session": row.id, "position": position})
